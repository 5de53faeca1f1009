"""Writes that lose to another writer at the same moment say so and save nothing; never a server error.

PostgreSQL breaks a deadlock by cancelling one side, and a uniqueness rule refuses the second of two
identical saves; both leave nothing written, and the person (or client) is told to try again.
"""

from __future__ import annotations

import threading
import time

import psycopg.errors
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker

import web.api.appraisals
import web.appraisals.page
from engine.appraisals import record_development
from engine.audit import verify_chain
from engine.db import is_busy
from engine.errors import Clash
from engine.models import Appraisal, DevelopmentActivity, Realisation
from engine.runs import find_unit, launch
from tests.support.states import drive

PROBLEM = "application/problem+json"


def _deadlock(*_args: object, **_kwargs: object) -> None:
    raise OperationalError("UPDATE appraisal ...", {}, psycopg.errors.DeadlockDetected("deadlock detected"))


def _duplicate(*_args: object, **_kwargs: object) -> None:
    raise IntegrityError("INSERT INTO ...", {}, psycopg.errors.UniqueViolation("duplicate key value"))


@pytest.fixture
def budi_monitoring(session, org, national, logins):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    budi = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    drive(session, org, budi, "budi", "monitor")
    return budi


def _realisations(session, appraisal_id: int) -> list[float]:
    session.expire_all()
    return list(session.scalars(select(Realisation.value).where(Realisation.appraisal_id == appraisal_id)))


def test_a_write_cancelled_to_break_a_deadlock_answers_503_try_again(client, token, session, budi_monitoring,
                                                                     monkeypatch):
    header = token("budi")
    monkeypatch.setattr(web.api.appraisals, "record_realisation", _deadlock)
    response = client.post(f"/api/v1/appraisals/{budi_monitoring}/realisations", headers=header,
                           json={"indicator": "iki_1", "value": 80})
    assert response.status_code == 503 and response.content_type == PROBLEM
    assert response.json["type"].endswith("database-busy") and "nothing was saved" in response.json["detail"]
    assert int(response.headers["Retry-After"]) > 0
    assert _realisations(session, budi_monitoring) == []


def test_the_second_of_two_identical_saves_answers_409_not_500(client, token, session, budi_monitoring, monkeypatch):
    header = token("budi")
    monkeypatch.setattr(web.api.appraisals, "record_realisation", _duplicate)
    response = client.post(f"/api/v1/appraisals/{budi_monitoring}/realisations", headers=header,
                           json={"indicator": "iki_1", "value": 80})
    assert response.status_code == 409 and response.content_type == PROBLEM
    assert response.json["type"].endswith("conflict")
    assert "nothing was saved" in response.json["detail"] and "reload" in response.json["detail"]


def test_a_screen_whose_save_clashed_says_so_in_indonesian(app, login, session, budi_monitoring, monkeypatch):
    client = login("budi")
    monkeypatch.setattr(web.appraisals.page, "record_realisation_with_evidence", _duplicate)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    version = session.get(Appraisal, budi_monitoring).version
    response = client.post(f"/penilaian/{budi_monitoring}/realisasi",
                           data={"indicator": "iki_1", "value": "80", "note": "", "version": str(version)})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "bertabrakan dengan perubahan lain" in page and "Tidak ada yang disimpan" in page
    assert "Traceback" not in page and "duplicate key" not in page
    assert _realisations(session, budi_monitoring) == []


def test_postgresql_breaking_a_real_deadlock_is_read_as_try_again(db_engine, session, budi_monitoring, org):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time and no deadlocks")
    ani = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    session.commit()
    first, second = (sessionmaker(db_engine)() for _ in range(2))
    lock = "SELECT id FROM appraisal WHERE id = :id FOR UPDATE"
    first.execute(text(lock), {"id": ani})
    second.execute(text(lock), {"id": budi_monitoring})
    errors: list[BaseException] = []

    def cross() -> None:
        try:
            first.execute(text(lock), {"id": budi_monitoring})
        except OperationalError as exc:
            errors.append(exc)

    waiting = threading.Thread(target=cross)
    waiting.start()
    try:
        for _ in range(200):  # until the other side waits for this one's row
            if session.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
                break
            session.rollback()
            time.sleep(0.05)
        second.execute(text(lock), {"id": ani})
    except OperationalError as exc:
        errors.append(exc)
    waiting.join(timeout=30)
    first.rollback(), second.rollback()
    first.close(), second.close()
    assert len(errors) == 1, errors
    assert is_busy(errors[0])


def test_a_second_enrolment_saved_at_the_same_moment_is_a_clash_and_leaves_one(session, org, national):
    """Two enrolments in the same course, both past the 'already enrolled?' check (a double submit): the
    database's unique rule refuses the second, which the engine reports as a clash with nothing written."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, ani, "ani", "develop")
    record_development(session, ani, org.actor("ani"), "Public Speaking", 16, course_id="public_speaking")
    with pytest.raises(Clash) as clash:
        record_development(session, ani, org.actor("ani"), "Public Speaking", 16, course_id="public_speaking")
    assert clash.value.http_status == 409 and clash.value.msg.code == "db.clash"
    session.expire_all()
    assert session.scalars(select(DevelopmentActivity.course_id)
                           .where(DevelopmentActivity.appraisal_id == ani)).all() == ["public_speaking"]
    assert verify_chain(session).ok
