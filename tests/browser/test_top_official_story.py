"""The Sekretaris Daerah's year as the people involved read it, on the demo, in a real browser: the regent
(`bupati`, designated by HR) approves the Sekda's plan and rates them; nobody reviews a top official, so the
cycle lets the rating stand and the history says the system confirmed it and why; the Sekda reads the same
history and their result. Then an employee's SKP with an IKI their leader set (shown without fields, with who
set it) and a quarter whose periodic rating waits (saying from when). Every page at 1280 and 360 px, in
Bahasa Indonesia and in English: nothing sticks out sideways, axe-core finds no WCAG 2.1 A/AA problem and
nothing is left in the other language.

One demo seed for the whole module: the pages are read in order, each test leaving the demo where the next
one expects it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from engine.appraisals import fire_transition, record_realisation, set_team_skp
from engine.models import Appraisal, Employee, Indicator, OrgUnit, User
from engine.permissions import Actor
from tests.browser.conftest import Demo, accessibility_problems, log_in_demo, serve_demo, take_step
from tests.browser.test_hr_screens_narrow import PROSE, english_left, indonesian_left

LOCALES = ("id-ID", "en-US")
SESUAI = "Sesuai Ekspektasi"
APPEAL = "Realisasi triwulan IV belum dihitung."


@pytest.fixture(scope="module")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo organisation (`siklus demo`), seeded once for the module and served by a real WSGI server."""
    yield from serve_demo(sqlite_template, tmp_path_factory.mktemp("top-official"))


def database(demo: Demo) -> Session:
    return Session(create_engine(demo.database), expire_on_commit=False)


def actor(session: Session, username: str) -> Actor:
    return Actor.of(session.scalars(select(User).where(User.username == username)).one())


def sekda_of(demo: Demo) -> tuple[int, str, str]:
    """The Sekda's appraisal id, login (their NIP: their record has no supervisor) and name."""
    with database(demo) as session:
        sekda = session.scalars(select(Employee).where(Employee.supervisor_id.is_(None),
                                                       Employee.position == "Sekretaris Daerah")).one()
        login = session.scalars(select(User.username).where(User.employee_id == sekda.id)).one()
        appraisal = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == sekda.id)).one()
        return appraisal, login, sekda.name


