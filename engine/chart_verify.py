"""``siklus audit verify`` for the org chart: who works where and who supervises whom, against the system chain.

The chart decides who rates whom (the supervisor rates, the supervisor's supervisor reviews) and whose HR sees an
appraisal (its unit). Siklus changes it only by an import of the organisation (engine.orgimport) or while a
database is set up (the demos, a test's fixtures: :func:`engine.chart.seed_chart`), and each of those records in
the system chain a fingerprint of the whole chart: what it was before (``before``) and what it is after. An
``employee.supervisor_id`` rewritten in the database around them would otherwise hand someone the rating of a
stranger while every hash held.

Verification replays the fingerprints in order: an event whose ``before`` is not the previous event's ``after``
means the chart was changed outside Siklus between the two; a chart that is not the last ``after`` means it was
changed since. A fingerprint is a SHA-256 over every unit and employee row in id order, read in one pass with
bounded memory. Lives below engine.audit, which calls it while walking the system chain.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, Names, finding
from engine.models import Employee, OrgUnit, User

#: The system chain's event kinds that may carry a chart fingerprint in ``payload["chart"]``.
KINDS = frozenset({"import", "chart_seed"})
#: The events that tie a login to an employee: ``user_create`` (engine.users), and the ``links`` of a
#: ``chart_seed`` (accounts made while a database was set up); those that say whether it may sign in, and with
#: what (``sign_in``: see :func:`sign_in_digest`).
LOGIN_KINDS = frozenset({"user_create", "chart_seed", "user_activate", "user_deactivate", "password_reset"})
#: What the chain says of a login's being able to sign in (``ChartTrail.active``): nothing, yes, no.
_UNSAID, _ACTIVE, _INACTIVE = 0, 1, 2
#: Renamed logins whose recorded name is looked up to be shown (verify lists at most 100 findings anyway).
REPORTED = 100
#: Rows read and hashed per round trip.
BATCH = 5000
#: Account ids kept in the compact arrays up to this far past the others (see ChartTrail.far).
SPREAD = 1_000_000

UNIT_COLUMNS = (OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id, OrgUnit.public_slug)
EMPLOYEE_COLUMNS = (Employee.id, Employee.nip, Employee.name, Employee.position, Employee.position_level,
                    Employee.unit_id, Employee.supervisor_id, Employee.email, Employee.active)


def chart_fingerprint(session: Session) -> str:
    """The SHA-256 (hex) of every unit and employee as the session sees them: each row's values, in id order.

    Reads the two tables once each, streamed a batch at a time (bounded memory), as the driver gives the values:
    about 3 µs of CPU per employee on PostgreSQL. An empty chart has a fingerprint too."""
    digest = hashlib.sha256()
    conn = session.connection()
    streaming = {"stream_results": True, "max_row_buffer": BATCH}  # this statement's, not the connection's
    for tag, columns in (("u", UNIT_COLUMNS), ("e", EMPLOYEE_COLUMNS)):
        sql = str(select(*columns).order_by(columns[0]).compile(dialect=conn.dialect))
        for part in conn.exec_driver_sql(sql, execution_options=streaming).partitions(BATCH):
            # repr() of the driver's ints, strings, None and booleans is exact and stable: one line per row.
            digest.update("".join(f"{tag}{row!r}\n" for row in map(tuple, part)).encode())
    return digest.hexdigest()


def sign_in_digest(username: str, password_hash: str) -> str:
    """What the system chain records of how a login signs in: 16 hex digits of the SHA-256 of its user name and
    password hash. A password hash is salted, so this tells nothing of the password; a user name or password
    hash rewritten in the database (someone signing in as an HR officer with a password of their own) no longer
    matches it."""
    return hashlib.sha256(f"{username}\x00{password_hash}".encode()).hexdigest()[:16]


def name_value(name: Any) -> int:
    """What the trail keeps of a recorded display name: 63 bits of its SHA-256, never 0 (0: none recorded)."""
    if not isinstance(name, str):
        return 0
    return (int(hashlib.sha256(name.encode()).hexdigest()[:16], 16) >> 1) or 1


def _digest_value(text: Any) -> int:
    """A recorded :func:`sign_in_digest` as the trail keeps it (0: none, or not one)."""
    if isinstance(text, str) and len(text) == 16:
        try:
            return int(text, 16)
        except ValueError:
            return 0
    return 0


def recorded_display_names(session: Session, wanted: set[int]) -> dict[int, str]:
    """The display name the system chain last recorded for each account of ``wanted``: one pass over the events
    that record names, made only when verify found a login renamed."""
    from engine.audit.chain import SYSTEM_STREAM  # below engine.audit, which imports this module
    from engine.audit.writer import EVENTS

    found: dict[int, str] = {}
    rows = session.execute(select(EVENTS.c.kind, EVENTS.c.payload)
                           .where(EVENTS.c.stream == SYSTEM_STREAM, EVENTS.c.kind.in_(("user_create", "chart_seed")))
                           .order_by(EVENTS.c.seq).execution_options(yield_per=50))
    for kind, payload in rows:
        if not isinstance(payload, Mapping):
            continue
        if kind == "user_create":
            pairs: Any = [[payload.get("user_id"), payload.get("display_name")]]
        else:
            pairs = payload.get("names") or ()
        for pair in pairs:
            if isinstance(pair, list) and len(pair) == 2 and pair[0] in wanted and isinstance(pair[1], str):
                found[pair[0]] = pair[1]
    return found


def recorded_chart(payload: Any) -> tuple[str | None, str] | None:
    """(before, after) of an event's chart entry; None when it records no chart (an import before charts were
    recorded). An empty ``before`` (the first record of a database) reads as None."""
    chart = payload.get("chart") if isinstance(payload, Mapping) else None
    if not isinstance(chart, Mapping) or not isinstance(chart.get("after"), str):
        return None
    before = chart.get("before")
    return (before if isinstance(before, str) and before else None), chart["after"]


@dataclass
class ChartTrail:
    """The chart fingerprints of the system chain, replayed in order, and where they disagree."""

    last: str | None = None  # the last recorded ``after``
    last_seq: int | None = None
    findings: list[Finding] | None = None
    # account id -> the employee the chain tied it to (0: none recorded); 8 bytes an account, at any scale
    logins: array[int] = field(default_factory=lambda: array("q"))
    # account id -> whether the chain left it able to sign in (_UNSAID, _ACTIVE, _INACTIVE); a byte an account
    active: array[int] = field(default_factory=lambda: array("b"))
    # account id -> the sign_in_digest the chain last recorded for it, as a number (0: none); 8 bytes an account
    sign_in: array[int] = field(default_factory=lambda: array("Q"))
    # account id -> name_value of the display name the chain last recorded for it (0: none); 8 bytes an account
    names: array[int] = field(default_factory=lambda: array("q"))
    # (array name, account id) -> value, for ids far past the others (an id written huge before a real account
    # took the next): memory follows the accounts, not the largest id
    far: dict[tuple[str, int], int] = field(default_factory=dict)

    def _put(self, name: str, user_id: int, value: int, empty: int = 0) -> None:
        slots: array[int] = getattr(self, name)
        if user_id >= len(slots) + SPREAD:
            self.far[(name, user_id)] = value
            return
        if user_id >= len(slots):
            slots.extend([empty] * (user_id + 1 - len(slots)))
        slots[user_id] = value

    def _get(self, name: str, user_id: int, empty: int = 0) -> int:
        slots: array[int] = getattr(self, name)
        if 0 < user_id < len(slots):
            return slots[user_id]
        return self.far.get((name, user_id), empty)

    def apply(self, kind: str, seq: int, payload: Mapping[str, Any] | None, employee_id: int | None = None) -> None:
        """Take one event of the system chain: those of :data:`KINDS` that record a chart move the trail, those of
        :data:`LOGIN_KINDS` tie logins to employees."""
        if kind == "user_create" and isinstance(payload, Mapping):
            self._tie(payload.get("user_id"), employee_id)
            self._set_active(payload.get("user_id"), _ACTIVE)
            self._set_sign_in(payload.get("user_id"), payload.get("sign_in"))
            self._set_name(payload.get("user_id"), payload.get("display_name"))
        elif kind in ("user_activate", "user_deactivate") and isinstance(payload, Mapping):
            self._set_active(payload.get("user_id"), _ACTIVE if kind == "user_activate" else _INACTIVE)
        elif kind == "password_reset" and isinstance(payload, Mapping):
            self._set_sign_in(payload.get("user_id"), payload.get("sign_in"))
        elif kind == "chart_seed" and isinstance(payload, Mapping):
            for link in payload.get("links") or ():
                if isinstance(link, list) and len(link) == 2:
                    self._tie(link[0], link[1])
            # [id, active]; since sign-ins are recorded, [id, active, digest]
            for account in payload.get("active") or ():
                if isinstance(account, list) and len(account) in (2, 3):
                    self._set_active(account[0], _ACTIVE if account[1] else _INACTIVE)
                    if len(account) == 3:
                        self._set_sign_in(account[0], account[2])
            # [id, display name], since names are recorded
            for named in payload.get("names") or ():
                if isinstance(named, list) and len(named) == 2:
                    self._set_name(named[0], named[1])
        if kind not in KINDS:
            return
        recorded = recorded_chart(payload)
        if recorded is None:
            return
        before, after = recorded
        if self.last is not None and before is not None and before != self.last:
            if self.findings is None:
                self.findings = []
            self.findings.append(finding("audit.chart_between", since=self.last_seq, seq=seq))
        self.last, self.last_seq = after, seq

    def _tie(self, user_id: Any, employee_id: Any) -> None:
        if isinstance(user_id, int) and 0 < user_id < 2**62 and isinstance(employee_id, int) and employee_id > 0:
            self._put("logins", user_id, employee_id)

    def _set_active(self, user_id: Any, state: int) -> None:
        if isinstance(user_id, int) and 0 < user_id < 2**62:
            self._put("active", user_id, state, _UNSAID)

    def _set_sign_in(self, user_id: Any, digest: Any) -> None:
        """Keep the digest an event recorded for an account; an event without one (before sign-ins were recorded)
        leaves the account unjudged from then on."""
        if isinstance(user_id, int) and 0 < user_id < 2**62:
            value = _digest_value(digest)
            if value or self._get("sign_in", user_id):
                self._put("sign_in", user_id, value)

    def _set_name(self, user_id: Any, name: Any) -> None:
        """Keep the display name an event recorded for an account; none recorded (an event of an earlier version)
        leaves the account unjudged by name."""
        if isinstance(user_id, int) and 0 < user_id < 2**62:
            self._put("names", user_id, name_value(name))

    def login_differences(self, session: Session) -> Iterator[Finding]:
        """Each login tied to an employee the system chain did not tie it to (a login rewritten in the database
        acts as somebody else: rates their staff, reads their appraisals), each the chain tied that is no
        longer, each able to sign in when the chain deactivated it (or the reverse), and each signing in with a user
        name or password hash other than the chain recorded, or shown by a display name other than the one it
        recorded. One pass over the accounts."""
        conn = session.connection()
        sql = str(select(User.id, User.username, User.employee_id, User.is_active, User.password_hash,
                         User.display_name).order_by(User.id).compile(dialect=conn.dialect))
        rows = conn.exec_driver_sql(sql, execution_options={"stream_results": True, "max_row_buffer": BATCH})
        ties: list[tuple[int, str, int | None, int]] = []  # logins tied otherwise than the chain recorded
        renamed: list[tuple[int, str, str]] = []  # logins shown by a name the chain did not record
        for user_id, username, employee_id, is_active, password_hash, display_name in rows:
            named = self._get("names", user_id)
            if named and name_value(display_name or "") != named:
                renamed.append((user_id, username, display_name or ""))
            digest = self._get("sign_in", user_id)
            if digest and _digest_value(sign_in_digest(username, password_hash or "")) != digest:
                yield finding("audit.login_sign_in", user=username, id=user_id)
            said = self._get("active", user_id, _UNSAID)
            if said != _UNSAID and bool(is_active) != (said == _ACTIVE):
                yield finding("audit.login_active" if is_active else "audit.login_inactive", user=username,
                              id=user_id)
            recorded = self._get("logins", user_id)
            if (employee_id or 0) != recorded:
                ties.append((user_id, username, employee_id, recorded))
        # The employees by name once the accounts are read (not while their rows stream on the connection).
        names = Names(session)
        if renamed:
            recorded_names = recorded_display_names(session, {user_id for user_id, _, _ in renamed[:REPORTED]})
            for user_id, username, shown in renamed:
                yield finding("audit.login_name", user=username, id=user_id, name=shown,
                              recorded=recorded_names.get(user_id, "?"))

        def person(employee_id: int) -> str:
            return names.employee(employee_id) or f"#{employee_id}"

        for user_id, username, employee_id, recorded in ties:
            if employee_id is None:
                yield finding("audit.login_untied", user=username, id=user_id, recorded=person(recorded))
            elif recorded == 0:
                yield finding("audit.login_unchained", user=username, id=user_id, employee=person(employee_id))
            else:
                yield finding("audit.login_differs", user=username, id=user_id, employee=person(employee_id),
                              recorded=person(recorded))

    def differences(self, session: Session) -> list[Finding]:
        """The trail's disagreements, then whether the chart in the database is the last one recorded."""
        problems = list(self.findings or [])
        if self.last is None:
            if session.execute(select(Employee.id).limit(1)).first() is not None:
                problems.append(finding("audit.chart_unrecorded"))
            return problems
        if chart_fingerprint(session) != self.last:
            problems.append(finding("audit.chart_differs", seq=self.last_seq))
        return problems


__all__ = ["KINDS", "LOGIN_KINDS", "ChartTrail", "chart_fingerprint", "name_value", "recorded_chart",
           "recorded_display_names", "sign_in_digest"]
