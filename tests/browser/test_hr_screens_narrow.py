"""Every HR screen on a 360 px phone, in Indonesian and in English: nothing sticks out sideways, and an
Indonesian screen has no English left on it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from engine.models import Appraisal, User
from engine.runs import find_unit, launch
from tests.browser.conftest import Live, log_in
from tests.support.factories import publish_national
from tests.support.states import drive

# Words only English has: one of them on an Indonesian screen is a text that missed its translation.
ENGLISH = re.compile(r"\b(the|and|of|with|your|you|this|is|are|not|none|save|cancel|download|upload|search|"
                     r"filter|back|next|previous|show|hide|edit|delete|remove|add|new|open|close|closed|yes|"
                     r"employee|employees|units|rater|reviewer|cycle|cycles|run|runs|state|results?|report|"
                     r"reports|page|date|from|to|by|at|on|in|for)\b", re.IGNORECASE)


# The text of the page a person reads as prose: cycle keys, YAML and JSON (code, pre) are what they are.
PROSE = """() => { const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('code, pre, textarea, kbd, samp, svg').forEach(e => e.remove());
  return main.innerText; }"""


@dataclass
class Seeded:
    run_id: int
    record_id: int
    appraisal_id: int
    hr_user_id: int


@pytest.fixture
def seeded(live: Live) -> Seeded:
    """The national cycle published and launched for DINAS: Ani's appraisal closed (results, talent, JP),
    Budi's waiting for review."""
    engine = create_engine(live.database)
    with Session(engine, expire_on_commit=False) as session:
        org = replace(live.org, users={key: session.get_one(User, user.id) for key, user in live.org.users.items()})
        national = publish_national(session, org)
        run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
        ani = session.scalars(select(Appraisal).where(
            Appraisal.run_id == run.id, Appraisal.employee_id == org.people["ani"].id)).one()
        drive(session, org, ani.id, "ani", "closed")
        budi = session.scalars(select(Appraisal).where(
            Appraisal.run_id == run.id, Appraisal.employee_id == org.people["budi"].id)).one()
        drive(session, org, budi.id, "budi", "review")
        session.commit()
        found = Seeded(run.id, national.id, ani.id, org.users["hr"].id)
    engine.dispose()
    return found


def hr_screens(s: Seeded) -> list[str]:
    return ["/sdm/", "/sdm/audit", "/sdm/impor", "/sdm/pelatihan", "/sdm/peluncuran", "/sdm/pengaduan",
            "/sdm/pengguna", f"/sdm/pengguna/{s.hr_user_id}", "/sdm/penilai", "/sdm/putaran",
            f"/sdm/putaran/{s.run_id}", f"/sdm/putaran/{s.run_id}/kalibrasi", f"/sdm/putaran/{s.run_id}/predikat-unit",
            "/sdm/siklus", "/sdm/siklus/baru", f"/sdm/siklus/{s.record_id}", "/sdm/siklus/permenpan-6-2022/banding",
            "/sdm/talenta", f"/sdm/talenta/{s.run_id}", f"/sdm/jp/{s.run_id}"]


INDONESIAN = re.compile(r"\b(dan|yang|untuk|tidak|dengan|belum|sudah|atau|dari|pada|oleh|ke|di|ini|itu|"
                        r"simpan|batal|unduh|unggah|cari|saring|pegawai|penilaian|tahap|putaran)\b",
                        re.IGNORECASE)


def indonesian_left(text: str) -> list[str]:
    return sorted({m.group(0) for m in INDONESIAN.finditer(text)})


def english_left(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


@pytest.mark.parametrize("locale", ["id-ID", "en-US"])
@pytest.mark.parametrize("who", ["hr", "admin"])
def test_every_hr_screen_fits_a_phone_and_speaks_the_pages_language(browser, live, seeded, screens, locale, who):
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 900})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        log_in(page, live, who)
        for path in hr_screens(seeded):
            response = page.goto(f"{live.url}{path}")
            assert response is not None and response.status < 500, path
            screens.shoot(page, re.sub(r"\W+", "-", path).strip("-") + f"-{who}-{locale}")
            words = (english_left if locale == "id-ID" else indonesian_left)(page.evaluate(PROSE))
            if words:
                found[path] = words
    finally:
        context.close()
    assert found == {}


