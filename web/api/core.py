"""What every API view shares: who is calling, problem+json errors, request bodies checked against the
OpenAPI document, and opaque cursors.

A caller is either an API token (``Authorization: Bearer <token>``, no CSRF) or the browser session
(unsafe methods then need the CSRF token in ``X-CSRFToken``). Permissions are the engine's, the same
the screens ask.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import Response, current_app, request
from flask_login import current_user
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from engine.errors import (
    DatabaseBusy,
    DefinitionError,
    InvalidPayload,
    RateLimited,
    SiklusError,
    Unauthenticated,
    payload_fields,
)
from engine.json_text import NotANumber, parse_json
from engine.limits import JSON_BODY, JSON_DEPTH, MAX_ID, QUERY_TEXT_CHARS, ascii_digits, check_size
from engine.messages import Message
from engine.permissions import Actor
from engine.tokens import verify_token
from web.context import db_session, discard_work, set_actor
from web.extensions import csrf
from web.inputs import query_text, refuse_nul
from web.messages import LANGUAGES, message_text, problem_json
from web.ratelimit import API_PER_CALLER, survey_address_allowance, survey_limits

SPEC_FILE = Path(__file__).with_name("openapi.yaml")
SPEC_URI = "urn:siklus:api:openapi"
PROBLEM_TYPE = "urn:siklus:problem:"
PROBLEM_MEDIA_TYPE = "application/problem+json"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_MESSAGE = 300  # characters of one body problem's message

TITLES = {
    "bad-request": "The request could not be read",
    "unauthenticated": "Authentication needed",
    "forbidden": "Not allowed",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "conflict": "Changed by someone else",
    "transition-not-allowed": "Transition not possible now",
    "waiting-for-inputs": "Results cannot be computed yet",
    "unknown-trigger": "Unknown trigger",
    "invalid-payload": "Invalid payload",
    "invalid-input": "Invalid input",
    "invalid-body": "Invalid request body",
    "invalid-definition": "Invalid cycle definition",
    "immutable-definition": "Published definitions cannot change",
    "rate-limited": "Too many requests",
    "too-large": "Request too large",
    "database-busy": "Busy, try again shortly",
    "server-error": "Unexpected error",
}


class BadRequest(SiklusError):
    """A request the API cannot read: a malformed query parameter, cursor or JSON body."""

    code = "bad-request"
    http_status = 400


class InvalidBody(SiklusError):
    """A JSON body that does not fit the operation's schema in the OpenAPI document."""

    code = "invalid-body"
    http_status = 422

    def __init__(self, message: str, errors: list[dict[str, str]], *, msg: Message) -> None:
        super().__init__(message, errors=errors, msg=msg)
        self.errors = errors


def _plain(value: Any) -> Any:
    """JSON for values json does not know: times as RFC 3339, the rest as text."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


# -- the document ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    """The OpenAPI document (read once per process)."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator(component: str) -> Draft202012Validator:
    registry: Registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec()))
    return Draft202012Validator({"$ref": f"{SPEC_URI}#/components/schemas/{component}"}, registry=registry)


def _schema_message(err: ValidationError) -> str:
    """A schema error in a few words: never the whole refused value (a comment of megabytes)."""
    if err.validator == "maxLength":
        return f"is longer than {err.validator_value} characters"
    if len(err.message) <= MAX_MESSAGE:
        return err.message
    shown = repr(err.instance)
    if shown in err.message:
        return err.message.replace(shown, shown[:40] + "…")
    return err.message[:MAX_MESSAGE] + "…"


def nesting_depth(value: Any) -> int:
    """How many objects and arrays sit inside one another in ``value`` (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def json_body(component: str) -> dict[str, Any]:
    """The request's JSON object, checked against ``components/schemas/<component>`` of the document.

    A body over the JSON size limit is refused (413) before it is read.
    """
    if request.content_length is not None:
        check_size(JSON_BODY, request.content_length)
    raw = request.get_data(cache=True)
    check_size(JSON_BODY, len(raw))
    if not raw.strip():
        raise BadRequest(Message("api.body_required"))
    try:
        body = parse_json(raw)
        too_deep = nesting_depth(body) > JSON_DEPTH
    except NotANumber as exc:
        where = exc.where or "body"
        raise BadRequest(f"the request body is not valid JSON: {exc.value} at {where} is not a number "
                         "(RFC 8259 has no NaN or Infinity)", msg=Message("api.body_not_a_number", value=exc.value,
                                                                           where=where)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the request body is not valid JSON: {exc}", msg=Message("api.body_not_json")) from None
    except RecursionError:  # deeper than the parser can go: far past JSON_DEPTH
        too_deep = True
    if too_deep:
        raise BadRequest(f"the request body nests more than {JSON_DEPTH} levels deep",
                         msg=Message("api.body_nested", depth=JSON_DEPTH))
    refuse_nul("", body)
    errors = []
    for err in sorted(_validator(component).iter_errors(body), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in err.absolute_path)
        errors.append({"path": path, "message": _schema_message(err)})
    if errors:
        listed = "; ".join(f"{e['path'] or 'body'}: {e['message']}" for e in errors[:5])
        raise InvalidBody(f"the request body is not valid: {listed}", errors,
                          msg=Message("api.body_invalid", fields=payload_fields(errors)))
    assert isinstance(body, dict)
    return body


# -- callers -----------------------------------------------------------------------------------

def authenticate() -> None:
    """Find the caller from a bearer token or the browser session; 401 otherwise."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthenticated(Message("api.bearer"))
        user = verify_token(db_session(), secret.strip())
        if user is None:
            raise Unauthenticated(Message("api.token_unknown"))
        set_actor(Actor.of(user))
        return
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        set_actor(current_user.actor)
        return
    raise Unauthenticated(Message("api.sign_in"))


