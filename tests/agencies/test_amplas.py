"""Amplas: objective complaint-service indicators (response time, lower is better; public
satisfaction; cases resolved), and a periodic evaluation that replaces an indicator as a new version
of the cycle while running appraisals stay on theirs until HR migrates them, audited."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from engine.audit import verify_chain
from engine.models import Appraisal
from engine.public_feedback import submit_public_feedback, survey
from engine.registry import publish_source
from engine.runs import launch
from tests.agencies.conftest import (
    ATAS,
    BAWAH,
    PDF,
    SESUAI,
    Agency,
    Browser,
    Person,
    appraisal_ids,
    behaviour,
    build_agency,
    cycle_source,
    events,
    fresh,
    publish_and_launch,
    section,
    stored_explanation,
    stored_results,
)
from web.cli import cli

# The survey's element keys U1-U9, as the IKM rule declares its elements.
ELEMENT_KEYS = survey().keys

UNITS = [
    ("AMPLAS", "Kecamatan Medan Amplas", None),
    ("AMPLAS_ADUAN", "Seksi Pelayanan Pengaduan Masyarakat", "AMPLAS"),
    ("AMPLAS_IZIN", "Seksi Perizinan dan Nonperizinan", "AMPLAS"),
]
PEOPLE = [
    Person("camat", "Irwansyah Lubis", "AMPLAS", None, "Camat"),
    Person("kasi", "Dewi Siregar", "AMPLAS_ADUAN", "camat", "Kepala Seksi Pelayanan Pengaduan"),
    Person("rina", "Rina Marpaung", "AMPLAS_ADUAN", "kasi", "Pengelola Pengaduan"),
    Person("sari", "Sari Nasution", "AMPLAS_ADUAN", "kasi", "Pengelola Pengaduan"),
    Person("tono", "Tono Simanjuntak", "AMPLAS_ADUAN", "kasi", "Pengelola Pengaduan"),
    Person("wati", "Wati Harahap", "AMPLAS_ADUAN", "kasi", "Pengelola Pengaduan"),
    Person("kasi_izin", "Bambang Sitorus", "AMPLAS_IZIN", "camat", "Kepala Seksi Perizinan"),
    Person("yusuf", "Yusuf Pane", "AMPLAS_IZIN", "kasi_izin", "Pengelola Perizinan"),
]
HR = "sdm_amplas"


@pytest.fixture
def amplas(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


# Known inputs per employee: (response hours, cases resolved, behaviour fields). The IKM is the
# complaint section's, from the public survey: the system feeds it and nobody types it.
INPUTS = {
    "rina": ("18", "130", behaviour(default=ATAS)),
    "sari": ("24", "100", behaviour()),
    "tono": ("36", "70", behaviour(("harmonis", BAWAH))),
    "wati": ("20", "100", behaviour(default=ATAS)),
}
PERIOD = str(datetime.now().year)  # public answers count within the run's period


def _public_survey(client, slug: str) -> None:
    """Four residents answer the nine IKM elements on the section's public page: two all 4, two all 3."""
    for n, answer in enumerate(("4", "4", "3", "3"), start=1):
        response = client.post(f"/layanan/{slug}", data={**{f"U{i}": answer for i in range(1, 10)}, "pengaduan": ""},
                               headers={"User-Agent": f"ponsel-warga-{n}"})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]


def _plan_and_monitor(web: Browser, agency: Agency, who: str) -> int:
    """Employee submits the fixed-indicator SKP, the rater approves, realisations are recorded."""
    aid = agency.appraisal_ids[who]
    hours, cases, _ = INPUTS[who]
    page = web.login(who).fire(aid, "submit_plan")
    assert "Persetujuan SKP" in page
    web.login("kasi").fire(aid, "approve_plan")
    web.login(who).realise(aid, "waktu_respons", hours, "Rekap aplikasi pengaduan", evidence=("rekap.pdf", PDF))
    web.realise(aid, "kasus_selesai", cases)
    return aid


