"""HR cycle screens: writing a cycle file (problems on their lines), publishing, comparing versions,
launching for a unit and period, the progress of a run and the calibration of a unit's predicates."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.errors import TransitionNotAllowed
from engine.messages import Message, joined
from engine.models import Appraisal, AuditEvent, CycleDefinitionRecord, CycleRun, Result, utcnow
from engine.runs import find_unit, launch
from engine.validation import validate_source
from tests.support.states import drive
from tests.web.test_languages import ENGLISH, INDONESIAN
from web.messages import problem_text

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken"
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.+)$", re.MULTILINE)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def line_item(page: str, number: int) -> str:
    """The <li> of one numbered source line, with the problems shown under it."""
    match = re.search(rf'<li id="baris-{number}"[^>]*>.*?</li>', page, re.S)
    assert match, f"no line {number} on the page"
    return match.group(0)


def broken(name: str) -> tuple[str, int, int, str]:
    """A broken file, where its problem is and the problem as an Indonesian screen shows it.

    The file names the problem in English (what ``siklus validate`` prints); the validator's problem at
    that line and column must say exactly that, and the HR screen shows the same problem in Indonesian.
    """
    source = (BROKEN / name).read_text(encoding="utf-8")
    line, col, message = EXPECT.search(source).groups()
    problems = [p for p in validate_source(source, name) if (p.line, p.col) == (int(line), int(col))
                and p.message.startswith(message.rstrip("."))]
    assert problems, f"{name}: no problem '{message}' at {line}:{col}"
    return source, int(line), int(col), html.escape(problem_text(problems[0], "id"), quote=False)


def flashes(page: str) -> list[str]:
    return [m.strip() for m in re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', page)]


def records(session, cycle_id: str = "contoh") -> list[CycleDefinitionRecord]:
    session.rollback()
    return list(session.scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.cycle_id == cycle_id)
                                .order_by(CycleDefinitionRecord.version)))


FIXED = broken("unknown_state_dest.yaml")[0].replace("reveiw", "review")


# -- writing a cycle file ------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "unknown_state_dest.yaml", "yaml_missing_colon.yaml", "yaml_tab_indent.yaml", "weights_do_not_total_100.yaml",
])
def test_broken_file_shows_each_problem_under_its_line(login, session, name):
    source, line, col, message = broken(name)
    response = login("hr").post("/sdm/siklus/baru", data={"sumber": source})
    page = text_of(response)
    assert response.status_code == 422
    item = line_item(page, line)
    assert 'class="bad"' in item
    assert f"Baris {line}, kolom {col}:" in item and message.rstrip(".") in item
    # the list at the top links to the line, and the text stays in the box to be fixed
    assert f'href="#baris-{line}"' in page.split("Isi berkas dengan masalah", 1)[0]
    assert html.escape(source.splitlines()[line - 1].strip(), quote=False) in page.split("<textarea", 1)[1]
    assert records(session) == [] and "tidak ada yang disimpan" in page


def test_lines_without_problems_are_not_marked(login):
    source, line, _col, _message = broken("unknown_state_dest.yaml")
    page = text_of(login("hr").post("/sdm/siklus/baru", data={"sumber": source}))
    assert 'class="bad"' not in line_item(page, line - 1)
    assert len(re.findall(r'<li id="baris-\d+" class="bad"', page)) == 1


def test_several_problems_are_listed_in_line_order(login):
    source = (BROKEN / "several_mistakes.yaml").read_text(encoding="utf-8")
    expected = [int(line) for line, _c, _m in EXPECT.findall(source)]
    page = text_of(login("hr").post("/sdm/siklus/baru", data={"sumber": source}))
    top = page.split("Isi berkas dengan masalah", 1)[0]
    assert [int(n) for n in re.findall(r'href="#baris-(\d+)"', top)] == sorted(expected)
    assert f"Berkas ini punya {len(expected)} masalah" in top


def test_every_problem_on_the_upload_screen_reads_in_indonesian_with_its_line_and_column(login):
    source = (BROKEN / "several_mistakes.yaml").read_text(encoding="utf-8")
    page = text_of(login("hr").post("/sdm/siklus/baru", data={"sumber": source}))
    top = page.split("Isi berkas dengan masalah", 1)[0]
    listed = re.findall(r'<li><a href="#baris-\d+">Baris (\d+), kolom (\d+)</a>: (.*?)</li>', top, re.S)
    assert len(listed) == len(EXPECT.findall(source))
    for _line, _col, problem in listed:
        unquoted = re.sub(r"«[^»]*»|&#34;[^&]*&#34;|\S*[._]\S*", " ", html.unescape(problem))
        assert not set(re.findall(r"[a-z]+", unquoted.lower())) & ENGLISH, problem


def test_every_problem_on_the_english_upload_screen_reads_in_english(login):
    source = (BROKEN / "several_mistakes.yaml").read_text(encoding="utf-8")
    client = login("hr")
    with client.session_transaction() as state:
        state["lang"] = "en"
    page = text_of(client.post("/sdm/siklus/baru", data={"sumber": source}))
    listed = re.findall(r'<li><a href="#baris-\d+">[^<]*</a>: (.*?)</li>', page, re.S)
    assert len(listed) == len(EXPECT.findall(source))
    assert "Unknown state name 'reveiw' (did you mean 'review'?)." in listed
    for problem in listed:
        unquoted = re.sub(r"'[^']*'|\S*[._]\S*", " ", problem)
        assert not set(re.findall(r"[a-z]+", unquoted.lower())) & INDONESIAN, problem


def test_fixed_file_is_saved_as_a_draft_and_shown(login, session):
    client = login("hr")
    response = client.post("/sdm/siklus/baru", data={"sumber": FIXED.replace("\n", "\r\n")})
    assert response.status_code == 302
    page = text_of(client.get(response.location))
    assert "Tersimpan sebagai draf versi 1" in page
    assert "Siklus contoh" in page and "draf" in page and "Terbitkan versi ini" in page
    # readable tables: the states, the transition from plan to review and who fires it
    assert "Persetujuan SKP" in page and "submit_plan" in page and "Pegawai" in page
    (record,) = records(session)
    assert record.status == "draft" and record.source == FIXED  # the browser's CRLF are undone


def test_uploaded_file_is_used(login, session):
    response = login("hr").post("/sdm/siklus/baru", data={
        "sumber": "", "berkas": (io.BytesIO(FIXED.encode()), "contoh.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert [r.version for r in records(session)] == [1]


def test_uploaded_broken_file_shows_its_text_to_fix(login):
    source, line, _col, message = broken("unknown_state_dest.yaml")
    response = login("hr").post("/sdm/siklus/baru", data={
        "berkas": (io.BytesIO(source.encode()), "dinas.yaml")}, content_type="multipart/form-data")
    page = text_of(response)
    assert response.status_code == 422 and message in line_item(page, line)
    assert "dest: reveiw" in page.split("<textarea", 1)[1]


@pytest.mark.parametrize("filename, content, expected", [
    ("dinas.yaml", "id: contoh\ntitle: caf\xe9\n".encode("latin-1"), "bukan teks UTF-8 (bita tidak sah pada baris 2)"),
    ("dinas.txt", b"id: contoh\n", "bukan berkas YAML"),
    ("dinas.yaml", b"# " + b"x" * (300 * 1024), "lebih besar dari 256 KiB"),
])
def test_unreadable_uploads_are_refused_with_the_reason(login, session, filename, content, expected):
    response = login("hr").post("/sdm/siklus/baru", data={"berkas": (io.BytesIO(content), filename)},
                                content_type="multipart/form-data")
    assert response.status_code == 422 and expected in text_of(response)
    assert records(session) == []


def test_empty_form_asks_for_a_file(login):
    response = login("hr").post("/sdm/siklus/baru", data={"sumber": "  "})
    assert response.status_code == 422 and "Tempelkan isi YAML" in text_of(response)


def test_diagram_is_an_svg_of_the_cycle(login, national):
    client = login("hr")
    page = text_of(client.get(f"/sdm/siklus/{national.id}"))
    assert f"/sdm/siklus/{national.id}/diagram.svg" in page
    response = client.get(f"/sdm/siklus/{national.id}/diagram.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and 'data-trigger="submit_plan"' in svg and "<script" not in svg


# -- publishing and retiring -------------------------------------------------------------------

def _save(client, source: str = FIXED) -> int:
    response = client.post("/sdm/siklus/baru", data={"sumber": source})
    assert response.status_code == 302, text_of(response)
    return int(response.location.rsplit("/", 1)[1])


def test_publish_then_retire(login, session):
    client = login("hr")
    record_id = _save(client)
    page = text_of(client.post(f"/sdm/siklus/{record_id}/terbitkan", follow_redirects=True))
    assert "Versi 1 diterbitkan" in page and "Pensiunkan versi ini" in page and "Luncurkan" in page
    (record,) = records(session)
    assert record.status == "published" and record.published_at is not None
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "publish")).one()
    assert event.actor_name == "hr" and event.payload["cycle_id"] == "contoh"
    page = text_of(client.post(f"/sdm/siklus/{record_id}/pensiunkan", follow_redirects=True))
    assert "Versi 1 dipensiunkan" in page
    assert records(session)[0].status == "retired"
    # a retired version cannot come back
    page = text_of(client.post(f"/sdm/siklus/{record_id}/terbitkan", follow_redirects=True))
    assert "sudah dipensiunkan dan tidak dapat diterbitkan lagi" in page  # in the page's language, not English
    assert records(session)[0].status == "retired"


def test_changing_a_published_version_asks_for_a_new_version(login, session):
    client = login("hr")
    client.post(f"/sdm/siklus/{_save(client)}/terbitkan")
    response = client.post("/sdm/siklus/baru", data={"sumber": FIXED.replace("Siklus contoh", "Siklus contoh baru")})
    assert response.status_code == 409 and "Naikkan nilai 'version'" in text_of(response)
    assert [r.title for r in records(session)] == ["Siklus contoh"]


def test_cycles_list_shows_versions_with_status_and_appraisals(login, run):
    page = text_of(login("hr").get("/sdm/siklus"))
    assert "permenpan-6-2022" in page and "terbit" in page
    row = re.search(r"<tr><td><a href=\"/sdm/siklus/\d+\">versi 1</a>.*?</tr>", page, re.S).group(0)
    assert '<td class="num">4</td>' in row  # kadis, kabid, ani and budi


# -- comparing versions ------------------------------------------------------------------------

V2 = (FIXED.replace("version: 1", "version: 2")
      .replace("  closed:\n", "  archived:\n    label: {id: Diarsipkan, en: Archived}\n    final: true\n  closed:\n")
      .replace("{id: Persetujuan SKP, en: SKP review}", "{id: Pemeriksaan SKP, en: SKP review}")
      .replace("Siklus contoh", "Siklus contoh dinas")
      + "  - trigger: archive\n    source: review\n    dest: archived\n    roles: [penilai]\n")


def test_compare_two_versions(login):
    client = login("hr")
    _save(client)
    _save(client, V2)
    page = text_of(client.get("/sdm/siklus/contoh/banding?dari=1&ke=2"))
    summary = page.split("Perbedaan baris", 1)[0]
    assert re.search(r"ditambah</span>\s*<code>archived</code>", summary)
    assert re.search(r"ditambah</span>\s*<code>archive</code>", summary)
    assert re.search(r"diubah</span>\s*<code>review</code>: <code>label</code>", summary)
    assert "<code>title</code>" in summary
    diff = page.split('<pre class="diff"', 1)[1]
    assert '<span class="d-add">' in diff and "+  archived:" in diff
    assert "-title: {id: Siklus contoh, en: Example cycle}" in diff


def test_compare_same_version_says_so(login):
    client = login("hr")
    _save(client)
    page = text_of(client.get("/sdm/siklus/contoh/banding?dari=1&ke=1"))
    assert "Pilih dua versi yang berbeda" in page


def test_compare_unknown_cycle_is_404(login):
    assert login("hr").get("/sdm/siklus/tidak-ada/banding").status_code == 404


# -- launching -------------------------------------------------------------------------------

def _launch(client, record_id: int, unit_id: int, period: str = "2026", sub: bool = True):
    data = {"definisi": str(record_id), "unit": str(unit_id), "periode": period}
    if sub:
        data["sub"] = "1"
    return client.post("/sdm/peluncuran", data=data)


def test_launch_form_lists_published_cycles_and_covered_units(login, national, org):
    page = text_of(login("hr").get("/sdm/peluncuran"))
    assert "Siklus Kinerja ASN Nasional" in page
    assert "Dinas Kependudukan (DINAS)" in page and "\u00a0└ Bidang Pelayanan (BIDANG)" in page
    assert "Dinas Lain" not in page and "Pemerintah Daerah" not in page
    assert "2026-S1" in page  # how each kind of period is written


def test_launch_creates_appraisals_and_a_second_launch_is_a_message(login, national, org, session):
    client = login("hr")
    response = _launch(client, national.id, org.dinas.id)
    assert response.status_code == 302
    assert "4 penilaian dibuat" in " ".join(flashes(text_of(client.get(response.location))))
    again = _launch(client, national.id, org.dinas.id)
    page = text_of(again)
    assert again.status_code == 409 and "sudah diluncurkan untuk Dinas Kependudukan periode 2026" in page
    assert "4 penilaian" in page and "Lihat kemajuannya" in page
    session.rollback()
    assert session.query(CycleRun).count() == 1 and session.query(Appraisal).count() == 4


def test_launch_without_subunits_covers_the_unit_only(login, national, org, session):
    client = login("hr")
    response = _launch(client, national.id, org.dinas.id, sub=False)
    assert "1 penilaian dibuat" in " ".join(flashes(text_of(client.get(response.location))))


@pytest.mark.parametrize("period, message", [
    ("2026-S1", "Periode «2026-S1» tidak sesuai siklus tahunan ini; tulis seperti 2026."),
    ("", "Isi periode."),
])
def test_launch_with_a_bad_period_names_the_expected_form(login, national, org, session, period, message):
    response = _launch(login("hr"), national.id, org.dinas.id, period)
    page = text_of(response)
    assert response.status_code == 422 and message in page
    session.rollback()
    assert session.query(CycleRun).count() == 0


def test_a_draft_cannot_be_launched(login, national, org, session):
    client = login("hr")
    record_id = _save(client)
    response = _launch(client, record_id, org.dinas.id)
    assert response.status_code == 422 and "Pilih definisi siklus yang sudah terbit." in text_of(response)


def test_upload_fix_publish_launch(login, org, session):
    """The whole path an HR officer takes with a new cycle."""
    client = login("hr")
    source, line, _col, message = broken("unknown_state_dest.yaml")
    page = text_of(client.post("/sdm/siklus/baru", data={"sumber": source}))
    assert message in line_item(page, line)
    record_id = _save(client, source.replace("reveiw", "review"))
    client.post(f"/sdm/siklus/{record_id}/terbitkan")
    response = _launch(client, record_id, org.bidang.id)
    assert "3 penilaian dibuat" in " ".join(flashes(text_of(client.get(response.location))))


# -- progress --------------------------------------------------------------------------------

def _state_count(page: str, state: str) -> str:
    row = re.search(rf'<tr data-state="{state}">(.*?)</tr>', page, re.S).group(1)
    return re.findall(r'<td class="num">(?:<span[^>]*>)?([^<]*)', row)[0]


def _make_late(session, appraisal, days: int) -> None:
    appraisal.due_at = utcnow() - timedelta(days=days, hours=1)
    session.commit()


def test_progress_counts_per_state_and_lists_overdue_oldest_first(login, run, session, org, appraisal_of):
    drive(session, org, appraisal_of("budi").id, "budi", "monitor")
    _make_late(session, appraisal_of("ani"), 3)
    _make_late(session, appraisal_of("kabid"), 10)
    page = text_of(login("hr").get(f"/sdm/putaran/{run.id}"))
    assert _state_count(page, "plan") == "3" and _state_count(page, "monitor") == "1"
    assert _state_count(page, "closed") == "0"
    overdue = page.split('id="terlambat"', 1)[1]
    assert "Terlambat (2)" in page
    assert overdue.index("Hendra Wijaya") < overdue.index("Ani Lestari")
    assert re.search(r"Hendra Wijaya.*?<td class=\"num\">10</td>", overdue, re.S)
    assert f'href="/penilaian/{appraisal_of("ani").id}"' in overdue
    assert "Budi Santoso" not in overdue


def test_progress_lists_a_deadline_that_could_not_fire_with_its_error(login, run, session, org, appraisal_of,
                                                                     monkeypatch):
    from engine import deadlines

    drive(session, org, appraisal_of("ani").id, "ani", "rated")
    later = utcnow() + timedelta(days=15)

    def refused(*args, **kwargs):
        # As the engine refuses a step whose guard fails: the guard's reasons, coded.
        reasons = [{"id": "Data penilaian belum lengkap.", "en": "The rating data is incomplete."}]
        raise TransitionNotAllowed("not yet", reasons=reasons,
                                   msg=Message("transition.not_yet", reasons=joined(reasons)))

    monkeypatch.setattr(deadlines, "fire_transition", refused)
    deadlines.tick(session, now=later)
    page = text_of(login("hr").get(f"/sdm/putaran/{run.id}"))
    failures = page.split('id="tenggat-gagal"', 1)[1].split('id="terlambat"', 1)[0]
    assert "Tenggat yang gagal dijalankan (1)" in page
    row = re.search(r'<tr data-appraisal="\d+">.*?</tr>', failures, re.S).group(0)
    assert "Ani Lestari" in row and "Terima hasil penilaian" in row and "Data penilaian belum lengkap." in row
    assert re.search(r'<td class="num">1</td>', row)


def test_progress_shows_no_failed_deadlines_section_when_all_fired(login, run):
    assert 'id="tenggat-gagal"' not in text_of(login("hr").get(f"/sdm/putaran/{run.id}"))


def test_overdue_list_is_paged(login, run, session, appraisal_of, monkeypatch):
    from web.hr import runs

    monkeypatch.setattr(runs, "OVERDUE_PER_PAGE", 1)
    _make_late(session, appraisal_of("ani"), 3)
    _make_late(session, appraisal_of("kabid"), 10)
    client = login("hr")
    first = text_of(client.get(f"/sdm/putaran/{run.id}")).split('id="terlambat"', 1)[1]
    second = text_of(client.get(f"/sdm/putaran/{run.id}?halaman=2")).split('id="terlambat"', 1)[1]
    assert "Hendra Wijaya" in first and "Ani Lestari" not in first and "Halaman 1 dari 2" in first
    assert "Ani Lestari" in second and "Hendra Wijaya" not in second


def test_runs_list_links_progress_and_calibration(login, run):
    page = text_of(login("hr").get("/sdm/putaran"))
    assert f"/sdm/putaran/{run.id}" in page and f"/sdm/putaran/{run.id}/kalibrasi" in page


# -- calibration -----------------------------------------------------------------------------

def _predicates(session, appraisal_of, given: dict[str, dict[str, str]]) -> None:
    ids = {person: appraisal_of(person).id for person in given}  # (each lookup starts a fresh read)
    for person, results in given.items():
        for name, value in results.items():
            session.add(Result(appraisal_id=ids[person], name=name, value=value))
    session.commit()


def test_calibration_refuses_a_predicate_or_period_it_does_not_offer_and_says_what_to_choose(login, run):
    # A choice the page does not offer was silently replaced by the recorded decision or the run's period,
    # so the page showed another calibration than the one asked for.
    client = login("hr")
    bogus = client.get(f"/sdm/putaran/{run.id}/kalibrasi?predikat_unit=Luar%20Biasa")
    assert bogus.status_code == 422
    assert "«Luar Biasa» bukan predikat kinerja organisasi; pilih salah satu dari" in text_of(bogus)
    bogus = client.get(f"/sdm/putaran/{run.id}/kalibrasi?periode=triwulan.2099-Q9")
    assert bogus.status_code == 422
    assert "«triwulan.2099-Q9» bukan periode kalibrasi putaran ini" in text_of(bogus)
    assert client.get(f"/sdm/putaran/{run.id}/kalibrasi?predikat_unit=Baik").status_code == 200


def test_calibration_lists_the_broken_limits(login, run, session, appraisal_of, org):
    _predicates(session, appraisal_of, {"kadis": {"predikat_akhir": "Sangat Baik"}, "kabid": {"predikat_akhir": "Baik"},
                                        "ani": {"predikat_akhir": "Baik"}, "budi": {"predikat": "Baik"}})
    page = text_of(login("hr").get(f"/sdm/putaran/{run.id}/kalibrasi?predikat_unit=Baik"))
    assert "4 dari 4 penilaian di unit ini sudah berpredikat" in page
    row = re.search(r'<tr data-predicate="Baik">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="num">3</td>' in row and "75%" in row and "paling banyak 70%" in row
    assert "Unit ini melanggar 2 batas kurva distribusi." in page
    violations = page.split('class="violations"', 1)[1]
    assert "paling banyak 70% Baik: 3 dari 4 pegawai (75%), dilanggar" in violations
    assert ("paling sedikit 1 orang Butuh Perbaikan atau Kurang/Misconduct: 0 dari 4 pegawai (0%), dilanggar"
            in violations)
    assert '<svg viewBox="0 0 360' in page and 'class="limit broken"' in page


def test_calibration_uses_the_final_predicate_and_can_pass(login, run, session, appraisal_of, org):
    _predicates(session, appraisal_of, {"kadis": {"predikat_akhir": "Sangat Baik"}, "kabid": {"predikat_akhir": "Baik"},
                                        "ani": {"predikat_akhir": "Baik"},
                                        "budi": {"predikat": "Baik", "predikat_akhir": "Butuh Perbaikan"}})
    page = text_of(login("hr").get(f"/sdm/putaran/{run.id}/kalibrasi?predikat_unit=Baik"))
    row = re.search(r'<tr data-predicate="Butuh Perbaikan">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="num">1</td>' in row and "25%" in row
    assert "Unit ini memenuhi semua batas kurva distribusi." in page and 'class="violations"' not in page


def test_calibration_of_a_subunit_counts_its_people_only(login, run, session, appraisal_of, org):
    _predicates(session, appraisal_of, {"kadis": {"predikat_akhir": "Sangat Baik"}, "ani": {"predikat_akhir": "Baik"}})
    page = text_of(login("hr").get(f"/sdm/putaran/{run.id}/kalibrasi?unit={org.bidang.id}&predikat_unit=Istimewa"))
    assert "1 dari 3 penilaian di unit ini sudah berpredikat" in page
    assert re.search(r'<tr data-predicate="Sangat Baik">\s*<td>Sangat Baik</td><td class="num">0</td>', page)


def test_calibration_asks_for_the_unit_predicate_first(login, run):
    page = text_of(login("hr").get(f"/sdm/putaran/{run.id}/kalibrasi"))
    assert "Pilih predikat kinerja organisasi unit" in page and "0 dari 4 penilaian" in page


# -- another unit's HR -----------------------------------------------------------------------

def test_hr_of_another_unit_cannot_see_or_launch_for_dinas(login, run, national, org, session):
    client = login("hr_lain")
    assert client.get(f"/sdm/putaran/{run.id}").status_code == 403
    assert client.get(f"/sdm/putaran/{run.id}/kalibrasi?predikat_unit=Baik").status_code == 403
    assert f"/sdm/putaran/{run.id}" not in text_of(client.get("/sdm/putaran"))
    assert "Dinas Kependudukan" not in text_of(client.get("/sdm/peluncuran"))
    response = _launch(client, national.id, org.dinas.id, "2027")
    assert response.status_code == 403
    session.rollback()
    assert session.scalars(select(CycleRun.period)).all() == ["2026"]
    # their own unit works
    assert _launch(client, national.id, org.other.id, "2026").status_code == 302


def test_calibration_of_a_unit_outside_the_run_is_refused(login, session, national, org):
    run = launch(session, national, find_unit(session, "BIDANG"), "2026", org.actor("admin"))
    response = login("hr").get(f"/sdm/putaran/{run.id}/kalibrasi?unit={org.dinas.id}")
    assert response.status_code == 403


# -- one appraisal per employee per cycle and period; joiners, leavers, transferees -------------

def test_launching_a_sub_unit_of_a_launched_unit_creates_nothing_and_lists_who_has_one(login, national, org, session):
    client = login("hr")
    _launch(client, national.id, org.dinas.id)
    response = _launch(client, national.id, org.bidang.id)
    page = text_of(response)
    assert response.status_code == 422 and "Semua 3 pegawai aktif BIDANG sudah punya penilaian" in page
    skipped = page.split('class="compact skipped"', 1)[1].split("</table>", 1)[0]
    assert "Ani Lestari" in skipped and org.people["budi"].nip in skipped and "DINAS" in skipped
    session.rollback()
    assert session.query(CycleRun).count() == 1 and session.query(Appraisal).count() == 4


def test_launching_the_parent_after_a_sub_unit_says_how_many_were_skipped(login, national, org, session):
    client = login("hr")
    _launch(client, national.id, org.bidang.id)
    response = _launch(client, national.id, org.dinas.id)
    page = text_of(client.get(response.location))
    said = " ".join(flashes(page))
    assert "1 penilaian dibuat" in said and "3 pegawai dilewati" in said
    elsewhere = page.split('class="compact elsewhere"', 1)[1].split("</table>", 1)[0]
    assert all(name in elsewhere for name in ("Ani Lestari", "Budi Santoso", "Hendra Wijaya"))


def _eko(session, org, unit=None):
    from engine.models import Employee

    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis SDM Aparatur",
                   unit_id=(unit or org.bidang).id, supervisor_id=org.people["kabid"].id)
    session.add(eko)
    session.commit()
    return eko


def test_hr_adds_a_joiner_from_the_run_page(login, run, session, org):
    eko = _eko(session, org)
    client = login("hr")
    response = client.post(f"/sdm/putaran/{run.id}/pegawai", data={"nip": eko.nip, "alasan": "CPNS formasi 2025"})
    assert response.status_code == 302
    page = text_of(client.get(response.location))
    assert "Penilaian untuk Eko Prasetyo (199901012024011001) dimulai di putaran ini." in flashes(page)
    assert re.search(r'id="jumlah-penilaian">5<', page)
    session.rollback()
    added = session.scalars(select(Appraisal).where(Appraisal.employee_id == eko.id)).one()
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == added.id)).one()
    assert (event.kind, event.payload["reason"], event.actor_name) == ("enrol", "CPNS formasi 2025", "hr")


@pytest.mark.parametrize("who, nip_of, status, message", [
    ("hr", "ani", 409, "sudah punya penilaian"),
    ("hr", "doni", 422, "di luar DINAS"),
    ("hr", "nobody", 404, "Tidak ada pegawai dengan NIP"),
])
def test_adding_a_joiner_is_refused_in_the_readers_language(login, run, session, org, who, nip_of, status, message):
    nip = org.people[nip_of].nip if nip_of in org.people else "000000000000000000"
    response = login(who).post(f"/sdm/putaran/{run.id}/pegawai", data={"nip": nip, "alasan": "SK"})
    assert response.status_code == status and message in text_of(response)
    session.rollback()
    assert session.query(Appraisal).count() == 4


def test_hr_of_another_unit_cannot_change_the_people_of_a_run(login, run, session, org):
    eko = _eko(session, org)
    client = login("hr_lain")
    for action, data in (("pegawai", {"nip": eko.nip, "alasan": "SK"}),
                         ("tutup", {"nip": org.people["ani"].nip, "jenis": "left", "alasan": "SK"})):
        assert client.post(f"/sdm/putaran/{run.id}/{action}", data=data).status_code == 403
    session.rollback()
    assert session.query(Appraisal).count() == 4 and session.query(Appraisal).filter(
        Appraisal.closed_at.is_not(None)).count() == 0


def test_hr_closes_a_leavers_appraisal_and_it_leaves_the_counts(login, run, session, org, appraisal_of):
    client = login("hr")
    no_reason = client.post(f"/sdm/putaran/{run.id}/tutup", data={"nip": org.people["budi"].nip, "alasan": ""})
    assert no_reason.status_code == 422 and "Isi alasannya" in text_of(no_reason)
    response = client.post(f"/sdm/putaran/{run.id}/tutup",
                           data={"nip": org.people["budi"].nip, "jenis": "left", "alasan": "Pensiun, SK 800/1/2026"})
    assert response.status_code == 302
    page = text_of(client.get(response.location))
    assert re.search(r'id="jumlah-penilaian">3<', page)
    closed = page.split('class="compact closed"', 1)[1].split("</table>", 1)[0]
    assert "Budi Santoso" in closed and "keluar" in closed and "Pensiun, SK 800/1/2026" in closed
    assert appraisal_of("budi").closed_kind == "left"
    # The list of runs counts the appraisals that go on, like the run's own page.
    listed = text_of(client.get("/sdm/putaran"))
    assert re.search(rf'<td class="num">3</td>\s*<td><a href="/sdm/putaran/{run.id}"', listed)
    # Budi's own page says so and offers no action.
    budi_page = text_of(login("budi").get(f"/penilaian/{appraisal_of('budi').id}"))
    assert "Penilaian ini sudah ditutup" in budi_page


def test_hr_adds_back_a_leaver_and_the_page_says_their_appraisal_is_reopened(login, run, session, org, appraisal_of):
    client = login("hr")
    closed = client.post(f"/sdm/putaran/{run.id}/tutup",
                         data={"nip": org.people["budi"].nip, "jenis": "left", "alasan": "Cuti di luar tanggungan"})
    assert closed.status_code == 302
    back = client.post(f"/sdm/putaran/{run.id}/pegawai", data={"nip": org.people["budi"].nip, "alasan": "Kembali"})
    assert back.status_code == 302
    page = text_of(client.get(back.location))
    assert any("dibuka kembali dan dilanjutkan dari tahap saat ditutup" in f for f in flashes(page))
    assert re.search(r'id="jumlah-penilaian">4<', page)
    session.rollback()
    assert appraisal_of("budi").closed_at is None and session.query(Appraisal).count() == 4


def test_closing_with_a_kind_the_form_does_not_offer_is_refused_and_nothing_closes(login, run, session, org,
                                                                                      appraisal_of):
    # A forged choice must not be read as "left": how an appraisal was closed decides what it counts as.
    response = login("hr").post(f"/sdm/putaran/{run.id}/tutup",
                                data={"nip": org.people["budi"].nip, "jenis": "dipecat", "alasan": "SK 800/1/2026"})
    assert response.status_code == 422
    assert "Cara menutup «dipecat» tidak dikenal; pilih salah satu: pegawai keluar, pegawai pindah" in text_of(response)
    session.rollback()
    assert appraisal_of("budi").closed_at is None


def test_hr_moves_a_transferee_to_the_new_units_run(login, run, session, org, national, appraisal_of):
    lain = launch(session, national, find_unit(session, "LAIN"), "2026", org.actor("admin"))
    ani = appraisal_of("ani")
    client = login("admin")
    before = client.post(f"/sdm/putaran/{run.id}/mutasi",
                         data={"nip": org.people["ani"].nip, "tujuan": str(lain.id), "alasan": "SK mutasi 821/45"})
    assert before.status_code == 422 and "catat dulu perpindahannya di data organisasi" in text_of(before)
    from engine.models import Employee

    session.get(Employee, org.people["ani"].id).unit_id = org.other.id
    session.commit()
    response = client.post(f"/sdm/putaran/{run.id}/mutasi",
                           data={"nip": org.people["ani"].nip, "tujuan": str(lain.id), "alasan": "SK mutasi 821/45"})
    assert response.status_code == 302
    assert f"dipindahkan ke putaran #{lain.id}" in " ".join(flashes(text_of(client.get(response.location))))
    session.rollback()
    session.expire_all()
    assert session.get(Appraisal, ani.id).closed_kind == "transferred"
    new = session.scalars(select(Appraisal).where(Appraisal.run_id == lain.id,
                                                  Appraisal.employee_id == org.people["ani"].id)).one()
    assert new.state == "plan" and new.closed_at is None
