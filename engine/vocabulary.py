"""The cycle language's vocabulary: every name a cycle file uses to read an appraisal or name a role.

One declaration, each name with its doc, for the four places that must agree on it:

* :mod:`engine.facts` resolves the input paths (a root it does not resolve, or one it resolves that
  is not declared here, fails ``tests/engine/test_vocabulary.py``);
* :mod:`engine.validation` accepts the roots, parts and guard names declared here and no others;
* the JSON Schema (``engine/schema/cycle.schema.json``) describes inputs, guard expressions and
  resolvers with the texts rendered here, and lists exactly these resolvers;
* ``docs/rules.md`` carries the table :func:`markdown` renders.

``python -m engine.vocabulary`` rewrites the schema's descriptions and the table in docs/rules.md
after a change here. The module is pure: it imports only the standard library, so the static checker
and the documentation read it without loading the engine, and :mod:`engine.resolvers` (which
registers one class per resolver name) is checked against it rather than imported by it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Term:
    """A name of the cycle language and what it means, for a cycle author."""

    name: str
    doc: str


@dataclass(frozen=True)
class InputRoot:
    """The first part of a rule input path, with the paths written under it.

    ``parts`` are the fixed names a path may take right after the root (``history.results``); empty
    when what follows is the cycle's own names (``results.NAME``) or the value's keys (``data.KEY``).
    ``forms`` are the paths a cycle author writes, each with what it gives. ``in_appraisal`` says
    whether the value lives in the appraisal, so that a result reading it is recomputed when it changes
    (:mod:`engine.dependencies`); a value from elsewhere is read when the result is computed.
    """

    name: str
    doc: str
    forms: tuple[Term, ...]
    parts: tuple[str, ...] = ()
    in_appraisal: bool = True


# -- input paths ----------------------------------------------------------------------------------

#: ``feedback.WINDOW.scores``: one {role, score} per respondent of the window.
SCORES = "scores"
#: ``feedback.WINDOW.scores_with_public``: the same plus each answer to the unit's public IKM survey.
SCORES_WITH_PUBLIC = "scores_with_public"
#: What may follow ``feedback.WINDOW`` besides one of the window's roles.
FEEDBACK_SCORE_PATHS = (SCORES, SCORES_WITH_PUBLIC)
#: The fields of ``employee``.
EMPLOYEE_FIELDS = ("id", "nip", "name", "position", "position_level", "unit_id")
#: The figures of ``development``.
DEVELOPMENT_FIGURES = ("jp_done", "jp_target")
#: The figures of ``unit.ikm`` besides its value.
IKM_FIGURES = ("value", "grade", "performance", "respondents")
#: The input root of the public complaints verified against the employee (:mod:`engine.complaints`).
COMPLAINTS_ROOT = "complaints"
#: What follows ``complaints``.
COMPLAINT_FIGURES = ("verified",)
#: The input root of the run's periodic checkpoints (:mod:`engine.checkpoints`).
CHECKPOINTS_ROOT = "checkpoints"
#: What a checkpoint holds for rules after its selector: ``checkpoints.SERIES[*|N|latest].PART``.
CHECKPOINT_SERIES_PARTS = ("results", "rating", "realisations", "self_assessment", "report")
#: What a checkpoint's own periodic results read after ``checkpoint.`` (inside ``checkpoints: [{results}]``).
CHECKPOINT_PARTS = ("indicators", "results", "rating", "self_assessment", "report")
_CHECKPOINT_SELECTOR = re.compile(r"^([a-z][a-z0-9_]*)\[(\*|latest|[1-9][0-9]*)\]$")


def parse_checkpoint_selector(part: str) -> tuple[str, str] | None:
    """``triwulan[*]`` -> ("triwulan", "*"); None when ``part`` is not a checkpoint selector."""
    m = _CHECKPOINT_SELECTOR.match(part)
    return (m.group(1), m.group(2)) if m else None


INPUT_ROOTS: tuple[InputRoot, ...] = (
    InputRoot("data", "payloads transitions kept with save_as, by their save_as name", (
        Term("data.KEY", "the payload a transition kept with save_as: KEY; data.KEY.FIELD one of its fields"),
    )),
    InputRoot("results", "the cycle's results", (
        Term("results.NAME", "result NAME of this appraisal (None until it is computed)"),
    )),
    InputRoot("indicators", "the IKI of the plan", (
        Term("indicators", "every IKI with target, realisation and achievement"),
        Term("indicators.ID.achievement", "one fixed IKI's achievement (also .target, .realisation)"),
    )),
    InputRoot("feedback", "answers of the cycle's feedback windows", (
        Term("feedback.WINDOW", "a window's answers by respondent role (feedback.WINDOW.ROLE: one role's)"),
        Term(f"feedback.WINDOW.{SCORES}", "one {role, score} per respondent of the window, for feedback_360"),
        Term(f"feedback.WINDOW.{SCORES_WITH_PUBLIC}",
             "the same plus each answer to the unit's public satisfaction survey, as role public"),
    )),
    InputRoot("employee", "the appraised employee", (
        Term("employee.FIELD", f"the appraised employee's {', '.join(EMPLOYEE_FIELDS)}"),
    ), in_appraisal=False),
    InputRoot("payload", "the object posted with the transition being fired", (
        Term("payload.KEY", "a key of the object posted with the transition being fired"),
    ), in_appraisal=False),
    InputRoot("unit", "the employee's unit", (
        Term("unit.results.NAME", "result NAME of every open appraisal of the run in the employee's unit "
                                  "(for calibration)"),
        Term("unit.ikm", "the public satisfaction index (IKM) of the employee's unit over the run's period "
                         f"(also {', '.join('.' + f for f in IKM_FIGURES[1:])})"),
    ), parts=("results", "ikm"), in_appraisal=False),
    InputRoot(COMPLAINTS_ROOT, "public complaints about the employee's service", (
        Term("complaints.verified", "how many public complaints HR verified against the employee, received "
                                    "within the run's period (counted, never typed)"),
    ), parts=COMPLAINT_FIGURES),
    InputRoot("development", "competence development", (
        Term("development.jp_done", "lesson hours (JP) of development done"),
        Term("development.jp_target", "the cycle's yearly JP target"),
    ), parts=DEVELOPMENT_FIGURES),
    InputRoot("weak_points", "what development should address", (
        Term("weak_points", "BerAKHLAK values rated below expectation and IKI under 100% achievement"),
    )),
    InputRoot("indicator_count", "the size of the plan", (
        Term("indicator_count", "how many IKI the plan holds"),
    )),
    InputRoot("history", "the employee's earlier runs of this cycle", (
        Term("history.results.NAME", "result NAME in the employee's earlier runs of this cycle, oldest first, "
                                     "then this run's"),
    ), parts=("results",)),
    InputRoot(CHECKPOINTS_ROOT, "the run's periodic checkpoints", (
        Term("checkpoints.SERIES[*].results.NAME", "periodic result NAME of every checkpoint of the series, as "
                                                   "{period, label, value} oldest first (for trend, periodic_rating)"),
        Term("checkpoints.SERIES[N].rating.KEY", "the rater's periodic rating of the N-th checkpoint (from 1)"),
        Term("checkpoints.SERIES[latest].realisations.IKI", "an IKI's realisation in the last checkpoint that has one"),
        Term("checkpoints.SERIES[*].self_assessment.QUESTION", "the employee's answer to a self-assessment question"),
        Term("checkpoints.SERIES[*].report", "the employee's report text"),
    )),
    InputRoot("days_in_state", "time in the current state", (
        Term("days_in_state", "whole days since the appraisal entered its current state"),
    ), in_appraisal=False),
)

#: What a checkpoint's own periodic results may read (``results`` of a ``checkpoints:`` series).
CHECKPOINT_INPUTS: tuple[Term, ...] = (
    Term("checkpoint.indicators", "every IKI with its realisation recorded for this checkpoint"),
    Term("checkpoint.results.NAME", "another periodic result of this checkpoint"),
    Term("checkpoint.rating.KEY", "the rater's periodic rating of this checkpoint"),
    Term("checkpoint.self_assessment.QUESTION", "the employee's answer for this checkpoint"),
    Term("checkpoint.report", "the employee's report for this checkpoint"),
)

#: The names of the input roots, in the order messages list them.
ROOT_NAMES: tuple[str, ...] = tuple(root.name for root in INPUT_ROOTS)


def input_root(name: str) -> InputRoot | None:
    """The declared root ``name``, if there is one."""
    return next((root for root in INPUT_ROOTS if root.name == name), None)


def input_forms() -> Iterator[Term]:
    """Every path form of every root, in order."""
    for root in INPUT_ROOTS:
        yield from root.forms


# -- guard expressions ----------------------------------------------------------------------------

#: Names a guard expression may use besides the cycle's result names and save_as data keys; each is
#: the input root of the same name.
GUARD_NAMES: tuple[str, ...] = ("payload", "indicator_count", "employee", "days_in_state")


def guard_expression_names(results: Iterable[str], save_as: Iterable[str]) -> list[str]:
    """Every name a guard expression of a cycle may use: its result names, the data keys its transitions
    keep with ``save_as``, and :data:`GUARD_NAMES`."""
    return list(dict.fromkeys([*results, *save_as, *GUARD_NAMES]))


# -- role resolvers -------------------------------------------------------------------------------

#: Who holds a role for an appraisal, by the ``resolver:`` a cycle role names (PermenPAN-RB 6/2022:
#: the direct supervisor is the pejabat penilai, the supervisor's supervisor the atasan pejabat penilai).
RESOLVERS: tuple[Term, ...] = (
    Term("self", "the appraised employee (pegawai)"),
    Term("supervisor", "the direct supervisor (pejabat penilai); for an employee with none in Siklus, "
                       "the account HR designated"),
    Term("supervisor_of_supervisor", "the supervisor's supervisor (atasan pejabat penilai); where the chart ends, "
                                     "the account HR designated"),
    Term("peers", "active colleagues with the same direct supervisor (rekan kerja)"),
    Term("subordinates", "the employee's active direct reports (bawahan)"),
    Term("nominated", "colleagues of the same agency the employee nominated and the rater approved "
                      "(rate as peers in a 360 score)"),
    Term("unit_hr", "HR (SDM) of the employee's unit or a unit above it"),
    Term("group", "members of the named group covering the employee's unit, e.g. a TPK panel"),
    Term("public", "the public (masyarakat): answers only the unit's public satisfaction survey"),
)
RESOLVER_NAMES: tuple[str, ...] = tuple(r.name for r in RESOLVERS)
#: Resolvers whose roles hold nothing on an appraisal: they only answer the unit's public survey.
PUBLIC_ROLE_RESOLVERS = frozenset({"public"})
#: The ``feedback_360`` rater role answers of a role count under, where it is not the resolver's own name (a group
#: role's is its own id): engine.resolvers' ``rater_role`` says the same (tests hold them together).
RATER_ROLES: dict[str, str] = {"nominated": "peers"}


def rater_role(role_id: str, resolver: str) -> str:
    """The ``feedback_360`` rater role of a cycle role, from its id and resolver name (no database code)."""
    return role_id if resolver == "group" else RATER_ROLES.get(resolver, resolver)

#: What each role may edit in a state (``edit: {ROLE: [...]}``).
EDIT_KINDS = ("skp", "realisation", "feedback", "development")
#: The rule that turns an employee's own IKI into an achievement when ``skp`` names none.
DEFAULT_SKP_RULE = "target_achievement"
#: What closing an appraisal below the JP target does (``development: {below_target: ...}``): warn tells
#: the person and closes, refuse holds the closing until the JP are done. The first is the default.
JP_BELOW_TARGET: tuple[Term, ...] = (
    Term("warn", "the appraisal closes and the person is told how many JP are missing"),
    Term("refuse", "the appraisal does not close until the JP target is met"),
)
#: The rule whose result places an employee on the nine-box grid (``talent: {box: RESULT}``).
TALENT_BOX_RULE = "talent_box"


# -- rendered texts -------------------------------------------------------------------------------

def inputs_description() -> str:
    """The JSON Schema description of a rule's ``inputs``."""
    forms = ", ".join(form.name for form in input_forms())
    return (f"Rule input name -> path into the appraisal ({forms}), a list of paths (the first that has a value), "
            "or a literal number/boolean.")