LONG = "z" * 110  # one word longer than a phone is wide, within what the search fields take


def long_value_screens(s: Seeded) -> list[str]:
    return [f"/sdm/pengguna?q={LONG}", f"/sdm/putaran/{s.run_id}/kalibrasi?cari={LONG}",
            f"/sdm/talenta/{s.run_id}?cari={LONG}", f"/sdm/pengaduan?status={LONG}",
            f"/sdm/audit?pegawai={LONG}&pemicu={LONG[:60]}"]


@pytest.mark.parametrize("locale", ["id-ID", "en-US"])
def test_hr_screens_fit_a_phone_with_long_values_typed_and_refused(browser, live, seeded, screens, locale):
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live, "admin")
        for path in long_value_screens(seeded):
            response = page.goto(f"{live.url}{path}")
            assert response is not None and response.status < 500, path
            screens.shoot(page, re.sub(r"\W+", "-", path.split("?")[0]).strip("-") + f"-long-{locale}")
        # Forms refused with a long unbroken value: the page shows it back with the reason.
        page.goto(f"{live.url}/sdm/putaran/{seeded.run_id}")
        page.locator("form[action$='/pegawai'] input[name=nip]").fill("9" * 30)
        page.locator("form[action$='/pegawai'] [name=alasan]").fill(LONG)
        with page.expect_navigation():
            page.locator("form[action$='/pegawai'] button[type=submit]").click()
        assert page.locator("#perubahan-galat").count() == 1
        screens.shoot(page, f"run-add-refused-{locale}")
        page.goto(f"{live.url}/sdm/siklus/baru")
        page.locator("textarea[name=sumber]").fill(f"id: {LONG}\nversion: 1\ntitle: {LONG}\nstates: {{}}\n")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
        assert LONG in page.locator("main").inner_text()  # the pasted text is kept, with its problems
        screens.shoot(page, f"cycle-upload-refused-{locale}")
    finally:
        context.close()


# Two rows the import refuses, each named by row and column with the longest of its texts: a name holding a character
# that does not show, a NIP whose gender digit is 0.
REFUSED_FILE = ("NIP;Nama;Kode Unit;Jabatan\r\n"
                "199001012015012001;Ani\u200bLestari;BIDANG;Analis\r\n"
                "199001012015010003;Citra Baru;DINAS;Analis\r\n").encode()


@pytest.mark.parametrize("locale", ["id-ID", "en-US"])
def test_the_import_page_on_a_phone_offers_the_form_only_to_whoever_may_import(browser, live, screens, locale):
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live, "hr")  # HR of DINAS: the import would refuse them
        page.goto(f"{live.url}/sdm/impor")
        assert page.locator("input[type=file]").count() == 0
        who = page.locator("section[aria-labelledby=siapa]")
        assert who.is_visible() and who.locator("a[href$='/sdm/pengguna']").is_visible()
        said = who.inner_text()
        assert ("hanya dapat dilakukan oleh SDM atau admin instansi" in said if locale == "id-ID"
                else "only the agency's HR or admin may run it" in said), said
        screens.shoot(page, f"import-unit-hr-{locale}")
        log_in(page, live, "admin")
        page.goto(f"{live.url}/sdm/impor")
        page.set_input_files("input[name=berkas]", files=[
            {"name": "organisasi.csv", "mimeType": "text/csv", "buffer": REFUSED_FILE}])
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        problems = page.locator("table tbody tr")
        assert problems.count() == 2
        assert page.locator("input[type=file]").count() == 1  # the form again, for the corrected file
        screens.shoot(page, f"import-refused-rows-{locale}")
    finally:
        context.close()
