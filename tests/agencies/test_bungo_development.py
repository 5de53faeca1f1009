"""Bungo's development that gets done: a weak `komunikasi` leads to the Public Speaking course of HR's
training catalogue, the rater enrols with one action, the employee finishes it with a certificate, and
the JP total reaches the target on the page, in the PDF and in the API."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import select

from engine.audit import verify_chain
from engine.development.closing import jp_shortfall
from engine.development.models import TrainingCourse
from engine.models import AuditEvent, DevelopmentActivity
from engine.tokens import create_token
from engine.validation import load_definition
from tests.agencies.conftest import (
    BAWAH,
    PDF,
    SESUAI,
    Agency,
    behaviour,
    build_agency,
    cycle_source,
    fresh,
    one_iki,
    plan_approved,
    publish_and_launch,
    stored_explanation,
    stored_results,
)
from tests.agencies.test_bungo import HR, PEOPLE, UNITS, team
from tests.support.pdf import pdf_text


@pytest.fixture
def bungo(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def activities(session, aid: int) -> list[tuple[str, float, str]]:
    session.rollback()
    return [(a.title, a.jp, a.status) for a in session.scalars(
        select(DevelopmentActivity).where(DevelopmentActivity.appraisal_id == aid).order_by(DevelopmentActivity.id))]


def post(browser, path: str, aid: int, data: dict, expect: int = 302) -> str:
    response = browser.client.post(path, data={"version": browser.version(aid), **data},
                                   content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == expect, text[:3000]
    return text


def test_weak_communication_leads_to_public_speaking_done_with_a_certificate_and_20_jp_everywhere(
        session, bungo, browser):
    publish_and_launch(session, bungo, "bungo.yaml", "PEMKAB_BUNGO")
    mira = bungo.appraisal_ids["mira"]
    plan_approved(browser, mira, "mira", "kaban", one_iki(
        "Dokumen perencanaan tersusun", "12", "dokumen", "Perencanaan pembangunan daerah"))
    browser.login("mira").realise(mira, "iki_1", "12", "Akhir tahun")
    browser.login("kaban").fire(mira, "close_monitoring")
    browser.fire(mira, "rate", {**behaviour(), **team(SESUAI, BAWAH, SESUAI)})
    browser.login("sekda").fire(mira, "confirm_rating")
    browser.login("mira").fire(mira, "accept_rating")
    assert [c["id"] for c in stored_results(session, mira)["rekomendasi_pelatihan"]] == ["public_speaking"]

    # The course is not in HR's catalogue yet: the page says so and offers no enrolment.
    page = browser.login("kaban").page(mira)
    assert "belum ada di katalog pelatihan SDM" in page and "Daftarkan" not in page
    # What it is for reads as the rating form names it, not by its key.
    course = page.split('id="pelatihan-disarankan"', 1)[1].split("</ul>", 1)[0]
    assert '<span class="muted">untuk Komunikasi</span>' in course and "komunikasi" not in course

    # HR adds it: technical, 16 JP, a certificate proves it done. The same code twice is refused.
    hr = browser.login(HR).client
    course = {"code": "public_speaking", "title": "Public Speaking", "jp": "16", "kind": "teknis",
              "certificate_required": "1"}
    assert hr.post("/sdm/pelatihan", data=course).status_code == 302
    again = hr.post("/sdm/pelatihan", data=course)
    assert again.status_code == 422 and "Katalog sudah memuat kursus dengan kode" in again.get_data(as_text=True)
    assert hr.post("/sdm/pelatihan", data={**course, "code": "x", "jp": "inf"}).status_code == 422

    # The rater enrols mira from the recommendation with one action; a second enrolment is refused.
    page = browser.login("kaban").page(mira)
    assert "Daftarkan" in page
    post(browser, f"/penilaian/{mira}/pengembangan/daftar", mira, {"course": "public_speaking"})
    assert activities(session, mira) == [("Public Speaking", 16, "planned")]
    assert "sudah terdaftar" in browser.page(mira)
    refused = post(browser, f"/penilaian/{mira}/pengembangan/daftar", mira, {"course": "public_speaking"},
                   expect=422)
    assert "Pegawai sudah terdaftar pada kursus «Public Speaking»; pendaftaran kedua ditolak." in refused
    assert activities(session, mira) == [("Public Speaking", 16, "planned")]

    # mira plans an e-learning of 3 JP, corrects it to 4, and withdraws a seminar she will not attend.
    browser.login("mira").develop(mira, "E-learning Etika Komunikasi ASN", "3")
    browser.develop(mira, "Seminar Komunikasi Publik", "2")
    ids = [a.id for a in session.scalars(select(DevelopmentActivity).where(DevelopmentActivity.appraisal_id == mira)
                                         .order_by(DevelopmentActivity.id))]
    speaking, elearning, seminar = ids
    post(browser, f"/penilaian/{mira}/pengembangan/{elearning}/ubah", mira, {"title": "E-learning Etika Komunikasi ASN",
                                                                             "jp": "4"})
    post(browser, f"/penilaian/{mira}/pengembangan/{seminar}/batal", mira, {})
    # A withdrawn activity cannot be changed any more.
    post(browser, f"/penilaian/{mira}/pengembangan/{seminar}/ubah", mira, {"title": "Seminar", "jp": "2"}, expect=409)

    # Public Speaking needs its certificate: without it, marking done is refused and nothing moves.
    refused = post(browser, f"/penilaian/{mira}/pengembangan/{speaking}/selesai", mira, {}, expect=422)
    assert "mensyaratkan sertifikat" in refused
    assert activities(session, mira)[0] == ("Public Speaking", 16, "planned")
    post(browser, f"/penilaian/{mira}/pengembangan/{speaking}/selesai", mira,
         {"certificate": (BytesIO(PDF), "sertifikat-public-speaking.pdf")})
    # An activity of no catalogue course needs no certificate.
    post(browser, f"/penilaian/{mira}/pengembangan/{elearning}/selesai", mira, {})
    assert activities(session, mira) == [("Public Speaking", 16, "done"),
                                         ("E-learning Etika Komunikasi ASN", 4, "done"),
                                         ("Seminar Komunikasi Publik", 2, "withdrawn")]

    # 16 + 4 = 20 JP, live everywhere: the page, the recommendation's explanation, the PDF, the API.
    page = browser.page(mira)
    assert "JP selesai: 20 dari target 20 JP" in page
    assert f"/penilaian/{mira}/pengembangan/{speaking}/sertifikat" in page
    certificate = browser.client.get(f"/penilaian/{mira}/pengembangan/{speaking}/sertifikat")
    assert certificate.status_code == 200 and certificate.get_data() == PDF
    assert "target 20 JP sudah terpenuhi" in stored_explanation(session, mira, "rekomendasi_pelatihan")["id"]
    text = pdf_text(browser.client.get(f"/laporan/penilaian/{mira}.pdf").get_data())
    assert "JP selesai: 20 dari target 20 JP" in text
    assert "Public Speaking (16 JP)" in text and ": []" not in text
    assert "JP 0 dari" not in text and "JP sudah terpenuhi" in text
    session.rollback()
    token = create_token(session, bungo.actor("mira"), bungo.users["mira"], "test").secret
    api = browser.client.get(f"/api/v1/appraisals/{mira}/development",
                             headers={"Authorization": f"Bearer {token}"}).get_json()
    assert (api["jp_done"], api["jp_target"], api["jp_remaining"]) == (20, 20, 0)
    assert [(r["course"], r["enrolled"]) for r in api["recommended"]] == [("public_speaking", True)]
    assert api["activities"][0]["certificate"]["name"] == "sertifikat-public-speaking.pdf"

    # HR's unit report counts mira's 20 JP against the target of 20.
    session.rollback()
    run = fresh(session, mira).run_id
    report = browser.login(HR).client.get(f"/sdm/jp/{run}").get_data(as_text=True)
    row = report[report.index("Mira Yusnita"):]
    assert "20 / 20" in row[:600]

    browser.login("kaban").fire(mira, "complete_development")
    assert fresh(session, mira).state == "closed"
    report = verify_chain(session)
    assert report.ok, report.problems


def test_a_cycle_declares_whether_closing_below_the_jp_target_warns_or_is_refused():
    class Facts:
        def __init__(self, jp: float) -> None:
            self.jp = jp

        def jp_done(self) -> float:
            return self.jp

    warn = load_definition(cycle_source("bungo.yaml"), "bungo.yaml")
    refuse = load_definition(cycle_source("bungo.yaml").replace("below_target: warn", "below_target: refuse"),
                             "bungo.yaml")
    closing = warn.transition("complete_development", "develop")
    assert jp_shortfall(warn, closing, Facts(20)) is None
    assert jp_shortfall(warn, closing, Facts(12.5))["id"] == (
        "Ditutup dengan pengembangan kompetensi 12,5 dari target 20 JP (kurang 7,5 JP).")
    assert jp_shortfall(refuse, closing, Facts(0))["id"].endswith(
        "siklus ini tidak dapat ditutup sebelum target JP terpenuhi.")
    # Only closing counts: accepting a rating at 0 JP is no closing.
    assert jp_shortfall(refuse, warn.transition("accept_rating", "rated"), Facts(0)) is None


def test_closing_below_the_jp_target_tells_whoever_closes_how_many_jp_are_missing(session, bungo, browser):
    publish_and_launch(session, bungo, "bungo.yaml", "PEMKAB_BUNGO")
    nanda = bungo.appraisal_ids["nanda"]
    plan_approved(browser, nanda, "nanda", "kaban", one_iki(
        "Dokumen perencanaan tersusun", "12", "dokumen", "Perencanaan pembangunan daerah"))
    browser.login("nanda").realise(nanda, "iki_1", "12", "Akhir tahun")
    browser.login("kaban").fire(nanda, "close_monitoring")
    browser.fire(nanda, "rate", {**behaviour(), **team(SESUAI, SESUAI, SESUAI)})
    browser.login("sekda").fire(nanda, "confirm_rating")
    browser.login("nanda").fire(nanda, "accept_rating")
    browser.develop(nanda, "Webinar Perencanaan Daerah", "4", done=True)
    # Bungo declares `below_target: warn`: the cycle closes at 4 of 20 JP, and the rater is told so.
    page = browser.login("kaban").fire(nanda, "complete_development")
    assert fresh(session, nanda).state == "closed"
    assert "Ditutup dengan pengembangan kompetensi 4 dari target 20 JP (kurang 16 JP)." in page


def test_a_course_in_use_keeps_its_jp_and_every_catalogue_change_is_in_the_audit_log(session, bungo, browser):
    publish_and_launch(session, bungo, "bungo.yaml", "PEMKAB_BUNGO")
    mira = bungo.appraisal_ids["mira"]
    plan_approved(browser, mira, "mira", "kaban", one_iki(
        "Dokumen perencanaan tersusun", "12", "dokumen", "Perencanaan pembangunan daerah"))
    browser.login("mira").realise(mira, "iki_1", "12", "Akhir tahun")
    browser.login("kaban").fire(mira, "close_monitoring")
    browser.fire(mira, "rate", {**behaviour(), **team(SESUAI, BAWAH, SESUAI)})
    browser.login("sekda").fire(mira, "confirm_rating")
    browser.login("mira").fire(mira, "accept_rating")
    hr = browser.login(HR).client
    course = {"code": "public_speaking", "title": "Public Speaking", "jp": "16", "kind": "teknis",
              "certificate_required": "1", "active": "1"}
    assert hr.post("/sdm/pelatihan", data=course).status_code == 302
    session.rollback()
    course_id = session.scalars(select(TrainingCourse.id).where(TrainingCourse.code == "public_speaking")).one()
    # Before anyone enrols, HR may still correct the JP.
    assert hr.post(f"/sdm/pelatihan/{course_id}", data={**course, "jp": "18"}).status_code == 302
    browser.login("kaban")
    post(browser, f"/penilaian/{mira}/pengembangan/daftar", mira, {"course": "public_speaking"})
    assert activities(session, mira) == [("Public Speaking", 18, "planned")]

    # Now mira is enrolled: the JP and the certificate rule she enrolled under stay, said in words.
    hr = browser.login(HR).client
    for change in ({"jp": "24"}, {"certificate_required": ""}):
        refused = hr.post(f"/sdm/pelatihan/{course_id}", data={k: v for k, v in {**course, "jp": "18", **change}.items()
                                                               if v})
        assert refused.status_code == 409, refused.get_data(as_text=True)[:2000]
        assert "Kursus «Public Speaking» sudah dipakai oleh 1 pendaftaran" in refused.get_data(as_text=True)
    # The refused change comes back as typed, and the catalogue says beforehand what stays.
    assert f'id="j-{course_id}" name="jp" value="24"' in hr.post(f"/sdm/pelatihan/{course_id}",
                                                               data={**course, "jp": "24"}).get_data(as_text=True)
    assert "dipakai 1 pendaftaran: JP dan syarat sertifikat tetap" in hr.get("/sdm/pelatihan").get_data(as_text=True)
    session.rollback()
    kept = session.get(TrainingCourse, course_id)
    assert kept.jp == 18 and kept.certificate_required
    # A new title reads better for the next enrolments; retiring it stops them. Saving nothing new records nothing.
    assert hr.post(f"/sdm/pelatihan/{course_id}", data={**course, "jp": "18", "title": "Public Speaking ASN"}
                   ).status_code == 302
    assert hr.post(f"/sdm/pelatihan/{course_id}", data={**course, "jp": "18", "title": "Public Speaking ASN"}
                   ).status_code == 302
    retired = {k: v for k, v in course.items() if k != "active"}
    assert hr.post(f"/sdm/pelatihan/{course_id}", data={**retired, "jp": "18", "title": "Public Speaking ASN"}
                   ).status_code == 302
    assert activities(session, mira) == [("Public Speaking", 18, "planned")]

    # Each change is one event of the system chain with who made it and what was there before.
    changes = session.scalars(select(AuditEvent).where(AuditEvent.kind.like("course_%"))
                              .order_by(AuditEvent.id)).all()
    assert [(e.kind, e.actor_name, e.payload.get("before")) for e in changes] == [
        ("course_create", HR, None), ("course_update", HR, {"jp": 16}),
        ("course_update", HR, {"title": "Public Speaking"}), ("course_retire", HR, {"active": True})]
    assert changes[-1].payload["active"] is False and changes[1].payload["jp"] == 18
    log = hr.get("/sdm/audit?jenis=course_update").get_data(as_text=True)
    assert log.count("Kursus katalog pelatihan diubah") >= 2 and "Public Speaking ASN" in log
    report = verify_chain(session)
    assert report.ok, report.problems
