"""The OpenAPI document is valid OpenAPI 3.1 and describes exactly the routes the app serves under /api/v1."""

from __future__ import annotations

import re

from jsonschema import Draft202012Validator
from schemathesis.specs.openapi.definitions import OPENAPI_31

from web.api import bp
from web.api.core import spec

METHODS = {"get", "put", "post", "delete", "patch"}


def _walk_schemas(node, where="#"):
    """Every Schema Object of the document (request, response, component and parameter schemas)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema" and isinstance(value, dict):
                yield f"{where}/{key}", value
            elif key == "schemas" and where == "#/components":
                for name, schema in value.items():
                    yield f"{where}/schemas/{name}", schema
            else:
                yield from _walk_schemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _walk_schemas(value, f"{where}/{n}")


def test_the_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(OPENAPI_31).iter_errors(document)]
    assert errors == []
    bad = []
    for where, schema in _walk_schemas(document):
        bad += [f"{where}: {e.message}"
                for e in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(schema)]
    assert bad == []


def test_every_reference_resolves():
    document = spec()
    refs = re.findall(r"'\$ref': '#/([^']+)'", str(document))
    assert refs
    for ref in refs:
        node = document
        for part in ref.split("/"):
            assert part in node, f"#/{ref} does not resolve"
            node = node[part]


def test_every_api_route_is_documented_and_every_documented_operation_exists(app):
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(bp.url_prefix + "/"):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix(bp.url_prefix))
            served |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    documented = {(path, method) for path, item in spec()["paths"].items() for method in item if method in METHODS}
    assert served - documented == set(), "routes missing from web/api/openapi.yaml"
    assert documented - served == set(), "documented operations the app does not serve"


def test_every_operation_documents_its_errors_as_problem_json():
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            if method not in METHODS or path == "/openapi.json":
                continue
            assert "default" in operation["responses"], f"{method} {path}"
            assert "401" in operation["responses"] or operation.get("security") == [], f"{method} {path}"


def test_the_feedback_bounds_in_the_document_are_the_services():
    from engine.feedback import MAX_COMMENT

    body = spec()["components"]["schemas"]["FeedbackCreate"]["properties"]
    assert body["comment"]["maxLength"] == MAX_COMMENT
    # The widest scale a cycle may declare for a question (engine/schema/cycle.schema.json), or the written
    # answer of a text question, as long as a comment.
    assert body["answers"]["additionalProperties"]["oneOf"] == [
        {"type": "integer", "minimum": 1, "maximum": 10}, {"type": "string", "minLength": 1, "maxLength": MAX_COMMENT}]
    responses = spec()["paths"]["/appraisals/{appraisal_id}/feedback"]["post"]["responses"]
    assert {"200", "201", "409", "422"} <= set(responses)


def _parameters(operation: dict, item: dict) -> list[dict]:
    """An operation's parameters with the shared ones of components/parameters resolved."""
    shared = spec()["components"]["parameters"]
    out = []
    for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
        if "$ref" in parameter:
            parameter = shared[parameter["$ref"].rsplit("/", 1)[1]]
        out.append(parameter)
    return out


def _schema(schema: dict) -> dict:
    """A parameter schema with its $ref and allOf parts merged into one mapping."""
    schemas = spec()["components"]["schemas"]
    if "$ref" in schema:
        return _schema(schemas[schema["$ref"].rsplit("/", 1)[1]])
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf", []):
        merged.update(_schema(part))
    return merged


def test_the_document_declares_the_bounds_the_api_enforces():
    from engine.limits import COMPLAINT_CHARS, CYCLE_FILE, MAX_ID, QUERY_TEXT_CHARS

    schemas = spec()["components"]["schemas"]
    assert schemas["DefinitionUpload"]["properties"]["source"]["maxLength"] == CYCLE_FILE.max_bytes
    assert schemas["DefinitionDraft"]["properties"]["source"]["maxLength"] == CYCLE_FILE.max_bytes
    assert schemas["PublicFeedbackCreate"]["properties"]["complaint"]["maxLength"] == COMPLAINT_CHARS
    assert schemas["QueryText"]["maxLength"] == QUERY_TEXT_CHARS
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for parameter in _parameters(operation, item):
                schema, where = _schema(parameter["schema"]), f"{method} {path} {parameter['name']}"
                if parameter["name"].endswith("_id") and schema["type"] == "integer":
                    assert (schema["minimum"], schema["maximum"]) == (1, MAX_ID), where
                elif schema["type"] == "string":
                    assert "maxLength" in schema or "enum" in schema or "pattern" in schema, where
