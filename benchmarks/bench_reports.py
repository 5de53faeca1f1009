"""HR report pages at agency scale: the reports page, calibration, the audit log narrowed to a unit and
the exports, each timed and with its SQL statements counted, for the HR of one agency and for the
national admin (HR of every unit).

Generates an organisation of several agencies (each a tree: agency > divisions > sections), launches the
national cycle for each, and stores predicates (some final after an appeal) and IKI achievements for most
appraisals. The last line printed is one JSON object.

    python benchmarks/bench_reports.py [--url DATABASE_URL | --postgresql] [--agency 20000] [--others 2]
                                       [--repeat 5]

Without ``--url`` it uses a new SQLite file; ``--postgresql`` starts a throwaway cluster (as the tests do).
Run it from another checkout (``PYTHONPATH=/path/to/checkout``) to compare two versions on the same data shape.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("SIKLUS_CHECKOUT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert, select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

PASSWORD = "bench-password"
PREDICATES = ["Sangat Baik", "Baik", "Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
DIVISIONS, SECTIONS = 8, 4  # per agency, per division: 1 + 8 + 32 = 41 units an agency


def build(url: str, agency_size: int, others: int, seed: int = 14) -> dict[str, int]:
    """The organisation, the national cycle launched per agency, results for about 80% of appraisals."""
    import flask_migrate
    from werkzeug.security import generate_password_hash

    from engine.db import make_engine
    from engine.models import Appraisal, Employee, OrgUnit, Result, RoleGrant, User
    from engine.permissions import Actor
    from engine.registry import publish_source
    from engine.runs import launch
    from web import MIGRATIONS, create_app
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    rng = random.Random(seed)
    engine = make_engine(url)
    session = sessionmaker(engine, expire_on_commit=False)()
    country = OrgUnit(code="RI", name="Republik Indonesia")
    session.add(country)
    session.flush()
    agencies: list[OrgUnit] = []
    nip = 0
    for a in range(1 + others):
        agency = OrgUnit(code=f"AG{a:03d}", name=f"Instansi {a:03d}", parent_id=country.id)
        session.add(agency)
        session.flush()
        agencies.append(agency)
        units = [agency]
        for d in range(DIVISIONS):
            division = OrgUnit(code=f"AG{a:03d}-{d}", name=f"Bidang {a:03d}.{d}", parent_id=agency.id)
            session.add(division)
            session.flush()
            units.append(division)
            for s in range(SECTIONS):
                section = OrgUnit(code=f"AG{a:03d}-{d}-{s}", name=f"Seksi {a:03d}.{d}.{s}", parent_id=division.id)
                session.add(section)
                units.append(section)
        session.flush()
        head = Employee(nip=f"{199000000000000000 + nip:018d}", name=f"Kepala {a}", unit_id=agency.id)
        nip += 1
        session.add(head)
        session.flush()
        rows = []
        for i in range(agency_size - 1):
            unit = units[1 + i % (len(units) - 1)]
            rows.append({"nip": f"{199000000000000000 + nip:018d}", "name": f"Pegawai {a}.{i}", "position": "Analis",
                         "unit_id": unit.id, "supervisor_id": head.id, "active": True})
            nip += 1
        session.execute(insert(Employee), rows)
    admin = User(username="admin", display_name="Admin", password_hash=generate_password_hash(PASSWORD))
    hr = User(username="sdm", display_name="SDM Instansi 000", password_hash=generate_password_hash(PASSWORD))
    session.add_all([admin, hr])
    session.flush()
    session.add_all([RoleGrant(user_id=admin.id, role="admin"),
                     RoleGrant(user_id=hr.id, role="hr", unit_id=agencies[0].id)])
    session.commit()
    source = (ROOT / "workflows" / "permenpan-6-2022.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, "permenpan-6-2022.yaml", Actor.of(admin))
    for agency in agencies:
        launch(session, record, agency, "2026", Actor.of(admin))
    ids = list(session.scalars(select(Appraisal.id)))
    results = []
    for appraisal_id in ids:
        if rng.random() < 0.8:
            results.append({"appraisal_id": appraisal_id, "name": "predikat", "value": rng.choice(PREDICATES),
                            "explanation": {}, "missing": [], "details": {}})
            if rng.random() < 0.1:
                results.append({"appraisal_id": appraisal_id, "name": "predikat_akhir",
                                "value": rng.choice(PREDICATES), "explanation": {}, "missing": [], "details": {}})
            results.append({"appraisal_id": appraisal_id, "name": "iki.iki_1", "value": rng.choice([60, 90, 100, 120]),
                            "explanation": {}, "missing": [], "details": {}})
    for start in range(0, len(results), 20000):
        session.execute(insert(Result), results[start:start + 20000])
    session.commit()
    run_id = session.scalar(select(Appraisal.run_id).join(Employee).where(Employee.unit_id == agencies[0].id))
    division_id = session.scalar(select(OrgUnit.id).where(OrgUnit.parent_id == agencies[0].id).order_by(OrgUnit.id))
    out = {"appraisals": len(ids), "agency": agencies[0].id, "division": division_id, "run": run_id}
    session.close()
    engine.dispose()
    return out


def measure(url: str, shape: dict[str, int], repeat: int) -> dict[str, object]:
    """p50 time (ms), statements and response size of each page for the agency's HR and the national admin."""
    from web import create_app
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})
    figures: dict[str, object] = {}
    with app.app_context():  # the engine only: each request pushes its own context, as in production
        engine = db.engine
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_args: object) -> None:
        statements[0] += 1

    pages = {
        "reports": "/laporan/",
        "reports_division": f"/laporan/?unit={shape['division']}",
        "reports_csv": "/laporan/predikat.csv",
        "reports_xlsx": "/laporan/predikat.xlsx",
        "calibration": f"/sdm/putaran/{shape['run']}/kalibrasi?predikat_unit=Baik",
        "audit_unit": f"/sdm/audit?unit={shape['division']}",
        "results_csv": "/api/v1/results?period=2026&format=csv",
    }
    for user in ("sdm", "admin"):
        client = app.test_client()
        response = client.post("/masuk", data={"username": user, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        for name, path in pages.items():
            times, size, seen = [], 0, 0
            for _ in range(repeat):
                statements[0] = 0
                started = time.perf_counter()
                response = client.get(path)
                body = response.get_data()
                times.append((time.perf_counter() - started) * 1000)
                size, seen = len(body), statements[0]
                if response.status_code != 200:
                    raise SystemExit(f"{user} {path}: {response.status_code}")
            figures[f"{user}.{name}"] = {"p50_ms": round(statistics.median(times), 1),
                                         "statements": seen, "bytes": size}
    engine.dispose()
    return figures


def export_cli(url: str) -> float:
    """Seconds `siklus export-results --period 2026` takes for every unit (to a file)."""
    from web import create_app
    from web.cli import cli

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(cli, ["export-results", "--period", "2026", "-o",
                                                    str(Path(folder) / "hasil.csv")])
        elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    return round(elapsed, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--postgresql", action="store_true", help="start a throwaway PostgreSQL cluster")
    parser.add_argument("--agency", type=int, default=20000, help="employees of the measured agency")
    parser.add_argument("--others", type=int, default=2, help="other agencies of the same size")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("SIKLUS_AUDIT_KEY", "bench-audit-key-0123456789abcdef0123456789")
    os.environ.setdefault("SIKLUS_RESPONDENT_SECRET", "bench-respondent-secret-0123456789abcdef")
    os.environ.setdefault("SIKLUS_SECRET_KEY", "bench-session-key-0123456789abcdef0123456789")
    cluster = None
    folder = tempfile.TemporaryDirectory()
    if args.url:
        url = args.url
    elif args.postgresql:
        from tests.support.pgcluster import start_cluster

        cluster = start_cluster()
        if cluster is None:
            raise SystemExit("no PostgreSQL server binaries found")
        url = cluster.url
    else:
        url = f"sqlite:///{Path(folder.name) / 'bench.db'}"
    try:
        started = time.perf_counter()
        shape = build(url, args.agency, args.others)
        built = time.perf_counter() - started
        figures = measure(url, shape, args.repeat)
        summary = {"bench": "reports", "checkout": str(ROOT), "database": url.split(":", 1)[0],
                   "appraisals": shape["appraisals"], "agency_size": args.agency, "build_s": round(built, 1),
                   "export_results_cli_s": export_cli(url), **figures}
    finally:
        if cluster is not None:
            cluster.stop()
        folder.cleanup()
    for key, value in summary.items():
        if isinstance(value, dict):
            print(f"{key:28} {value}", file=sys.stderr)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
