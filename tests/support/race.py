"""A child process that fires one transition when the barrier opens (for the concurrency test)."""

from __future__ import annotations

import time
from typing import Any


def fire_in_child(url: str, appraisal_id: int, trigger: str, username: str, version: int, barrier: Any,
                  results: Any) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import sessionmaker

    from engine.appraisals import fire_transition
    from engine.db import make_engine
    from engine.errors import SiklusError
    from engine.models import User
    from engine.permissions import Actor

    engine = make_engine(url)
    session = sessionmaker(engine, expire_on_commit=False)()
    actor = Actor.of(session.scalars(select(User).where(User.username == username)).one())
    session.rollback()
    barrier.wait(timeout=30)
    try:
        outcome = fire_transition(session, appraisal_id, trigger, actor, {}, expected_version=version)
        results.put(("ok", outcome.to_state))
    except SiklusError as exc:
        results.put((exc.code, exc.message))
    except Exception as exc:  # noqa: BLE001 - report anything else to the parent test
        results.put(("crash", repr(exc)))
    finally:
        session.close()
        engine.dispose()


def migrate_in_child(url: str, cycle_id: str, source_version: int, target_version: int, mapping: dict[str, str],
                     moving: Any, results: Any) -> None:
    """Run ``migrate_appraisals`` as HR in a process of its own, as the CLI does; ``moving`` is set once
    the first batch is committed. Puts ("ok", moved, changed, dealt with, seconds) or ("crash", error) on
    ``results``."""
    from sqlalchemy import select
    from sqlalchemy.orm import sessionmaker

    from engine.db import make_engine
    from engine.migration import migrate_appraisals
    from engine.models import User
    from engine.permissions import Actor
    from engine.registry import find_record

    engine = make_engine(url)
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        actor = Actor.of(session.scalars(select(User).where(User.username == "hr")).one())
        source = find_record(session, cycle_id, source_version, status=None)
        target = find_record(session, cycle_id, target_version, status=None)
        handled: list[float] = []
        began = time.monotonic()

        def moved_some(n: int) -> None:
            handled.append(n)
            moving.set()

        report = migrate_appraisals(session, source, target, mapping, actor, progress=moved_some)
        results.put(("ok", report.moved, report.changed, sum(handled), time.monotonic() - began))
    except Exception as exc:  # noqa: BLE001 - report anything to the parent test
        results.put(("crash", repr(exc)))
    finally:
        moving.set()
        session.close()
        engine.dispose()


def claim_in_child(url: str, worker: str, barrier: Any, results: Any) -> None:
    """Claim one background job as ``worker`` when the barrier opens; puts (worker, job id or None)."""
    from sqlalchemy.orm import sessionmaker

    from engine.db import make_engine
    from engine.jobs import claim

    engine = make_engine(url)
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        barrier.wait(timeout=30)
        job = claim(session, worker=worker)
        results.put((worker, job.id if job is not None else None))
    except Exception as exc:  # noqa: BLE001 - report anything to the parent test
        results.put(("crash", repr(exc)))
    finally:
        session.close()
        engine.dispose()
