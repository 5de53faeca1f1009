"""HR of the organisation above a unit records the unit's organisation predicate with its penetapan (HR of the
unit itself reads it but may not record it); the calibration page reads the recorded decision and keeps a what-if
choice, labelled as such; the penetapan opens for HR and for nobody else."""

from __future__ import annotations

import html
import io
import re
from importlib import resources

import pytest
from sqlalchemy import func, select

from engine.models import Appraisal, AuditEvent, Result, UnitPredicate
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.factories import add_pemda_hr, national_source
from tests.support.states import drive

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def bkpsdm(session, logins):
    """HR of the whole pemda, the organisation above DINAS: who records DINAS's predicate."""
    return add_pemda_hr(session, logins)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def post_decision(client, run, unit_id: int, *, predicate: str = "Baik", period: str = "2026", content: bytes = PDF,
                  name: str = "penetapan.pdf"):
    return client.post(f"/sdm/putaran/{run.id}/predikat-unit", data={
        "unit": str(unit_id), "periode": period, "predikat": predicate, "tanggal": "2026-01-15",
        "penetap": "Bupati Contoh", "penetapan": (io.BytesIO(content), name),
    }, content_type="multipart/form-data")


def test_hr_above_the_unit_records_the_unit_predicate_and_sees_it_standing(login, run, org, session):
    client = login("bkpsdm")
    response = post_decision(client, run, org.dinas.id, predicate="Butuh Perbaikan")
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Predikat kinerja organisasi Dinas Kependudukan periode 2026 dicatat: Butuh Perbaikan." in page
    standing = page.split('class="compact unit-predicates standing"', 1)[1].split("</table>", 1)[0]
    assert "Butuh Perbaikan" in standing and "2026-01-15" in standing and "Bupati Contoh" in standing
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "unit_predicate")) == 1


def test_the_penetapan_opens_for_hr_and_is_refused_to_a_stranger(login, run, org, session, client):
    post_decision(login("bkpsdm"), run, org.dinas.id)
    session.rollback()
    decision = session.scalars(select(UnitPredicate)).one()
    address = f"/sdm/predikat-unit/{decision.id}/penetapan"
    response = login("hr").get(address)
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data == PDF
    assert "attachment" in response.headers["Content-Disposition"]
    assert login("admin").get(address).status_code == 200
    for stranger in ("hr_lain", "ani", "kadis"):
        assert login(stranger).get(address).status_code == 403, stranger
    client.post("/keluar")
    assert "/masuk" in client.get(address).headers["Location"]


@pytest.mark.parametrize(("given", "status", "message"), [
    ({"predicate": "Sangat Baik"}, 422, "«Sangat Baik» bukan predikat kinerja organisasi"),
    ({"period": "2027"}, 422, "Periode 2027 di luar periode putaran"),
    ({"content": b"PK\x03\x04 a zip", "name": "penetapan.pdf"}, 422, "Penetapan harus berupa berkas PDF"),
    ({"content": PDF + b"0" * (10 * 1024 * 1024)}, 413, "terlalu besar: paling besar 10 MiB"),
])
def test_a_bad_decision_shows_the_form_again_with_the_reason_and_writes_nothing(login, run, org, session, given,
                                                                                   status, message):
    response = post_decision(login("bkpsdm"), run, org.dinas.id, **given)
    assert response.status_code == status
    assert message in text_of(response)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(UnitPredicate)) == 0


def test_a_forged_unit_choice_is_named_as_typed(login, run, org, session):
    response = post_decision(login("hr"), run, "semua")  # type: ignore[arg-type]
    assert response.status_code == 422
    assert f"Unit #semua bukan unit putaran #{run.id} atau unit di bawahnya." in text_of(response)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(UnitPredicate)) == 0


def test_the_refusal_speaks_english_to_an_english_reader(login, run, org):
    client = login("bkpsdm")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    page = text_of(post_decision(client, run, org.dinas.id, predicate="Luar Biasa"))
    assert "«Luar Biasa» is not an organisation predicate; choose one of Istimewa, Baik" in page


