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

from datetime import UTC, datetime

from engine.simulate.driver import PROFILES, Driver, example_payload, feedback_answers
from engine.simulate.explore import MAX_ATTEMPTS, Simulator
from engine.simulate.report import Finding, SimulationReport, Step, TimelineEntry, format_report
from engine.validation import load_definition

__all__ = ["PROFILES", "Driver", "Finding", "SimulationReport", "Step", "TimelineEntry", "default_period",
           "example_payload", "feedback_answers", "format_report", "simulate"]


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