def _rate_and_review(web: Browser, agency: Agency, who: str) -> int:
    aid = agency.appraisal_ids[who]
    web.login("kasi").fire(aid, "close_monitoring")
    web.fire(aid, "rate", {**INPUTS[who][2], "p-catatan": "Penilaian akhir tahun."})
    web.login("camat").fire(aid, "confirm_rating")
    return aid


def test_four_complaint_officers_go_through_the_whole_cycle(session, amplas, browser, client):
    publish_and_launch(session, amplas, "amplas.yaml", "AMPLAS", period=PERIOD)
    for who in INPUTS:
        _plan_and_monitor(browser, amplas, who)
    # The public satisfaction score is the section's IKM: neither the employee nor HR types it.
    refused = browser.login("rina").realise(amplas.appraisal_ids["rina"], "kepuasan_masyarakat", "100", expect=403)
    assert "Realisasi «Tingkat kepuasan masyarakat (nilai IKM)» diisi oleh sistem dari IKM unit kerja" in refused
    browser.login(HR).realise(amplas.appraisal_ids["rina"], "kepuasan_masyarakat", "100", expect=403)
    _public_survey(client, "amplas-aduan")

    # A realisation that is not a number is refused with a message and nothing is stored.
    refused = browser.login("tono").realise(amplas.appraisal_ids["tono"], "waktu_respons", "cepat", expect=422)
    assert "Nilai realisasi harus berupa angka." in refused
    # The employee cannot approve or rate their own appraisal, even by crafting the post.
    browser.login("rina").client.post(f"/penilaian/{amplas.appraisal_ids['rina']}/aksi/close_monitoring",
                                      data={"version": browser.version(amplas.appraisal_ids["rina"])})
    assert fresh(session, amplas.appraisal_ids["rina"]).state == "monitor"

    for who in INPUTS:
        _rate_and_review(browser, amplas, who)

    # The section's IKM: mean answer (4 + 4 + 3 + 3) ÷ 4 = 3,5 on every element; 3,5 × 25 = 87,5;
    # against the target 80: 109,375% -> 109,38 for every officer of the section.
    # rina: response 18 h against 24 h, lower is better: (2 × 24 − 18) ÷ 24 = 125% -> capped 120;
    # 130 ÷ 100 cases = 130% -> 120. Weighted (120×40 + 109,375×30 + 120×30) ÷ 100 = 116,81
    # >= 110: Di Atas; behaviour all above: Sangat Baik.
    rina = stored_results(session, amplas.appraisal_ids["rina"])
    assert (rina["iki.waktu_respons"], rina["iki.kepuasan_masyarakat"], rina["iki.kasus_selesai"]) == (120, 109.38, 120)
    assert (rina["rating_hasil_kerja"], rina["rating_perilaku"], rina["predikat"]) == (ATAS, ATAS, "Sangat Baik")
    # sari: 100, 109,375, 100 -> 102,81: Sesuai; behaviour Sesuai: Baik.
    sari = stored_results(session, amplas.appraisal_ids["sari"])
    assert (sari["rating_hasil_kerja"], sari["predikat"]) == (SESUAI, "Baik")
    # tono: (48 − 36) ÷ 24 = 50%; 109,375%; 70 ÷ 100 = 70%. (50×40 + 109,375×30 + 70×30) ÷ 100 = 73,81: Di Bawah;
    # behaviour six Sesuai and Harmonis below: (6×2 + 1) ÷ 7 = 1,86 >= 1,5: Sesuai. Matrix: Butuh Perbaikan.
    tono = stored_results(session, amplas.appraisal_ids["tono"])
    assert (tono["iki.waktu_respons"], tono["iki.kepuasan_masyarakat"], tono["iki.kasus_selesai"]) == (50, 109.38, 70)
    assert (tono["rating_hasil_kerja"], tono["rating_perilaku"], tono["predikat"]) == (BAWAH, SESUAI, "Butuh Perbaikan")
    # wati: (48 − 20) ÷ 24 = 116,67%; 109,375%; 100%. (116,67×40 + 109,375×30 + 100×30) ÷ 100 = 109,48 < 110:
    # Sesuai; behaviour above: Baik.
    wati = stored_results(session, amplas.appraisal_ids["wati"])
    assert (wati["iki.waktu_respons"], wati["rating_hasil_kerja"], wati["predikat"]) == (116.67, SESUAI, "Baik")
    # The SKP table shows the IKM once, as the system's, beside the values the officers typed.
    page = browser.login("wati").page(amplas.appraisal_ids["wati"])
    table = page[page.index('id="skp"'):page.index("</table>", page.index('id="skp"'))]
    assert table.count("87,5") == 1 and "sistem: IKM unit kerja" in table

    # The employee sees the predicate and its explanation, with the response-time arithmetic.
    page = browser.login("tono").page(amplas.appraisal_ids["tono"])
    assert "Butuh Perbaikan" in section(page, "Predikat kinerja")
    assert "Di Bawah Ekspektasi" in section(page, "Rating hasil kerja")
    explained = stored_explanation(session, amplas.appraisal_ids["tono"], "iki.waktu_respons")
    assert "(2 × target 24 − realisasi 36) ÷ target 24 × 100% = 50%" in explained["id"]

    # Three accept; wati appeals and the reviewer changes the work-results rating (final).
    for who in ("rina", "sari", "tono"):
        browser.login(who).fire(amplas.appraisal_ids[who], "accept_rating")
    wid = amplas.appraisal_ids["wati"]
    browser.login("wati").fire(wid, "appeal",
                               {"p-alasan": "Tiga kasus lintas instansi yang saya selesaikan tidak tercatat."})
    browser.login("camat").fire(wid, "decide_appeal", {
        "p-keputusan": "diubah", "p-pertimbangan": "Bukti tiga kasus lintas instansi sah dan lengkap.",
        "p-rating_hasil_kerja": ATAS})
    # Di Atas (decided on appeal) × Di Atas behaviour: Sangat Baik.
    assert stored_results(session, wid)["predikat_akhir"] == "Sangat Baik"
    assert fresh(session, wid).state == "develop"

    # tono's weak points get courses: Harmonis, then each IKI under 100% in the cycle's order (the
    # section's IKM is above its target, so no Pelayanan Prima).
    recommended = stored_results(session, amplas.appraisal_ids["tono"])["rekomendasi_pelatihan"]
    assert [c["id"] for c in recommended] == ["komunikasi_efektif", "manajemen_pengaduan", "penyelesaian_masalah"]
    assert stored_results(session, amplas.appraisal_ids["rina"])["rekomendasi_pelatihan"] == []

    for who in INPUTS:
        browser.login("kasi").fire(amplas.appraisal_ids[who], "complete_development")
        assert fresh(session, amplas.appraisal_ids[who]).state == "closed"
    # A resident answering after the year is rated moves the section's IKM, not the value the rating
    # used: the closed appraisal still shows 87,5 beside its 109,38%.
    submit_public_feedback(session, "amplas-aduan", {k: 1 for k in ELEMENT_KEYS}, "", "warga-terlambat")
    page = browser.login("wati").page(amplas.appraisal_ids["wati"])
    table = page[page.index('id="skp"'):page.index("</table>", page.index('id="skp"'))]
    assert table.count("87,5") == 1 and "109,38%" in table
    assert verify_chain(session).ok