def test_someone_without_authority_cannot_record(login, run, org, session):
    response = post_decision(login("hr_lain"), run, org.dinas.id)
    assert response.status_code == 403
    session.rollback()
    assert session.scalar(select(func.count()).select_from(UnitPredicate)) == 0


def test_the_units_own_hr_reads_the_page_but_is_offered_only_the_units_below(login, run, org, session):
    """The organisation above a unit sets its predicate: HR of DINAS records BIDANG's, not DINAS's own."""
    client = login("hr")
    page = text_of(client.get(f"/sdm/putaran/{run.id}/predikat-unit"))
    form = page.split('id="penetapan-form"', 1)[1].split("</form>", 1)[0]
    assert f'<option value="{org.bidang.id}"' in form and f'<option value="{org.dinas.id}"' not in form
    assert "Predikat Dinas Kependudukan dicatat oleh SDM unit di atasnya" in page
    forged = post_decision(client, run, org.dinas.id)
    assert forged.status_code == 403
    assert ("yang dapat mencatatnya SDM Pemerintah Daerah (atau unit di atasnya), admin, atau pejabat yang diberi "
            "wewenang menetapkan predikat") in text_of(forged)
    assert post_decision(client, run, org.bidang.id).status_code == 302
    session.rollback()
    assert [d.unit_id for d in session.scalars(select(UnitPredicate))] == [org.bidang.id]


# -- the calibration page reads the decision ------------------------------------------------------

def _predicates(session, appraisal_of, given: dict[str, str]) -> None:
    ids = {person: appraisal_of(person).id for person in given}
    for person, value in given.items():
        session.add(Result(appraisal_id=ids[person], name="predikat_akhir", value=value))
    session.commit()


def test_calibration_measures_against_the_recorded_predicate_and_labels_a_what_if(login, run, org, session,
                                                                                   appraisal_of):
    _predicates(session, appraisal_of, {"kadis": "Sangat Baik", "kabid": "Baik", "ani": "Baik", "budi": "Baik"})
    client = login("hr")
    before = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi"))
    assert "Belum ada predikat kinerja organisasi yang dicatat untuk unit ini periode 2026." in before
    assert "Pilih predikat kinerja organisasi unit" in before
    post_decision(login("bkpsdm"), run, org.dinas.id, predicate="Baik")
    client = login("hr")
    recorded = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi"))
    assert "Predikat kinerja organisasi yang ditetapkan untuk Dinas Kependudukan periode 2026: Baik" in recorded
    assert "Unit ini melanggar 2 batas kurva distribusi." in recorded and 'id="simulasi"' not in recorded
    # a sub-unit without its own decision is held to the one above it
    bidang = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi?unit={org.bidang.id}"))
    assert "ditetapkan untuk Dinas Kependudukan periode 2026: Baik" in bidang
    what_if = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi?predikat_unit=Istimewa"))
    assert "Simulasi: sebaran dibandingkan dengan kurva untuk predikat unit Istimewa" in what_if
    assert "Unit ini memenuhi semua batas kurva distribusi." in what_if
    assert re.search(r'<option value="Istimewa" selected>', what_if)


# -- the guard on the reviewer's screen -------------------------------------------------------------

