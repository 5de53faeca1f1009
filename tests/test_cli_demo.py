"""``siklus demo [--agency NAME]``: a populated organisation for every shipped cycle, with appraisals in
every state a dry run can reach and demo logins that land on something to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.access import hr_scope, waiting_for
from engine.appraisals import available_transitions
from engine.audit import verify_chain
from engine.demo import available_cycles, seed_demo
from engine.models import Appraisal, AuditEvent, Employee, Indicator, OrgUnit, User
from engine.nominations import nominations_of
from engine.permissions import Actor
from engine.policy import Policy
from engine.registry import definition_of
from engine.simulate import simulate
from tests.support.histories import dated_backwards
from web.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CYCLES = sorted(p.stem for p in (ROOT / "workflows").glob("*.yaml"))


def actor(session: Session, username: str) -> Actor:
    return Actor.of(session.scalars(select(User).where(User.username == username)).one())


def test_every_shipped_cycle_can_be_demoed():
    assert set(available_cycles()) == set(CYCLES)


@pytest.mark.parametrize("cycle", CYCLES)
def test_each_demo_reaches_every_state_and_gives_each_login_something_to_do(memory_session, cycle):
    """One demo seeded per shipped cycle (the seeding is what costs), read twice: the states it reaches, and what
    each demo login finds to do."""
    seed_demo(memory_session, employees=80, agency=None if cycle == "permenpan-6-2022" else cycle, period="2026")
    _puts_appraisals_in_every_reachable_state(memory_session, cycle)
    _each_login_lands_on_something_to_do(memory_session, cycle)
    _each_history_reads_in_order(memory_session)


def _puts_appraisals_in_every_reachable_state(memory_session: Session, cycle: str) -> None:
    record = memory_session.scalars(select(Appraisal)).first().definition
    defn = definition_of(record)
    source = (ROOT / "workflows" / f"{cycle}.yaml").read_text(encoding="utf-8")
    reachable = set(simulate(source, cycle, period="2026").reached)
    states = dict(memory_session.execute(select(Appraisal.state, func.count()).group_by(Appraisal.state)).all())
    assert set(states) == reachable, f"{defn.id}: states without appraisals: {reachable - set(states)}"
    # Real employees with 18-digit NIPs, each driven by the real people around them.
    nips = memory_session.scalars(select(Employee.nip)).all()
    assert len(nips) >= 70 and all(len(n) == 18 and n.isdigit() for n in nips)


def _each_history_reads_in_order(memory_session: Session) -> None:
    """An appraisal's history begins with its creation (it was dated today, above the steps the demo dates back
    weeks) and each step after it is dated no earlier than the one before (a feedback window's answers were
    dated today, a checkpoint's entries before the state's edits recorded ahead of them); the log verifies."""
    created = memory_session.scalar(select(func.count()).select_from(AuditEvent)
                                    .where(AuditEvent.appraisal_id.is_not(None), AuditEvent.seq == 1))
    assert created > 50
    backwards = dated_backwards(memory_session)
    assert backwards == [], backwards[:5]
    report = verify_chain(memory_session)
    assert report.ok, report.problems[:5]


def _each_login_lands_on_something_to_do(memory_session: Session, cycle: str) -> None:
    pegawai = actor(memory_session, "pegawai")
    policy = Policy(memory_session, pegawai)
    mine = memory_session.scalars(select(Appraisal).where(Appraisal.employee_id == pegawai.employee_id)).one()
    defn = definition_of(mine.definition)
    can_edit = any(policy.can_edit(defn, mine, kind) for kind in ("skp", "realisation", "development"))
    # In an upward review the leader's own step is proposing the peers who will rate them.
    may_nominate = nominations_of(memory_session, pegawai, mine.id).may_propose
    assert can_edit or available_transitions(memory_session, mine, pegawai, policy) or may_nominate
    for username in ("penilai", "atasan"):
        waiting, _more = waiting_for(memory_session, actor(memory_session, username))
        assert waiting, f"{username} has nothing waiting in the {cycle} demo"
    # HR of the whole government: every unit is in scope.
    scope = hr_scope(memory_session, actor(memory_session, "sdm"))
    assert set(scope.unit_ids) == set(memory_session.scalars(select(OrgUnit.id)))


def test_demo_from_the_command_line_prints_logins_and_does_not_reseed(runner):
    first = runner.invoke(cli, ["demo", "--employees", "30", "--if-empty"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "pegawai" in first.output and "siklus" in first.output
    again = runner.invoke(cli, ["demo", "--employees", "30", "--if-empty"], catch_exceptions=False)
    assert again.exit_code == 0 and "demo not loaded" in again.output


def test_an_unknown_agency_lists_the_available_ones(runner):
    result = runner.invoke(cli, ["demo", "--agency", "atlantis"])
    assert result.exit_code == 1
    assert "no agency cycle 'atlantis'" in result.output and "permenpan-6-2022" in result.output


def test_simulate_exit_codes(runner, tmp_path):
    clean = runner.invoke(cli, ["simulate", str(ROOT / "workflows" / "permenpan-6-2022.yaml"), "--period", "2026"])
    assert clean.exit_code == 0, clean.output
    assert "Tidak ada masalah." in clean.output and "Alur umum:" in clean.output
    problem = runner.invoke(cli, ["simulate", str(ROOT / "tests" / "data" / "cycles" / "simulate-guard-never.yaml"),
                                  "--lang", "en", "--json"])
    assert problem.exit_code == 1 and '"kind": "unreached-state"' in problem.output
    broken = tmp_path / "rusak.yaml"
    broken.write_text("id: rusak\nversion: 1\n")
    invalid = runner.invoke(cli, ["simulate", str(broken)])
    assert invalid.exit_code == 2 and f"{broken}:" in invalid.output and "Traceback" not in invalid.output
    assert "is missing" not in invalid.output  # the problems read in the report's language, Indonesian
    english = runner.invoke(cli, ["simulate", str(broken), "--lang", "en"])
    assert english.exit_code == 2 and "the cycle is missing 'period'" in english.output


def test_simulate_and_graph_speak_the_language_the_operator_chose_for_the_cli(runner, tmp_path):
    """``siklus --lang en`` (or SIKLUS_LANG=en) is heard by simulate and graph too: their own --lang defaulted
    to Indonesian and overrode it, so an English operator read the problems of a broken cycle in Indonesian."""
    broken = tmp_path / "rusak.yaml"
    broken.write_text("id: rusak\nversion: 1\n")
    for command in ("simulate", "graph"):
        english = runner.invoke(cli, ["--lang", "en", command, str(broken)])
        assert english.exit_code != 0 and "the cycle is missing 'period'" in english.output, (command, english.output)
        indonesian = runner.invoke(cli, ["--lang", "en", command, str(broken), "--lang", "id"])
        assert "is missing" not in indonesian.output and f"{broken}:" in indonesian.output
    drawn = runner.invoke(cli, ["--lang", "en", "graph", str(ROOT / "workflows" / "amplas.yaml")])
    assert "Amplas ASN performance cycle" in drawn.output


def test_the_demo_employee_starts_by_drafting_an_skp_that_their_supervisor_will_approve(memory_session):
    logins = dict(seed_demo(memory_session, employees=80, period="2026"))
    pegawai = actor(memory_session, "pegawai")
    mine = memory_session.scalars(select(Appraisal).where(Appraisal.employee_id == pegawai.employee_id)).one()
    assert mine.state == "plan"
    assert not memory_session.scalars(select(Indicator).where(Indicator.appraisal_id == mine.id)).all()  # to draft
    policy = Policy(memory_session, pegawai)
    assert policy.can_edit(definition_of(mine.definition), mine, "skp")
    waiting, _more = waiting_for(memory_session, actor(memory_session, "penilai"))
    assert any(w.appraisal.state == "plan_review" for w in waiting)  # the supervisor approves plans already
    # Every employee logs in with their NIP: the demo prints one such login.
    nip = next(name for name in logins if name.isdigit())
    assert len(nip) == 18 and "NIP" in logins[nip]
    assert memory_session.scalars(select(User).where(User.username == nip)).one().employee_id is not None
