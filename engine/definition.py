"""The typed, immutable form of a cycle: :class:`CycleDefinition` and the parts it is made of.

:func:`build_definition` turns a mapping that has passed validation into a definition; reading a
cycle file goes through :func:`engine.validation.load_definition`, which validates first (JSON Schema
and semantic checks) and raises :class:`~engine.errors.DefinitionError` carrying every problem. This
module imports neither validation nor the database, so both can build on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from engine.durations import Duration, parse_duration
from engine.vocabulary import DEFAULT_SKP_RULE, EDIT_KINDS, PUBLIC_ROLE_RESOLVERS

__all__ = ["DEFAULT_SKP_RULE", "EDIT_KINDS", "PUBLIC_ROLE_RESOLVERS", "CycleDefinition", "Text", "build_definition",
           "content_hash"]


@dataclass(frozen=True)
class Text:
    """A text in Bahasa Indonesia with an optional English version."""

    id: str
    en: str | None = None

    def get(self, locale: str | None) -> str:
        if locale and locale.startswith("en") and self.en:
            return self.en
        return self.id

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en or self.id}

    @classmethod
    def of(cls, value: Any, fallback: str = "") -> Text:
        if value is None:
            return cls(fallback, fallback)
        if isinstance(value, str):
            return cls(value, value)
        return cls(value["id"], value.get("en"))


@dataclass(frozen=True)
class RoleDef:
    id: str
    resolver: str
    label: Text
    group: str | None = None


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    label: Text
    rule: str
    params: Mapping[str, Any]
    weight: float | None = None
    target: float | list[float] | None = None
    unit: str | None = None
    aspect: str | None = None
    supplied_by: str | None = None
    source: str | None = None
    inputs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultDef:
    name: str
    label: Text
    rule: str
    params: Mapping[str, Any]
    inputs: Mapping[str, Any]
    visible_to_employee: bool = True


@dataclass(frozen=True)
class ComputeAction:
    names: tuple[str, ...]
    require: bool = True


@dataclass(frozen=True)
class DeadlineDef:
    within: Duration | None
    at: str | None
    offset: Duration | None
    then: str  # remind | escalate | fire
    fire: str | None = None


@dataclass(frozen=True)
class StateDef:
    name: str
    label: Text
    stage: str | None
    initial: bool
    final: bool
    edit: Mapping[str, frozenset[str]]
    on_enter: tuple[ComputeAction, ...]
    deadline: DeadlineDef | None
    #: ``vacant:``: for a role that acts here, the trigger the system fires when nobody holds the role for an
    #: appraisal in this state (engine.vacancy). Empty: the appraisal waits for someone to hold it.
    vacant: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class CalibrationGuardDef:
    """``calibration:`` in a guard: hold the transition to the unit's organisation predicate
    (engine.calibration_guard). ``on_breach`` is ``block`` or ``warn``; ``predicate`` the result holding
    each employee's predicate (None: the cycle's final predicate); ``limits`` the curve (None: the cycle's
    ``calibration`` result's, else the rule's defaults)."""

    on_breach: str
    predicate: str | None
    limits: Mapping[str, Any] | None


@dataclass(frozen=True)
class GuardDef:
    rule: str | None
    params: Mapping[str, Any]
    inputs: Mapping[str, Any]
    expr: str | None
    message: Text | None
    calibration: CalibrationGuardDef | None = None


@dataclass(frozen=True)
class WindowDef:
    since: str
    within: Duration


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    label: Text
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    allow_self_approval: bool
    guards: tuple[GuardDef, ...]
    payload_schema: Mapping[str, Any] | None
    save_as: str | None
    window: WindowDef | None


@dataclass(frozen=True)
class FeedbackDef:
    id: str
    label: Text
    roles: tuple[str, ...]
    states: tuple[str, ...]
    questions: Any
    min_respondents: int
    anonymous: bool


@dataclass(frozen=True)
class CourseDef:
    id: str
    title: Text
    jp: float
    kind: str | None
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class ShortlistDef:
    """A talent shortlist: the employees whose box is one of ``boxes`` (e.g. 7-9 for succession)."""

    id: str
    label: Text
    boxes: tuple[int, ...]


@dataclass(frozen=True)
class TalentDef:
    """The nine-box grid of a cycle: the result that places each employee, and the shortlists it feeds."""

    box: str
    shortlists: tuple[ShortlistDef, ...]


@dataclass(frozen=True)
class SkpDef:
    employee_indicators: bool = False
    rule: str = DEFAULT_SKP_RULE
    params: Mapping[str, Any] = field(default_factory=dict)
    min_indicators: int = 0
    supplied_by: str | None = None


@dataclass(frozen=True)
class CheckpointQuestion:
    """One question of a checkpoint's self-assessment: a text answer or a rating on the three ratings."""

    id: str
    label: Text
    kind: str  # text | rating


