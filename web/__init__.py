"""Siklus web: the Flask app factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from engine.db import database_url, engine_options

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides settings (tests pass a temporary database)."""
    app = Flask(__name__, instance_relative_config=True)
    url = (config or {}).get("SQLALCHEMY_DATABASE_URI") or database_url(app.instance_path)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SIKLUS_SECRET_KEY", "dev-only-change-me"),
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(url),
        BABEL_DEFAULT_LOCALE="id",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        LANGUAGES=["id", "en"],
        UPLOAD_FOLDER=os.path.join(app.instance_path, "bukti"),
        MAX_CONTENT_LENGTH=12 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    if config:
        app.config.update(config)
    from engine import keys

    keys.configure(app.instance_path)
    from web.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    csrf.init_app(app)
    login_manager.init_app(app)
    from web.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    from web import views

    views.register(app)
    return app
