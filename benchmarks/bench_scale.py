"""Siklus at national scale: the pages people open, timed on a database of N appraisals.

Generates (once) a national organisation of agencies, units and employees whose appraisals carry the
history real use leaves (``scale_data``: copies of demo appraisals driven through the real engine,
with their audit chains re-signed), then opens, through the real Flask application, the pages each
person opens and reports p50/p95 and SQL statements per page:

- the employee's home and appraisal page, the supervisor's home, team, queue API and a subordinate's
  appraisal, the reviewer's home;
- for the HR officer of one large agency (``--big-agency``, 20,000 by default): the HR home, the run's
  progress page, calibration, reports and the audit log;
- for the national administrator: the reports' first page and the audit log;
- ``siklus audit verify`` over every chain, in events per second (full, nightly, and links and hashes alone);
- how much a supervisor's pages change when 100,000 appraisals are added in another agency.

The last line printed is one JSON object.

    python benchmarks/bench_scale.py --pg-dir /var/tmp/siklus-scale     # 1,000,000 appraisals, PostgreSQL
    python benchmarks/bench_scale.py                                    # 100,000 appraisals, SQLite
    python benchmarks/bench_scale.py --url postgresql+psycopg://... --appraisals 200000 --reuse

A PostgreSQL started with ``--pg-dir`` keeps fsync on and stays in that folder, so a second run with
``--reuse`` migrates it to the newest schema and measures again without generating.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("SIKLUS_AUDIT_KEY", "bench-audit-key-0123456789abcdef0123456789")
os.environ.setdefault("SIKLUS_RESPONDENT_SECRET", "bench-respondent-secret-0123456789abcdef")
os.environ.setdefault("SIKLUS_SECRET_KEY", "bench-session-key-0123456789abcdef0123456789")

from scale_data import Generator, Shape, seed_templates  # noqa: E402
from sqlalchemy import event, func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from engine.chart import seed_chart  # noqa: E402
from engine.db import make_engine  # noqa: E402
from engine.models import Appraisal, AuditEvent, CycleRun, Employee, OrgUnit, RoleGrant, User  # noqa: E402

BIG = "N0000"
ELSEWHERE = "E"


def start_postgres(base: Path) -> str:
    """A PostgreSQL cluster in ``base`` (created on first use), fsync on, on a Unix socket; its URL."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from support.pgcluster import find_bindir  # type: ignore[import-not-found]

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL's server binaries are not installed (initdb, pg_ctl)")
    run_as = "nobody" if os.geteuid() == 0 else None

    def cmd(*args: str) -> list[str]:
        full = [str(bindir / args[0]), *args[1:]]
        return ["runuser", "-u", run_as, "--", *full] if run_as else full

    base.mkdir(parents=True, exist_ok=True)
    if run_as:
        subprocess.run(["chown", run_as, str(base)], check=True)
    data = base / "data"
    if not data.exists():
        subprocess.run(cmd("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                           "--no-instructions"), check=True, capture_output=True)
    status = subprocess.run(cmd("pg_ctl", "-D", str(data), "status"), capture_output=True)
    if status.returncode != 0:
        options = (f"-k {base} -c listen_addresses='' -c fsync=on -c shared_buffers=1GB -c work_mem=32MB "
                   "-c maintenance_work_mem=512MB -c max_wal_size=8GB -c max_connections=40")
        subprocess.run(cmd("pg_ctl", "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"),
                       check=True, capture_output=True)
    return f"postgresql+psycopg://postgres@/postgres?host={base}"


def migrate(url: str) -> None:
    """The newest schema, through the project's migrations."""
    import flask_migrate

    from web import MIGRATIONS, create_app
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Pages:
    """Opens pages as people, through the application, counting statements."""

    def __init__(self, url: str) -> None:
        from web import create_app
        from web.extensions import db

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                               "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench"})
        self.client = self.app.test_client()
        self.statements = 0
        with self.app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, *_args: Any) -> None:
        self.statements += 1

    def login(self, username: str, password: str) -> None:
        self.client.post("/keluar")
        response = self.client.post("/masuk", data={"username": username, "password": password})
        if response.status_code != 302:
            raise SystemExit(f"cannot log in as {username}: {response.status_code}")

    def open(self, path: str) -> tuple[float, int]:
        before = self.statements
        started = time.perf_counter()
        response = self.client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        response.get_data()
        return elapsed, self.statements - before


