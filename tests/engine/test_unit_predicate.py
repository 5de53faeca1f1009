"""The organisation's predicate as a decision (PermenPAN-RB 6/2022 appendix; SE MenPAN-RB 03/2023):
HR or the authorised official records a unit's predicate per period with its penetapan; it is audited,
superseding keeps the history, bad input changes nothing, and the calibration guard of a cycle reads it."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import sessionmaker

from engine.appraisals import fire_transition
from engine.audit import verify_chain
from engine.errors import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from engine.limits import TooLarge
from engine.messages import Message
from engine.models import Appraisal, AuditEvent, UnitPredicate
from engine.permissions import Actor
from engine.registry import publish_source
from engine.runs import close_appraisal, find_unit, launch
from engine.unit_predicate import PENETAPAN_FILE, Penetapan, record_unit_predicate, run_decisions
from engine.users import seed_grant
from tests.support.factories import add_pemda_hr, national_source
from tests.support.messages import said
from tests.support.states import drive

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def penetapan(content: bytes = PDF, name: str = "penetapan-2026.pdf") -> Penetapan:
    return Penetapan(name, content)


@pytest.fixture(autouse=True)
def bkpsdm(session, org):
    """HR of the whole pemda, the organisation above DINAS: who records DINAS's predicate (HR of DINAS records
    BIDANG's, the unit below it, but not DINAS's own)."""
    return add_pemda_hr(session, org)


@pytest.fixture
def storage(tmp_path: Path) -> Path:
    return tmp_path / "bukti"


@pytest.fixture
def run(session, org, national):
    return launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))


def record(session, actor, run, storage, **given):
    values = {"unit_id": run.unit_id, "period": "2026", "predicate": "Baik", "decided_on": "2026-01-15",
              "decided_by": "Bupati", "document": penetapan()}
    values.update(given)
    return record_unit_predicate(session, actor, run_id=run.id, storage=storage, **values)


def files(storage: Path) -> list[Path]:
    return sorted(p for p in storage.rglob("*") if p.is_file()) if storage.exists() else []


# -- recording -----------------------------------------------------------------------------------

def test_hr_records_the_unit_predicate_with_its_date_decider_and_penetapan(session, org, run, storage):
    decision = record(session, org.actor("bkpsdm"), run, storage, predicate="butuh perbaikan")
    session.expire_all()
    stored = session.get(UnitPredicate, decision.id)
    assert (stored.unit_id, stored.period, stored.predicate) == (org.dinas.id, "2026", "Butuh Perbaikan")
    assert (stored.decided_on.isoformat(), stored.decided_by) == ("2026-01-15", "Bupati")
    assert (storage / stored.document_path).read_bytes() == PDF and stored.document_name == "penetapan-2026.pdf"
    event = session.get(AuditEvent, stored.audit_event_id)
    assert (event.stream, event.kind, event.unit_id, event.actor_name) == (
        "system", "unit_predicate", org.dinas.id, "bkpsdm")
    assert event.payload["predicate"] == "Butuh Perbaikan"
    assert event.payload["document"]["sha256"] == stored.document_sha256
    assert verify_chain(session).ok


def test_a_new_decision_supersedes_the_standing_one_and_both_stay(session, org, run, storage):
    first = record(session, org.actor("bkpsdm"), run, storage, predicate="Baik")
    second = record(session, org.actor("bkpsdm"), run, storage, predicate="Istimewa",
                    document=penetapan(PDF + b"% revisi\n", "penetapan-revisi.pdf"))
    session.expire_all()
    old, new = session.get(UnitPredicate, first.id), session.get(UnitPredicate, second.id)
    assert old.superseded_at is not None and old.superseded_by_id == new.id and new.superseded_at is None
    shown = run_decisions(session, org.actor("hr"), run.id)
    assert [d.predicate for d in shown.decisions] == ["Istimewa", "Baik"]
    assert [d.predicate for d in shown.standing] == ["Istimewa"]
    assert session.get(AuditEvent, new.audit_event_id).payload["supersedes"] == old.id
    assert len(files(storage)) == 2 and verify_chain(session).ok


def test_periodic_decisions_live_beside_the_annual_one(session, org, run, storage):
    record(session, org.actor("bkpsdm"), run, storage, period="2026-Q1", predicate="Kurang")
    record(session, org.actor("bkpsdm"), run, storage, period="2026", predicate="Baik")
    record(session, org.actor("hr"), run, storage, unit_id=org.bidang.id, period="2026-07", predicate="Istimewa",
           decided_on="2026-08-03")
    shown = run_decisions(session, org.actor("hr"), run.id)
    assert sorted((d.period, d.unit_id, d.predicate) for d in shown.standing) == [
        ("2026", org.dinas.id, "Baik"), ("2026-07", org.bidang.id, "Istimewa"), ("2026-Q1", org.dinas.id, "Kurang")]


def test_the_authorised_official_over_the_unit_may_record_it(session, org, run, storage):
    seed_grant(session, user_id=org.users["sekda"].id, role="group:penetap_predikat", unit_id=org.root.id)
    session.commit()
    session.refresh(org.users["sekda"])
    decision = record(session, Actor.of(org.users["sekda"]), run, storage)
    assert session.get(AuditEvent, decision.audit_event_id).role == "penetap_predikat"


# -- bad input: a clear refusal in both languages, nothing written --------------------------------

BAD = [
    pytest.param({"predicate": "Sangat Baik"}, InvalidInput, "bukan predikat kinerja organisasi",
                 id="employee-predicate"),
    pytest.param({"predicate": "Luar Biasa"}, InvalidInput, "pilih salah satu dari Istimewa, Baik",
                 id="unknown-predicate"),
    pytest.param({"period": "2027"}, InvalidInput, "di luar periode putaran", id="period-after-the-run"),
    pytest.param({"period": "2025-Q4"}, InvalidInput, "di luar periode putaran", id="quarter-before-the-run"),
    pytest.param({"period": "2026-Q5"}, InvalidInput, "bukan periode", id="not-a-period"),
    pytest.param({"decided_on": "20-12-2026"}, InvalidInput, "bukan tanggal", id="not-a-date"),
    pytest.param({"decided_on": "2999-01-01"}, InvalidInput, "sesudah hari ini", id="a-date-to-come"),
    pytest.param({"decided_on": "2025-12-31"}, InvalidInput, "sebelum periode 2026 dimulai",
                 id="a-date-before-the-period"),
    pytest.param({"period": "2026-Q3", "decided_on": "2026-01-15"}, InvalidInput,
                 "Tanggal penetapan 15 Jan 2026 sebelum periode 2026-Q3 dimulai (1 Jul 2026)",
                 id="a-quarter-decided-before-it-began"),
    pytest.param({"decided_by": "  "}, InvalidInput, "siapa yang menetapkan", id="no-decider"),
    pytest.param({"document": Penetapan("penetapan.pdf", b"GIF89a not a pdf")}, InvalidInput, "harus berupa berkas PDF",
                 id="not-a-pdf"),
    pytest.param({"document": Penetapan("penetapan.exe", PDF)}, InvalidInput, "harus berupa berkas PDF",
                 id="pdf-named-otherwise"),
    pytest.param({"document": Penetapan("besar.pdf", PDF + b"0" * PENETAPAN_FILE.max_bytes)}, TooLarge,
                 "terlalu besar", id="oversize"),
    pytest.param({"unit_id": -1}, InvalidInput, "bukan unit putaran", id="unit-outside-the-run"),
]


@pytest.mark.parametrize(("given", "error", "words"), BAD)
def test_bad_input_is_refused_in_both_languages_and_nothing_is_written(session, org, run, storage, given, error,
                                                                       words):
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    if given.get("unit_id") == -1:
        given = {**given, "unit_id": org.other.id}
    with pytest.raises(error) as raised:
        record(session, org.actor("bkpsdm"), run, storage, **given)
    text = said(raised.value)
    assert words in text["id"] and text["en"]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(UnitPredicate)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert files(storage) == []


@pytest.mark.parametrize("who", ["hr_lain", "ani", "kadis"])
def test_someone_without_authority_over_the_unit_is_refused(session, org, run, storage, who):
    with pytest.raises(Forbidden) as raised:
        record(session, org.actor(who), run, storage)
    assert "ditetapkan oleh organisasi di atasnya" in said(raised.value)["id"]
    assert session.scalar(select(func.count()).select_from(UnitPredicate)) == 0 and files(storage) == []
    with pytest.raises(Forbidden):
        run_decisions(session, org.actor(who), run.id)


def test_the_units_own_hr_may_not_record_its_predicate_but_reads_it(session, org, run, storage):
    """The organisation above the unit sets its predicate: HR whose grant is on DINAS itself calibrates DINAS's
    employees against it, so may read it but not record it; HR of PEMDA (above) and an admin may."""
    with pytest.raises(Forbidden) as raised:
        record(session, org.actor("hr"), run, storage)
    text = said(raised.value)
    assert text["id"] == ("Predikat kinerja organisasi Dinas Kependudukan ditetapkan oleh organisasi di atasnya, "
                          "bukan oleh unit itu sendiri: yang dapat mencatatnya SDM Pemerintah Daerah (atau unit di "
                          "atasnya), admin, atau pejabat yang diberi wewenang menetapkan predikat.")
    assert text["en"].startswith("The organisation predicate of Dinas Kependudukan is set by the organisation above")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(UnitPredicate)) == 0 and files(storage) == []
    record(session, org.actor("bkpsdm"), run, storage, predicate="Baik")
    record(session, org.actor("admin"), run, storage, predicate="Istimewa")
    shown = run_decisions(session, org.actor("hr"), run.id)
    assert [d.predicate for d in shown.standing] == ["Istimewa"]
    # HR of DINAS is the organisation above BIDANG: the form offers BIDANG to them, DINAS and BIDANG to BKPSDM.
    assert [u.code for u in shown.recordable] == ["BIDANG"]
    assert [u.code for u in run_decisions(session, org.actor("bkpsdm"), run.id).recordable] == ["BIDANG", "DINAS"]


def test_the_root_unit_is_recorded_by_an_admin_or_the_authorised_official_only(session, org, national, storage):
    pemda_run = launch(session, national, org.root, "2026", org.actor("bkpsdm"))
    with pytest.raises(Forbidden) as raised:
        record(session, org.actor("bkpsdm"), pemda_run, storage)
    assert "tidak mempunyai unit di atasnya" in said(raised.value)["id"]
    session.rollback()
    assert record(session, org.actor("admin"), pemda_run, storage).unit_id == org.root.id


def test_a_decision_that_fails_while_writing_leaves_no_row_no_event_and_only_the_other_files(
        session, org, run, storage, monkeypatch):
    kept = record(session, org.actor("bkpsdm"), run, storage)

    def broken(*args, **kwargs):
        raise Conflict(Message("db.busy"))  # as a concurrent writer of the system chain is refused

    monkeypatch.setattr("engine.unit_predicate.append_system_event", broken)
    with pytest.raises(Conflict):
        record(session, org.actor("bkpsdm"), run, storage, predicate="Istimewa")  # the same PDF as the first
    session.expire_all()
    assert [d.id for d in session.scalars(select(UnitPredicate))] == [kept.id]
    assert session.get(UnitPredicate, kept.id).superseded_at is None
    assert files(storage) == [storage / kept.document_path]
    assert verify_chain(session).ok


# -- the calibration guard -----------------------------------------------------------------------

def guarded_cycle(session, org, on_breach: str):
    """The national cycle whose confirmation of a rating is held to the unit's organisation predicate."""
    source = national_source().replace(
        "    dest: rated\n    roles: [atasan_penilai]\n",
        "    dest: rated\n    roles: [atasan_penilai]\n    guards:\n"
        f"      - calibration: {{on_breach: {on_breach}}}\n", 1)
    assert "calibration: {on_breach" in source
    return publish_source(session, source, "national-calibrated.yaml", org.actor("admin"))


