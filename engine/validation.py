"""Validation of cycle files: every problem in a YAML cycle at once, each located by line and column.

A cycle author (often an HR officer, not a programmer) uploads a file and gets back a list such as
``cycle.yaml:14:11: unknown state 'reveiw' (did you mean 'review'?)``. Three layers run in order:

1. YAML: the node tree is composed with :class:`yaml.SafeLoader` so every value keeps its position;
   syntax errors, duplicate keys (PyYAML silently keeps the last one) and unreadable scalars are
   reported here.
2. JSON Schema: ``engine/schema/cycle.schema.json`` (draft 2020-12), with jsonschema's messages
   rewritten into sentences that name the state, transition or indicator concerned.
3. Semantic checks: references between parts of the cycle (states, roles, results, feedback
   windows, indicators, data keys, rules), the shape of the state graph, durations, weights,
   payload schemas and guard expressions. They read the data defensively, so a schema error in one
   state does not hide a semantic error in another.

:func:`validate_source` never raises: a bug in one check becomes a problem that says so, and the
other checks still run.
"""

from __future__ import annotations

import ast
import difflib
import json
import math
import re
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import cache, cached_property
from importlib import resources
from typing import Any, TypeGuard

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from engine.calibration_validation import calibration_guard_problems
from engine.checkpoints.validation import check_checkpoints, series_path_problem
from engine.dead_ends import find_strandings
from engine.definition import DEFAULT_SKP_RULE, PUBLIC_ROLE_RESOLVERS, build_definition
from engine.durations import DurationError, parse_duration
from engine.errors import Problem
from engine.facts import FEEDBACK_SCORE_PATHS
from engine.limits import CYCLE_FILE

__all__ = ["validate_source", "validate_file", "INPUT_ROOTS", "EXPRESSION_NAMES"]

#: First part of every rule input path (``results.predikat``, ``data.penilaian.perilaku``...).
INPUT_ROOTS = (
    "data", "results", "indicators", "feedback", "employee", "payload",
    "unit", "development", "weak_points", "indicator_count", "history", "checkpoints",
)
#: What ``history`` holds: ``history.results.NAME``, a result's values run by run.
HISTORY_PARTS = ("results",)
#: Names a guard expression may use besides the cycle's result names and ``save_as`` keys.
EXPRESSION_NAMES = ("payload", "indicator_count", "employee", "days_in_state")

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Cycle files are a dozen levels deep; far deeper input is an attack or an accident, and deep
# structures would exhaust the stack of the recursive validators further down.
_MAX_DEPTH = 64
# Aliases may share one mapping in many places; past this many values after expansion the file is a
# "billion laughs" bomb rather than a cycle.
_MAX_VALUES = 1_000_000
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})

Path = tuple[Any, ...]


# -- public API -----------------------------------------------------------------------------


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
        return [Problem(filename, 1, 1, _internal_error("the file", exc, others_ran=False))]


def _too_large(filename: str) -> Problem:
    return Problem(filename, 1, 1, f"the file is larger than {CYCLE_FILE.shown}; a cycle file is far smaller "
                                   "(the national cycle is about 10 KiB)")


def validate_file(path: str) -> list[Problem]:
    """Validate the cycle file at ``path``; an unreadable, too large or not UTF-8 file gives one problem at 1:1."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(CYCLE_FILE.max_bytes + 1)
    except OSError as exc:
        return [Problem(str(path), 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    if len(raw) > CYCLE_FILE.max_bytes:
        return [_too_large(str(path))]
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [Problem(str(path), 1, 1,
                        f"the file is not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} on line {line}); "
                        "save it with UTF-8 encoding")]
    return validate_source(source, str(path))


def _validate(source: Any, filename: str, *, dead_ends: bool = True) -> list[Problem]:
    """The three layers in order; a file YAML cannot read stops after the first."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError:
            return [Problem(filename, 1, 1, "the file is not UTF-8 text; save it with UTF-8 encoding")]
    if not isinstance(source, str):
        return [Problem(filename, 1, 1, f"expected the text of a cycle file, not {type(source).__name__}")]
    document = _read_yaml(source, filename)
    if document.tree is None:
        return sorted(set(document.problems))
    checker = _Checker(filename, source, document, dead_ends=dead_ends)
    checker.run()
    return sorted(set(checker.problems))


def _internal_error(what: str, exc: BaseException, *, others_ran: bool = True) -> str:
    """The problem a bug in a check becomes: honest about what happened, and no traceback."""
    ran = "the other checks still ran; " if others_ran else ""
    return (f"internal error while checking {what} ({type(exc).__name__}: {exc}); "
            f"{ran}please report this to the Siklus developers")


# -- layer 1: YAML with positions -------------------------------------------------------------


class _Tree:
    """The composed YAML nodes of a file, to find the position of any path into the data."""

    def __init__(self, root: yaml.Node, entries: dict[int, dict[Any, tuple[yaml.Node, yaml.Node]]]) -> None:
        self.root = root
        # id(mapping node) -> {key value: (key node, value node)}, after merges, last key wins
        self.entries = entries

    def node(self, path: Path, *, key: bool = False) -> yaml.Node:
        """The node at ``path`` (its key node with ``key``), or the deepest existing node on the way."""
        node = self.root
        for depth, part in enumerate(path):
            last = depth == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                try:
                    entry = self.entries.get(id(node), {}).get(part)
                except TypeError:  # an unhashable part never names a key
                    entry = None
                if entry is None:
                    break
                key_node, value_node = entry
                if key and last:
                    return key_node
                if last and _is_empty_scalar(value_node):
                    # "deadline:" with nothing after it: the empty value sits after the colon, the key
                    # is where an author looks
                    return key_node
                node = value_node
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and not isinstance(part, bool):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
            else:
                break
        return node

    def key_text(self, path: Path, key: Any) -> str:
        """How ``key`` of the mapping at ``path`` is written in the file."""
        node = self.node(path + (key,), key=True)
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        return str(key)


def _is_empty_scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None


class _Document:
    """What reading the YAML gave: the tree and data (None when unreadable) and the problems so far."""

    def __init__(self) -> None:
        self.tree: _Tree | None = None
        self.data: Any = None
        self.problems: list[Problem] = []
        self.duplicates: list[tuple[Path, Any, yaml.Node, yaml.Node]] = []
        self.unreadable: set[Path] = set()


