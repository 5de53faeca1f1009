"""``siklus reports check``: the appraisal tally held against a recount from the command line; exit 1 and the
differing key named when they differ, ``--rebuild`` repairs it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from engine.runs import launch
from web.cli import cli


def invoke(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_reports_check_exits_1_on_a_difference_and_rebuild_repairs_it(runner, session, org, national):
    launch(session, national, org.dinas, "2026", org.actor("hr"))
    clean = invoke(runner, "reports", "check")
    assert clean.exit_code == 0 and "agrees" in clean.output
    session.execute(text("UPDATE appraisal_tally SET appraisals = appraisals + 1 WHERE unit_id = :u"),
                    {"u": org.root.id})
    session.commit()
    found = invoke(runner, "reports", "check")
    assert found.exit_code == 1 and f"unit {org.root.id}" in found.output and "tallied 5, counted 4" in found.output
    repaired = invoke(runner, "reports", "check", "--rebuild")
    assert repaired.exit_code == 0 and "rebuilt" in repaired.output
    assert invoke(runner, "reports", "check").exit_code == 0


def test_reports_check_names_an_overdue_count_that_differs_and_rebuild_repairs_it(runner, session, org, national):
    launch(session, national, org.dinas, "2026", org.actor("hr"))
    session.execute(text("UPDATE appraisal SET due_at = :d"), {"d": datetime(2026, 11, 30, 8, 30)})
    session.execute(text("UPDATE overdue_tally SET appraisals = appraisals - 1 WHERE unit_id = :u AND own = 0"),
                    {"u": org.root.id})
    session.commit()
    found = invoke(runner, "reports", "check")
    assert found.exit_code == 1
    assert f"deadlines of unit {org.root.id}" in found.output
    assert "hour 2026-11-30 08 UTC: tallied 3, counted 4" in found.output
    assert invoke(runner, "reports", "check", "--rebuild").exit_code == 0


def test_reports_check_speaks_indonesian_when_asked(runner, session, org, national):
    launch(session, national, org.dinas, "2026", org.actor("hr"))
    assert "sesuai dengan hitungan ulang" in invoke(runner, "reports", "check", "--lang", "id").output


def test_reports_check_has_help(runner):
    shown = invoke(runner, "reports", "check", "--help")
    assert shown.exit_code == 0 and "--rebuild" in shown.output