@pytest.fixture
def rated_bidang(session, org):
    """Returns a factory: BIDANG's three employees rated Baik and waiting for confirmation, under a guard."""

    def make(on_breach: str):
        record_ = guarded_cycle(session, org, on_breach)
        bidang_run = launch(session, record_, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
        ids = {p: session.scalar(select(Appraisal.id).where(Appraisal.run_id == bidang_run.id,
                                                            Appraisal.employee_id == org.people[p].id))
               for p in ("kabid", "ani", "budi")}
        drive(session, org, ids["ani"], "ani", "review")
        drive(session, org, ids["budi"], "budi", "review")
        drive(session, org, ids["kabid"], "kabid", "review", rater="kadis", reviewer="sekda")
        bidang_run.cycle = record_
        return bidang_run, ids

    return make


def test_block_refuses_confirming_while_the_unit_breaks_its_recorded_predicate(session, org, rated_bidang, storage):
    bidang_run, ids = rated_bidang("block")
    record(session, org.actor("hr"), bidang_run, storage, unit_id=org.bidang.id, predicate="Baik")
    with pytest.raises(TransitionNotAllowed) as raised:
        fire_transition(session, ids["ani"], "confirm_rating", org.actor("kadis"))
    reason = raised.value.details["reasons"][0]
    assert "Predikat kinerja organisasi Bidang Pelayanan 2026: Baik" in reason["id"]
    assert "paling banyak 70% Baik: 3 dari 3 pegawai (100%), dilanggar" in reason["id"]
    assert "at most 70% Baik (good): 3 of 3 employees (100%), broken" in reason["en"]
    session.rollback()
    assert session.get(Appraisal, ids["ani"]).state == "review"


def test_block_lets_confirming_through_once_the_recorded_predicate_allows_the_spread(session, org, rated_bidang,
                                                                                      storage):
    bidang_run, ids = rated_bidang("block")
    record(session, org.actor("hr"), bidang_run, storage, unit_id=org.bidang.id, predicate="Baik")
    # The head of the organisation above revises the unit's predicate: the standing decision is what counts.
    record(session, org.actor("hr"), bidang_run, storage, unit_id=org.bidang.id, predicate="Istimewa")
    outcome = fire_transition(session, ids["ani"], "confirm_rating", org.actor("kadis"))
    assert outcome.to_state == "rated" and outcome.warnings == []
    assert verify_chain(session).ok


def test_a_decision_for_the_unit_above_bounds_the_unit_below(session, org, rated_bidang, storage):
    bidang_run, ids = rated_bidang("block")
    dinas_run = launch(session, bidang_run.cycle, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    kadis = session.scalar(select(Appraisal.id).where(Appraisal.run_id == dinas_run.id))
    close_appraisal(session, kadis, org.actor("hr"), reason="Pensiun (SK 800/12/2026)")
    record(session, org.actor("bkpsdm"), dinas_run, storage, unit_id=org.dinas.id, predicate="Istimewa")
    assert fire_transition(session, ids["budi"], "confirm_rating", org.actor("kadis")).to_state == "rated"


def test_block_refuses_while_no_predicate_is_recorded_for_the_period(session, org, rated_bidang, storage):
    bidang_run, ids = rated_bidang("block")
    record(session, org.actor("hr"), bidang_run, storage, unit_id=org.bidang.id, period="2026-Q4", predicate="Istimewa",
           decided_on="2026-10-15")
    with pytest.raises(TransitionNotAllowed) as raised:
        fire_transition(session, ids["ani"], "confirm_rating", org.actor("kadis"))
    assert "Belum ada predikat kinerja organisasi yang ditetapkan untuk Bidang Pelayanan" in \
        raised.value.details["reasons"][0]["id"]


def test_block_waits_for_every_rating_in_the_unit(session, org, storage):
    record_ = guarded_cycle(session, org, "block")
    bidang_run = launch(session, record_, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
    ani = session.scalar(select(Appraisal.id).where(Appraisal.run_id == bidang_run.id,
                                                    Appraisal.employee_id == org.people["ani"].id))
    drive(session, org, ani, "ani", "review")
    record(session, org.actor("hr"), bidang_run, storage, unit_id=org.bidang.id, predicate="Istimewa")
    with pytest.raises(TransitionNotAllowed) as raised:
        fire_transition(session, ani, "confirm_rating", org.actor("kadis"))
    assert "menunggu predikat 2 dari 3 pegawai" in raised.value.details["reasons"][0]["id"]


def test_warn_confirms_and_tells_the_person_what_the_unit_breaks(session, org, rated_bidang, storage):
    bidang_run, ids = rated_bidang("warn")
    record(session, org.actor("hr"), bidang_run, storage, unit_id=org.bidang.id, predicate="Baik")
    outcome = fire_transition(session, ids["ani"], "confirm_rating", org.actor("kadis"))
    assert outcome.to_state == "rated"
    assert len(outcome.warnings) == 1 and "3 dari 3 pegawai (100%), dilanggar" in outcome.warnings[0]["id"]
    assert verify_chain(session).ok


# -- audit verify holds the decisions to their events ---------------------------------------------

def test_audit_verify_names_a_decision_edited_after_the_fact(session, org, run, storage):
    decision = record(session, org.actor("bkpsdm"), run, storage, predicate="Baik")
    session.execute(update(UnitPredicate).where(UnitPredicate.id == decision.id).values(predicate="Istimewa"))
    session.commit()
    report = verify_chain(session)
    assert not report.ok
    assert any(f"decision #{decision.id} differs from its event" in p and "predicate" in p for p in report.problems)


def test_audit_verify_names_a_decision_deleted_or_slipped_in(session, org, run, storage):
    first = record(session, org.actor("bkpsdm"), run, storage, predicate="Baik")
    session.add(UnitPredicate(unit_id=org.bidang.id, period="2026", period_start=run.period_start,
                              period_end=run.period_end, predicate="Istimewa", decided_on=date(2026, 12, 1),
                              decided_by="Tidak ada", document_name="x.pdf", document_path="x.pdf",
                              document_sha256="0" * 64, document_size=1))
    session.flush()
    session.execute(delete(UnitPredicate).where(UnitPredicate.id == first.id))
    session.commit()
    problems = verify_chain(session).problems
    assert any(f"decision #{first.id} (event #{first.audit_event_id}) is gone" in p for p in problems)
    assert any("has no event in the system chain" in p for p in problems)


def test_two_officers_recording_at_once_leave_one_standing_decision(db_engine, session, org, run, storage):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def officer(predicate: str) -> None:
        own = sessionmaker(db_engine, expire_on_commit=False)()
        try:
            barrier.wait(timeout=30)
            record(own, org.actor("bkpsdm"), run, storage, predicate=predicate)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            own.close()

    threads = [threading.Thread(target=officer, args=(p,)) for p in ("Baik", "Istimewa")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) in (["ok", "ok"], ["conflict", "ok"])
    session.expire_all()
    decisions = list(session.scalars(select(UnitPredicate)))
    assert len(decisions) == outcomes.count("ok") and sum(d.superseded_at is None for d in decisions) == 1
    assert len(files(storage)) == len(decisions) and verify_chain(session).ok