def _read_yaml(source: str, filename: str) -> _Document:
    """Compose the YAML, then build plain data while keeping the nodes for positions."""
    document = _Document()

    def at(mark: yaml.Mark | None, message: str) -> Problem:
        if mark is None:
            return Problem(filename, 1, 1, message)
        return Problem(filename, mark.line + 1, mark.column + 1, message)

    try:
        loader = yaml.SafeLoader(source)  # the reader rejects control characters right here
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(source, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        document.problems.append(Problem(
            filename, line, col,
            f"the character U+{ord(char):04X} is not allowed in a YAML file; remove it"))
        return document
    except yaml.MarkedYAMLError as exc:
        mark, message = _explain_yaml_error(exc)
        document.problems.append(at(mark, message))
        return document
    except yaml.YAMLError as exc:
        document.problems.append(Problem(filename, 1, 1, f"YAML error: {exc}"))
        return document
    except RecursionError:
        document.problems.append(Problem(
            filename, 1, 1, "the file is nested too deeply to read; a cycle file is a dozen levels deep at most"))
        return document

    if root is None:
        document.problems.append(Problem(
            filename, 1, 1,
            "the file is empty; a cycle file is a mapping with id, version, title, period, roles, states "
            "and transitions"))
        return document
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        document.problems.append(at(
            root.start_mark,
            f"the top level of a cycle file must be a mapping (id: ..., states: ..., transitions: ...), not {kind}"))
        return document

    builder = _Builder(loader)
    data, size = builder.build(root, (), 0)
    document.problems.extend(at(mark, message) for mark, message in builder.issues)
    if size > _MAX_VALUES:
        document.problems.append(at(
            root.start_mark,
            f"the file's aliases expand to more than {_MAX_VALUES:,} values; a cycle file needs far fewer"))
        return document
    document.tree = _Tree(root, builder.entries)
    document.data = data
    document.duplicates = builder.duplicates
    document.unreadable = builder.unreadable
    return document


class _Builder:
    """Turns composed nodes into plain data (as ``yaml.safe_load`` would) while indexing keys.

    Unlike PyYAML it notices duplicate keys, refuses recursive aliases and excessive depth, and keeps
    going after a bad value so that every problem is reported.
    """

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.entries: dict[int, dict[Any, tuple[yaml.Node, yaml.Node]]] = {}
        self.issues: list[tuple[yaml.Mark, str]] = []
        self.duplicates: list[tuple[Path, Any, yaml.Node, yaml.Node]] = []
        self.unreadable: set[Path] = set()  # scalars already reported; the schema need not repeat it
        self._values: dict[int, tuple[Any, int]] = {}
        self._open: set[int] = set()
        self._too_deep = False

    def build(self, node: yaml.Node, path: Path, depth: int) -> tuple[Any, int]:
        """The value of ``node`` and how many values it expands to (aliases counted each time)."""
        known = self._values.get(id(node))
        if known is not None:
            return known
        if id(node) in self._open:
            self.issues.append((node.start_mark,
                                "this alias refers to a mapping or list that contains it; "
                                "a cycle file cannot be recursive"))
            return None, 1
        if depth > _MAX_DEPTH:
            if not self._too_deep:
                self._too_deep = True
                self.issues.append((node.start_mark,
                                    f"the file is nested more than {_MAX_DEPTH} levels deep here; "
                                    "a cycle file is a dozen levels deep at most"))
            return None, 1
        if isinstance(node, yaml.ScalarNode):
            result = (self._scalar(node, path), 1)
        else:
            if node.tag not in _PLAIN_COLLECTION_TAGS:
                self.issues.append((node.start_mark, f"the YAML tag '{node.tag}' is not supported in cycle files"))
            self._open.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    result = self._mapping(node, path, depth)
                else:
                    assert isinstance(node, yaml.SequenceNode)  # the only other kind of YAML node
                    result = self._sequence(node, path, depth)
            finally:
                self._open.discard(id(node))
        self._values[id(node)] = result
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path | None) -> Any:
        """The value of a scalar; ``path`` is None for a key (a bad key says nothing about its mapping)."""
        try:
            value = self.loader.construct_object(node, deep=True)
        except Exception as exc:  # noqa: BLE001 - PyYAML raises ValueError for dates like 2024-13-45
            if path is not None:
                self.unreadable.add(path)
            reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else str(exc)
            self.issues.append((node.start_mark,
                                f"cannot read {_show(node.value)} as {_tag_word(node.tag)} ({reason}); "
                                "quote it if it is a text"))
            return node.value
        if isinstance(value, float) and not math.isfinite(value):
            # JSON, and so the schema, has no NaN or infinity: '.nan' would slip past every bound
            if path is not None:
                self.unreadable.add(path)
            self.issues.append((node.start_mark, f"{_show(node.value)} is not a finite number; write a number "
                                                 "such as 100, or quote it if it is a text"))
        return value

    def _sequence(self, node: yaml.SequenceNode, path: Path, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        size = 1
        for index, child in enumerate(node.value):
            value, child_size = self.build(child, path + (index,), depth + 1)
            items.append(value)
            size += child_size
        return items, size

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> tuple[dict[Any, Any], int]:
        own_pairs = [(k, v) for k, v in node.value if k.tag != _MERGE_TAG]
        try:
            self.loader.flatten_mapping(node)
        except Exception as exc:  # noqa: BLE001 - a bad merge ("<<: 5") or a merge of itself
            problem = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
            self.issues.append((node.start_mark, f"cannot merge ('<<') here: {problem}"))
            node.value = own_pairs
        first_seen: dict[Any, yaml.Node] = {}
        own = {id(k) for k, _ in own_pairs}
        entries: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
        result: dict[Any, Any] = {}
        size = 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.append((key_node.start_mark,
                                    "a key must be a plain name or text, not a mapping or a list"))
                continue
            key = self._scalar(key_node, None)
            if id(key_node) in own:
                if key in first_seen:
                    self.duplicates.append((path, key, key_node, first_seen[key]))
                else:
                    first_seen[key] = key_node
            value, child_size = self.build(value_node, path + (key,), depth + 1)
            result[key] = value
            entries[key] = (key_node, value_node)
            size += child_size
        self.entries[id(node)] = entries
        return result, size


def _tag_word(tag: str) -> str:
    """What a YAML tag reads a scalar as, for a message."""
    words = {
        "tag:yaml.org,2002:timestamp": "a date",
        "tag:yaml.org,2002:int": "a whole number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:bool": "true or false",
        "tag:yaml.org,2002:binary": "binary data",
    }
    return words.get(tag, f"a value tagged '{tag}'")


def _line_col(source: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``index``, counting line breaks the way PyYAML's marks do."""
    line, col, i = 1, 1, 0
    index = max(0, min(index, len(source)))
    while i < index:
        ch = source[i]
        if ch in "\n\x85\u2028\u2029" or (ch == "\r" and source[i + 1:i + 2] != "\n"):
            line, col = line + 1, 1
        else:
            col += 1
        i += 1
    return line, col


# PyYAML's token names, in words
_TOKEN_WORDS = {
    "<block end>": "the end of an indented block",
    "<block mapping start>": "a more indented key",
    "<block sequence start>": "a list",
    "<block collection start>": "a list or mapping",
    "<stream end>": "the end of the file",
    "<document start>": "'---'",
    "<document end>": "'...'",
    "<scalar>": "a value",
    "<alias>": "an alias",
    "<anchor>": "an anchor",
    "<tag>": "a tag",
    "<flow sequence start>": "'['",
    "<flow sequence end>": "']'",
    "<flow mapping start>": "'{'",
    "<flow mapping end>": "'}'",
    "<block entry>": "'-'",
    "<flow entry>": "','",
    "<key>": "a key",
    "<value>": "':'",
    "'?'": "a key where none was expected",
}


# PyYAML's contexts ("while parsing a flow sequence"), in words
_CONTEXT_WORDS = {
    "while parsing a flow sequence": "the [...] list",
    "while parsing a flow mapping": "the {...} mapping",
    "while parsing a block mapping": "the mapping",
    "while parsing a block collection": "the list",
    "while parsing a flow node": "the value",
    "while parsing a block node": "the value",
    "while scanning an anchor": "the anchor",
    "while scanning an alias": "the alias",
    "while scanning a tag": "the tag",
    "while scanning a block scalar": "the block text",
    "while scanning a directive": "the directive",
}


def _explain_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, str]:
    """Where a YAML error is and what it means, in plain words."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if "'\\t'" in problem:
        return mark, "YAML syntax error: a tab character cannot indent YAML; use spaces"
    if context.startswith("while scanning a quoted scalar"):
        # the end of the file is useless as a position: point at the opening quote
        return exc.context_mark or mark, ("YAML syntax error: this quoted text is never closed; "
                                          "add the closing quote")
    if problem == "mapping values are not allowed here":
        return mark, ("YAML syntax error: unexpected ':' here; check the indentation of this line, "
                      "or quote a text that contains ': '")
    if context == "while scanning a simple key":
        return exc.context_mark or mark, ("YAML syntax error: this line has no ':' after its key; "
                                          "write 'key: value'")
    if problem.startswith("expected <block end>"):
        return mark, ("YAML syntax error: this line is not indented like the lines above it; "
                      "keys of one mapping and items of one list must start in the same column")
    if problem.startswith("found undefined alias"):
        return mark, f"YAML error: {problem}; an alias '*name' needs an anchor '&name' before it"
    if context.startswith("expected a single document"):
        return mark, "the file holds more than one YAML document ('---'); a cycle file is one document"
    found = re.match(r"found character '(.*)' that cannot start any token", problem)
    if found:
        return mark, f"YAML syntax error: a value cannot start with '{found.group(1)}'; quote the value"
    words = problem
    for token, word in _TOKEN_WORDS.items():
        words = words.replace(token, word)
    tail = ""
    if context:
        where = _CONTEXT_WORDS.get(context, context.removeprefix("while ").replace("parsing", "reading"))
        line = f" that starts on line {exc.context_mark.line + 1}" if exc.context_mark else ""
        tail = f" (in {where}{line})"
    return mark, f"YAML syntax error: {words}{tail}"


# -- the schema ------------------------------------------------------------------------------


@cache
def _cycle_schema() -> dict[str, Any]:
    """The cycle language's JSON Schema, read once from the package."""
    text = resources.files("engine.schema").joinpath("cycle.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _cycle_validator() -> Draft202012Validator:
    """One validator for the process: building it compiles the schema's references."""
    return Draft202012Validator(_cycle_schema())


@cache
def _meta_validator() -> Draft202012Validator:
    """The draft 2020-12 meta-schema validator, to check payload schemas."""
    return Draft202012Validator(Draft202012Validator.META_SCHEMA)


def _defs() -> dict[str, Any]:
    """The schema's ``$defs``."""
    defs: dict[str, Any] = _cycle_schema()["$defs"]
    return defs


def _resolve(schema: Any) -> Any:
    """Follow a local ``$ref`` (the cycle schema only uses ``#/$defs/NAME``)."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/$defs/"):
        schema = _defs().get(schema["$ref"][len("#/$defs/"):], {})
    return schema


def _json_type(value: Any) -> str:
    """The JSON Schema type name of a value read from YAML (``other`` for dates and bytes)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if value is None:
        return "null"
    return "other"


def _branch_types(schema: Any) -> set[str] | None:
    """The JSON types a oneOf branch accepts, or None when it does not restrict the type."""
    schema = _resolve(schema)
    if not isinstance(schema, dict):
        return None
    if "type" in schema:
        declared = schema["type"]
        return {declared} if isinstance(declared, str) else set(declared)
    if "enum" in schema:
        return {_json_type(v) for v in schema["enum"]}
    return None


def _fits(types: set[str] | None, value: Any) -> bool:
    """Whether ``value`` has one of ``types`` (None accepts anything)."""
    if types is None:
        return True
    kind = _json_type(value)
    return kind in types or (kind == "integer" and "number" in types)


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}

# What a value with alternatives (oneOf) accepts, keyed as in _Checker._alternatives_key
_ALTERNATIVES = {
    "text": "a text, or a mapping with 'id' (Bahasa Indonesia) and optionally 'en' (English)",
    "source": "a state name or a list of state names",
    "target": "a number or a list of two numbers (a range)",
    "then": "remind, escalate or a mapping {fire: TRIGGER}",
    "guard": "a mapping with 'rule', 'expr' or 'calibration'",
    "questions": "berakhlak, ikm or a list of questions",
    "input": "an input path, a list of paths, a number or true/false",
}

# What a value listed in an enum is, keyed by the field that holds it
_ENUM_NOUNS = {
    "period": "a period kind",
    "resolver": "a role resolver",
    "stage": "a stage",
    "aspect": "an indicator aspect",
    "at": "a point of the period",
    "kind": "a course kind",
    "then": "a deadline action",
    "questions": "a question set",
    "edit": "an edit right",
}

# What a name is, keyed by the field (or, for mapping keys, the mapping) that holds it
_NAME_NOUNS = {
    "roles": "role name",
    "states": "state name",
    "results": "result name",
    "edit": "role name",
    "trigger": "trigger name",
    "source": "state name",
    "dest": "state name",
    "since": "state name",
    "supplied_by": "role name",
    "compute": "result name",
    "rule": "rule name",
    "save_as": "data key",
    "fire": "trigger name",
    "id": "id",
}


def _type_words(declared: Any) -> str:
    """A JSON Schema ``type`` (one or a list) in words: ``a list or a mapping``."""
    wanted = declared if isinstance(declared, list) else [declared]
    return " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)


def _show(value: Any) -> str:
    """A value as it would appear in a message: texts quoted, long ones shortened."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        text = text.replace("\n", "\\n")
        return f"'{text}'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _describe_value(value: Any) -> str:
    """What kind of value an author wrote, for "must be X, not Y"."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (date, datetime)):
        return f"the date {value.isoformat()} (quote it to make it a text)"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"


def _suggest(name: str, candidates: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing."""
    if not isinstance(name, str):
        return ""
    match = difflib.get_close_matches(name, [c for c in candidates if isinstance(c, str)], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _unknown(kind: str, name: str, known: Sequence[str], plural: str) -> str:
    """``unknown state 'reveiw' (did you mean 'review'?)``, or the list of known names when it is short."""
    hint = _suggest(name, known)
    if hint:
        return f"unknown {kind} '{name}'{hint}"
    if not known:
        return f"unknown {kind} '{name}'; the cycle declares no {plural}"
    if len(known) <= 8:
        return f"unknown {kind} '{name}'; the {plural} are {', '.join(known)}"
    return f"unknown {kind} '{name}'"


def _is_name(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a valid name (state, role, trigger...); invalid ones are the schema's."""
    return isinstance(value, str) and _NAME.match(value) is not None


def _number(value: Any) -> bool:
    """A finite number that is not a boolean."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _plural(count: int, word: str) -> str:
    """``1 item``, ``2 items``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# -- layers 2 and 3 ----------------------------------------------------------------------------


class _Checker:
    """Schema and semantic checks over one file's data, reporting problems located through the tree."""

    def __init__(self, filename: str, source: str, document: _Document, *, dead_ends: bool = True) -> None:
        assert document.tree is not None and isinstance(document.data, dict)
        self.filename = filename
        self.dead_ends = dead_ends
        self.source = source
        self.tree: _Tree = document.tree
        self.data: dict[Any, Any] = document.data
        self.problems: list[Problem] = list(document.problems)
        self.duplicates = document.duplicates
        # paths of scalars YAML could not read: already reported, the schema need not repeat them
        self.unreadable = document.unreadable

    # -- reporting ---------------------------------------------------------------------------
    def report(self, path: Path, message: str, *, key: bool = False) -> None:
        """Report ``message`` at the value at ``path`` (at its key with ``key``)."""
        node = self.tree.node(path, key=key)
        self.report_at(node.start_mark, message)

    def report_at(self, mark: yaml.Mark, message: str) -> None:
        """Report ``message`` at a YAML mark."""
        self.problems.append(Problem(self.filename, mark.line + 1, mark.column + 1, message))

    def line_of(self, path: Path, *, key: bool = False) -> int:
        """The 1-based line of the value (or key) at ``path``."""
        return int(self.tree.node(path, key=key).start_mark.line) + 1

    def report_duplicate_keys(self) -> None:
        """Duplicate keys found while reading: PyYAML would have kept only the last one."""
        for path, _key, key_node, first in self.duplicates:
            shown = _show(key_node.value)
            named = {("roles",): "role", ("states",): "state", ("results",): "result"}.get(path)
            what = f"duplicate {named} {shown}" if named else f"duplicate key {shown} in {self.field(path)}"
            self.report_at(key_node.start_mark,
                           f"{what}; it is already on line {first.start_mark.line + 1} "
                           "(YAML would silently keep only the last one)")

    # -- running -----------------------------------------------------------------------------
    def run(self) -> None:
        """Run every check; a check that fails becomes a problem and the others still run."""
        checks: list[tuple[str, Callable[[], None]]] = [
            ("duplicate keys", self.report_duplicate_keys),
            ("the schema", self.check_schema),
            ("the initial state", self.check_initial_state),
            ("state references", self.check_state_references),
            ("role references", self.check_role_references),
            ("result references", self.check_result_references),
            ("input paths", self.check_input_paths),
            ("indicator sources", self.check_indicator_sources),
            ("indicator suppliers", self.check_indicator_suppliers),
            ("the state graph", self.check_graph),
            ("triggers", self.check_triggers),
            ("deadlines", self.check_deadlines),
            ("durations", self.check_durations),
            ("duplicate ids", self.check_duplicate_ids),
            ("indicator weights", self.check_weights),
            ("payload schemas", self.check_payload_schemas),
            ("rules", self.check_rules),
            ("guard expressions", self.check_expressions),
            ("calibration guards", self.check_calibration_guards),
            ("dead ends", self.check_dead_ends),
            ("checkpoints", self.check_checkpoints),
        ]
        for what, check in checks:
            try:
                check()
            except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
                self.problems.append(Problem(self.filename, 1, 1, _internal_error(what, exc)))

    # -- well-formed parts of the data, whatever the schema says about the rest ----------------
    def section(self, key: str, kind: type) -> Any:
        """The top-level section ``key`` when it has the expected kind, else an empty one."""
        value = self.data.get(key)
        return value if isinstance(value, kind) else kind()

    def well_typed(self, key: str, kind: type) -> bool:
        """Whether a top-level section is of its kind, or absent when it is optional.

        A missing or mistyped section is the schema's to report; checking references against it
        would repeat that once per reference.
        """
        if key in ("roles", "states", "transitions"):
            return isinstance(self.data.get(key), kind)
        return key not in self.data or isinstance(self.data[key], kind)

    @cached_property
    def states(self) -> dict[str, dict[Any, Any]]:
        """Declared states by name; a malformed state counts as an empty mapping."""
        return {name: (s if isinstance(s, dict) else {})
                for name, s in self.section("states", dict).items() if isinstance(name, str)}

    @cached_property
    def roles(self) -> dict[str, dict[Any, Any]]:
        """Declared roles by name; a malformed role counts as an empty mapping."""
        return {name: (r if isinstance(r, dict) else {})
                for name, r in self.section("roles", dict).items() if isinstance(name, str)}

    @cached_property
    def results(self) -> dict[str, dict[Any, Any]]:
        """Declared results by name; a malformed result counts as an empty mapping."""
        return {name: (r if isinstance(r, dict) else {})
                for name, r in self.section("results", dict).items() if isinstance(name, str)}

    def items(self, key: str) -> list[tuple[int, dict[Any, Any]]]:
        """(index, mapping) for each mapping in the top-level list ``key``."""
        return [(i, item) for i, item in enumerate(self.section(key, list)) if isinstance(item, dict)]

    @cached_property
    def transitions(self) -> list[tuple[int, dict[Any, Any]]]:
        """(index, transition) for each transition that is a mapping."""
        return self.items("transitions")

    @cached_property
    def indicators(self) -> list[tuple[int, dict[Any, Any]]]:
        """(index, indicator) for each fixed indicator that is a mapping."""
        return self.items("indicators")

    @cached_property
    def feedback_windows(self) -> list[tuple[int, dict[Any, Any]]]:
        """(index, window) for each feedback window that is a mapping."""
        return self.items("feedback")

    @cached_property
    def courses(self) -> list[tuple[int, dict[Any, Any]]]:
        """(index, course) for each course of the development catalog that is a mapping."""
        development = self.data.get("development")
        catalog = development.get("catalog") if isinstance(development, dict) else None
        return [(i, c) for i, c in enumerate(catalog if isinstance(catalog, list) else []) if isinstance(c, dict)]

    @staticmethod
    def ids(items: list[tuple[int, dict[Any, Any]]]) -> list[str]:
        """The distinct ``id`` texts of list items, in order."""
        return list(dict.fromkeys(item["id"] for _, item in items if isinstance(item.get("id"), str)))

    def save_as_keys(self) -> list[str]:
        """The data keys transitions keep their payloads under, in order."""
        keys: list[str] = []
        for _, t in self.transitions:
            if _is_name(t.get("save_as")) and t["save_as"] not in keys:
                keys.append(t["save_as"])
        return keys

    @staticmethod
    def sources(index: int, transition: dict[Any, Any]) -> list[tuple[Path, str]]:
        """(path, state name) of each source of a transition (``source`` is a name or a list)."""
        source = transition.get("source")
        base: Path = ("transitions", index, "source")
        if isinstance(source, str):
            return [(base, source)]
        if isinstance(source, list):
            return [(base + (k,), s) for k, s in enumerate(source) if isinstance(s, str)]
        return []

    def names_list(self, path: Path) -> list[tuple[Path, str]]:
        """(path, name) of each text in the list at ``path``."""
        value: Any = self.data
        for part in path:
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                value = value[part]
            else:
                return []
        if not isinstance(value, list):
            return []
        return [(path + (k,), v) for k, v in enumerate(value) if isinstance(v, str)]

    # -- naming parts of the cycle in messages ---------------------------------------------------
    def item_name(self, key: str, index: int, id_key: str, noun: str) -> str:
        """``transition 'approve_plan'``, or ``transition #3`` when it has no usable id."""
        items: Any = self.data.get(key) if key != "catalog" else (self.data.get("development") or {}).get("catalog")
        try:
            value = items[index].get(id_key)
        except (AttributeError, IndexError, KeyError, TypeError):
            value = None
        return f"{noun} '{value}'" if isinstance(value, str) else f"{noun} #{index + 1}"

    def owner(self, path: Path) -> tuple[str, Path]:
        """The part of the cycle ``path`` is in, in words, and the rest of the path inside it."""
        p = path

        def has(n: int, *kinds: type) -> bool:
            return len(p) >= n and (not kinds or isinstance(p[n - 1], kinds))

        phrase, used = "the cycle", 0
        head = p[0] if p else None
        if head == "roles" and has(2):
            phrase, used = f"role {_show(p[1])}", 2
        elif head == "states" and has(2):
            phrase, used = f"state {_show(p[1])}", 2
            if has(3) and p[2] == "deadline":
                phrase, used = f"the deadline of {phrase}", 3
            elif has(4, int) and p[2] == "on_enter":
                phrase, used = f"on_enter entry {p[3] + 1} of {phrase}", 4
        elif head == "transitions" and has(2, int):
            phrase, used = self.item_name("transitions", p[1], "trigger", "transition"), 2
            if has(4, int) and p[2] == "guards":
                phrase, used = f"guard {p[3] + 1} of {phrase}", 4
            elif has(3) and p[2] == "window":
                phrase, used = f"the window of {phrase}", 3
        elif head == "indicators" and has(2, int):
            phrase, used = self.item_name("indicators", p[1], "id", "indicator"), 2
        elif head == "results" and has(2):
            phrase, used = f"result {_show(p[1])}", 2
        elif head == "feedback" and has(2, int):
            phrase, used = self.item_name("feedback", p[1], "id", "feedback window"), 2
            if has(4, int) and p[2] == "questions":
                phrase, used = f"question {p[3] + 1} of {phrase}", 4
        elif head == "development":
            phrase, used = "the development section", 1
            if has(3, int) and p[1] == "catalog":
                phrase, used = self.item_name("catalog", p[2], "id", "course"), 3
        elif head == "skp":
            phrase, used = "the skp section", 1
        return phrase, p[used:]

    def field(self, path: Path) -> str:
        """``'roles' of transition 'approve_plan'``: a path named for a person."""
        owner, rest = self.owner(path)
        if not rest:
            return owner
        index = None
        if isinstance(rest[-1], int) and not isinstance(rest[-1], bool):
            index, rest = rest[-1], rest[:-1]
        dotted = ""
        for part in rest:
            if isinstance(part, int) and not isinstance(part, bool):
                dotted += f"[{part + 1}]"
            else:
                dotted += ("." if dotted else "") + (part if isinstance(part, str) else _show(part))
        phrase = f"'{dotted}'" if dotted else ""
        if index is not None:
            phrase = f"item {index + 1} of {phrase}" if phrase else f"item {index + 1}"
        return phrase if owner == "the cycle" else f"{phrase} of {owner}"

    # -- layer 2: the JSON Schema ---------------------------------------------------------------
    def check_schema(self) -> None:
        """Every JSON Schema error, rewritten for a person and located at its value."""
        errors = list(_cycle_validator().iter_errors(self.data))
        # A value of the wrong type makes every other complaint about it noise.
        mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"
                    and "propertyNames" not in e.absolute_schema_path}
        for error in errors:
            path = tuple(error.absolute_path)
            if (error.validator != "type" and path in mistyped) or path in self.unreadable:
                continue
            self.explain(error)

    def explain(self, error: ValidationError) -> None:
        """Report one jsonschema error as a sentence located at the value it is about."""
        path = tuple(error.absolute_path)
        kind = error.validator
        if "propertyNames" in error.absolute_schema_path:
            self.explain_key_name(path, error)
        elif kind == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list(error.schema.get("properties", {}))
            owner = self.field(path)
            for key in error.instance:
                if key in allowed:
                    continue
                text = self.tree.key_text(path, key)
                hint = _suggest(text, allowed)
                if not hint:
                    hint = f"; allowed keys are {', '.join(allowed)}"
                self.report(path + (key,), f"unknown key '{text}' in {owner}{hint}", key=True)
        elif kind == "required" and isinstance(error.instance, dict):
            allowed = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
            misspelt = {m for k in error.instance if k not in allowed
                        for m in difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)}
            # the role schema's if/then: a group role must name its group
            needed = " (needed with resolver: group)" if list(error.relative_schema_path)[-2:] == ["then", "required"] \
                else ""
            for name in error.validator_value:
                # "lable" is already reported as "did you mean 'label'?": "missing 'label'" adds nothing
                if name not in error.instance and name not in misspelt:
                    self.report(path, f"{self.field(path)} is missing '{name}'{needed}")
        elif kind == "enum":
            self.report(path, self.enum_message(path, error.instance, error.validator_value))
        elif kind == "type":
            self.report(path, f"{self.field(path)} must be {_type_words(error.validator_value)}, "
                              f"not {_describe_value(error.instance)}")
        elif kind == "pattern":
            self.report(path, self.pattern_message(path, error.instance, error.validator_value))
        elif kind in ("oneOf", "anyOf"):
            self.explain_alternatives(error)
        else:
            self.report(path, self.bound_message(path, error))

    def explain_key_name(self, path: Path, error: ValidationError) -> None:
        """A key of roles/states/results/edit that is not a valid name."""
        key = error.instance
        noun = _NAME_NOUNS.get(path[-1] if path else "", "name")
        text = self.tree.key_text(path, key)
        if error.validator == "type":
            message = (f"the key '{text}' is read as {_describe_value(key)}, not as a {noun}; "
                       f"quote it (\"{text}\") to use it as a name")
        elif error.validator == "pattern":
            message = self.pattern_message(path + (key,), key, error.validator_value, noun=noun)
        else:
            message = f"{noun} {_show(key)} is not valid: {error.message}"
        self.report(path + (key,), message, key=True)

    def enum_message(self, path: Path, value: Any, options: Sequence[Any]) -> str:
        """``'annualy' is not a period kind; use one of ... (did you mean 'annual'?)``."""
        field = next((p for p in reversed(path) if isinstance(p, str)), "")
        if len(path) >= 3 and path[-3] == "edit":
            field = "edit"
        noun = _ENUM_NOUNS.get(field)
        listed = ", ".join(str(o) for o in options)
        if field == "then":
            listed += " or {fire: TRIGGER}"
        elif len(options) > 1:
            listed = "one of " + listed
        hint = _suggest(value, [str(o) for o in options]) if isinstance(value, str) else ""
        if noun:
            return f"{_show(value)} is not {noun}; use {listed}{hint}"
        return f"{_show(value)} is not allowed in {self.field(path)}; use {listed}{hint}"

    def pattern_message(self, path: Path, value: Any, pattern: str, noun: str | None = None) -> str:
        """A name or id that does not have the required form, with a corrected spelling when one is obvious."""
        if noun is None:
            field = next((p for p in reversed(path) if isinstance(p, str)), "")
            if field in ("source", "roles", "states", "compute") and isinstance(path[-1], int):
                noun = {"source": "state name", "roles": "role name", "states": "state name",
                        "compute": "result name"}[field]
            else:
                noun = _NAME_NOUNS.get(field, "name")
                if field == "id" and len(path) >= 2:
                    noun = {"indicators": "indicator id", "feedback": "feedback window id",
                            "catalog": "course id", "questions": "question id"}.get(
                        next((p for p in reversed(path[:-1]) if isinstance(p, str)), ""), "id")
        if pattern == _cycle_schema()["properties"]["id"]["pattern"]:
            return (f"{_show(value)} is not a valid cycle id: use 2 to 63 lower-case letters, digits, "
                    "'-' and '_', starting with a letter or digit")
        fixed = re.sub(r"[^a-z0-9_]+", "_", str(value).strip().lower()).strip("_")
        hint = f" (did you mean '{fixed}'?)" if _is_name(fixed) and fixed != value else ""
        too_long = " and at most 63 characters" if isinstance(value, str) and len(value) > 63 else ""
        return (f"{_show(value)} is not a valid {noun}: use lower-case letters, digits and '_', "
                f"starting with a letter{too_long}{hint}")

    def bound_message(self, path: Path, error: ValidationError) -> str:
        """Messages for size and range keywords (minItems, minimum...)."""
        field = self.field(path)
        kind, limit = error.validator, error.validator_value
        schema = error.schema if isinstance(error.schema, dict) else {}
        last = path[-1] if path else ""
        if kind == "minProperties":
            noun, nouns = {"roles": ("role", "roles"), "states": ("state", "states")}.get(last, ("entry", "entries"))
            return f"{field} needs at least {limit} {noun if limit == 1 else nouns}"
        if kind in ("minItems", "maxItems"):
            if schema.get("minItems") == schema.get("maxItems"):
                return f"{field} must have exactly {_plural(limit, 'item')}, not {len(error.instance)}"
            if kind == "minItems":
                return f"{field} needs at least {_plural(limit, 'item')}"
            return f"{field} can have at most {_plural(limit, 'item')}"
        if kind == "minLength":
            return f"{field} must not be empty" if limit == 1 else f"{field} needs at least {limit} characters"
        words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "greater than",
                 "exclusiveMaximum": "less than"}
        if kind in words:
            return f"{field} must be {words[kind]} {limit}, not {_show(error.instance)}"
        return f"{field}: {error.message}"

    def alternatives_key(self, error: ValidationError) -> str:
        """Which value with alternatives (text, source, guard...) a oneOf error is about."""
        defs = _defs()
        if error.validator_value == defs["text"]["oneOf"]:
            return "text"
        if error.validator_value == defs["guard"]["oneOf"]:
            return "guard"
        if error.validator_value == defs["deadline"]["oneOf"]:
            return "deadline"
        path = tuple(error.absolute_path)
        if len(path) >= 2 and path[-2] == "inputs":
            return "input"
        return path[-1] if path and isinstance(path[-1], str) else ""

    def explain_alternatives(self, error: ValidationError) -> None:
        """oneOf/anyOf: explain the branch the author meant rather than every branch."""
        path = tuple(error.absolute_path)
        value = error.instance
        key = self.alternatives_key(error)
        if key == "deadline" and isinstance(value, dict):
            if "within" in value and "at" in value:
                self.report(path, f"{self.field(path)} has both 'within' and 'at'; use one of them")
            else:
                self.report(path, f"{self.field(path)} needs 'within' (a time after entering the state) "
                                  "or 'at' (a point of the period)")
            return
        branches = error.validator_value if isinstance(error.validator_value, list) else []
        by_branch: dict[int, list[ValidationError]] = {}
        for sub in error.context:
            if sub.relative_schema_path:
                by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
        if key == "guard" and isinstance(value, dict):
            kinds = [k for k in ("rule", "expr", "calibration") if k in value]
            if len(kinds) > 1:
                self.report(path, f"{self.field(path)} has both {' and '.join(repr(k) for k in kinds)}; "
                                  "a guard uses one of them")
                return
            if not kinds:
                self.report(path, f"{self.field(path)} needs 'rule' (a rule name), 'expr' (an expression) "
                                  "or 'calibration' (the unit's organisation predicate)")
                return
            fitting = [("rule", "expr", "calibration").index(kinds[0])]
        else:
            fitting = [i for i, branch in enumerate(branches) if _fits(_branch_types(branch), value)]
        if not fitting:
            accepted = _ALTERNATIVES.get(key) or " or ".join(
                sorted({_TYPE_WORDS.get(t, t) for b in branches for t in (_branch_types(b) or ())}))
            self.report(path, f"{self.field(path)} must be {accepted}, not {_describe_value(value)}")
            return
        if len(fitting) == 1 and by_branch.get(fitting[0]):
            for sub in by_branch[fitting[0]]:
                self.explain(sub)
            return
        candidates = [sub for i in fitting for sub in by_branch.get(i, [])]
        best = best_match(candidates) if candidates else None
        if best is not None:
            self.explain(best)
        else:
            self.report(path, f"{self.field(path)} must be {_ALTERNATIVES.get(key, 'valid')}")

    # -- layer 3: semantic checks ------------------------------------------------------------------
    def check_initial_state(self) -> None:
        """Exactly one state is initial."""
        states = self.states
        if not states:
            return
        initial = [name for name, s in states.items() if s.get("initial") is True]
        if not initial:
            if any("initial" in s for s in states.values()):
                return  # a mistyped 'initial' is already reported by the schema
            self.report(("states",),
                        "no initial state: mark the state where an appraisal starts with 'initial: true'", key=True)
            return
        for name in initial[1:]:
            self.report(("states", name, "initial"),
                        f"state '{name}' is marked initial but state '{initial[0]}' already is; "
                        "a cycle has exactly one initial state", key=True)

    def check_state_references(self) -> None:
        """Transition sources and dests, window 'since' and feedback states name declared states."""
        if not self.well_typed("states", dict):
            return  # the schema reports it; every reference would only repeat that
        known = list(self.states)

        def check(path: Path, name: str) -> None:
            if _is_name(name) and name not in known:
                self.report(path, _unknown("state", name, known, "states"))

        for i, t in self.transitions:
            for path, name in self.sources(i, t):
                check(path, name)
            if isinstance(t.get("dest"), str):
                check(("transitions", i, "dest"), t["dest"])
            window = t.get("window")
            if isinstance(window, dict) and isinstance(window.get("since"), str):
                check(("transitions", i, "window", "since"), window["since"])
        for i, _ in self.feedback_windows:
            for path, name in self.names_list(("feedback", i, "states")):
                check(path, name)

    def check_role_references(self) -> None:
        """Roles named anywhere are declared, and public roles only answer the unit's public survey:
        they fire no transition, edit nothing, supply no value and answer no feedback window."""
        if not self.well_typed("roles", dict):
            return  # the schema reports it; every reference would only repeat that
        roles = self.roles
        known = list(roles)
        public = {name for name, r in roles.items()
                  if isinstance(r, dict) and isinstance(r.get("resolver"), str)
                  and r["resolver"] in PUBLIC_ROLE_RESOLVERS}

        def check(path: Path, name: Any, *, key: bool = False) -> bool:
            if _is_name(name) and name not in known:
                self.report(path, _unknown("role", name, known, "roles"), key=key)
                return False
            return True

        def refuse_public(path: Path, name: Any, what: str, *, key: bool = False) -> None:
            if check(path, name, key=key) and _is_name(name) and name in public:
                self.report(path, f"role '{name}' is public and cannot {what}; the public only answers "
                                  "the unit's public satisfaction survey (IKM)", key=key)

        for i, _ in self.transitions:
            for path, name in self.names_list(("transitions", i, "roles")):
                refuse_public(path, name, "fire transitions")
        for state, s in self.states.items():
            edit = s.get("edit")
            if isinstance(edit, dict):
                for role in edit:
                    refuse_public(("states", state, "edit", role), role, "edit an appraisal", key=True)
        for i, ind in self.indicators:
            if "supplied_by" in ind:
                refuse_public(("indicators", i, "supplied_by"), ind["supplied_by"], "supply an indicator's value")
        skp = self.data.get("skp")
        if isinstance(skp, dict) and "supplied_by" in skp:
            refuse_public(("skp", "supplied_by"), skp["supplied_by"], "supply the SKP")
        for i, _ in self.feedback_windows:
            for path, name in self.names_list(("feedback", i, "roles")):
                refuse_public(path, name, "answer a feedback window on an appraisal")

    def check_result_references(self) -> None:
        """States compute declared results on entry."""
        if not self.well_typed("results", dict):
            return  # the schema reports it; every reference would only repeat that
        known = list(self.results)
        for state, s in self.states.items():
            actions = s.get("on_enter")
            for k, action in enumerate(actions if isinstance(actions, list) else []):
                if not isinstance(action, dict):
                    continue
                for path, name in self.names_list(("states", state, "on_enter", k, "compute")):
                    if _is_name(name) and name not in known:
                        self.report(path, _unknown("result", name, known, "results"))

    def input_mappings(self) -> Iterator[tuple[Path, dict[Any, Any]]]:
        """(path, inputs) of every rule's inputs: results, indicators and rule guards."""
        for name, r in self.results.items():
            if isinstance(r.get("inputs"), dict):
                yield ("results", name, "inputs"), r["inputs"]
        for i, ind in self.indicators:
            if isinstance(ind.get("inputs"), dict):
                yield ("indicators", i, "inputs"), ind["inputs"]
        for i, t in self.transitions:
            guards = t.get("guards")
            for j, guard in enumerate(guards if isinstance(guards, list) else []):
                if isinstance(guard, dict) and isinstance(guard.get("inputs"), dict):
                    yield ("transitions", i, "guards", j, "inputs"), guard["inputs"]

    def check_input_paths(self) -> None:
        """Rule input paths start with a known root and name things the cycle declares."""
        known = {
            "results": (list(self.results), "result", "results"),
            "feedback": (self.ids(self.feedback_windows), "feedback window", "feedback windows"),
            "indicators": (self.ids(self.indicators), "indicator", "fixed indicators"),
        }
        for section, kind in (("results", dict), ("feedback", list), ("indicators", list)):
            if not self.well_typed(section, kind):
                del known[section]
        save_as = self.save_as_keys()
        for base, inputs in self.input_mappings():
            for name, value in inputs.items():
                if isinstance(value, str):
                    self.check_input_path(base + (name,), value, known, save_as)
                elif isinstance(value, list):
                    for k, item in enumerate(value):
                        if isinstance(item, str):
                            self.check_input_path(base + (name, k), item, known, save_as)

    @cached_property
    def window_roles(self) -> dict[str, list[str]]:
        """The role names each feedback window lists, by window id."""
        out: dict[str, list[str]] = {}
        for _, window in self.feedback_windows:
            roles = window.get("roles")
            if isinstance(window.get("id"), str) and isinstance(roles, list):
                out.setdefault(window["id"], [r for r in roles if isinstance(r, str)])
        return out

    def check_input_path(self, path: Path, text: str,
                         known: Mapping[str, tuple[list[str], str, str]], save_as: list[str]) -> None:
        """One input path such as ``results.predikat`` or ``data.penilaian.perilaku``."""
        parts = text.split(".")
        if any(not part for part in parts):
            self.report(path, f"malformed input path {_show(text)}: write names separated by single dots, "
                              "e.g. results.predikat")
            return
        root = parts[0]
        if root not in INPUT_ROOTS:
            hint = _suggest(root, INPUT_ROOTS) or f"; a path starts with one of {', '.join(INPUT_ROOTS)}"
            within = f" in {_show(text)}" if text != root else ""
            self.report(path, f"unknown input path root '{root}'{within}{hint}")
            return
        if root == "history":
            self.check_history_path(path, text, parts, known.get("results"))
            return
        if root == "checkpoints":
            problem = series_path_problem(text, self.data)
            if problem:
                self.report(path, problem)
            return
        if len(parts) < 2:
            return
        name = parts[1]
        if root in known:
            names, kind, plural = known[root]
            if name not in names:
                self.report(path, _unknown(kind, name, names, plural))
            elif root == "feedback" and len(parts) >= 3:
                self.check_feedback_part(path, text, name, parts[2:])
        elif root == "data" and name not in save_as:
            hint = _suggest(name, save_as)
            if not hint:
                hint = (f"; data keys are the save_as names of transitions: {', '.join(save_as)}" if save_as
                        else "; no transition keeps its payload with save_as")
            self.report(path, f"unknown data key '{name}'{hint}")

    def check_checkpoints(self) -> None:
        """The ``checkpoints:`` section (engine.checkpoints.validation)."""
        known = {"results": (list(self.results), "result", "results"),
                 "feedback": (self.ids(self.feedback_windows), "feedback window", "feedback windows"),
                 "indicators": (self.ids(self.indicators), "indicator", "fixed indicators")}
        save_as = self.save_as_keys()
        check_checkpoints(self.data, self.report, INPUT_ROOTS,
                          lambda path, text: self.check_input_path(path, text, known, save_as))

    def check_history_path(self, path: Path, text: str, parts: list[str],
                           results: tuple[list[str], str, str] | None) -> None:
        """``history.results.NAME``: a result of this cycle, run by run."""
        if len(parts) >= 2 and parts[1] not in HISTORY_PARTS:
            hint = _suggest(parts[1], HISTORY_PARTS)
            self.report(path, f"unknown part '{parts[1]}' in {_show(text)}{hint}; write history.results.NAME "
                              "(a result of this cycle)")
        elif len(parts) != 3:
            self.report(path, f"input path {_show(text)} must be history.results.NAME (a result of this cycle)")
        elif results is not None and parts[2] not in results[0]:
            names, kind, plural = results
            self.report(path, _unknown(kind, parts[2], names, plural))

    def check_feedback_part(self, path: Path, text: str, window: str, rest: list[str]) -> None:
        """After ``feedback.WINDOW``: ``scores``, ``scores_with_public`` or one of the window's roles."""
        roles = self.window_roles.get(window)
        part = rest[0]
        if part in FEEDBACK_SCORE_PATHS:
            if len(rest) > 1:
                self.report(path, f"input path {_show(text)} goes past '{part}'; end it there "
                                  f"(feedback.{window}.{part} is a list of role and score)")
            return
        if roles is None or part in roles:
            return
        choices = [*FEEDBACK_SCORE_PATHS, *roles]
        hint = _suggest(part, choices)
        self.report(path, f"unknown part '{part}' of feedback window '{window}'{hint}; use "
                          f"{', '.join(FEEDBACK_SCORE_PATHS)} or one of its roles ({', '.join(roles) or 'none'})")

    def check_indicator_sources(self) -> None:
        """An indicator fed by feedback names a declared feedback window."""
        if not self.well_typed("feedback", list):
            return
        windows = self.ids(self.feedback_windows)
        for i, ind in self.indicators:
            source = ind.get("source")
            if isinstance(source, str) and source not in windows:
                self.report(("indicators", i, "source"),
                            _unknown("feedback window", source, windows, "feedback windows"))

    def check_indicator_suppliers(self) -> None:
        """A value the system feeds (``inputs.realisation``, ``source``) names no person who supplies it."""
        for i, ind in self.indicators:
            supplier = ind.get("supplied_by")
            inputs = ind.get("inputs")
            fed = (inputs.get("realisation") if isinstance(inputs, dict) and "realisation" in inputs
                   else ind.get("source"))
            if fed is not None and _is_name(supplier):
                self.report(("indicators", i, "supplied_by"),
                            f"indicator '{ind.get('id')}' is fed by the system ({fed}), which nobody types; "
                            f"remove supplied_by '{supplier}' (or the system source, if a person records it)")

    def check_graph(self) -> None:
        """Reachability, dead ends and exits from final states."""
        states = self.states
        if not states or not self.well_typed("transitions", list):
            return
        exits: dict[str, list[str]] = {name: [] for name in states}
        for i, t in self.transitions:
            dest = t.get("dest")
            for path, source in self.sources(i, t):
                if source not in states:
                    continue
                exits[source].append(dest if isinstance(dest, str) else "")
                if states[source].get("final") is True:
                    self.report(path, f"{self.item_name('transitions', i, 'trigger', 'transition')} leaves "
                                      f"final state '{source}'; a final state has no way out")
        dead_ends_are_real = self.sources_complete()
        for name, s in states.items():
            if s.get("final") is not True and not exits[name] and dead_ends_are_real:
                self.report(("states", name),
                            f"state '{name}' has no way out: it is not final and no transition leaves it", key=True)
        initial = next((name for name, s in states.items() if s.get("initial") is True), None)
        if initial is None or not self.graph_is_complete():
            # an unknown or missing source/dest is already reported, and the states it was meant to
            # reach would only be reported again as unreachable
            return
        reached = {initial}
        queue = deque([initial])
        while queue:
            for dest in exits[queue.popleft()]:
                if dest in states and dest not in reached:
                    reached.add(dest)
                    queue.append(dest)
        for name in states:
            if name not in reached:
                self.report(("states", name),
                            f"state '{name}' cannot be reached from the initial state '{initial}'", key=True)

    def sources_complete(self) -> bool:
        """Whether every transition leaves only known states (else a state's way out may be the typo)."""
        states = self.states
        for i, t in enumerate(self.section("transitions", list)):
            if not isinstance(t, dict):
                return False
            source = t.get("source")
            sources = self.sources(i, t)
            if not sources or (isinstance(source, list) and len(sources) != len(source)):
                return False
            if any(s not in states for _, s in sources):
                return False
        return True

    def graph_is_complete(self) -> bool:
        """Whether every transition leaves known states for a known state."""
        states = self.states
        return self.sources_complete() and all(
            isinstance(t, dict) and isinstance(t.get("dest"), str) and t["dest"] in states
            for t in self.section("transitions", list))

    def check_triggers(self) -> None:
        """One trigger fires at most one transition from a state."""
        seen: dict[tuple[str, str], Path] = {}
        for i, t in self.transitions:
            trigger = t.get("trigger")
            if not _is_name(trigger):
                continue
            for path, source in self.sources(i, t):
                first = seen.setdefault((trigger, source), path)
                if first is path:
                    continue
                if first[:2] == path[:2]:
                    self.report(path, f"state '{source}' is listed twice in the source of transition '{trigger}'")
                else:
                    self.report(path, f"trigger '{trigger}' already leaves state '{source}' "
                                      f"(line {self.line_of(first)}); a trigger fires one transition per state")

    def check_deadlines(self) -> None:
        """A deadline that fires a trigger needs that trigger to leave its state."""
        if not self.well_typed("transitions", list):
            return
        fired_from: dict[str, list[str]] = {}
        for i, t in self.transitions:
            if _is_name(t.get("trigger")):
                fired_from.setdefault(t["trigger"], []).extend(s for _, s in self.sources(i, t))
        for name, s in self.states.items():
            deadline = s.get("deadline")
            then = deadline.get("then") if isinstance(deadline, dict) else None
            fire = then.get("fire") if isinstance(then, dict) else None
            if not _is_name(fire):
                continue
            path = ("states", name, "deadline", "then", "fire")
            if fire not in fired_from:
                self.report(path, _unknown("trigger", fire, list(fired_from), "triggers"))
            elif name not in fired_from[fire]:
                self.report(path, f"trigger '{fire}' cannot fire from state '{name}'; it fires from "
                                  f"{', '.join(fired_from[fire])}")

    def check_durations(self) -> None:
        """Deadline and window durations parse (``14d``, ``10wd``, ``P14D``...)."""
        def check(path: Path, value: Any) -> None:
            if isinstance(value, str):
                try:
                    parse_duration(value)
                except DurationError as exc:
                    self.report(path, str(exc))

        for name, s in self.states.items():
            deadline = s.get("deadline")
            if isinstance(deadline, dict):
                for key in ("within", "offset"):
                    if key in deadline:
                        check(("states", name, "deadline", key), deadline[key])
        for i, t in self.transitions:
            window = t.get("window")
            if isinstance(window, dict) and "within" in window:
                check(("transitions", i, "window", "within"), window["within"])

    def check_duplicate_ids(self) -> None:
        """Indicator, feedback window and course ids are unique in their lists."""
        groups = [
            ("indicators", self.indicators, "indicator id"),
            ("feedback", self.feedback_windows, "feedback window id"),
            (("development", "catalog"), self.courses, "course id"),
        ]
        for where, items, noun in groups:
            base: Path = where if isinstance(where, tuple) else (where,)
            first: dict[str, Path] = {}
            for i, item in items:
                value = item.get("id")
                if not isinstance(value, str):
                    continue
                path = base + (i, "id")
                if value in first:
                    self.report(path, f"duplicate {noun} '{value}'; the first is on line {self.line_of(first[value])}")
                else:
                    first[value] = path

    def check_weights(self) -> None:
        """Fixed indicators with weights must all be weighted and total 100 (when they are the whole plan)."""
        skp = self.data.get("skp")
        if isinstance(skp, dict) and skp.get("employee_indicators") is True:
            return  # the employee's own IKI join the plan; the fixed weights are only part of it
        indicators = self.indicators
        if not any("weight" in ind for _, ind in indicators):
            return
        missing = [(i, ind) for i, ind in indicators if "weight" not in ind]
        for i, _ in missing:
            self.report(("indicators", i),
                        f"{self.item_name('indicators', i, 'id', 'indicator')} has no weight; when one indicator "
                        "has a weight, every indicator needs one")
        weights = [ind["weight"] for _, ind in indicators if "weight" in ind]
        if missing or not all(_number(w) and 0 < w <= 100 for w in weights):
            return  # a total over missing or invalid weights would only mislead
        total = sum(weights)
        if abs(total - 100) > 1e-6:
            self.report(("indicators",), f"the indicator weights total {round(total, 4):g}; they must total 100",
                        key=True)

    def check_payload_schemas(self) -> None:
        # large generated cycles repeat one payload schema many times: check each text once
        """Payload schemas are valid JSON Schema (draft 2020-12)."""
        checked: dict[str, list[tuple[Path, str]]] = {}
        for i, t in self.transitions:
            payload = t.get("payload")
            if not isinstance(payload, dict):
                continue
            try:
                key = json.dumps(payload, sort_keys=True, default=repr)
            except (TypeError, ValueError):  # keys of mixed kinds cannot be sorted
                key = f"#{i}"
            if key not in checked:
                checked[key] = []
                for error in _meta_validator().iter_errors(payload):
                    best = _focus(error)
                    path = tuple(best.absolute_path)
                    checked[key].append((path, self.meta_message(path, best)))
            owner = self.item_name("transitions", i, "trigger", "transition")
            for path, message in checked[key]:
                self.report(("transitions", i, "payload") + path,
                            f"the payload schema of {owner} is not valid JSON Schema: {message}")

    def meta_message(self, path: Path, error: ValidationError) -> str:
        """A JSON Schema meta-schema error in words."""
        where = ".".join(str(p) for p in path) or "the schema"
        quoted = f"'{where}'" if path else where
        if error.validator == "enum" and path and path[-1] == "type":
            options = [str(o) for o in error.validator_value]
            return (f"{_show(error.instance)} is not a JSON Schema type; use one of {', '.join(options)}"
                    f"{_suggest(error.instance, options)}")
        if error.validator == "type":
            return f"{quoted} must be {_type_words(error.validator_value)}, not {_describe_value(error.instance)}"
        if error.validator in ("minimum", "exclusiveMinimum"):
            return f"{quoted} must be at least {error.validator_value}, not {_show(error.instance)}"
        if error.validator == "uniqueItems":
            return f"{quoted} must not repeat an item"
        return f"{quoted}: {error.message}"

    # -- rules and guard expressions ------------------------------------------------------------
    def rule_uses(self) -> Iterator[tuple[Path, str, Path, Any]]:
        """(rule path, rule name, params path, params or None) of every rule the cycle names."""
        for i, ind in self.indicators:
            if _is_name(ind.get("rule")):
                yield ("indicators", i, "rule"), ind["rule"], ("indicators", i, "params"), ind.get("params")
        skp = self.data.get("skp")
        if isinstance(skp, dict):
            rule = skp.get("rule", DEFAULT_SKP_RULE)
            if _is_name(rule):
                rule_path: Path = ("skp", "rule") if "rule" in skp else ("skp",)
                yield rule_path, rule, ("skp", "params"), skp.get("params")
        for name, r in self.results.items():
            if _is_name(r.get("rule")):
                yield ("results", name, "rule"), r["rule"], ("results", name, "params"), r.get("params")
        for i, t in self.transitions:
            guards = t.get("guards")
            for j, guard in enumerate(guards if isinstance(guards, list) else []):
                if isinstance(guard, dict) and _is_name(guard.get("rule")) and "expr" not in guard:
                    base = ("transitions", i, "guards", j)
                    yield base + ("rule",), guard["rule"], base + ("params",), guard.get("params")

    def check_rules(self) -> None:
        """Named rules are installed and accept the params the cycle gives them."""
        uses = list(self.rule_uses())
        if not uses:
            return
        try:
            from rules import UnknownRuleError, get_rule
        except ImportError as exc:
            self.report(uses[0][0], f"cannot check rules: the rules package does not load ({exc})")
            return
        for rule_path, name, params_path, params in uses:
            rule_key = rule_path[-1] == "skp"  # the default skp rule: point at the section
            try:
                rule = get_rule(name)
            except UnknownRuleError as exc:
                self.report(rule_path, str(exc.args[0]) if exc.args else str(exc), key=rule_key)
                continue
            except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the other checks
                self.report(rule_path, f"rule '{name}' failed to load ({type(exc).__name__}: {exc})", key=rule_key)
                continue
            if params is not None and not isinstance(params, dict):
                continue  # the schema reports params that are not a mapping
            try:
                param_problems = rule.validate_params(params if params is not None else {})
            except Exception as exc:  # noqa: BLE001 - a rule's own checks are plugin code
                self.report(rule_path, f"rule '{name}' failed while checking its params "
                                       f"({type(exc).__name__}: {exc})", key=rule_key)
                continue
            for problem in param_problems:
                inner = tuple(getattr(problem, "path", ()) or ())
                message = _param_message(name, inner, str(problem.message))
                if params is None:
                    self.report(rule_path, message, key=rule_key)
                else:
                    # "unknown parameter 'capp'" is about the key the author wrote, not its value
                    about_key = bool(inner) and str(problem.message).startswith("unknown ")
                    self.report(params_path + inner, message, key=about_key)

    def check_calibration_guards(self) -> None:
        """A calibration guard can find the employees' predicates and its limits suit the calibration rule."""
        for path, message in calibration_guard_problems(self.data):
            self.report(path, message)

    def expression_names(self) -> list[str]:
        """The names a guard expression may use."""
        return list(self.results) + self.save_as_keys() + list(EXPRESSION_NAMES)

    def check_expressions(self) -> None:
        """Guard expressions compile against the names the cycle provides."""
        expressions = []
        for i, t in self.transitions:
            guards = t.get("guards")
            for j, guard in enumerate(guards if isinstance(guards, list) else []):
                if isinstance(guard, dict) and isinstance(guard.get("expr"), str) and guard["expr"].strip() \
                        and "rule" not in guard:
                    expressions.append((("transitions", i, "guards", j, "expr"), guard["expr"]))
        if not expressions:
            return
        try:
            from rules import ExpressionError, compile_expression
        except ImportError as exc:
            self.report(expressions[0][0], f"cannot check guard expressions: the rules package does not load ({exc})")
            return
        names = self.expression_names()
        for path, text in expressions:
            try:
                compile_expression(text, names)
            except ExpressionError as exc:
                message = str(exc.args[0]) if exc.args else str(exc)
                self.report_expression(path, text, message, getattr(exc, "col", None), getattr(exc, "line", None))
            except Exception as exc:  # noqa: BLE001 - the expression compiler is another package's code
                self.report(path, f"the guard expression could not be checked ({type(exc).__name__}: {exc})")
            else:
                self.check_payload_keys(path, text)

    def check_payload_keys(self, path: Path, text: str) -> None:
        """A guard reads only payload keys its transition's payload schema declares.

        ``payload['x']`` and ``'x' in payload`` (also through the transition's own ``save_as`` name)
        with a key the schema does not declare is a typo that silently makes a condition always
        true or always false (an upheld appeal decision that may change the rating after all).
        """
        transition = self.data["transitions"][path[1]]
        schema = transition.get("payload")
        if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
            return
        declared = [k for k in schema["properties"] if isinstance(k, str)]
        pattern_schemas = schema.get("patternProperties")
        patterns = [p for p in pattern_schemas if isinstance(p, str)] if isinstance(pattern_schemas, dict) else []
        payload_names = {"payload"} | ({transition["save_as"]} if _is_name(transition.get("save_as")) else set())
        lead = len(text) - len(text.lstrip())
        for key, line, col in _payload_keys(text.strip(), payload_names):
            if key in declared or any(_matches(pattern, key) for pattern in patterns):
                continue
            trigger = transition.get("trigger")
            where = f"transition '{trigger}'" if _is_name(trigger) else "this transition"
            self.report_expression(
                path, text, f"the payload of {where} declares no key '{key}'{_suggest(key, declared)}; "
                f"its keys are: {', '.join(declared) or 'none'}", col + (lead if line == 1 else 0), line)

    def check_dead_ends(self) -> None:
        """States a missing input makes impossible to leave (see :mod:`engine.dead_ends`).

        Runs on the built definition, so only once everything else is in order.
        """
        if self.problems or not self.dead_ends:
            return
        for stranding in find_strandings(build_definition(self.data, self.source)):
            self.report(("states", stranding.state), stranding.message, key=True)

    def report_expression(self, path: Path, text: str, message: str, col: Any, line: Any = None) -> None:
        """Point inside the expression when the compiler says where and the text can be found in the file."""
        node = self.tree.node(path)
        if isinstance(col, int) and not isinstance(col, bool) and isinstance(node, yaml.ScalarNode):
            found = self.expression_position(node, text, line if isinstance(line, int) else 1, col)
            if found is not None:
                self.problems.append(Problem(self.filename, found[0], found[1], f"guard expression: {message}"))
                return
        self.report(path, f"guard expression: {message}")

    def expression_position(self, node: yaml.ScalarNode, text: str, line: int, col: int) -> tuple[int, int] | None:
        """The file's (line, column) of ``line``/``col`` (1-based) in an expression, when it can be mapped.

        A one-line scalar is read as written (quotes skipped); a folded (``>``) or literal (``|``)
        block maps back through its lines; anything else (escapes, blank lines...) gives None.
        """
        mark = node.start_mark
        if mark.line == node.end_mark.line:
            quote = 1 if node.style in ("'", '"') else 0
            raw = self.source[mark.index + quote:node.end_mark.index - quote]
            if raw == text and line == 1 and 1 <= col <= len(text) + 1:
                return mark.line + 1, mark.column + 1 + quote + col - 1
            return None
        if node.style not in (">", "|"):
            return None
        lines = self.source.splitlines()
        body: list[tuple[int, str]] = []
        indent: int | None = None
        for number in range(mark.line + 1, len(lines)):
            content = lines[number]
            if not content.strip():
                break  # the block ends (or has a blank line, which the comparison below refuses)
            width = len(content) - len(content.lstrip(" "))
            if indent is None:
                indent = width
            elif width < indent:
                break
            body.append((number, content[indent:].rstrip()))
        if indent is None or not body:
            return None
        pieces = [piece for _, piece in body]
        if node.style == "|":
            if "\n".join(pieces) != text.rstrip("\n") or not 1 <= line <= len(body):
                return None
            return body[line - 1][0] + 1, indent + col
        if " ".join(pieces) != text or line != 1:
            return None
        offset = col - 1
        for number, piece in body:
            if offset <= len(piece):
                return number + 1, indent + offset + 1
            offset -= len(piece) + 1
        return None