def data_texts(demo: Demo) -> list[str]:
    """What people typed or the organisation is named (names, units, IKI): data, in whatever language it was
    written, not a screen text missing its translation. Longest first, so a name inside another goes after it."""
    with database(demo) as session:
        texts = [*session.scalars(select(Employee.name)), *session.scalars(select(Employee.position)),
                 *session.scalars(select(OrgUnit.name)), *session.scalars(select(User.display_name)),
                 *session.scalars(select(Indicator.label)), *session.scalars(select(Indicator.rhk)),
                 "Laporan bulanan", "Kinerja dipantau rutin.", APPEAL, "Keputusan Bupati Siklus Raya (demo)"]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def words_left(page, locale: str, data: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Words of the other language in the page's prose, once the data (names, IKI) is taken out."""
    text = page.evaluate(PROSE)
    for value in data:
        text = text.replace(value, " ")
    return (english_left if locale == "id-ID" else indonesian_left)(text)


def read_in_both_languages(browser, demo: Demo, screens, username: str, path: str,  # type: ignore[no-untyped-def]
                           name: str, expect: dict[str, list[str]] | None = None) -> None:
    """``username`` opens ``path`` in Indonesian and in English: at 1280 and 360 px nothing is wider than the
    window, axe-core finds no WCAG 2.1 A/AA problem, no word of the other language is left, and each text of
    ``expect`` for the locale is there."""
    data = data_texts(demo)
    found: dict[str, list[str]] = {}
    for locale in LOCALES:
        # The page's Content-Security-Policy is bypassed only so that axe-core can be injected.
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = context.new_page()
        try:
            log_in_demo(page, demo, username)
            response = page.goto(f"{demo.url}{path}")
            assert response is not None and response.status == 200, (path, response and response.status)
            screens.shoot(page, f"{name}-{locale}")
            text = page.locator("main").inner_text()
            (screens.folder / f"{screens.count:02d}-{name}-{locale}.txt").write_text(text, encoding="utf-8")
            for wanted in (expect or {}).get(locale, []):
                assert wanted in text, f"{name} ({locale}): {wanted!r} is not on the page"
            problems = accessibility_problems(page)
            assert problems == [], f"{name} ({locale}): {problems}"
            words = words_left(page, locale, data)
            if words:
                found[locale] = words
        finally:
            context.close()
    assert found == {}, f"{name}: words of the other language left: {found}"


def state_of(demo: Demo, appraisal_id: int) -> str:
    with database(demo) as session:
        return session.get_one(Appraisal, appraisal_id).state


def test_the_regent_approves_and_rates_the_sekda_and_the_rating_stands_without_review(browser, demo, page,
                                                                                      screens):
    sekda, sekda_login, sekda_name = sekda_of(demo)
    assert state_of(demo, sekda) == "plan_review"  # the demo left the Sekda's plan waiting for the regent
    address = f"/penilaian/{sekda}"

    # The regent finds the plan on their home page and approves it on the screen.
    read_in_both_languages(browser, demo, screens, "bupati", "/", "home-regent",
                           {"id-ID": [sekda_name], "en-US": [sekda_name]})
    read_in_both_languages(browser, demo, screens, "bupati", address, "plan-to-approve",
                           {"id-ID": [sekda_name], "en-US": [sekda_name]})
    log_in_demo(page, demo, "bupati")
    page.goto(f"{demo.url}{address}")
    take_step(page, "approve_plan")
    assert state_of(demo, sekda) == "monitor"

    # The year's work, through the engine: the Sekda records the realisations, the regent closes monitoring.
    with database(demo) as session:
        me = actor(session, sekda_login)
        for key in session.scalars(select(Indicator.key).where(Indicator.appraisal_id == sekda,
                                                               Indicator.key.like("iki_%"))):
            record_realisation(session, sekda, me, key, 90.0, note="Laporan bulanan")
        fire_transition(session, sekda, "close_monitoring", actor(session, "bupati"), {})
        session.commit()
    assert state_of(demo, sekda) == "rate"

    # The regent rates on the screen: the form, then the rating.
    read_in_both_languages(browser, demo, screens, "bupati", address, "rating-form")
    page.goto(f"{demo.url}{address}")
    for select_box in page.locator("#aksi-rate select").all():
        select_box.select_option(label=SESUAI)
    take_step(page, "rate")
    # Nobody reviews a top official: the cycle lets the rating stand, the system confirming it.
    assert state_of(demo, sekda) == "rated"
    text = page.locator("main").inner_text()
    assert "Hasil penilaian diterima pegawai" in text
    assert "Sistem (peran kosong)" in text

    expect = {"id-ID": ["Sistem (peran kosong)", "tidak seorang pun memegang peran Atasan Pejabat Penilai",
                        "Hasil penilaian diterima pegawai"],
              "en-US": ["System (vacant role)", "nobody holds the role"]}
    read_in_both_languages(browser, demo, screens, "bupati", address, "rated-regent", expect)
    # The Sekda logs in with their NIP and reads the same history and their result.
    read_in_both_languages(browser, demo, screens, sekda_login, address, "rated-sekda", expect)
    read_in_both_languages(browser, demo, screens, sekda_login, "/", "home-sekda")


def test_hr_reads_on_the_run_page_that_the_cycle_lets_the_rating_stand(browser, demo, screens):
    with database(demo) as session:
        run_id = session.get_one(Appraisal, sekda_of(demo)[0]).run_id
    read_in_both_languages(browser, demo, screens, "sdm", f"/sdm/putaran/{run_id}", "run-page",
                           {"id-ID": ["hasil penilaian mereka berlaku tanpa pemeriksaan"],
                            "en-US": ["lets their rating stand without review"]})


def test_the_sekdas_appeal_waits_for_nobody_and_says_so_and_hr_is_told(browser, demo, page, screens):
    sekda, sekda_login, sekda_name = sekda_of(demo)
    log_in_demo(page, demo, sekda_login)
    page.goto(f"{demo.url}/penilaian/{sekda}")
    page.locator("#aksi-appeal textarea").first.fill(APPEAL)
    take_step(page, "appeal")
    assert state_of(demo, sekda) == "appeal"
    # The appeal is decided by the reviewer, a role nobody holds for a top official: the page says so and
    # what must happen, and HR of the Sekda's unit finds the notice.
    read_in_both_languages(browser, demo, screens, sekda_login, f"/penilaian/{sekda}", "appeal-waits", {
        "id-ID": ["belum ada pemegangnya", "menunjuk pemegang peran itu di halaman Pejabat penilai pejabat puncak"],
        "en-US": ["nobody holds it yet", "designate who holds that role on the Raters of top officials page"]})
    read_in_both_languages(browser, demo, screens, "sdm", "/notifikasi/", "hr-notices", {
        "id-ID": [f"Tidak ada pemegang peran: Keberatan – {sekda_name}", "halaman Pejabat penilai pejabat puncak"],
        "en-US": [f"Nobody holds the role: Appeal (keberatan) – {sekda_name}", "on the Raters of top officials page"]})


def test_the_employee_reads_the_iki_their_leader_set_without_fields_to_change_it(browser, demo, screens):
    with database(demo) as session:
        pegawai = session.scalars(select(Appraisal).join(User, User.employee_id == Appraisal.employee_id)
                                  .where(User.username == "pegawai")).one()
        assert pegawai.state == "plan"
        leader = session.scalars(select(Indicator).join(User, User.employee_id == Employee.id)
                                 .join(Appraisal, Appraisal.id == Indicator.appraisal_id)
                                 .join(Employee, Employee.id == Appraisal.employee_id)
                                 .where(User.username == "penilai", Indicator.key == "iki_1")).one()
        set_team_skp(session, pegawai.id, actor(session, "penilai"), [
            {"key": "iki_1", "rhk": "Terlayaninya permohonan tepat waktu", "parent_id": leader.id,
             "label": "Permohonan selesai diproses", "aspect": "kuantitas", "target": 120, "unit": "berkas"}])
        session.commit()
        appraisal_id = pegawai.id
        leader_rhk = leader.rhk
        leader_name = session.scalars(select(User.display_name).where(User.username == "penilai")).one()
    read_in_both_languages(browser, demo, screens, "pegawai", f"/penilaian/{appraisal_id}", "leader-iki",
                           {"id-ID": ["IKI ini ditetapkan pimpinan"], "en-US": ["This IKI was set by the leader"]})
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 900})
    page = context.new_page()
    try:
        log_in_demo(page, demo, "pegawai")
        page.goto(f"{demo.url}/penilaian/{appraisal_id}")
        editor = page.locator("#skp-editor")
        assert editor.locator("fieldset.locked").count() == 1
        assert editor.locator("#iki-1-target").count() == 0 and editor.locator("#iki-2-target").count() == 1
        # The leader's IKI says which of the leader's RHK it supports, as the fields of one's own IKI do.
        editor.locator("fieldset.locked").screenshot(path=str(screens.folder / "leader-iki-fieldset-360.png"))
        values = editor.locator("fieldset.locked dl").inner_text()
        assert f"{leader_name}: {leader_rhk}" in values
        # On a phone each label sits above its value, within the fieldset.
        label, value = editor.locator("fieldset.locked dt").first, editor.locator("fieldset.locked dd").first
        assert value.bounding_box()["y"] > label.bounding_box()["y"]
        assert value.bounding_box()["x"] == label.bounding_box()["x"]
    finally:
        context.close()


def test_the_rater_reads_from_when_the_quarter_can_be_rated(browser, demo, screens):
    with database(demo) as session:
        # An appraisal at monitoring whose rater is a staff member's leader (they log in with their NIP).
        found = session.execute(
            select(Appraisal.id, User.username).join(Employee, Employee.id == Appraisal.employee_id)
            .join(User, User.employee_id == Employee.supervisor_id)
            .where(Appraisal.state == "monitor").order_by(Appraisal.id)).first()
    assert found is not None, "the demo has an appraisal at monitoring"
    monitored, rater = found
    read_in_both_languages(browser, demo, screens, rater, f"/penilaian/{monitored}", "quarter-waits",
                           {"id-ID": ["dapat dicatat"], "en-US": ["can be recorded"]})
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 900})
    page = context.new_page()
    try:
        log_in_demo(page, demo, rater)
        page.goto(f"{demo.url}/penilaian/{monitored}")
        waits = page.locator(".rating-waits")
        assert waits.count() >= 1
        waits.first.locator("xpath=..").screenshot(path=str(screens.folder / "quarter-360.png"))
        assert re.search(r"mulai \d{1,2} \w+ \d{4}", waits.first.inner_text())
    finally:
        context.close()
