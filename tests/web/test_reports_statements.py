"""The HR pages that read a whole unit cost the same number of SQL statements however many units,
employees and appraisals there are: the reports page and its exports, a sub-unit's report, calibration,
a run's progress, the audit log (whole and narrowed to a unit), and the results export (an N+1 guard, on both
databases)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from engine.models import Appraisal, Employee, OrgUnit, Result, utcnow
from engine.runs import launch

PREDICATES = ["Sangat Baik", "Baik", "Butuh Perbaikan"]


def engine_of(app: Flask) -> Engine:
    from web.extensions import db

    with app.app_context():
        return db.engine


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block."""
    engine = engine_of(app)
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def grow(session: Session, org, national, units: int, people: int, tag: str) -> None:
    """``units`` new sections under BIDANG with ``people`` employees each, launched for 2026 and mostly rated."""
    for u in range(units):
        section = OrgUnit(code=f"SEKSI-{tag}-{u}", name=f"Seksi {tag} {u}", parent_id=org.bidang.id)
        session.add(section)
        session.flush()
        for p in range(people):
            session.add(Employee(nip=f"19900101{ord(tag):03d}{u:03d}{p:04d}", name=f"Staf {tag} {u}.{p}",
                                 unit_id=section.id, supervisor_id=org.people["kabid"].id))
        session.commit()
        launch(session, national, section, "2026", org.actor("hr"))
    for n, appraisal_id in enumerate(session.scalars(
            select(Appraisal.id).join(Employee).join(OrgUnit).where(OrgUnit.code.like(f"SEKSI-{tag}-%")))):
        session.add(Result(appraisal_id=appraisal_id, name="predikat", value=PREDICATES[n % len(PREDICATES)]))
        session.add(Result(appraisal_id=appraisal_id, name="iki.iki_1", value=60 + n % 60))
        # Deadlines spread over the past week and today, so overdue work reads many days and today's rows.
        session.execute(update(Appraisal).where(Appraisal.id == appraisal_id)
                        .values(due_at=utcnow() - timedelta(days=n % 8, minutes=1)))
    session.commit()


PAGES: list[tuple[str, str]] = [
    ("hr", "/laporan/"),
    ("admin", "/laporan/"),
    ("hr", "/laporan/?unit={bidang}"),
    ("hr", "/laporan/?cari=seksi"),
    ("hr", "/laporan/predikat.csv"),
    ("hr", "/laporan/predikat.xlsx"),
    ("hr", "/laporan/indikator.csv"),
    ("hr", "/laporan/terlambat.csv"),
    ("hr", "/sdm/putaran/{run}/kalibrasi?predikat_unit=Baik"),
    ("hr", "/sdm/putaran/{run}/kalibrasi?unit={bidang}&cari=seksi&predikat_unit=Baik"),
    ("hr", "/sdm/putaran/{run}"),
    ("hr", "/sdm/putaran/{run}?hal=2"),
    ("hr", "/sdm/audit"),
    ("hr", "/sdm/audit?unit={bidang}"),
    ("admin", "/sdm/audit?unit=seksi"),
    ("hr", "/api/v1/results?period=2026&format=csv"),
]


def _count(app: Flask, client, path: str) -> int:
    with statements(app) as seen:
        response = client.get(path)
        body = response.get_data()
    assert response.status_code == 200, (path, body[:300])
    # A streamed response reads after its view returned: its connection goes back once the body is read.
    assert engine_of(app).pool.checkedout() == 0, path
    return len(seen)


@pytest.fixture
def measure(app, login, run, org) -> Callable[[], dict[tuple[str, str], int]]:
    def counts() -> dict[tuple[str, str], int]:
        out = {}
        for user, page in PAGES:
            client = login(user)
            path = page.format(bidang=org.bidang.id, run=run.id)
            _count(app, client, path)  # the first request of a login warms what a login caches
            out[(user, page)] = _count(app, client, path)
        return out

    return counts


def test_report_pages_cost_the_same_statements_for_ten_times_the_units_and_people(session, org, national, run,
                                                                                  measure):
    grow(session, org, national, units=2, people=2, tag="a")
    small = measure()
    grow(session, org, national, units=20, people=4, tag="b")
    large = measure()
    assert large == small
    # The audit page's chain check reads each shown appraisal's rows (its 360 nominations among them); what the
    # system chain proves of the rows (cycle texts, grants, tokens) is the whole check's, whatever events it shows.
    assert max(small.values()) <= 26, small


def test_an_agency_report_shows_its_own_level_however_many_units_lie_below(session, org, national, run, login):
    client = login("hr")
    grow(session, org, national, units=1, people=1, tag="c")
    before = client.get("/laporan/").get_data(as_text=True)
    grow(session, org, national, units=30, people=1, tag="d")
    after = client.get("/laporan/").get_data(as_text=True)
    assert "Seksi d 7" not in after  # thirty sections of BIDANG are counted in BIDANG's row, not listed
    assert len(after) < 1.1 * len(before)
