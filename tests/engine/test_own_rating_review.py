"""The rater never reviews their own rating nor decides the appeal against it, even after the chart changed
so that they became the appraisal's atasan pejabat penilai (a new head was placed between them and the
employee). They may still send the rating back to the rater the chart names now: the appraisal keeps a way
forward."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.appraisals import available_transitions, fire_transition
from engine.errors import Forbidden
from engine.models import Appraisal, AuditEvent
from engine.runs import find_unit, launch
from tests.support.factories import record_chart
from tests.support.messages import said
from tests.support.states import SESUAI, VALUES, drive


@pytest.fixture
def ani_appraisal(session, org, national) -> Appraisal:
    launch(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"))
    return session.scalars(select(Appraisal).where(Appraisal.employee_id == org.people["ani"].id)).one()


def _budi_heads_ani(session, org) -> None:
    """Budi is made the head of Ani's section: Ani reports to Budi, Budi to kabid, who rated Ani."""
    org.people["ani"].supervisor_id = org.people["budi"].id
    session.commit()
    record_chart(session)


def _events(session, appraisal_id: int) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.appraisal_id == appraisal_id))


def test_the_rater_made_reviewer_by_the_chart_cannot_confirm_their_own_rating(session, org, ani_appraisal):
    drive(session, org, ani_appraisal.id, "ani", "review")
    _budi_heads_ani(session, org)
    before, version = _events(session, ani_appraisal.id), session.get(Appraisal, ani_appraisal.id).version
    with pytest.raises(Forbidden) as refused:
        fire_transition(session, ani_appraisal.id, "confirm_rating", org.actor("kabid"))
    words = said(refused.value)
    assert "rating" in words["en"] and "penilaian" in words["id"]
    session.expire_all()
    appraisal = session.get(Appraisal, ani_appraisal.id)
    assert (appraisal.state, appraisal.version, _events(session, ani_appraisal.id)) == ("review", version, before)
    offered = {a.transition.trigger for a in available_transitions(session, appraisal, org.actor("kabid"))}
    assert offered == {"return_rating"}


def test_the_former_rater_may_return_the_rating_to_the_rater_the_chart_names_now(session, org, ani_appraisal):
    drive(session, org, ani_appraisal.id, "ani", "review")
    _budi_heads_ani(session, org)
    fire_transition(session, ani_appraisal.id, "return_rating", org.actor("kabid"), {"komentar": "Dinilai ulang."})
    fire_transition(session, ani_appraisal.id, "rate", org.actor("budi"), {"perilaku": {v: SESUAI for v in VALUES}})
    outcome = fire_transition(session, ani_appraisal.id, "confirm_rating", org.actor("kabid"))
    assert outcome.to_state == "rated"


def test_the_rater_made_reviewer_cannot_decide_the_appeal_against_their_rating(session, org, ani_appraisal):
    drive(session, org, ani_appraisal.id, "ani", "appeal")
    _budi_heads_ani(session, org)
    before = _events(session, ani_appraisal.id)
    with pytest.raises(Forbidden):
        fire_transition(session, ani_appraisal.id, "decide_appeal", org.actor("kabid"),
                        {"keputusan": "tetap", "pertimbangan": "Rating sudah sesuai bukti."})
    session.expire_all()
    assert session.get(Appraisal, ani_appraisal.id).state == "appeal"
    assert _events(session, ani_appraisal.id) == before


def test_the_reviewer_who_did_not_rate_still_confirms(session, org, ani_appraisal):
    drive(session, org, ani_appraisal.id, "ani", "review")
    assert fire_transition(session, ani_appraisal.id, "confirm_rating", org.actor("kadis")).to_state == "rated"
