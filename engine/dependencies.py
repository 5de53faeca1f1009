"""Which results read which inputs, so a result is recomputed whenever an input it reads changes.

A result's inputs are paths into the appraisal (``results.predikat``, ``data.penilaian.perilaku``,
``indicators``, ``feedback.rekan.scores``...). Each path is reduced to the *input* it reads, one of:

- ``results.NAME``: another result of the same appraisal (``history.results.NAME`` ends with it too);
- ``data.KEY``: a payload kept with ``save_as: KEY``;
- ``indicators``: the SKP's indicators and their realisations (and whatever fixed indicators read);
- ``development``: the competence development activities;
- ``feedback.WINDOW``: the answers of a feedback window;
- ``checkpoints``: the periodic checkpoints' entries and results.

``weak_points`` reads every ``data`` key and the indicators. Paths outside the appraisal
(``unit.*``, ``employee``, ``payload``, numbers) are not followed: they change elsewhere.

:class:`ResultGraph` is built once per compiled cycle version and answers, for a set of changed
inputs, which results must be recomputed, in an order where every result comes after the results
it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.definition import CycleDefinition, ResultDef
from engine.vocabulary import COMPLAINTS_ROOT

#: Every ``data`` key: read by ``weak_points``, changed by any ``save_as``.
ANY_DATA = "data"
INDICATORS = "indicators"
DEVELOPMENT = "development"
#: Every periodic checkpoint's entries and results (``checkpoints.SERIES[...]...``, engine.checkpoints).
CHECKPOINTS = "checkpoints"

#: What each kind of edit to an appraisal changes (``engine.appraisals.edits.edit_appraisal`` kinds).
CHANGED_BY_EDIT: Mapping[str, tuple[str, ...]] = {
    "skp": (INDICATORS,),
    "cascade": (INDICATORS,),
    "realisation": (INDICATORS,),
    "target": (INDICATORS,),
    "development": (DEVELOPMENT,),
}


def data_input(key: str) -> str:
    """The input a ``save_as: KEY`` payload changes."""
    return f"data.{key}"


def result_input(name: str) -> str:
    """The input a result is to the results that read it."""
    return f"results.{name}"


def feedback_input(window: str) -> str:
    """The input the answers of a feedback window are."""
    return f"feedback.{window}"


def inputs_of_path(path: str) -> tuple[str, ...]:
    """The inputs of the appraisal a rule input path reads (none for a path outside the appraisal)."""
    head, _, rest = path.partition(".")
    parts = rest.split(".") if rest else []
    if head == "results" and parts:
        return (result_input(parts[0]),)
    if head == "history" and len(parts) == 2 and parts[0] == "results":
        return (result_input(parts[1]),)
    if head == "data":
        return (data_input(parts[0]),) if parts else (ANY_DATA,)
    if head in (INDICATORS, "indicator_count"):
        return (INDICATORS,)
    if head == "weak_points":
        return (ANY_DATA, INDICATORS)
    if head == DEVELOPMENT:
        return (DEVELOPMENT,)
    if head == CHECKPOINTS:
        return (CHECKPOINTS,)
    if head == COMPLAINTS_ROOT:
        return (COMPLAINTS_ROOT,)
    if head == "feedback" and parts:
        return (feedback_input(parts[0]),)
    return ()


def inputs_of_mapping(inputs: Mapping[str, Any]) -> set[str]:
    """The inputs an ``inputs:`` mapping reads (each value a path, a list of paths or a constant)."""
    out: set[str] = set()
    for spec in inputs.values():
        for path in spec if isinstance(spec, list) else [spec]:
            if isinstance(path, str):
                out.update(inputs_of_path(path))
    return out


class ResultGraph:
    """The results of one cycle version with the inputs each reads, in dependency order."""

    def __init__(self, defn: CycleDefinition) -> None:
        # Reading the indicators also reads what each fixed indicator's own rule reads.
        through_indicators: set[str] = set()
        for indicator in defn.indicators:
            through_indicators |= inputs_of_mapping(indicator.inputs)
        self.reads: dict[str, frozenset[str]] = {}
        for name, spec in defn.results.items():
            reads = inputs_of_mapping(spec.inputs)
            if INDICATORS in reads:
                reads |= through_indicators
            self.reads[name] = frozenset(reads)
        self.readers: dict[str, tuple[str, ...]] = {}
        for name, inputs in self.reads.items():
            for read in inputs:
                self.readers[read] = (*self.readers.get(read, ()), name)
        self.order = _dependency_order(defn.results, self.reads)
        self._rank = {name: i for i, name in enumerate(self.order)}
        self.entry: dict[str, tuple[str, ...]] = {
            state.name: tuple(n for action in state.on_enter for n in action.names) for state in defn.states.values()
        }
        self._after_change: dict[frozenset[str], tuple[str, ...]] = {}
        self._after_transition = {
            (t.save_as, t.dest): self._to_refresh(
                {data_input(t.save_as)} if t.save_as else set(), self.entry.get(t.dest, ()))
            for t in defn.transitions
        }

    def readers_of(self, changed: Iterable[str]) -> set[str]:
        """Every result that reads a changed input, directly or through other results."""
        pending = list(changed)
        found: set[str] = set()
        while pending:
            item = pending.pop()
            direct = self.readers.get(item, ())
            if item.startswith("data."):
                direct = (*direct, *self.readers.get(ANY_DATA, ()))
            elif item == ANY_DATA:
                direct = (*direct, *(n for key, names in self.readers.items()
                                     if key.startswith("data.") for n in names))
            for name in direct:
                if name not in found:
                    found.add(name)
                    pending.append(result_input(name))
        return found

    def ordered(self, names: Iterable[str]) -> tuple[str, ...]:
        """``names`` in dependency order."""
        return tuple(sorted(names, key=self._rank.__getitem__))

    def _to_refresh(self, changed: set[str], computed_on_entry: tuple[str, ...]) -> tuple[str, ...]:
        """The results to refresh after entry actions computed ``computed_on_entry`` with ``changed`` inputs.

        The entry actions computed their results from the new data; what else reads the changed
        inputs or those results needs refreshing, and an entry result that reads a refreshed one is
        computed again after it.
        """
        entry = set(computed_on_entry)
        stale = self.readers_of(changed | {result_input(n) for n in entry}) - entry
        again = entry & self.readers_of(result_input(n) for n in stale)
        return self.ordered(stale | again | self.readers_of(result_input(n) for n in again))

    def after_transition(self, save_as: str | None, dest: str) -> tuple[str, ...]:
        """Results (in order) that a transition keeping its payload as ``save_as`` and entering ``dest``
        may leave stale: refreshed when already computed."""
        return self._after_transition.get((save_as, dest), ())

    def after_change(self, changed: frozenset[str]) -> tuple[str, ...]:
        """Results (in order) that read any of the ``changed`` inputs, directly or not."""
        found = self._after_change.get(changed)
        if found is None:
            # a handful of distinct changes per cycle (one per kind of edit): kept for the process
            found = self._after_change[changed] = self.ordered(self.readers_of(changed))
        return found


def _dependency_order(results: Mapping[str, ResultDef], reads: Mapping[str, frozenset[str]]) -> list[str]:
    """Result names with each after the results it reads (declaration order otherwise).

    A cycle of results (refused by the validator) keeps the rest in declaration order.
    """
    order: list[str] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(name: str) -> None:
        if name in placed or name in visiting:
            return
        visiting.add(name)
        for read in sorted(reads.get(name, ())):
            if read.startswith("results.") and read[len("results."):] in results:
                place(read[len("results."):])
        visiting.discard(name)
        placed.add(name)
        order.append(name)

    for name in results:
        place(name)
    return order
