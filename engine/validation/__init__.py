"""Validation of cycle files: every problem in a YAML cycle at once, each located by line and column.

A cycle author (often an HR officer, not a programmer) uploads a file and gets back a list such as
``cycle.yaml:14:11: unknown state 'reveiw' (did you mean 'review'?)``. Three layers run in order:

1. YAML (:mod:`.positions`): the node tree keeps every value's position; syntax errors, duplicate
   keys and unreadable scalars are reported here.
2. JSON Schema (:mod:`.schema_messages`): ``engine/schema/cycle.schema.json`` with jsonschema's
   messages rewritten into sentences that name the state, transition or indicator concerned.
3. Semantic checks: references between parts of the cycle and input paths (:mod:`.references`),
   the state graph (:mod:`.graph`), rules and guard expressions (:mod:`.expressions`), the role minimums
   of results that read an anonymous feedback window (:mod:`.anonymity`). Each is a
   function of one :class:`~engine.validation.context.CycleFile`, listed in :data:`CHECKS`; they
   read the data defensively, so a schema error in one state does not hide a semantic error in another.

This module is the one public entry point: :func:`validate_source`, :func:`validate_file`, and
:func:`load_definition` (validate, then build the typed definition). It never raises for what a
file holds: a bug in one check becomes a problem that says so, and the other checks still run.
Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from engine.definition import CycleDefinition, build_definition
from engine.errors import DefinitionError, Problem
from engine.limits import CYCLE_FILE
from engine.messages import Message
from engine.validation import anonymity, expressions, graph, references, schema_messages, talent, vacancies
from engine.validation.context import CycleFile, check_duplicate_keys
from engine.validation.positions import read_yaml
from engine.validation.words import internal_error
from engine.vocabulary import GUARD_NAMES, ROOT_NAMES

__all__ = ["CHECKS", "EXPRESSION_NAMES", "INPUT_ROOTS", "load_definition", "load_definition_file", "validate_file",
           "validate_source"]

#: First part of every rule input path (``results.predikat``...), as :mod:`engine.vocabulary` declares them.
INPUT_ROOTS = ROOT_NAMES
#: Names a guard expression may use besides the cycle's result names and ``save_as`` keys.
EXPRESSION_NAMES = GUARD_NAMES

Check = Callable[[CycleFile], None]

#: Every check after reading the YAML, in order, each with what it checks (for the problem a bug in
#: it becomes). Dead ends run only on a file with no problem found before them.
CHECKS: tuple[tuple[str, Check], ...] = (
    ("duplicate keys", check_duplicate_keys),
    ("the schema", schema_messages.check_schema),
    ("the initial state", references.check_initial_state),
    ("state references", references.check_state_references),
    ("role references", references.check_role_references),
    ("result references", references.check_result_references),
    ("input paths", references.check_input_paths),
    ("indicator sources", references.check_indicator_sources),
    ("indicator suppliers", references.check_indicator_suppliers),
    ("the state graph", graph.check_graph),
    ("triggers", graph.check_triggers),
    ("deadlines", graph.check_deadlines),
    ("vacant roles", vacancies.check_vacancies),
    ("durations", graph.check_durations),
    ("duplicate ids", references.check_duplicate_ids),
    ("indicator weights", references.check_weights),
    ("payload schemas", schema_messages.check_payload_schemas),
    ("rules", expressions.check_rules),
    ("guard expressions", expressions.check_expressions),
    ("calibration guards", expressions.check_calibration_guards),
    ("dead ends", graph.check_dead_ends),
    ("checkpoints", references.check_checkpoint_series),
    ("the talent grid", talent.check_talent),
    ("anonymous role minimums", anonymity.check_role_minimums),
)


def validate_source(source: str, filename: str, *, dead_ends: bool = True) -> list[Problem]:
    """Every problem in the cycle file text ``source``, sorted by position; empty when it is valid.

    ``filename`` only labels the problems. Never raises, whatever the input. The channels a person
    sends a cycle file through refuse one over :data:`engine.limits.CYCLE_FILE` before it gets here.
    ``dead_ends=False`` leaves out states a missing input can strand (the simulator walks such a cycle
    to show the stranding).
    """
    try:
        return _validate(source, filename, dead_ends=dead_ends)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug must not reach the user
        return [Problem(filename, 1, 1, internal_error("the file", exc, others_ran=False), Message("cycle.internal"))]


def _too_large(filename: str) -> Problem:
    return Problem(filename, 1, 1, f"the file is larger than {CYCLE_FILE.shown}; a cycle file is far smaller "
                                   "(the national cycle is about 10 KiB)",
                   Message("cycle.too_large", limit=CYCLE_FILE.shown))


def read_cycle_file(path: str | Path) -> str:
    """The text of the cycle file at ``path``, its bytes decoded as they are (newline translation would give one
    file two content hashes); raises DefinitionError with one problem at 1:1 for a file that cannot be read, is
    too large or is not UTF-8."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(CYCLE_FILE.max_bytes + 1)
    except OSError as exc:
        raise DefinitionError([Problem(str(path), 1, 1, f"cannot read the file: {exc.strerror or exc}",
                                       Message("cycle.unreadable"))]) from None
    if len(raw) > CYCLE_FILE.max_bytes:
        raise DefinitionError([_too_large(str(path))])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DefinitionError([Problem(
            str(path), 1, 1, f"the file is not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} on line {line}); "
                             "save it with UTF-8 encoding", Message("cycle.not_utf8", line=line))]) from None


def validate_file(path: str) -> list[Problem]:
    """Validate the cycle file at ``path``; an unreadable, too large or not UTF-8 file gives one problem at 1:1."""
    try:
        source = read_cycle_file(path)
    except DefinitionError as exc:
        return exc.problems
    return validate_source(source, str(path))


def _validate(source: Any, filename: str, *, dead_ends: bool = True) -> list[Problem]:
    """The three layers in order; a file YAML cannot read stops after the first."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError:
            return [Problem(filename, 1, 1, "the file is not UTF-8 text; save it with UTF-8 encoding",
                            Message("cycle.not_text"))]
    if not isinstance(source, str):
        return [Problem(filename, 1, 1, f"expected the text of a cycle file, not {type(source).__name__}",
                        Message("cycle.not_source"))]
    document = read_yaml(source, filename)
    if document.tree is None:
        return sorted(set(document.problems))
    file = CycleFile(filename, source, document, dead_ends=dead_ends)
    for what, check in CHECKS:
        try:
            check(file)
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            file.problems.append(Problem(filename, 1, 1, internal_error(what, exc), Message("cycle.internal")))
    return sorted(set(file.problems))


def load_definition(source: str, filename: str = "<cycle>", *, dead_ends: bool = True) -> CycleDefinition:
    """Validate and build a cycle from its YAML text; raises DefinitionError with every problem.

    ``dead_ends=False`` accepts states a missing input can strand (only the simulator wants that).
    """
    problems = validate_source(source, filename, dead_ends=dead_ends)
    if problems:
        raise DefinitionError(problems)
    return build_definition(yaml.safe_load(source), source)


def load_definition_file(path: str | Path) -> CycleDefinition:
    """:func:`load_definition` of a file (read by :func:`read_cycle_file`)."""
    return load_definition(read_cycle_file(path), str(path))
