"""Limits on every door (Flask-Limiter), counted in storage every worker and host shares.

By default the counters live in the Siklus database itself (``rate_limit_counter``, one atomic
upsert per hit), so two gunicorn workers or two hosts behind a proxy count together; a deployment
with Redis sets ``SIKLUS_RATELIMIT_STORAGE=redis://...``. Keys are what an attacker cannot change
at will: the account name for login, the client address (see ``SIKLUS_PROXY_HOPS``), the API token.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from typing import Any

from flask import request
from limits.storage import Storage
from sqlalchemy import Engine, case, create_engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from engine.db import engine_options, normalise_url, retry_on_busy
from engine.models import RateLimitCounter

LOGIN_PER_ACCOUNT = "10 per minute"
LOGIN_PER_ADDRESS = "30 per minute"
API_PER_CALLER = "600 per minute"


class DatabaseStorage(Storage):
    """``limits`` storage over the Siklus database: ``siklus+db://`` plus the SQLAlchemy URL."""

    STORAGE_SCHEME = ["siklus+db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        url = normalise_url((uri or "").split("://", 1)[1])
        self.engine: Engine = create_engine(url, **engine_options(url), pool_size=2) if not url.startswith("sqlite") \
            else create_engine(url, **engine_options(url))

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return OperationalError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        table = RateLimitCounter.__table__
        dialect = self.engine.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        new = insert(table).values(key=key, count=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        stmt = new.on_conflict_do_update(index_elements=[table.c.key], set_={
            "count": case((expired, amount), else_=table.c.count + amount),
            "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
        }).returning(table.c.count)

        def count() -> int:
            with self.engine.begin() as conn:
                return int(conn.execute(stmt).scalar_one())

        # One statement in its own transaction; while a long job holds SQLite it is tried again.
        return retry_on_busy(count)

    def _row(self, key: str) -> tuple[int, float] | None:
        table = RateLimitCounter.__table__
        with self.engine.connect() as conn:
            row = conn.execute(select(table.c.count, table.c.expires_at).where(table.c.key == key)).first()
        if row is None or row[1] <= time.time():
            return None
        return int(row[0]), float(row[1])

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(select(1))
            return True
        except OperationalError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return int(conn.execute(delete(RateLimitCounter.__table__)).rowcount or 0)

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(RateLimitCounter.__table__).where(RateLimitCounter.__table__.c.key == key))


def client_address() -> str:
    """The client's address (behind configured proxies, the forwarded one)."""
    return request.remote_addr or "unknown"


def login_account() -> str:
    """The account a login attempt is for (lower-cased, so case games share one counter)."""
    name = (request.form.get("username") or "").strip().lower()[:80]
    return "login-account:" + hashlib.sha256(name.encode("utf-8")).hexdigest()


def api_caller() -> str:
    """An API caller: the token it presents (hashed), else its address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()
    return "api-addr:" + client_address()


def failed_login(response: Any) -> bool:
    """Only refused logins count against the limits: a person who logs in is not slowed down."""
    return bool(response.status_code == 401)


# -- the public survey ---------------------------------------------------------------------------

SURVEY_ADDRESS_LIMIT = 30


def _setting(name: str, default: float) -> float:
    """A survey setting from the app config, else the environment, else the default (positive numbers only)."""
    import os

    from flask import current_app

    raw = current_app.config.get(name, os.environ.get(name))
    try:
        value = float(raw) if raw not in (None, "") else default
    except (TypeError, ValueError):
        value = default
    return value if value > 0 else default


def survey_limits() -> tuple[int, timedelta]:
    """Answers one device may send per unit, and the window they are counted over (configurable)."""
    from engine.public_feedback import RATE_LIMIT, RATE_WINDOW

    limit = int(_setting("SIKLUS_PUBLIC_FEEDBACK_LIMIT", RATE_LIMIT))
    hours = _setting("SIKLUS_PUBLIC_FEEDBACK_HOURS", RATE_WINDOW.total_seconds() / 3600)
    return limit, timedelta(hours=hours)


def survey_address_allowance() -> int:
    """Answers one address may send per unit within the window (configurable)."""
    return int(_setting("SIKLUS_PUBLIC_FEEDBACK_ADDRESS_LIMIT", SURVEY_ADDRESS_LIMIT))


def survey_address_limit() -> str:
    """The limit of one address per unit (a shared office or phone network sends more than one device)."""
    _limit, window = survey_limits()
    return f"{survey_address_allowance()} per {max(int(window.total_seconds()), 1)} second"


def survey_address_key() -> str:
    """One counter per unit and client address, whatever browser name the client sends."""
    slug = str((request.view_args or {}).get("slug", ""))[:80]
    return f"survey:{slug}:{client_address()}"


def survey_device() -> str:
    """The device key of :func:`engine.public_feedback.device_key` for this request."""
    from engine.public_feedback import device_key

    return device_key(client_address(), request.headers.get("User-Agent", "")[:512])


def answer_stored(response: Any) -> bool:
    """Only stored answers count against the address limit (a form sent back with errors does not)."""
    return bool(response.status_code in (201, 303))


def cross_site_post() -> bool:
    """Whether a browser says this post comes from another site (Sec-Fetch-Site or Origin)."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        from urllib.parse import urlsplit

        return urlsplit(origin).netloc.lower() != request.host.lower()
    return False
