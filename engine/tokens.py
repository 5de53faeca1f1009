"""Personal API tokens: create (the secret is shown once), list, revoke, and verify a presented secret.

Only a SHA-256 of the secret is stored; the first characters (``prefix``) are kept in clear so a
person can tell their tokens apart. A person manages their own tokens; HR (or admin) may revoke the
tokens of people in the units they oversee, and create tokens for them.

A token acts as its person through the API, so each creation and revocation is an event in the system chain
(``token_create`` / ``token_revoke``, filed under the person's unit) recording the token as it then stands: whose
it is, the SHA-256 of its secret, when it expires. ``siklus audit verify`` holds every token row to them
(:mod:`engine.token_verify`): a row written into the database around them, one given to someone else, one whose
expiry was pushed back or whose revocation was lifted, is named.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, joinedload

from engine.access import hr_scope
from engine.audit import EventInfo, append_system_event
from engine.db import write_with_retry
from engine.errors import DatabaseBusy, Forbidden, InvalidInput, NotFound
from engine.messages import Message
from engine.models import ApiToken, Employee, User, utcnow
from engine.permissions import Actor
from engine.policy import HrScope
from engine.users import may_manage as manages_login

SECRET_PREFIX = "sik_"
PREFIX_LENGTH = 12          # "sik_" and 8 characters of the secret, kept in clear
MAX_DAYS = 730              # a token lives at most two years
# last_used_at is written at most this often per token, so reads do not turn into writes.
TOUCH_EVERY = timedelta(minutes=1)
# How long a call waits to record last_used_at while another writer holds the database (SQLite).
TOUCH_WAIT_MS = 250


@dataclass(frozen=True)
class NewToken:
    """A token just created: ``secret`` is shown to the person once and never stored."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def may_manage(session: Session, actor: Actor, user: User, scope: HrScope | None = None) -> bool:
    """Whether ``actor`` may create or revoke tokens of ``user``: themselves, or HR over every unit the user
    belongs to (their employee's unit and the unit of each of their grants), as for managing the login itself
    (:func:`engine.users.may_manage`). A token acts as its person with all their rights, so HR of a unit does not
    make or revoke one for someone who also administers Siklus or is HR of a unit beyond theirs.

    A user without an employee record (an HR officer, an administrator) is managed by themselves and by
    administrators only. ``scope`` is the actor's HR scope when the caller has it already (one per page).
    """
    if actor.user_id == user.id:
        return True
    if actor.is_admin and any(unit is None for role, unit in actor.grants if role == "admin"):
        return True
    if user.employee_id is None:
        return False
    return manages_login(scope if scope is not None else hr_scope(session, actor), actor, user)


def _refusal(session: Session, actor: Actor, user: User) -> Message:
    """Why ``actor`` may not manage ``user``'s tokens: the account is not theirs, or (for HR of the account's
    unit) it holds rights beyond the units they oversee."""
    employee = session.get(Employee, user.employee_id) if user.employee_id is not None else None
    if employee is not None and hr_scope(session, actor).covers(employee.unit_id):
        return Message("token.beyond_scope", username=user.username)
    return Message("token.not_yours", username=user.username)


