"""The first ten minutes of a fresh demo, in a real browser, through the whole national cycle: the `pegawai`
login drafts an SKP from scratch; each next actor finds a notice without anyone running a command; every
page says what happens next; steps nobody can take back are confirmed; the evaluation PDF opens for the
employee, the rater, the reviewer and HR; every screen fits 1280 and 360 px and passes axe-core's WCAG 2.1
A/AA checks (labelled fields, names, contrast), and the keyboard reaches the skip link first."""

from __future__ import annotations

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from engine.models import Appraisal, Employee, User
from tests.browser.conftest import Demo, accessibility_problems, focus_order, log_in_demo, take_step

SESUAI = "Sesuai Ekspektasi"


def appraisal_of(demo: Demo, username: str) -> tuple[int, str, str]:
    """The appraisal id, state and employee name of a demo login's own appraisal."""
    engine = create_engine(demo.database)
    with Session(engine) as session:
        row = session.execute(
            select(Appraisal.id, Appraisal.state, Employee.name)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .join(User, User.employee_id == Employee.id).where(User.username == username)).one()
    engine.dispose()
    return row.id, row.state, row.name


def notices_about(page, demo: Demo, name: str) -> int:  # type: ignore[no-untyped-def]
    """How many of the logged-in person's notices name ``name``."""
    page.goto(f"{demo.url}/notifikasi/")
    return page.locator(".notice", has_text=name).count()


def check(page, screens, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshots at 1280 and 360 px (nothing wider than the window) and no WCAG A/AA problem."""
    screens.shoot(page, name)
    problems = accessibility_problems(page)
    assert problems == [], f"{name}: {problems}"


def opens_the_pdf(page, demo: Demo, appraisal_id: int) -> None:  # type: ignore[no-untyped-def]
    """The page links the evaluation document and it comes back as a PDF for this person."""
    link = page.locator(f"a[href='/laporan/penilaian/{appraisal_id}.pdf']")
    assert link.count() == 1
    response = page.context.request.get(f"{demo.url}/laporan/penilaian/{appraisal_id}.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_the_first_ten_minutes_of_the_demo_through_the_whole_cycle(checked_page, demo, screens):
    page = checked_page
    appraisal_id, state, name = appraisal_of(demo, "pegawai")
    assert state == "plan"
    url = f"{demo.url}/penilaian/{appraisal_id}"

    # The employee lands on home, where their own SKP waits; the keyboard reaches the skip link first.
    page.goto(f"{demo.url}/masuk")
    check(page, screens, "masuk")
    log_in_demo(page, demo, "pegawai")
    assert focus_order(page, 1)[0].startswith("a Langsung ke isi")
    assert "Penilaian Anda sendiri" in page.locator("main").inner_text()
    check(page, screens, "pegawai-beranda")
    page.goto(url)
    guidance = page.locator("#langkah").inner_text()
    assert "Langkah berikutnya ada pada Anda." in guidance and "SKP belum memuat IKI" in guidance
    page.fill("#iki-1-rhk", "Meningkatnya kualitas layanan kesehatan")
    page.fill("#iki-1-label", "Persentase layanan selesai tepat waktu")
    page.select_option("#iki-1-aspect", "waktu")
    page.fill("#iki-1-target", "100")
    page.fill("#iki-1-unit", "%")
    page.fill("#iki-1-weight", "100")
    with page.expect_navigation():
        page.click("#skp-editor button.primary")
    check(page, screens, "pegawai-skp")
    take_step(page, "submit_plan")
    assert "Menunggu: Pejabat Penilai Kinerja" in page.locator("#langkah").inner_text()
    opens_the_pdf(page, demo, appraisal_id)

    # The supervisor finds a notice, approves; the employee records the realisation.
    log_in_demo(page, demo, "penilai")
    assert notices_about(page, demo, name) >= 1
    check(page, screens, "penilai-notifikasi")
    page.goto(url)
    check(page, screens, "penilai-setujui")
    take_step(page, "approve_plan")
    opens_the_pdf(page, demo, appraisal_id)
    log_in_demo(page, demo, "pegawai")
    page.goto(url)
    assert "Realisasi IKI 1" in page.locator("#langkah").inner_text()
    page.fill("#r-value", "96")
    with page.expect_navigation():
        page.click("#realisasi button.primary")

    # Rating: the rater closes monitoring and rates; the reviewer, told of it, confirms.
    log_in_demo(page, demo, "penilai")
    page.goto(url)
    take_step(page, "close_monitoring")
    for select_box in page.locator("#aksi-rate select").all():
        select_box.select_option(SESUAI)
    check(page, screens, "penilai-rating")
    take_step(page, "rate")
    log_in_demo(page, demo, "atasan")
    assert notices_about(page, demo, name) >= 1
    page.goto(url)
    check(page, screens, "atasan-periksa")
    take_step(page, "confirm_rating")
    opens_the_pdf(page, demo, appraisal_id)

    # The employee, told the rating is issued, appeals (confirmed: it cannot be withdrawn).
    log_in_demo(page, demo, "pegawai")
    assert notices_about(page, demo, name) >= 1
    page.goto(url)
    page.fill("#aksi-appeal textarea, #aksi-appeal input[type=text]", "Realisasi bulan Desember belum dihitung.")
    take_step(page, "appeal")

    # The reviewer sees both sides at full width, the employee's reason at the top; the final decision is
    # refused until confirmed.
    log_in_demo(page, demo, "atasan")
    assert notices_about(page, demo, name) >= 2
    page.goto(url)
    assert "Realisasi bulan Desember belum dihitung." in page.locator("#pesan").inner_text()
    narrowest = page.evaluate("Math.min(...[...document.querySelectorAll('.appeal dd')]"
                              ".map(e => e.getBoundingClientRect().width))")
    assert narrowest >= 120, f"a value of the appeal is squeezed into {narrowest}px at 1280 px"
    check(page, screens, "atasan-keberatan")
    page.select_option("#aksi-decide_appeal select[name$=keputusan]", "tetap")
    page.fill("#aksi-decide_appeal [name$=pertimbangan]", "Rating sesuai bukti dukung yang ada.")
    with page.expect_navigation():
        page.click("#aksi-decide_appeal .buttons button.primary")
    assert "Centang konfirmasi" in page.locator("#aksi-decide_appeal").inner_text()
    assert page.locator("#aksi-decide_appeal [name$=pertimbangan]").input_value() == \
        "Rating sesuai bukti dukung yang ada."
    take_step(page, "decide_appeal")

    # The employee is told of the decision and reads it at the top; the rater closes the cycle.
    log_in_demo(page, demo, "pegawai")
    assert notices_about(page, demo, name) >= 2
    page.goto(url)
    assert "Rating sesuai bukti dukung yang ada." in page.locator("#pesan").inner_text()
    check(page, screens, "pegawai-keputusan")
    log_in_demo(page, demo, "penilai")
    page.goto(url)
    take_step(page, "complete_development")
    assert appraisal_of(demo, "pegawai")[1] == "closed"
    check(page, screens, "selesai")

    # HR opens the document too, and the reports fit both widths.
    log_in_demo(page, demo, "sdm")
    page.goto(url)
    opens_the_pdf(page, demo, appraisal_id)
    page.goto(f"{demo.url}/laporan/")
    check(page, screens, "sdm-laporan")
    # Every employee can log in with their NIP.
    nip = next(login for login in demo.logins if login.isdigit())
    log_in_demo(page, demo, nip)
    check(page, screens, "nip-beranda")
