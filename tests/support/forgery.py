"""What the tests of ``siklus audit verify`` do again and again: change the database below Siklus, as someone
with the database's password (but not the server's keys) would, and ask verify what it finds."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.audit import verify_chain


def verified(session: Session) -> tuple[bool, list[str]]:
    """Commit, forget what the session holds, and verify every chain and what they prove: (intact, problems)."""
    session.commit()
    session.expire_all()
    report = verify_chain(session)
    return report.ok, list(report.problems)


def forge(session: Session, *statements: Any) -> None:
    """Run ``statements`` in a transaction of their own, around Siklus and its audit chain; the session then reads
    the database afresh."""
    session.commit()
    with session.bind.begin() as conn:
        for statement in statements:
            conn.execute(statement)
    session.expire_all()
