"""One cycle file under validation: its data, where each value is written, and the problems found so far.

Every check (:mod:`engine.validation.schema_messages`, :mod:`~engine.validation.references`,
:mod:`~engine.validation.graph`, :mod:`~engine.validation.expressions`) is a function of a
:class:`CycleFile`. The accessors read the data defensively: a malformed part counts as empty, so a
schema error in one state does not hide a semantic error in another.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import yaml

from engine.errors import Problem
from engine.messages import Message
from engine.validation.positions import Document, Path, Tree
from engine.validation.words import is_name, show, shown, unknown, unknown_message


class CycleFile:
    """The data of one readable cycle file, with its positions and the problems reported so far."""

    def __init__(self, filename: str, source: str, document: Document, *, dead_ends: bool = True) -> None:
        assert document.tree is not None and isinstance(document.data, dict)
        self.filename = filename
        self.dead_ends = dead_ends
        self.source = source
        self.tree: Tree = document.tree
        self.data: dict[Any, Any] = document.data
        self.problems: list[Problem] = list(document.problems)
        self.duplicates = document.duplicates
        # paths of scalars YAML could not read: already reported, the schema need not repeat them
        self.unreadable = document.unreadable

    # -- reporting ---------------------------------------------------------------------------
    def report(self, path: Path, message: str, *, key: bool = False, msg: Message) -> None:
        """Report ``message`` (English, for logs and the CLI) and ``msg`` (the same problem coded, for every
        reader) at the value at ``path`` (its key with ``key``)."""
        node = self.tree.node(path, key=key)
        self.report_at(node.start_mark, message, msg)

    def report_at(self, mark: yaml.Mark, message: str, msg: Message) -> None:
        """Report ``message`` at a YAML mark."""
        self.problems.append(Problem(self.filename, mark.line + 1, mark.column + 1, message, msg))

    def report_unknown(self, path: Path, kind: str, name: str, known: Sequence[str], plural: str, *,
                       key: bool = False) -> None:
        """Report a name that names nothing the cycle declares, with the closest one or the list."""
        self.report(path, unknown(kind, name, known, plural), key=key, msg=unknown_message(kind, name, known))

    def line_of(self, path: Path, *, key: bool = False) -> int:
        """The 1-based line of the value (or key) at ``path``."""
        return int(self.tree.node(path, key=key).start_mark.line) + 1

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

    @cached_property
    def window_roles(self) -> dict[str, list[str]]:
        """The role names each feedback window lists, by window id."""
        out: dict[str, list[str]] = {}
        for _, window in self.feedback_windows:
            roles = window.get("roles")
            if isinstance(window.get("id"), str) and isinstance(roles, list):
                out.setdefault(window["id"], [r for r in roles if isinstance(r, str)])
        return out

    @staticmethod
    def ids(items: list[tuple[int, dict[Any, Any]]]) -> list[str]:
        """The distinct ``id`` texts of list items, in order."""
        return list(dict.fromkeys(item["id"] for _, item in items if isinstance(item.get("id"), str)))

    def save_as_keys(self) -> list[str]:
        """The data keys transitions keep their payloads under, in order."""
        keys: list[str] = []
        for _, t in self.transitions:
            if is_name(t.get("save_as")) and t["save_as"] not in keys:
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
        """``transition 'approve_plan'``, or ``transition #3`` when it has no usable id (English; ``noun`` is
        transition, indicator, feedback or course)."""
        return self.item_where(key, index, id_key, noun).english()

    def item_where(self, key: str, index: int, id_key: str, noun: str) -> Message:
        """The item ``index`` of the list ``key`` by its ``id_key`` as a coded phrase (``noun`` is the code's last
        part: transition, indicator, feedback, course), by its number when it has no usable id."""
        items: Any = self.data.get(key) if key != "catalog" else (self.data.get("development") or {}).get("catalog")
        try:
            value = items[index].get(id_key)
        except (AttributeError, IndexError, KeyError, TypeError):
            value = None
        if isinstance(value, str):
            return Message(f"cycle.at.{noun}", name=value)
        return Message(f"cycle.at.{noun}_n", n=index + 1)

    def owner_where(self, path: Path) -> tuple[Message, Path]:
        """The part of the cycle ``path`` is in, as a coded phrase, and the rest of the path inside it."""
        p = path

        def has(n: int, *kinds: type) -> bool:
            return len(p) >= n and (not kinds or isinstance(p[n - 1], kinds))

        phrase, used = Message("cycle.at.cycle"), 0
        head = p[0] if p else None
        if head == "roles" and has(2):
            phrase, used = Message("cycle.at.role", name=shown(p[1])), 2
        elif head == "states" and has(2):
            phrase, used = Message("cycle.at.state", name=shown(p[1])), 2
            if has(3) and p[2] == "deadline":
                phrase, used = Message("cycle.at.deadline", owner=phrase), 3
            elif has(4, int) and p[2] == "on_enter":
                phrase, used = Message("cycle.at.on_enter", n=p[3] + 1, owner=phrase), 4
        elif head == "transitions" and has(2, int):
            phrase, used = self.item_where("transitions", p[1], "trigger", "transition"), 2
            if has(4, int) and p[2] == "guards":
                phrase, used = Message("cycle.at.guard", n=p[3] + 1, owner=phrase), 4
            elif has(3) and p[2] == "window":
                phrase, used = Message("cycle.at.window", owner=phrase), 3
        elif head == "indicators" and has(2, int):
            phrase, used = self.item_where("indicators", p[1], "id", "indicator"), 2
        elif head == "results" and has(2):
            phrase, used = Message("cycle.at.result", name=shown(p[1])), 2
        elif head == "feedback" and has(2, int):
            phrase, used = self.item_where("feedback", p[1], "id", "feedback"), 2
            if has(4, int) and p[2] == "questions":
                phrase, used = Message("cycle.at.question", n=p[3] + 1, owner=phrase), 4
        elif head == "development":
            phrase, used = Message("cycle.at.development"), 1
            if has(3, int) and p[1] == "catalog":
                phrase, used = self.item_where("catalog", p[2], "id", "course"), 3
        elif head == "skp":
            phrase, used = Message("cycle.at.skp"), 1
        return phrase, p[used:]

    def where(self, path: Path) -> Message:
        """Where ``path`` is, as a coded phrase rendered in the reader's language (``'roles' of transition
        'approve_plan'`` in English)."""
        owner, rest = self.owner_where(path)
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
                dotted += ("." if dotted else "") + (part if isinstance(part, str) else show(part))
        top = owner.code == "cycle.at.cycle"
        phrase: Message | None = None
        if dotted:
            phrase = Message("cycle.at.key", key=dotted) if top else Message("cycle.at.key_of", key=dotted, owner=owner)
        if index is None:
            assert phrase is not None
            return phrase
        of = phrase if phrase is not None else (None if top else owner)
        return Message("cycle.at.item_of", n=index + 1, of=of) if of is not None else Message("cycle.at.item",
                                                                                              n=index + 1)

    def field(self, path: Path) -> str:
        """``'roles' of transition 'approve_plan'``: :meth:`where` in English, for logs and the CLI."""
        return self.where(path).english()


def check_duplicate_keys(file: CycleFile) -> None:
    """Duplicate keys found while reading: PyYAML would have kept only the last one."""
    for path, _key, key_node, first in file.duplicates:
        quoted = show(key_node.value)
        named = {("roles",): "role", ("states",): "state", ("results",): "result"}.get(path)
        what = f"duplicate {named} {quoted}" if named else f"duplicate key {quoted} in {file.field(path)}"
        line = first.start_mark.line + 1
        name = str(key_node.value)
        msg = (Message(f"cycle.duplicate_{named}", name=name, line=line) if named
               else Message("cycle.duplicate_key", key=name, where=file.where(path), line=line))
        file.report_at(key_node.start_mark,
                       f"{what}; it is already on line {line} (YAML would silently keep only the last one)", msg)