def measure(pages: Pages, visits: list[tuple[str, str]], password: str, repeat: int) -> dict[str, Any]:
    """Each (username, path) opened ``repeat`` times after one warm-up: p50/p95 ms and statements."""
    times: list[float] = []
    statements: list[int] = []
    current = None
    for username, path in visits:
        if username != current:
            pages.login(username, password)
            current = username
        pages.open(path)  # warm-up
        for _ in range(repeat):
            ms, count = pages.open(path)
            times.append(ms)
            statements.append(count)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "statements": max(statements), "samples": len(times)}


def people(session: Session, agency_code: str, rng: random.Random, count: int) -> dict[str, list[Any]]:
    """Employees, supervisors and reviewers of one agency, with their usernames and an appraisal each."""
    root = session.scalar(select(OrgUnit.id).where(OrgUnit.code == agency_code))
    units = select(OrgUnit.id).where((OrgUnit.id == root) | OrgUnit.code.like(f"{agency_code}-%"))
    staff = session.execute(
        select(User.username, Employee.id, Employee.supervisor_id, Appraisal.id)
        .join(Employee, User.employee_id == Employee.id).join(Appraisal, Appraisal.employee_id == Employee.id)
        .where(Employee.unit_id.in_(units), Appraisal.closed_at.is_(None))).all()
    by_employee = {row[1]: row for row in staff}
    bosses = sorted({row[2] for row in staff if row[2]})
    supervisors = [by_employee[b] for b in bosses if by_employee.get(b) and by_employee[b][2]]
    reviewers = [by_employee[b] for b in bosses if by_employee.get(b) and not by_employee[b][2]]
    plain = [row for row in staff if row[1] not in set(bosses)]
    pick = lambda rows: rng.sample(rows, min(count, len(rows)))  # noqa: E731
    subordinate: dict[int, int] = {}
    for row in staff:
        subordinate.setdefault(row[2], row[3])
    return {"employees": pick(plain), "supervisors": [(s, subordinate[s[1]]) for s in pick(supervisors)],
            "reviewers": pick(reviewers or supervisors)}


def person_pages(pages: Pages, session: Session, agency: str, password: str, repeat: int,
                 rng: random.Random, count: int) -> dict[str, Any]:
    """The pages employees, supervisors and reviewers of ``agency`` open."""
    who = people(session, agency, rng, count)
    return {
        "employee_home": measure(pages, [(e[0], "/") for e in who["employees"]], password, repeat),
        "employee_appraisal": measure(pages, [(e[0], f"/penilaian/{e[3]}") for e in who["employees"]],
                                      password, repeat),
        "supervisor_home": measure(pages, [(s[0][0], "/") for s in who["supervisors"]], password, repeat),
        "supervisor_team": measure(pages, [(s[0][0], "/tim") for s in who["supervisors"]], password, repeat),
        "supervisor_queue_api": measure(pages, [(s[0][0], "/api/v1/appraisals") for s in who["supervisors"]],
                                        password, repeat),
        "supervisor_appraisal": measure(pages, [(s[0], f"/penilaian/{sub}") for s, sub in who["supervisors"]],
                                        password, repeat),
        "reviewer_home": measure(pages, [(r[0], "/") for r in who["reviewers"]], password, repeat),
    }


def hr_pages(pages: Pages, session: Session, username: str, run_id: int | None, password: str,
             repeat: int) -> dict[str, Any]:
    """The pages an HR officer opens (``run_id`` for the run-specific ones)."""
    figures = {"hr_home": measure(pages, [(username, "/sdm/")], password, repeat),
               "reports": measure(pages, [(username, "/laporan/")], password, repeat),
               "audit_log": measure(pages, [(username, "/sdm/audit")], password, repeat)}
    if run_id is not None:
        figures["run_progress"] = measure(pages, [(username, f"/sdm/putaran/{run_id}")], password, repeat)
        figures["calibration"] = measure(pages, [(username, f"/sdm/putaran/{run_id}/kalibrasi")], password, repeat)
    return figures


