"""A dry run of a cycle file before it is published: ``siklus simulate FILE``.

The simulator runs the real engine on a throwaway in-memory database. It builds a small generated
organisation that holds every role the cycle can resolve (the employee, the rater, the rater's
supervisor, peers, subordinates, HR, each named group, the public), publishes the definition, and
explores it: for every state it reaches, it tries every transition out of that state as every allowed
role, with payloads generated from the transition's JSON Schema and inputs (SKP, realisations,
feedback, development) filled in wherever the state lets someone edit them. Each attempt replays the
path to its state on a fresh appraisal, so every step goes through the same checks as in production.

It reports what a cycle author needs to fix before publishing:

* states never reached;
* states from which no final state can be reached (paths that never end);
* transitions no role can fire, with the engine's reason;
* deadlines that could never be met;
* states an appraisal is stranded in when an input is missing (see below);

and prints a timeline of one typical path (the shortest way from the initial state to a final one)
with the dates each state is entered and falls due.

Exploration is by state: the first path that reaches a state is the one its transitions are tried
from, with three input profiles (results above, at and below target). A guard that depends on the
path taken rather than on the inputs may therefore be reported as never satisfied; the message says
which guard refused so the author can judge.

Real appraisals arrive incomplete, so the cycle is walked again with two incomplete profiles: one IKI
without a realisation (``missing-realisation``) and feedback windows with fewer answers than they ask
for (``missing-respondents``). The input is held back until the appraisal first leaves the states where
it can be supplied, and supplied as soon as it is back in one. A state that an appraisal then cannot
leave towards the end of the cycle is reported as stranded, with the refusals and the fix
(:mod:`engine.dead_ends` names the input and where it could be supplied).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import StaticPool, create_engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.appraisals import (
    due_at_for,
    fire_transition,
    record_development,
    record_realisation,
    set_skp,
)
from engine.checkpoints.simulation import CheckpointWalk, fill_checkpoints
from engine.checkpoints.simulation import findings as checkpoint_findings
from engine.dead_ends import REALISATION, find_strandings, supply_states
from engine.definition import CycleDefinition, StateDef, TransitionDef
from engine.errors import Forbidden, SiklusError
from engine.feedback import give_feedback
from engine.models import Appraisal, Base, CycleRun, Employee, FeedbackResponse, Indicator, OrgUnit, RoleGrant, User
from engine.permissions import Actor
from engine.provenance import system_source
from engine.public_feedback import ROLE as PUBLIC_ROLE
from engine.public_feedback import WINDOW as PUBLIC_WINDOW
from engine.public_feedback import survey
from engine.registry import publish_source
from engine.runs import launch, period_bounds, period_timezone
from engine.validation import load_definition

PROFILES = ("above", "at", "below")
MISSING_REALISATION = "missing-realisation"
MISSING_RESPONDENTS = "missing-respondents"
#: Walks with incomplete data: what each leaves out, in words for the report.
INCOMPLETE_PROFILES = {
    MISSING_REALISATION: "an IKI has no realisation",
    MISSING_RESPONDENTS: "a feedback window has fewer answers than it asks for",
}
# Realisation as a share of the target, per profile.
REALISED = {"above": 1.1, "at": 1.0, "below": 0.5}
# A self-assessment's rating answers, per profile.
RATING_WORDS = {"above": "Di Atas Ekspektasi", "at": "Sesuai Ekspektasi", "below": "Di Bawah Ekspektasi"}
BERAKHLAK = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")
IKM_ELEMENTS = tuple(f"U{i}" for i in range(1, 10))
# Where an incomplete profile's input stands on a walk (see _next_phase).
PENDING, MISSING, SUPPLIED = "pending", "missing", "supplied"
SYSTEM = "system"  # the role name used for a transition fired by a deadline
PEERS = 4
PUBLIC_RESPONDENTS = 5
SUBORDINATES = 2
MAX_ATTEMPTS = 4000


@dataclass(frozen=True)
class Step:
    """One transition on a path: the trigger, who fired it (a cycle role or ``system``) and the inputs profile."""

    trigger: str
    role: str
    profile: str


@dataclass(frozen=True)
class Finding:
    """One problem the simulation found. ``kind`` is one of unreached-state, never-ends,
    unfireable-transition, impossible-deadline, stranded, checkpoint."""

    kind: str
    subject: str
    message: str


@dataclass(frozen=True)
class TimelineEntry:
    """A state on the typical path: when it is entered, when it falls due, and how it is left."""

    state: str
    label: str
    entered_at: datetime
    due_at: datetime | None
    deadline_action: str | None
    leave_by: Step | None
    left_at: datetime | None


@dataclass
class SimulationReport:
    """What a dry run of one cycle found."""

    cycle_id: str
    version: int
    period: str
    reached: list[str] = field(default_factory=list)
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)  # (source, trigger, role, dest)
    findings: list[Finding] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    attempts: int = 0
    bound_hit: bool = False
    # How each reached state was first reached (the demo replays these).
    paths: dict[str, list[Step]] = field(default_factory=dict)
    # The incomplete-data profiles walked (a cycle where nobody supplies an input has nothing to leave out).
    walked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings and not self.bound_hit

    def to_dict(self) -> dict[str, Any]:
        def when(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "cycle_id": self.cycle_id, "version": self.version, "period": self.period, "ok": self.ok,
            "reached": self.reached, "attempts": self.attempts, "bound_hit": self.bound_hit, "walked": self.walked,
            "edges": [{"source": s, "trigger": t, "role": r, "dest": d} for s, t, r, d in self.edges],
            "findings": [{"kind": f.kind, "subject": f.subject, "message": f.message} for f in self.findings],
            "timeline": [{"state": e.state, "label": e.label, "entered_at": when(e.entered_at),
                          "due_at": when(e.due_at),
                          "deadline_action": e.deadline_action, "left_at": when(e.left_at),
                          "leave_by": None if e.leave_by is None
                          else {"trigger": e.leave_by.trigger, "role": e.leave_by.role}}
                         for e in self.timeline],
        }


class _Cast:
    """The generated organisation: a staff unit with the rater, the reviewer and peers, and per attempt
    a fresh unit with the appraised employee and their subordinates."""

    def __init__(self, session: Session, defn: CycleDefinition) -> None:
        self.session = session
        self.defn = defn
        self.n = 0
        self.root = OrgUnit(code="SIM", name="Instansi Simulasi", public_slug="simulasi")
        session.add(self.root)
        session.flush()
        self.reviewer = self._person("Atasan Penilai", None, self.root.id)
        self.rater = self._person("Pejabat Penilai", self.reviewer[0], self.root.id)
        self.peers = [self._person(f"Rekan {i}", self.rater[0], self.root.id) for i in range(1, PEERS + 1)]
        self.hr = self._user("sdm-simulasi", None, [("hr", self.root.id)])
        groups = sorted({r.group for r in defn.roles.values() if r.resolver == "group" and r.group})
        self.groups = {g: self._user(f"grup-{g}", None, [(f"group:{g}", self.root.id)]) for g in groups}
        session.commit()

    def _user(self, username: str, employee: Employee | None, grants: Iterable[tuple[str, int | None]] = ()) -> Actor:
        user = User(username=username, display_name=username, employee_id=employee.id if employee else None)
        self.session.add(user)
        self.session.flush()
        for role, unit_id in grants:
            self.session.add(RoleGrant(user_id=user.id, role=role, unit_id=unit_id))
        self.session.flush()
        return Actor(user_id=user.id, username=username, employee_id=employee.id if employee else None,
                     grants=tuple(grants))

    def _person(self, name: str, supervisor: Employee | None, unit_id: int) -> tuple[Employee, Actor]:
        self.n += 1
        employee = Employee(nip=f"{199001012020011000 + self.n}", name=name, position="Analis", unit_id=unit_id,
                            supervisor_id=supervisor.id if supervisor else None, email=None)
        self.session.add(employee)
        self.session.flush()
        return employee, self._user(f"sim{self.n}", employee)

    def fresh_employee(self) -> tuple[OrgUnit, Employee, Actor, list[Actor]]:
        """A new unit holding one employee (supervised by the rater), with their subordinates elsewhere."""
        unit = OrgUnit(code=f"SIM-{self.n + 1}", name=f"Unit Simulasi {self.n + 1}", parent_id=self.root.id)
        self.session.add(unit)
        self.session.flush()
        employee, actor = self._person("Pegawai Simulasi", self.rater[0], unit.id)
        subordinates = [self._person(f"Bawahan {i}", employee, self.root.id)[1] for i in range(1, SUBORDINATES + 1)]
        return unit, employee, actor, subordinates

    def holders(self, role_id: str, employee: Actor, subordinates: list[Actor]) -> list[Actor]:
        """Everyone in the cast holding ``role_id`` for the appraised employee (the first one acts)."""
        role = self.defn.roles[role_id]
        return {
            "self": [employee],
            "supervisor": [self.rater[1]],
            "supervisor_of_supervisor": [self.reviewer[1]],
            "peers": [p[1] for p in self.peers],
            "subordinates": subordinates,
            "unit_hr": [self.hr],
            "group": [self.groups[role.group]] if role.group in self.groups else [],
        }.get(role.resolver, [])


def example_payload(schema: Mapping[str, Any] | None, profile: str = "at") -> Any:
    """A value valid for the subset of JSON Schema cycle payloads use; ``profile`` picks among enum choices
    (first, middle or last) and whether optional properties are filled."""
    if not schema:
        return {}
    index = PROFILES.index(profile)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        choices = list(schema["enum"])
        return choices[min(index, len(choices) - 1)] if index < 2 else choices[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema and schema[key]:
            return example_payload(schema[key][0], profile)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind is None:
        kind = "object" if "properties" in schema or "required" in schema else "string"
    if kind == "object":
        properties: Mapping[str, Any] = schema.get("properties", {})
        patterns: Mapping[str, Any] = schema.get("patternProperties", {})
        required = list(schema.get("required", []))
        wanted = required + ([k for k in properties if k not in required] if profile != "at" else [])
        out: dict[str, Any] = {}
        for name in wanted:
            sub = properties.get(name) or next(iter(patterns.values()), None) or {"type": "string"}
            out[name] = example_payload(sub, profile)
        return out
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        return [example_payload(schema.get("items", {"type": "string"}), profile) for _ in range(count)]
    if kind in ("number", "integer"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        high = schema.get("maximum", schema.get("exclusiveMaximum", low + 100))
        value = {"above": high, "at": (low + high) / 2, "below": low}[profile]
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            value = schema["exclusiveMinimum"] + 1
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            value = schema["exclusiveMaximum"] - 1
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return profile != "below"
    text = "Catatan simulasi untuk siklus ini."
    low, high = int(schema.get("minLength", 0)), int(schema.get("maxLength", 200))
    text = (text * (low // len(text) + 1))[:max(low, min(len(text), high))]
    return text


def feedback_answers(questions: Any, profile: str) -> dict[str, int]:
    """Answers to a feedback window's questions: berakhlak and ikm are 1-4; listed questions use their scale."""
    if questions == "berakhlak":
        keys: list[tuple[str, int]] = [(k, 4) for k in BERAKHLAK]
    elif questions == "ikm":
        keys = [(k, 4) for k in IKM_ELEMENTS]
    elif isinstance(questions, (list, tuple)):
        keys = [(str(q.get("id") if isinstance(q, Mapping) else getattr(q, "id", q)),
                 int((q.get("scale") if isinstance(q, Mapping) else getattr(q, "scale", None)) or 4))
                for q in questions]
    else:
        keys = [("nilai", 4)]
    return {k: {"above": scale, "at": max(scale - 1, 1), "below": 1}[profile] for k, scale in keys}


