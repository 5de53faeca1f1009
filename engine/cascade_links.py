"""Checking the cascade's links: a subordinate's IKI supports one of their leader's IKI, by id.

:func:`check_links` refuses a new or changed link the cascade does not allow (someone who is not the
employee's supervisor, another period, a loop); :func:`check_removals` refuses to remove an IKI that
subordinates support. The SKP's edits (:mod:`engine.appraisals`) call both inside their unit of work,
so a refused link leaves nothing half-written. What the links mean is read in :mod:`engine.cascade`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from engine.errors import InvalidInput
from engine.messages import Label, Message
from engine.models import Appraisal, Employee, Indicator


def _refuse(indicator: Label, code: str, english: str, **params: Any) -> InvalidInput:
    """A refused link, naming the IKI by its text (its key for logs)."""
    return InvalidInput(f"IKI '{indicator.key}': {english}", indicators=[indicator.key],
                        msg=Message(code, indicator=indicator, **params))


def _iki(key: str, label: Any) -> Label:
    text = str(label or "").strip()
    return Label(key, {"id": f"IKI «{text}»", "en": f"IKI «{text}»"} if text else None)


def check_links(session: Session, appraisal: Appraisal, before: Mapping[str, Indicator],
                items: Sequence[Mapping[str, Any]]) -> None:
    """Refuse a new or changed link (``parent_id``) that the cascade does not allow.

    ``before`` holds the SKP's rows as they are, by key. The supported IKI must exist, belong to an open
    appraisal of the employee's supervisor in the same period, and not lead back to this SKP (a loop).
    A link kept as it was stays, even if the org chart moved since (the leader at the time it was made).
    """
    own = {row.id for row in before.values()}
    boss = appraisal.employee.supervisor_id
    for item in items:
        parent, key = item.get("parent_id"), str(item.get("key"))
        iki = _iki(key, item.get("label"))
        kept = before.get(key)
        if parent is None or (kept is not None and parent == kept.parent_id):
            continue
        if not isinstance(parent, int) or isinstance(parent, bool):
            raise _refuse(iki, "cascade.parent_unknown", "the leader's RHK it supports is not known")
        row = session.execute(
            select(Appraisal.id, Appraisal.employee_id, Appraisal.period, Appraisal.closed_at)
            .join(Indicator, Indicator.appraisal_id == Appraisal.id).where(Indicator.id == parent)).first()
        if row is None:
            raise _refuse(iki, "cascade.parent_missing", f"the leader's RHK #{parent} does not exist",
                          parent=str(parent))
        if row.id == appraisal.id:
            raise _refuse(iki, "cascade.loop", "this link makes a loop (an RHK that supports itself)")
        if boss is None or row.employee_id != boss:
            raise _refuse(iki, "cascade.not_rater", "the RHK supported must be the rater's (the direct supervisor)")
        if row.period != appraisal.period or row.closed_at is not None:
            raise _refuse(iki, "cascade.period", f"that leader's RHK is of period {row.period} or of a closed "
                          f"appraisal; choose one of period {appraisal.period}", period=row.period,
                          wanted=appraisal.period)
        if _ancestors(session, parent) & own:
            raise _refuse(iki, "cascade.loop", "this link makes a loop (an RHK that supports itself)")


def check_removals(session: Session, removed: Sequence[Indicator]) -> None:
    """Refuse to remove an IKI that subordinate IKI support: their link would be lost without a trace
    in their own audit chain. Unlink (or re-link) them first."""
    if not removed:
        return
    by_id = {i.id: i for i in removed}
    rows: list[tuple[int, str]] = [(int(parent or 0), name) for parent, name in session.execute(
        select(Indicator.parent_id, Employee.name).join(Appraisal, Appraisal.id == Indicator.appraisal_id)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .where(Indicator.parent_id.in_(sorted(by_id))).order_by(Employee.name))]
    if rows:
        row = by_id[rows[0][0]]
        names = ", ".join(dict.fromkeys(name for _p, name in rows))
        raise _refuse(_iki(row.key, row.label), "cascade.removal", f"cannot be removed: subordinate RHK ({names}) "
                      "support it", names=names)


def _ancestors(session: Session, indicator_id: int) -> set[int]:
    """The IKI the given one supports, and what that one supports, up the cascade (one recursive query)."""
    up = select(Indicator.id, Indicator.parent_id).where(Indicator.id == indicator_id).cte("supported", recursive=True)
    above = aliased(Indicator)
    up = up.union(select(above.id, above.parent_id).join(up, above.id == up.c.parent_id))
    return set(session.scalars(select(up.c.id))) - {indicator_id}


__all__ = ["check_links", "check_removals"]
