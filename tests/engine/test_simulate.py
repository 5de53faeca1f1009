"""``siklus simulate``: a dry run of a cycle through the real engine finds what a cycle author must fix."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from engine.runs import period_timezone
from engine.simulate import PROFILES, example_payload, format_report, simulate
from engine.validation import load_definition, load_definition_file

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "workflows" / "permenpan-6-2022.yaml"
CYCLES = ROOT / "tests" / "data" / "cycles"


def run(path: Path, period: str = "2026"):
    return simulate(path.read_text(encoding="utf-8"), str(path), period=period)


def local_day(moment) -> str:
    return moment.astimezone(period_timezone()).strftime("%Y-%m-%d")


def test_the_national_cycle_is_clean_and_every_state_is_reached():
    report = run(NATIONAL)
    assert report.ok, report.findings
    assert set(report.reached) == set(load_definition_file(NATIONAL).states)
    fired = {trigger for _source, trigger, _role, _dest in report.edges}
    assert fired == {t.trigger for t in load_definition_file(NATIONAL).transitions}


def test_the_national_timeline_follows_the_happy_path_with_its_deadlines():
    timeline = run(NATIONAL).timeline
    assert [e.state for e in timeline] == ["plan", "plan_review", "monitor", "rate", "review", "rated", "develop",
                                           "closed"]
    assert [e.leave_by.trigger for e in timeline[:-1]] == [
        "submit_plan", "approve_plan", "close_monitoring", "rate", "confirm_rating", "accept_rating",
        "complete_development"]
    plan, _review, monitor, *_ = timeline
    assert local_day(plan.entered_at) == "2026-01-02"
    assert (plan.due_at - plan.entered_at).days == 30 and plan.deadline_action == "remind"
    # Monitoring runs to the end of the period, where the deadline closes it.
    assert local_day(monitor.due_at) == "2026-12-31" and monitor.deadline_action == "fire close_monitoring"
    assert local_day(monitor.left_at) == "2026-12-30"
    assert timeline[-1].due_at is None and timeline[-1].leave_by is None


def test_a_guard_no_input_can_satisfy_leaves_a_state_unreached_and_paths_that_never_end():
    report = run(CYCLES / "simulate-guard-never.yaml")
    assert not report.ok
    found = {(f.kind, f.subject) for f in report.findings}
    assert found == {("unreached-state", "selesai"), ("never-ends", "susun"), ("never-ends", "periksa"),
                     ("unfireable-transition", "setujui")}
    unfireable = next(f for f in report.findings if f.kind == "unfireable-transition")
    assert "The SKP needs 99 IKI." in unfireable.message
    assert report.timeline == []


def test_deadlines_that_could_never_be_met_are_named():
    report = run(CYCLES / "simulate-deadlines.yaml")
    deadlines = {f.subject: f.message for f in report.findings if f.kind == "impossible-deadline"}
    assert set(deadlines) == {"nilai", "terbit"}
    assert "falls before the state is entered" in deadlines["nilai"]
    assert "within 14d of entering 'terbit'" in deadlines["terbit"]
    assert {f.kind for f in report.findings} == {"impossible-deadline"}


@pytest.mark.parametrize("profile", PROFILES)
def test_generated_payloads_satisfy_every_national_transition_schema(profile):
    for transition in load_definition_file(NATIONAL).transitions:
        if transition.payload_schema:
            jsonschema.validate(example_payload(transition.payload_schema, profile), transition.payload_schema)


def test_the_text_report_lists_problems_and_the_timeline_in_both_languages():
    clean = format_report(run(NATIONAL), "en")
    assert "No problems found." in clean and "Typical path:" in clean and "close_monitoring (penilai)" in clean
    report = run(CYCLES / "simulate-guard-never.yaml")
    broken = format_report(report, "id")
    assert "Masalah:" in broken and "[unreached-state] tahap «selesai» tidak pernah tercapai" in broken
    assert "never reached" not in broken and "cannot be fired" not in broken
    assert "SKP harus memuat 99 IKI." in broken  # the engine's own refusal, in the report's language
    assert "[unreached-state] state 'selesai' is never reached" in format_report(report, "en")


def test_the_stranded_finding_reads_in_bahasa_indonesia_with_its_fix():
    text = format_report(run(CYCLES / "stranded-in-rate.yaml"), "id")
    assert "[stranded] tahap «nilai» membuat penilaian tertahan bila sebuah IKI tidak mempunyai realisasi" in text
    assert "strands" not in text and "walked as" not in text and "waiting for" not in text


# -- walks with incomplete data ------------------------------------------------------------------

WORKFLOWS = sorted((ROOT / "workflows").glob("*.yaml"))
BROKEN = ROOT / "tests" / "data" / "broken"


def test_a_cycle_without_a_way_back_strands_the_appraisal_in_rating_when_a_realisation_is_missing():
    report = run(CYCLES / "stranded-in-rate.yaml")
    assert not report.ok
    assert [(f.kind, f.subject) for f in report.findings] == [("stranded", "nilai")]
    message = report.findings[0].message
    assert "when an IKI has no realisation (walked as missing-realisation)" in message
    assert ("beri_nilai as penilai: Work-results rating cannot be computed yet; "
            "waiting for: achievements[iki_2]") in message
    assert message.endswith("give a role 'edit: realisation' in 'nilai' or add a transition from 'nilai' back to "
                            "'pantau'")
    # with complete data the same cycle reaches its end: only the incomplete walk shows the dead end
    assert set(report.reached) == {"susun", "pantau", "nilai", "selesai"}


def test_a_required_score_strands_the_appraisal_when_feedback_windows_close_short_of_answers():
    report = run(BROKEN / "stranded_without_feedback_answers.yaml")
    assert report.walked == ["missing-respondents"]
    assert [(f.kind, f.subject) for f in report.findings] == [("stranded", "nilai")]
    assert "fewer answers than it asks for (walked as missing-respondents)" in report.findings[0].message
    assert "list 'nilai' in the states of feedback window 'umpan_balik_rekan'" in report.findings[0].message


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_shipped_cycle_simulates_clean_with_missing_realisations_and_respondents(path):
    report = run(path)
    assert report.ok, report.findings
    defn = load_definition(path.read_text(encoding="utf-8"), path.name)
    if not any("realisation" in kinds for state in defn.states.values() for kinds in state.edit.values()):
        # A cycle without an SKP (the upward review rates behaviour only) has no realisation to miss.
        assert report.walked == ["missing-respondents"]
        return
    assert report.walked == ["missing-realisation", "missing-respondents"]
    assert {"reopen_monitoring", "close_monitoring"} <= {trigger for _s, trigger, _r, _d in report.edges}


def test_the_text_report_names_the_stranded_state():
    text = format_report(run(CYCLES / "stranded-in-rate.yaml"), "en")
    assert "[stranded] state 'nilai' strands an appraisal" in text