def _target_value(target: Any) -> float:
    if isinstance(target, (list, tuple)) and target:
        return float(target[-1])
    if isinstance(target, (int, float)):
        return float(target)
    return 100.0


Holders = Callable[[str], list[Actor]]


class Driver:
    """Moves one appraisal through a cycle with the real engine services, as the people holding each
    role: fills in what the current state lets them edit (SKP, realisations, feedback, development) and
    fires transitions with payloads generated from their schemas. Shared by the simulator and the demo."""

    def __init__(self, session: Session, defn: CycleDefinition) -> None:
        self.session = session
        self.defn = defn
        self.checkpoints = CheckpointWalk()

    def transition(self, trigger: str) -> TransitionDef:
        return next(t for t in self.defn.transitions if t.trigger == trigger)

    def fill_inputs(self, appraisal_id: int, holders: Holders, profile: str, moment: datetime,
                    withhold: bool = False) -> None:
        """Fill in whatever the current state lets someone edit, as the first holder of an editing role.

        With ``withhold`` an incomplete profile leaves its input out: the last IKI's realisation, or enough
        answers that each role of a feedback window has fewer than its ``min_respondents``.
        """
        self.session.expire_all()
        appraisal = self.session.get(Appraisal, appraisal_id)
        assert appraisal is not None
        state = self.defn.states[appraisal.state]
        editors: dict[str, list[Actor]] = {}
        for role, kinds in state.edit.items():
            for kind in kinds:
                editors.setdefault(kind, []).extend(holders(role)[:1])
        for kind, actors in editors.items():
            for actor in actors:
                try:
                    self._edit(kind, appraisal_id, actor, profile, moment,
                               withhold and _incomplete(profile) == MISSING_REALISATION)
                    if kind != "realisation":  # each indicator's supplier records their own realisations
                        break
                except SiklusError:
                    self.session.rollback()
        for window in self.defn.feedback:
            if appraisal.state not in window.states:
                continue
            wanted = max(window.min_respondents, 1) + 2
            if withhold and _incomplete(profile) == MISSING_RESPONDENTS:
                wanted = max(window.min_respondents - 1, 0)
            for role in window.roles:
                for respondent in holders(role)[:wanted]:
                    try:
                        give_feedback(self.session, appraisal_id, respondent, window.id,
                                      feedback_answers(window.questions, _values(profile)))
                    except SiklusError:
                        self.session.rollback()
        fill_checkpoints(self.session, self.defn, appraisal_id, holders, moment,
                         lambda schema: example_payload(schema, _values(profile)), RATING_WORDS[_values(profile)],
                         self.checkpoints)

    def _edit(self, kind: str, appraisal_id: int, actor: Actor, profile: str, moment: datetime,
              withhold_one: bool = False) -> None:
        if kind == "skp":
            count = max(self.defn.skp.min_indicators, 1)
            weights = [round(100 / count, 6)] * count
            weights[-1] = round(100 - sum(weights[:-1]), 6)
            set_skp(self.session, appraisal_id, actor, [
                {"key": f"iki_{n}", "label": f"Indikator kinerja {n}", "target": 100, "weight": w,
                 "aspect": "kuantitas", "rhk": f"Rencana hasil kerja {n}"}
                for n, w in enumerate(weights, start=1)], now=moment)
        elif kind == "realisation":
            keys: list[tuple[str, Any]] = [(i.id, i.target) for i in self.defn.indicators if system_source(i) is None]
            keys += [(row.key, row.target) for row in self.session.scalars(
                select(Indicator).where(Indicator.appraisal_id == appraisal_id))]
            for key, target in keys[:-1] if withhold_one else keys:
                try:
                    record_realisation(self.session, appraisal_id, actor, key,
                                       round(_target_value(target) * REALISED[_values(profile)], 4), now=moment)
                except Forbidden:
                    self.session.rollback()  # another role supplies this one (engine.provenance)
        elif kind == "development":
            record_development(self.session, appraisal_id, actor, "Pelatihan", self.defn.jp_target or 20,
                               done=True, now=moment)

    def fire(self, appraisal_id: int, transition: TransitionDef, role: str, holders: Holders, profile: str,
             moment: datetime) -> str | None:
        """Fire ``transition`` as the first holder of ``role`` (or the system); the refusal reason, or None."""
        actors = [Actor.system()] if role == SYSTEM else holders(role)[:1]
        if not actors:
            return f"nobody can hold role '{role}' ({self.defn.roles[role].resolver})"
        try:
            fire_transition(self.session, appraisal_id, transition.trigger, actors[0],
                            example_payload(transition.payload_schema, _values(profile)),
                            as_role=None if role == SYSTEM else role, now=moment)
        except SiklusError as exc:
            self.session.rollback()
            return _reason(exc)
        return None


