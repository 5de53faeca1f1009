"""Schemathesis against the live app (WSGI, no server): generated requests for every operation of the
document, as HR, find no server error and no response that breaks the document."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
from web.api.core import spec

EXAMPLES = 12  # per operation and backend: bounded so the suite stays quick and repeatable


def test_generated_requests_find_no_server_error_and_conform_to_the_document(app, token, run, appraisal_of, national):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    hr = token("hr")
    real_ids = {"appraisal_id": appraisal_of("ani").id, "definition_id": national.id}
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = {f"{m.upper()} {path}" for path, item in spec()["paths"].items() for m in item
                  if m in ("get", "put", "post", "delete")}
    # Schemathesis leaves out the operation that serves the document itself.
    assert {o.label for o in operations} == documented - {"GET /openapi.json"}
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        fixed = {k: v for k, v in real_ids.items() if k in names}
        for path_parameters in ({}, fixed) if fixed else ({},):
            strategy = operation.as_strategy(path_parameters=path_parameters or None)

            @given(case=strategy)
            @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def exercise(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=hr, checks=CHECKS)

            exercise()
