"""What the tally triggers cost a transition: the same engine transitions with the triggers on and off.

Reports, a run's progress and calibration read counts that triggers in the database keep in step with
every write (engine/tally_sql.py). Their cost is paid inside each transition's transaction, and
``bench_engine.py`` cannot show it: its bare-SQL baseline writes the same tables and so pays the same
triggers. This benchmark fires the same transitions through the engine on two equal sets of appraisals,
each in a unit four levels deep (so each change moves the counts of five units per side), in
alternating blocks: one with every tally trigger in place, one with them dropped. The overhead is the
median of the blocks' time ratios, so load from elsewhere on a shared machine hits both sides alike; the
first transition of each block is not timed (it pays for the schema just changed).

Two kinds are measured: the benchmark cycle's cheap ``submit`` / ``send_back`` (an appraisal's state
changes: its state counts move) and the national cycle's ``rate`` (results computed: the predicate and
the missed-IKI counts move too). The last line printed is one JSON object.

    python benchmarks/bench_tally.py [--url DATABASE_URL] [--transitions 2000] [--national 300]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import CYCLE, RATING, ROOT, actor, add_people, bring_to_rate  # noqa: E402
from sqlalchemy import Engine, select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from engine.appraisals import fire_transition  # noqa: E402
from engine.db import make_engine  # noqa: E402
from engine.models import Appraisal, Base, OrgUnit  # noqa: E402
from engine.overdue_sql import ALL_TRIGGERS  # noqa: E402
from engine.permissions import Actor  # noqa: E402
from engine.registry import publish_source  # noqa: E402
from engine.runs import launch  # noqa: E402
from engine.tally_sql import create_triggers, drop_triggers  # noqa: E402

BLOCKS = 20
DEPTH = 4


class Triggers:
    """Switches every tally trigger off and on again (DDL, committed at once)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def _run(self, statements: list[str]) -> None:
        with self.engine.begin() as conn:
            for sql in statements:
                conn.exec_driver_sql(sql)

    def off(self) -> None:
        self._run(drop_triggers(self.dialect, ALL_TRIGGERS))

    def on(self) -> None:
        self._run(create_triggers(self.dialect, ALL_TRIGGERS))


def nested_units(session: Session, code: str) -> int:
    """The id of a unit :data:`DEPTH` - 1 levels below a root of its own, for a unit of staff under it (so a
    change is counted at five units)."""
    parent: int | None = None
    for level in range(DEPTH):
        unit = OrgUnit(code=f"{code}{level}", name=f"Unit {code} {level}", parent_id=parent)
        session.add(unit)
        session.flush()
        parent = unit.id
    assert parent is not None
    return parent


def _timed(step: Callable[[int], None], steps: range) -> float:
    """Seconds for ``steps`` but the first: the first of a block pays for the schema just changed (each
    side's statements are prepared again, PostgreSQL compiles the new trigger functions), which a
    running server pays once, not once per block."""
    step(steps[0])
    began = time.perf_counter()
    for i in steps[1:]:
        step(i)
    return time.perf_counter() - began


def alternate(triggers: Triggers, with_step: Callable[[int], None], without_step: Callable[[int], None],
              n: int) -> dict[str, float]:
    """``n`` steps of each side in alternating blocks; seconds per side and the median block ratio."""
    size = max(n // BLOCKS, 2)
    on_s = off_s = 0.0
    ratios: list[float] = []
    done = 0
    for start in range(0, n - 1, size):
        steps = range(start, min(start + size, n))
        if len(steps) < 2:
            break
        on_block = _timed(with_step, steps)
        triggers.off()
        off_block = _timed(without_step, steps)
        triggers.on()
        on_s, off_s = on_s + on_block, off_s + off_block
        ratios.append(on_block / off_block)
        done += len(steps) - 1
    return {"transitions": done, "with_ms": round(1000 * on_s / done, 3), "without_ms": round(1000 * off_s / done, 3),
            "with_tps": round(done / on_s, 1), "without_tps": round(done / off_s, 1),
            "overhead_ratio": round(statistics.median(ratios), 3)}


def cheap(session: Session, triggers: Triggers, operator: Actor, n: int, count: int) -> dict[str, float]:
    """The benchmark cycle's submit / send_back, round-robin over ``count`` appraisals per side."""
    record = publish_source(session, CYCLE, "bench.yaml", operator)
    sides = []
    for code, base in (("TA", 197_000_000_000_000_000), ("TB", 196_000_000_000_000_000)):
        unit, (boss,), ids = add_people(session, code, 1, count, base, nested_units(session, code))
        run = launch(session, record, unit, "2026", operator)
        rows = list(session.scalars(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                               Appraisal.employee_id.in_(ids)).order_by(Appraisal.id)))
        sides.append((rows, ids, actor(boss)))

    def step(side: int) -> Callable[[int], None]:
        rows, ids, boss = sides[side]

        def fire(i: int) -> None:
            aid = rows[i % count]
            if (i // count) % 2 == 0:
                fire_transition(session, aid, "submit", actor(ids[i % count]), {"catatan": "siap"})
            else:
                fire_transition(session, aid, "send_back", boss, {"komentar": "perbaiki"})
            session.expunge_all()
        return fire

    return alternate(triggers, step(0), step(1), n)


def rate(session: Session, triggers: Triggers, operator: Actor, count: int) -> dict[str, float]:
    """The national cycle's ``rate`` on ``count`` appraisals per side, each brought to ``rate`` first."""
    source = (ROOT / "workflows" / "permenpan-6-2022.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, "permenpan-6-2022.yaml", operator)
    sides = []
    for code, base in (("NA", 195_000_000_000_000_000), ("NB", 194_000_000_000_000_000)):
        unit, (_kadis, kabid), ids = add_people(session, code, 2, count, base, nested_units(session, code))
        run = launch(session, record, unit, "2026", operator)
        rows = list(session.execute(select(Appraisal.id, Appraisal.employee_id).where(
            Appraisal.run_id == run.id, Appraisal.employee_id.in_(ids)).order_by(Appraisal.id)))
        rater = actor(kabid)
        # One IKI under its target: the missed-IKI counts move when the appraisal is rated.
        bring_to_rate(session, rows, rater, iki_1=80)
        sides.append(([aid for aid, _ in rows], rater))

    def step(side: int) -> Callable[[int], None]:
        rows, rater = sides[side]

        def fire(i: int) -> None:
            fire_transition(session, rows[i], "rate", rater, RATING)
            session.expunge_all()
        return fire

    return alternate(triggers, step(0), step(1), count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="Database URL (default: a new SQLite file, WAL, synchronous=FULL)")
    parser.add_argument("--transitions", type=int, default=2000, help="benchmark-cycle transitions per side")
    parser.add_argument("--appraisals", type=int, default=500, help="appraisals per side the transitions rotate over")
    parser.add_argument("--national", type=int, default=300, help="national appraisals rated per side (0: skip)")
    args = parser.parse_args()

    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='siklus-bench-')}/tally.db"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    print(f"database: {engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
    session = sessionmaker(engine, expire_on_commit=False)()
    operator = Actor(user_id=None, username="bench", grants=(("admin", None),))
    triggers = Triggers(engine)
    summary: dict[str, Any] = {"database": engine.dialect.name, "unit_depth": DEPTH}
    summary.update({f"cycle_{k}": v for k, v in cheap(session, triggers, operator, args.transitions,
                                                      args.appraisals).items()})
    if args.national:
        summary.update({f"rate_{k}": v for k, v in rate(session, triggers, operator, args.national).items()})
    session.close()
    engine.dispose()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
