"""A child process that fires one transition when the barrier opens (for the concurrency test)."""

from __future__ import annotations

from typing import Any


def fire_in_child(url: str, appraisal_id: int, trigger: str, username: str, version: int, barrier: Any, results: Any) -> None:
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
