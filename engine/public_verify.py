"""``siklus audit verify`` for the public survey: each answer against the system chain's ``public_answer`` events.

The public's answers about a service unit (engine.public_feedback) make the unit's IKM, which several cycles read
into their employees' results (``unit.ikm``, and the public's scores in a 360). Nobody signs in to answer, so no
person's chain holds them: an answer inserted, rewritten, moved to another unit or period, or deleted in the
database moved those results while every hash held. Each answer stored through Siklus is now one event in the
system chain, filed under its unit, carrying the answer's id and a seal: 16 hex digits of the SHA-256 of its
respondent key (a keyed hash only the server can make, so a seal cannot be fitted to guessed answers), unit,
moment (to the second), scores, complaint and profile. The event says nothing of what was answered.

Where recording began is itself recorded: the first event that records the org chart (an import, or a setup
script's chart seed, engine.chart) carries a *mark* (``payload["public"]``): the highest answer id there was then
(``below``), and how many answers up to it no event recorded (``count``) with a digest of their seals (``seal``).
Units and so answers exist only after such an event, so in a database set up by this release the mark says 0 and
every answer is judged; in an older one the answers from before are proved as a whole by the digest.

Verification keeps the seals by answer id (8 bytes per answer id, whichever kind of answer holds it), then reads
every public answer once: one whose seal differs, one above the mark without an event, and one recorded that is
gone are counted and named per unit; the unrecorded answers up to the mark must still be those it counted. In a
database with no mark yet (none of its chart events is from this release), answers below the first recorded one
are not judged. Lives below engine.audit, which calls it while walking the system chain.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.ikm_survey import ROLE, WINDOW
from engine.models import AuditEvent, FeedbackResponse, OrgUnit
from engine.moments import to_second

#: The system chain's event of one public answer stored.
EVENT_KIND = "public_answer"
#: The key of the mark of where recording began, in the payload of a chart event (engine.chart).
MARK = "public"
#: The system chain's stream name (engine.audit.chain.SYSTEM_STREAM; engine.audit lies above this module).
SYSTEM = "system"
#: Rows read per round trip.
BATCH = 5000
#: Answer ids kept in the compact array up to this far past the recorded ones; a recorded id further out (a row
#: written with a huge id before a real answer took the next) is kept aside, so memory follows the answers.
SPREAD = 1_000_000


def public_seal(respondent_key: str | None, unit_id: int | None, created_at: datetime | str | None,
                answers: Mapping[str, Any] | None, comment: str | None, profile: Mapping[str, Any] | None,
                window: str | None = WINDOW, role: str | None = ROLE) -> str:
    """The seal of one stored public answer (see the module's text). Its window and role are sealed too: only
    answers of the survey's window and role make the IKM, and a unit's answers of another window count in its
    people's 360."""
    said = json.dumps([dict(answers or {}), comment or "", dict(profile or {})], sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False, default=str)
    text = "\x00".join((respondent_key or "", str(unit_id), to_second(created_at) or "", said, window or "",
                        role or ""))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _value(seal: Any) -> int:
    if isinstance(seal, str) and len(seal) == 16:
        try:
            return int(seal, 16) or 1  # 0 marks "none recorded"
        except ValueError:
            return 0
    return 0


@dataclass
class PublicAnswers:
    """The public answers the system chain recorded: answer id -> its seal as a number (0: none)."""

    seals: array[int] = field(default_factory=lambda: array("Q"))
    aside: dict[int, int] = field(default_factory=dict)  # recorded ids far past the others (see SPREAD)
    first: int | None = None  # the lowest answer id recorded: answers below it were given before recording
    recorded: int = 0
    floor: int | None = None  # the first mark's ``below``: answers above it must all be recorded
    then: tuple[int, str] = (0, "")  # the first mark's ``count`` and ``seal``
    units: frozenset[int] | None = None  # only these units' answers (an HR officer's check of their units)

    def mark(self, payload: Mapping[str, Any] | None) -> None:
        """Take the mark of a chart event's payload, if it carries one and is the first to (see the module)."""
        entry = payload.get(MARK) if isinstance(payload, Mapping) else None
        if self.floor is not None or not isinstance(entry, Mapping):
            return
        below, count, seal = entry.get("below"), entry.get("count"), entry.get("seal")
        if (isinstance(below, int) and not isinstance(below, bool) and below >= 0 and isinstance(count, int)
                and isinstance(seal, str)):
            self.floor, self.then = below, (count, seal)

    def apply(self, payload: Mapping[str, Any] | None) -> None:
        """Take one ``public_answer`` event."""
        answer = payload.get("response") if isinstance(payload, Mapping) else None
        value = _value(payload.get("seal")) if isinstance(payload, Mapping) else 0
        if not isinstance(answer, int) or not 0 < answer < 2**62 or not value:
            return
        if self.units is not None and (payload.get("unit") if isinstance(payload, Mapping) else None) not in self.units:
            return
        self.recorded += 1
        if answer >= len(self.seals) + SPREAD + self.recorded:
            self.aside[answer] = value
        else:
            if answer >= len(self.seals):
                self.seals.extend([0] * (answer + 1 - len(self.seals)))
            self.seals[answer] = value
        self.first = answer if self.first is None else min(self.first, answer)

    def _take(self, answer: int) -> int:
        """The seal recorded for an answer id, cleared (0: none)."""
        if 0 < answer < len(self.seals):
            value = self.seals[answer]
            self.seals[answer] = 0
            return value
        return self.aside.pop(answer, 0)

    def differences(self, session: Session) -> Iterator[Finding]:
        """Per unit, the answers whose seal differs and those given since recording began without an event; then
        the unrecorded answers up to the mark that are not those it counted, and the recorded answers that are gone.
        One pass over the public answers (it clears the seals it meets). With :attr:`units`, only those units' answers
        and the answers recorded under them; the answers from before the mark are proved as a whole, so only by a
        check of every unit."""
        altered: Counter[int | None] = Counter()
        unrecorded: Counter[int | None] = Counter()
        seals, floor = self.seals, self.floor
        before = _Before()
        for answer, unit_id, row in _answer_rows(session, units=self.units):
            recorded = self._take(answer)
            if recorded:
                if _value(_row_seal(row)) != recorded:
                    altered[unit_id] += 1
            elif answer <= 0:
                # No answer Siklus stores has an id of 0 or below.
                unrecorded[unit_id] += 1
            elif floor is not None:
                if answer > floor:
                    unrecorded[unit_id] += 1
                else:
                    before.add(answer, row)
            elif self.first is not None and answer > self.first:
                unrecorded[unit_id] += 1
        codes = _codes(session, {*altered, *unrecorded})
        for unit_id, count in sorted(altered.items(), key=lambda item: item[0] or 0):
            yield finding("audit.public_altered", unit=codes.get(unit_id, f"#{unit_id}"), count=count)
        for unit_id, count in sorted(unrecorded.items(), key=lambda item: item[0] or 0):
            yield finding("audit.public_unrecorded", unit=codes.get(unit_id, f"#{unit_id}"), count=count)
        if floor is not None and self.units is None and before.value() != self.then:
            yield finding("audit.public_before_differs", below=floor, count=before.count, then=self.then[0])
        gone = sorted([answer for answer, seal in enumerate(seals) if seal] + list(self.aside))
        if gone and self.units is not None:
            # Not among the units' answers: moved to another unit (its seal names the unit), or deleted.
            moved = _existing(session, gone)
            if moved:
                yield finding("audit.public_moved", count=len(moved), first=moved[0])
            gone = [answer for answer in gone if answer not in set(moved)]
        if gone:
            yield finding("audit.public_gone", count=len(gone), first=gone[0])


class _Before:
    """The digest of the unrecorded answers up to a mark: each one's id and seal, in id order."""

    def __init__(self) -> None:
        self.count = 0
        self._digest = hashlib.sha256()

    def add(self, answer: int, row: tuple[Any, ...]) -> None:
        self.count += 1
        self._digest.update(f"{answer}:{_row_seal(row)}\n".encode())

    def value(self) -> tuple[int, str]:
        return self.count, self._digest.hexdigest()[:32]


def _answer_rows(session: Session, upto: int | None = None, units: frozenset[int] | None = None,
                 ) -> Iterator[tuple[int, int | None, tuple[Any, ...]]]:
    """(id, unit, the row as :func:`_row_seal` takes it) of every public answer (up to ``upto``; of ``units``), in id
    order, streamed as the driver gives them."""
    conn = session.connection()
    stmt = (select(FeedbackResponse.id, FeedbackResponse.unit_id, FeedbackResponse.respondent_key,
                   FeedbackResponse.created_at, FeedbackResponse.answers, FeedbackResponse.comment,
                   FeedbackResponse.profile, FeedbackResponse.window, FeedbackResponse.role)
            .where(FeedbackResponse.appraisal_id.is_(None)).order_by(FeedbackResponse.id))
    if upto is not None:
        stmt = stmt.where(FeedbackResponse.id <= upto)
    if units is not None:
        stmt = stmt.where(FeedbackResponse.unit_id.in_(sorted(units)))
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    rows = conn.exec_driver_sql(sql, execution_options={"stream_results": True, "max_row_buffer": BATCH})
    for row in rows:
        yield row[0], row[1], tuple(row[1:])


def _row_seal(row: tuple[Any, ...]) -> str:
    unit_id, key, created_at, answers, comment, profile, window, role = row
    return public_seal(key, unit_id, created_at, _json(answers), comment, _json(profile), window, role)


def recording_mark(session: Session) -> dict[str, Any]:
    """The mark of where recording begins (see the module), as the first chart event records it: the highest public
    answer id now, and the count and digest of the answers up to it that no ``public_answer`` event recorded. Reads
    every public answer and every such event once; a chart event records it only while none has."""
    recorded: set[int] = set()
    events = session.execute(select(AuditEvent.payload).where(AuditEvent.stream == SYSTEM,
                                                               AuditEvent.kind == EVENT_KIND)
                             .execution_options(yield_per=BATCH))
    for (payload,) in events:
        answer = payload.get("response") if isinstance(payload, Mapping) else None
        if isinstance(answer, int):
            recorded.add(answer)
    below = session.scalar(select(func.max(FeedbackResponse.id)).where(FeedbackResponse.appraisal_id.is_(None))) or 0
    before = _Before()
    for answer, _unit, row in _answer_rows(session, below):
        if answer > 0 and answer not in recorded:
            before.add(answer, row)
    count, seal = before.value()
    return {"below": max(below, 0), "count": count, "seal": seal}


def _existing(session: Session, ids: list[int]) -> list[int]:
    """Those of ``ids`` that are still public answers, in order."""
    found: list[int] = []
    for start in range(0, len(ids), BATCH):
        found.extend(session.scalars(select(FeedbackResponse.id).where(
            FeedbackResponse.id.in_(ids[start:start + BATCH]), FeedbackResponse.appraisal_id.is_(None))))
    return sorted(found)


def _json(value: Any) -> Any:
    """A JSON column's value as the driver gave it (PostgreSQL: decoded; SQLite: text)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _codes(session: Session, unit_ids: set[int | None]) -> dict[int | None, str]:
    wanted = sorted(u for u in unit_ids if u is not None)
    if not wanted:
        return {}
    return {uid: code for uid, code in session.execute(select(OrgUnit.id, OrgUnit.code).where(OrgUnit.id.in_(wanted)))}


__all__ = ["EVENT_KIND", "MARK", "PublicAnswers", "public_seal", "recording_mark"]
