"""A number no rule can read is refused where it is typed, not stored to make the achievement
'not computable' later: a negative or non-finite realisation (annual or in a checkpoint) and a negative
target. A range target written highest first ("100 - 10") is the same span and is kept lowest first.
Nothing is written when refused, and the refusal names the field in both languages."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.audit import verify_chain
from engine.checkpoints.service import record_checkpoint_realisation
from engine.errors import InvalidInput
from engine.models import Appraisal, Indicator, Realisation
from engine.registry import publish_source
from engine.runs import find_unit, launch
from web.messages import error_message

SKP = [{"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 1200, "weight": 100}]
IN_Q1 = datetime(2026, 2, 15, 3, tzinfo=UTC)


def _appraisal(session, fresh_session, org, record) -> int:
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    return fresh_session().scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                             Appraisal.employee_id == org.people["ani"].id))


def _in_monitoring(session, fresh_session, org, record) -> int:
    appraisal_id = _appraisal(session, fresh_session, org, record)
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(fresh_session(), appraisal_id, org.actor("ani"), SKP, now=start)
    fire_transition(fresh_session(), appraisal_id, "submit_plan", org.actor("ani"), now=start)
    fire_transition(fresh_session(), appraisal_id, "approve_plan", org.actor("kabid"), now=start)
    return appraisal_id


def _realisations(fresh_session, appraisal_id: int) -> int:
    return fresh_session().scalar(select(func.count()).select_from(Realisation)
                                  .where(Realisation.appraisal_id == appraisal_id))


@pytest.mark.parametrize("value", [-5, "-0,5", float("nan"), "nan", float("inf"), "1e400"])
def test_a_realisation_below_zero_or_not_finite_is_refused(session, fresh_session, org, national, value):
    appraisal_id = _in_monitoring(session, fresh_session, org, national)
    with pytest.raises(InvalidInput) as refused:
        record_realisation(fresh_session(), appraisal_id, org.actor("ani"), "iki_1", value)
    assert "Realisasi IKI" in error_message(refused.value, "id")
    assert _realisations(fresh_session, appraisal_id) == 0


def test_a_realisation_of_zero_is_kept(session, fresh_session, org, national):
    appraisal_id = _in_monitoring(session, fresh_session, org, national)
    record_realisation(fresh_session(), appraisal_id, org.actor("ani"), "iki_1", 0)
    assert _realisations(fresh_session, appraisal_id) == 1


@pytest.fixture
def quarterly(session, org):
    text = resources.files("workflows").joinpath("permenpan-6-2022-v2.yaml").read_text(encoding="utf-8")
    return publish_source(session, text, "permenpan-6-2022-v2.yaml", org.actor("admin"))


@pytest.mark.parametrize("value", [-1, float("nan"), float("-inf"), "inf", "nan", 1e300])
def test_a_checkpoint_realisation_below_zero_not_finite_or_huge_is_refused(session, fresh_session, org, quarterly,
                                                                          value):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    with pytest.raises(InvalidInput) as refused:
        record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1", "iki_1",
                                      value, now=IN_Q1)
    assert "Realisasi IKI" in error_message(refused.value, "id")
    assert "realisation" in error_message(refused.value, "en")
    assert _realisations(fresh_session, appraisal_id) == 0
    assert verify_chain(fresh_session()).ok


def test_a_checkpoint_realisation_typed_as_text_is_read_as_a_number(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1", "iki_1",
                                  "300", now=IN_Q1)
    assert fresh_session().scalar(select(Realisation.value).where(Realisation.appraisal_id == appraisal_id)) == 300


@pytest.mark.parametrize("target", [-1, "-10", ["-5", 10], [10, -5]])
def test_a_negative_target_is_refused(session, fresh_session, org, national, target):
    appraisal_id = _appraisal(session, fresh_session, org, national)
    item = {**SKP[0], "target": target}
    with pytest.raises(InvalidInput) as refused:
        set_skp(fresh_session(), appraisal_id, org.actor("ani"), [item])
    assert error_message(refused.value, "id") == "Target IKI 1 tidak boleh negatif."
    assert error_message(refused.value, "en") == "IKI 1 target may not be negative."
    assert fresh_session().scalar(select(func.count()).select_from(Indicator)
                                  .where(Indicator.appraisal_id == appraisal_id)) == 0


def test_a_range_written_high_to_low_is_kept_lowest_first_and_a_zero_target_is_refused(session, fresh_session, org,
                                                                                        national):
    """A zero target was kept here; in the national cycle (higher is better) no achievement can be computed from
    it, so the appraisal could never be rated. It is refused when written (test_national_cycle says more)."""
    appraisal_id = _appraisal(session, fresh_session, org, national)
    with pytest.raises(InvalidInput) as refused:
        set_skp(fresh_session(), appraisal_id, org.actor("ani"), [
            {**SKP[0], "target": [100, 80], "weight": 50},
            {"key": "iki_2", "label": "Keluhan", "target": 0, "weight": 50}])
    assert refused.value.msg.code == "skp.target_zero"
    set_skp(fresh_session(), appraisal_id, org.actor("ani"), [
        {**SKP[0], "target": [100, 80], "weight": 50},
        {"key": "iki_2", "label": "Keluhan", "target": 2, "weight": 50}])
    targets = fresh_session().scalars(select(Indicator.target).where(Indicator.appraisal_id == appraisal_id)
                                      .order_by(Indicator.position)).all()
    assert targets == [[80, 100], 2]
