"""Every page of the app, opened by every kind of person: a page answers, refuses or sends to the
login, and never fails with a server error. Who may see what is tested in each area's own tests; this
one makes sure no route was left without an answer for some role."""

from __future__ import annotations

import pytest
from flask import Flask

from engine.jobs.export import enqueue_export
from engine.jobs.worker import work_round
from engine.models import CycleDefinitionRecord

PEOPLE = [None, "ani", "budi", "kabid", "kadis", "hr", "hr_lain", "admin", "doni"]
PUBLIC = ("/masuk", "/layanan/", "/healthz", "/favicon.ico", "/api/v1/openapi.json")
ANSWERS = {200, 302, 400, 403, 404, 409, 422}


def get_routes(app: Flask) -> list[str]:
    return sorted(r.rule for r in app.url_map.iter_rules() if r.endpoint != "static" and "GET" in r.methods)


def fill(rule: str, values: dict[str, object]) -> str:
    for name, value in values.items():
        rule = rule.replace(f"<id:{name}>", str(value)).replace(f"<{name}>", str(value))
    assert "<" not in rule, f"no test value for a part of {rule}"
    return rule


def test_every_page_answers_every_kind_of_person_without_a_server_error(app, client, login, org, run, appraisal_of,
                                                                       national: CycleDefinitionRecord, session,
                                                                       tmp_path):
    job = enqueue_export(session, org.actor("hr"), tmp_path, period="2026")  # a finished job with a file
    session.commit()
    work_round(session)
    values = {
        "appraisal_id": appraisal_of("ani").id, "realisation_id": 999999, "window_id": "umpan_balik_penilai",
        "record_id": national.id, "definition_id": national.id, "cycle_id": national.cycle_id, "run_id": run.id,
        "user_id": org.users["ani"].id, "slug": org.dinas.public_slug, "report": "predikat", "fmt": "csv",
        "notification_id": 999999, "decision_id": 999999, "unit_id": org.bidang.id, "entry_id": 999999,
        "job_id": job.id, "activity_id": 999999,
    }
    routes = get_routes(app)
    assert len(routes) >= 40
    seen_ok: set[str] = set()
    for person in PEOPLE:
        if person is None:
            client.post("/keluar")
        else:
            login(person)
        for rule in routes:
            path = fill(rule, values) + ("?period=2026" if rule == "/api/v1/results" else "")
            response = client.get(path)
            assert response.status_code != 500, f"{person} GET {path}: server error"
            if person is None and response.status_code == 302:
                assert "/masuk" in response.headers["Location"], f"anonymous GET {path} went elsewhere"
            if path.startswith("/api/"):
                assert response.status_code in ANSWERS | {401}, f"{person} GET {path}: {response.status_code}"
                if response.status_code >= 400:
                    assert response.mimetype == "application/problem+json", f"{person} GET {path}"
            else:
                assert response.status_code in ANSWERS, f"{person} GET {path}: {response.status_code}"
                if person is None and response.status_code == 200:
                    assert path.startswith(PUBLIC), f"anonymous may open {path}"
            if response.status_code == 200:
                seen_ok.add(rule)
    # Every page opens for somebody (bogus ids excepted: they answer 404 for everyone; the national
    # cycle of this run declares no talent grid, so its grid has nothing to export; /login only leads to /masuk).
    unopened = {r for r in routes if r not in seen_ok and r != "/login"
                and not r.endswith(("<id:realisation_id>", "<id:entry_id>", "<id:decision_id>/penetapan", "/buka",
                                    "<id:activity_id>/sertifikat", "/talenta/<id:run_id>/ekspor.<fmt>",
                                    "/runs/<id:run_id>/talent"))}
    assert unopened == set()


@pytest.mark.parametrize("person", ["ani", "budi", "doni", "hr_lain"])
def test_other_peoples_appraisals_stay_closed(client, login, appraisal_of, person):
    """Only ani herself, her rater and reviewer, and HR of her unit open her appraisal and its PDF."""
    ani = appraisal_of("ani").id
    if person == "ani":
        login(person)
        assert client.get(f"/penilaian/{ani}").status_code == 200
        return
    login(person)
    assert client.get(f"/penilaian/{ani}").status_code == 403
    assert client.get(f"/laporan/penilaian/{ani}.pdf").status_code == 403
