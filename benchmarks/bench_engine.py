"""Engine throughput against a bare-SQL baseline, and the launch of 100,000 appraisals.

Durable transitions per second through the engine (role check, guards, state change, audit event,
signed checkpoint, commit) against a baseline doing the same writes by hand (per commit: the UPDATE
of the appraisal, the INSERT of its event and the upsert of its stream's checkpoint, the same
columns with values of the same size), in the same run, on the same database and settings.
The last line printed is one JSON object.

    python benchmarks/bench_engine.py [--url DATABASE_URL] [--transitions 3000] [--launch 100000]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from engine.appraisals import fire_transition  # noqa: E402
from engine.db import make_engine  # noqa: E402
from engine.models import Appraisal, Base, Employee, OrgUnit, User  # noqa: E402
from engine.permissions import Actor  # noqa: E402
from engine.registry import publish_source  # noqa: E402
from engine.runs import launch  # noqa: E402

CYCLE = """
id: bench
version: 1
title: {id: Siklus uji kecepatan, en: Benchmark cycle}
period: annual
roles:
  pegawai: {resolver: self}
  penilai: {resolver: supervisor}
states:
  draft: {label: Draf, initial: true, deadline: {within: 30d, then: remind}}
  review: {label: Diperiksa, deadline: {within: 7d, then: escalate}}
  done: {label: Selesai, final: true}
transitions:
  - trigger: submit
    source: draft
    dest: review
    roles: [pegawai]
    guards:
      - expr: days_in_state >= 0
    payload:
      type: object
      properties: {catatan: {type: string}}
  - trigger: send_back
    source: review
    dest: draft
    roles: [penilai]
    payload:
      type: object
      required: [komentar]
      properties: {komentar: {type: string, minLength: 3}}
  - trigger: finish
    source: review
    dest: done
    roles: [penilai]
