"""Through the API every target and realisation says who or what supplied it, and a value typed by
someone without authority over it is a 403 problem naming the indicator and its supplier."""

from __future__ import annotations

from datetime import datetime
from importlib import resources

from sqlalchemy import select

from engine.appraisals import fire_transition, set_skp
from engine.models import Appraisal
from engine.public_feedback import submit_public_feedback, survey
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.states import drive

OWN_IKI = [{"key": "iki_1", "label": "Berkas terverifikasi", "target": 100, "weight": 100, "aspect": "kuantitas"},
           {"key": "iki_2", "label": "Laporan tepat waktu", "target": 12, "aspect": "waktu"}]


def test_each_value_names_its_supplier(client, token, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "monitor")
    appraisal = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/realisations", headers=token("ani"),
                           json={"indicator": "iki_1", "value": 87.5, "note": "Triwulan I"})
    assert response.status_code == 201
    iki = response.json["indicators"][0]
    ani = {"user_id": org.users["ani"].id, "name": "Ani Lestari", "role": "pegawai",
           "role_label": {"id": "Pegawai", "en": "Employee"}, "source": None}
    assert {k: iki["target_supplied_by"][k] for k in ani} == ani and iki["target_supplied_by"]["at"]
    assert {k: iki["realisation_supplied_by"][k] for k in ani} == ani
    assert iki["realisations"][0]["supplied_by"] == iki["realisation_supplied_by"]
    # The same person reads the same provenance when the appraisal is fetched again.
    again = client.get(f"/api/v1/appraisals/{appraisal.id}", headers=token("kabid")).json["indicators"][0]
    assert again["realisation_supplied_by"] == iki["realisation_supplied_by"]


def test_a_complaint_count_typed_by_the_employee_is_a_problem_naming_hr(client, token, logins, session):
    source = resources.files("workflows").joinpath("solok.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, "solok.yaml", logins.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", logins.actor("hr"))
    appraisal_id = session.scalars(select(Appraisal.id).where(
        Appraisal.run_id == run.id, Appraisal.employee_id == logins.people["ani"].id)).one()
    set_skp(session, appraisal_id, logins.actor("ani"), [{**OWN_IKI[0], "weight": None}, OWN_IKI[1]])
    fire_transition(session, appraisal_id, "submit_plan", logins.actor("ani"), {})
    fire_transition(session, appraisal_id, "approve_plan", logins.actor("kabid"), {})

    refused = client.post(f"/api/v1/appraisals/{appraisal_id}/realisations", headers=token("ani"),
                          json={"indicator": "pengaduan_masyarakat", "value": 0})
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert (refused.json["indicator"], refused.json["supplied_by"]) == ("pengaduan_masyarakat", ["sdm"])
    assert refused.json["text"]["id"] == (
        "Realisasi «Jumlah pengaduan masyarakat yang terbukti» hanya dapat dicatat oleh Pengelola Kinerja (SDM).")

    recorded = client.post(f"/api/v1/appraisals/{appraisal_id}/realisations", headers=token("hr"),
                           json={"indicator": "pengaduan_masyarakat", "value": 1})
    assert recorded.status_code == 201
    complaints = next(i for i in recorded.json["indicators"] if i["key"] == "pengaduan_masyarakat")
    assert complaints["target_supplied_by"]["source"] == "cycle"
    assert (complaints["realisation_supplied_by"]["role"], complaints["realisation_supplied_by"]["user_id"]) == (
        "sdm", logins.users["hr"].id)


def test_a_value_the_system_feeds_appears_once_as_the_systems(client, token, logins, session):
    year = str(datetime.now().year)  # public answers count within the run's period
    source = resources.files("workflows").joinpath("amplas.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, "amplas.yaml", logins.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), year, logins.actor("hr"))
    appraisal_id = session.scalars(select(Appraisal.id).where(
        Appraisal.run_id == run.id, Appraisal.employee_id == logins.people["ani"].id)).one()
    fire_transition(session, appraisal_id, "submit_plan", logins.actor("ani"), {})
    fire_transition(session, appraisal_id, "approve_plan", logins.actor("kabid"), {})
    # A resident answers the division's survey: every element 4, so the IKM is 100.
    submit_public_feedback(session, "bidang", {k: 4 for k in survey().keys}, "", "warga-1")

    for typist in ("ani", "hr"):  # the employee records realisations now, HR none; neither types the IKM
        refused = client.post(f"/api/v1/appraisals/{appraisal_id}/realisations", headers=token(typist),
                              json={"indicator": "kepuasan_masyarakat", "value": 80})
        assert refused.status_code == 403, typist
    assert refused.json["text"]["id"] == (
        "Pada tahap «Pelaksanaan dan pemantauan» realisasi hanya dapat diubah oleh Pegawai.")
    refused = client.post(f"/api/v1/appraisals/{appraisal_id}/realisations", headers=token("ani"),
                          json={"indicator": "kepuasan_masyarakat", "value": 100})
    assert refused.json["source"] == "unit.ikm" and "tidak seorang pun dapat mengetiknya" in refused.json["text"]["id"]
    shown = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=token("ani")).json
    ikm = next(i for i in shown["indicators"] if i["key"] == "kepuasan_masyarakat")
    assert (ikm["realisation"], ikm["realisations"]) == (100, [])
    assert ikm["realisation_supplied_by"] == {"source": "unit.ikm", "user_id": None, "name": None, "role": None,
                                              "role_label": None, "at": None}
