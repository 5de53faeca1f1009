"""A step that does not exist is refused by name, with the steps that do; what was typed is repeated back only in
part, so a forged id of thousands of characters does not fill the refusal (or the page and the log that show it)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition
from engine.errors import UnknownTrigger
from engine.models import Appraisal
from engine.runs import find_unit, launch
from tests.support.messages import said


def _ani(session, org, national) -> int:
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return session.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                     Appraisal.employee_id == org.people["ani"].id))


def test_a_near_miss_is_refused_with_the_step_it_resembles(session, org, national):
    with pytest.raises(UnknownTrigger, match="did you mean 'submit_plan'") as refused:
        fire_transition(session, _ani(session, org, national), "submit_pln", org.actor("ani"))
    assert "«submit_pln»" in said(refused.value)["id"] and "Ajukan SKP" in said(refused.value)["id"]


def test_a_step_id_of_thousands_of_characters_is_repeated_back_only_in_part(session, org, national):
    with pytest.raises(UnknownTrigger) as refused:
        fire_transition(session, _ani(session, org, national), "a" * 5000, org.actor("ani"))
    for text in (str(refused.value), *said(refused.value).values()):
        assert "a" * 64 + "…" in text and "a" * 65 not in text
    assert "Ajukan SKP" in said(refused.value)["id"]  # the steps that can be taken, by their labels


def test_a_value_nobody_records_in_this_stage_is_refused_naming_the_stages_that_record_it(session, org, national):
    """A realisation at the planning stage: nobody may record one there, so the refusal says where it is recorded
    (it said the value "may only be changed by nobody")."""
    from engine.appraisals import record_realisation, set_skp
    from engine.errors import Forbidden
    from tests.support.states import SKP

    aid = _ani(session, org, national)
    set_skp(session, aid, org.actor("ani"), SKP)
    with pytest.raises(Forbidden) as refused:
        record_realisation(session, aid, org.actor("ani"), SKP[0]["key"], 10)
    text = said(refused.value)
    assert "siapa pun" in text["id"] and "Pemantauan" in text["id"], text
    assert "nobody can change" in text["en"] and "tidak seorang pun" not in text["id"], text