# -- problems ----------------------------------------------------------------------------------

def problem(status: int, kind: str, detail: str, headers: dict[str, str] | None = None,
            **extra: Any) -> Response:
    """An RFC 9457 problem document, after the request's uncommitted work is rolled back."""
    discard_work()
    body = {"type": PROBLEM_TYPE + kind, "title": TITLES.get(kind, kind.replace("-", " ").capitalize()),
            "status": status, "detail": detail, **extra}
    response = current_app.response_class(json.dumps(body, ensure_ascii=False, default=_plain), status=status,
                                          mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def engine_problem(exc: SiklusError) -> Response:
    """A problem document for an engine error, with what a client needs to act on it."""
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(exc, DefinitionError):
        extra["errors"] = [problem_json(p) for p in exc.problems]
        detail = f"the cycle file has {len(exc.problems)} problem(s); each is listed in 'errors' with its line"
    else:
        detail = exc.message
    if isinstance(exc, (InvalidPayload, InvalidBody)):
        extra["errors"] = exc.errors
    elif isinstance(exc.details.get("rows"), list):  # row problems of an uploaded table
        extra["errors"] = exc.details["rows"]
    elif isinstance(exc.details.get("errors"), dict):  # {field: problem} from a service
        extra["errors"] = [{"path": str(k), "message": str(v)} for k, v in exc.details["errors"].items()]
    for key in ("current_version", "reasons", "closed_at", "skipped", "appraisal_id", "run_id",
                "text", "indicator", "supplied_by", "source"):
        if key in exc.details:
            extra[key] = exc.details[key]
    if exc.msg is not None:  # the coded message: a client shows `text` in its reader's language
        extra.update(exc.msg.as_json())
        extra["text"] = {lang: message_text(exc.msg, lang) for lang in LANGUAGES}
    if exc.http_status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="siklus"'
    if isinstance(exc, DatabaseBusy):
        headers["Retry-After"] = str(exc.retry_after)
    return problem(exc.http_status, exc.code, detail, headers, **extra)


def _limit_message() -> Message:
    """What a limit the limiter enforced says: the public survey's allowance per network address, or the API's
    allowance per caller."""
    if request.endpoint == "api.public_feedback":
        _limit, within = survey_limits()
        return Message("public.address_limited", limit=survey_address_allowance(),
                       hours=max(int(within.total_seconds() // 3600), 1))
    return Message("api.too_many", limit=API_PER_CALLER)


def http_problem(exc: HTTPException) -> Response:
    """A problem document for an HTTP error raised by Flask or Werkzeug (unknown route, bad method...)."""
    status = exc.code or 500
    headers: dict[str, str] = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return problem(405, "method-not-allowed",
                       f"{request.method} is not allowed here; use {headers['Allow']}", headers)
    if status == 404:
        return problem(404, "not-found", f"there is no API resource at {request.path}; "
                       "the operations are listed in /api/v1/openapi.json")
    if status == 413:
        return problem(413, "too-large", "the request is too large")
    if status == 400 and exc.description and "CSRF" in exc.description:
        return problem(400, "bad-request", "a request signed in through the browser must carry the CSRF token "
                       "in the X-CSRFToken header; scripts should use an API token instead")
    if status == 429:  # a limit of the limiter's (before the view ran): said as the engine's own refusals are
        limited = _limit_message()
        return engine_problem(RateLimited(limited.english(), msg=limited))
    if status >= 500:
        return problem(500, "server-error", "something went wrong on the server; nothing was changed. "
                       "Try again, and tell the administrator if it keeps happening")
    return problem(status, "bad-request" if status == 400 else f"http-{status}", exc.description or str(exc))


# -- cursors and query parameters ----------------------------------------------------------------

def encode_cursor(after_id: int | None) -> str | None:
    if after_id is None:
        return None
    return base64.urlsafe_b64encode(json.dumps({"after": after_id}).encode()).decode().rstrip("=")


def decode_cursor(text: str | None) -> int | None:
    if not text:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        after = data["after"]
        # Never past the last id a row can have: a larger number is no cursor of ours, and SQLite cannot bind it.
        if isinstance(after, int) and not isinstance(after, bool) and 0 <= after <= MAX_ID:
            return after
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise BadRequest(Message("api.cursor"))


def int_arg(name: str, default: int | None = None, low: int = 1, high: int = MAX_ID) -> int | None:
    """Whole-number query parameter ``name`` (ASCII digits, optional minus) within ``low`` to ``high``."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    digits = raw[1:] if raw.startswith("-") else raw
    if not ascii_digits(digits) or len(digits) > 12:
        raise BadRequest(f"query parameter '{name}' must be a whole number between {low} and {high}",
                         msg=Message("api.int_arg", name=name, low=low, high=high)) from None
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(f"query parameter '{name}' must be between {low} and {high}",
                         msg=Message("api.int_arg", name=name, low=low, high=high))
    return value


def text_arg(name: str, max_length: int = QUERY_TEXT_CHARS) -> str | None:
    """Text query parameter ``name``, stripped, None when absent; 422 for control characters or over
    ``max_length`` characters (see :func:`web.inputs.query_text`)."""
    return query_text(request.args, name, max_length)


def bool_arg(name: str) -> bool:
    raw = (request.args.get(name) or "").lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadRequest(f"query parameter '{name}' must be true or false, not '{raw}'",
                     msg=Message("api.bool_arg", name=name, value=raw[:40]))


def json_response(data: Any, status: int = 200) -> Response:
    return current_app.response_class(json.dumps(data, ensure_ascii=False, default=_plain), status=status,
                                      mimetype="application/json")