def _payload_keys(text: str, names: Collection[str]) -> Iterator[tuple[str, int, int]]:
    """(key, line, column) of each constant key an expression reads from one of ``names``:
    ``name['key']`` and ``'key' in name`` / ``'key' not in name``."""
    for node in ast.walk(ast.parse(text, mode="eval")):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in names \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            yield node.slice.value, node.slice.lineno, node.slice.col_offset + 1
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) \
                and isinstance(node.left.value, str) \
                and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                and isinstance(node.comparators[0], ast.Name) and node.comparators[0].id in names:
            yield node.left.value, node.left.lineno, node.left.col_offset + 1


def _matches(pattern: str, key: str) -> bool:
    """Whether ``key`` matches a ``patternProperties`` pattern (an invalid pattern matches nothing)."""
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False


def _param_message(rule: str, path: Path, message: str) -> str:
    """A rule's complaint about its params as one sentence naming the rule and the parameter."""
    where = "params" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    if re.match(r"(must|needs|allows|has|is|should|cannot) ", message):
        # the rule gave a predicate ("must be at least 0, not -1"): give it its subject
        return f"{where} of rule '{rule}' {message}"
    if path:
        return f"rule '{rule}', {where}: {message}"
    return f"rule '{rule}': {message}"


def _focus(error: ValidationError) -> ValidationError:
    """Follow anyOf/oneOf into the one alternative whose type fits the value, as far as it goes."""
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            if sub.relative_schema_path:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [errs for errs in branches.values()
                   if not any(e.validator == "type" and not e.relative_path for e in errs)]
        if len(fitting) != 1 or len(fitting[0]) != 1:
            best = best_match(error.context)
            return best if best is not None else error
        error = fitting[0][0]
    return error

