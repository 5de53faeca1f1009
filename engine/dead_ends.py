"""Dead ends: states an appraisal cannot leave once an input people supply is missing.

A transition is refused while a result its destination computes on entry with ``require: true`` (the
default) cannot be computed, or while one of its guards reads an input that is not there. When every
way out of a state needs an input that nobody may supply in that state, and no way out that does not
need it leads to a state where someone may supply it (or to the end of the cycle), an appraisal that
arrives there without the input stays there for good: nobody can rate it, return it or close it.

Inputs people supply late are the realisations of IKI (``edit: realisation``) and the answers of a
feedback window (in the window's states). Data saved by transitions carries its own payload, and
system sources (``unit.ikm``) are nobody's to type, so neither can strand a state this way.

The analysis is static: it reads a :class:`~engine.definition.CycleDefinition`, no database. It knows
which results are already guaranteed when a state is entered (computed with ``require: true`` on every
path there), so a state after the rating does not count as needing the realisations again.
``engine.validation`` reports each finding at the state's line; ``siklus simulate`` confirms them by
walking the cycle with incomplete data.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.definition import CycleDefinition, TransitionDef
from engine.messages import Message
from engine.vocabulary import guard_expression_names
from rules import ExpressionError, compile_expression, get_rule

__all__ = ["REALISATION", "BlockedExit", "Stranding", "find_strandings", "input_words", "result_needs",
           "supply_states"]

#: The input name of the realisations of typed IKI; a feedback window's answers are ``feedback.<id>``.
REALISATION = "realisation"


@dataclass(frozen=True)
class BlockedExit:
    """A way out of a state that waits for an input: the transition and what reads the input."""

    trigger: str
    dest: str
    through: str  # "'review' computes 'rating_hasil_kerja' with require: true", or "a guard of 'rate'"


@dataclass(frozen=True)
class Stranding:
    """A state an appraisal cannot leave when ``input`` is missing, and where it could have been supplied."""

    state: str
    input: str
    exits: tuple[BlockedExit, ...]
    supplied_in: tuple[str, ...]

    @property
    def message(self) -> str:
        """What is wrong and how to fix it, for a cycle author."""
        ways = "; ".join(f"{e.trigger} to '{e.dest}', where {e.through}" for e in self.exits)
        if self.supplied_in:
            nowhere = (f"nobody may supply it in '{self.state}' and no way out of '{self.state}' that does not need "
                       f"it leads to a state where someone may ({', '.join(self.supplied_in)})")
        else:
            nowhere = "no state lets anyone supply it"
        return (f"state '{self.state}' can strand an appraisal: when {input_words(self.input)} is missing, every way "
                f"out waits for it ({ways}), but {nowhere}; {self.fix}")

    @property
    def msg(self) -> Message:
        """:attr:`message` as a coded message, for every reader."""
        exits = [Message("cycle.strand.exit", trigger=e.trigger, dest=e.dest) for e in self.exits]
        nowhere = (Message("cycle.strand.nowhere_here", state=self.state, states=list(self.supplied_in))
                   if self.supplied_in else Message("cycle.strand.nowhere"))
        what = (Message("cycle.strand.realisation") if self.input == REALISATION
                else Message("cycle.strand.answer", window=self.input.partition(".")[2]))
        return Message("cycle.stranding", state=self.state, input=what, exits=exits, nowhere=nowhere,
                       fix=self.fix_msg)

    @property
    def fix_msg(self) -> Message:
        """:attr:`fix` as a coded message."""
        back = Message("cycle.strand.back", state=self.state, dest=self.supplied_in[0]) if self.supplied_in else ""
        if self.input == REALISATION:
            return Message("cycle.strand.fix_realisation", state=self.state, back=back)
        return Message("cycle.strand.fix_feedback", state=self.state, window=self.input.partition(".")[2], back=back)

    @property
    def fix(self) -> str:
        """How to give the state a way out: let someone supply the input there, or lead back."""
        back = (f" or add a transition from '{self.state}' back to '{self.supplied_in[0]}'" if self.supplied_in else "")
        return f"{input_fix(self.input, self.state)}{back}"


def input_words(name: str) -> str:
    """An input in words for a cycle author: ``the realisation of an IKI``, ``an answer to feedback window 'x'``."""
    if name == REALISATION:
        return "the realisation of an IKI"
    return f"an answer to feedback window '{name.partition('.')[2]}'"


def input_fix(name: str, state: str) -> str:
    """How to let someone supply ``name`` in ``state``."""
    if name == REALISATION:
        return f"give a role 'edit: realisation' in '{state}'"
    return f"list '{state}' in the states of feedback window '{name.partition('.')[2]}'"


def supply_states(defn: CycleDefinition, name: str) -> dict[str, tuple[str, ...]]:
    """The states where someone may supply input ``name``, with the roles who may."""
    if name == REALISATION:
        return {s.name: tuple(r for r, kinds in s.edit.items() if REALISATION in kinds)
                for s in defn.states.values() if any(REALISATION in kinds for kinds in s.edit.values())}
    window = defn.feedback_window(name.partition(".")[2])
    return {state: window.roles for state in window.states} if window else {}


class _Needs:
    """Which people-supplied inputs a result, a rule input or a guard waits for."""

    def __init__(self, defn: CycleDefinition) -> None:
        self.defn = defn

    def of_path(self, path: str) -> set[str]:
        """Inputs and results (``results.X``) one input path reads."""
        head, _, rest = path.partition(".")
        first = rest.split(".")[0] if rest else ""
        if head == "results" and first:
            return {f"results.{first}"}
        if head == "feedback" and first:
            return {f"feedback.{first}"}
        if head != "indicators":
            return set()
        found: set[str] = set()
        if not first and self.defn.skp.employee_indicators:
            found.add(REALISATION)
        for indicator in self.defn.indicators:
            if first and indicator.id != first:
                continue
            if indicator.source:
                found.add(f"feedback.{indicator.source}")
            elif "realisation" in indicator.inputs:
                found |= self.of_spec(indicator.inputs["realisation"])
            else:
                found.add(REALISATION)
        return found

    def of_spec(self, spec: object) -> set[str]:
        """A rule input: one path, or alternatives (any one of them may be the one read)."""
        if isinstance(spec, str):
            return self.of_path(spec)
        if isinstance(spec, (list, tuple)):
            return set().union(*(self.of_path(p) for p in spec if isinstance(p, str)))
        return set()

    def of_rule(self, rule: str, params: Mapping[str, object], inputs: Mapping[str, object]) -> set[str]:
        """What a rule waits for: the paths of its required inputs."""
        try:
            specs = get_rule(rule).inputs_for(params)
        except Exception:  # noqa: BLE001 - an unknown rule is the validator's to report
            specs = {}
        found: set[str] = set()
        for name, spec in inputs.items():
            if name not in specs or specs[name].required:
                found |= self.of_spec(spec)
        return found

    def expand(self, items: Iterable[str], computed_now: set[str], guaranteed: frozenset[str],
               seen: frozenset[str] = frozenset()) -> set[str]:
        """People-supplied inputs behind ``items``, following results that are not already guaranteed."""
        out: set[str] = set()
        for item in items:
            if not item.startswith("results."):
                out.add(item)
                continue
            name = item.partition(".")[2]
            if name in seen or name not in self.defn.results:
                continue
            if name not in computed_now and name in guaranteed:
                continue
            spec = self.defn.results[name]
            out |= self.expand(self.of_rule(spec.rule, spec.params, spec.inputs), computed_now, guaranteed,
                               seen | {name})
        return out


def result_needs(defn: CycleDefinition, name: str, guaranteed: frozenset[str] = frozenset(), *,
                 follow_results: bool = True) -> set[str]:
    """The people-supplied inputs result ``name`` waits for: its own inputs' and, with ``follow_results``,
    those of the results it reads that are not ``guaranteed`` (``results.X`` already present)."""
    needs = _Needs(defn)
    spec = defn.results[name]
    own = needs.of_rule(spec.rule, spec.params, spec.inputs)
    if not follow_results:
        return {item for item in own if not item.startswith("results.")}
    return needs.expand(own, set(), guaranteed)


def _guard_items(needs: _Needs, transition: TransitionDef) -> set[str]:
    names = guard_expression_names(needs.defn.results, (t.save_as for t in needs.defn.transitions if t.save_as))
    items: set[str] = set()
    for guard in transition.guards:
        if guard.expr:
            try:
                used = compile_expression(guard.expr, names).names_used
            except ExpressionError:
                continue
            items |= {f"results.{n}" for n in used if n in needs.defn.results}
        elif guard.rule:
            items |= needs.of_rule(guard.rule, guard.params, guard.inputs)
    return items


def _edge_needs(needs: _Needs, transition: TransitionDef,
                guaranteed: frozenset[str]) -> tuple[dict[str, str], set[str]]:
    """What firing ``transition`` waits for (input -> what reads it) and the results it guarantees."""
    waits: dict[str, str] = {}
    for item in sorted(needs.expand(_guard_items(needs, transition), set(), guaranteed)):
        waits.setdefault(item, f"a guard of '{transition.trigger}' reads it")
    computed_now: set[str] = set()
    required: set[str] = set()
    for action in needs.defn.states[transition.dest].on_enter:
        for name in action.names:
            spec = needs.defn.results.get(name)
            if spec is None:
                continue
            if action.require:
                own = needs.of_rule(spec.rule, spec.params, spec.inputs)
                for item in sorted(needs.expand(own, computed_now, guaranteed)):
                    waits.setdefault(item, f"'{transition.dest}' computes '{name}' with require: true")
                required.add(name)
            computed_now.add(name)
    return waits, required


def find_strandings(defn: CycleDefinition) -> list[Stranding]:
    """Every (state, input) where a missing input strands an appraisal, in the order of the states."""
    if not any(a.require for s in defn.states.values() for a in s.on_enter) and not any(
            g.rule or g.expr for t in defn.transitions for g in t.guards):
        return []  # nothing waits for anything: no state can be stranded
    needs = _Needs(defn)
    initial = defn.initial_state
    leaving: dict[str, list[TransitionDef]] = {name: [] for name in defn.states}
    for t in defn.transitions:
        if t.dest in defn.states:
            for source in t.sources:
                if source in leaving:
                    leaving[source].append(t)
    reached = {initial}
    queue = deque([initial])
    while queue:
        for t in leaving[queue.popleft()]:
            if t.dest not in reached:
                reached.add(t.dest)
                queue.append(t.dest)
    # What is guaranteed present on entering each state (results computed with require: true, inputs a
    # transition waited for): the intersection over every way in, a must-analysis run to its fixpoint.
    # Each state's set only ever shrinks (what a way in waits for may grow as less is guaranteed
    # before it), so the worklist ends.
    universe = frozenset({f"results.{n}" for n in defn.results} | {REALISATION}
                         | {f"feedback.{w.id}" for w in defn.feedback})
    guaranteed: dict[str, frozenset[str]] = {s: universe for s in reached}
    guaranteed[initial] = frozenset(f"results.{n}" for a in defn.states[initial].on_enter if a.require for n in a.names)
    ways_in: dict[str, dict[tuple[str, int], frozenset[str]]] = {s: {} for s in reached}
    work = deque([initial])
    pending = {initial}
    while work:
        source = work.popleft()
        pending.discard(source)
        for k, t in enumerate(leaving[source]):
            waits, required = _edge_needs(needs, t, guaranteed[source])
            ways_in[t.dest][(source, k)] = guaranteed[source] | set(waits) | {f"results.{n}" for n in required}
            if t.dest == initial:
                continue
            meet = guaranteed[t.dest].intersection(*ways_in[t.dest].values())
            if meet != guaranteed[t.dest] and t.dest not in pending:
                guaranteed[t.dest] = meet
                pending.add(t.dest)
                work.append(t.dest)
            else:
                guaranteed[t.dest] = meet
    edges = [(source, t, _edge_needs(needs, t, guaranteed[source])[0]) for source in reached for t in leaving[source]]
    entering: dict[str, list[tuple[str, dict[str, str]]]] = {name: [] for name in defn.states}
    for source, t, waits in edges:
        entering[t.dest].append((source, waits))
    found: list[Stranding] = []
    for name in sorted({item for _, _, waits in edges for item in waits if not item.startswith("results.")}):
        supplied = supply_states(defn, name)
        # states from which an appraisal without the input still reaches the end or a place to supply it
        safe = {s for s in defn.states if defn.states[s].final or s in supplied}
        back = deque(safe)
        while back:
            dest = back.popleft()
            for source, waits in entering[dest]:
                if source not in safe and name not in waits:
                    safe.add(source)
                    back.append(source)
        for state in defn.states:
            if state not in reached or state in safe or name in guaranteed[state]:
                continue
            blocked = tuple(BlockedExit(t.trigger, t.dest, waits[name]) for source, t, waits in edges
                            if source == state and name in waits)
            if blocked:
                found.append(Stranding(state, name, blocked, tuple(supplied)))
    order = {name: n for n, name in enumerate(defn.states)}
    found.sort(key=lambda s: (order[s.state], s.input))
    return found