@pytest.fixture
def guarded_bidang(session, logins, app, tmp_path):
    """BIDANG rated Baik three times under a cycle that holds confirm_rating to the unit's predicate."""
    org = logins

    def make(on_breach: str):
        source = national_source().replace(
            "    dest: rated\n    roles: [atasan_penilai]\n",
            "    dest: rated\n    roles: [atasan_penilai]\n    guards:\n"
            f"      - calibration: {{on_breach: {on_breach}}}\n", 1)
        record = publish_source(session, source, "guarded.yaml", org.actor("admin"))
        run = launch(session, record, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
        ids = {}
        for person, rater, reviewer in (("ani", "kabid", "kadis"), ("budi", "kabid", "kadis"),
                                        ("kabid", "kadis", "sekda")):
            ids[person] = session.scalar(select(Appraisal.id).where(
                Appraisal.run_id == run.id, Appraisal.employee_id == org.people[person].id))
            drive(session, org, ids[person], person, "review", rater=rater, reviewer=reviewer)
        return run, ids

    return make


@pytest.mark.parametrize(("on_breach", "status", "shown", "state"), [
    ("block", 409, "Belum dapat dilakukan: Predikat kinerja organisasi Bidang Pelayanan 2026: Baik", "review"),
    ("warn", 200, "Perhatian: Predikat kinerja organisasi Bidang Pelayanan 2026: Baik", "rated"),
])
def test_the_reviewer_meets_the_calibration_guard_as_the_cycle_declares(login, org, session, guarded_bidang, on_breach,
                                                                        status, shown, state):
    run, ids = guarded_bidang(on_breach)
    assert post_decision(login("hr"), run, org.bidang.id, predicate="Baik").status_code == 302
    response = login("kadis").post(f"/penilaian/{ids['ani']}/aksi/confirm_rating", data={}, follow_redirects=True)
    page = text_of(response)
    assert response.status_code == status and shown in page
    assert "paling banyak 70% Baik: 3 dari 3 pegawai (100%), dilanggar" in page
    session.rollback()
    assert session.get(Appraisal, ids["ani"]).state == state


def test_a_quarter_is_calibrated_against_the_predicate_recorded_for_that_quarter(login, logins, session):
    """Periodic and annual: in a cycle rated per Triwulan, each quarter's predicates meet the organisation
    predicate set for that quarter."""
    org = logins
    source = resources.files("workflows").joinpath("permenpan-6-2022-v2.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, "permenpan-6-2022-v2.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ids = {p: session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                        Appraisal.employee_id == org.people[p].id))
           for p in ("kadis", "kabid", "ani", "budi")}
    for person, value in (("kadis", "Kurang/Misconduct"), ("kabid", "Kurang/Misconduct"),
                          ("ani", "Kurang/Misconduct"), ("budi", "Butuh Perbaikan")):
        session.add(Result(appraisal_id=ids[person], name="checkpoints.triwulan.2026-Q1.predikat", value=value))
        session.add(Result(appraisal_id=ids[person], name="predikat_akhir", value="Baik"))
    session.commit()
    assert post_decision(login("bkpsdm"), run, org.dinas.id, period="2026-Q1", predicate="Kurang").status_code == 302
    client = login("hr")
    page = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi?periode=triwulan.2026-Q1"))
    assert '<option value="triwulan.2026-Q1" selected>Triwulan I 2026 (2026-Q1)</option>' in page
    assert "Predikat kinerja organisasi yang ditetapkan untuk Dinas Kependudukan periode 2026-Q1: Kurang" in page
    assert "4 dari 4 penilaian di unit ini sudah berpredikat" in page
    assert "Unit ini memenuhi semua batas kurva distribusi." in page
    # the year itself has no decision yet, and its predicates are the annual ones
    annual = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi"))
    assert "Belum ada predikat kinerja organisasi yang dicatat untuk unit ini periode 2026." in annual
    # the period as the decisions name it picks the same page (it was refused: "«2026» is not a calibration
    # period of this run; it is calibrated only for its period, 2026")
    typed = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi?periode=2026"))
    assert "Belum ada predikat kinerja organisasi yang dicatat untuk unit ini periode 2026." in typed
    forged = client.get(f"/sdm/putaran/{run.id}/kalibrasi?unit=semua")
    assert forged.status_code == 422
    assert f"Unit #semua bukan unit putaran #{run.id} atau unit di bawahnya." in text_of(forged)
    quarter = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi?periode=2026-Q1"))
    assert "Predikat kinerja organisasi yang ditetapkan untuk Dinas Kependudukan periode 2026-Q1: Kurang" in quarter
    second = text_of(client.get(f"/sdm/putaran/{run.id}/kalibrasi?periode=triwulan.2026-Q2&predikat_unit=Baik"))
    assert "0 dari 4 penilaian di unit ini sudah berpredikat" in second and "Simulasi" in second