@dataclass(frozen=True)
class CheckpointDate:
    """An explicit checkpoint: it ends on ``end`` (month and day, ``MM-DD``) of the run's year."""

    id: str
    label: Text
    end: str


@dataclass(frozen=True)
class CheckpointDef:
    """A series of periodic checkpoints inside a run (monthly, quarterly or explicit dates), see engine.checkpoints.

    Each checkpoint takes realisations per IKI, an employee report, the rater's feedback, a periodic
    rating with its own results, and a self-assessment, each by the roles named, while the appraisal is
    in one of ``states``; the employee's entries close ``report_within`` after the checkpoint ends, the
    rater's ``rating_within`` after it (then ``siklus tick`` closes the checkpoint).
    """

    id: str
    label: Text
    every: str | None  # monthly | quarterly; None with explicit dates
    dates: tuple[CheckpointDate, ...]
    states: tuple[str, ...]
    realisation: bool
    report_roles: tuple[str, ...]
    report_evidence: bool
    feedback_roles: tuple[str, ...]
    rating_roles: tuple[str, ...]
    rating_schema: Mapping[str, Any] | None
    results: Mapping[str, ResultDef]
    self_assessment_roles: tuple[str, ...]
    questions: tuple[CheckpointQuestion, ...]
    report_within: Duration
    rating_within: Duration
    # How a checkpoint's IKI achievement reads its target: annual | even | cumulative (engine.checkpoints.targets).
    targets: str = "annual"


@dataclass(frozen=True)
class CycleDefinition:
    """A validated cycle. Immutable: a change to a published cycle is a new version."""

    id: str
    version: int
    title: Text
    description: Text | None
    period: str
    roles: Mapping[str, RoleDef]
    skp: SkpDef
    indicators: tuple[IndicatorDef, ...]
    results: Mapping[str, ResultDef]
    states: Mapping[str, StateDef]
    transitions: tuple[TransitionDef, ...]
    feedback: tuple[FeedbackDef, ...]
    jp_target: float
    catalog: tuple[CourseDef, ...]
    content_hash: str
    source: str = field(repr=False, compare=False, default="")
    checkpoints: tuple[CheckpointDef, ...] = ()
    # Closing an appraisal below the JP target: "warn" tells the person, "refuse" holds it (vocabulary).
    jp_below_target: str = "warn"
    talent: TalentDef | None = None

    @property
    def initial_state(self) -> str:
        return next(s.name for s in self.states.values() if s.initial)

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.id, self.version, self.content_hash)

    def transition(self, trigger: str, state: str) -> TransitionDef | None:
        """The transition fired by ``trigger`` from ``state``, if any."""
        for t in self.transitions:
            if t.trigger == trigger and state in t.sources:
                return t
        return None

    def transitions_from(self, state: str) -> list[TransitionDef]:
        return [t for t in self.transitions if state in t.sources]

    @property
    def triggers(self) -> list[str]:
        return sorted({t.trigger for t in self.transitions})

    def feedback_window(self, window_id: str) -> FeedbackDef | None:
        return next((f for f in self.feedback if f.id == window_id), None)

    def checkpoint_series(self, series_id: str) -> CheckpointDef | None:
        return next((c for c in self.checkpoints if c.id == series_id), None)


