"""Each IKI's achievement shows as soon as a realisation exists, computed by the indicator's rule,
before any rating stores it."""

from __future__ import annotations

from engine.appraisals import fire_transition, record_realisation, set_skp
from tests.support.states import drive


def achievement_cell(page: str, label: str) -> str:
    """The achievement cell of the SKP table's row for the IKI ``label`` (the label is named elsewhere too)."""
    row = next(r for r in (part.split("</tr>", 1)[0] for part in page.split("<tr")[1:])
               if label in r and 'data-label="Capaian"' in r)
    return row.split('data-label="Capaian"', 1)[1]


def test_achievement_appears_after_a_realisation_for_employee_and_rater(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "monitor")
    before = login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    assert "sementara" not in achievement_cell(before, "Berkas terverifikasi")
    record_realisation(session, appraisal_id, org.actor("ani"), "iki_1", 80)
    for viewer in ("ani", "kabid"):
        cell = achievement_cell(login(viewer).get(f"/penilaian/{appraisal_id}").get_data(as_text=True),
                                "Berkas terverifikasi")
        assert "80%" in cell and "sementara, sebelum penilaian" in cell


def test_the_rule_caps_the_live_achievement_as_the_rating_will(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("budi").id
    drive(session, org, appraisal_id, "budi", "monitor", rater="kabid")
    record_realisation(session, appraisal_id, org.actor("budi"), "iki_1", 150)  # the national cycle caps at 120%
    cell = achievement_cell(login("budi").get(f"/penilaian/{appraisal_id}").get_data(as_text=True),
                            "Berkas terverifikasi")
    assert ">120%</span>" in cell and "dibatasi paling tinggi 120%" in cell  # the value and the rule's reason


def test_an_indicator_without_realisation_shows_no_achievement(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    set_skp(session, appraisal_id, org.actor("ani"), [
        {"key": "iki_1", "label": "Berkas terverifikasi", "target": 100, "weight": 50},
        {"key": "iki_2", "label": "Layanan daring", "target": 10, "weight": 50},
    ])
    fire_transition(session, appraisal_id, "submit_plan", org.actor("ani"))
    fire_transition(session, appraisal_id, "approve_plan", org.actor("kabid"))
    record_realisation(session, appraisal_id, org.actor("ani"), "iki_1", 50)
    page = login("ani").get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    assert "50%" in achievement_cell(page, "Berkas terverifikasi")
    assert "sementara" not in achievement_cell(page, "Layanan daring")
