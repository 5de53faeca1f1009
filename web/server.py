"""The production server: gunicorn running the Siklus app in worker processes with threads.

``siklus serve`` uses it; ``siklus serve --dev`` keeps Werkzeug's development server for development.
A deployment may equally run ``gunicorn 'web:create_app()'`` itself (docs/deploy.md).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class SiklusServer(BaseApplication):
    """gunicorn with its settings from arguments instead of its own command line."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def serve(app: Flask, *, host: str, port: int, workers: int, threads: int, timeout: int) -> None:
    """Serve ``app`` on ``host:port`` until stopped (SIGINT or SIGTERM)."""
    # Database connections must not cross fork(): each worker opens its own.
    with app.app_context():
        from web.extensions import db

        db.engine.dispose()
    SiklusServer(app, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": timeout,
        "graceful_timeout": 30,
        "accesslog": "-",
        "errorlog": "-",
        "forwarded_allow_ips": "127.0.0.1,::1",
        "proc_name": "siklus",
    }).run()
