"""A log verified with a key other than the one that signed it says so, rather than calling every event edited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import keys
from engine.audit import verify_chain
from engine.models import AuditEvent


@pytest.fixture(autouse=True)
def _suite_keys_back() -> Iterator[None]:
    ring = keys.keyring()
    yield
    keys.use(ring)


def test_verify_says_the_key_does_not_match_when_the_systems_first_event_fails(session: Session, org,  # type: ignore[no-untyped-def]
                                                                              national) -> None:
    """A key made again after the old one was lost: verify called the log's first event 'edited after the fact',
    and an auditor read every finding as an edit."""
    assert verify_chain(session).ok
    keys.use(keys.KeyRing({"k1": b"n" * 40}, "k1", keys.keyring().respondent_secret))
    report = verify_chain(session)
    assert report.broken is not None and "the system chain: event #" in report.broken
    assert "does not match its hash under the configured audit key 'k1'" in report.broken
    assert "most likely the key is not the one that signed the log" in report.broken
    assert "edited after the fact" not in report.broken


def test_an_edit_of_a_later_system_event_is_still_called_an_edit(session: Session, org,  # type: ignore[no-untyped-def]
                                                                national) -> None:
    later = session.scalars(select(AuditEvent.id).where(AuditEvent.stream == "system", AuditEvent.seq > 1)
                            .order_by(AuditEvent.seq)).first()
    assert later is not None
    session.execute(update(AuditEvent).where(AuditEvent.id == later).values(actor_name="someone else"))
    session.commit()
    report = verify_chain(session)
    assert report.broken is not None and "edited after the fact" in report.broken
