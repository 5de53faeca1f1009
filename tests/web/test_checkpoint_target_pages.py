"""A quarter judged against the quarter's share of the year's target, not the whole year's.

Bungo's employee sees the quarter's IKI achievement at once. Up to version 3 it divided the
realisation recorded for the quarter by the ANNUAL target: an employee exactly on track (3 of 12
reports a year, in the first quarter) read 25% and "Di Bawah Ekspektasi". From version 4 the quarter
declares ``targets: cumulative``: the realisation to date against the year's target times the elapsed
share of the year (docs/checkpoints.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import select

from engine.appraisals import fire_transition, set_skp
from engine.checkpoints.service import rate_checkpoint, record_checkpoint_realisation
from engine.models import Appraisal, Result
from engine.registry import publish_source
from engine.runs import find_unit, launch
from engine.tokens import create_token
from tests.support.pdf import pdf_text

SKP = [{"key": "iki_1", "rhk": "Pelaporan keuangan", "label": "Laporan keuangan bulanan", "target": 12,
        "weight": 100}]
RATING = {"hasil_kerja": "Sesuai Ekspektasi", "sikap": "Sesuai Ekspektasi", "kontribusi_tim": "Sesuai Ekspektasi"}


def _monitoring(session, org, name: str) -> int:
    source = resources.files("workflows").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    cycle = publish_source(session, source, f"{name}.yaml", org.actor("admin"))
    run = launch(session, cycle, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(session, appraisal_id, org.actor("ani"), SKP, now=start)
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"), now=start)
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"), now=start)
    return appraisal_id


def _quarter(session, org, appraisal_id: int, quarter: int, to_date: float) -> None:
    name = f"evaluasi.2026-Q{quarter}"
    when = datetime(2026, 3 * quarter, 25, 3, tzinfo=UTC)
    record_checkpoint_realisation(session, appraisal_id, org.actor("ani"), name, "iki_1", to_date, now=when)
    rate_checkpoint(session, appraisal_id, org.actor("kabid"), name, RATING, now=when)


def _result(session, appraisal_id: int, name: str) -> Result:
    session.expire_all()
    stored = name if name.startswith("iki.") else f"checkpoints.{name}"
    return session.scalar(select(Result).where(Result.appraisal_id == appraisal_id, Result.name == stored))


def _quarter_card(page: str, quarter: int) -> str:
    return page.split(f'id="tp-evaluasi-2026-Q{quarter}"')[1].split('id="tp-')[0].split("</ol>")[0]


def test_published_bungo_v3_keeps_judging_the_quarter_against_the_year(login, session, org):
    """A published version never changes: v3 still reads 3 of 12 as 25% (what version 4 corrects)."""
    appraisal_id = _monitoring(session, org, "bungo-v3")
    _quarter(session, org, appraisal_id, 1, 3)
    assert _result(session, appraisal_id, "evaluasi.2026-Q1.iki.iki_1").value == 25
    assert _result(session, appraisal_id, "evaluasi.2026-Q1.capaian").value == "Di Bawah Ekspektasi"


def test_an_employee_on_track_reads_100_percent_each_quarter_in_bungo_v4(login, session, org):
    appraisal_id = _monitoring(session, org, "bungo-v4")
    client = login("ani")
    for quarter in range(1, 5):
        _quarter(session, org, appraisal_id, quarter, 3 * quarter)
        achievement = _result(session, appraisal_id, f"evaluasi.2026-Q{quarter}.iki.iki_1")
        assert achievement.value == 100
        assert achievement.details["target"] == 3 * quarter
        assert achievement.details["annual_target"] == 12
        assert _result(session, appraisal_id, f"evaluasi.2026-Q{quarter}.capaian").value == "Sesuai Ekspektasi"
        # What the employee reads on the appraisal page, at once: the quarter's target and why.
        card = _quarter_card(client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True), quarter)
        assert "Capaian IKI triwulan" in card and "Sesuai Ekspektasi" in card
        assert f"target sampai triwulan ini {3 * quarter}" in card
        assert f"target tahunan 12 × {quarter * 3}/12 bulan" in card
    # The annual rating keeps the annual target: 12 of 12 is 100% of the year.
    annual = _result(session, appraisal_id, "iki.iki_1")
    assert annual.value == 100 and annual.details["target"] == 12


def test_behind_in_the_first_quarter_reads_below_and_the_english_page_says_why(login, session, org):
    appraisal_id = _monitoring(session, org, "bungo-v4")
    _quarter(session, org, appraisal_id, 1, 2)
    achievement = _result(session, appraisal_id, "evaluasi.2026-Q1.iki.iki_1")
    assert achievement.value == 66.67
    assert _result(session, appraisal_id, "evaluasi.2026-Q1.capaian").value == "Di Bawah Ekspektasi"
    client = login("ani")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    card = _quarter_card(client.get(f"/penilaian/{appraisal_id}").get_data(as_text=True), 1)
    assert "the target to date 3 = the annual target 12 × 3/12 months" in card


def test_the_api_gives_each_quarters_iki_achievement_with_its_target_to_date(login, session, org):
    appraisal_id = _monitoring(session, org, "bungo-v4")
    _quarter(session, org, appraisal_id, 1, 3)
    _quarter(session, org, appraisal_id, 2, 5)
    secret = create_token(session, org.actor("ani"), org.users["ani"], "test").secret
    answer = login("ani").get(f"/api/v1/appraisals/{appraisal_id}/checkpoints",
                              headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200
    quarters = answer.json["series"][0]["checkpoints"]
    first, second = quarters[0]["achievements"], quarters[1]["achievements"]
    assert [(a["name"], a["value"]) for a in first] == [("iki_1", 100)]
    # 5 of the 6 due by the end of June: 83.33%.
    assert [(a["name"], a["value"]) for a in second] == [("iki_1", 83.33)]
    assert "target to date 6 = the annual target 12 × 6/12 months" in second[0]["explanation"]["en"]
    assert quarters[2]["achievements"] == []


def test_the_evaluation_pdf_gives_the_quarters_target_to_date(login, session, org):
    appraisal_id = _monitoring(session, org, "bungo-v4")
    _quarter(session, org, appraisal_id, 1, 3)
    pdf = login("ani").get(f"/laporan/penilaian/{appraisal_id}.pdf")
    assert pdf.status_code == 200
    text = " ".join(pdf_text(pdf.get_data()).split())
    assert "Capaian IKI periode ini Laporan keuangan bulanan: 100%" in text
    assert "target sampai triwulan ini 3 = target tahunan 12 × 3/12 bulan" in text
