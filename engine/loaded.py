"""Definitions of stored cycle records, parsed and compiled once per process.

A published record never changes, so its cached definition and shared machine stay valid for the
life of the process. This is the loading half of :mod:`engine.registry`, kept apart so that
readers of stored definitions (firing, the audit replay) do not depend on publishing, which
writes audit events.
"""

from __future__ import annotations

import yaml
from sqlalchemy.orm import Session

from engine.definition import CycleDefinition, build_definition
from engine.errors import NotFound
from engine.messages import Message
from engine.models import CycleDefinitionRecord
from engine.runtime import CompiledCycle, compiled

_loaded: dict[tuple[int, str], CycleDefinition] = {}


def definition_of(record: CycleDefinitionRecord) -> CycleDefinition:
    """The typed definition of a stored record (parsed once per process)."""
    key = (record.id, record.content_hash)
    found = _loaded.get(key)
    if found is None:
        found = build_definition(yaml.safe_load(record.source), record.source)
        _loaded[key] = found
    return found


def compiled_of(record: CycleDefinitionRecord) -> CompiledCycle:
    """The shared compiled cycle of a stored record."""
    return compiled(definition_of(record))


def compiled_by_id(session: Session, record_id: int, content_hash: str) -> CompiledCycle:
    """The compiled cycle of a stored record, loading its text only the first time it is seen."""
    found = _loaded.get((record_id, content_hash))
    if found is None:
        return compiled_of(get_record(session, record_id))
    return compiled(found)


def get_record(session: Session, record_id: int) -> CycleDefinitionRecord:
    """A stored definition by id; :class:`~engine.errors.NotFound` when there is none."""
    record = session.get(CycleDefinitionRecord, record_id)
    if record is None:
        raise NotFound(f"no cycle definition #{record_id}",
                       msg=Message("definition.record_not_found", id=str(record_id)))
    return record