def guard_expression_description() -> str:
    """The JSON Schema description of a guard's ``expr``."""
    return ("A safe expression over the cycle's result names, the data keys transitions keep with save_as, "
            f"and {', '.join(GUARD_NAMES[:-1])} and {GUARD_NAMES[-1]}.")


def resolver_description() -> str:
    """The JSON Schema description of a role's ``resolver``."""
    return "Who holds the role for a given appraisal: " + "; ".join(f"{r.name}, {r.doc}" for r in RESOLVERS) + "."


MARKDOWN_BEGIN = "<!-- vocabulary: generated by `python -m engine.vocabulary` from engine/vocabulary.py -->"
MARKDOWN_END = "<!-- /vocabulary -->"


def markdown() -> str:
    """The input paths, guard names and resolvers as the Markdown block docs/rules.md carries."""
    lines = [MARKDOWN_BEGIN, "", "| input path | gives | a change recomputes the results reading it |",
             "|---|---|---|"]
    lines += [f"| `{form.name}` | {form.doc} | {'yes' if root.in_appraisal else 'no: read when computed'} |"
              for root in INPUT_ROOTS for form in root.forms]
    lines += ["", "A periodic result of a checkpoint series (its `results`) reads the checkpoint itself:", "",
              "| input path | gives |", "|---|---|"]
    lines += [f"| `{term.name}` | {term.doc} |" for term in CHECKPOINT_INPUTS]
    lines += ["", "A list of paths takes the first that has a value. A guard expression may use the cycle's "
              "result names, the data keys transitions keep with `save_as`, and "
              + ", ".join(f"`{name}`" for name in GUARD_NAMES) + " (as the input paths above).",
              "", "| resolver | holds the role |", "|---|---|"]
    lines += [f"| `{r.name}` | {r.doc} |" for r in RESOLVERS]
    lines += ["", MARKDOWN_END]
    return "\n".join(lines)


