"""``siklus simulate`` and the demo fill in checkpoints as people would, and say what could never be recorded.

While an appraisal walked by the simulator is in a state that takes checkpoint entries, every
checkpoint of the run that has begun gets its realisations, report, self-assessment, responses and
periodic rating from the first holder of each role the cycle names, dated inside the checkpoint's
window and never before the step already at the head of the appraisal's history (so the history reads in
order), through the same services as the screens. What the engine refuses is kept; a kind of entry a
series declares that was never taken anywhere on the walk becomes a finding, with the engine's reasons
(a role nobody holds in those states, a rating form the payload schema cannot satisfy...), as does a
series whose states the cycle never reaches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.checkpoints import service
from engine.checkpoints.periods import Checkpoint, checkpoints_of
from engine.definition import CheckpointDef, CycleDefinition
from engine.errors import Conflict, Forbidden, SiklusError
from engine.messages import Bilingual, Message
from engine.models import Appraisal, AuditEvent, Indicator
from engine.notification_texts import plain_text
from engine.permissions import Actor
from engine.provenance import system_source

Holders = Callable[[str], list[Actor]]
#: What a walk could record per series: kind -> the engine's refusals (empty once taken).
KINDS = ("realisation", "report", "self_assessment", "feedback", "rating")


@dataclass
class CheckpointWalk:
    """What the walks recorded of each series' checkpoints, and why an entry was refused."""

    taken: set[tuple[str, str]] = field(default_factory=set)  # (series, kind)
    refused: dict[tuple[str, str], set[Bilingual]] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)  # series whose states a walk was in

    def note(self, series: str, kind: str, refusal: Bilingual | None) -> None:
        if refusal is None:
            self.taken.add((series, kind))
        else:
            self.refused.setdefault((series, kind), set()).add(refusal)


def declared(series: CheckpointDef) -> list[str]:
    """The kinds of entry a series takes."""
    roles = {"report": series.report_roles, "self_assessment": series.self_assessment_roles,
             "feedback": series.feedback_roles, "rating": series.rating_roles}
    return (["realisation"] if series.realisation else []) + [k for k in KINDS[1:] if roles[k]]


def _moment(checkpoint: Checkpoint, kind: str, entered: datetime, now: datetime, since: datetime) -> datetime | None:
    """When the entry is made: inside the checkpoint's window, after the appraisal entered its state, not before
    ``since`` (the moment of the latest step in its history) and not after ``now`` (the moment of the step it is
    filled for, which comes after it): either way round, the history would read as made out of order. None when
    no moment is all of these."""
    closes = checkpoint.report_closes if kind in service.EMPLOYEE_SIDE else checkpoint.rating_closes
    moment = min(max(checkpoint.start, entered) + timedelta(hours=1), now)
    moment = max(moment, since)
    if kind in ("feedback", "rating"):
        moment = max(moment, min(checkpoint.end, now))
    return moment if moment <= closes and moment <= now else None


def fill_checkpoints(session: Session, defn: CycleDefinition, appraisal_id: int, holders: Holders, now: datetime,
                     answer: Callable[[Mapping[str, Any] | None], Any], rating_word: str, walk: CheckpointWalk) -> None:
    """Make every entry the current state takes for each checkpoint begun by ``now``, as the first holder of
    each named role; ``answer`` generates a rating from its payload schema."""
    session.expire_all()
    appraisal = session.get(Appraisal, appraisal_id)
    if appraisal is None or not defn.checkpoints:
        return
    run, state, entered = appraisal.run, appraisal.state, appraisal.entered_at
    own = list(session.scalars(select(Indicator.key).where(Indicator.appraisal_id == appraisal_id)))
    keys = [i.id for i in defn.indicators if system_source(i) is None] + own
    edit = defn.states[state].edit if state in defn.states else {}
    suppliers = [r for r, kinds in edit.items() if "realisation" in kinds]
    since = session.scalar(select(AuditEvent.occurred_at).where(AuditEvent.appraisal_id == appraisal_id)
                           .order_by(AuditEvent.seq.desc()).limit(1)) or entered
    for series in defn.checkpoints:
        if state not in series.states:
            continue
        walk.visited.add(series.id)
        for checkpoint in checkpoints_of(series, run.period_start, run.period_end):
            if checkpoint.start > now:
                break
            for kind in declared(series):
                moment = _moment(checkpoint, kind, entered, now, since)
                if moment is None:
                    continue
                roles = {"realisation": suppliers, "report": series.report_roles,
                         "self_assessment": series.self_assessment_roles, "feedback": series.feedback_roles,
                         "rating": series.rating_roles}[kind]
                if _enter(session, appraisal_id, checkpoint, kind, roles, holders, keys, moment, answer, rating_word,
                          walk):
                    since = moment


