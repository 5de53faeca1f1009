"""Every refusal a person can cause reads in one language: on an Indonesian page the engine's refusal is
Bahasa Indonesia, on an English page English, and neither names a state, step, role or indicator by its
key where the cycle gives it a label. The API's problem documents carry the same refusal as ``code``,
``params`` and ``text`` in both languages (``detail`` stays English, for scripts and logs).

Each case causes one refusal through the screens or the API (a step the person may not take, a step in
the wrong state, a missing confirmation, a number that is none, a stale page, a bulk action without a
selection, an unknown public link, a job that is not there, an appeal decision that contradicts itself,
a nomination the cycle does not take...), in ``id`` and in ``en``, and reads the page with the word
catalogues of the language walk (tests/web/test_languages.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from engine.models import utcnow
from engine.tokens import create_token
from tests.support.states import drive
from tests.web.test_languages import (
    ENGLISH,
    INDONESIAN,
    KEPT_TERMS,
    cycle_keys,
    leaks,
    raw_keys,
    typed_texts,
    visible_text,
)

CATALOGUE = {"id": ENGLISH, "en": INDONESIAN}  # the words that must not appear in each language


@dataclass(frozen=True)
class Refused:
    """What a case produced: the response and the person who caused it."""

    status: int
    body: str
    json: Any = None


@dataclass(frozen=True)
class Case:
    """One refusal: how to cause it, the status it answers, and a fragment of what it says in each language."""

    cause: Callable[..., Refused]
    status: int
    says: dict[str, str]


def _as(login, person: str, lang: str):
    client = login(person)
    with client.session_transaction() as state:
        state["lang"] = lang
        state.pop("_flashes", None)  # what signing in flashed, before the language was chosen
    return client


def _page(response) -> Refused:
    return Refused(response.status_code, response.get_data(as_text=True))


def forbidden_step(login, session, org, appraisal_of, lang):
    """The employee tries to approve their own plan: only the rater may."""
    ani = appraisal_of("ani")
    drive(session, org, ani.id, "ani", "plan_review")
    ani = appraisal_of("ani")
    return _page(_as(login, "ani", lang).post(f"/penilaian/{ani.id}/aksi/approve_plan",
                                              data={"version": ani.version}))


def wrong_state(login, session, org, appraisal_of, lang):
    """The rater tries to close monitoring while the plan is still being written."""
    ani = appraisal_of("ani")
    return _page(_as(login, "kabid", lang).post(f"/penilaian/{ani.id}/aksi/close_monitoring",
                                                data={"version": ani.version}))


def stale_page(login, session, org, appraisal_of, lang):
    """The employee submits from a page opened before someone else changed the appraisal."""
    ani = appraisal_of("ani")
    drive(session, org, ani.id, "ani", "plan")
    return _page(_as(login, "ani", lang).post(f"/penilaian/{ani.id}/aksi/submit_plan",
                                              data={"version": max(1, appraisal_of("ani").version - 1)}))


def not_a_number(login, session, org, appraisal_of, lang):
    """A realisation typed in words."""
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    ani = appraisal_of("ani")
    return _page(_as(login, "ani", lang).post(f"/penilaian/{ani.id}/realisasi", data={
        "indicator": "iki_1", "value": "delapan puluh", "note": "", "version": str(ani.version)}))


def unconfirmed_bulk(login, session, org, appraisal_of, lang):
    """Closing the cycle for two appraisals without ticking that it cannot be taken back."""
    chosen = []
    for person in ("ani", "budi"):
        drive(session, org, appraisal_of(person).id, person, "develop")
        chosen.append(f"{appraisal_of(person).id}:{appraisal_of(person).version}")
    return _page(_as(login, "kabid", lang).post("/penilaian/massal",
                                                data={"aksi": "complete_development", "pilih": chosen}))


def empty_bulk(login, session, org, appraisal_of, lang):
    """A bulk action with nothing selected."""
    drive(session, org, appraisal_of("ani").id, "ani", "plan_review")
    return _page(_as(login, "kabid", lang).post("/penilaian/massal", data={"aksi": "approve_plan", "jalankan": "1"}))


def contradicting_appeal(login, session, org, appraisal_of, lang):
    """The reviewer 'changes' the rating of an appeal without setting a different rating."""
    drive(session, org, appraisal_of("ani").id, "ani", "appeal")
    ani = appraisal_of("ani")
    return _page(_as(login, "kadis", lang).post(f"/penilaian/{ani.id}/aksi/decide_appeal", data={
        "version": ani.version, "p-keputusan": "diubah", "p-pertimbangan": "Rating sudah sesuai bukti.",
        "konfirmasi": "1"}))


def unconfirmed_step(login, session, org, appraisal_of, lang):
    """The reviewer decides an appeal (final) without ticking that it cannot be taken back."""
    drive(session, org, appraisal_of("ani").id, "ani", "appeal")
    ani = appraisal_of("ani")
    return _page(_as(login, "kadis", lang).post(f"/penilaian/{ani.id}/aksi/decide_appeal", data={
        "version": ani.version, "p-keputusan": "tetap", "p-pertimbangan": "Rating sudah sesuai bukti."}))


def nomination_not_taken(login, session, org, appraisal_of, lang):
    """The employee proposes a respondent where the cycle takes no nominated respondents."""
    ani = appraisal_of("ani")
    return _page(_as(login, "ani", lang).post(f"/penilaian/{ani.id}/responden",
                                              data={"peran": "rekan", "nip": org.people["budi"].nip}))


def unknown_public_link(login, session, org, appraisal_of, lang):
    """A survey link no service unit has."""
    client = login("ani")
    client.post("/keluar")
    with client.session_transaction() as state:
        state["lang"] = lang
        state.pop("_flashes", None)
    return _page(client.get("/layanan/xq-0000"))


def missing_job(login, session, org, appraisal_of, lang):
    """A job page that is not there."""
    return _page(_as(login, "hr", lang).get("/pekerjaan/999999"))


def _api(session, org, person: str) -> dict[str, str]:
    token = create_token(session, org.actor(person), org.users[person], f"refusals {person} {utcnow():%H%M%S%f}")
    return {"Authorization": f"Bearer {token.secret}", "Accept-Language": "id"}


def api_wrong_state(login, session, org, appraisal_of, lang):
    """Through the API: a step fired in a state it does not leave from."""
    ani = appraisal_of("ani")
    client = login("ani")
    client.post("/keluar")
    body = {"trigger": "confirm_rating", "payload": {}, "version": ani.version}
    response = client.post(f"/api/v1/appraisals/{ani.id}/transitions", headers=_api(session, org, "kadis"), json=body)
    return Refused(response.status_code, response.get_data(as_text=True), response.get_json())


def api_forbidden(login, session, org, appraisal_of, lang):
    """Through the API: the employee fires the rater's step."""
    ani = appraisal_of("ani")
    drive(session, org, ani.id, "ani", "plan_review")
    ani = appraisal_of("ani")
    client = login("ani")
    client.post("/keluar")
    body = {"trigger": "approve_plan", "payload": {}, "version": ani.version}
    response = client.post(f"/api/v1/appraisals/{ani.id}/transitions", headers=_api(session, org, "ani"), json=body)
    return Refused(response.status_code, response.get_data(as_text=True), response.get_json())


