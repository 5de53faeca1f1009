"""A change that waits for an appraisal a migration is moving carries on with the new version once the
move commits: it is neither refused as missing nor failed on the definition it read before waiting.

PostgreSQL re-checks a locked row that changed while the reader waited against the rows it had joined
before waiting; SQLite writes one at a time, so only PostgreSQL can meet this.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.models import Appraisal, AuditEvent, Realisation
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.engine.test_versions import version_two
from tests.support.states import SKP, drive


def _while_moving(db_engine: Any, appraisal_id: int, target_id: int, work: Callable[[Session], Any]) -> Any:
    """Hold the appraisal's row as a migration does, start ``work`` in another session, let it queue
    behind the lock, then move the appraisal to ``target_id`` and commit; ``work``'s result or error."""
    mover = sessionmaker(db_engine, expire_on_commit=False)()
    mover.execute(select(Appraisal.id).where(Appraisal.id == appraisal_id).with_for_update())
    outcome: list[Any] = []

    def run() -> None:
        writer = sessionmaker(db_engine, expire_on_commit=False)()
        try:
            outcome.append(work(writer))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            outcome.append(exc)
        finally:
            writer.close()

    waiting = threading.Thread(target=run)
    waiting.start()
    for _ in range(200):
        if mover.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the change never waited for the lock")
    mover.execute(text("UPDATE appraisal SET definition_id = :target, version = version + 1 WHERE id = :id"),
                  {"target": target_id, "id": appraisal_id})
    mover.commit()
    mover.close()
    waiting.join(timeout=30)
    assert len(outcome) == 1, "the change did not finish"
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


@pytest.fixture
def moving(db_url, session, org, national):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite writes one at a time")
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("admin"))
    session.commit()
    return v2


def _appraisal(session, org, who: str) -> int:
    return session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[who].id)).one()


def test_a_realisation_waiting_on_a_moving_appraisal_lands_on_the_new_version(db_engine, session, org, moving):
    budi = _appraisal(session, org, "budi")
    drive(session, org, budi, "budi", "monitor")
    _while_moving(db_engine, budi, moving.id,
                  lambda s: record_realisation(s, budi, org.actor("budi"), "iki_1", 90))
    session.expire_all()
    assert session.get(Appraisal, budi).definition_id == moving.id
    assert session.scalar(select(Realisation.value).where(Realisation.appraisal_id == budi)) == 90


def test_a_transition_waiting_on_a_moving_appraisal_fires_on_the_new_version(db_engine, session, org, moving):
    ani = _appraisal(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), SKP)
    session.commit()
    outcome = _while_moving(db_engine, ani, moving.id,
                            lambda s: fire_transition(s, ani, "submit_plan", org.actor("ani")))
    # Version 2 calls the supervisor's step 'plan_approval': the transition followed the version it now runs.
    assert outcome.state == "plan_approval"
    session.expire_all()
    assert session.get(Appraisal, ani).state == "plan_approval"
    assert session.scalar(select(AuditEvent.to_state).where(AuditEvent.appraisal_id == ani)
                          .order_by(AuditEvent.seq.desc()).limit(1)) == "plan_approval"
