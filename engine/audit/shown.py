"""What an appraisal's readers see of its audit chain: the chain without its anonymous feedback answers.

An anonymous answer is an event in the appraisal's chain, so ``siklus audit verify`` proves it like any other;
but nothing the appraised employee (or their supervisor) reads may move when one arrives. The history leaves
those events out and numbers the events it lists 1, 2, 3 ... (:func:`shown_numbers`), and a printed document
carries the head of the last listed event (:func:`shown_head`), so neither a number nor a hash tells how many
answers came, or when. See docs/feedback.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from engine.models import AuditEvent

#: The SQL condition of an anonymous answer's event (as :func:`engine.feedback.is_anonymous_answer` tells one).
ANONYMOUS_ANSWER: ColumnElement[bool] = and_(AuditEvent.kind == "feedback", AuditEvent.actor_user_id.is_(None))


@dataclass(frozen=True)
class ShownHead:
    """The last event of an appraisal's chain that its history lists: its number there, its place in the
    chain and its hash (all zero and empty for a chain with none)."""

    number: int
    chain_seq: int
    hash: str


def shown_head(session: Session, appraisal_id: int) -> ShownHead:
    """The head a document printed now carries: the last event the appraisal's history lists."""
    listed = and_(AuditEvent.appraisal_id == appraisal_id, not_(ANONYMOUS_ANSWER))
    last = session.execute(select(AuditEvent.seq, AuditEvent.hash).where(listed)
                           .order_by(AuditEvent.seq.desc()).limit(1)).first()
    if last is None:
        return ShownHead(0, 0, "")
    number = session.scalar(select(func.count()).select_from(AuditEvent).where(listed)) or 0
    return ShownHead(int(number), int(last[0]), str(last[1]))


def shown_numbers(chain_seqs: list[int]) -> dict[int, int]:
    """The history's number of each listed event (by its place in the chain): 1, 2, 3 ... with no gaps."""
    return {seq: number for number, seq in enumerate(sorted(chain_seqs), start=1)}
