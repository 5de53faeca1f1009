"""A realisation's evidence is served from the path and under the name its row keeps. Someone with the database's
password who pointed the row at another file (or gave it another name) served that file under the same record
while verify said intact. The chain records both: verify names a row whose path or name is not the recorded one,
and, given the evidence folder, a file that is gone or no longer has the recorded content."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from engine.audit import verify_all, verify_chain
from engine.evidence import EvidenceStore, Upload, record_realisation_with_evidence
from engine.models import Appraisal, Realisation
from engine.runs import find_unit, launch
from tests.support.forgery import forge, verified
from tests.support.states import drive
from web.messages import finding_text

PDF = b"%PDF-1.4\n% bukti dukung\n"
OTHER = b"%PDF-1.4\n% bukti orang lain\n"


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "bukti")


@pytest.fixture
def evidenced(session, org, national, store) -> Realisation:
    """Ani's realisation with a PDF as evidence, and another appraisal's file stored beside it."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal).where(Appraisal.employee_id == org.people["ani"].id)).one()
    budi = session.scalars(select(Appraisal).where(Appraisal.employee_id == org.people["budi"].id)).one()
    drive(session, org, ani.id, "ani", "monitor")
    record_realisation_with_evidence(session, store, ani.id, org.actor("ani"), "iki_1", 90,
                                     upload=Upload("laporan.pdf", PDF))
    store.store(budi.id, Upload("rahasia.pdf", OTHER))
    session.commit()
    return session.scalars(select(Realisation).where(Realisation.appraisal_id == ani.id)).one()


def _forge(session, row: Realisation, **values) -> None:
    forge(session, update(Realisation.__table__).where(Realisation.id == row.id).values(**values))


def test_an_evidence_path_pointed_at_another_file_is_named(session, org, evidenced, store) -> None:
    assert verified(session) == (True, [])
    other = next(p for p in store.folder.rglob("*.pdf") if p.read_bytes() == OTHER)
    forged = str(other.relative_to(store.folder))
    _forge(session, evidenced, evidence_path=forged)
    ok, problems = verified(session)
    assert not ok
    assert len(problems) == 1 and "stored path of the evidence file" in problems[0]
    assert forged in problems[0] and evidenced.evidence_path in problems[0]
    assert "jalur simpan berkas bukti" in finding_text(problems[0], "id")


def test_an_evidence_name_changed_is_named(session, org, evidenced) -> None:
    _forge(session, evidenced, evidence_name="sertifikat-asli.pdf")
    ok, problems = verified(session)
    assert not ok and len(problems) == 1
    assert "name of the evidence file" in problems[0] and "sertifikat-asli.pdf" in problems[0]
    assert "laporan.pdf" in problems[0]


def test_a_file_replaced_on_disk_or_gone_is_named_when_verify_reads_the_folder(session, org, evidenced, store,
                                                                               db_url) -> None:
    assert verify_all(db_url, workers=1, evidence=store.folder).ok
    path = store.file_of(evidenced.evidence_path)
    assert path is not None
    path.write_bytes(OTHER)
    report = verify_all(db_url, workers=1, evidence=store.folder)  # of another size: found without reading it
    assert not report.ok
    assert list(report.problems) == [
        f"realisation #{evidenced.id} of appraisal #{evidenced.appraisal_id}: its evidence file "
        f"{evidenced.evidence_path} no longer has the content the chain recorded (SHA-256 "
        f"{evidenced.evidence_sha256[:16]}…); it was replaced or changed on disk"]
    assert finding_text(report.problems[0], "id").startswith(
        f"realisasi #{evidenced.id} penilaian #{evidenced.appraisal_id}: berkas buktinya")
    same_size = PDF[:-2] + b"X\n"
    path.write_bytes(same_size)
    assert not verify_all(db_url, workers=1, evidence=store.folder, full=True).ok
    path.unlink()
    report = verify_all(db_url, workers=1, evidence=store.folder)
    assert list(report.problems) == [
        f"realisation #{evidenced.id} of appraisal #{evidenced.appraisal_id}: its evidence file "
        f"{evidenced.evidence_path} is missing from the evidence folder"]
    # Without the folder (a database checked away from the files) the files are not judged.
    assert verify_all(db_url, workers=1).ok
    assert verify_chain(session).ok
