"""What every ``siklus`` command shares: the app's session, the person acting, and failing with one line."""

from __future__ import annotations

import getpass
import sys
from typing import NoReturn

import click
from sqlalchemy.orm import Session

from engine.limits import MAX_ID
from engine.permissions import Actor

# A database id or version on the command line: the same 1 to 2^31-1 the screens and the API accept.
DATABASE_ID = click.IntRange(1, MAX_ID)


def fail(message: str, code: int = 1) -> NoReturn:
    """One red line on stderr and the exit code; never a traceback."""
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(code)


def session() -> Session:
    """The app's database session (inside the command's app context)."""
    from web.extensions import db  # loaded only by the commands that use the database

    return db.session()


def actor(username: str | None) -> Actor:
    """The named user, or the operator running the CLI (acts with HR rights, named in the audit log)."""
    if not username:
        return Actor(user_id=None, username=f"cli:{getpass.getuser()}", grants=(("admin", None),))
    from engine.users import user_named

    user = user_named(session(), username)
    if user is None:
        fail(f"no user '{username}'")
    return Actor.of(user)
