"""A cycle uses a rule shipped by an outside package, registered through the siklus.rules entry point."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from engine.appraisals import fire_transition
from engine.models import Appraisal, Result
from engine.registry import publish_source
from engine.runs import find_unit, launch
from engine.validation import validate_source

CYCLE = Path(__file__).parents[1] / "data" / "cycles" / "pengaduan-plugin.yaml"


def test_the_plugin_cycle_validates():
    assert validate_source(CYCLE.read_text(encoding="utf-8"), str(CYCLE)) == []


def test_a_misspelt_plugin_rule_is_reported_with_a_suggestion():
    text = CYCLE.read_text(encoding="utf-8").replace("rule: complaint_response_time", "rule: complaint_response_tme")
    problems = validate_source(text, "pengaduan.yaml")
    assert len(problems) == 1 and "complaint_response_time" in problems[0].message
    assert problems[0].line == text.splitlines().index("    rule: complaint_response_tme") + 1


def test_the_plugin_rule_scores_an_appraisal(session, org):
    record = publish_source(session, CYCLE.read_text(encoding="utf-8"), CYCLE.name, org.actor("hr"))
    launch(session, record, find_unit(session, "BIDANG"), "2026-03", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    outcome = fire_transition(session, aid, "kirim_laporan", org.actor("ani"), {"jam_tanggapan": [2, 30, 10, 20]})
    assert outcome.results["tanggapan_tepat_waktu"]["value"] == 75.0
    stored = session.scalars(select(Result).where(Result.appraisal_id == aid)).one()
    assert "3 dari 4 pengaduan" in stored.explanation["id"] and "3 of 4 complaints" in stored.explanation["en"]