def _enter(session: Session, appraisal_id: int, checkpoint: Checkpoint, kind: str, roles: Iterable[str],
           holders: Holders, keys: list[str], moment: datetime, answer: Callable[[Mapping[str, Any] | None], Any],
           rating_word: str, walk: CheckpointWalk) -> bool:
    """Make one kind of entry for the checkpoint as the first of ``roles`` the engine lets; whether one was made."""
    series = checkpoint.series
    actors = [a for role in roles for a in holders(role)[:1]]
    if not actors:
        names = list(roles)
        anyone = (Bilingual(" atau ".join(names), " or ".join(names)) if names
                  else said(Message("simulate.a_role_that_may")))
        walk.note(series.id, kind, said(Message("simulate.nobody_here", roles=anyone)))
        return False
    made = False
    for actor in actors:
        try:
            if kind == "realisation":
                recorded = False
                for key in keys:
                    try:
                        service.record_checkpoint_realisation(session, appraisal_id, actor, checkpoint.name, key,
                                                              100, now=moment)
                        recorded = made = True
                    except Forbidden:
                        session.rollback()  # another role supplies this one (engine.provenance)
                if not recorded:
                    continue
            elif kind == "report":
                service.file_report(session, appraisal_id, actor, checkpoint.name,
                                    f"Laporan {checkpoint.label.id}: pekerjaan berjalan sesuai rencana.", now=moment)
            elif kind == "feedback":
                service.give_feedback(session, appraisal_id, actor, checkpoint.name, "Tanggapan penilai.", now=moment)
            elif kind == "self_assessment":
                service.submit_self_assessment(session, appraisal_id, actor, checkpoint.name, {
                    q.id: rating_word if q.kind == "rating" else "Jawaban pegawai." for q in series.questions},
                    now=moment)
            else:
                service.rate_checkpoint(session, appraisal_id, actor, checkpoint.name, answer(series.rating_schema),
                                        now=moment)
        except Conflict:
            session.rollback()  # already recorded on an earlier step of this walk
            walk.note(series.id, kind, None)
            return made
        except SiklusError as exc:
            session.rollback()
            walk.note(series.id, kind, Bilingual(plain_text(exc.msg, "id") if exc.msg else exc.message, exc.message))
            continue
        walk.note(series.id, kind, None)
        return True
    return made


# The kinds of entry as the findings name them.
_KIND_NAMES = {"realisation": Bilingual("realisasi", "realisation"), "report": Bilingual("laporan", "report"),
               "self_assessment": Bilingual("penilaian diri", "self-assessment"),
               "feedback": Bilingual("umpan balik", "feedback"), "rating": Bilingual("penilaian periodik", "rating")}


def said(message: Message) -> Bilingual:
    """A coded message written out in both languages."""
    return Bilingual(plain_text(message, "id"), message.english())


def findings(defn: CycleDefinition, reached: Iterable[str], walk: CheckpointWalk) -> list[tuple[str, Message]]:
    """(subject, message) of each series whose states are never reached or whose declared entries were never
    taken on any walk."""
    out: list[tuple[str, Message]] = []
    reached = set(reached)
    for series in defn.checkpoints:
        if series.id not in walk.visited:
            where = Message("simulate.series_not_reached" if not reached & set(series.states)
                            else "simulate.series_passed")
            out.append((series.id, Message("simulate.series_unreached", series=series.id,
                                           states=", ".join(series.states), where=where)))
            continue
        for kind in declared(series):
            if (series.id, kind) in walk.taken:
                continue
            refused = sorted(walk.refused.get((series.id, kind), set()), key=lambda r: r.en)
            reasons = Bilingual.join(refused) if refused else said(Message("simulate.no_checkpoint_open"))
            out.append((series.id, Message("simulate.series_entry", series=series.id, kind=_KIND_NAMES[kind],
                                           reasons=reasons)))
    return out