# -- keeping the schema and the docs in step --------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "engine" / "schema" / "cycle.schema.json"
RULES_DOC = ROOT / "docs" / "rules.md"


def schema_with_vocabulary(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (the cycle schema, parsed) with the descriptions and the resolver list from here."""
    defs = schema["$defs"]
    defs["inputs"]["description"] = inputs_description()
    defs["guard"]["oneOf"][1]["properties"]["expr"]["description"] = guard_expression_description()
    resolver = defs["role"]["properties"]["resolver"]
    resolver["description"] = resolver_description()
    resolver["enum"] = list(RESOLVER_NAMES)
    below = schema["properties"]["development"]["properties"]["below_target"]
    below["enum"] = [t.name for t in JP_BELOW_TARGET]
    below["description"] = ("Closing an appraisal (a transition into a final state) below the JP target: "
                            + "; ".join(f"{t.name}, {t.doc}" for t in JP_BELOW_TARGET)
                            + f" (default {JP_BELOW_TARGET[0].name}).")
    return schema


def doc_with_vocabulary(text: str) -> str:
    """docs/rules.md's text with its vocabulary block rendered afresh."""
    begin, end = text.index(MARKDOWN_BEGIN), text.index(MARKDOWN_END) + len(MARKDOWN_END)
    return text[:begin] + markdown() + text[end:]


def main() -> int:
    """Rewrite the schema's descriptions and docs/rules.md's table from this vocabulary."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    SCHEMA_FILE.write_text(json.dumps(schema_with_vocabulary(schema), indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    RULES_DOC.write_text(doc_with_vocabulary(RULES_DOC.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