def test_version_two_replaces_an_indicator_and_migration_is_explicit_and_audited(session, amplas, browser, runner,
                                                                                 client):
    run_v1 = publish_and_launch(session, amplas, "amplas.yaml", "AMPLAS_ADUAN", period=PERIOD)
    v1 = amplas.record
    rina, sari = amplas.appraisal_ids["rina"], amplas.appraisal_ids["sari"]
    # rina reaches monitoring on version 1 and records the old indicator; sari is still drafting.
    browser.login("rina").fire(rina, "submit_plan")
    browser.login("kasi").fire(rina, "approve_plan")
    browser.login("rina").realise(rina, "kasus_selesai", "45")

    # The periodic evaluation publishes version 2; a new run (the permit section) starts on it.
    v2 = publish_source(session, cycle_source("amplas-v2.yaml"), "amplas-v2.yaml", amplas.actor(HR))
    assert (v2.cycle_id, v2.version, v1.status, v2.status) == ("amplas", 2, "published", "published")
    run_v2 = launch(session, v2, amplas.units["AMPLAS_IZIN"], PERIOD, amplas.actor(HR))
    yusuf = appraisal_ids(session, run_v2)["yusuf"]

    # Side by side: version-1 appraisals keep the old indicator, the new run has the new one.
    assert fresh(session, rina).definition_id == v1.id and fresh(session, yusuf).definition_id == v2.id
    old_page = browser.login("rina").page(rina)
    assert "Jumlah kasus pengaduan yang diselesaikan" in old_page
    assert "Persentase kasus pengaduan yang diselesaikan" not in old_page
    new_page = browser.login("yusuf").page(yusuf)
    assert "Persentase kasus pengaduan yang diselesaikan" in new_page
    assert "Jumlah kasus pengaduan yang diselesaikan" not in new_page
    # On version 1 the new indicator does not exist yet.
    refused = browser.login("rina").realise(rina, "penyelesaian_kasus", "95", expect=422)
    assert "Tidak ada IKI «penyelesaian_kasus» dalam SKP ini." in refused

    # A dry run changes nothing; then HR migrates version 1 to 2 with the command line.
    dry = runner.invoke(cli, ["migrate-appraisals", "amplas", "--from", "1", "--to", "2", "--dry-run"],
                        catch_exceptions=False)
    assert dry.exit_code == 0 and "would move" in dry.output
    assert fresh(session, rina).definition_id == v1.id
    moved = runner.invoke(cli, ["migrate-appraisals", "amplas", "--from", "1", "--to", "2", "--as", HR],
                          catch_exceptions=False)
    assert moved.exit_code == 0, moved.output
    on_v1 = session.scalars(select(Appraisal.id).where(Appraisal.run_id == run_v1.id)).all()
    assert f"moved {len(on_v1)} appraisal(s) from v1 to v2" in moved.output

    # Every appraisal of the run is now on version 2 in the state it had; one audit event each.
    for aid in on_v1:
        appraisal = fresh(session, aid)
        assert appraisal.definition_id == v2.id
        migrated = events(session, aid, "migrate")
        assert len(migrated) == 1
        event = migrated[0]
        assert (event.payload["from_version"], event.payload["to_version"], event.actor_name) == (1, 2, HR)
        assert event.from_state == event.to_state == appraisal.state
    assert (fresh(session, rina).state, fresh(session, sari).state) == ("monitor", "plan")
    assert events(session, yusuf, "migrate") == []  # already on version 2: untouched

    # The move is visible in the appraisal's history, and rina now records the new indicator.
    history = browser.login("rina").page(rina).split("Riwayat", 1)[1]
    # (HR acted on rina's appraisal only to migrate it; the entry names the HR officer.)
    last = history.rsplit("<li>", 1)[1]
    assert "Pengelola Kinerja SDM" in last and "Pengelola Kinerja (SDM)" in last
    browser.realise(rina, "penyelesaian_kasus", "95", "Aduan diterima 40, selesai 38")
    browser.realise(rina, "waktu_respons", "24")
    _public_survey(client, "amplas-aduan")
    browser.login("kasi").fire(rina, "close_monitoring")
    browser.fire(rina, "rate", behaviour())
    # Version 2 rates with the new indicator only; the old count no longer counts.
    results = stored_results(session, rina)
    assert "iki.penyelesaian_kasus" in results and "iki.kasus_selesai" not in results
    assert results["iki.penyelesaian_kasus"] == 105.56  # 95 ÷ 90 × 100 = 105,555... -> 105,56
    assert verify_chain(session).ok
