"""Engine throughput against a fair bare-SQL baseline, and the launch of 100,000 appraisals.

Durable transitions per second through the engine (role check, guards, results, state change, audit
event, signed checkpoint, commit) against a baseline doing the same work by hand on the driver, in
the same run, on the same database and settings (SQLite WAL with synchronous=FULL; PostgreSQL as
configured, fsync on for honest figures). Per commit the baseline:

* reads what the transition reads: the appraisal joined with its employee, supervisor and
  definition (``SELECT ... FOR UPDATE`` on PostgreSQL), and for the national cycle the SKP's IKI,
  their latest realisations and the stored results;
* checks the version it read, computes the event's content hash (HMAC-SHA256 of its canonical JSON)
  and the checkpoint's signature;
* writes the UPDATE of the appraisal (only from the version read), the INSERT of its event, the
  upsert of its stream's checkpoint and an upsert per result, with values of the same size.

Three transitions are measured, each as alternating blocks of engine and baseline so load from
elsewhere hits both alike: the benchmark cycle's cheap ``submit``/``send_back`` and the national
cycle's (workflows/permenpan-6-2022.yaml) ``rate`` (seven BerAKHLAK values in, the work-results and
behaviour ratings and the predicate computed) and ``confirm_rating`` (the final predicate computed).
The last line printed is one JSON object.

    python benchmarks/bench_engine.py [--url DATABASE_URL] [--transitions 3000] [--national 600] [--launch 100000]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import hmac
import json
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from engine.appraisals import fire_transition, record_realisation, set_skp  # noqa: E402
from engine.db import make_engine  # noqa: E402
from engine.keys import keyring  # noqa: E402
from engine.models import Appraisal, Base, Employee, OrgUnit, User  # noqa: E402
from engine.permissions import Actor  # noqa: E402
from engine.registry import publish_source  # noqa: E402
from engine.runs import launch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
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
SKP = [
    {"key": "iki_1", "rhk": "Layanan KTP-el tepat waktu", "label": "Persentase KTP-el terbit <= 3 hari",
     "aspect": "waktu", "target": 90, "unit": "%", "weight": 60},
    {"key": "iki_2", "rhk": "Layanan KTP-el tepat waktu", "label": "Jumlah berkas terverifikasi",
     "aspect": "kuantitas", "target": 1200, "unit": "berkas", "weight": 40},
]
BERAKHLAK = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
RATING = {"perilaku": {v: "Sesuai Ekspektasi" for v in BERAKHLAK} | {"berorientasi_pelayanan": "Di Atas Ekspektasi"},
          "catatan": "Kinerja baik sepanjang tahun"}
BLOCKS = 20


def rss_mb() -> float:
    """Current resident memory (Linux /proc), in MiB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def add_people(session: Session, code: str, levels: int, staff: int,
               nip_base: int, parent_id: int | None = None) -> tuple[OrgUnit, list[int], list[int]]:
    """A unit (under ``parent_id``) with a chain of ``levels`` heads (each the supervisor of the next) and
    ``staff`` employees under the last; returns the unit, the heads' ids (top first) and the staff's ids.
    Each has a login."""
    unit = OrgUnit(code=code, name=f"Unit {code}", parent_id=parent_id)
    session.add(unit)
    session.flush()
    heads: list[int] = []
    for level in range(levels):
        head = Employee(nip=str(nip_base + 900_000 + level), name=f"Kepala {code} {level}", unit_id=unit.id,
                        supervisor_id=heads[-1] if heads else None)
        session.add(head)
        session.flush()
        heads.append(head.id)
    rows = [{"nip": str(nip_base + i), "name": f"Pegawai {i}", "position": "Pelaksana", "unit_id": unit.id,
             "supervisor_id": heads[-1], "active": True} for i in range(staff)]
    for start in range(0, len(rows), 20000):
        session.execute(insert(Employee), rows[start:start + 20000])
    ids = list(session.scalars(select(Employee.id).where(Employee.supervisor_id == heads[-1]).order_by(Employee.id)))
    session.execute(insert(User), [{"username": f"u{eid}", "display_name": "", "password_hash": "", "employee_id": eid,
                                    "is_active": True} for eid in [*heads, *ids]])
    session.commit()
    return unit, heads, ids