def create_token(session: Session, actor: Actor, user: User, name: str, *, days: int | None = 90,
                 now: datetime | None = None) -> NewToken:
    """Create a token for ``user`` named ``name``, valid ``days`` days (None: until revoked). Commits."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(Message("token.name_required"))
    if len(name) > 120:
        raise InvalidInput(Message("token.name_long"))
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise InvalidInput(Message("token.days", maximum=MAX_DAYS))
    if not may_manage(session, actor, user):
        raise Forbidden(f"{actor.username} may not create tokens for {user.username}",
                        msg=_refusal(session, actor, user))
    now = now or utcnow()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:PREFIX_LENGTH], token_hash=hash_secret(secret),
                     created_at=now, created_by_id=actor.user_id,
                     expires_at=now + timedelta(days=days) if days is not None else None)
    try:
        session.add(token)
        session.flush()
        _record(session, actor, "token_create", token, user, now)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return NewToken(token, secret)


def _record(session: Session, actor: Actor, kind: str, token: ApiToken, user: User, now: datetime) -> None:
    """The system chain's event of a token created or revoked: the token as it now stands (a revocation records it
    whole, so revoking a token made before tokens were recorded brings it on the record)."""
    employee = session.get(Employee, user.employee_id) if user.employee_id is not None else None
    append_system_event(session, EventInfo(
        kind=kind, actor_user_id=actor.user_id, actor_name=actor.username,
        role="pegawai" if actor.user_id == user.id else "sdm",
        employee_id=user.employee_id, unit_id=employee.unit_id if employee is not None else None,
        payload={"token": token.id, "user_id": user.id, "username": user.username, "name": token.name,
                 "prefix": token.prefix, "token_hash": token.token_hash,
                 "expires_at": token.expires_at.isoformat() if token.expires_at is not None else None,
                 "revoked": token.revoked_at is not None}), occurred_at=now)


def create_own_token(session: Session, actor: Actor, name: str, *, days: int | None = 90,
                     now: datetime | None = None) -> NewToken:
    """Create a token for the actor's own account (see :func:`create_token`). Commits."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise Forbidden(f"{actor.username} has no account to create a token for", msg=Message("token.no_account"))
    return create_token(session, actor, user, name, days=days, now=now)


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """A person's tokens, newest first (revoked ones included, so they see what happened)."""
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(session.scalars(stmt))


def manageable_tokens(session: Session, actor: Actor) -> list[ApiToken]:
    """Live tokens of other people whose tokens ``actor`` may revoke as HR (empty for non-HR)."""
    if not actor.is_hr:
        return []
    stmt = (select(ApiToken).where(ApiToken.revoked_at.is_(None), ApiToken.user_id != (actor.user_id or 0))
            .options(joinedload(ApiToken.user).joinedload(User.employee), joinedload(ApiToken.user)
                     .selectinload(User.grants))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    scope = hr_scope(session, actor)
    return [t for t in session.scalars(stmt).unique() if may_manage(session, actor, t.user, scope)]


def revoke_token(session: Session, actor: Actor, token_id: int, now: datetime | None = None) -> ApiToken:
    """Revoke a token (it stops working at once). Revoking twice is harmless. Commits."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(Message("token.not_found", id=str(token_id)))
    if not may_manage(session, actor, token.user):
        raise Forbidden(f"{actor.username} may not revoke tokens of {token.user.username}",
                        msg=_refusal(session, actor, token.user))

    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        try:
            _record(session, actor, "token_revoke", token, token.user, token.revoked_at)
        except BaseException:
            session.rollback()
            raise
        session.commit()
    return token


def verify_token(session: Session, secret: str, now: datetime | None = None) -> User | None:
    """The active user a presented secret belongs to, or None (unknown, revoked, expired, user disabled).

    Records when the token was last used (at most once a minute); that note is skipped when the
    database is busy with another writer, so a call is never slowed down or refused for it.
    """
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    now = now or utcnow()
    digest = hash_secret(secret)
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == digest)
        .options(joinedload(ApiToken.user).selectinload(User.grants))
    ).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    user = token.user
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        _touch(session, token.id, now)
    return user


def _touch(session: Session, token_id: int, now: datetime) -> None:
    """Note that a token was used at ``now``, unless another call already did within :data:`TOUCH_EVERY`
    or the database stays busy (the note is not worth waiting for)."""
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - TOUCH_EVERY)
    with suppress(DatabaseBusy):
        write_with_retry(session, lambda: session.execute(
            update(ApiToken).where(ApiToken.id == token_id, stale).values(last_used_at=now)
            .execution_options(synchronize_session=False)), attempts=2, wait_ms=TOUCH_WAIT_MS)
