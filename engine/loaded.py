"""Definitions of stored cycle records, parsed and compiled once per process.

A published record never changes, so its cached definition and shared machine stay valid for the
life of the process. This is the loading half of :mod:`engine.registry`, kept apart so that
readers of stored definitions (firing, the audit replay) do not depend on publishing, which
writes audit events.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition import CycleDefinition, build_definition, content_hash
from engine.errors import Conflict, NotFound
from engine.messages import Message
from engine.models import CycleDefinitionRecord
from engine.runtime import CompiledCycle, compiled

log = logging.getLogger(__name__)
_loaded: dict[tuple[int, str], CycleDefinition] = {}


def definition_of(record: CycleDefinitionRecord) -> CycleDefinition:
    """The typed definition of a stored record (parsed once per process).

    A text whose SHA-256 is not the ``content_hash`` stored beside it was changed outside Siklus (a step given
    to another role, a table rewritten): it is refused (:class:`~engine.errors.Conflict`, nothing run), never
    compiled, and ``siklus audit verify`` names it (engine.definition_verify)."""
    key = (record.id, record.content_hash)
    found = _loaded.get(key)
    if found is None:
        source = record.source or ""
        if content_hash(source) != record.content_hash:
            log.error("cycle definition #%s (%s version %s) does not match its content hash: it was changed "
                      "outside Siklus and is not run", record.id, record.cycle_id, record.version)
            raise Conflict(Message("definition.altered", id=str(record.id), cycle=record.cycle_id,
                                   version=str(record.version)))
        found = build_definition(yaml.safe_load(source), source)
        _loaded[key] = found
    return found


def definitions_by_id(session: Session, records: Iterable[tuple[int, str]]) -> dict[int, CycleDefinition]:
    """The definitions of the stored records given as (id, content hash), by id: those seen before from the
    cache, the others read in one query (none when every one was seen)."""
    wanted = dict(records)
    found = {record_id: _loaded[(record_id, digest)] for record_id, digest in wanted.items()
             if (record_id, digest) in _loaded}
    missing = [record_id for record_id in wanted if record_id not in found]
    if missing:
        for record in session.scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.id.in_(missing))):
            found[record.id] = definition_of(record)
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
