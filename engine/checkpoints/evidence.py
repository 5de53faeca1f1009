"""Evidence files of checkpoint reports: stored like a realisation's (engine.evidence), removed when refused."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.checkpoints.service import EntryOutcome, file_report
from engine.evidence import EvidenceFile, EvidenceStore, Upload, stored_file
from engine.models import CheckpointEntry
from engine.permissions import Actor


def file_report_with_evidence(session: Session, store: EvidenceStore, appraisal_id: int, actor: Actor,
                              checkpoint: str, text: str, upload: Upload | None = None, *,
                              expected_version: int | None = None, now: datetime | None = None) -> EntryOutcome:
    """File a checkpoint's report (:func:`engine.checkpoints.service.file_report`) with its evidence file.

    The file is checked and stored first; if the report is then refused, a file this call stored is
    removed again, so nothing of a refused step stays behind.
    """
    evidence, created = store.store(appraisal_id, upload) if upload is not None else (None, False)
    try:
        return file_report(session, appraisal_id, actor, checkpoint, text, evidence,
                           expected_version=expected_version, now=now)
    except Exception:
        if evidence is not None and created and (path := store.file_of(evidence.path)) is not None:
            path.unlink(missing_ok=True)
        raise


def report_evidence_file(session: Session, store: EvidenceStore, actor: Actor, appraisal_id: int,
                         entry_id: int) -> EvidenceFile:
    """The evidence of one checkpoint entry, for someone who may open the appraisal; NotFound when there is none."""
    return stored_file(session, store, actor, appraisal_id, CheckpointEntry, entry_id, "checkpoint entry")
