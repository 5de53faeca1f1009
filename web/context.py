"""What a request works with: its database session, the person acting, their policy, and its unit of work.

Every screen and API view reaches these through this module only.

A request reads through :func:`db_session` freely, and changes data only inside :func:`unit_of_work`:
the unit starts from a fresh transaction (so on SQLite the engine takes the write lock before it reads,
see :func:`engine.db.begin_write`), commits when its block ends, and rolls back when anything in it
fails, a :class:`~engine.errors.SiklusError` refusal shown as a page included. Whatever a request leaves
uncommitted outside a unit (its reads) is rolled back when the request ends (Flask-SQLAlchemy closes the
session with the app context), and an error page or problem document is rendered only after
:func:`discard_work` has rolled the session back; so nothing is ever half-written, and no view rolls back
by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g
from flask_login import current_user
from sqlalchemy.orm import Session

from engine.access import HrScope, require_hr
from engine.errors import Unauthenticated
from engine.messages import Message
from engine.permissions import Actor
from engine.policy import Policy
from web.extensions import db


def db_session() -> Session:
    """This request's session (the engine's services take a plain SQLAlchemy session)."""
    return db.session()


def set_actor(actor: Actor) -> None:
    """Act as ``actor`` for the rest of this request (an API token's owner; see :mod:`web.api.core`)."""
    g.siklus_actor = actor
    g.pop("siklus_policy", None)


def current_actor() -> Actor:
    """The person acting: the API token's owner, or else the logged-in person; Unauthenticated for nobody."""
    actor: Actor | None = g.get("siklus_actor")
    if actor is not None:
        return actor
    if not current_user.is_authenticated:
        raise Unauthenticated("sign in first", msg=Message("auth.sign_in"))
    found: Actor = current_user.actor
    return found


def current_user_id() -> int:
    """The account id of the person acting (Unauthenticated for someone without an account)."""
    user_id = current_actor().user_id
    if user_id is None:
        raise Unauthenticated("sign in first", msg=Message("auth.sign_in"))
    return user_id


def current_policy() -> Policy:
    """What the person acting may do, shared by this request's views until its next unit of work."""
    policy: Policy | None = g.get("siklus_policy")
    if policy is None:
        policy = g.siklus_policy = Policy(db_session(), current_actor())
    return policy


def current_hr_scope() -> HrScope:
    """The units the person acting oversees as HR; Forbidden for someone who oversees none."""
    return require_hr(db_session(), current_actor())


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One change of data: a fresh transaction, committed when the block ends, rolled back if it raises.

    The request's reads so far are ended first (they may be older than what another person has
    written since), and the policy's cached answers are dropped afterwards, so what the request shows
    next is read again from the database.
    """
    session = db_session()
    session.rollback()
    g.pop("siklus_policy", None)
    try:
        yield session
        session.commit()
    except BaseException:
        discard_work()
        raise
    # The engine may have written rows its objects in this session do not show (statements run on
    # the driver): read them again.
    session.expire_all()


def discard_work() -> None:
    """Roll back whatever the request has not committed: the one place a failed request's work is undone."""
    db.session.rollback()
    g.pop("siklus_policy", None)


def _forget_acting_person() -> None:
    # g lives as long as the app context, which several requests may share (a test, a CLI command).
    g.pop("siklus_actor", None)
    g.pop("siklus_policy", None)


def init_app(app: Flask) -> None:
    """Start every request with nobody acting yet: who acts is decided again for each request."""
    app.before_request(_forget_acting_person)
