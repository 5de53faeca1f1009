"""What the audit chain proves of checkpoints: each entry's event replays to the stored row.

:mod:`engine.replay` registers :func:`apply_checkpoint` for events of kind ``checkpoint`` and
:data:`ROWS` among the rows it compares, so ``siklus audit verify`` names a checkpoint entry that was
changed, added or removed behind the chain's back. Realisations recorded for a checkpoint are
ordinary ``realisation`` events whose payload names the checkpoint. This module imports no other
part of the engine's audit code (replay imports it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.messages import Message
from engine.models import CheckpointEntry
from engine.moments import to_second

#: The audit event kind of every checkpoint entry.
EVENT_KIND = "checkpoint"
#: How verify names the rows (``checkpoint entry #12 ...``).
WHAT = "checkpoint entry"
#: The fields of an entry the chain proves: what it says, and who recorded it when (its event's actor and moment,
#: to the second: a report backdated into its checkpoint's deadline, or credited to someone else, is named).
FIELDS = ("checkpoint", "kind", "text", "answers", "role", "evidence_sha256", "recorded_by_id", "recorded_at")


class _Replayed(Protocol):
    extra: dict[str, list[dict[str, Any]]]


class _Event(Protocol):
    payload: dict[str, Any]
    actor_user_id: int | None
    occurred_at: datetime | str


def entry_payload(entry: CheckpointEntry, evidence_path: bool = True) -> dict[str, Any]:
    """The audit payload of an entry: everything the row holds, so the chain alone re-derives it."""
    evidence = None
    if entry.evidence_sha256 is not None:
        evidence = {"name": entry.evidence_name, "sha256": entry.evidence_sha256, "size": entry.evidence_size,
                    "content_type": entry.evidence_type}
        if evidence_path:
            evidence["path"] = entry.evidence_path
    return {"checkpoint": entry.checkpoint, "entry": entry.kind, "text": entry.text or "",
            "answers": dict(entry.answers or {}), "role": entry.role, "evidence": evidence}


def apply_checkpoint(replayed: _Replayed, event: _Event, _context: object) -> None:
    """A checkpoint entry appended: the replayed appraisal gains the row the event describes."""
    payload = event.payload or {}
    evidence = payload.get("evidence") or {}
    replayed.extra.setdefault(WHAT, []).append({
        "checkpoint": payload.get("checkpoint"), "kind": payload.get("entry"), "text": payload.get("text") or "",
        "answers": payload.get("answers") or {}, "role": payload.get("role"),
        "evidence_sha256": evidence.get("sha256"), "recorded_by_id": event.actor_user_id,
        "recorded_at": to_second(event.occurred_at)})


def read_rows(session: Session, within: Callable[[Any], Any]) -> dict[int, list[tuple[int, dict[str, Any]]]]:
    """The stored entries of the appraisals ``within`` selects, in the order they were written."""
    out: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    rows = session.execute(select(CheckpointEntry.id, CheckpointEntry.appraisal_id, CheckpointEntry.checkpoint,
                                  CheckpointEntry.kind, CheckpointEntry.text, CheckpointEntry.answers,
                                  CheckpointEntry.role, CheckpointEntry.evidence_sha256, CheckpointEntry.recorded_by_id,
                                  CheckpointEntry.recorded_at)
                           .where(within(CheckpointEntry.appraisal_id)).order_by(CheckpointEntry.id))
    for r in rows:
        out.setdefault(r.appraisal_id, []).append(
            (r.id, {"checkpoint": r.checkpoint, "kind": r.kind, "text": r.text or "", "answers": dict(r.answers or {}),
                    "role": r.role, "evidence_sha256": r.evidence_sha256, "recorded_by_id": r.recorded_by_id,
                    "recorded_at": to_second(r.recorded_at)}))
    return out


def row_name(row_id: int | None, row: dict[str, Any]) -> Message:
    """A checkpoint entry as a verification problem names it (with its id, or as the chain recorded it)."""
    kind, checkpoint = str(row.get("kind")), str(row.get("checkpoint"))
    if row_id is None:
        return Message("audit.checkpoint_entry", kind=kind, checkpoint=checkpoint)
    return Message("audit.checkpoint_entry_row", id=str(row_id), kind=kind, checkpoint=checkpoint)


@dataclass(frozen=True)
class ExtraRows:
    """Rows beside the appraisal's own that replay compares: their fields, how to read them, how to name one, and
    where the message catalogue names their fields (``<field_codes><field>``; the column's name where it has
    none)."""

    fields: tuple[str, ...]
    read: Callable[[Session, Callable[[Any], Any]], dict[int, list[tuple[int, dict[str, Any]]]]]
    name: Callable[[int | None, dict[str, Any]], Message]
    field_codes: str = "audit.field."


ROWS = ExtraRows(FIELDS, read_rows, row_name)
