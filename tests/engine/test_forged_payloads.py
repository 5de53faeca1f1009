"""A payload carries only what the cycle declares: a key no form offers (a ``predikat`` beside the rater's
behaviour ratings, a note on a step that takes none) is refused, and neither the appraisal's data nor its
audit chain keeps it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.errors import InvalidPayload
from engine.models import Appraisal, AuditEvent
from engine.payloads import closed_payload_schema
from engine.runs import find_unit, launch
from tests.support.messages import said
from tests.support.states import drive

SESUAI = "Sesuai Ekspektasi"
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
SKP = [{"key": "iki_1", "rhk": "Layanan KTP-el tepat waktu", "label": "Persentase KTP-el terbit <= 3 hari",
        "aspect": "waktu", "target": 90, "unit": "%", "weight": 100}]


def _at_rate(session, org, national) -> int:
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    a = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                Appraisal.employee_id == org.people["ani"].id)).one()
    set_skp(session, a.id, org.actor("ani"), SKP)
    fire_transition(session, a.id, "submit_plan", org.actor("ani"))
    fire_transition(session, a.id, "approve_plan", org.actor("kabid"))
    record_realisation(session, a.id, org.actor("ani"), "iki_1", 95)
    return a.id


def _events(session, appraisal_id: int) -> int:
    return len(session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == appraisal_id)).all())


def test_a_predicate_typed_beside_the_raters_behaviour_ratings_is_refused(session, fresh_session, org, national):
    appraisal_id = _at_rate(session, org, national)
    fire_transition(session, appraisal_id, "close_monitoring", org.actor("kabid"))
    forged = {"perilaku": {v: SESUAI for v in VALUES}, "predikat": "Sangat Baik"}
    with pytest.raises(InvalidPayload, match="predikat") as refused:
        fire_transition(fresh_session(), appraisal_id, "rate", org.actor("kabid"), forged)
    assert "tidak menerima isian predikat" in said(refused.value)["id"] and "perilaku" in said(refused.value)["id"]
    s = fresh_session()
    a = s.get(Appraisal, appraisal_id)
    assert a.state == "rate" and "penilaian" not in a.data
    # Without the forged key the same rating goes through.
    outcome = fire_transition(fresh_session(), appraisal_id, "rate", org.actor("kabid"),
                              {"perilaku": {v: SESUAI for v in VALUES}})
    assert outcome.to_state == "review"


def test_a_step_that_takes_no_input_refuses_one_and_keeps_none_in_the_audit(session, fresh_session, org, national):
    appraisal_id = _at_rate(session, org, national)
    before = _events(fresh_session(), appraisal_id)
    with pytest.raises(InvalidPayload) as refused:
        fire_transition(fresh_session(), appraisal_id, "close_monitoring", org.actor("kabid"),
                        {"predikat": "Sangat Baik", "x": [[["deep"]]]})
    # Refused as keys the step does not take, each named, not as "check the whole form".
    assert refused.value.msg.code == "payload.unexpected"
    text = said(refused.value)
    assert "predikat" in text["id"] and "x" in text["en"] and "this step has no form" in text["en"], text
    assert _events(fresh_session(), appraisal_id) == before
    assert fresh_session().get(Appraisal, appraisal_id).state == "monitor"


def test_a_schema_that_says_what_else_it_takes_is_left_as_written():
    pattern = {"type": "object", "patternProperties": {"^[a-z]+$": {"type": "string"}}}
    assert closed_payload_schema(pattern) == pattern
    composed = {"type": "object", "properties": {"a": {}}, "anyOf": [{"required": ["a"]}]}
    assert "additionalProperties" not in closed_payload_schema(composed)
    undeclared_required = {"type": "object", "properties": {"a": {}}, "required": ["b"]}
    assert "additionalProperties" not in closed_payload_schema(undeclared_required)
    nested = closed_payload_schema({"properties": {"p": {"properties": {"q": {}}}}})
    assert nested["additionalProperties"] is False and nested["properties"]["p"]["additionalProperties"] is False


def test_a_free_text_without_its_own_limit_is_held_to_a_comments_naming_the_length(session, org, national):
    """An appeal's consideration of 100,000 characters was accepted; the refusal names the limit, not the text."""
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    a = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, a.id, "ani", "appeal")
    with pytest.raises(InvalidPayload) as refused:
        fire_transition(session, a.id, "decide_appeal", org.actor("kadis"),
                        {"keputusan": "tetap", "pertimbangan": "y" * 100_000})
    assert "pertimbangan: is longer than 4000 characters (100000 given)" in str(refused.value)
    assert "yyyy" not in str(refused.value)
    assert closed_payload_schema({"type": "string", "maxLength": 20})["maxLength"] == 20