"""


def rss_mb() -> float:
    """Current resident memory (Linux /proc), in MiB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def build_org(session, employees: int) -> tuple[OrgUnit, list[int]]:
    unit = OrgUnit(code="BENCH", name="Unit Uji")
    session.add(unit)
    session.flush()
    boss = Employee(nip="197001012000011001", name="Kepala", unit_id=unit.id)
    session.add(boss)
    session.flush()
    rows = [{"nip": f"{199000000000000000 + i}", "name": f"Pegawai {i}", "position": "Pelaksana", "unit_id": unit.id,
             "supervisor_id": boss.id, "active": True} for i in range(employees)]
    for start in range(0, len(rows), 20000):
        session.execute(insert(Employee), rows[start:start + 20000])
    session.commit()
    ids = list(session.scalars(select(Employee.id).where(Employee.supervisor_id == boss.id).order_by(Employee.id)))
    return unit, [boss.id, *ids]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="Database URL (default: a new SQLite file, WAL, synchronous=FULL)")
    parser.add_argument("--transitions", type=int, default=3000)
    parser.add_argument("--appraisals", type=int, default=1000, help="appraisals the transitions rotate over")
    parser.add_argument("--launch", type=int, default=100_000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="siklus-bench-")
    url = args.url or f"sqlite:///{tmp}/bench.db"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    print(f"database: {engine.url.render_as_string(hide_password=True)}", file=sys.stderr)

    unit, ids = build_org(session, args.appraisals * 2)
    boss_id = ids[0]
    users = [{"username": f"u{eid}", "display_name": "", "password_hash": "", "employee_id": eid, "is_active": True}
             for eid in ids]
    session.execute(insert(User), users)
    session.commit()
    operator = Actor(user_id=None, username="bench", grants=(("admin", None),))
    record = publish_source(session, CYCLE, "bench.yaml", operator)
    run = launch(session, record, unit, "2026", operator)
    appraisals = list(session.execute(
        select(Appraisal.id, Appraisal.employee_id).where(Appraisal.run_id == run.id, Appraisal.employee_id != boss_id)
        .order_by(Appraisal.id)))
    # The first half is driven by the engine, the second half by the baseline's hand-written SQL.
    appraisals, baseline_rows = appraisals[:args.appraisals], appraisals[args.appraisals:]
    boss = Actor(user_id=None, username="kepala", employee_id=boss_id)
    actors = {eid: Actor(user_id=None, username=f"u{eid}", employee_id=eid) for _, eid in appraisals}

    # Engine (submit by the employee, send back by the supervisor, round-robin over the appraisals)
    # and the baseline (the same writes by hand: UPDATE, INSERT, checkpoint upsert per commit) run in
    # alternating blocks on the same engine and settings, so load from elsewhere hits both alike.
    raw = engine.raw_connection()
    cur = raw.cursor()
    sqlite = url.startswith("sqlite")
    placeholder = "?" if sqlite else "%s"
    # The baseline writes the same columns with values of the same size as the engine's UPDATE and
    # INSERT (JSON as text, times as the driver takes them), so both touch the same indexes and pages.
    update_sql = (f"UPDATE appraisal SET state = {placeholder}, version = version + 1, entered_at = {placeholder}, "
                  f"state_entries = {placeholder}, due_at = {placeholder}, overdue_handled_at = NULL, "
                  f"data = {placeholder}, audit_seq = audit_seq + 1, audit_head = {placeholder}, "
                  f"updated_at = {placeholder} WHERE id = {placeholder}")
    insert_sql = ("INSERT INTO audit_event (stream, seq, occurred_at, kind, actor_user_id, actor_name, role, "
                  "appraisal_id, employee_id, unit_id, trigger, from_state, to_state, payload, results, prev_hash, "
                  "hash) VALUES ("
                  + ", ".join([placeholder] * 17) + ")")
    # The checkpoint every transition moves (engine.audit.writer): one row per stream, replaced.
    checkpoint_sql = ("INSERT INTO audit_checkpoint (stream, appraisal_id, seq, hash, key_id, signature, updated_at) "
                      f"VALUES ({', '.join([placeholder] * 7)}) ON CONFLICT (stream) DO UPDATE SET "
                      "appraisal_id = excluded.appraisal_id, seq = excluded.seq, hash = excluded.hash, "
                      "key_id = excluded.key_id, signature = excluded.signature, updated_at = excluded.updated_at")
    baseline_employees = dict(baseline_rows)
    base_seq = {aid: 0 for aid, _ in baseline_rows}
    base_head = {aid: "" for aid, _ in baseline_rows}
    gc.collect()
    rss_before = rss_mb()
    n = args.transitions
    blocks = 10
    engine_s = baseline_s = 0.0
    done = 0
    for _block in range(blocks):
        size = n // blocks
        started = time.perf_counter()
        for i in range(done, done + size):
            aid, eid = appraisals[i % len(appraisals)]
            if (i // len(appraisals)) % 2 == 0:
                fire_transition(session, aid, "submit", actors[eid], {"catatan": "siap"})
            else:
                fire_transition(session, aid, "send_back", boss, {"komentar": "perbaiki"})
            session.expunge_all()
        engine_s += time.perf_counter() - started
        started = time.perf_counter()
        for i in range(done, done + size):
            aid, _ = baseline_rows[i % len(baseline_rows)]
            forward = (i // len(baseline_rows)) % 2 == 0
            dest, source = ("review", "draft") if forward else ("draft", "review")
            moment = datetime.now(UTC)
            due = moment + timedelta(days=7 if forward else 30)
            at, due_at = (t.strftime("%Y-%m-%d %H:%M:%S.%f") for t in (moment, due)) if sqlite else (moment, due)
            seq = base_seq[aid] = base_seq[aid] + 1
            digest = hashlib.sha256(f"{aid}:{seq}".encode()).hexdigest()
            entries = json.dumps({"draft": moment.isoformat(), "review": moment.isoformat()})
            cur.execute(update_sql, (dest, at, entries, due_at, "{}", digest, at, aid))
            cur.execute(insert_sql, (f"baseline:{aid}", seq, at, "transition", None, "u0", "pegawai", aid,
                                     baseline_employees[aid], unit.id, "submit" if forward else "send_back",
                                     source, dest,
                                     '{"catatan": "siap"}' if forward else '{"komentar": "perbaiki"}', "{}",
                                     base_head[aid], digest))
            cur.execute(checkpoint_sql, (f"baseline:{aid}", aid, seq, digest, "k1", digest, at))
            base_head[aid] = digest
            raw.commit()
        baseline_s += time.perf_counter() - started
        done += size
    rss_after = rss_mb()
    engine_tps = done / engine_s
    baseline_tps = done / baseline_s
    cur.close()
    raw.close()

    # Launch of many appraisals: a second unit of --launch employees.
    session.close()
    session = factory()
    big = OrgUnit(code="BESAR", name="Unit Besar")
    session.add(big)
    session.flush()
    rows = [{"nip": f"{200000000000000000 + i}", "name": f"Pegawai {i}", "position": "Pelaksana", "unit_id": big.id,
             "active": True} for i in range(args.launch)]
    for start in range(0, len(rows), 20000):
        session.execute(insert(Employee), rows[start:start + 20000])
    session.commit()
    del rows
    gc.collect()
    rss_pre_launch = rss_mb()
    started = time.perf_counter()
    launch(session, record, big, "2026", operator)
    launch_s = time.perf_counter() - started
    launched = session.scalar(text("SELECT count(*) FROM appraisal WHERE run_id = (SELECT max(id) FROM cycle_run)"))
    rss_post_launch = rss_mb()
    session.close()
    engine.dispose()

    summary = {
        "database": engine.dialect.name,
        "transitions": done,
        "engine_tps": round(engine_tps, 1),
        "baseline_tps": round(baseline_tps, 1),
        "ratio": round(engine_tps / baseline_tps, 3),
        "launch_appraisals": launched,
        "launch_100k_s": round(launch_s * 100_000 / max(launched, 1), 2),
        "launch_s": round(launch_s, 2),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_growth_mb_firing": round(rss_after - rss_before, 1),
        "rss_growth_mb_launch": round(rss_post_launch - rss_pre_launch, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
