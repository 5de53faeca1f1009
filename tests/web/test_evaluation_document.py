"""The evaluation document: linked from the appraisal page for the employee, the rater, the reviewer and HR;
every result printed as labelled text (recommended courses by name, JP done against the target as recorded
now), what happens next, and names in any Unicode letters."""

from __future__ import annotations

import re

import pytest

from engine import reports
from engine.appraisals import fire_transition, record_development
from engine.audit import check_head
from tests.support.pdf import pdf_text
from tests.support.states import SESUAI, VALUES, drive


@pytest.mark.parametrize("who", ["ani", "kabid", "kadis", "hr"])
def test_the_appraisal_page_links_the_evaluation_document_for_everyone_who_signs_or_keeps_it(
        who, login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    page = login(who).get(f"/penilaian/{appraisal_id}").get_data(as_text=True)
    link = f'href="/laporan/penilaian/{appraisal_id}.pdf"'
    assert link in page
    response = login(who).get(f"/laporan/penilaian/{appraisal_id}.pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")


def test_recommendations_and_jp_are_labelled_text_not_raw_lists(login, run, session, org, appraisal_of):
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "rate")
    weak = {**{v: SESUAI for v in VALUES}, "kompeten": "Di Bawah Ekspektasi"}
    fire_transition(session, appraisal_id, "rate", org.actor("kabid"), {"perilaku": weak})
    fire_transition(session, appraisal_id, "confirm_rating", org.actor("kadis"))
    fire_transition(session, appraisal_id, "accept_rating", org.actor("ani"))
    record_development(session, appraisal_id, org.actor("ani"), "Coaching dan Mentoring", 16, done=True)
    text = pdf_text(login("kabid").get(f"/laporan/penilaian/{appraisal_id}.pdf").get_data())
    assert "Rekomendasi pengembangan kompetensi:" in text
    assert "Coaching dan Mentoring (20 JP) · untuk Kompeten" in text
    assert "[]" not in text and "{" not in text
    assert "JP selesai: 16 dari target 20 JP" in text
    assert "Coaching dan Mentoring: 16 JP, selesai" in text
    assert "Langkah berikutnya" in text and "Selesaikan siklus" in text


def test_a_name_in_any_unicode_letters_prints_as_written(login, run, session, org, appraisal_of):
    org.people["ani"].name = "Ṣalāḥuddin Nasution Ñoño"
    session.commit()
    text = pdf_text(login("ani").get(f"/laporan/penilaian/{appraisal_of('ani').id}.pdf").get_data())
    assert "Ṣalāḥuddin Nasution Ñoño" in text and "?" not in text.split("NIP", 1)[0]


def test_a_step_taken_while_the_document_is_put_together_makes_the_printout_old(
        login, run, session, org, appraisal_of, fresh_session, monkeypatch):
    """The printout's head vouches for what it shows: a plan approved between reading the appraisal and reading its
    head printed the plan awaiting approval under the approval's head, which the check called current."""
    appraisal_id = appraisal_of("ani").id
    drive(session, org, appraisal_id, "ani", "plan_review")
    original, approved = reports.shown_head, []

    def approved_meanwhile(reader, aid):
        if not approved:
            approved.append(fire_transition(fresh_session(), aid, "approve_plan", org.actor("kabid")))
        return original(reader, aid)

    monkeypatch.setattr(reports, "shown_head", approved_meanwhile)
    text = pdf_text(login("ani").get(f"/laporan/penilaian/{appraisal_id}.pdf").get_data())
    assert approved and approved[0].to_state == "monitor"
    assert "Tahap saat ini Persetujuan SKP" in " ".join(text.split())
    printed = re.search(r"urutan (\d+), hash ([0-9a-f]+)", text)
    assert printed is not None
    found = check_head(fresh_session(), appraisal_id, printed.group(2))
    assert found.found_seq == int(printed.group(1)) and not found.current
