"""Layer 1 of validation: the YAML read with every value's position.

The node tree is composed with :class:`yaml.SafeLoader` so every value keeps its line and column;
syntax errors, duplicate keys (PyYAML silently keeps the last one), unreadable scalars, recursive
aliases and alias bombs are reported here, in words.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from engine.errors import Problem
from engine.messages import Message
from engine.validation.words import show

#: A path into the data: mapping keys and list indexes, from the top.
Path = tuple[Any, ...]

# Cycle files are a dozen levels deep; far deeper input is an attack or an accident, and deep
# structures would exhaust the stack of the recursive validators further down.
_MAX_DEPTH = 64
# Aliases may share one mapping in many places; past this many values after expansion the file is a
# "billion laughs" bomb rather than a cycle.
_MAX_VALUES = 1_000_000
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class Tree:
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


class Document:
    """What reading the YAML gave: the tree and data (None when unreadable) and the problems so far."""

    def __init__(self) -> None:
        self.tree: Tree | None = None
        self.data: Any = None
        self.problems: list[Problem] = []
        self.duplicates: list[tuple[Path, Any, yaml.Node, yaml.Node]] = []
        self.unreadable: set[Path] = set()


def read_yaml(source: str, filename: str) -> Document:
    """Compose the YAML, then build plain data while keeping the nodes for positions."""
    document = Document()

    def at(mark: yaml.Mark | None, message: str, msg: Message) -> Problem:
        if mark is None:
            return Problem(filename, 1, 1, message, msg)
        return Problem(filename, mark.line + 1, mark.column + 1, message, msg)

    try:
        loader = yaml.SafeLoader(source)  # the reader rejects control characters right here
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line, col = line_col(source, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        document.problems.append(Problem(
            filename, line, col,
            f"the character U+{ord(char):04X} is not allowed in a YAML file; remove it",
            Message("cycle.bad_character", code=f"U+{ord(char):04X}")))
        return document
    except yaml.MarkedYAMLError as exc:
        mark, message, msg = _explain_yaml_error(exc)
        document.problems.append(at(mark, message, msg))
        return document
    except yaml.YAMLError as exc:
        document.problems.append(Problem(filename, 1, 1, f"YAML error: {exc}", Message("cycle.yaml")))
        return document
    except RecursionError:
        document.problems.append(Problem(
            filename, 1, 1, "the file is nested too deeply to read; a cycle file is a dozen levels deep at most",
            Message("cycle.too_deep")))
        return document

    if root is None:
        document.problems.append(Problem(
            filename, 1, 1,
            "the file is empty; a cycle file is a mapping with id, version, title, period, roles, states "
            "and transitions", Message("cycle.empty")))
        return document
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        document.problems.append(at(
            root.start_mark,
            f"the top level of a cycle file must be a mapping (id: ..., states: ..., transitions: ...), not {kind}",
            Message("cycle.top_level", kind=Message("cycle.value.list" if kind == "a list" else "cycle.value.single"))))
        return document

    builder = _Builder(loader)
    data, size = builder.build(root, (), 0)
    document.problems.extend(at(mark, message, msg) for mark, message, msg in builder.issues)
    if size > _MAX_VALUES:
        document.problems.append(at(
            root.start_mark,
            f"the file's aliases expand to more than {_MAX_VALUES:,} values; a cycle file needs far fewer",
            Message("cycle.alias_bomb", limit=_MAX_VALUES)))
        return document
    document.tree = Tree(root, builder.entries)
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
        self.issues: list[tuple[yaml.Mark, str, Message]] = []
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
                                "a cycle file cannot be recursive", Message("cycle.alias_recursive")))
            return None, 1
        if depth > _MAX_DEPTH:
            if not self._too_deep:
                self._too_deep = True
                self.issues.append((node.start_mark,
                                    f"the file is nested more than {_MAX_DEPTH} levels deep here; "
                                    "a cycle file is a dozen levels deep at most",
                                    Message("cycle.nested_here", limit=_MAX_DEPTH)))
            return None, 1
        if isinstance(node, yaml.ScalarNode):
            result = (self._scalar(node, path), 1)
        else:
            if node.tag not in _PLAIN_COLLECTION_TAGS:
                self.issues.append((node.start_mark, f"the YAML tag '{node.tag}' is not supported in cycle files",
                                    Message("cycle.yaml_tag", tag=node.tag)))
            self._open.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    result = self._mapping(node, path, depth)
                else:
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
                                f"cannot read {show(node.value)} as {_tag_word(node.tag)} ({reason}); "
                                "quote it if it is a text",
                                Message("cycle.unreadable_scalar", value=str(node.value), kind=_tag_message(node.tag))))
            return node.value
        if isinstance(value, float) and not math.isfinite(value):
            # JSON, and so the schema, has no NaN or infinity: '.nan' would slip past every bound
            if path is not None:
                self.unreadable.add(path)
            self.issues.append((node.start_mark, f"{show(node.value)} is not a finite number; write a number "
                                                 "such as 100, or quote it if it is a text",
                                Message("cycle.not_finite", value=str(node.value))))
        return value

    def _sequence(self, node: yaml.Node, path: Path, depth: int) -> tuple[list[Any], int]:
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
            self.issues.append((node.start_mark, f"cannot merge ('<<') here: {problem}", Message("cycle.merge")))
            node.value = own_pairs
        first_seen: dict[Any, yaml.Node] = {}
        own = {id(k) for k, _ in own_pairs}
        entries: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
        result: dict[Any, Any] = {}
        size = 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.append((key_node.start_mark,
                                    "a key must be a plain name or text, not a mapping or a list",
                                    Message("cycle.complex_key")))
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


def _tag_message(tag: str) -> Message:
    """:func:`_tag_word` as a coded phrase."""
    codes = {
        "tag:yaml.org,2002:timestamp": "cycle.value.a_date",
        "tag:yaml.org,2002:int": "cycle.type.integer",
        "tag:yaml.org,2002:float": "cycle.type.number",
        "tag:yaml.org,2002:bool": "cycle.type.boolean",
        "tag:yaml.org,2002:binary": "cycle.value.binary",
    }
    return Message(codes[tag]) if tag in codes else Message("cycle.value.tagged", tag=tag)


def line_col(source: str, index: int) -> tuple[int, int]:
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


def _explain_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, str, Message]:
    """Where a YAML error is and what it means, in plain words."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if "'\\t'" in problem:
        return mark, "YAML syntax error: a tab character cannot indent YAML; use spaces", Message("cycle.yaml_tab")
    if context.startswith("while scanning a quoted scalar"):
        # the end of the file is useless as a position: point at the opening quote
        return exc.context_mark or mark, ("YAML syntax error: this quoted text is never closed; "
                                          "add the closing quote"), Message("cycle.yaml_unclosed")
    if problem == "mapping values are not allowed here":
        return mark, ("YAML syntax error: unexpected ':' here; check the indentation of this line, "
                      "or quote a text that contains ': '"), Message("cycle.yaml_colon")
    if context == "while scanning a simple key":
        return exc.context_mark or mark, ("YAML syntax error: this line has no ':' after its key; "
                                          "write 'key: value'"), Message("cycle.yaml_no_colon")
    if problem.startswith("expected <block end>"):
        return mark, ("YAML syntax error: this line is not indented like the lines above it; "
                      "keys of one mapping and items of one list must start in the same column"), \
            Message("cycle.yaml_indent")
    if problem.startswith("found undefined alias"):
        return mark, f"YAML error: {problem}; an alias '*name' needs an anchor '&name' before it", \
            Message("cycle.yaml_alias")
    if context.startswith("expected a single document"):
        return mark, "the file holds more than one YAML document ('---'); a cycle file is one document", \
            Message("cycle.yaml_documents")
    found = re.match(r"found character '(.*)' that cannot start any token", problem)
    if found:
        return mark, f"YAML syntax error: a value cannot start with '{found.group(1)}'; quote the value", \
            Message("cycle.yaml_start", char=found.group(1))
    words = problem
    for token, word in _TOKEN_WORDS.items():
        words = words.replace(token, word)
    tail = ""
    if context:
        where = _CONTEXT_WORDS.get(context, context.removeprefix("while ").replace("parsing", "reading"))
        line = f" that starts on line {exc.context_mark.line + 1}" if exc.context_mark else ""
        tail = f" (in {where}{line})"
    return mark, f"YAML syntax error: {words}{tail}", Message("cycle.yaml")
