"""The API blueprint (/api/v1): who may call it, its rate limit, and its errors as problem+json (RFC 9457)
everywhere under /api/v1, unknown routes and methods included; never an HTML page."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

from engine.db import is_busy
from engine.errors import Clash, DatabaseBusy, SiklusError
from web.api import core, queries
from web.extensions import csrf, limiter
from web.ratelimit import API_PER_CALLER, api_caller

bp = Blueprint("api", __name__, url_prefix="/api/v1")
limiter.limit(API_PER_CALLER, key_func=api_caller)(bp)
# Token callers carry no cookie, so no CSRF; browser-session callers are checked in authenticate().
csrf.exempt(bp)

# Operations anyone may call, without a token or a session.
PUBLIC_ENDPOINTS = frozenset({"api.openapi", "api.public_feedback"})


@bp.before_request
def _authenticate() -> None:
    if request.endpoint not in PUBLIC_ENDPOINTS:
        core.authenticate()
    queries.refuse_undeclared_query()


@bp.before_app_request
def _unknown_api_route() -> Response | None:
    """Unknown paths and methods under /api/v1 answer problem+json, not the HTML error page."""
    exc = request.routing_exception
    if (exc is not None and isinstance(exc, HTTPException) and (exc.code or 0) >= 400
            and (request.path == bp.url_prefix or request.path.startswith(f"{bp.url_prefix}/"))):
        return core.http_problem(exc)
    return None


@bp.errorhandler(SiklusError)
def _engine_error(exc: SiklusError) -> Response:
    return core.engine_problem(exc)


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> Response:
    return core.http_problem(exc)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return core.http_problem(exc)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    if is_busy(exc):  # another writer held the database longer than the request could wait, or won a deadlock
        return core.engine_problem(DatabaseBusy())
    if isinstance(exc, IntegrityError):  # another request saved the same thing first: nothing was saved
        current_app.logger.warning("API write refused by the database: %s %s: %s", request.method, request.path,
                                   getattr(exc, "orig", exc))
        return core.engine_problem(Clash())
    current_app.logger.exception("API request failed: %s %s", request.method, request.path)
    return core.http_problem(InternalServerError())
