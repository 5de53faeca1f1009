"""Do a person's pages cost what their own work costs? The supervisor's home page and API queue with one
agency of appraisals, then again with many more appraisals elsewhere (another agency).

Generates agency A (``--home`` appraisals: bureaus of sections of 40 staff under a section head) on the
national cycle, a second published cycle that asks peers for feedback (so every kind of role is listed),
measures a section head's home page, API queue (``waiting_for_me``), API list and team page, then adds
agency B (``--elsewhere`` appraisals) and measures again. The last line printed is one JSON object with
the median and fastest times, the ratios after/before, the SQL statements per page and, on SQLite, the
database's own work (virtual machine instructions, which other processes on the machine do not disturb).
``--explain`` also prints the plans of the statements that scan a large table.

    python benchmarks/bench_queries.py [--url DATABASE_URL] [--home 10000] [--elsewhere 100000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from engine.access import AppraisalFilter, list_appraisals  # noqa: E402
from engine.db import make_engine  # noqa: E402
from engine.home import home, team  # noqa: E402
from engine.models import Appraisal, Base, CycleRun, Employee, OrgUnit, RoleGrant, User  # noqa: E402
from engine.permissions import Actor  # noqa: E402
from engine.registry import publish_source  # noqa: E402

STAFF = 40          # per section head
SECTIONS = 25       # per bureau
# States of the national cycle the generated appraisals sit in (the queue acts on plan_review and rate).
STATES = ("plan", "plan_review", "monitor", "rate", "review")
PERIOD = "2026"
#: SQLite's progress handler is called every this many virtual machine instructions.
VM_STEP = 100


def _workflow(name: str) -> str:
    return resources.files("workflows").joinpath(name).read_text(encoding="utf-8")


class Generator:
    """Bulk rows for agencies of bureaus of sections; ids are allocated here so inserts are plain."""

    def __init__(self, session: Session, definition_id: int, root_id: int) -> None:
        self.session = session
        self.definition_id = definition_id
        self.root_id = root_id
        self.next_unit = int(session.scalar(select(OrgUnit.id).order_by(OrgUnit.id.desc()).limit(1)) or 0) + 1
        self.next_employee = int(session.scalar(select(Employee.id).order_by(Employee.id.desc()).limit(1)) or 0) + 1

    def agency(self, code: str, appraisals: int) -> dict[str, int]:
        """An agency with ``appraisals`` employees, one open national appraisal each; the ids of a section
        head, their bureau head and the agency."""
        units: list[dict[str, Any]] = []
        people: list[dict[str, Any]] = []

        def unit(ucode: str, parent: int) -> int:
            uid = self.next_unit
            self.next_unit += 1
            units.append({"id": uid, "code": ucode, "name": f"Unit {ucode}", "parent_id": parent})
            return uid

        def person(unit_id: int, boss: int | None, position: str) -> int:
            eid = self.next_employee
            self.next_employee += 1
            people.append({"id": eid, "nip": f"{eid:018d}", "name": f"Pegawai {eid:07d}", "position": position,
                           "unit_id": unit_id, "supervisor_id": boss, "active": True})
            return eid

        agency = unit(code, self.root_id)
        head = person(agency, None, "Kepala")
        bureaus = max(1, -(-appraisals // (STAFF * SECTIONS)))
        first: dict[str, int] = {"agency": agency}
        while len(people) < appraisals:
            bureau = unit(f"{code}-{len(units)}", agency)
            bureau_head = person(bureau, head, "Kepala Biro")
            for _s in range(SECTIONS):
                if len(people) >= appraisals:
                    break
                section = unit(f"{code}-{len(units)}", bureau)
                section_head = person(section, bureau_head, "Kepala Bagian")
                first.setdefault("section_head", section_head)
                first.setdefault("bureau_head", bureau_head)
                first.setdefault("section", section)
                for _n in range(min(STAFF, appraisals - len(people))):
                    person(section, section_head, "Analis")
        del bureaus
        self.session.execute(insert(OrgUnit), units)
        for start in range(0, len(people), 20000):
            self.session.execute(insert(Employee), people[start:start + 20000])
        start_at = datetime(2026, 1, 1, tzinfo=UTC)
        run = CycleRun(cycle_id="permenpan-6-2022", definition_id=self.definition_id, unit_id=agency, period=PERIOD,
                       period_start=start_at, period_end=datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
        self.session.add(run)
        self.session.flush()
        now = datetime.now(UTC)
        rows = [{"run_id": run.id, "definition_id": self.definition_id, "employee_id": p["id"],
                 "cycle_id": "permenpan-6-2022", "period": PERIOD, "state": STATES[p["id"] % len(STATES)],
                 "version": 1, "entered_at": now, "state_entries": {}, "data": {}, "audit_seq": 0, "audit_head": "",
                 "due_at": now + timedelta(days=p["id"] % 60), "created_at": now, "updated_at": now}
                for p in people]
        for start in range(0, len(rows), 20000):
            self.session.execute(insert(Appraisal), rows[start:start + 20000])
        self.session.commit()
        return first


def setup(session: Session, home_n: int) -> tuple[Generator, dict[str, Actor]]:
    """The country, the two cycles, agency A and the logins of its section head, bureau head and HR."""
    root = OrgUnit(code="RI", name="Republik Indonesia")
    session.add(root)
    admin = User(username="admin", display_name="Admin", password_hash="x")
    session.add(admin)
    session.flush()
    session.add(RoleGrant(user_id=admin.id, role="admin", unit_id=None))
    session.commit()
    operator = Actor.of(admin)
    record = publish_source(session, _workflow("permenpan-6-2022.yaml"), "permenpan-6-2022.yaml", operator)
    publish_source(session, _workflow("binjai.yaml"), "binjai.yaml", operator)
    gen = Generator(session, record.id, root.id)
    ids = gen.agency("A", home_n)
    users = {name: User(username=name, display_name=name, password_hash="x", employee_id=ids.get(key))
             for name, key in (("kabag", "section_head"), ("karo", "bureau_head"), ("sdm", ""))}
    session.add_all(users.values())
    session.flush()
    session.add(RoleGrant(user_id=users["sdm"].id, role="hr", unit_id=ids["agency"]))
    session.commit()
    actors = {name: Actor.of(session.get(User, u.id)) for name, u in users.items()}  # type: ignore[arg-type]
    return gen, actors


def pages(actors: dict[str, Actor]) -> dict[str, Callable[[Session], object]]:
    kabag = actors["kabag"]
    return {
        "home": lambda s: home(s, kabag),
        "api_queue": lambda s: list_appraisals(s, kabag, AppraisalFilter(waiting_for_me=True)),
        "api_list": lambda s: list_appraisals(s, kabag),
        "team": lambda s: team(s, kabag),
        "hr_api_list": lambda s: list_appraisals(s, actors["sdm"]),
    }


class Tally:
    """What one page call cost: statements sent, and SQLite virtual machine steps (in VM_STEP units)."""

    def __init__(self) -> None:
        self.statements = 0
        self.steps = 0

    def statement(self, *_args: Any) -> None:
        self.statements += 1

    def step(self) -> int:
        self.steps += 1
        return 0


def measure(factory: sessionmaker[Session], engine: Any, actors: dict[str, Actor], repeat: int) -> dict[str, Any]:
    """Median milliseconds and statements per page, each call on a fresh session."""
    out: dict[str, Any] = {}
    sqlite = engine.dialect.name == "sqlite"
    for name, page in pages(actors).items():
        with factory() as session:
            page(session)  # warm: the first call after a bulk load pays for caches and hint bits
        times = []
        counted: list[int] = []
        steps = 0
        for _ in range(repeat):
            tally = Tally()
            event.listen(engine, "before_cursor_execute", tally.statement)
            with factory() as session:
                raw = session.connection().connection.dbapi_connection if sqlite else None
                if raw is not None:  # SQLite's virtual machine instructions: the work done, whatever the load
                    raw.set_progress_handler(tally.step, VM_STEP)  # type: ignore[attr-defined]
                started = time.perf_counter()
                page(session)
                times.append((time.perf_counter() - started) * 1000)
                if raw is not None:
                    raw.set_progress_handler(None, 0)  # type: ignore[attr-defined]
            event.remove(engine, "before_cursor_execute", tally.statement)
            counted.append(tally.statements)
            steps = tally.steps
        out[name] = {"p50_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
                     "statements": max(counted)}
        if sqlite:
            out[name]["kilo_vm_steps"] = steps * VM_STEP // 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--home", type=int, default=10000, help="appraisals in the supervisor's agency")
    parser.add_argument("--elsewhere", type=int, default=100000, help="appraisals added in another agency")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="print the plans of the candidate queries")
    args = parser.parse_args()
    tmp = None
    url = args.url
    if url is None:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        gen, actors = setup(session, args.home)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # what autovacuum does after a bulk load
            conn.execute(text("ANALYZE"))
    before = measure(factory, engine, actors, args.repeat)
    with factory() as session:
        gen.session = session
        gen.agency("B", args.elsewhere)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # what autovacuum does after a bulk load
            conn.execute(text("ANALYZE"))
    if args.explain:
        explain(factory, engine, actors)
    after = measure(factory, engine, actors, args.repeat)
    # The fastest of several calls is the figure least disturbed by other work on a shared machine.
    ratio = {name: round(after[name]["min_ms"] / max(before[name]["min_ms"], 0.01), 2) for name in before}
    ratio_p50 = {name: round(after[name]["p50_ms"] / max(before[name]["p50_ms"], 0.01), 2) for name in before}
    if engine.dialect.name == "sqlite":  # the database's own work, which no other process disturbs
        ratio_vm = {name: round(after[name]["kilo_vm_steps"] / max(before[name]["kilo_vm_steps"], 1), 2)
                    for name in before}
    engine.dispose()
    if tmp is not None:
        tmp.cleanup()
    print(json.dumps({"backend": engine.dialect.name, "home_appraisals": args.home, "elsewhere": args.elsewhere,
                      "before": before, "after": after, "ratio": ratio, "ratio_p50": ratio_p50,
                      **({"ratio_vm_steps": ratio_vm} if engine.dialect.name == "sqlite" else {}),
                      "worst_ratio": max(ratio[n] for n in ("home", "api_queue")),
                      **({"worst_ratio_vm_steps": max(ratio_vm[n] for n in ("home", "api_queue"))}
                         if engine.dialect.name == "sqlite" else {})}))


def explain(factory: sessionmaker[Session], engine: Any, actors: dict[str, Actor]) -> None:
    """Print the plan of every SELECT that the pages run (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN)."""
    statements: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    for name, page in pages(actors).items():
        statements.clear()
        event.listen(engine, "before_cursor_execute", keep)
        with factory() as session:
            page(session)
        event.remove(engine, "before_cursor_execute", keep)
        print(f"==== {name}: {len(statements)} statements")
        prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
        with engine.connect() as conn:
            for statement, parameters in statements:
                raw = conn.connection.dbapi_connection
                cur = raw.cursor()  # type: ignore[union-attr]
                cur.execute(prefix + statement, parameters)
                lines = [" | ".join(str(c) for c in row) for row in cur.fetchall()]
                scans = [line for line in lines if ("SCAN" in line and "USING" not in line) or "Seq Scan" in line]
                if os.environ.get("BENCH_ALL_PLANS") or any(
                        table in line for line in scans for table in (" appraisal", " employee", " org_unit")):
                    print("-- " + " ".join(statement.split())[:400])
                    print("\n".join("   " + line for line in lines))


if __name__ == "__main__":
    main()
