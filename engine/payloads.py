"""The payload schema a firing or a periodic rating is checked against (see :func:`closed_payload_schema`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from jsonschema import Draft202012Validator, ValidationError, validators

from engine.limits import COMMENT_CHARS

#: Keywords after which an object schema is left as the cycle wrote it: it already says what else it takes,
#: or it is composed from parts that a closed ``properties`` would contradict.
_OPEN_OR_COMPOSED = ("additionalProperties", "patternProperties", "unevaluatedProperties", "propertyNames",
                     "allOf", "anyOf", "oneOf", "not", "if", "$ref", "$dynamicRef", "dependentSchemas")


def _max_length(validator: Any, limit: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    """``maxLength`` naming the limit and the length, never the refused text (a pasted book in an error)."""
    if validator.is_type(instance, "string") and len(instance) > limit:
        yield ValidationError(f"is longer than {limit} characters ({len(instance)} given)")


#: The validator of payloads: JSON Schema 2020-12 with a short ``maxLength`` message.
PayloadValidator = validators.extend(Draft202012Validator, {"maxLength": _max_length})


def closed_payload_schema(schema: Mapping[str, Any] | None) -> dict[str, Any]:
    """The payload schema a firing is checked against: the cycle's own, with every object that lists its
    ``properties`` (and says nothing else about other keys) closed to them, no payload at all when the
    transition declares none, and every free text that names no ``maxLength`` held to a comment's
    (:data:`engine.limits.COMMENT_CHARS`: an appeal's reason, a decision's consideration).

    Every value has an owner: a key the cycle does not declare is one no form offers and no rule reads, so a
    forged one (a ``predikat`` beside the rater's behaviour ratings, a note on a step that takes none) is
    refused instead of being kept in the appraisal's data and its audit chain.
    """
    if not schema:
        return {"type": "object", "additionalProperties": False}
    return cast(dict[str, Any], _closed(schema))


def _closed(schema: Any) -> Any:
    if not isinstance(schema, Mapping):
        return schema
    out: dict[str, Any] = dict(schema)
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        out["properties"] = {name: _closed(sub) for name, sub in properties.items()}
        required = schema.get("required") or []
        if (not any(key in schema for key in _OPEN_OR_COMPOSED)
                and all(isinstance(name, str) and name in properties for name in required)):
            out["additionalProperties"] = False
    if isinstance(schema.get("items"), Mapping):
        out["items"] = _closed(schema["items"])
    if schema.get("type") == "string" and "maxLength" not in schema:
        out["maxLength"] = COMMENT_CHARS
    return out
