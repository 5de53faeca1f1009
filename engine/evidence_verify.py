"""``siklus audit verify`` with the evidence folder: each evidence file a row keeps is on disk with the content the
chain recorded.

Replay (engine.replay) proves each realisation's and development activity's evidence row against its event: the
file's SHA-256, its name and its stored path. What replay cannot read is the file itself: a file replaced in the
folder is served under the same record. Given the folder, verification reads each row that keeps a file once more:
a file that is gone is named, and so is one whose content is not the recorded SHA-256 (hashed on a full run; an
incremental run compares its size with the recorded size, which costs no read of the file).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.messages import Message
from engine.models import DevelopmentActivity, Realisation

#: Rows read per round trip.
BATCH = 2000
_ROWS = ((Realisation, "audit.evidence_row_realisation"), (DevelopmentActivity, "audit.evidence_row_development"))


def stored_file_path(folder: Path, stored: str) -> Path | None:
    """Where a stored evidence path is on disk; None if it points outside the folder (the one place that says so:
    engine.evidence.EvidenceStore.file_of serves by it)."""
    resolved = folder.resolve()
    path = (resolved / stored).resolve()
    return path if resolved in path.parents else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evidence_file_differences(session: Session, folder: Path, *, hashed: bool) -> Iterator[Finding]:
    """Each evidence file kept by a row that is missing from ``folder`` or no longer has its recorded content
    (``hashed``: by its SHA-256; otherwise by its size). Reads the rows in id order, a batch at a time."""
    for model, code in _ROWS:
        last = 0
        while True:
            rows = session.execute(select(model.id, model.appraisal_id, model.evidence_path, model.evidence_sha256,
                                          model.evidence_size)
                                   .where(model.id > last, model.evidence_path.is_not(None))
                                   .order_by(model.id).limit(BATCH)).all()
            if not rows:
                break
            last = rows[-1].id
            for row in rows:
                row_label = Message(code, id=str(row.id), appraisal=str(row.appraisal_id))
                path = stored_file_path(folder, row.evidence_path)
                if path is None or not path.is_file():
                    yield finding("audit.evidence_missing", row=row_label, path=row.evidence_path)
                elif row.evidence_sha256 and (
                        _sha256(path) != row.evidence_sha256 if hashed
                        else row.evidence_size is not None and path.stat().st_size != row.evidence_size):
                    yield finding("audit.evidence_changed", row=row_label, path=row.evidence_path,
                                  sha=row.evidence_sha256[:16])


__all__ = ["evidence_file_differences", "stored_file_path"]