def verify_rate(url: str, workers: int | None) -> dict[str, Any]:
    """``siklus audit verify --full`` over the whole database in events per second, then the nightly run
    (only the chains that moved since) in seconds, and ``--chain-only`` (links and keyed hashes, no replay of the
    data) in events per second: what the hashing costs apart from proving the live rows."""
    engine = make_engine(url)
    with engine.connect() as conn:
        events = conn.scalar(select(func.count()).select_from(AuditEvent)) or 0
    engine.dispose()
    base = [sys.executable, "-c", "from web.cli import main; main()", "audit", "verify"]
    env = dict(os.environ, DATABASE_URL=url)
    help_text = subprocess.run(base + ["--help"], capture_output=True, text=True, env=env).stdout
    if workers and "--workers" in help_text:
        base += ["--workers", str(workers)]
    full = base + [flag for flag in ("--full", "--restart") if flag in help_text]
    started = time.perf_counter()
    done = subprocess.run(full, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    figures: dict[str, Any] = {
        "events": events, "seconds": round(seconds, 1), "events_per_s": round(events / seconds),
        "exit_code": done.returncode, "command": " ".join(full[3:]), "workers": workers}
    if "--full" in help_text:
        started = time.perf_counter()
        nightly = subprocess.run(base, capture_output=True, text=True, env=env)
        figures["nightly_seconds"] = round(time.perf_counter() - started, 1)
        figures["nightly_exit_code"] = nightly.returncode
    if "--chain-only" in help_text:
        started = time.perf_counter()
        chain = subprocess.run(base + ["--chain-only"], capture_output=True, text=True, env=env)
        chain_seconds = time.perf_counter() - started
        figures["chain_only_seconds"] = round(chain_seconds, 1)
        figures["chain_only_events_per_s"] = round(events / chain_seconds)
        figures["chain_only_exit_code"] = chain.returncode
    return figures


def remove_agency(url: str, prefix: str) -> None:
    """Delete the agencies whose codes start with ``prefix`` and everything generated for them.

    Each agency is a root of its own, so its appraisals are counted in the tallies only at its own units: on
    PostgreSQL the rows are deleted as the loader wrote them, with the triggers off (a foreign-key check per
    deleted login would scan the millions of IKI and realisations, whose ``set_by_id`` and ``recorded_by_id``
    no query reads by), and the tally rows of its units are deleted with them. Its HR grants were written without
    events (``record_grants=False``), and the chart as it stands after is recorded, so the log still verifies."""
    engine = make_engine(url)
    units = f"SELECT id FROM org_unit WHERE code LIKE '{prefix}%'"
    staff = f"SELECT id FROM employee WHERE unit_id IN ({units})"
    appraisals = f"SELECT id FROM appraisal WHERE employee_id IN ({staff})"
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if pg:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in ("audit_checkpoint", "audit_event", "result", "realisation", "indicator",
                      "development_activity"):
            conn.execute(text(f"DELETE FROM {table} WHERE appraisal_id IN ({appraisals})"))  # noqa: S608
        conn.execute(text(f"DELETE FROM appraisal WHERE employee_id IN ({staff})"))  # noqa: S608
        conn.execute(text(f"DELETE FROM cycle_run WHERE unit_id IN ({units})"))  # noqa: S608
        conn.execute(text(f"DELETE FROM role_grant WHERE unit_id IN ({units})"))  # noqa: S608
        conn.execute(text(f"DELETE FROM user_account WHERE employee_id IN ({staff}) "  # noqa: S608
                          f"OR username LIKE 'sdm-{prefix.lower()}%'"))
        conn.execute(text(f"DELETE FROM employee WHERE unit_id IN ({units})"))  # noqa: S608
        if pg:
            for table in ("appraisal_tally", "indicator_tally", "overdue_tally", "org_unit_ancestor"):
                conn.execute(text(f"DELETE FROM {table} WHERE unit_id IN ({units})"))  # noqa: S608
        conn.execute(text(f"UPDATE org_unit SET parent_id = NULL WHERE code LIKE '{prefix}%'"))  # noqa: S608
        conn.execute(text(f"DELETE FROM org_unit WHERE code LIKE '{prefix}%'"))  # noqa: S608
    with Session(engine) as session:
        seed_chart(session)  # the chart as it stands without the agency, recorded as a setup script must
        session.commit()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="database URL (default: a new SQLite file, or --pg-dir's cluster)")
    parser.add_argument("--pg-dir", type=Path, help="run a PostgreSQL cluster (fsync on) in this folder")
    parser.add_argument("--appraisals", type=int, help="how many (default 1,000,000 on PostgreSQL, 100,000 on SQLite)")
    parser.add_argument("--agencies", type=int, default=600)
    parser.add_argument("--units-per-agency", type=int, default=45)
    parser.add_argument("--big-agency", type=int, default=20000, help="employees of the HR officer's agency")
    parser.add_argument("--elsewhere", type=int, default=100000, help="appraisals added in another agency (0: skip)")
    parser.add_argument("--people", type=int, default=8, help="persons sampled per page kind")
    parser.add_argument("--repeat", type=int, default=3, help="timed openings per person and page")
    parser.add_argument("--verify-workers", type=int, default=os.cpu_count())
    parser.add_argument("--reuse", action="store_true", help="measure an already generated database")
    parser.add_argument("--skip-verify", action="store_true")
    parser.add_argument("--generate-only", action="store_true", help="generate the database and stop")
    args = parser.parse_args()

    url = args.url
    if url is None and args.pg_dir:
        url = start_postgres(args.pg_dir)
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='siklus-scale-')}/scale.db"
    pg = url.startswith("postgresql")
    total = args.appraisals or (1_000_000 if pg else 100_000)
    agencies = args.agencies if pg or args.appraisals else min(args.agencies, 60)
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    started = time.perf_counter()
    migrate(url)
    migrated_s = time.perf_counter() - started
    engine = make_engine(url)
    figures: dict[str, Any] = {"database": "postgresql" if pg else "sqlite", "migrate_s": round(migrated_s, 1)}
    with Session(engine) as session:
        elsewhere_present = session.scalar(select(func.count()).select_from(OrgUnit)
                                           .where(OrgUnit.code.like(f"{ELSEWHERE}%")))
    if elsewhere_present:
        # Before counting: the figures are of the database measured.
        log("removing the other agency of an earlier run")
        remove_agency(url, ELSEWHERE)
    with Session(engine) as session:
        generated = session.scalar(select(func.count()).select_from(OrgUnit).where(OrgUnit.code == BIG))
        if generated and not args.reuse:
            raise SystemExit("this database was generated before: pass --reuse to measure it again")
        if not generated:
            templates = seed_templates(session)
            generator = Generator(engine, session, templates)
            started = time.perf_counter()
            done = [0]

            def progress(n: int) -> None:
                done[0] += n
                log(f"  {done[0]:,} / {total:,} appraisals")

            made = generator.add(Shape(agencies=agencies, units_per_agency=args.units_per_agency, employees=total,
                                       big_agency=args.big_agency), BIG[0], progress)
            figures["generate_s"] = round(time.perf_counter() - started, 1)
            figures["generated_events"] = made.events
        counts = {name: session.scalar(select(func.count()).select_from(model)) for name, model in
                  (("appraisals", Appraisal), ("audit_events", AuditEvent), ("units", OrgUnit),
                   ("employees", Employee))}
        figures.update(counts)
        big_run = session.scalar(select(CycleRun.id).join(OrgUnit, CycleRun.unit_id == OrgUnit.id)
                                 .where(OrgUnit.code == BIG))
        admin = session.scalar(select(User.username).join(RoleGrant).where(RoleGrant.role == "admin"))
    if args.generate_only:
        engine.dispose()
        print(json.dumps(figures))
        return
    log(f"measuring pages on {figures['appraisals']:,} appraisals")
    pages = Pages(url)
    password = "siklus"
    with Session(engine) as session:
        sample_agency = "N0003"
        figures["person_pages"] = person_pages(pages, session, sample_agency, password, args.repeat,
                                               random.Random(5), args.people)
        figures["hr_pages_big_agency"] = hr_pages(pages, session, f"sdm-{BIG.lower()}", big_run, password,
                                                  args.repeat)
        figures["national_admin"] = hr_pages(pages, session, admin, None, password, 1) if admin else None
    if args.elsewhere:
        log(f"adding {args.elsewhere:,} appraisals in another agency")
        with Session(engine) as session:
            generator = Generator(engine, session, seed_templates(session))
            generator.add(Shape(agencies=1, units_per_agency=max(3, args.elsewhere // 37), employees=args.elsewhere,
                                seed=99), ELSEWHERE, record_grants=False)
        with Session(engine) as session:
            after = person_pages(pages, session, sample_agency, password, args.repeat, random.Random(5), args.people)
        figures["elsewhere_added"] = args.elsewhere
        figures["elsewhere_change"] = {page: round(after[page]["p50_ms"] / max(0.1, before["p50_ms"]), 2)
                                       for page, before in figures["person_pages"].items()}
        remove_agency(url, ELSEWHERE)
    if not args.skip_verify:
        log("verifying the audit log")
        figures["audit_verify"] = verify_rate(url, args.verify_workers)
    engine.dispose()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
