"""``siklus audit verify`` at scale: events verified per second, full and incremental, against one pass.

Generates a database of about ``--events`` audit events (appraisals launched on the benchmark cycle,
then ``--per-chain`` transitions fired on each through the engine), then times:

* ``single``: :func:`engine.audit.verify_chain`, one pass in this process, as before;
* ``full``: :func:`engine.audit.verify_all` re-checking every chain with ``--workers`` processes: every
  event re-hashed, every chain replayed against its rows; events per second of wall time, and per
  CPU-second of this process and its workers (the database server's CPU is not counted);
* ``incremental``: the nightly run after a few more transitions, checking only what is new (its time
  only: the chains it confirms are not throughput).

The last line printed is one JSON object; ``full_events_per_s`` and ``full_events_per_cpu_s`` close it.
``load_average_1m`` is the machine's load when the full run started: on a shared machine the wall
figures fall with it.

    python benchmarks/bench_verify.py [--url DATABASE_URL] [--events 50000] [--workers 2] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from engine.appraisals import fire_transition  # noqa: E402
from engine.audit import verify_all, verify_chain  # noqa: E402
from engine.chart import seed_chart  # noqa: E402
from engine.db import make_engine  # noqa: E402
from engine.models import Appraisal, AuditEvent, Base, Employee, OrgUnit  # noqa: E402
from engine.permissions import Actor  # noqa: E402
from engine.registry import publish_source  # noqa: E402
from engine.runs import launch  # noqa: E402

CYCLE = """
id: bench
version: 1
title: {id: Siklus uji verifikasi, en: Verification benchmark cycle}
period: annual
roles:
  pegawai: {resolver: self}
  penilai: {resolver: supervisor}
states:
  draft: {label: Draf, initial: true}
  review: {label: Diperiksa}
  done: {label: Selesai, final: true}
transitions:
  - trigger: submit
    source: draft
    dest: review
    roles: [pegawai]
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


def generate(url: str, events: int, per_chain: int) -> None:
    """Launch ``events / (per_chain + 1)`` appraisals and fire ``per_chain`` transitions on each."""
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    session = sessionmaker(engine, expire_on_commit=False)()
    # Generating is not what is measured: commits need not reach the disk here.
    if engine.dialect.name == "sqlite":
        session.execute(text("PRAGMA synchronous=OFF"))
    else:
        session.execute(text("SET synchronous_commit TO OFF"))
    chains = max(events // (per_chain + 1), 1)
    unit = OrgUnit(code="VERIFY", name="Unit Verifikasi")
    session.add(unit)
    session.flush()
    boss = Employee(nip="197001012000011001", name="Kepala", unit_id=unit.id)
    session.add(boss)
    session.flush()
    session.execute(insert(Employee), [{"nip": str(199_000_000_000_000_000 + i), "name": f"Pegawai {i}",
                                        "position": "Pelaksana", "unit_id": unit.id, "supervisor_id": boss.id,
                                        "active": True} for i in range(chains)])
    seed_chart(session)  # a script setting a database up records the chart it wrote, or verify names it unproven
    session.commit()
    operator = Actor(user_id=None, username="bench", grants=(("admin", None),))
    record = publish_source(session, CYCLE, "bench.yaml", operator)
    run = launch(session, record, unit, "2026", operator)
    rows = list(session.execute(select(Appraisal.id, Appraisal.employee_id)
                                .where(Appraisal.run_id == run.id, Appraisal.employee_id != boss.id)))
    chief = Actor(user_id=None, username="kepala", employee_id=boss.id)
    for step in range(per_chain):
        for aid, eid in rows:
            if step % 2 == 0:
                fire_transition(session, aid, "submit", Actor(user_id=None, username=f"u{eid}", employee_id=eid),
                                {"catatan": f"langkah {step}"})
            else:
                fire_transition(session, aid, "send_back", chief, {"komentar": f"perbaiki langkah {step}"})
            session.expunge_all()
    session.close()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="Database URL (default: a new SQLite file)")
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--per-chain", type=int, default=4, help="transitions fired on each appraisal")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--reuse", action="store_true", help="verify the database at --url as it is")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='siklus-verify-')}/verify.db"
    if not args.reuse:
        started = time.perf_counter()
        generate(url, args.events, args.per_chain)
        print(f"generated in {time.perf_counter() - started:.1f} s: {url}", file=sys.stderr)
    engine = make_engine(url)
    session = sessionmaker(engine)()
    total = session.scalar(select(func.count()).select_from(AuditEvent))
    session.execute(text("UPDATE audit_checkpoint SET verified_seq = NULL, verified_hash = NULL, "
                         "verified_signature = NULL, verified_at = NULL"))
    session.commit()

    started = time.perf_counter()
    single = verify_chain(session)
    single_s = time.perf_counter() - started
    session.close()
    assert single.ok, single.problems

    # A full run: every event re-hashed and every chain replayed (nothing confirmed by a verified head).
    load = os.getloadavg()[0]
    cpu_before = os.times()
    started = time.perf_counter()
    full = verify_all(url, workers=args.workers, full=True, restart=True)
    full_s = time.perf_counter() - started
    cpu_after = os.times()
    assert full.ok, full.problems
    assert full.confirmed == 0 and full.events == total, (full.confirmed, full.events, total)
    # CPU of this process and of the worker processes (reaped when the run ends); not the database server's.
    full_cpu_s = sum(cpu_after[:4]) - sum(cpu_before[:4])

    # The nightly run: a few chains moved since the last one.
    session = sessionmaker(engine)()
    moved = list(session.execute(select(Appraisal.id, Appraisal.state, Appraisal.employee_id)
                                 .where(Appraisal.audit_seq > 0).order_by(Appraisal.id).limit(100)))
    for aid, state, eid in moved:
        if state == "draft":
            fire_transition(session, aid, "submit", Actor(user_id=None, username=f"u{eid}", employee_id=eid))
    session.close()
    started = time.perf_counter()
    nightly = verify_all(url, workers=args.workers)
    nightly_s = time.perf_counter() - started
    assert nightly.ok, nightly.problems
    engine.dispose()

    print(json.dumps({
        "database": engine.dialect.name, "events": total, "chains": full.streams, "workers": args.workers,
        "cores": os.cpu_count(), "load_average_1m": round(load, 1),
        "single_s": round(single_s, 2), "single_events_per_s": round(total / single_s),
        "full_s": round(full_s, 2), "full_cpu_s": round(full_cpu_s, 2),
        "speedup_full": round(single_s / full_s, 1),
        "incremental_s": round(nightly_s, 2), "incremental_rechecked_chains": nightly.rechecked,
        "incremental_confirmed_chains": nightly.confirmed,
        "full_events_per_s": round(total / full_s), "full_events_per_cpu_s": round(total / full_cpu_s),
    }))


if __name__ == "__main__":
    main()
