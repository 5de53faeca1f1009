"""Cross-cutting behaviour of the pages: CSRF, windows, error pages, the English catalog."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import engine.detail.build
import engine.home
from engine.appraisals import fire_transition
from engine.deadlines import tick
from engine.errors import Conflict
from engine.messages import Message
from engine.models import utcnow
from tests.support.states import drive

TRANSLATIONS = Path(__file__).resolve().parents[2] / "web" / "translations" / "en" / "LC_MESSAGES"


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_forms_without_the_csrf_token_are_refused(app, client, logins, password):
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/masuk", data={"username": "ani", "password": password})
    assert refused.status_code == 400
    assert "Formulir sudah kedaluwarsa" in refused.get_data(as_text=True)
    token = _token(client.get("/masuk").get_data(as_text=True))
    accepted = client.post("/masuk", data={"username": "ani", "password": password, "csrf_token": token})
    assert accepted.status_code == 302
    assert client.post("/bahasa", data={"lang": "en", "next": "/"}).status_code == 400
    assert client.post("/keluar").status_code == 400
    home = client.get("/").get_data(as_text=True)
    assert client.post("/keluar", data={"csrf_token": _token(home)}).status_code == 302


def test_an_appeal_shows_when_its_window_closes(login, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "rated")
    page = login("ani").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    form = page.split('id="aksi-appeal"', 1)[1].split("</form>", 1)[0]
    assert "Hanya dapat dilakukan sampai" in form and "hari lagi" in form
    assert "Alasan keberatan" in form and 'minlength="10"' in form


def test_the_appeal_decision_offers_its_choices(login, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "appeal")
    page = login("kadis").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True)
    form = page.split('id="aksi-decide_appeal"', 1)[1].split("</form>", 1)[0]
    assert '<option value="tetap">' in form and '<option value="diubah">' in form
    assert 'name="p-pertimbangan"' in form and 'name="p-rating_hasil_kerja"' in form


def test_a_request_over_the_size_limit_gets_a_page_not_a_traceback(app, login, run, appraisal_of):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    appraisal = appraisal_of("ani")
    response = login("ani").post(f"/penilaian/{appraisal.id}/realisasi", data={"note": "x" * 4096})
    assert response.status_code == 413
    assert "Kiriman ini lebih besar dari 1 KiB sehingga tidak dibaca" in response.get_data(as_text=True)


def test_history_names_the_actor_their_role_and_comment(login, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "plan_review")
    fire_transition(session, appraisal_of("ani").id, "return_plan", org.actor("kabid"), {"komentar": "Lengkapi RHK"})
    history = login("ani").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True).split("Riwayat", 1)[1]
    assert "Kembalikan SKP" in history and "Hendra Wijaya" in history and "Pejabat Penilai Kinerja" in history
    assert "Lengkapi RHK" in history


def test_every_message_has_an_english_translation_compiled():
    with open(TRANSLATIONS / "messages.po", "rb") as f:
        po = read_po(f)
    with open(TRANSLATIONS / "messages.mo", "rb") as f:
        mo = read_mo(f)
    untranslated = [m.id for m in po if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert untranslated == []
    assert _table(po) == _table(mo), "the .mo is not the compiled .po: run pybabel compile -d web/translations"


def _table(catalog: Catalog) -> dict[Any, Any]:
    """msgid -> msgstr, plural forms as tuples (the .po and .mo readers differ there)."""
    def plain(value: Any) -> Any:
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {plain(m.id): plain(m.string) for m in catalog if m.id}


def test_pages_load_nothing_from_outside_and_run_no_script(client):
    response = client.get("/masuk")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    assert "<script" not in page and "http://" not in page and "https://" not in page
    css = client.get("/static/siklus.css").get_data(as_text=True)
    assert "@import" not in css and "url(" not in css


def test_switching_language_after_a_refused_form_returns_to_the_appraisal(login, run, appraisal_of):
    appraisal = appraisal_of("ani")
    client = login("ani")
    refused = client.post(f"/penilaian/{appraisal.id}/aksi/submit_plan", data={"version": appraisal.version})
    assert refused.status_code == 409
    assert f'name="next" value="/penilaian/{appraisal.id}"' in refused.get_data(as_text=True)


def test_an_unexpected_failure_is_a_page_without_a_traceback(app, login, run, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom in the engine")

    client = login("ani")
    monkeypatch.setattr(engine.home, "available_transitions", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Terjadi kesalahan" in page and "boom" not in page and "Traceback" not in page


def test_an_engine_error_outside_a_form_is_a_page_with_its_status(login, run, appraisal_of, monkeypatch):
    def busy(*args: Any, **kwargs: Any) -> None:
        raise Conflict(Message("appraisal.changed"))

    client = login("ani")
    monkeypatch.setattr(engine.detail.build, "available_transitions", busy)
    response = client.get(f"/penilaian/{appraisal_of('ani').id}")
    assert response.status_code == 409
    assert "telah diubah orang lain" in response.get_data(as_text=True)


def test_a_passed_deadline_shows_in_the_history_as_the_system(login, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "plan_review")
    tick(session, now=utcnow() + timedelta(days=8))  # plan_review escalates after 7 days
    history = login("ani").get(f"/penilaian/{appraisal_of('ani').id}").get_data(as_text=True).split("Riwayat", 1)[1]
    assert "Tenggat lewat: diteruskan ke atasan" in history
    assert "Sistem (tenggat)" in history and "menunggu Pejabat Penilai Kinerja" in history
