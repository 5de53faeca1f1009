"""``siklus migrate-appraisals`` given arguments that name nothing or say a thing twice: one line, exit 1, and
nothing moved, a dry run included."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import Appraisal, CycleDefinitionRecord, CycleRun
from engine.permissions import Actor
from engine.registry import publish_source
from tests.test_cli import NATIONAL, invoke


@pytest.fixture
def two_versions(runner, app, session, org):
    assert invoke(runner, "publish", str(NATIONAL)).exit_code == 0
    assert invoke(runner, "launch", "permenpan-6-2022", "--unit", "DINAS", "--period", "2026").exit_code == 0
    publish_source(session, NATIONAL.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1), "v2.yaml",
                   Actor.system(), dead_ends=False)
    other = NATIONAL.read_text(encoding="utf-8").replace("id: permenpan-6-2022", "id: lain-2026", 1)
    publish_source(session, other, "lain.yaml", Actor.system())
    assert invoke(runner, "launch", "lain-2026", "--unit", "BIDANG", "--period", "2027").exit_code == 0
    return session.scalar(select(CycleRun.id).where(CycleRun.cycle_id == "lain-2026"))


def _versions(session) -> set[int]:
    session.expire_all()
    return set(session.scalars(select(CycleDefinitionRecord.version).join(
        Appraisal, Appraisal.definition_id == CycleDefinitionRecord.id)
        .where(CycleDefinitionRecord.cycle_id == "permenpan-6-2022")))


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize(("args", "said"), [
    # A run that does not exist, or is another cycle's, moved nothing and said 'moved 0', exit 0.
    (("--run", "999999"), "error: no run #999999"),
    (("--run", "OTHER"), "is a run of lain-2026, not of permenpan-6-2022"),
    # An unknown --as was named only after the plan was printed and 'Migrating' began; a dry run never asked.
    (("--as", "ghost"), "error: no user 'ghost'"),
    # A state mapped twice: the last one won without a word.
    (("--map", "plan=monitor", "--map", "plan=rate"), "error: --map names the state 'plan' twice"),
    (("--map", "plan=\x1b[2J" + "y" * 3000), "not in version 2: \\x1b[2J" + "y" * 36 + "…"),
])
def test_an_argument_that_names_nothing_is_refused_and_nothing_moves(runner, session, two_versions, args, said,
                                                                     dry_run):
    args = tuple(str(two_versions) if a == "OTHER" else a for a in args)
    result = invoke(runner, "migrate-appraisals", "permenpan-6-2022", "--from", "1", "--to", "2", *args,
                    *(("--dry-run",) if dry_run else ()))
    assert result.exit_code == 1, result.output
    assert said in result.output and "Traceback" not in result.output and len(result.output) < 400
    assert "Migrating" not in result.output and "plan -> plan" not in result.output
    assert _versions(session) == {1}


def test_the_same_arguments_done_right_move_the_run(runner, session, two_versions):
    run = session.scalar(select(CycleRun.id).where(CycleRun.cycle_id == "permenpan-6-2022"))
    moved = invoke(runner, "migrate-appraisals", "permenpan-6-2022", "--from", "1", "--to", "2", "--run", str(run),
                   "--as", "hr")
    assert moved.exit_code == 0 and "moved 4 appraisal(s) from v1 to v2" in moved.output
    assert _versions(session) == {2}
