"""Driving an appraisal: fire a transition, edit the SKP, record realisation and development.

* :mod:`engine.appraisals.work`: loading an appraisal and running a change as one unit of work;
* :mod:`engine.appraisals.firing`: firing a transition, and what the actor may fire now;
* :mod:`engine.appraisals.edits`: edits while in a state (SKP, realisation, development).

Every change is one unit of work on the session it is given: it checks who may act, changes the
appraisal, writes the audit event through the one writer (:mod:`engine.audit.writer`) and commits;
on any error it rolls back, so nothing is half-written.
"""

from engine.appraisals.edits import (
    Evidence,
    edit_appraisal,
    record_development,
    record_realisation,
    set_skp,
    set_team_skp,
)
from engine.appraisals.firing import (
    AvailableTransition,
    FireOutcome,
    available_transitions,
    fire_transition,
    preview_results,
    window_closes_at,
)
from engine.appraisals.work import (
    AppraisalView,
    PersonView,
    check_open,
    check_version,
    due_at_for,
    load_appraisal,
    refresh_results,
    store_results,
    unit_of_work,
)

__all__ = [
    "AppraisalView", "AvailableTransition", "Evidence", "FireOutcome", "PersonView", "available_transitions",
    "check_open", "check_version", "due_at_for", "edit_appraisal", "fire_transition", "load_appraisal",
    "preview_results", "record_development", "record_realisation", "refresh_results", "set_skp", "set_team_skp",
    "store_results", "unit_of_work", "window_closes_at",
]
