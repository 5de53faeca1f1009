"""Building :class:`~engine.detail.model.AppraisalDetail`: one small function per section.

A new section is one field on the detail and one function here taking the :class:`Reading`. What the
person may see and do is asked of their :class:`~engine.policy.Policy` here and nowhere else: the
page, the printable document and the API all read the detail.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from engine.access import OpenedAppraisal, open_appraisal
from engine.appraisals import available_transitions, window_closes_at
from engine.cascade import LeaderRhk, link_targets, plan_cascade
from engine.checkpoints.timeline import SeriesView, checkpoint_timeline
from engine.definition import CycleDefinition, TransitionDef
from engine.detail.guidance import guidance, irreversible
from engine.detail.history import history
from engine.detail.model import (
    EDIT_KINDS,
    Action,
    AppealPart,
    AppealSides,
    AppraisalDetail,
    DevelopmentSection,
    FeedbackSection,
    ResultRow,
)
from engine.detail.reading import Reading
from engine.detail.skp import skp_rows
from engine.development.view import activities_of, jp_done, recommended_courses
from engine.feedback import feedback_summaries, own_answer
from engine.models import Result
from engine.permissions import Actor
from engine.provenance import realisable_keys
from engine.readiness import Gap, gaps


def appraisal_detail(session: Session, actor: Actor, appraisal_id: int) -> AppraisalDetail:
    """Everything ``actor`` may see of appraisal ``appraisal_id`` and what they may do with it now.

    Raises :class:`~engine.errors.NotFound` for no such appraisal and :class:`~engine.errors.Forbidden`
    for someone with no role on it who is not HR of the employee's unit.
    """
    return detail_of(session, actor, open_appraisal(session, actor, appraisal_id))


def detail_of(session: Session, actor: Actor, opened: OpenedAppraisal) -> AppraisalDetail:
    """The detail of an appraisal already opened by ``actor`` (see :func:`engine.access.open_appraisal`)."""
    reading = Reading(session, actor, opened.appraisal, opened.defn, opened.policy)
    can_edit = edit_rights(reading)
    actions = action_forms(reading)
    skp, gaps_, events = skp_rows(reading), missing_data(reading), history(reading)
    return AppraisalDetail(
        appraisal=opened.appraisal, defn=opened.defn, policy=opened.policy, roles=tuple(opened.roles),
        is_hr=opened.is_hr, actions=actions, can_edit=can_edit, skp=skp,
        realisable=realisable(reading) if can_edit["realisation"] else (),
        link_targets=supported_rhk(reading) if can_edit["skp"] or can_edit["cascade"] else (),
        results=results(reading), gaps=gaps_, appeal=appeal_sides(reading),
        feedback=feedback(reading), development=development(reading), history=events,
        checkpoints=checkpoints(reading), cascade=plan_cascade(reading.session, reading.appraisal),
        next_steps=guidance(reading, actions, skp, gaps_, events),
    )


def previewable(defn: CycleDefinition, transition: TransitionDef) -> tuple[str, ...]:
    """Results computed on entering the transition's destination from the payload it saves (e.g. the predicate)."""
    if not transition.save_as or transition.dest not in defn.states:
        return ()
    return tuple(n for action in defn.states[transition.dest].on_enter for n in action.names)


def action_forms(reading: Reading) -> tuple[Action, ...]:
    """The transitions the person may fire now, each with the end of its window, what it can preview and
    whether it can be taken back (an irreversible step is confirmed first)."""
    return tuple(
        Action(a, window_closes_at(reading.appraisal, a.transition), previewable(reading.defn, a.transition),
               irreversible(reading.defn, a.transition))
        for a in available_transitions(reading.session, reading.appraisal, reading.actor, reading.policy))


def edit_rights(reading: Reading) -> Mapping[str, bool]:
    """For each kind of edit (SKP, realisation, feedback, development), whether the person may make it now."""
    return {kind: reading.policy.can_edit(reading.defn, reading.appraisal, kind) for kind in EDIT_KINDS}


