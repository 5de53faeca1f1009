"""Engine services behind the screens: which transitions can be fired in bulk and firing a batch item by
item; evidence files checked by their content and never left behind by a refused realisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine.bulk import BulkShape, NotInBulk, bulk_shape, fire_in_bulk
from engine.errors import SiklusError
from engine.evidence import EvidenceRefused, EvidenceStore, Upload, record_realisation_with_evidence
from engine.models import Appraisal, Realisation
from engine.registry import definition_of
from engine.runs import find_unit, launch
from tests.support.messages import said
from tests.support.states import drive

PDF = b"%PDF-1.4\n% bukti dukung\n"


@pytest.fixture
def run(session, org, national):
    return launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))


def _appraisal(session, org, run, person: str) -> Appraisal:
    return session.scalars(select(Appraisal).where(
        Appraisal.run_id == run.id, Appraisal.employee_id == org.people[person].id)).one()


def _transition(national, trigger: str):
    return next(t for t in definition_of(national).transitions if t.trigger == trigger)


def test_approving_a_plan_needs_no_input_and_can_be_done_in_bulk(national):
    assert bulk_shape(_transition(national, "approve_plan")) == BulkShape()


def test_returning_a_plan_takes_one_shared_required_comment(national):
    shape = bulk_shape(_transition(national, "return_plan"))
    assert shape is not None and shape.comment_key == "komentar" and shape.comment_required


def test_a_rating_needs_input_per_appraisal_and_is_never_fired_in_bulk(session, org, run, national):
    assert bulk_shape(_transition(national, "rate")) is None
    ani = _appraisal(session, org, run, "ani")
    drive(session, org, ani.id, "ani", "rate")
    with pytest.raises(NotInBulk):
        fire_in_bulk(session, org.actor("kabid"), "rate", [(ani.id, ani.version)])
    session.rollback()
    assert session.get(Appraisal, ani.id).state == "rate"


def test_a_batch_fires_each_item_at_its_version_and_reports_each(session, org, run):
    ani, budi = _appraisal(session, org, run, "ani"), _appraisal(session, org, run, "budi")
    for person, appraisal in (("ani", ani), ("budi", budi)):
        drive(session, org, appraisal.id, person, "plan_review")
    session.rollback()
    fresh, stale = session.get(Appraisal, ani.id), session.get(Appraisal, budi.id)
    batch = fire_in_bulk(session, org.actor("kabid"), "approve_plan",
                         [(fresh.id, fresh.version), (stale.id, stale.version - 1)])
    outcomes = {item.appraisal_id: item.outcome for item in batch.items}
    assert outcomes == {ani.id: "ok", budi.id: "stale"}
    assert batch.count("ok") == 1 and batch.items[0].to_state is not None
    session.rollback()
    assert session.get(Appraisal, ani.id).state == "monitor" and session.get(Appraisal, budi.id).state == "plan_review"


def test_a_required_comment_that_is_missing_refuses_the_whole_batch_before_anything_is_fired(session, org, run):
    ani = _appraisal(session, org, run, "ani")
    drive(session, org, ani.id, "ani", "plan_review")
    session.rollback()
    with pytest.raises(NotInBulk) as refused:
        fire_in_bulk(session, org.actor("kabid"), "return_plan", [(ani.id, session.get(Appraisal, ani.id).version)])
    assert "Komentar wajib diisi" in said(refused.value)["id"]
    session.rollback()
    assert session.get(Appraisal, ani.id).state == "plan_review"


def test_an_empty_selection_is_refused(session, org, run):
    with pytest.raises(NotInBulk):
        fire_in_bulk(session, org.actor("kabid"), "approve_plan", [])


def test_evidence_is_stored_once_by_its_hash(tmp_path: Path):
    store = EvidenceStore(tmp_path)
    first, created = store.store(7, Upload("laporan.pdf", PDF))
    again, created_again = store.store(7, Upload("salinan.pdf", PDF))
    assert created and not created_again and first.path == again.path
    assert first.content_type == "application/pdf" and (tmp_path / first.path).read_bytes() == PDF


@pytest.mark.parametrize("name, content", [("bukti.pdf", b"MZ\x90\x00 not a pdf"), ("bukti.png", PDF)])
def test_evidence_whose_content_does_not_match_its_name_is_refused(tmp_path: Path, name: str, content: bytes):
    with pytest.raises(EvidenceRefused) as refused:
        EvidenceStore(tmp_path).store(7, Upload(name, content))
    assert "PDF, JPEG, atau PNG" in said(refused.value)["id"]
    assert not any(tmp_path.rglob("*.*"))


def test_a_stored_path_outside_the_folder_is_no_evidence(tmp_path: Path):
    assert EvidenceStore(tmp_path / "bukti").file_of("../rahasia.pdf") is None


def test_a_refused_realisation_leaves_no_evidence_file_behind(session, org, run, tmp_path: Path):
    ani = _appraisal(session, org, run, "ani")
    store = EvidenceStore(tmp_path)
    with pytest.raises(SiklusError):  # the rater does not record the employee's realisation
        record_realisation_with_evidence(session, store, ani.id, org.actor("kabid"), "iki_1", 90,
                                         upload=Upload("bukti.pdf", PDF))
    assert not any(tmp_path.rglob("*.pdf"))
    assert session.scalars(select(Realisation).where(Realisation.appraisal_id == ani.id)).first() is None
