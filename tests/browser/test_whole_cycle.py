"""One whole national cycle in a real browser, as the people who do it: HR uploads a broken cycle file and
sees the error on its line, fixes it, publishes and launches; the employee drafts the SKP; the supervisor
returns it, then approves; realisation with evidence; rating; review; the employee appeals; the reviewer
decides; development; closed. Screenshots of every step at 1280 and 360 px."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from engine.models import Appraisal, AuditEvent
from tests.browser.conftest import Live, log_in

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = (ROOT / "workflows" / "permenpan-6-2022.yaml").read_text(encoding="utf-8")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def state_of(live: Live, employee_id: int) -> tuple[int, str]:
    engine = create_engine(live.database)
    with Session(engine) as session:
        row = session.execute(select(Appraisal.id, Appraisal.state).where(Appraisal.employee_id == employee_id)).one()
    engine.dispose()
    return row.id, row.state


def fire(page, trigger: str) -> None:  # type: ignore[no-untyped-def]
    confirm = page.locator(f"#aksi-{trigger} input[name=konfirmasi]")
    if confirm.count():
        confirm.check()  # a step nobody can take back is confirmed first
    with page.expect_navigation():
        page.click(f"#aksi-{trigger} .buttons button.primary")


def test_a_whole_cycle_through_the_screens(page, live, screens):
    org = live.org
    # HR: a misspelt state is reported on its line, nothing saved; the fixed file is saved, published, launched.
    log_in(page, live, "hr")
    page.goto(f"{live.url}/sdm/siklus/baru")
    broken = NATIONAL.replace("dest: plan_review", "dest: plan_reveiw", 1)
    line = broken.splitlines().index("    dest: plan_reveiw") + 1
    page.fill("#sumber", broken)
    with page.expect_navigation():
        page.click("main form.card button.primary")
    problems = page.locator("section.problems").inner_text()
    assert f"Baris {line}" in problems and "plan_review" in problems
    assert page.locator(f"#baris-{line}").count() == 1
    screens.shoot(page, "sdm-berkas-rusak")
    assert page.locator("#sumber").input_value() == broken  # the text is kept to be fixed
    page.fill("#sumber", NATIONAL)
    with page.expect_navigation():
        page.click("main form.card button.primary")
    screens.shoot(page, "sdm-draf")
    with page.expect_navigation():
        page.click("text=Terbitkan versi ini")
    screens.shoot(page, "sdm-terbit")
    with page.expect_navigation():
        page.click("a.button:has-text('Luncurkan')")
    page.select_option("#unit",
                       label=next(o for o in page.locator("#unit option").all_inner_texts()
                                  if "Dinas Kependudukan" in o))
    page.check("#sub")
    page.fill("#periode", "2026")
    with page.expect_navigation():
        page.click("main form.card button.primary")
    assert "4" in page.locator("main").inner_text()  # kadis, kabid, ani, budi
    screens.shoot(page, "sdm-luncur")

    ani = org.people["ani"].id
    appraisal_id, state = state_of(live, ani)
    assert state == "plan"
    url = f"{live.url}/penilaian/{appraisal_id}"

    # The employee drafts the SKP and submits it.
    log_in(page, live, "ani")
    page.goto(url)
    page.fill("#iki-1-rhk", "Meningkatnya layanan administrasi kependudukan")
    page.fill("#iki-1-label", "Persentase berkas KTP-el selesai dalam 1 hari")
    page.select_option("#iki-1-aspect", "kuantitas")
    page.fill("#iki-1-target", "100")
    page.fill("#iki-1-unit", "%")
    page.fill("#iki-1-weight", "100")
    with page.expect_navigation():
        page.click("#skp-editor button.primary")
    assert "Persentase berkas KTP-el" in page.locator("#skp-bagian").inner_text()
    screens.shoot(page, "pegawai-skp")
    fire(page, "submit_plan")
    assert state_of(live, ani)[1] == "plan_review"

    # The supervisor returns it with a comment (an empty comment is refused first), then approves it.
    log_in(page, live, "kabid")
    page.goto(url)
    fire(page, "return_plan")
    assert page.locator("#aksi-return_plan [role=alert], #aksi-return_plan .field-error").count() >= 1
    assert state_of(live, ani)[1] == "plan_review"
    screens.shoot(page, "penilai-komentar-wajib")
    page.fill("#aksi-return_plan textarea, #aksi-return_plan input[type=text]", "Tambahkan satuan waktu pada IKI.")
    fire(page, "return_plan")
    assert state_of(live, ani)[1] == "plan"
    log_in(page, live, "ani")
    page.goto(url)
    assert "Tambahkan satuan waktu pada IKI." in page.locator("main").inner_text()
    fire(page, "submit_plan")
    log_in(page, live, "kabid")
    page.goto(url)
    fire(page, "approve_plan")
    assert state_of(live, ani)[1] == "monitor"
    screens.shoot(page, "penilai-setuju")

    # Realisation with evidence.
    log_in(page, live, "ani")
    page.goto(url)
    page.fill("#r-value", "96")
    page.fill("#r-note", "Laporan semester")
    page.set_input_files("#r-evidence", files=[{"name": "laporan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with page.expect_navigation():
        page.click("#realisasi button.primary")
    assert "laporan.pdf" in page.locator("main").inner_text()
    screens.shoot(page, "pegawai-realisasi")

    # Rating: monitoring closed, the seven values rated, the predicate computed for the reviewer.
    log_in(page, live, "kabid")
    page.goto(url)
    fire(page, "close_monitoring")
    for select_box in page.locator("#aksi-rate select").all():
        select_box.select_option("Sesuai Ekspektasi")
    screens.shoot(page, "penilai-rating")
    fire(page, "rate")
    assert state_of(live, ani)[1] == "review"
    log_in(page, live, "kadis")
    page.goto(url)
    results = page.locator("#hasil").locator("xpath=..").inner_text()
    assert "Baik" in results
    screens.shoot(page, "atasan-periksa")
    fire(page, "confirm_rating")
    assert state_of(live, ani)[1] == "rated"

    # The employee appeals within the window; the reviewer decides, and the decision is final.
    log_in(page, live, "ani")
    page.goto(url)
    assert "hari lagi" in page.locator("#aksi-appeal").inner_text()
    page.fill("#aksi-appeal textarea, #aksi-appeal input[type=text]", "Realisasi bulan Desember belum dihitung.")
    fire(page, "appeal")
    assert state_of(live, ani)[1] == "appeal"
    log_in(page, live, "kadis")
    page.goto(url)
    appeal = page.locator("#keberatan").locator("xpath=..").inner_text()
    assert "Realisasi bulan Desember belum dihitung." in appeal
    screens.shoot(page, "atasan-keberatan")
    page.select_option("#aksi-decide_appeal select[name$=keputusan]", "tetap")
    page.fill("#aksi-decide_appeal [name$=pertimbangan]", "Rating sesuai bukti dukung yang ada.")
    fire(page, "decide_appeal")
    assert state_of(live, ani)[1] == "develop"

    # Development: 20 JP done, then the supervisor closes the cycle.
    log_in(page, live, "ani")
    page.goto(url)
    page.fill("#d-title", "Pelatihan Pelayanan Prima")
    page.fill("#d-jp", "20")
    page.check("#d-done")
    with page.expect_navigation():
        page.click("#pengembangan-form button.primary")
    assert page.locator("#jp-meter").get_attribute("value") in ("20", "20.0")
    screens.shoot(page, "pegawai-pengembangan")
    log_in(page, live, "kabid")
    page.goto(url)
    fire(page, "complete_development")
    assert state_of(live, ani)[1] == "closed"
    screens.shoot(page, "selesai")

    # HR sees every step in the audit trail, and the chain is intact.
    engine = create_engine(live.database)
    with Session(engine) as session:
        triggers = session.scalars(select(AuditEvent.trigger).where(AuditEvent.appraisal_id == appraisal_id,
                                                                    AuditEvent.trigger.is_not(None))
                                   .order_by(AuditEvent.seq)).all()
    engine.dispose()
    assert triggers == ["submit_plan", "return_plan", "submit_plan", "approve_plan", "close_monitoring", "rate",
                        "confirm_rating", "appeal", "decide_appeal", "complete_development"]
    log_in(page, live, "hr")
    page.goto(f"{live.url}/sdm/audit")
    assert "Rantai utuh" in page.locator("main").inner_text()
    screens.shoot(page, "sdm-audit")
