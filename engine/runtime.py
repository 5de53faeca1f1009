"""One shared state machine per (cycle id, version, content hash), built once, fired for every appraisal.

The machine is a ``transitions.Machine`` with ``model=None``: appraisals are not registered with it.
Each firing passes a short-lived :class:`Firing` token whose ``state`` the machine reads and writes;
guards and entry actions are the machine's conditions and ``on_enter`` callbacks and call rules.
The machine never touches the database; :mod:`engine.appraisals` persists what the firing decided.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from jsonschema import Draft202012Validator
from transitions import EventData, Machine, MachineError, State

from engine.calibration_guard import calibration_breach
from engine.definition import CycleDefinition, GuardDef, TransitionDef
from engine.dependencies import ResultGraph
from engine.development.closing import jp_shortfall
from engine.errors import InvalidInput, TransitionNotAllowed, WaitingForInputs
from engine.facts import Computed, Facts, waiting_message
from engine.messages import Bilingual, Label, Message
from engine.payloads import PayloadValidator, closed_payload_schema
from engine.vocabulary import guard_expression_names
from rules import Expression, ExpressionError, compile_expression, get_rule


@dataclass
class Firing:
    """The model the shared machine moves: the appraisal's state plus what this firing knows."""

    state: str
    facts: Facts
    guard_failures: list[dict[str, str]] = field(default_factory=list)
    # What a guard that warns (``calibration: {on_breach: warn}``) told the person; the firing went on.
    warnings: list[dict[str, str]] = field(default_factory=list)


class CompiledCycle:
    """A definition with its machine, compiled guard expressions, payload validators and the graph of
    which results read which inputs (built once)."""

    def __init__(self, defn: CycleDefinition) -> None:
        self.definition = defn
        self.results_graph = ResultGraph(defn)
        names = guard_expression_names(defn.results, (t.save_as for t in defn.transitions if t.save_as))
        self._expressions: dict[int, Expression] = {}
        for t in defn.transitions:
            for g in t.guards:
                if g.expr:
                    self._expressions[id(g)] = compile_expression(g.expr, names)
        self._payload_validators = {
            id(t): PayloadValidator(closed_payload_schema(t.payload_schema)) for t in defn.transitions
        }
        states = [State(name, on_enter=[partial(self._on_enter, name)]) for name in defn.states]
        transitions = [
            {
                "trigger": t.trigger,
                "source": list(t.sources),
                "dest": t.dest,
                "conditions": [partial(self._guards_pass, t)],
            }
            for t in defn.transitions
        ]
        self.machine = Machine(
            model=None,
            states=states,
            transitions=transitions,
            initial=defn.initial_state,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
            name=f"{defn.id}@{defn.version}",
        )

    # -- machine callbacks ------------------------------------------------------------------
    def _guards_pass(self, transition: TransitionDef, event: EventData) -> bool:
        firing = cast(Firing, event.model)
        ok = True
        for guard in transition.guards:
            if guard.calibration is not None:
                breach = calibration_breach(guard.calibration, firing.facts, guard.message)
                if breach is not None and guard.calibration.on_breach == "warn":
                    firing.warnings.append(breach)
                elif breach is not None:
                    firing.guard_failures.append(breach)
                    ok = False
                continue
            passed, explanation = self._check_guard(guard, firing.facts)
            if not passed:
                firing.guard_failures.append(explanation)
                ok = False
        shortfall = jp_shortfall(self.definition, transition, firing.facts)
        if shortfall is not None and self.definition.jp_below_target == "refuse":
            firing.guard_failures.append(shortfall)
            ok = False
        elif shortfall is not None:
            firing.warnings.append(shortfall)
        return ok

    def _check_guard(self, guard: GuardDef, facts: Facts) -> tuple[bool, dict[str, str]]:
        if guard.expr:
            expression = self._expressions[id(guard)]
            try:
                passed = bool(expression.evaluate(facts.guard_namespace(expression.names_used)))
            except ExpressionError as exc:
                passed, detail = False, str(exc)
                return passed, {"id": f"Syarat '{guard.expr}' tidak dapat dinilai: {detail}",
                                "en": f"Condition '{guard.expr}' cannot be evaluated: {detail}"}
            if passed:
                return True, {}
            message = guard.message.as_dict() if guard.message else {
                "id": f"Syarat belum terpenuhi: {guard.expr}", "en": f"Condition not met: {guard.expr}"}
            return False, message
        rule = get_rule(guard.rule or "")
        result = rule.evaluate(guard.params, facts.resolve_inputs(guard.inputs))
        explanation = dict(result.explanation)
        if guard.message:
            explanation = {k: f"{v} {explanation.get(k, '')}".strip() for k, v in guard.message.as_dict().items()}
        return bool(result.value) and not result.missing, explanation

    def _on_enter(self, state_name: str, event: EventData) -> None:
        firing = cast(Firing, event.model)
        state = self.definition.states[state_name]
        for action in state.on_enter:
            for name in action.names:
                computed: Computed = firing.facts.compute(name)
                if action.require and (computed.missing or computed.value is None):
                    spec = self.definition.results[name]
                    msg = waiting_message(name, spec.label, computed)
                    said = computed.explanation
                    # What it waits for in the rule's words (its inputs by label), not by their input paths.
                    coded = (Message("result.waiting_for", result=Label(name, spec.label),
                                     explanation=Bilingual(str(said["id"]), str(said["en"])))
                             if said.get("id") and said.get("en") else
                             Message("result.waiting", result=Label(name, spec.label),
                                     missing=list(computed.missing) or "-"))
                    if computed.value is None and (computed.details or {}).get("error"):
                        # Nothing to wait for: the rule refused what it was given (a value outside its table).
                        raise InvalidInput(msg["en"], explanation=msg, result=name, msg=coded)
                    raise WaitingForInputs(msg["en"], explanation=msg, result=name, missing=computed.missing,
                                           msg=coded)

    def payload_validator(self, transition: TransitionDef) -> Draft202012Validator | None:
        """The JSON Schema validator of the transition's payload, closed (:func:`closed_payload_schema`).

        ``transition`` is one of this cycle's own; one of another definition object of the same version (read
        by another session or request) is matched by value, never passed over unchecked."""
        found = self._payload_validators.get(id(transition))
        if found is None:
            same = next((own for own in self.definition.transitions if own == transition), None)
            found = self._payload_validators.get(id(same)) if same is not None else None
        return found

    # -- firing -----------------------------------------------------------------------------
    def fire(self, trigger: str, firing: Firing) -> bool:
        """Fire ``trigger`` on the token; False when a guard refused (see ``firing.guard_failures``)."""
        event = self.machine.events[trigger]
        try:
            return bool(event.trigger(firing))
        except MachineError as exc:  # trigger not valid from this state: checked earlier, kept as a net
            raise TransitionNotAllowed(str(exc), msg=Message("transition.machine", trigger=trigger)) from exc



_cache: dict[tuple[str, int, str], CompiledCycle] = {}
_lock = threading.Lock()


def compiled(defn: CycleDefinition) -> CompiledCycle:
    """The shared compiled cycle for a definition (built once per process)."""
    found = _cache.get(defn.key)
    if found is None:
        with _lock:
            found = _cache.get(defn.key)
            if found is None:
                found = CompiledCycle(defn)
                _cache[defn.key] = found
    return found


def preview_computation(cycle: CompiledCycle, facts: Facts, names: list[str]) -> dict[str, Any]:
    """Compute results without firing anything (e.g. the predicate shown before a rating is saved)."""
    return {name: facts.compute(name).as_json() for name in names}
