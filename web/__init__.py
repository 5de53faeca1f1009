"""Siklus web: the Flask app factory."""

from __future__ import annotations

import logging
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from engine import limits
from engine.db import database_url, engine_options
from engine.errors import SiklusError

MIGRATIONS = str(Path(__file__).parent / "migrations")
# The key an early Siklus used when none was configured: published, so never accepted.
_PUBLISHED_KEYS = frozenset({"dev-only-change-me", "dev", "secret", "changeme", "change-me"})
MIN_SECRET_LENGTH = 32
log = logging.getLogger("siklus")


class ConfigurationError(RuntimeError):
    """A setting that makes running Siklus unsafe; the message says what to set."""


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def secret_key(instance_path: str | Path, environ: Mapping[str, str] | None = None) -> str:
    """The session signing key: ``SIKLUS_SECRET_KEY``, or one generated once into the instance folder.

    A published or short key is refused: anyone holding it could sign a session cookie and log in
    as anybody. The generated key suits one host; several hosts share one ``SIKLUS_SECRET_KEY``.
    """
    env = os.environ if environ is None else environ
    configured = env.get("SIKLUS_SECRET_KEY", "").strip()
    if configured:
        if configured in _PUBLISHED_KEYS or len(configured) < MIN_SECRET_LENGTH:
            raise ConfigurationError(
                f"SIKLUS_SECRET_KEY is a published or short key; set a random one of at least {MIN_SECRET_LENGTH} "
                "characters, e.g. python -c 'import secrets; print(secrets.token_hex(32))'")
        return configured
    path = Path(instance_path) / "secret_key"
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if len(value) < MIN_SECRET_LENGTH:
            raise ConfigurationError(f"{path} holds a key shorter than {MIN_SECRET_LENGTH} characters; delete it "
                                     "to have a new one generated, or set SIKLUS_SECRET_KEY")
        return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker wrote it first
        return secret_key(instance_path, env)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    log.warning("No SIKLUS_SECRET_KEY set: generated a session key into %s (keep it private; several "
                "hosts behind one proxy must share one SIKLUS_SECRET_KEY instead).", path)
    return value


#: How much work a request does itself before it becomes a background job (docs/deploy.md), set in the environment.
THRESHOLDS = ("SIKLUS_BULK_INLINE_MAX", "SIKLUS_LAUNCH_INLINE_MAX", "SIKLUS_VERIFY_INLINE_MAX")


def _long_work_settings(app: Flask) -> None:
    """The thresholds of long work and the exports' folder, from the environment where they are set."""
    for name in THRESHOLDS:
        value = os.environ.get(name, "").strip()
        if value:
            if not limits.ascii_digits(value) or len(value) > 8 or int(value) < 1:
                raise ConfigurationError(f"{name} must be a whole number from 1 to 99999999 (how much a request does "
                                         f"itself before the work becomes a background job), not {value!r}")
            app.config[name] = int(value)
    folder = os.environ.get("SIKLUS_EXPORT_FOLDER", "").strip()
    if folder:
        app.config["SIKLUS_EXPORT_FOLDER"] = folder


def create_app(config: Mapping[str, Any] | None = None, *, keys: bool = True) -> Flask:
    """Build the app; ``config`` overrides settings (tests pass a temporary database). ``keys=False``: without
    loading the server's keys (``siklus db upgrade``, which signs nothing, runs while a key file is lost).

    Loaded by gunicorn itself (``gunicorn 'web:create_app()'``), a refusal to start (a lost key file, a bad
    setting) is the one line ``siklus serve`` prints and the exit status gunicorn stops on, not a traceback."""
    if not _loaded_by_gunicorn():
        return _create_app(config, keys=keys)
    from web.cli_support import error_line, fail

    try:
        return _create_app(config, keys=keys)
    except SiklusError as exc:
        fail(error_line(exc), code=GUNICORN_APP_LOAD_ERROR)
    except ConfigurationError as exc:
        fail(str(exc), code=GUNICORN_APP_LOAD_ERROR)


#: The exit status with which a gunicorn worker says the app cannot be loaded: the server then stops instead of
#: starting one worker after another (gunicorn.arbiter.Arbiter.APP_LOAD_ERROR).
GUNICORN_APP_LOAD_ERROR = 4


