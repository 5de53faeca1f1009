"""The input paths ``feedback.WINDOW.scores``, ``feedback.WINDOW.scores_with_public`` and
``history.results.NAME``: what a rule receives from them, and what the validator accepts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.facts import Facts
from engine.models import (
    Appraisal,
    CycleDefinitionRecord,
    CycleRun,
    FeedbackResponse,
    Result,
    utcnow,
)
from engine.registry import definition_of, publish_source
from engine.runs import launch
from engine.validation import validate_source
from rules.numbers import round_half_up
from tests.support.factories import Org

CYCLE = """
id: uji-jalur
version: 1
title: {id: Uji jalur masukan, en: Input path test}
period: annual
roles:
  pegawai: {resolver: self}
  penilai: {resolver: supervisor}
  atasan_penilai: {resolver: supervisor_of_supervisor}
  rekan: {resolver: peers}
results:
  nilai:
    label: Nilai
    rule: expression
    params: {expr: "x", inputs: [x]}
    inputs: {x: data.nilai.angka}
  skor_360:
    label: Skor 360
    rule: feedback_360
    params:
      roles:
        supervisor: {weight: 50, anonymous: false}
        peers: {weight: 30, min_respondents: 3}
        public: {weight: 20}
    inputs: {responses: feedback.umpan.scores_with_public}
  tren:
    label: Tren
    rule: trend
    inputs: {series: history.results.nilai}
  jawaban_rekan:
    label: Jawaban rekan
    rule: expression
    params: {expr: "x", inputs: [x]}
    inputs: {x: feedback.umpan.rekan}
states:
  pantau: {label: Pemantauan, initial: true}
  selesai: {label: Selesai, final: true}
transitions:
  - trigger: nilai
    source: pantau
    dest: selesai
    roles: [penilai]
    save_as: nilai
feedback:
  - id: umpan
    roles: [penilai, rekan, atasan_penilai]
    states: [pantau]
    questions: berakhlak