def content_hash(source: str) -> str:
    """SHA-256 of the exact text of a cycle file: two uploads of one text are one definition."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


def build_definition(data: Mapping[str, Any], source: str = "") -> CycleDefinition:
    """Build a definition from a mapping that has already passed validation."""
    roles = {
        rid: RoleDef(rid, r["resolver"], Text.of(r.get("label"), rid), r.get("group"))
        for rid, r in data["roles"].items()
    }
    skp_data = data.get("skp") or {}
    skp = SkpDef(
        employee_indicators=bool(skp_data.get("employee_indicators", False)),
        rule=skp_data.get("rule", DEFAULT_SKP_RULE),
        params=_frozen(skp_data.get("params")),
        min_indicators=int(skp_data.get("min_indicators", 0)),
        supplied_by=skp_data.get("supplied_by"),
    )
    indicators = tuple(
        IndicatorDef(
            id=i["id"],
            label=Text.of(i["label"]),
            rule=i["rule"],
            params=_frozen(i.get("params")),
            weight=i.get("weight"),
            target=i.get("target"),
            unit=i.get("unit"),
            aspect=i.get("aspect"),
            supplied_by=i.get("supplied_by"),
            source=i.get("source"),
            inputs=_frozen(i.get("inputs")),
        )
        for i in data.get("indicators") or []
    )
    results = _build_results(data.get("results"))
    states = {name: _build_state(name, s) for name, s in data["states"].items()}
    transitions = tuple(_build_transition(t) for t in data["transitions"])
    non_final = tuple(n for n, s in states.items() if not s.final)
    feedback = tuple(
        FeedbackDef(
            id=f["id"],
            label=Text.of(f.get("label"), f["id"]),
            roles=tuple(f["roles"]),
            states=tuple(f["states"]) if "states" in f else non_final,
            questions=f.get("questions", "berakhlak"),
            min_respondents=int(f.get("min_respondents", 1)),
            anonymous=bool(f.get("anonymous", True)),
        )
        for f in data.get("feedback") or []
    )
    dev = data.get("development") or {}
    catalog = tuple(
        CourseDef(c["id"], Text.of(c["title"]), float(c["jp"]), c.get("kind"), tuple(c.get("addresses") or ()))
        for c in dev.get("catalog") or []
    )
    return CycleDefinition(
        id=data["id"],
        version=int(data["version"]),
        title=Text.of(data["title"]),
        description=Text.of(data["description"]) if data.get("description") else None,
        period=data["period"],
        roles=_frozen(roles),
        skp=skp,
        indicators=indicators,
        results=results,
        states=_frozen(states),
        transitions=transitions,
        feedback=feedback,
        jp_target=float(dev.get("jp_target", 20)),
        catalog=catalog,
        content_hash=content_hash(source),
        source=source,
        checkpoints=tuple(_build_checkpoint(c) for c in data.get("checkpoints") or []),
        jp_below_target=str(dev.get("below_target", "warn")),
        talent=_build_talent(data.get("talent")),
    )


def _build_talent(data: Mapping[str, Any] | None) -> TalentDef | None:
    if not data:
        return None
    return TalentDef(data["box"], tuple(
        ShortlistDef(s["id"], Text.of(s.get("label"), s["id"]), tuple(int(b) for b in s["boxes"]))
        for s in data.get("shortlists") or []))


def _build_results(data: Mapping[str, Any] | None) -> Mapping[str, ResultDef]:
    return _frozen({
        name: ResultDef(
            name=name,
            label=Text.of(r.get("label"), name),
            rule=r["rule"],
            params=_frozen(r.get("params")),
            inputs=_frozen(r.get("inputs")),
            visible_to_employee=bool(r.get("visible_to_employee", True)),
        )
        for name, r in (data or {}).items()
    })


def _build_checkpoint(c: Mapping[str, Any]) -> CheckpointDef:
    report, feedback = c.get("report") or {}, c.get("feedback") or {}
    rating, self_assessment = c.get("rating") or {}, c.get("self_assessment") or {}
    deadline = c.get("deadline") or {}
    return CheckpointDef(
        id=c["id"],
        label=Text.of(c.get("label"), c["id"]),
        every=c.get("every"),
        dates=tuple(CheckpointDate(d["id"], Text.of(d.get("label"), d["id"]), str(d["end"]))
                    for d in c.get("dates") or []),
        states=tuple(c["states"]),
        realisation=bool(c.get("realisation", False)),
        report_roles=tuple(report.get("roles") or ()),
        report_evidence=bool(report.get("evidence", False)),
        feedback_roles=tuple(feedback.get("roles") or ()),
        rating_roles=tuple(rating.get("roles") or ()),
        rating_schema=rating.get("payload"),
        results=_build_results(c.get("results")),
        self_assessment_roles=tuple(self_assessment.get("roles") or ()),
        questions=tuple(CheckpointQuestion(q["id"], Text.of(q.get("label"), q["id"]), q.get("kind", "text"))
                        for q in self_assessment.get("questions") or []),
        report_within=parse_duration(deadline.get("report", "0d")),
        rating_within=parse_duration(deadline.get("rating", "0d")),
        targets=str(c.get("targets", "annual")),
    )


def _build_state(name: str, s: Mapping[str, Any]) -> StateDef:
    deadline = None
    if s.get("deadline"):
        d = s["deadline"]
        then = d["then"]
        deadline = DeadlineDef(
            within=parse_duration(d["within"]) if d.get("within") else None,
            at=d.get("at"),
            offset=parse_duration(d["offset"]) if d.get("offset") else None,
            then="fire" if isinstance(then, dict) else then,
            fire=then.get("fire") if isinstance(then, dict) else None,
        )
    return StateDef(
        name=name,
        label=Text.of(s["label"]),
        stage=s.get("stage"),
        initial=bool(s.get("initial", False)),
        final=bool(s.get("final", False)),
        edit=_frozen({role: frozenset(kinds) for role, kinds in (s.get("edit") or {}).items()}),
        on_enter=tuple(ComputeAction(tuple(a["compute"]), bool(a.get("require", True)))
                       for a in s.get("on_enter") or []),
        deadline=deadline,
        vacant=_frozen({role: then["fire"] for role, then in (s.get("vacant") or {}).items()}),
    )


def _build_transition(t: Mapping[str, Any]) -> TransitionDef:
    source = t["source"]
    window = t.get("window")
    return TransitionDef(
        trigger=t["trigger"],
        label=Text.of(t.get("label"), t["trigger"]),
        sources=tuple(source) if isinstance(source, list) else (source,),
        dest=t["dest"],
        roles=tuple(t["roles"]),
        allow_self_approval=bool(t.get("allow_self_approval", False)),
        guards=tuple(
            GuardDef(
                rule=g.get("rule"),
                params=_frozen(g.get("params")),
                inputs=_frozen(g.get("inputs")),
                expr=g.get("expr"),
                message=Text.of(g["message"]) if g.get("message") else None,
                calibration=_calibration_guard(g.get("calibration")),
            )
            for g in t.get("guards") or []
        ),
        payload_schema=t.get("payload"),
        save_as=t.get("save_as"),
        window=WindowDef(window["since"], parse_duration(window["within"])) if window else None,
    )


def _calibration_guard(raw: Mapping[str, Any] | None) -> CalibrationGuardDef | None:
    if raw is None:
        return None
    limits = raw.get("limits")
    return CalibrationGuardDef(on_breach=raw.get("on_breach", "block"), predicate=raw.get("predicate"),
                               limits=_frozen(limits) if limits is not None else None)
