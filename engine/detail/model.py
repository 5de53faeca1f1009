"""What one appraisal looks like to one person: the typed sections of :class:`AppraisalDetail`.

Every section is a frozen dataclass holding data, not sentences: labels are :class:`~engine.definition.Text`
(both languages) or codes, so the page, the printable document and the API render the same facts in
their own way. Visibility is already applied when a section is built (see :mod:`engine.detail.build`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.appraisals import AvailableTransition
from engine.cascade import LeaderRhk, PlanCascade
from engine.checkpoints.timeline import SeriesView
from engine.definition import CycleDefinition, FeedbackDef, StateDef, Text
from engine.detail.next_steps import Guidance
from engine.development.view import RecommendedCourse
from engine.feedback import WindowSummary
from engine.models import Appraisal, DevelopmentActivity, Employee
from engine.policy import Policy
from engine.provenance import Provenance
from engine.readiness import Gap

EDIT_KINDS = ("skp", "realisation", "feedback", "development", "cascade", "expectation")


@dataclass(frozen=True)
class Action:
    """A transition the person may fire now, until when, and the results firing it would compute."""

    available: AvailableTransition
    closes_at: datetime | None
    previews: tuple[str, ...] = ()
    irreversible: bool = False  # nobody can take it back: confirmed before firing (engine.detail.guidance)


@dataclass(frozen=True)
class StoredEvidence:
    """The evidence file kept with a realisation (``path`` is relative to the evidence folder)."""

    name: str
    path: str
    sha256: str | None
    size: int | None
    content_type: str | None


@dataclass(frozen=True)
class RealisationEntry:
    """One realisation recorded for an IKI, with who recorded it."""

    id: int
    value: float
    note: str | None
    recorded_at: datetime
    supplied_by: Provenance
    evidence: StoredEvidence | None


@dataclass(frozen=True)
class SkpRow:
    """One IKI of the SKP: the cycle's fixed ones first, then the employee's own.

    ``realisation`` is the value that counts: the latest typed one, or for an IKI the system feeds
    (``target_by``/``realisation_by`` say who), the value the rating used once rated and the source's
    value until then; typed rows of a fed IKI are never listed. ``achievement`` is the stored result
    ``iki.<key>``; before the rating ``live_achievement`` is the indicator's rule applied to the
    realisation now, as the rating will apply it.
    """

    key: str
    label: Text
    rhk: str
    parent_rhk: str | None
    aspect: str | None
    target: Any
    unit: str | None
    weight: Any
    fixed: bool
    target_by: Provenance | None
    realisation: Any
    realisation_by: Provenance | None
    realisations: tuple[RealisationEntry, ...]
    achievement: Any
    achievement_explanation: Mapping[str, str] = field(default_factory=dict)
    live_achievement: float | None = None
    live_explanation: Mapping[str, str] = field(default_factory=dict)
    parent_id: int | None = None  # the leader's IKI this one supports (intervensi), by id: engine.cascade


@dataclass(frozen=True)
class ResultRow:
    """A named result of the cycle the person may see, with its explanation and what it waits for."""

    name: str
    label: Text
    value: Any
    explanation: Mapping[str, str]
    missing: tuple[Any, ...]
    computed_at: datetime | None


@dataclass(frozen=True)
class HistoryEntry:
    """One audit event as a person reads it (an anonymous feedback answer is never one)."""

    seq: int
    occurred_at: datetime
    kind: str
    trigger: str | None
    actor_name: str              # the name the event recorded
    shown_name: str              # the person's display name now, else the recorded one
    by_system: bool              # written by the deadline sweep, not by a person
    role: str | None
    role_label: Text | None
    transition_label: Text | None
    from_state: str | None
    to_state: str | None
    payload: Mapping[str, Any]
    actor_user_id: int | None = None  # who wrote it (None: the system)


@dataclass(frozen=True)
class AppealPart:
    """A payload saved by a transition (a rating, an appeal) with that transition's label."""

    label: Text
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class AppealSides:
    """While an appeal is open: the employee's statement beside the rater's rating and its results."""

    employee: AppealPart
    rater: tuple[AppealPart, ...]
    results: tuple[ResultRow, ...]


@dataclass(frozen=True)
class FeedbackSection:
    """The 360/continuous feedback: what may be shown of each window, and the windows the person may
    answer now with their current answer (None: not answered yet)."""

    summaries: tuple[WindowSummary, ...]
    answerable: tuple[FeedbackDef, ...]
    own_answers: Mapping[str, tuple[Mapping[str, Any], str]]  # window id -> (answers, comment)


@dataclass(frozen=True)
class DevelopmentSection:
    """Competence development: the activities recorded and the hours (JP) done against the target."""

    activities: tuple[DevelopmentActivity, ...]
    jp_done: float
    jp_target: float
    # The recommendation's courses, each linked to the training catalogue (engine.development.view).
    recommended: tuple[RecommendedCourse, ...] = ()

    @property
    def jp_remaining(self) -> float:
        """JP still to do to reach the target (0 once it is met)."""
        return max(self.jp_target - self.jp_done, 0.0)


@dataclass(frozen=True)
class AppraisalDetail:
    """Everything one person may see of one appraisal and what they may do with it now.

    ``appraisal`` is the row as loaded (read it, never change it); each other field is one section
    of the page, built by one function of :mod:`engine.detail.build`.
    """

    appraisal: Appraisal
    defn: CycleDefinition
    policy: Policy
    roles: tuple[str, ...]
    is_hr: bool
    actions: tuple[Action, ...]
    can_edit: Mapping[str, bool]
    skp: tuple[SkpRow, ...]
    realisable: tuple[str, ...]
    link_targets: tuple[LeaderRhk, ...]  # the leader's IKI an own IKI may support (engine.cascade)
    results: tuple[ResultRow, ...]
    gaps: tuple[Gap, ...]
    appeal: AppealSides | None
    feedback: FeedbackSection
    development: DevelopmentSection
    history: tuple[HistoryEntry, ...]
    checkpoints: tuple[SeriesView, ...] = ()  # the periodic checkpoints' timeline (engine.checkpoints.timeline)
    cascade: PlanCascade | None = None  # what each IKI supports, the roll-up from below, expectations (engine.cascade)
    next_steps: Guidance | None = None  # what happens next, who, by when, what is missing (engine.detail.guidance)

    @property
    def employee(self) -> Employee:
        return self.appraisal.employee

    @property
    def state(self) -> StateDef | None:
        return self.defn.states.get(self.appraisal.state)

    @property
    def fireable(self) -> frozenset[str]:
        """The triggers the person may fire now."""
        return frozenset(a.available.transition.trigger for a in self.actions)

    def state_label(self, state: str | None) -> Text | None:
        """A state's label in this cycle (None for no state; the code itself for an unknown one)."""
        if not state:
            return None
        found = self.defn.states.get(state)
        return found.label if found else Text(state, state)
