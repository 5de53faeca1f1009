"""The exploration of a dry run: every transition out of every reached state as every role, then the
walks with incomplete data, on a private in-memory database. Use :func:`engine.simulate.simulate`."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import StaticPool, create_engine, select, update
from sqlalchemy.orm import sessionmaker

from engine.appraisals import due_at_for
from engine.checkpoints.simulation import findings as checkpoint_findings
from engine.dead_ends import REALISATION, find_strandings, supply_states
from engine.definition import CycleDefinition, StateDef, TransitionDef
from engine.messages import Bilingual, Message
from engine.models import Appraisal, Base, CycleRun, FeedbackResponse
from engine.notification_texts import plain_text
from engine.permissions import Actor
from engine.provenance import system_source
from engine.public_feedback import ROLE as PUBLIC_ROLE
from engine.public_feedback import WINDOW as PUBLIC_WINDOW
from engine.public_feedback import survey
from engine.registry import publish_source
from engine.runs import launch, period_bounds, period_timezone
from engine.simulate.driver import (
    INCOMPLETE_PROFILES,
    MISSING,
    MISSING_REALISATION,
    MISSING_RESPONDENTS,
    PENDING,
    PROFILES,
    PUBLIC_RESPONDENTS,
    SUPPLIED,
    SYSTEM,
    Cast,
    Driver,
    incomplete_of,
    said,
)
from engine.simulate.report import Finding, SimulationReport, Step, TimelineEntry

MAX_ATTEMPTS = 4000


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
        self.cast = Cast(self.session, defn)
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

    def attempt(self, path: list[Step],
                last: tuple[TransitionDef, str, str] | None = None) -> tuple[int, Bilingual | None, list[datetime]]:
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
                                    withhold=incomplete_of(profile) in INCOMPLETE_PROFILES and phase != SUPPLIED)
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
        profile = incomplete_of(profile)
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
        refusals: dict[str, list[Bilingual]] = {t.trigger: [] for t in defn.transitions}
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
                            refusals[transition.trigger].append(reason)
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
        report.findings += [Finding.of("checkpoint", subject, message)
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
        refusals: dict[tuple[str, str], list[Bilingual]] = {}
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
                        refusals.setdefault(node, []).append(
                            said(Message("simulate.as_role", state=transition.trigger, role=role, reason=reason)))
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
        fixes = {s.state: Bilingual(plain_text(s.fix_msg, "id"), s.fix) for s in find_strandings(defn)
                 if s.input.startswith(wanted)}
        findings: list[Finding] = []
        for (state, phase), _path in paths.items():
            if phase != MISSING or (state, phase) in done or state not in finishing or (state, phase) not in refusals:
                continue
            reasons = list(dict.fromkeys(refusals[(state, phase)]))
            fix = fixes.get(state) or Message("simulate.stranded_fix", state=state, states=", ".join(sorted(supplied)))
            findings.append(Finding.of("stranded", state, Message(
                "simulate.stranded", state=state, profile=INCOMPLETE_PROFILES[profile], walked=profile,
                reasons=Bilingual.join(reasons[:3]), fix=fix)))
        return findings

    def _findings(self, paths: Mapping[str, list[Step]], fired: Mapping[str, bool],
                  refusals: Mapping[str, list[Bilingual]], edges: list[tuple[str, str, str, str]]) -> list[Finding]:
        defn = self.defn
        findings: list[Finding] = []
        for name in defn.states:
            if name not in paths:
                findings.append(Finding.of("unreached-state", name, Message("simulate.unreached", state=name)))
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
                findings.append(Finding.of("never-ends", name, Message("simulate.never_ends", state=name)))
        for transition in defn.transitions:
            if fired[transition.trigger]:
                continue
            if not any(s in paths for s in transition.sources):
                message = Message("simulate.never_fired", trigger=transition.trigger,
                                  sources=", ".join(transition.sources))
            else:
                reasons = list(dict.fromkeys(refusals[transition.trigger]))
                message = Message("simulate.unfireable", trigger=transition.trigger, roles=", ".join(transition.roles),
                                  reasons=Bilingual.join(reasons[:3]) if reasons else Message("simulate.no_attempt"))
            findings.append(Finding.of("unfireable-transition", transition.trigger, message))
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
                findings.append(Finding.of("impossible-deadline", entry.state, Message(
                    "simulate.deadline_before", state=entry.state, due=_day(entry.due_at),
                    entered=_day(entry.entered_at))))
            if state.deadline is not None and state.deadline.at is not None and entry.due_at is not None \
                    and not (self.start <= entry.due_at <= self.end + timedelta(days=366)):
                findings.append(Finding.of("impossible-deadline", entry.state, Message(
                    "simulate.deadline_outside", state=entry.state, due=_day(entry.due_at), period=self.period)))
        for name, state in defn.states.items():
            deadline = state.deadline
            if deadline is None:
                continue
            if deadline.within is not None and deadline.within.after(self.start) <= self.start:
                findings.append(Finding.of("impossible-deadline", name,
                                           Message("simulate.deadline_no_time", state=name)))
            if deadline.then == "fire" and deadline.fire:
                transition = next((t for t in defn.transitions if t.trigger == deadline.fire), None)
                if transition is None or name not in transition.sources:
                    findings.append(Finding.of("impossible-deadline", name, Message(
                        "simulate.deadline_stays", state=name, fire=deadline.fire)))
                elif transition.window is not None and deadline.within is not None and transition.window.since == name:
                    probe = self.start
                    if transition.window.within.after(probe) < deadline.within.after(probe):
                        findings.append(Finding.of("impossible-deadline", name, Message(
                            "simulate.deadline_after_window", state=name, fire=deadline.fire,
                            within=str(deadline.within), window=str(transition.window.within))))
        return findings


def _next_phase(phase: str, source: str, dest: str, supplied: frozenset[str]) -> str:
    """Where an incomplete profile's input stands after a step: held back until the appraisal first leaves
    the states where it can be supplied, then missing until it is back in one."""
    if phase == PENDING and source in supplied and dest not in supplied:
        return MISSING
    if phase == MISSING and dest in supplied:
        return SUPPLIED
    return phase


def _day(moment: datetime) -> str:
    return moment.astimezone(period_timezone()).strftime("%Y-%m-%d")


def _deadline_action(state: StateDef) -> str | None:
    deadline = state.deadline
    if deadline is None:
        return None
    return f"fire {deadline.fire}" if deadline.then == "fire" else deadline.then
