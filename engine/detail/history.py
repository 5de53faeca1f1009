"""The history section: the appraisal's audit events with the labels a person reads them by."""

from __future__ import annotations

from sqlalchemy import select

from engine.audit.shown import shown_numbers
from engine.detail.model import HistoryEntry
from engine.detail.reading import Reading
from engine.feedback import is_anonymous_answer
from engine.models import AuditEvent, User
from engine.permissions import SYSTEM_ROLE


def history(reading: Reading) -> tuple[HistoryEntry, ...]:
    """The appraisal's audit events in order: who as which role, which transition, from and to which state.

    An anonymous feedback answer is never listed: its time beside the aggregate would point at its respondent.
    The listed events are numbered 1, 2, 3 ... (:func:`engine.audit.shown.shown_numbers`), not by their place in
    the chain, so the numbering has no gap where an anonymous answer came.
    """
    session, defn = reading.session, reading.defn
    events = [e for e in session.scalars(
        select(AuditEvent).where(AuditEvent.appraisal_id == reading.appraisal.id).order_by(AuditEvent.seq))
        if not is_anonymous_answer(e)]
    labels = {t.trigger: t.label for t in defn.transitions}
    user_ids = {e.actor_user_id for e in events if e.actor_user_id is not None}
    names: dict[int, str | None] = {}
    if user_ids:
        names = {uid: name for uid, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids)))}
    numbers = shown_numbers([e.seq for e in events])
    out = []
    for e in events:
        role = defn.roles.get(e.role or "")
        out.append(HistoryEntry(
            seq=numbers[e.seq], occurred_at=e.occurred_at, kind=e.kind, trigger=e.trigger, actor_name=e.actor_name,
            shown_name=names.get(e.actor_user_id or 0) or e.actor_name,
            by_system=e.actor_user_id is None and e.role == SYSTEM_ROLE,
            role=e.role, role_label=role.label if role else None,
            transition_label=labels.get(e.trigger or ""), from_state=e.from_state, to_state=e.to_state,
            payload=dict(e.payload or {}), actor_user_id=e.actor_user_id))
    return tuple(out)
