"""Schemathesis against the live app, served over HTTP on both databases: generated requests for every
operation of the document, as HR, find no server error, no hang and no response that breaks the
document. Requests that fit the document must conform; requests that break it (ids past the column,
overlong or control-character text, wrong types) must be refused with a 4xx, never a 500."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
import requests
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import make_server

from web.api.core import spec

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Per operation and backend (once more with real ids where the path takes one): bounded so each
# backend's run stays within a few minutes on a small machine, and repeatable (derandomized).
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 12}
TIMEOUT = 10  # seconds for one answer: longer is a hang


@pytest.fixture
def live(app: Flask) -> Iterator[str]:
    """The app served by a real HTTP server in a thread: what a client sees on the wire, headers included."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _send_generated(strategy: Any, examples: int, send: Callable[[schemathesis.Case], object]) -> None:
    """Send ``examples`` generated requests of one operation, each through ``send``."""

    @given(case=strategy)
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def exercise(case: schemathesis.Case) -> None:
        send(case)

    exercise()


def test_generated_requests_find_no_server_error_and_conform_to_the_document(live, token, run, appraisal_of, national):
    schema = schemathesis.openapi.from_url(f"{live}/api/v1/openapi.json", timeout=TIMEOUT)
    hr = token("hr")
    real_ids = {"appraisal_id": appraisal_of("ani").id, "definition_id": national.id, "run_id": run.id}
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = {f"{m.upper()} {path}" for path, item in spec()["paths"].items() for m in item
                  if m in ("get", "put", "post", "delete")}
    # Schemathesis leaves out the operation that serves the document itself.
    assert {o.label for o in operations} == documented - {"GET /openapi.json"}
    with requests.Session() as http:
        for operation in operations:
            names = {p.name for p in operation.path_parameters}
            fixed = {k: v for k, v in real_ids.items() if k in names}
            for mode, examples in EXAMPLES.items():
                for path_parameters in ({}, fixed) if fixed and mode is GenerationMode.POSITIVE else ({},):
                    strategy = operation.as_strategy(mode, path_parameters=path_parameters or None)
                    checks = CHECKS if mode is GenerationMode.POSITIVE else [not_a_server_error]

                    _send_generated(strategy, examples, partial(
                        schemathesis.Case.call_and_validate, base_url=f"{live}/api/v1", session=http, headers=hr,
                        checks=checks, timeout=TIMEOUT))
