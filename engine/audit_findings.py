"""A problem verification found: its English sentence, and the message it is said in for a person.

Verification reports problems as :class:`Finding` values. A finding *is* its English sentence (a
``str``: logs, scripts and the exit output of ``siklus audit verify`` read it as before) and carries
its :class:`~engine.messages.Message`, which the HR audit screen and the CLI's ``--lang id`` render in
Bahasa Indonesia. Findings travel from worker processes to the coordinator by pickle like strings.

A finding names people and units as the screens do (:class:`Names`), and gives a moment as a moment
(:func:`moment`), which the screens show in the agency's time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.messages import Label, Message
from engine.models import Employee, OrgUnit, User


class Finding(str):
    """A problem's English sentence, with the :class:`Message` it renders from (``message``)."""

    message: Message


def finding(code: str, /, **params: Any) -> Finding:
    """The finding of message ``code``; a parameter that is not a message, a label or a text is written as ``str()``
    writes it (ids and counts stay plain: no thousands separators in an event number)."""
    shown = {name: value if isinstance(value, (Message, Label, str)) else str(value) for name, value in params.items()}
    message = Message(code, **shown)
    out = Finding(message.english())
    out.message = message
    return out


def said_of(label: Message | str, problem: str) -> Finding:
    """``problem`` (a finding, or a plain sentence) said of ``label``: ``appraisal #5: ...``."""
    return finding("audit.of", label=label, problem=message_of(problem))


def message_of(problem: str) -> Message | str:
    """The message a finding renders from, or the plain text of a sentence that has none."""
    message = getattr(problem, "message", None)
    return message if isinstance(message, Message) else str(problem)


def stream_label(stream: str) -> Message:
    """A stream as a problem names it: ``appraisal #5``, ``the system chain``."""
    if stream.startswith("appraisal:"):
        return Message("audit.stream_appraisal", id=stream.split(":", 1)[1])
    if stream == "system":
        return Message("audit.system_chain")
    return Message("audit.stream_other", stream=stream)


def appraisal_label(appraisal_id: int) -> Message:
    """An appraisal as a problem names it."""
    return Message("audit.stream_appraisal", id=str(appraisal_id))


def moment(value: datetime | None) -> Message:
    """A moment as a finding gives it: in the agency's time where a person reads it, in UTC ISO in the log."""
    if value is None:
        return Message("audit.no_moment")
    return Message("audit.moment", at=value if value.tzinfo is not None else value.replace(tzinfo=UTC))


_LOGINS = (select(User.id, User.username, User.display_name, Employee.name, Employee.nip)
           .outerjoin(Employee, Employee.id == User.employee_id))


def _login(row: Any) -> str:
    return (f"{row.name} (NIP {row.nip})" if row.nip is not None
            else f"{row.display_name} ({row.username})" if row.display_name and row.display_name != row.username
            else str(row.username))


class Names:
    """Employees, logins and units as a finding names them, each read from ``session`` once and only when a
    finding names it: an employee by name and NIP, a login as its employee or by its display and user name, a
    unit by name and code; None where there is no such row."""

    def __init__(self, session: Session, accounts: Any = None) -> None:
        """``accounts``: a clause on ``User.id`` selecting every login a batch's findings may name; the first
        login named reads them all in one query (one per batch, not one per finding)."""
        self._session = session
        self._employees: dict[Any, str | None] = {}
        self._users: dict[Any, str | None] = {}
        self._units: dict[Any, str | None] = {}
        self._accounts = accounts

    def employee(self, employee_id: Any) -> str | None:
        """``Ani Lestari (NIP 198001012005012001)``."""
        if employee_id not in self._employees:
            row = self._session.execute(select(Employee.name, Employee.nip)
                                        .where(Employee.id == employee_id)).first() \
                if isinstance(employee_id, int) else None
            self._employees[employee_id] = f"{row.name} (NIP {row.nip})" if row is not None else None
        return self._employees[employee_id]

    def user(self, user_id: Any) -> str | None:
        """A login that is an employee's as the employee; another by its display name and user name
        (``Pengelola Kinerja (hr)``)."""
        if user_id not in self._users and isinstance(user_id, int) and self._accounts is not None:
            accounts, self._accounts = self._accounts, None
            for row in self._session.execute(_LOGINS.where(accounts)):
                self._users[row.id] = _login(row)
        if user_id not in self._users:
            login = self._session.execute(_LOGINS.where(User.id == user_id)).first() \
                if isinstance(user_id, int) else None
            self._users[user_id] = _login(login) if login is not None else None
        return self._users[user_id]

    def unit(self, unit_id: Any) -> str | None:
        """``Bidang Pelayanan (BIDANG)``."""
        if unit_id not in self._units:
            row = self._session.execute(select(OrgUnit.name, OrgUnit.code).where(OrgUnit.id == unit_id)).first() \
                if isinstance(unit_id, int) else None
            self._units[unit_id] = f"{row.name} ({row.code})" if row is not None else None
        return self._units[unit_id]


__all__ = ["Finding", "Names", "appraisal_label", "finding", "message_of", "moment", "said_of", "stream_label"]
