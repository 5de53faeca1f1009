"""``siklus audit verify`` for the public survey: each answer against the system chain's ``public_answer`` events.

The public's answers about a service unit (engine.public_feedback) make the unit's IKM, which several cycles read
into their employees' results (``unit.ikm``, and the public's scores in a 360). Nobody signs in to answer, so no
person's chain holds them: an answer inserted, rewritten, moved to another unit or period, or deleted in the
database moved those results while every hash held. Each answer stored through Siklus is now one event in the
system chain, filed under its unit, carrying the answer's id and a seal: 16 hex digits of the SHA-256 of its
respondent key (a keyed hash only the server can make, so a seal cannot be fitted to guessed answers), unit,
moment (to the second), scores, complaint and profile. The event says nothing of what was answered.

Verification keeps the seals by answer id (8 bytes per answer id, whichever kind of answer holds it), then reads
every public answer once: one whose seal differs, one given since answers were recorded without an event, and one
recorded that is gone are counted and named per unit. Answers given before answers were recorded (ids below the
first recorded one) are not judged. Lives below engine.audit, which calls it while walking the system chain.
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

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.ikm_survey import ROLE, WINDOW
from engine.models import FeedbackResponse, OrgUnit
from engine.moments import to_second

#: The system chain's event of one public answer stored.
EVENT_KIND = "public_answer"
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

    def apply(self, payload: Mapping[str, Any] | None) -> None:
        """Take one ``public_answer`` event."""
        answer = payload.get("response") if isinstance(payload, Mapping) else None
        value = _value(payload.get("seal")) if isinstance(payload, Mapping) else 0
        if not isinstance(answer, int) or not 0 < answer < 2**62 or not value:
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
        the recorded answers that are gone. One pass over the public answers (it clears the seals it meets)."""
        altered: Counter[int | None] = Counter()
        unrecorded: Counter[int | None] = Counter()
        seals = self.seals
        conn = session.connection()
        sql = str(select(FeedbackResponse.id, FeedbackResponse.unit_id, FeedbackResponse.respondent_key,
                         FeedbackResponse.created_at, FeedbackResponse.answers, FeedbackResponse.comment,
                         FeedbackResponse.profile, FeedbackResponse.window, FeedbackResponse.role)
                  .where(FeedbackResponse.appraisal_id.is_(None)).order_by(FeedbackResponse.id)
                  .compile(dialect=conn.dialect))
        rows = conn.exec_driver_sql(sql, execution_options={"stream_results": True, "max_row_buffer": BATCH})
        for answer, unit_id, key, created_at, answers, comment, profile, window, role in rows:
            recorded = self._take(answer)
            if recorded:
                answers, profile = _json(answers), _json(profile)
                if _value(public_seal(key, unit_id, created_at, answers, comment, profile, window, role)) != recorded:
                    altered[unit_id] += 1
            elif answer <= 0 or (self.first is not None and answer > self.first):
                # No answer Siklus stores has an id of 0 or below.
                unrecorded[unit_id] += 1
        codes = _codes(session, {*altered, *unrecorded})
        for unit_id, count in sorted(altered.items(), key=lambda item: item[0] or 0):
            yield finding("audit.public_altered", unit=codes.get(unit_id, f"#{unit_id}"), count=count)
        for unit_id, count in sorted(unrecorded.items(), key=lambda item: item[0] or 0):
            yield finding("audit.public_unrecorded", unit=codes.get(unit_id, f"#{unit_id}"), count=count)
        gone = sorted([answer for answer, seal in enumerate(seals) if seal] + list(self.aside))
        if gone:
            yield finding("audit.public_gone", count=len(gone), first=gone[0])


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


__all__ = ["EVENT_KIND", "PublicAnswers", "public_seal"]
