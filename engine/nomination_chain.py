"""What the audit chain proves of 360 nominations: each nomination row replays from its appraisal's events.

An approved ``feedback_nomination`` lets the nominee answer the appraisal's feedback as a respondent of a
``nominated`` role (:class:`engine.resolvers.NominatedResolver`): a row inserted or approved in the database
around :mod:`engine.nominations` gave someone a say in a colleague's score while every hash held. Each
proposal and each decision is a ``nomination`` event in the appraisal's chain, naming the nomination by id; replay
builds the rows they leave, and ``siklus audit verify`` names a row added, removed or changed behind the chain's
back: its role, nominee, status, and who proposed and decided it when (each its event's actor and moment, to the
second). The nominee, the proposer and the decider are compared by id and named by name and NIP (their logins by
name where they are no employee's). Like :mod:`engine.checkpoints.chain`, this module imports no part of the
engine's audit code (replay imports it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, Names, finding
from engine.checkpoints.chain import ExtraRows
from engine.citizen_models import PROPOSED, FeedbackNomination
from engine.messages import Label, Message
from engine.moments import to_second

#: The audit event kind of every proposal and decision (engine.nominations).
EVENT_KIND = "nomination"
#: How verify names the rows (``360 respondent nomination #4 ...``).
WHAT = "nomination"
#: The fields of a nomination the chain proves.
FIELDS = ("role", "nominee_id", "status", "proposed_by_id", "proposed_at", "decided_by_id", "decided_at")


class _Replayed(Protocol):
    extra: dict[str, list[dict[str, Any]]]
    problems: list[Finding]


class _Context(Protocol):
    session: Session


class Person(str):
    """The employee or login a nomination names, as its row holds it: the text of its id wherever the row is
    compared, kept or digested (so a name is read only when a problem shows it, and a renamed person changes no
    digest), and its name where a problem writes it (``str()``, or a ``'{}'`` format as verify's value is).
    Equal by id."""

    id: Any
    _name: Callable[[Any], str | None]

    def __new__(cls, id: Any, name: Callable[[Any], str | None]) -> Person:
        person = super().__new__(cls, str(id))
        person.id, person._name = id, name
        return person

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Person) and other.id == self.id

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.id)

    def __str__(self) -> str:
        return self._name(self.id) or f"#{self.id}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _people(names: Names, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its nominee, proposer and decider as :class:`Person` values (an empty one stays None)."""
    for key, name in (("nominee_id", names.employee), ("proposed_by_id", names.user), ("decided_by_id", names.user)):
        if row.get(key) is not None:
            row[key] = Person(row[key], name)
    return row


class _Event(Protocol):
    seq: int
    payload: dict[str, Any]
    actor_user_id: int | None
    occurred_at: datetime | str


def apply_nomination(replayed: _Replayed, event: _Event, context: _Context) -> None:
    """A proposal adds the nomination the event describes; a decision settles the one it names (a decision on
    a nomination the chain never proposed is named)."""
    payload = event.payload or {}
    rows = replayed.extra.setdefault(WHAT, [])
    number = payload.get("nomination")
    names = Names(context.session)
    if payload.get("status") == PROPOSED:
        rows.append(_people(names, {
            "_id": number, "role": payload.get("role"), "nominee_id": payload.get("nominee_id"), "status": PROPOSED,
            "proposed_by_id": event.actor_user_id, "proposed_at": to_second(event.occurred_at),
            "decided_by_id": None, "decided_at": None}))
        return
    known = next((row for row in rows if number is not None and row["_id"] == number), None)
    if known is None:
        replayed.problems.append(finding("audit.replay_nomination", seq=event.seq, nomination=number))
        return
    known.update(_people(names, {"status": payload.get("status"), "decided_by_id": event.actor_user_id,
                                 "decided_at": to_second(event.occurred_at)}))


def read_rows(session: Session, within: Callable[[Any], Any]) -> dict[int, list[tuple[int, dict[str, Any]]]]:
    """The stored nominations of the appraisals ``within`` selects, in the order they were proposed."""
    out: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    names = Names(session)
    rows = session.execute(select(FeedbackNomination.id, FeedbackNomination.appraisal_id, FeedbackNomination.role,
                                  FeedbackNomination.nominee_id, FeedbackNomination.status,
                                  FeedbackNomination.proposed_by_id, FeedbackNomination.proposed_at,
                                  FeedbackNomination.decided_by_id, FeedbackNomination.decided_at)
                           .where(within(FeedbackNomination.appraisal_id)).order_by(FeedbackNomination.id))
    for r in rows:
        out.setdefault(r.appraisal_id, []).append(
            (r.id, _people(names, {"_id": r.id, "role": r.role, "nominee_id": r.nominee_id, "status": r.status,
                                   "proposed_by_id": r.proposed_by_id, "proposed_at": to_second(r.proposed_at),
                                   "decided_by_id": r.decided_by_id, "decided_at": to_second(r.decided_at)})))
    return out


def row_name(row_id: int | None, row: dict[str, Any]) -> Message:
    """A nomination as a verification problem names it (with its id, or as the chain recorded it): whom it
    nominates as what, who proposed it and who decided it."""
    number = row_id if row_id is not None else row.get("_id")
    people = {"nominee": _who(row.get("nominee_id")), "proposer": _who(row.get("proposed_by_id"))}
    role = row.get("role")
    role = role if isinstance(role, Label) else str(role)  # by its cycle label where verify gives it
    if row.get("decided_by_id") is None:
        return Message("audit.nomination_row_open", id=str(number), role=role, **people)
    return Message("audit.nomination_row", id=str(number), role=role,
                   decider=_who(row.get("decided_by_id")), **people)


def _who(value: Any) -> Message | str:
    return Message("access.nobody") if value is None else str(value)


ROWS = ExtraRows(FIELDS, read_rows, row_name, "audit.nomination_field.")