def actor(employee_id: int) -> Actor:
    return Actor(user_id=None, username=f"u{employee_id}", employee_id=employee_id)


class Baseline:
    """The same transition written by hand on the driver: same reads, version check, content hash, writes."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.cur = raw.cursor()
        self.sqlite = dialect == "sqlite"
        p = "?" if self.sqlite else "%s"
        self.key_id = keyring().current_audit_key_id
        self.key = keyring().audit_key
        lock = "" if self.sqlite else " FOR UPDATE OF a"
        self.read_sql = (
            "SELECT a.id, a.run_id, a.definition_id, d.content_hash, a.state, a.version, a.entered_at, "
            "a.state_entries, a.data, a.audit_seq, a.audit_head, e.id, e.nip, e.name, e.position, "
            "e.position_level, e.unit_id, e.supervisor_id, boss.supervisor_id, a.closed_at "
            "FROM appraisal a JOIN employee e ON e.id = a.employee_id JOIN cycle_definition d ON d.id = "
            f"a.definition_id LEFT OUTER JOIN employee boss ON boss.id = e.supervisor_id WHERE a.id = {p}{lock}")
        self.indicators_sql = f"SELECT * FROM indicator WHERE appraisal_id = {p} ORDER BY id"
        self.realisations_sql = (
            "SELECT r.indicator_key, r.value FROM realisation r JOIN (SELECT indicator_key, max(id) AS last "
            f"FROM realisation WHERE appraisal_id = {p} GROUP BY indicator_key) l ON l.last = r.id")
        self.results_sql = f"SELECT name, value FROM result WHERE appraisal_id = {p}"
        self.update_sql = (f"UPDATE appraisal SET state = {p}, version = {p}, entered_at = {p}, state_entries = {p}, "
                           f"due_at = {p}, overdue_handled_at = NULL, data = {p}, audit_seq = {p}, audit_head = {p}, "
                           f"updated_at = {p} WHERE id = {p} AND version = {p}")
        self.event_sql = ("INSERT INTO audit_event (stream, seq, occurred_at, kind, actor_user_id, actor_name, role, "
                          "appraisal_id, employee_id, unit_id, trigger, from_state, to_state, payload, results, "
                          f"prev_hash, hash, key_id) VALUES ({', '.join([p] * 18)}) RETURNING id")
        self.checkpoint_sql = (
            "INSERT INTO audit_checkpoint (stream, appraisal_id, seq, hash, key_id, signature, updated_at) "
            f"VALUES ({', '.join([p] * 7)}) ON CONFLICT (stream) DO UPDATE SET appraisal_id = excluded.appraisal_id, "
            "seq = excluded.seq, hash = excluded.hash, key_id = excluded.key_id, signature = excluded.signature, "
            "updated_at = excluded.updated_at")
        self.result_sql = (
            "INSERT INTO result (appraisal_id, name, value, explanation, missing, details, computed_at) "
            f"VALUES ({', '.join([p] * 7)}) ON CONFLICT (appraisal_id, name) DO UPDATE SET value = excluded.value, "
            "explanation = excluded.explanation, missing = excluded.missing, details = excluded.details, "
            "computed_at = excluded.computed_at")

    def time(self, value: datetime) -> Any:
        return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else value

    def fire(self, aid: int, trigger: str, role: str, dest: str, due_days: int, payload: dict[str, Any],
             save_as: str | None, reads: tuple[str, ...], results: dict[str, Any]) -> None:
        cur = self.cur
        cur.execute(self.read_sql, (aid,))
        row = cur.fetchone()
        if row is None:
            raise LookupError(aid)
        version, seq, head, source = row[5], row[9], row[10], row[4]
        for sql in reads:
            cur.execute(sql, (aid,))
            cur.fetchall()
        now = datetime.now(UTC)
        entries = row[7] if isinstance(row[7], dict) else json.loads(row[7] or "{}")
        data = row[8] if isinstance(row[8], dict) else json.loads(row[8] or "{}")
        entries[dest] = now.isoformat()
        if save_as:
            data[save_as] = payload
        stream = f"appraisal:{aid}"
        body = {"stream": stream, "seq": seq + 1, "kind": "transition", "actor_user_id": None, "actor_name": "u0",
                "role": role, "appraisal_id": aid, "employee_id": row[11], "unit_id": row[16], "trigger": trigger,
                "from_state": source, "to_state": dest, "payload": payload, "results": results, "prev_hash": head,
                "occurred_at": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "key_id": self.key_id}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hmac.new(self.key, canonical.encode(), hashlib.sha256).hexdigest()
        signature = hmac.new(self.key, f"checkpoint\x1f{stream}\x1f{seq + 1}\x1f{digest}".encode(),
                             hashlib.sha256).hexdigest()
        at = self.time(now)
        due = self.time(now + timedelta(days=due_days))
        cur.execute(self.update_sql, (dest, version + 1, at, json.dumps(entries), due, json.dumps(data), seq + 1,
                                      digest, at, aid, version))
        if cur.rowcount != 1:
            raise RuntimeError("version changed")
        cur.execute(self.event_sql, (stream, seq + 1, at, "transition", None, "u0", role, aid, row[11], row[16],
                                     trigger, source, dest, json.dumps(payload), json.dumps(results), head, digest,
                                     self.key_id))
        cur.fetchone()
        cur.execute(self.checkpoint_sql, (stream, aid, seq + 1, digest, self.key_id, signature, at))
        for name, result in results.items():
            cur.execute(self.result_sql, (aid, name, json.dumps(result.get("value")),
                                          json.dumps(result.get("explanation") or {}),
                                          json.dumps(result.get("missing") or []),
                                          json.dumps(result.get("details") or {}), at))
        self.raw.commit()


@dataclass
class Measure:
    """Engine and baseline seconds for one kind of transition."""

    engine_s: float = 0.0
    baseline_s: float = 0.0
    done: int = 0
    profile: cProfile.Profile | None = field(default=None)
    # Per block, baseline seconds over engine seconds: their median is the ratio reported, so a burst of
    # load from elsewhere on a shared machine moves one block, not the figure.
    block_ratios: list[float] = field(default_factory=list)
    # Client CPU (this process) of each side: what the engine's own code costs beyond the database's.
    engine_cpu_s: float = 0.0
    baseline_cpu_s: float = 0.0

    def alternate(self, engine_step: Callable[[int], None], baseline_step: Callable[[int], None], n: int) -> None:
        """Run ``n`` steps of each in alternating blocks."""
        size = max(n // BLOCKS, 1)
        for start in range(0, n, size):
            steps = range(start, min(start + size, n))
            began, cpu = time.perf_counter(), time.process_time()
            if self.profile is not None:
                self.profile.enable()
            for i in steps:
                engine_step(i)
            if self.profile is not None:
                self.profile.disable()
            engine_block = time.perf_counter() - began
            self.engine_cpu_s += time.process_time() - cpu
            self.engine_s += engine_block
            began, cpu = time.perf_counter(), time.process_time()
            for i in steps:
                baseline_step(i)
            baseline_block = time.perf_counter() - began
            self.baseline_cpu_s += time.process_time() - cpu
            self.baseline_s += baseline_block
            self.block_ratios.append(baseline_block / engine_block)
            self.done += len(steps)

    def figures(self, prefix: str) -> dict[str, float]:
        engine_tps, baseline_tps = self.done / self.engine_s, self.done / self.baseline_s
        return {f"{prefix}transitions": self.done, f"{prefix}engine_tps": round(engine_tps, 1),
                f"{prefix}baseline_tps": round(baseline_tps, 1),
                f"{prefix}ratio": round(statistics.median(self.block_ratios), 3),
                f"{prefix}engine_ms": round(1000 * self.engine_s / self.done, 3),
                f"{prefix}baseline_ms": round(1000 * self.baseline_s / self.done, 3),
                f"{prefix}engine_cpu_ms": round(1000 * self.engine_cpu_s / self.done, 3),
                f"{prefix}baseline_cpu_ms": round(1000 * self.baseline_cpu_s / self.done, 3)}


def bench_cycle(session: Session, baseline: Baseline, operator: Actor, n: int, count: int,
                profile: cProfile.Profile | None) -> dict[str, float]:
    """The benchmark cycle's submit / send_back, round-robin over ``count`` appraisals each side."""
    unit, (boss_id,), ids = add_people(session, "BENCH", 1, count * 2, 199_000_000_000_000_000)
    record = publish_source(session, CYCLE, "bench.yaml", operator)
    run = launch(session, record, unit, "2026", operator)
    rows = list(session.execute(select(Appraisal.id, Appraisal.employee_id).where(
        Appraisal.run_id == run.id, Appraisal.employee_id.in_(ids)).order_by(Appraisal.id)))
    mine, theirs = rows[:count], rows[count:]
    boss = actor(boss_id)
    actors = {eid: actor(eid) for _, eid in mine}

    def engine_step(i: int) -> None:
        aid, eid = mine[i % count]
        if (i // count) % 2 == 0:
            fire_transition(session, aid, "submit", actors[eid], {"catatan": "siap"})
        else:
            fire_transition(session, aid, "send_back", boss, {"komentar": "perbaiki"})
        session.expunge_all()

    def baseline_step(i: int) -> None:
        aid, _ = theirs[i % count]
        if (i // count) % 2 == 0:
            baseline.fire(aid, "submit", "pegawai", "review", 7, {"catatan": "siap"}, None, (), {})
        else:
            baseline.fire(aid, "send_back", "penilai", "draft", 30, {"komentar": "perbaiki"}, None, (), {})

    measure = Measure(profile=profile)
    measure.alternate(engine_step, baseline_step, n)
    return measure.figures("")


def bring_to_rate(session: Session, rows: list[Any], rater: Actor, iki_1: float = 95) -> None:
    """Each national appraisal of ``rows`` (id, employee id) to ``rate``: SKP of two IKI, approved, realised
    (``iki_1`` of a target of 90), monitoring closed."""
    for aid, eid in rows:
        set_skp(session, aid, actor(eid), SKP)
        fire_transition(session, aid, "submit_plan", actor(eid))
        fire_transition(session, aid, "approve_plan", rater)
        record_realisation(session, aid, actor(eid), "iki_1", iki_1)
        record_realisation(session, aid, actor(eid), "iki_2", 1300)
        fire_transition(session, aid, "close_monitoring", rater)
        session.expunge_all()


def national(session: Session, baseline: Baseline, operator: Actor, count: int,
             profile: cProfile.Profile | None) -> dict[str, float]:
    """The national cycle's ``rate`` and ``confirm_rating`` on ``count`` appraisals each side, every one
    brought to ``rate`` first (SKP of two IKI, approved, realised, monitoring closed)."""
    unit, (kadis, kabid), ids = add_people(session, "NASIONAL", 2, count * 2, 198_000_000_000_000_000)
    source = (ROOT / "workflows" / "permenpan-6-2022.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, "permenpan-6-2022.yaml", operator)
    run = launch(session, record, unit, "2026", operator)
    rows = list(session.execute(select(Appraisal.id, Appraisal.employee_id).where(
        Appraisal.run_id == run.id, Appraisal.employee_id.in_(ids)).order_by(Appraisal.id)))
    rater, reviewer = actor(kabid), actor(kadis)
    bring_to_rate(session, rows, rater)
    mine, theirs = [aid for aid, _ in rows[:count]], [aid for aid, _ in rows[count:]]
    # What the engine computes, so the baseline writes results of the same size.
    rated: dict[str, Any] = {}
    confirmed: dict[str, Any] = {}

    def rate(i: int) -> None:
        outcome = fire_transition(session, mine[i], "rate", rater, RATING)
        rated.update(outcome.results)
        session.expunge_all()

    def confirm(i: int) -> None:
        outcome = fire_transition(session, mine[i], "confirm_rating", reviewer)
        confirmed.update(outcome.results)
        session.expunge_all()

    b = baseline
    # The national rules read the SKP's IKI, their latest realisations and the stored results.
    rate_reads = (b.indicators_sql, b.realisations_sql, b.results_sql)
    rate(0)
    mine = mine[1:]
    figures: dict[str, float] = {}
    measure = Measure(profile=profile)
    measure.alternate(rate, lambda i: b.fire(theirs[i], "rate", "penilai", "review", 14, RATING, "penilaian",
                                             rate_reads, rated), len(mine))
    figures.update(measure.figures("rate_"))
    mine = [rows[0][0], *mine]
    measure = Measure(profile=profile)
    measure.alternate(confirm, lambda i: b.fire(theirs[i], "confirm_rating", "atasan_penilai", "rated", 14, {}, None,
                                                (b.results_sql,), confirmed), len(mine) - 1)
    figures.update(measure.figures("confirm_rating_"))
    return figures


def launch_many(factory: sessionmaker[Session], record_id: int, operator: Actor, n: int) -> dict[str, float]:
    """A launch of ``n`` appraisals in a new unit: seconds, scaled to 100k, and memory growth."""
    from engine.models import CycleDefinitionRecord

    session = factory()
    big = OrgUnit(code="BESAR", name="Unit Besar")
    session.add(big)
    session.flush()
    rows = [{"nip": f"{200000000000000000 + i}", "name": f"Pegawai {i}", "position": "Pelaksana", "unit_id": big.id,
             "active": True} for i in range(n)]
    for start in range(0, len(rows), 20000):
        session.execute(insert(Employee), rows[start:start + 20000])
    session.commit()
    del rows
    gc.collect()
    before = rss_mb()
    record = session.get(CycleDefinitionRecord, record_id)
    started = time.perf_counter()
    launch(session, record, big, "2026", operator)
    took = time.perf_counter() - started
    launched = session.scalar(text("SELECT count(*) FROM appraisal WHERE run_id = (SELECT max(id) FROM cycle_run)"))
    growth = rss_mb() - before
    session.close()
    return {"launch_appraisals": launched, "launch_100k_s": round(took * 100_000 / max(launched, 1), 2),
            "launch_s": round(took, 2), "rss_growth_mb_launch": round(growth, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="Database URL (default: a new SQLite file, WAL, synchronous=FULL)")
    parser.add_argument("--transitions", type=int, default=3000, help="benchmark-cycle transitions per side")
    parser.add_argument("--appraisals", type=int, default=1000, help="appraisals the transitions rotate over")
    parser.add_argument("--national", type=int, default=600, help="national appraisals rated and confirmed per side")
    parser.add_argument("--launch", type=int, default=100_000)
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the engine's transitions to FILE")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="siklus-bench-")
    url = args.url or f"sqlite:///{tmp}/bench.db"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    print(f"database: {engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
    operator = Actor(user_id=None, username="bench", grants=(("admin", None),))
    raw = engine.raw_connection()
    baseline = Baseline(raw, engine.dialect.name)
    profile = cProfile.Profile() if args.profile else None

    gc.collect()
    rss_before = rss_mb()
    summary: dict[str, Any] = {"database": engine.dialect.name}
    summary.update(bench_cycle(session, baseline, operator, args.transitions, args.appraisals, profile))
    summary["rss_growth_mb_firing"] = round(rss_mb() - rss_before, 1)
    if args.national:
        summary.update(national(session, baseline, operator, args.national, profile))
    baseline.cur.close()
    raw.close()
    record_id = session.scalar(text("SELECT min(id) FROM cycle_definition"))
    session.close()
    if args.launch:
        summary.update(launch_many(factory, record_id, operator, args.launch))
    engine.dispose()
    summary["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if profile is not None:
        profile.dump_stats(args.profile)
        pstats.Stats(args.profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