def api_no_token(login, session, org, appraisal_of, lang):
    """Through the API without a token."""
    client = login("ani")
    client.post("/keluar")
    response = client.get("/api/v1/appraisals")
    return Refused(response.status_code, response.get_data(as_text=True), response.get_json())


def api_bad_parameter(login, session, org, appraisal_of, lang):
    """Through the API: a page size that is no number."""
    client = login("ani")
    client.post("/keluar")
    response = client.get("/api/v1/appraisals?limit=banyak", headers=_api(session, org, "hr"))
    return Refused(response.status_code, response.get_data(as_text=True), response.get_json())


CASES = {
    "forbidden step": Case(forbidden_step, 403, {
        "id": "yang dapat melakukan «Setujui SKP»", "en": "may fire 'Approve the SKP'"}),
    "wrong state": Case(wrong_state, 409, {"id": "tidak dapat dilakukan pada tahap", "en": "cannot be done in"}),
    "stale page": Case(stale_page, 409, {"id": "telah diubah orang lain", "en": "Someone else changed"}),
    "not a number": Case(not_a_number, 422, {"id": "Nilai realisasi harus berupa angka",
                                             "en": "The realisation must be a number"}),
    "unconfirmed step": Case(unconfirmed_step, 422, {"id": "tidak dapat dibatalkan", "en": "cannot be taken back"}),
    "unconfirmed bulk": Case(unconfirmed_bulk, 400, {"id": "tidak dapat dibatalkan", "en": "cannot be taken back"}),
    "empty bulk": Case(empty_bulk, 400, {"id": "Pilih paling sedikit satu penilaian",
                                         "en": "Select at least one appraisal"}),
    "contradicting appeal": Case(contradicting_appeal, 409, {"id": "Belum dapat dilakukan", "en": "Not possible yet"}),
    "nomination not taken": Case(nomination_not_taken, 409, {"id": "tidak menerima usulan responden",
                                                             "en": "takes no nominated respondents"}),
    "unknown public link": Case(unknown_public_link, 404, {"id": "Tidak ada unit layanan dengan tautan",
                                                           "en": "No service unit has the public link"}),
    "missing job": Case(missing_job, 404, {"id": "Pekerjaan #999999 tidak ada", "en": "There is no job #999999"}),
}