class Simulator:
    """Explores one cycle definition on a private in-memory database. Use :func:`simulate`."""

    def __init__(self, source: str, defn: CycleDefinition, period: str, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.defn = defn
        self.period = period
        self.max_attempts = max_attempts
        self.attempts = 0
        self.bound_hit = False
        self.engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
        Base.metadata.create_all(self.engine)
        self.session = sessionmaker(self.engine, expire_on_commit=False)()
        self.cast = _Cast(self.session, defn)
        self.driver = Driver(self.session, defn)
        # a cycle a missing input can strand is walked all the same, to show where and how
        self.record = publish_source(self.session, source, f"{defn.id}.yaml", self.cast.hr, dead_ends=False)
        self.session.commit()
        self.start, self.end = period_bounds(defn.period, period)

    def close(self) -> None:
        self.session.close()
        self.engine.dispose()

    # -- one attempt -----------------------------------------------------------------------------

    def _fresh(self) -> tuple[int, Actor, list[Actor]]:
        unit, employee, actor, subordinates = self.cast.fresh_employee()
        if any(system_source(i) == "unit.ikm" for i in self.defn.indicators):
            # an indicator fed by the unit's public survey (IKM) needs answers about the unit in the period
            self.session.add_all(FeedbackResponse(
                unit_id=unit.id, appraisal_id=None, window=PUBLIC_WINDOW, role=PUBLIC_ROLE, respondent_user_id=None,
                respondent_key=f"simulasi-{unit.id}-{n}", answers=dict.fromkeys(survey().keys, 3), comment="",
                created_at=self.start + timedelta(days=1)) for n in range(PUBLIC_RESPONDENTS))
        self.session.commit()
        launch(self.session, self.record, unit, self.period, self.cast.hr, include_subunits=False)
        appraisal = self.session.scalars(select(Appraisal).where(Appraisal.employee_id == employee.id)).one()
        run = self.session.get(CycleRun, appraisal.run_id)
        entered = self.start + timedelta(days=1)
        initial = self.defn.states[appraisal.state]
        # The launch stamps the real clock; the simulation runs on the period's own calendar.
        self.session.execute(update(Appraisal).where(Appraisal.id == appraisal.id).values(
            entered_at=entered, state_entries={appraisal.state: entered.isoformat()},
            due_at=due_at_for(initial, run, entered)).execution_options(synchronize_session=False))
        self.session.commit()
        self.session.expire_all()
        return appraisal.id, actor, subordinates

    def _state(self, appraisal_id: int) -> Appraisal:
        self.session.expire_all()
        return self.session.get(Appraisal, appraisal_id)  # type: ignore[return-value]

    def _when_leaving(self, appraisal: Appraisal, transition: TransitionDef | None) -> datetime:
        """When the step out of the current state happens: a day after entering it, or the day before an
        anchored deadline (monitoring runs to the end of the period), and always inside the step's window."""
        moment = appraisal.entered_at + timedelta(days=1)
        state = self.defn.states[appraisal.state]
        if state.deadline is not None and state.deadline.at is not None and appraisal.due_at is not None:
            moment = max(moment, appraisal.due_at - timedelta(days=1))
        if transition is not None and transition.window is not None:
            since = (appraisal.state_entries or {}).get(transition.window.since)
            if since:
                closes = transition.window.within.after(datetime.fromisoformat(since))
                moment = min(moment, closes - timedelta(hours=1))
        return max(moment, appraisal.entered_at + timedelta(minutes=1))

    def attempt(self, path: list[Step], last: tuple[TransitionDef, str, str] | None = None) -> tuple[int, str | None,
                                                                                                     list[datetime]]:
        """Replay ``path`` on a fresh appraisal, then try ``last`` (transition, role, profile).

        Returns the appraisal id, the refusal reason of the last step (None when it went through)
        and the time each step was taken.
        """
        self.attempts += 1
        appraisal_id, employee, subordinates = self._fresh()

        def holders(role: str) -> list[Actor]:
            return self.cast.holders(role, employee, subordinates)

        moments: list[datetime] = []
        steps = [(self._transition(s.trigger), s.role, s.profile) for s in path] + ([last] if last else [])
        phase = PENDING
        for n, (transition, role, profile) in enumerate(steps):
            appraisal = self._state(appraisal_id)
            source = appraisal.state
            moment = self._when_leaving(appraisal, transition)
            self.driver.fill_inputs(appraisal_id, holders, profile, moment - timedelta(minutes=30),
                                    withhold=_incomplete(profile) in INCOMPLETE_PROFILES and phase != SUPPLIED)
            reason = self.driver.fire(appraisal_id, transition, role, holders, profile, moment)
            if reason is not None:
                if n == len(steps) - 1 and last is not None:
                    return appraisal_id, reason, moments
                raise RuntimeError(f"replaying {transition.trigger} failed: {reason}")
            phase = _next_phase(phase, source, transition.dest, self._supplied_in(profile))
            moments.append(moment)
        return appraisal_id, None, moments

    def _supplied_in(self, profile: str) -> frozenset[str]:
        """The states where the input an incomplete profile leaves out can be supplied."""
        profile = _incomplete(profile)
        if profile == MISSING_REALISATION:
            return frozenset(supply_states(self.defn, REALISATION))
        if profile == MISSING_RESPONDENTS:
            return frozenset(state for window in self.defn.feedback for state in window.states)
        return frozenset()

    def _transition(self, trigger: str) -> TransitionDef:
        return next(t for t in self.defn.transitions if t.trigger == trigger)

    # -- exploration -----------------------------------------------------------------------------

    def explore(self) -> SimulationReport:
        defn = self.defn
        report = SimulationReport(defn.id, defn.version, self.period)
        initial = defn.initial_state
        paths: dict[str, list[Step]] = {initial: []}
        queue: deque[str] = deque([initial])
        fired: dict[str, bool] = {t.trigger: False for t in defn.transitions}
        refusals: dict[str, list[str]] = {t.trigger: [] for t in defn.transitions}
        deadline_fires = {name: s.deadline.fire for name, s in defn.states.items()
                          if s.deadline is not None and s.deadline.then == "fire" and s.deadline.fire}
        while queue:
            state = queue.popleft()
            for transition in defn.transitions:
                if state not in transition.sources:
                    continue
                roles = list(transition.roles)
                if deadline_fires.get(state) == transition.trigger:
                    roles.append(SYSTEM)
                for role in roles:
                    for profile in PROFILES:
                        if self.attempts >= self.max_attempts:
                            self.bound_hit = True
                            break
                        _, reason, _ = self.attempt(paths[state], (transition, role, profile))
                        if reason is not None:
                            refusals[transition.trigger].append(f"{state} as {role}: {reason}")
                            continue
                        fired[transition.trigger] = True
                        report.edges.append((state, transition.trigger, role, transition.dest))
                        if transition.dest not in paths:
                            paths[transition.dest] = paths[state] + [Step(transition.trigger, role, profile)]
                            queue.append(transition.dest)
                        break
        report.reached = [s for s in defn.states if s in paths]
        report.paths = {s: list(p) for s, p in paths.items()}
        report.attempts = self.attempts
        report.bound_hit = self.bound_hit
        report.findings = self._findings(paths, fired, refusals, report.edges)
        report.timeline = self._timeline(report.edges)
        report.findings += self._deadline_findings(report.timeline)
        report.findings += [Finding("checkpoint", subject, message)
                            for subject, message in checkpoint_findings(defn, paths, self.driver.checkpoints)]
        finishing = self._can_finish(set(paths), report.edges)
        for profile in INCOMPLETE_PROFILES:
            if self._supplied_in(profile):
                report.walked.append(profile)
                report.findings += self._explore_incomplete(profile, finishing)
        report.attempts = self.attempts
        report.bound_hit = self.bound_hit
        return report

    @staticmethod
    def _can_finish_nodes(finals: set[Any], edges: Iterable[tuple[Any, Any]]) -> set[Any]:
        """The nodes from which a final one can be reached over ``edges`` (source, dest)."""
        edges = list(edges)
        done = set(finals)
        changed = True
        while changed:
            changed = False
            for source, dest in edges:
                if dest in done and source not in done:
                    done.add(source)
                    changed = True
        return done

    def _can_finish(self, reached: set[str], edges: list[tuple[str, str, str, str]]) -> set[str]:
        finals = {name for name in reached if self.defn.states[name].final}
        return self._can_finish_nodes(finals, ((source, dest) for source, _t, _r, dest in edges))

    def _explore_incomplete(self, profile: str, finishing: set[str]) -> list[Finding]:
        """Walk the cycle with ``profile``'s input left out until the appraisal leaves the states where it can
        be supplied; report the states it then cannot leave towards the end of the cycle."""
        defn = self.defn
        supplied = self._supplied_in(profile)
        if not supplied:
            return []
        deadline_fires = {name: s.deadline.fire for name, s in defn.states.items()
                          if s.deadline is not None and s.deadline.then == "fire" and s.deadline.fire}
        start = (defn.initial_state, PENDING)
        paths: dict[tuple[str, str], list[Step]] = {start: []}
        queue: deque[tuple[str, str]] = deque([start])
        edges: list[tuple[tuple[str, str], tuple[str, str]]] = []
        refusals: dict[tuple[str, str], list[str]] = {}
        while queue:
            node = queue.popleft()
            state, phase = node
            if phase == SUPPLIED:
                continue  # from here on the walk is the complete one, already explored
            for transition in defn.transitions_from(state):
                roles = list(transition.roles) + ([SYSTEM] if deadline_fires.get(state) == transition.trigger else [])
                for role, values in ((r, v) for r in roles for v in ("at", "above", "below")):
                    if self.attempts >= self.max_attempts:
                        self.bound_hit = True
                        break
                    step_profile = f"{profile}:{values}"  # payload values vary as in the complete walk
                    _, reason, _ = self.attempt(paths[node], (transition, role, step_profile))
                    if reason is not None:
                        refusals.setdefault(node, []).append(f"{transition.trigger} as {role}: {reason}")
                        continue
                    dest = (transition.dest, _next_phase(phase, state, transition.dest, supplied))
                    edges.append((node, dest))
                    if dest not in paths:
                        paths[dest] = paths[node] + [Step(transition.trigger, role, step_profile)]
                        queue.append(dest)
                    break
        done = self._can_finish_nodes({n for n in paths if defn.states[n[0]].final
                                       or (n[1] == SUPPLIED and n[0] in finishing)}, edges)
        wanted = REALISATION if profile == MISSING_REALISATION else "feedback."
        fixes = {s.state: s.fix for s in find_strandings(defn) if s.input.startswith(wanted)}
        findings: list[Finding] = []
        for (state, phase), _path in paths.items():
            if phase != MISSING or (state, phase) in done or state not in finishing or (state, phase) not in refusals:
                continue
            reasons = list(dict.fromkeys(refusals[(state, phase)]))
            fix = fixes.get(state) or (f"let someone supply it in '{state}' or add a transition back to a state where "
                                       f"someone may ({', '.join(sorted(supplied))})")
            findings.append(Finding(
                "stranded", state,
                f"state '{state}' strands an appraisal when {INCOMPLETE_PROFILES[profile]} (walked as {profile}): "
                f"it can no longer reach the end of the cycle ({'; '.join(reasons[:3])}); {fix}"))
        return findings

    def _findings(self, paths: Mapping[str, list[Step]], fired: Mapping[str, bool],
                  refusals: Mapping[str, list[str]], edges: list[tuple[str, str, str, str]]) -> list[Finding]:
        defn = self.defn
        findings: list[Finding] = []
        for name in defn.states:
            if name not in paths:
                findings.append(Finding("unreached-state", name, f"state '{name}' is never reached"))
        can_finish = {name for name, spec in defn.states.items() if spec.final and name in paths}
        changed = True
        while changed:
            changed = False
            for source, _trigger, _role, dest in edges:
                if dest in can_finish and source not in can_finish:
                    can_finish.add(source)
                    changed = True
        for name in defn.states:
            if name in paths and name not in can_finish:
                findings.append(Finding("never-ends", name,
                                        f"from state '{name}' no final state can be reached: an appraisal there never "
                                        "ends"))
        for transition in defn.transitions:
            if fired[transition.trigger]:
                continue
            if not any(s in paths for s in transition.sources):
                message = (f"transition '{transition.trigger}' is never fired: its source state(s) "
                           f"{', '.join(transition.sources)} are never reached")
            else:
                reasons = list(dict.fromkeys(r.split(": ", 1)[1] if ": " in r else r
                                             for r in refusals[transition.trigger]))
                message = (f"transition '{transition.trigger}' cannot be fired by any role "
                           f"({', '.join(transition.roles)}): {'; '.join(reasons[:3]) or 'no attempt succeeded'}")
            findings.append(Finding("unfireable-transition", transition.trigger, message))
        return findings

    def _typical_path(self, edges: list[tuple[str, str, str, str]]) -> list[Step] | None:
        """The shortest path from the initial state to a final one over the transitions that worked,
        preferring people over deadlines."""
        defn = self.defn
        initial = defn.initial_state
        best: dict[str, list[Step]] = {initial: []}
        queue: deque[str] = deque([initial])
        ordered = sorted(edges, key=lambda e: e[2] == SYSTEM)
        while queue:
            state = queue.popleft()
            if defn.states[state].final:
                return best[state]
            for source, trigger, role, dest in ordered:
                if source == state and dest not in best:
                    best[dest] = best[state] + [Step(trigger, role, "at")]
                    queue.append(dest)
        return None

    def _timeline(self, edges: list[tuple[str, str, str, str]]) -> list[TimelineEntry]:
        path = self._typical_path(edges)
        if path is None:
            return []
        appraisal_id, employee, subordinates = self._fresh()

        def holders(role: str) -> list[Actor]:
            return self.cast.holders(role, employee, subordinates)

        timeline: list[TimelineEntry] = []
        for step in [*path, None]:
            appraisal = self._state(appraisal_id)
            state = self.defn.states[appraisal.state]
            entry = TimelineEntry(appraisal.state, state.label.get("id"), appraisal.entered_at, appraisal.due_at,
                                  _deadline_action(state), step, None)
            if step is None:
                timeline.append(entry)
                break
            transition = self._transition(step.trigger)
            moment = self._when_leaving(appraisal, transition)
            self.driver.fill_inputs(appraisal_id, holders, step.profile, moment - timedelta(minutes=30))
            reason = self.driver.fire(appraisal_id, transition, step.role, holders, step.profile, moment)
            if reason is not None:
                raise RuntimeError(f"the typical path could not be replayed at {step.trigger}: {reason}")
            timeline.append(TimelineEntry(entry.state, entry.label, entry.entered_at, entry.due_at,
                                          entry.deadline_action, step, moment))
        return timeline

    def _deadline_findings(self, timeline: list[TimelineEntry]) -> list[Finding]:
        defn = self.defn
        findings: list[Finding] = []
        for entry in timeline:
            state = defn.states[entry.state]
            if entry.due_at is not None and entry.due_at <= entry.entered_at:
                findings.append(Finding(
                    "impossible-deadline", entry.state,
                    f"the deadline of state '{entry.state}' ({_day(entry.due_at)}) falls before the state is "
                    f"entered on the typical path ({_day(entry.entered_at)})"))
            if state.deadline is not None and state.deadline.at is not None and entry.due_at is not None \
                    and not (self.start <= entry.due_at <= self.end + timedelta(days=366)):
                findings.append(Finding(
                    "impossible-deadline", entry.state,
                    f"the deadline of state '{entry.state}' ({_day(entry.due_at)}) is outside the period "
                    f"{self.period} and its following year"))
        for name, state in defn.states.items():
            deadline = state.deadline
            if deadline is None:
                continue
            if deadline.within is not None and deadline.within.after(self.start) <= self.start:
                findings.append(Finding("impossible-deadline", name,
                                        f"the deadline of state '{name}' allows no time at all"))
            if deadline.then == "fire" and deadline.fire:
                transition = next((t for t in defn.transitions if t.trigger == deadline.fire), None)
                if transition is None or name not in transition.sources:
                    findings.append(Finding("impossible-deadline", name,
                                            f"the deadline of state '{name}' fires '{deadline.fire}', which does not "
                                            f"leave '{name}'"))
                elif transition.window is not None and deadline.within is not None and transition.window.since == name:
                    probe = self.start
                    if transition.window.within.after(probe) < deadline.within.after(probe):
                        findings.append(Finding(
                            "impossible-deadline", name,
                            f"the deadline of state '{name}' fires '{deadline.fire}' after {deadline.within}, but that "
                            f"transition may only be fired within {transition.window.within} of entering '{name}'"))
        return findings


def _next_phase(phase: str, source: str, dest: str, supplied: frozenset[str]) -> str:
    """Where an incomplete profile's input stands after a step: held back until the appraisal first leaves
    the states where it can be supplied, then missing until it is back in one."""
    if phase == PENDING and source in supplied and dest not in supplied:
        return MISSING
    if phase == MISSING and dest in supplied:
        return SUPPLIED
    return phase


def _incomplete(profile: str) -> str:
    """The incomplete-data part of a step's profile (``missing-realisation:below`` -> ``missing-realisation``)."""
    return profile.partition(":")[0]


def _values(profile: str) -> str:
    """The value profile (above, at, below) a step fills in with: ``missing-realisation:below`` uses 'below',
    an incomplete profile without one 'at'."""
    head, _, values = profile.partition(":")
    if head in PROFILES:
        return head
    return values if values in PROFILES else "at"


def _day(moment: datetime) -> str:
    return moment.astimezone(period_timezone()).strftime("%Y-%m-%d")


def _deadline_action(state: StateDef) -> str | None:
    deadline = state.deadline
    if deadline is None:
        return None
    return f"fire {deadline.fire}" if deadline.then == "fire" else deadline.then


def _reason(exc: SiklusError) -> str:
    reasons = exc.details.get("reasons") if isinstance(exc.details, dict) else None
    if reasons:
        return "; ".join(str(r.get("en") or r.get("id")) if isinstance(r, Mapping) else str(r) for r in reasons)
    return exc.message


def default_period(kind: str, now: datetime | None = None) -> str:
    """The period of ``kind`` that contains ``now`` (e.g. 2026, 2026-S2, 2026-Q4, 2026-11)."""
    now = now or datetime.now(UTC)
    year, month = now.year, now.month
    return {
        "annual": f"{year}",
        "semester": f"{year}-S{1 if month <= 6 else 2}",
        "quarterly": f"{year}-Q{(month - 1) // 3 + 1}",
        "monthly": f"{year}-{month:02d}",
    }.get(kind, f"{year}")


def simulate(source: str, filename: str = "<cycle>", *, period: str | None = None,
             max_attempts: int = MAX_ATTEMPTS) -> SimulationReport:
    """Dry-run a cycle file's text. Raises :class:`~engine.errors.DefinitionError` when it does not validate
    (states a missing input can strand are not a reason: the walk reports them as ``stranded``)."""
    defn = load_definition(source, filename, dead_ends=False)
    simulator = Simulator(source, defn, period or default_period(defn.period), max_attempts=max_attempts)
    try:
        return simulator.explore()
    finally:
        simulator.close()


def format_report(report: SimulationReport, lang: str = "id") -> str:
    """The report as text for a terminal: findings first, then the timeline of the typical path
    (dates on the period's local calendar, ``SIKLUS_TIMEZONE``)."""
    en = lang == "en"
    zone = period_timezone()

    def day(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d")

    lines = [f"{'Cycle' if en else 'Siklus'} {report.cycle_id} v{report.version}, "
             f"{'period' if en else 'periode'} {report.period}: "
             f"{len(report.reached)} {'states reached' if en else 'tahap tercapai'}, "
             f"{len(report.edges)} {'transitions fired' if en else 'transisi berhasil'}, "
             f"{report.attempts} {'trial runs' if en else 'percobaan'}"]
    if report.bound_hit:
        lines.append("exploration stopped at its bound; results are incomplete" if en
                      else "penelusuran berhenti di batasnya; hasil belum lengkap")
    if report.findings:
        lines.append("")
        lines.append("Problems:" if en else "Masalah:")
        for finding in report.findings:
            lines.append(f"  [{finding.kind}] {finding.message}")
    else:
        lines.append("No problems found." if en else "Tidak ada masalah.")
    if report.timeline:
        lines.append("")
        lines.append("Typical path:" if en else "Alur umum:")
        width = max(len(e.state) for e in report.timeline)
        for entry in report.timeline:
            due = f"{'due' if en else 'tenggat'} {day(entry.due_at)} ({entry.deadline_action})" if entry.due_at else ""
            how = (f"-> {entry.leave_by.trigger} ({entry.leave_by.role}) {day(entry.left_at)}"
                   if entry.leave_by and entry.left_at else "")
            lines.append(f"  {day(entry.entered_at)}  {entry.state:<{width}}  {entry.label}  {due}  {how}".rstrip())
    return "\n".join(lines)


__all__ = ["Finding", "SimulationReport", "Step", "TimelineEntry", "default_period", "example_payload",
           "feedback_answers", "format_report", "simulate"]