def realisable(reading: Reading) -> tuple[str, ...]:
    """The IKI whose realisation the person records in this state."""
    return tuple(realisable_keys(reading.session, reading.policy, reading.defn, reading.appraisal))


def supported_rhk(reading: Reading) -> tuple[LeaderRhk, ...]:
    """The IKI of the employee's supervisor in the same period: what an IKI of this SKP can support."""
    return tuple(link_targets(reading.session, reading.appraisal))


def _result_row(name: str, row: Result, reading: Reading) -> ResultRow:
    return ResultRow(name, reading.defn.results[name].label, row.value, dict(row.explanation or {}),
                     tuple(row.missing or ()), row.computed_at)


def results(reading: Reading) -> tuple[ResultRow, ...]:
    """The cycle's named results in its order, those stored and the person may see."""
    stored = reading.stored_results
    return tuple(_result_row(name, stored[name], reading) for name in reading.defn.results
                 if name in stored and reading.visible(name))


def missing_data(reading: Reading) -> tuple[Gap, ...]:
    """What the ways out of the current state still wait for (see :func:`engine.readiness.gaps`)."""
    return tuple(gaps(reading.session, reading.appraisal, reading.defn))


def appeal_sides(reading: Reading) -> AppealSides | None:
    """The rater's rating and the employee's appeal, when the appraisal is in the state an appeal enters.

    The appeal is the payload an employee's transition into the current state saved (``save_as``);
    the rating is every payload a rater's transition saved, with the results its destination computed.
    """
    defn, appraisal = reading.defn, reading.appraisal
    data = appraisal.data or {}
    role_of = {rid: r.resolver for rid, r in defn.roles.items()}
    appeal = next((t for t in defn.transitions if t.dest == appraisal.state and t.save_as in data
                   and any(role_of.get(r) == "self" for r in t.roles)), None)
    if appeal is None or not isinstance(data.get(appeal.save_as or ""), Mapping):
        return None
    ratings = [t for t in defn.transitions if t.save_as in data and t is not appeal
               and any(role_of.get(r) == "supervisor" for r in t.roles)]
    names = dict.fromkeys(n for t in ratings for n in previewable(defn, t))
    stored = reading.stored_results
    return AppealSides(
        employee=AppealPart(appeal.label, dict(data[appeal.save_as or ""])),
        rater=tuple(AppealPart(t.label, dict(data[t.save_as or ""])) for t in ratings
                    if isinstance(data.get(t.save_as or ""), Mapping)),
        results=tuple(_result_row(n, stored[n], reading) for n in names
                      if n in stored and n in defn.results and reading.visible(n)),
    )


def feedback(reading: Reading) -> FeedbackSection:
    """What may be shown of each feedback window, and the windows the person may answer now."""
    defn, appraisal = reading.defn, reading.appraisal
    answerable = tuple(w for w in defn.feedback if reading.policy.can_answer(defn, appraisal, w))
    own: dict[str, tuple[Mapping[str, object], str]] = {}
    for window in answerable:
        mine = own_answer(reading.session, appraisal.id, window.id, reading.actor)
        if mine is not None:
            own[window.id] = (dict(mine.answers or {}), mine.comment)
    return FeedbackSection(tuple(feedback_summaries(reading.session, appraisal)), answerable, own)


def development(reading: Reading) -> DevelopmentSection:
    """The competence development activities recorded and the JP done against the cycle's target."""
    activities = activities_of(reading.session, reading.appraisal.id)
    visible = {name: row.value for name, row in reading.stored_results.items() if reading.visible(name)}
    return DevelopmentSection(activities, jp_done(activities), reading.defn.jp_target,
                              recommended_courses(reading.session, reading.defn, visible, activities))


def checkpoints(reading: Reading) -> tuple[SeriesView, ...]:
    """The periodic checkpoints (triwulan, monthly...) with all that was recorded and what the person may add."""
    return tuple(checkpoint_timeline(reading.session, reading.policy, reading.defn, reading.appraisal))
