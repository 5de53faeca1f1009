"""Comparing two versions of a cycle: what changed in meaning (roles, states, transitions, indicators,
results, feedback windows, top-level keys), and the line diff of their files.

HR reads it before publishing a new version or migrating running appraisals to it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition import CycleDefinition
from engine.errors import NotFound
from engine.messages import Message
from engine.models import CycleDefinitionRecord
from engine.registry import definition_of

# PyYAML counts these as line breaks, so a file's lines (and its problems' line numbers) follow them too.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Names of definition fields as the cycle file writes them.
YAML_KEYS = {"sources": "source", "payload_schema": "payload"}
# The top-level keys of a cycle file that are compared as a whole.
TOP_LEVEL = ("title", "description", "period", "skp", "jp_target", "catalog")


@dataclass
class Change:
    """One part of a cycle added, removed or changed between two versions (changed: which fields)."""

    kind: str  # added | removed | changed
    name: str
    fields: list[str] = field(default_factory=list)


@dataclass
class VersionComparison:
    """Two versions of one cycle side by side; ``same`` when both are the same stored version."""

    cycle_id: str
    versions: list[CycleDefinitionRecord]  # every stored version of the cycle, newest first
    old: CycleDefinitionRecord
    new: CycleDefinitionRecord
    top: list[str] = field(default_factory=list)
    parts: list[tuple[str, list[Change]]] = field(default_factory=list)  # (part key, its changes)
    diff: list[tuple[str, str]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return self.old.id == self.new.id


def _changed_fields(old: Any, new: Any) -> list[str]:
    return [YAML_KEYS.get(f.name, f.name) for f in dataclasses.fields(old)
            if f.compare and getattr(old, f.name) != getattr(new, f.name)]


def _compare_parts(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = [Change("added", key) for key in new if key not in old]
    changes += [Change("removed", key) for key in old if key not in new]
    changes += [Change("changed", key, _changed_fields(old[key], new[key]))
                for key in old if key in new and old[key] != new[key]]
    return changes


def _transitions_by_key(defn: CycleDefinition) -> dict[str, Any]:
    """Transitions by trigger; a trigger used from several states is told apart by its sources."""
    seen: dict[str, int] = {}
    for t in defn.transitions:
        seen[t.trigger] = seen.get(t.trigger, 0) + 1
    return {(t.trigger if seen[t.trigger] == 1 else f"{t.trigger} ({', '.join(t.sources)})"): t
            for t in defn.transitions}


# The parts compared one by one, in the order they are reported: key -> the part by name.
PARTS: dict[str, Callable[[CycleDefinition], Mapping[str, Any]]] = {
    "roles": lambda d: dict(d.roles),
    "states": lambda d: dict(d.states),
    "transitions": _transitions_by_key,
    "indicators": lambda d: {i.id: i for i in d.indicators},
    "results": lambda d: dict(d.results),
    "feedback": lambda d: {f.id: f for f in d.feedback},
}


def semantic_changes(old: CycleDefinition, new: CycleDefinition) -> tuple[list[str], list[tuple[str, list[Change]]]]:
    """Top-level keys that differ, and per part of the cycle (a key of :data:`PARTS`) what was added,
    removed or changed; parts without a change are left out."""
    top = [name for name in TOP_LEVEL if getattr(old, name) != getattr(new, name)]
    parts = [(key, _compare_parts(pick(old), pick(new))) for key, pick in PARTS.items()]
    return top, [(key, changes) for key, changes in parts if changes]


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> list[tuple[str, str]]:
    """The unified diff of two sources as (kind, line): kind is head, hunk, add, del or same."""
    out: list[tuple[str, str]] = []
    for line in difflib.unified_diff(LINE_BREAK.split(old), LINE_BREAK.split(new), old_name, new_name, lineterm=""):
        if line.startswith(("---", "+++")) and len(out) < 2:
            out.append(("head", line))
        elif line.startswith("@@"):
            out.append(("hunk", line))
        elif line.startswith("+"):
            out.append(("add", line))
        elif line.startswith("-"):
            out.append(("del", line))
        else:
            out.append(("same", line))
    return out


def versions_of(session: Session, cycle_id: str) -> list[CycleDefinitionRecord]:
    """Every stored version of a cycle (drafts, published and retired), newest first."""
    return list(session.scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.cycle_id == cycle_id)
                                .order_by(CycleDefinitionRecord.version.desc())))


def compare_versions(session: Session, cycle_id: str, old_version: int | None = None,
                     new_version: int | None = None) -> VersionComparison:
    """Compare two stored versions of a cycle: by default the newest with the one before it.

    NotFound for a cycle with no stored version, or a version it does not have.
    """
    versions = versions_of(session, cycle_id)
    if not versions:
        raise NotFound(f"no cycle '{cycle_id}'", msg=Message("definition.no_cycle", cycle=cycle_id))
    by_version = {r.version: r for r in versions}
    new_v = new_version or versions[0].version
    old_v = old_version or next((r.version for r in versions if r.version < new_v), new_v)
    for wanted in (old_v, new_v):
        if wanted not in by_version:
            raise NotFound(f"cycle '{cycle_id}' has no version {wanted}",
                           msg=Message("definition.no_version", cycle=cycle_id, version=wanted))
    old, new = by_version[old_v], by_version[new_v]
    comparison = VersionComparison(cycle_id, versions, old, new)
    if comparison.same:
        return comparison
    comparison.top, comparison.parts = semantic_changes(definition_of(old), definition_of(new))
    comparison.diff = unified_diff(old.source, new.source, f"{cycle_id} v{old.version}", f"{cycle_id} v{new.version}")
    return comparison