API_CASES = {
    "wrong state": Case(api_wrong_state, 409, {"id": "tidak dapat dilakukan pada tahap", "en": "cannot be done in"}),
    "forbidden step": Case(api_forbidden, 403, {"id": "yang dapat melakukan «Setujui SKP»",
                                                "en": "may fire 'Approve the SKP'"}),
    "no token": Case(api_no_token, 401, {"id": "Masuk dahulu", "en": "Sign in"}),
    "bad parameter": Case(api_bad_parameter, 400, {"id": "harus bilangan bulat", "en": "must be a whole number"}),
}


def _clean(text: str, org, lang: str) -> str:
    for written in typed_texts(org):
        text = text.replace(written, " ")
    for term in KEPT_TERMS if lang == "en" else ():
        text = re.sub(re.escape(term), " ", text, flags=re.IGNORECASE)
    return text


def _speaking(session, org, lang: str) -> None:
    """Everyone reads in ``lang``: in-app notices are written in the recipient's language when sent."""
    for user in org.users.values():
        user.locale = lang
    session.commit()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refusal_on_a_screen_reads_in_the_pages_language_with_labels(login, session, org, run, appraisal_of,
                                                                       name, lang):
    case = CASES[name]
    _speaking(session, org, lang)
    refused = case.cause(login, session, org, appraisal_of, lang)
    assert refused.status == case.status, visible_text(refused.body)[:2500]
    assert f'<html lang="{lang}"' in refused.body
    text = _clean(visible_text(refused.body), org, lang)
    assert case.says[lang] in text, f"{name} ({lang}): the refusal is not on the page:\n{text[:3000]}"
    found = leaks(text, CATALOGUE[lang])
    assert found == [], f"{name}: the other language on a {lang} page: {found}"
    assert raw_keys(text, cycle_keys()) == [], f"{name}: a key of the cycle where a label exists"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", sorted(API_CASES))
def test_a_refusal_of_the_api_carries_its_code_and_text_in_each_language(login, session, org, run, appraisal_of,
                                                                         name, lang):
    case = API_CASES[name]
    _speaking(session, org, lang)
    refused = case.cause(login, session, org, appraisal_of, lang)
    assert refused.status == case.status, refused.body
    problem = refused.json
    assert problem["code"] and isinstance(problem["params"], dict), problem
    text = _clean(problem["text"][lang], org, lang)
    assert case.says[lang] in text, problem
    assert leaks(text, CATALOGUE[lang]) == [], f"{name}: the other language in text.{lang}: {text}"
    assert raw_keys(text, cycle_keys()) == [], f"{name}: a key of the cycle in text.{lang}: {text}"


def test_the_cases_cover_every_kind_of_refusal_a_person_meets():
    statuses = {c.status for c in [*CASES.values(), *API_CASES.values()]}
    assert {400, 401, 403, 404, 409, 422} <= statuses
