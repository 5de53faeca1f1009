"""Query parameters an operation does not declare are refused, naming them and the ones it takes.

A mistyped filter (``?stat=rated`` for ``?state=rated``) used to be ignored: the client received the
whole unfiltered list as if it were the filtered one. Each operation's query parameters are those the
OpenAPI document (``openapi.yaml``) declares for its path and method; an operation the document does not
describe is not checked here (the tests hold every route to the document).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from flask import request

from engine.messages import Message
from web.api.core import BadRequest, spec

API_PREFIX = "/api/v1"
# At most this many unknown names are repeated back, each at most NAME_CHARS characters.
NAMES_SHOWN = 5
NAME_CHARS = 40
_METHODS = ("get", "put", "post", "patch", "delete")
_RULE_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@cache
def declared_queries() -> dict[tuple[str, str], frozenset[str]]:
    """(path as the document writes it, method) -> the names of the query parameters the operation takes."""
    document = spec()
    shared_parameters: dict[str, Any] = (document.get("components") or {}).get("parameters") or {}

    def resolved(parameter: dict[str, Any]) -> dict[str, Any]:
        ref = parameter.get("$ref")
        return shared_parameters[ref.rsplit("/", 1)[1]] if isinstance(ref, str) else parameter

    found: dict[tuple[str, str], frozenset[str]] = {}
    for path, item in (document.get("paths") or {}).items():
        common = [resolved(p) for p in item.get("parameters") or []]
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = common + [resolved(p) for p in operation.get("parameters") or []]
            found[(path, method.upper())] = frozenset(p["name"] for p in parameters if p.get("in") == "query")
    return found


def document_path(rule: str) -> str:
    """A Flask route of the API as the document writes its path: ``/appraisals/<int:appraisal_id>`` ->
    ``/appraisals/{appraisal_id}``."""
    return _RULE_ARGUMENT.sub(r"{\1}", rule.removeprefix(API_PREFIX))


def refuse_undeclared_query() -> None:
    """Refuse (400) a query parameter the operation does not declare."""
    if not request.args or request.url_rule is None:
        return
    method = "GET" if request.method == "HEAD" else request.method
    allowed = declared_queries().get((document_path(request.url_rule.rule), method))
    if allowed is None:
        return
    unknown = sorted(set(request.args) - allowed)
    if not unknown:
        return
    names = [_shown(name) for name in unknown[:NAMES_SHOWN]] + (["…"] if len(unknown) > NAMES_SHOWN else [])
    if allowed:
        known = sorted(allowed)
        raise BadRequest(f"this operation takes no query parameter {', '.join(names)}; it takes {', '.join(known)}",
                         msg=Message("api.unknown_query", names=names, known=known))
    raise BadRequest(f"this operation takes no query parameters; remove {', '.join(names)}",
                     msg=Message("api.no_query", names=names))


def _shown(name: str) -> str:
    """A name as the caller typed it, quoted, cut short and without control characters."""
    clean = "".join(c if c.isprintable() else "?" for c in name)
    return "'" + (clean if len(clean) <= NAME_CHARS else clean[:NAME_CHARS - 1] + "…") + "'"
