"""Evidence files (bukti dukung) kept with realisations: checked by content, stored by their hash.

A file is stored as ``<folder>/<appraisal id>/<sha256>.<ext>``; the realisation keeps the path relative
to the folder, so the folder can move with the data. Recording a realisation with a new file is one
step: when the engine refuses the realisation, the file it brought is removed again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from engine.access import open_appraisal
from engine.appraisals import Evidence, record_realisation
from engine.errors import InvalidInput, NotFound
from engine.evidence_verify import stored_file_path
from engine.limits import EVIDENCE_FILE, check_not_empty, upload_name
from engine.messages import Message
from engine.models import Appraisal, Realisation, StoredFile
from engine.permissions import Actor

MAX_EVIDENCE = EVIDENCE_FILE.max_bytes
MAX_EVIDENCE_MB = MAX_EVIDENCE // (1024 * 1024)


@dataclass(frozen=True)
class FileKind:
    """An evidence type recognised by its content signature; the file's extension must agree."""

    signature: bytes
    extension: str
    content_type: str
    extensions: tuple[str, ...]


KINDS = (
    FileKind(b"%PDF-", "pdf", "application/pdf", ("pdf",)),
    FileKind(b"\xff\xd8\xff", "jpg", "image/jpeg", ("jpg", "jpeg")),
    FileKind(b"\x89PNG\r\n\x1a\n", "png", "image/png", ("png",)),
)


class EvidenceRefused(InvalidInput):
    """An evidence file of the wrong kind or size."""


@dataclass(frozen=True)
class Upload:
    """An evidence file as it arrived: its name as sent (cleaned when stored: :func:`engine.limits.upload_name`)
    and at most ``MAX_EVIDENCE + 1`` bytes."""

    name: str
    content: bytes


#: The longest file name the tables keep (``evidence_name``); a longer one is shortened to fit.
MAX_EVIDENCE_NAME = 255


@dataclass(frozen=True)
class EvidenceStore:
    """The folder evidence files are kept in."""

    folder: Path

    def store(self, appraisal_id: int, upload: Upload) -> tuple[Evidence, bool]:
        """Check the file (type by content, size) and store it; also whether it was not there before."""
        content = upload.content
        if len(content) > MAX_EVIDENCE:
            raise EvidenceRefused(f"the evidence file is larger than {MAX_EVIDENCE_MB} MB",
                                  msg=Message("evidence.too_large", limit=MAX_EVIDENCE_MB))
        name = upload_name(upload.name, "bukti", MAX_EVIDENCE_NAME)
        check_not_empty(EVIDENCE_FILE, len(content), name)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        kind = next((k for k in KINDS if content.startswith(k.signature)), None)
        if kind is None or extension not in kind.extensions:
            raise EvidenceRefused("evidence must be a PDF, JPEG or PNG file", msg=Message("evidence.kind"))
        folder = self.folder / str(appraisal_id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{hashlib.sha256(content).hexdigest()}.{kind.extension}"
        created = not path.exists()
        if created:
            temporary = path.with_suffix(".part")
            temporary.write_bytes(content)
            os.replace(temporary, path)
        return Evidence.of_bytes(name, f"{appraisal_id}/{path.name}", content, kind.content_type), created

    def file_of(self, stored: str) -> Path | None:
        """Where a stored evidence path is on disk; None if it points outside the folder."""
        return stored_file_path(self.folder, stored)


def record_realisation_with_evidence(session: Session, store: EvidenceStore, appraisal_id: int, actor: Actor,
                                     indicator_key: str, value: Any, note: str = "", upload: Upload | None = None,
                                     expected_version: int | None = None,
                                     now: datetime | None = None) -> Appraisal:
    """Record a realisation (see :func:`engine.appraisals.record_realisation`) with its evidence file.

    The file is checked and stored first; if the realisation is then refused, a file this call
    stored is removed, so nothing of a refused step stays behind.
    """
    evidence, created = store.store(appraisal_id, upload) if upload is not None else (None, False)
    try:
        return record_realisation(session, appraisal_id, actor, indicator_key, value, note=note, evidence=evidence,
                                  expected_version=expected_version, now=now)
    except Exception:
        if evidence is not None and created and (path := store.file_of(evidence.path)) is not None:
            path.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class EvidenceFile:
    """A stored evidence file someone may download: where it is, its name and its type."""

    path: Path
    name: str
    content_type: str | None


def stored_file(session: Session, store: EvidenceStore, actor: Actor, appraisal_id: int, model: type[StoredFile],
                row_id: int, what: str) -> EvidenceFile:
    """The file kept with one row of ``model`` (evidence, a report's evidence, a certificate) of an appraisal,
    for someone who may open the appraisal; NotFound when the row is another appraisal's, has no file, or the
    file is gone. ``what`` names the row in the refusal (e.g. "realisation")."""
    open_appraisal(session, actor, appraisal_id)
    row = session.get(model, row_id)
    if row is None or getattr(row, "appraisal_id", None) != appraisal_id or not row.evidence_path:
        raise NotFound(f"no file for {what} {row_id} of appraisal {appraisal_id}",
                       msg=Message("evidence.none", appraisal=str(appraisal_id)))
    path = store.file_of(row.evidence_path)
    if path is None or not path.is_file():
        raise NotFound(f"the file of {what} {row_id} is missing", msg=Message("evidence.missing"))

    return EvidenceFile(path, row.evidence_name or path.name, row.evidence_type)


def evidence_file(session: Session, store: EvidenceStore, actor: Actor, appraisal_id: int,
                  realisation_id: int) -> EvidenceFile:
    """The evidence of one realisation, for someone who may open the appraisal; NotFound when there is none."""
    return stored_file(session, store, actor, appraisal_id, Realisation, realisation_id, "realisation")