def _loaded_by_gunicorn() -> bool:
    """Whether this process is gunicorn's own command (``gunicorn`` or ``python -m gunicorn``), which loads the app
    itself; ``siklus serve`` builds the app before it starts gunicorn and says a refusal itself."""
    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    return program is not None and (program.name == "gunicorn" or program.parts[-2:] == ("gunicorn", "__main__.py"))


def _create_app(config: Mapping[str, Any] | None, *, keys: bool) -> Flask:
    instance = os.environ.get("SIKLUS_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True,
                instance_path=str(Path(instance).resolve()) if instance else None)
    url = (config or {}).get("SQLALCHEMY_DATABASE_URI") or database_url(app.instance_path)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(url),
        BABEL_DEFAULT_LOCALE="id",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        LANGUAGES=["id", "en"],
        UPLOAD_FOLDER=os.path.join(app.instance_path, "bukti"),
        # The backstop for any request; each kind of input has its own, smaller limit (engine.limits).
        MAX_CONTENT_LENGTH=limits.MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=limits.FORM_FIELD_BYTES,
        SESSION_COOKIE_NAME="siklus_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure cookies travel only over HTTPS: on by SIKLUS_SECURE_COOKIES=1 or an https base URL.
        SESSION_COOKIE_SECURE=_flag("SIKLUS_SECURE_COOKIES")
        or os.environ.get("SIKLUS_BASE_URL", "").lower().startswith("https://"),
    )
    _long_work_settings(app)
    if config:
        app.config.update(config)
    # Counters every worker and host share: the database itself unless Redis (or another limits
    # storage) is configured.
    app.config.setdefault("RATELIMIT_STORAGE_URI",
                          os.environ.get("SIKLUS_RATELIMIT_STORAGE") or f"siklus+db://{app.config['SQLALCHEMY_DATABASE_URI']}")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    elif app.config["SECRET_KEY"] in _PUBLISHED_KEYS and not app.testing:
        raise ConfigurationError("the configured SECRET_KEY is a published key; set SIKLUS_SECRET_KEY")
    if app.config["SESSION_COOKIE_SECURE"]:
        app.config["PREFERRED_URL_SCHEME"] = "https"
    hops = os.environ.get("SIKLUS_PROXY_HOPS", "").strip()
    if hops:
        if not limits.ascii_digits(hops) or not 0 < int(hops) <= 5:
            raise ConfigurationError("SIKLUS_PROXY_HOPS must be the number of reverse proxies in front (1-5)")
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Trust X-Forwarded-* only from the configured number of proxies: the client address,
        # scheme and host a citizen's rate limit and a secure cookie depend on.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(hops), x_proto=int(hops), x_host=int(hops))  # type: ignore[method-assign]
    from web.inputs import IdConverter, SiklusRequest

    app.request_class = SiklusRequest

    # <id:...> in every route taking a database id: a number no row can have is a 404, not a database error.
    app.url_map.converters["id"] = IdConverter
    from web.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    if keys:
        _configure_keys(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    csrf.init_app(app)
    login_manager.init_app(app)
    from web.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    from web import context, errors, filters, inputs, security

    context.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    inputs.init_app(app)
    _register_blueprints(app)
    return app


def _configure_keys(app: Flask) -> None:
    """Load the server's keys; a missing key file is made again only for a database that holds nothing signed
    with it (engine.keys: a lost key refuses the start, in one line naming the file)."""
    from engine import keys
    from engine.key_guard import signed_data
    from web.extensions import db

    with app.app_context():
        keys.configure(app.instance_path, signed=signed_data(db.engine))


def _register_blueprints(app: Flask) -> None:
    """One blueprint per area; the API's and the public pages' own error handlers live on theirs."""
    from web import (
        api,
        appraisals,
        auth,
        cascade,
        checkpoint_forms,  # the routes of checkpoints.bp that add to a checkpoint
        checkpoints,
        health,
        hr,
        jobs,
        notifications,
        public,
        reports,
        tokens,
    )

    assert checkpoint_forms.bp is checkpoints.bp
    for blueprint in (auth.bp, appraisals.bp, checkpoints.bp, cascade.bp, hr.bp, public.bp, reports.bp,
                      notifications.bp, jobs.bp, tokens.bp, api.bp, health.bp):
        app.register_blueprint(blueprint)