"""


def _publish(session: Session, org: Org, source: str = CYCLE) -> CycleDefinitionRecord:
    return publish_source(session, source, "uji-jalur.yaml", org.actor("admin"))


def _appraisal(session: Session, run: CycleRun, org: Org, who: str) -> Appraisal:
    return session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                   Appraisal.employee_id == org.people[who].id)).one()


def _facts(session: Session, appraisal: Appraisal) -> Facts:
    return Facts(session, definition_of(appraisal.definition), appraisal, utcnow(), data=dict(appraisal.data or {}))


def _answer(session: Session, appraisal: Appraisal, role: str, respondent: str, values: list[int]) -> None:
    keys = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
    session.add(FeedbackResponse(appraisal_id=appraisal.id, window="umpan", role=role, respondent_key=respondent,
                                 answers=dict(zip(keys, values, strict=True))))


def _public(session: Session, unit_id: int, answers: list[int], when: datetime, window: str = "ikm") -> None:
    session.add(FeedbackResponse(unit_id=unit_id, appraisal_id=None, window=window, role="masyarakat",
                                 respondent_key=f"warga-{len(answers)}-{when.isoformat()}",
                                 answers={f"U{i}": a for i, a in enumerate(answers, start=1)}, created_at=when))


# -- feedback.WINDOW.scores -------------------------------------------------------------------


def test_scores_give_one_mean_per_respondent_under_the_rule_roles(session: Session, org: Org) -> None:
    run = launch(session, _publish(session, org), org.dinas, "2025", org.actor("hr"))
    ani, budi = _appraisal(session, run, org, "ani"), _appraisal(session, run, org, "budi")
    _answer(session, ani, "penilai", "kabid", [4, 4, 4, 4, 4, 4, 3])      # 27 ÷ 7
    _answer(session, ani, "rekan", "budi", [2, 2, 2, 2, 2, 2, 2])         # replaced by the next answer
    _answer(session, ani, "rekan", "budi", [3, 3, 3, 3, 3, 3, 3])
    _answer(session, ani, "atasan_penilai", "kadis", [1, 2, 3, 4, 1, 2, 3])  # 16 ÷ 7
    _answer(session, budi, "rekan", "ani", [1, 1, 1, 1, 1, 1, 1])         # about budi, not ani
    session.commit()

    scores = _facts(session, ani).resolve("feedback.umpan.scores")
    # penilai (supervisor) -> supervisor, rekan (peers) -> peers, atasan_penilai -> its resolver's name.
    assert scores == [
        {"role": "supervisor", "score": Decimal(27) / Decimal(7)},
        {"role": "peers", "score": Decimal(3)},
        {"role": "supervisor_of_supervisor", "score": Decimal(16) / Decimal(7)},
    ]
    # The grouped answers stay reachable by cycle role.
    assert _facts(session, ani).resolve("feedback.umpan.rekan") == [{k: 2 for k in _keys()}, {k: 3 for k in _keys()}]


def _keys() -> list[str]:
    return ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]


def test_scores_with_public_add_the_units_ikm_answers_of_the_period(session: Session, org: Org) -> None:
    run = launch(session, _publish(session, org), org.dinas, "2025", org.actor("hr"))
    ani = _appraisal(session, run, org, "ani")
    unit = org.people["ani"].unit_id
    _answer(session, ani, "penilai", "kabid", [4] * 7)
    june = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)
    _public(session, unit, [4] * 9, june)                           # mean 4
    _public(session, unit, [3] * 8 + [4], june)                     # mean 28 ÷ 9
    _public(session, unit, [4] * 8, june)                           # incomplete: not a respondent
    _public(session, unit, [1] * 9, datetime(2024, 6, 1, tzinfo=UTC))  # before the period
    _public(session, org.other.id, [1] * 9, june)                  # another unit
    session.commit()

    facts = _facts(session, ani)
    assert facts.resolve("feedback.umpan.scores") == [{"role": "supervisor", "score": Decimal(4)}]
    scores = facts.resolve("feedback.umpan.scores_with_public")
    assert scores == [{"role": "supervisor", "score": Decimal(4)}, {"role": "public", "score": Decimal(4)},
                      {"role": "public", "score": Decimal(28) / Decimal(9)}]
    # The public's mean is the unit's IKM ÷ 25: (4 + 28/9) ÷ 2 = 32/9; × 25 = 88,89 (rounded as the IKM is).
    public = [s["score"] for s in scores if s["role"] == "public"]
    assert Fraction(sum(public) / 2).limit_denominator(1000) == Fraction(32, 9)
    assert round_half_up(sum(public) / 2 * 25, 2) == Decimal(str(facts.resolve("unit.ikm"))) == Decimal("88.89")

    # The cycle's result: 4 × 50% + (no peers: renormalised) 3,56 × 20%, over 70: (200 + 71,11) ÷ 70 = 3,87.
    computed = facts.compute("skor_360")
    assert computed.value == 3.87
    assert "masyarakat 2" in computed.explanation["id"]


def test_no_answers_give_an_empty_list_and_the_score_waits(session: Session, org: Org) -> None:
    run = launch(session, _publish(session, org), org.dinas, "2025", org.actor("hr"))
    facts = _facts(session, _appraisal(session, run, org, "ani"))
    assert facts.resolve("feedback.umpan.scores") == []
    computed = facts.compute("skor_360")
    assert computed.value is None and computed.missing == ["responses"]


# -- history.results.NAME ---------------------------------------------------------------------


def test_history_lists_earlier_runs_of_the_same_cycle_oldest_first_then_this_run(session: Session, org: Org) -> None:
    record = _publish(session, org)
    other = _publish(session, org, CYCLE.replace("id: uji-jalur", "id: uji-lain"))
    # Launched out of order: the series follows the period, not the launch.
    later = launch(session, record, org.dinas, "2025", org.actor("hr"))
    earliest = launch(session, record, org.dinas, "2023", org.actor("hr"))
    middle = launch(session, record, org.dinas, "2024", org.actor("hr"))
    elsewhere = launch(session, other, org.dinas, "2022", org.actor("hr"))
    future = launch(session, record, org.dinas, "2026", org.actor("hr"))
    for run, value in ((earliest, 70), (middle, None), (elsewhere, 10), (future, 99)):
        session.add(Result(appraisal_id=_appraisal(session, run, org, "ani").id, name="nilai", value=value))
    session.add(Result(appraisal_id=_appraisal(session, middle, org, "budi").id, name="nilai", value=55))
    session.commit()

    facts = _facts(session, _appraisal(session, later, org, "ani"))
    # 2024 has no value, 2022 is another cycle, 2026 is later, budi is someone else; 2025 is not computed yet.
    assert facts.resolve("history.results.nilai") == [{"period": "2023", "value": 70},
                                                      {"period": "2025", "value": None}]
    assert facts.compute("tren").missing == ["series[2025]"]

    # Once this run has its value, the series ends with it and the trend is given.
    facts.data = {"nilai": {"angka": 85}}
    facts.compute("nilai")
    assert facts.resolve("history.results.nilai") == [{"period": "2023", "value": 70}, {"period": "2025", "value": 85}]
    trend = facts.compute("tren")
    assert (trend.value, trend.details["slope"]) == ("naik", 15.0)  # 85 − 70 over two periods


def test_a_first_run_has_only_itself(session: Session, org: Org) -> None:
    run = launch(session, _publish(session, org), org.dinas, "2025", org.actor("hr"))
    facts = _facts(session, _appraisal(session, run, org, "ani"))
    assert facts.resolve("history.results.nilai") == [{"period": "2025", "value": None}]
    assert facts.resolve("history.results") is None
    assert facts.resolve("history.hasil.nilai") is None


# -- the validator ------------------------------------------------------------------------------


def test_the_new_paths_validate() -> None:
    assert validate_source(CYCLE, "uji-jalur.yaml") == []


@pytest.mark.parametrize("path, message", [
    ("feedback.umpan.score", ("unknown part 'score' of feedback window 'umpan' (did you mean 'scores'?); use scores, "
                              "scores_with_public or one of its roles (penilai, rekan, atasan_penilai)")),
    ("feedback.umpan.scores_with_publik", ("unknown part 'scores_with_publik' of feedback window 'umpan' "
                                           "(did you mean 'scores_with_public'?)")),
    ("feedback.umpn.scores", "unknown feedback window 'umpn' (did you mean 'umpan'?)"),
    ("histori.results.nilai", "unknown input path root 'histori' in 'histori.results.nilai' (did you mean 'history'?)"),
    ("history.result.nilai", "unknown part 'result' in 'history.result.nilai' (did you mean 'results'?)"),
    ("history.results.nilia", "unknown result 'nilia' (did you mean 'nilai'?)"),
    ("history.results.nilai.0", "input path 'history.results.nilai.0' must be history.results.NAME"),
    ("history", "input path 'history' must be history.results.NAME"),
])
def test_a_misspelt_path_is_named_with_a_suggestion(path: str, message: str) -> None:
    source = CYCLE.replace("inputs: {series: history.results.nilai}", f"inputs: {{series: {path}}}")
    problems = validate_source(source, "uji-jalur.yaml")
    line = source.splitlines().index(f"    inputs: {{series: {path}}}") + 1
    assert [(p.line, p.message[:len(message)]) for p in problems] == [(line, message)]
