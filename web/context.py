"""The request's database session and the person acting, as the engine's services take them."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy.orm import Session

from engine.access import HrScope, require_hr
from engine.permissions import Actor
from web.extensions import db


def db_session() -> Session:
    """This request's session (the engine's services take a plain SQLAlchemy session)."""
    return db.session()


def current_actor() -> Actor:
    """The logged-in person as the engine sees them."""
    actor: Actor = current_user.actor
    return actor


def current_hr_scope() -> HrScope:
    """The units the logged-in person oversees as HR; Forbidden for someone who oversees none."""
    return require_hr(db_session(), current_actor())
