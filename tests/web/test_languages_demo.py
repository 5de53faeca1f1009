"""The agency demo reads in one language too. Gorontalo's demo, seeded as ``siklus demo --agency gorontalo``
seeds it (three closed periods and a running one), is walked on what the national walk has no data for:
the talent grid and its shortlists, the talent group and its explanation on the appraisals, the JP
report, and the notices of every demo login; in Indonesian and in English, with the checks of
test_languages.py (no word of the other language, no raw key where the cycle gives a label)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.demo_agency import AGENCIES, seed_agency
from engine.demo_agency.seed import DEMO_PASSWORD
from engine.models import Appraisal, CycleRun, Employee, Indicator, OrgUnit, Result, User, utcnow
from engine.notifications import dispatch
from engine.registry import definition_of
from tests.web.test_languages import ENGLISH, INDONESIAN, KEPT_TERMS, leaks, raw_keys, visible_text

DEMO = AGENCIES["gorontalo"]
#: The comment the demo's simulated people write on each step.
SIMULATED_NOTE = "Catatan simulasi untuk siklus ini."


@pytest.fixture
def demo(session):
    """The seeded demo, every user reading the other language in their profile, and its notices written."""
    seed_agency(session, DEMO)
    while dispatch(session, now=utcnow() + timedelta(minutes=5), limit=5000).more:
        pass
    return session


def typed_texts(session) -> list[str]:
    """What the organisation holds and people typed, and the talent groups the cycle's formula writes
    (values in the agency's words, shown as written)."""
    texts = list(session.scalars(select(Employee.name))) + list(session.scalars(select(Employee.position)))
    texts += list(session.scalars(select(OrgUnit.name))) + list(session.scalars(select(User.display_name)))
    texts += list(session.scalars(select(Indicator.label))) + list(session.scalars(select(Indicator.rhk)))
    texts += [c.title for c in DEMO.courses] + [DEMO.title]
    texts += [str(v) for v in session.scalars(select(Result.value).where(Result.name == "kelompok_talenta"))]
    texts += [SIMULATED_NOTE]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def cycle_keys(session) -> set[str]:
    record = session.scalars(select(CycleRun)).first().definition
    defn = definition_of(record)
    keys = set(defn.states) | {t.trigger for t in defn.transitions} | set(defn.results) | set(defn.roles)
    keys |= {i.id for i in defn.indicators}
    return {k for k in keys if k and re.search(r"[_\d]", k)}


def walked_paths(session) -> dict[str, list[str]]:
    runs = list(session.scalars(select(CycleRun).order_by(CycleRun.period)))
    defn = definition_of(runs[0].definition)
    shortlists = [s.id for s in defn.talent.shortlists] if defn.talent is not None else []
    hr = ["/", "/notifikasi/", "/sdm/talenta", "/sdm/pelatihan"]
    hr += [f"/sdm/talenta/{run.id}" for run in runs] + [f"/sdm/jp/{run.id}" for run in runs]
    hr += [f"/sdm/talenta/{runs[-2].id}?daftar={s}" for s in shortlists]
    employee = session.scalars(select(Employee.id).where(Employee.nip == DEMO.employee)).one()
    own = [f"/penilaian/{a}" for a in session.scalars(select(Appraisal.id).where(Appraisal.employee_id == employee))]
    staff = [f"/penilaian/{a}" for a in session.scalars(
        select(Appraisal.id).join(Employee, Employee.id == Appraisal.employee_id)
        .join(CycleRun, CycleRun.id == Appraisal.run_id)
        .where(Employee.supervisor_id == select(Employee.id).where(Employee.nip == DEMO.rater).scalar_subquery(),
               CycleRun.period == runs[-2].period))]
    return {"sdm": hr + own[:1], DEMO.employee: ["/", "/notifikasi/", *own],
            DEMO.rater: ["/", "/notifikasi/", *staff], DEMO.reviewer: ["/", "/notifikasi/"]}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_gorontalo_demo_reads_in_one_language_on_talent_reports_appraisals_and_notices(demo, client, lang):
    session = demo
    for user in session.scalars(select(User)):
        user.locale = "en" if lang == "id" else "id"
    session.commit()
    typed, keys = typed_texts(session), cycle_keys(session)
    catalogue = ENGLISH if lang == "id" else INDONESIAN
    found: dict[str, set[str]] = {}
    talent_group_explained = notices_read = 0
    for login, paths in walked_paths(session).items():
        client.post("/keluar")
        client.get("/masuk")  # shows (and so drops) what was flashed before the language was chosen
        assert client.post("/masuk", data={"username": login, "password": DEMO_PASSWORD}).status_code == 302
        with client.session_transaction() as state:
            state["lang"] = lang
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (login, path, response.status_code)
            html = response.get_data(as_text=True)
            assert f'<html lang="{lang}"' in html
            talent_group_explained += ("Kotak talenta " if lang == "id" else "Talent box ") in html
            notices_read += path == "/notifikasi/" and 'class="notice ' in html
            text = visible_text(html)
            for written in typed:
                text = text.replace(written, " ")
            for term in KEPT_TERMS if lang == "en" else ():
                text = re.sub(re.escape(term), " ", text, flags=re.IGNORECASE)
            for leak in leaks(text, catalogue):
                found.setdefault(path, set()).add(f"{login}: …{leak}…")
            for key in raw_keys(text, keys):
                found.setdefault(path, set()).add(f"{login}: raw key in …{key}…")
    assert talent_group_explained and notices_read
    assert found == {}, "\n".join(f"{p}:\n  " + "\n  ".join(sorted(v)[:8]) for p, v in sorted(found.items()))
