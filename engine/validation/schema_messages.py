"""Layer 2 of validation: the cycle's JSON Schema, with jsonschema's messages rewritten for a person.

``engine/schema/cycle.schema.json`` (draft 2020-12) is checked as a whole; each error becomes a
sentence that names the state, transition or indicator concerned (``'annualy' is not a period kind;
use one of annual, semester, quarterly (did you mean 'annual'?)``) and is located at its value. A
value with alternatives (``oneOf``) is explained by the branch the author meant. Payload schemas of
transitions are checked against the draft 2020-12 meta-schema here too.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from engine.messages import Message
from engine.validation.context import CycleFile
from engine.validation.positions import Path
from engine.validation.words import (
    TYPE_WORDS,
    describe_value,
    either,
    hint_message,
    is_name,
    plural,
    show,
    shown,
    suggest,
    type_message,
    type_words,
    value_message,
)


@cache
def cycle_schema() -> dict[str, Any]:
    """The cycle language's JSON Schema, read once from the package."""
    text = resources.files("engine.schema").joinpath("cycle.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def cycle_validator() -> Draft202012Validator:
    """One validator for the process: building it compiles the schema's references."""
    return Draft202012Validator(cycle_schema())


@cache
def meta_validator() -> Draft202012Validator:
    """The draft 2020-12 meta-schema validator, to check payload schemas."""
    return Draft202012Validator(Draft202012Validator.META_SCHEMA)


def schema_defs() -> dict[str, Any]:
    """The schema's ``$defs``."""
    defs: dict[str, Any] = cycle_schema()["$defs"]
    return defs


def _resolve(schema: Any) -> Any:
    """Follow a local ``$ref`` (the cycle schema only uses ``#/$defs/NAME``)."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/$defs/"):
        schema = schema_defs().get(schema["$ref"][len("#/$defs/"):], {})
    return schema


def _json_type(value: Any) -> str:
    """The JSON Schema type name of a value read from YAML (``other`` for dates and bytes)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if value is None:
        return "null"
    return "other"


def _branch_types(schema: Any) -> set[str] | None:
    """The JSON types a oneOf branch accepts, or None when it does not restrict the type."""
    schema = _resolve(schema)
    if not isinstance(schema, dict):
        return None
    if "type" in schema:
        declared = schema["type"]
        return {declared} if isinstance(declared, str) else set(declared)
    if "enum" in schema:
        return {_json_type(v) for v in schema["enum"]}
    return None


def _fits(types: set[str] | None, value: Any) -> bool:
    """Whether ``value`` has one of ``types`` (None accepts anything)."""
    if types is None:
        return True
    kind = _json_type(value)
    return kind in types or (kind == "integer" and "number" in types)


# What a value with alternatives (oneOf) accepts, keyed as in _Checker._alternatives_key
_ALTERNATIVES = {
    "text": "a text, or a mapping with 'id' (Bahasa Indonesia) and optionally 'en' (English)",
    "source": "a state name or a list of state names",
    "target": "a number or a list of two numbers (a range)",
    "then": "remind, escalate or a mapping {fire: TRIGGER}",
    "guard": "a mapping with 'rule', 'expr' or 'calibration'",
    "questions": "berakhlak, ikm or a list of questions",
    "input": "an input path, a list of paths, a number or true/false",
}

# What a value listed in an enum is, keyed by the field that holds it
_ENUM_NOUNS = {
    "period": "a period kind",
    "resolver": "a role resolver",
    "stage": "a stage",
    "aspect": "an indicator aspect",
    "at": "a point of the period",
    "kind": "a course kind",
    "then": "a deadline action",
    "questions": "a question set",
    "edit": "an edit right",
}

# What a name is, keyed by the field (or, for mapping keys, the mapping) that holds it
_NAME_NOUNS = {
    "roles": "role name",
    "states": "state name",
    "results": "result name",
    "edit": "role name",
    "trigger": "trigger name",
    "source": "state name",
    "dest": "state name",
    "since": "state name",
    "supplied_by": "role name",
    "compute": "result name",
    "rule": "rule name",
    "save_as": "data key",
    "fire": "trigger name",
    "id": "id",
}


def focus(error: ValidationError) -> ValidationError:
    """Follow anyOf/oneOf into the one alternative whose type fits the value, as far as it goes."""
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            if sub.relative_schema_path:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [errs for errs in branches.values()
                   if not any(e.validator == "type" and not e.relative_path for e in errs)]
        if len(fitting) != 1 or len(fitting[0]) != 1:
            best = best_match(error.context)
            return best if best is not None else error
        error = fitting[0][0]
    return error


def check_schema(file: CycleFile) -> None:
    """Every JSON Schema error, rewritten for a person and located at its value."""
    errors = list(cycle_validator().iter_errors(file.data))
    # A value of the wrong type makes every other complaint about it noise.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"
                and "propertyNames" not in e.absolute_schema_path}
    for error in errors:
        path = tuple(error.absolute_path)
        if (error.validator != "type" and path in mistyped) or path in file.unreadable:
            continue
        explain(file, error)


def explain(file: CycleFile, error: ValidationError) -> None:
    """Report one jsonschema error as a sentence located at the value it is about."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if "propertyNames" in error.absolute_schema_path:
        explain_key_name(file, path, error)
    elif kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        owner = file.field(path)
        for key in error.instance:
            if key in allowed:
                continue
            text = file.tree.key_text(path, key)
            hint = suggest(text, allowed)
            close = difflib.get_close_matches(text, allowed, n=1, cutoff=0.6) if hint else []
            where = file.where(path)
            msg = (Message("cycle.unknown_key_hint", key=text, where=where, hint=close[0]) if close
                   else Message("cycle.unknown_key", key=text, where=where, allowed=", ".join(allowed)))
            if not hint:
                hint = f"; allowed keys are {', '.join(allowed)}"
            file.report(path + (key,), f"unknown key '{text}' in {owner}{hint}", key=True, msg=msg)
    elif kind == "required" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
        misspelt = {m for k in error.instance if k not in allowed
                    for m in difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)}
        # the role schema's if/then: a group role must name its group
        needed = " (needed with resolver: group)" if list(error.relative_schema_path)[-2:] == ["then", "required"] \
            else ""
        for name in error.validator_value:
            # "lable" is already reported as "did you mean 'label'?": "missing 'label'" adds nothing
            if name not in error.instance and name not in misspelt:
                file.report(path, f"{file.field(path)} is missing '{name}'{needed}",
                            msg=Message("cycle.missing_group" if needed else "cycle.missing_key", key=name,
                                        where=file.where(path)))
    elif kind == "enum":
        message, msg = enum_message(file, path, error.instance, error.validator_value)
        file.report(path, message, msg=msg)
    elif kind == "type":
        file.report(path, f"{file.field(path)} must be {type_words(error.validator_value)}, "
                          f"not {describe_value(error.instance)}",
                    msg=Message("cycle.type", where=file.where(path), expected=type_message(error.validator_value),
                                actual=value_message(error.instance)))
    elif kind == "pattern":
        message, msg = pattern_message(file, path, error.instance, error.validator_value)
        file.report(path, message, msg=msg)
    elif kind in ("oneOf", "anyOf"):
        explain_alternatives(file, error)
    else:
        message, msg = bound_message(file, path, error)
        file.report(path, message, msg=msg)


def explain_key_name(file: CycleFile, path: Path, error: ValidationError) -> None:
    """A key of roles/states/results/edit that is not a valid name."""
    key = error.instance
    noun = _NAME_NOUNS.get(path[-1] if path else "", "name")
    text = file.tree.key_text(path, key)
    if error.validator == "type":
        message = (f"the key '{text}' is read as {describe_value(key)}, not as a {noun}; "
                   f"quote it (\"{text}\") to use it as a name")
        msg = Message("cycle.key_not_name", key=text, actual=value_message(key), noun=_name_noun(noun))
    elif error.validator == "pattern":
        message, msg = pattern_message(file, path + (key,), key, error.validator_value, noun=noun)
    else:
        message = f"{noun} {show(key)} is not valid: {error.message}"
        msg = Message("cycle.bad_key_name", key=text, noun=_name_noun(noun))
    file.report(path + (key,), message, key=True, msg=msg)


def _name_noun(noun: str) -> Message:
    """What a name is (``state name``), as a coded phrase."""
    return Message("cycle.name." + noun.replace(" ", "_"))


def enum_message(file: CycleFile, path: Path, value: Any, options: Sequence[Any]) -> tuple[str, Message]:
    """``'annualy' is not a period kind; use one of ... (did you mean 'annual'?)``."""
    field = next((p for p in reversed(path) if isinstance(p, str)), "")
    if len(path) >= 3 and path[-3] == "edit":
        field = "edit"
    noun = _ENUM_NOUNS.get(field)
    listed = ", ".join(str(o) for o in options)
    names = [str(o) for o in options]
    choices: Message | str = listed
    if field == "then":
        listed += " or {fire: TRIGGER}"
        choices = Message("cycle.options_then", options=names)
    elif len(options) > 1:
        listed = "one of " + listed
        choices = Message("cycle.options", options=names)
    hint = suggest(value, names) if isinstance(value, str) else ""
    did = hint_message(value, names)
    if noun:
        return (f"{show(value)} is not {noun}; use {listed}{hint}",
                Message("cycle.enum_noun", value=shown(value), noun=Message(f"cycle.enum.{field}"), options=choices,
                        hint=did))
    return (f"{show(value)} is not allowed in {file.field(path)}; use {listed}{hint}",
            Message("cycle.enum", value=shown(value), where=file.where(path), options=choices, hint=did))


#: The form of a checkpoint's last day (``end: "06-30"``) in the cycle schema.
MONTH_DAY = r"^\d{2}-\d{2}$"


def pattern_message(file: CycleFile, path: Path, value: Any, pattern: str,
                    noun: str | None = None) -> tuple[str, Message]:
    """A name or id that does not have the required form, with a corrected spelling when one is obvious."""
    if noun is None:
        field = next((p for p in reversed(path) if isinstance(p, str)), "")
        if field in ("source", "roles", "states", "compute") and isinstance(path[-1], int):
            noun = {"source": "state name", "roles": "role name", "states": "state name",
                    "compute": "result name"}[field]
        else:
            noun = _NAME_NOUNS.get(field, "name")
            if field == "id" and len(path) >= 2:
                noun = {"indicators": "indicator id", "feedback": "feedback window id",
                        "catalog": "course id", "questions": "question id"}.get(
                    next((p for p in reversed(path[:-1]) if isinstance(p, str)), ""), "id")
    if pattern == MONTH_DAY:
        return (f"{show(value)} is not a day of the year: write it MM-DD with two digits each, e.g. '06-30'",
                Message("cycle.bad_month_day", value=shown(value)))
    if pattern == cycle_schema()["properties"]["id"]["pattern"]:
        return (f"{show(value)} is not a valid cycle id: use 2 to 63 lower-case letters, digits, "
                "'-' and '_', starting with a letter or digit", Message("cycle.bad_cycle_id", value=shown(value)))
    fixed = re.sub(r"[^a-z0-9_]+", "_", str(value).strip().lower()).strip("_")
    corrected = is_name(fixed) and fixed != value
    hint = f" (did you mean '{fixed}'?)" if corrected else ""
    long = isinstance(value, str) and len(value) > 63
    too_long = " and at most 63 characters" if long else ""
    return (f"{show(value)} is not a valid {noun}: use lower-case letters, digits and '_', "
            f"starting with a letter{too_long}{hint}",
            Message("cycle.bad_name", value=shown(value), noun=_name_noun(noun),
                    too_long=Message("cycle.name_too_long") if long else "",
                    hint=Message("cycle.did_you_mean", name=fixed) if corrected else ""))


def bound_message(file: CycleFile, path: Path, error: ValidationError) -> tuple[str, Message]:
    """Messages for size and range keywords (minItems, minimum...)."""
    field = file.field(path)
    where = file.where(path)
    kind, limit = error.validator, error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    last = path[-1] if path else ""
    if kind == "minProperties" and last in ("roles", "states"):
        noun, nouns = {"roles": ("role", "roles"), "states": ("state", "states")}[str(last)]
        return (f"{field} needs at least {limit} {noun if limit == 1 else nouns}",
                Message(f"cycle.min_{last}", where=where, limit=limit))
    if kind in ("minItems", "maxItems") and schema.get("minItems") == schema.get("maxItems"):
        return (f"{field} must have exactly {plural(limit, 'item')}, not {len(error.instance)}",
                Message("cycle.exact_items", where=where, limit=limit, count=len(error.instance)))
    if kind == "minItems" and limit == 1:
        return f"{field} needs at least {plural(limit, 'item')}", Message("cycle.min_one_item", where=where)
    if kind == "minLength" and limit == 1:
        return f"{field} must not be empty", Message("cycle.empty_text", where=where)
    if kind == "maxLength" and isinstance(error.instance, str):
        return (f"{field} is longer than {limit} characters ({len(error.instance)}); shorten it",
                Message("cycle.max_length", where=where, limit=limit, length=len(error.instance)))
    words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "greater than"}
    if kind in words:
        return (f"{field} must be {words[kind]} {limit}, not {show(error.instance)}",
                Message(f"cycle.{kind}", where=where, limit=limit, value=shown(error.instance)))
    if kind == "uniqueItems":
        return f"{field}: {error.message}", Message("cycle.unique_items", where=where)
    return f"{field}: {error.message}", Message("cycle.schema_other", where=where, keyword=str(kind))


def alternatives_key(file: CycleFile, error: ValidationError) -> str:
    """Which value with alternatives (text, source, guard...) a oneOf error is about."""
    defs = schema_defs()
    if error.validator_value == defs["text"]["oneOf"]:
        return "text"
    if error.validator_value == defs["guard"]["oneOf"]:
        return "guard"
    if error.validator_value == defs["deadline"]["oneOf"]:
        return "deadline"
    path = tuple(error.absolute_path)
    if len(path) >= 2 and path[-2] == "inputs":
        return "input"
    return path[-1] if path and isinstance(path[-1], str) else ""


def explain_alternatives(file: CycleFile, error: ValidationError) -> None:
    """oneOf/anyOf: explain the branch the author meant rather than every branch."""
    path = tuple(error.absolute_path)
    value = error.instance
    key = alternatives_key(file, error)
    if key == "deadline" and isinstance(value, dict):
        if "within" in value and "at" in value:
            file.report(path, f"{file.field(path)} has both 'within' and 'at'; use one of them",
                        msg=Message("cycle.deadline_both", where=file.where(path)))
        else:
            file.report(path, f"{file.field(path)} needs 'within' (a time after entering the state) "
                              "or 'at' (a point of the period)", msg=Message("cycle.deadline_needs",
                                                                             where=file.where(path)))
        return
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        if sub.relative_schema_path:
            by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    if key == "guard" and isinstance(value, dict):
        kinds = [k for k in ("rule", "expr", "calibration") if k in value]
        if len(kinds) > 1:
            file.report(path, f"{file.field(path)} has both {' and '.join(repr(k) for k in kinds)}; "
                              "a guard uses one of them", msg=Message("cycle.guard_both", where=file.where(path),
                                                                      keys=kinds))
            return
        if not kinds:
            file.report(path, f"{file.field(path)} needs 'rule' (a rule name), 'expr' (an expression) "
                              "or 'calibration' (the unit's organisation predicate)",
                        msg=Message("cycle.guard_needs", where=file.where(path)))
            return
        fitting = [("rule", "expr", "calibration").index(kinds[0])]
    else:
        fitting = [i for i, branch in enumerate(branches) if _fits(_branch_types(branch), value)]
    if not fitting:
        accepted = _ALTERNATIVES.get(key) or " or ".join(
            sorted({TYPE_WORDS.get(t, t) for b in branches for t in (_branch_types(b) or ())}))
        expected = (Message(f"cycle.alt.{key}") if key in _ALTERNATIVES else either(
            [Message(f"cycle.type.{t}") if t in TYPE_WORDS else Message("cycle.type.other", name=t)
             for t in sorted({t for b in branches for t in (_branch_types(b) or ())},
                             key=lambda t: TYPE_WORDS.get(t, t))]))
        file.report(path, f"{file.field(path)} must be {accepted}, not {describe_value(value)}",
                    msg=Message("cycle.type", where=file.where(path), expected=expected, actual=value_message(value)))
        return
    if len(fitting) == 1 and by_branch.get(fitting[0]):
        for sub in by_branch[fitting[0]]:
            explain(file, sub)
        return
    candidates = [sub for i in fitting for sub in by_branch.get(i, [])]
    best = best_match(candidates) if candidates else None
    if best is not None:
        explain(file, best)
    else:
        file.report(path, f"{file.field(path)} must be {_ALTERNATIVES.get(key, 'valid')}",
                    msg=Message("cycle.alt_invalid", where=file.where(path),
                                expected=Message(f"cycle.alt.{key}")) if key in _ALTERNATIVES
                    else Message("cycle.invalid_value", where=file.where(path)))


def check_payload_schemas(file: CycleFile) -> None:
    # large generated cycles repeat one payload schema many times: check each text once
    """Payload schemas are valid JSON Schema (draft 2020-12)."""
    checked: dict[str, list[tuple[Path, str, Message]]] = {}
    for i, t in file.transitions:
        payload = t.get("payload")
        if not isinstance(payload, dict):
            continue
        try:
            key = json.dumps(payload, sort_keys=True, default=repr)
        except (TypeError, ValueError):  # keys of mixed kinds cannot be sorted
            key = f"#{i}"
        if key not in checked:
            checked[key] = []
            for error in meta_validator().iter_errors(payload):
                best = focus(error)
                path = tuple(best.absolute_path)
                checked[key].append((path, *meta_message(file, path, best)))
        owner = file.item_name("transitions", i, "trigger", "transition")
        where = file.item_where("transitions", i, "trigger", "transition")
        for path, message, detail in checked[key]:
            file.report(("transitions", i, "payload") + path,
                        f"the payload schema of {owner} is not valid JSON Schema: {message}",
                        msg=Message("cycle.payload_schema", where=where, detail=detail))


def meta_message(file: CycleFile, path: Path, error: ValidationError) -> tuple[str, Message]:
    """A JSON Schema meta-schema error in words."""
    where = ".".join(str(p) for p in path) or "the schema"
    quoted = f"'{where}'" if path else where
    at = Message("cycle.at.key", key=where) if path else Message("cycle.meta.root")
    if error.validator == "enum" and path and path[-1] == "type":
        options = [str(o) for o in error.validator_value]
        return (f"{show(error.instance)} is not a JSON Schema type; use one of {', '.join(options)}"
                f"{suggest(error.instance, options)}",
                Message("cycle.meta.type_name", value=shown(error.instance), options=options,
                        hint=hint_message(error.instance, options)))
    if error.validator == "type":
        return (f"{quoted} must be {type_words(error.validator_value)}, not {describe_value(error.instance)}",
                Message("cycle.meta.type", where=at, expected=type_message(error.validator_value),
                        actual=value_message(error.instance)))
    if error.validator in ("minimum", "exclusiveMinimum"):
        return (f"{quoted} must be at least {error.validator_value}, not {show(error.instance)}",
                Message("cycle.meta.minimum", where=at, limit=error.validator_value, value=shown(error.instance)))
    if error.validator == "uniqueItems":
        return f"{quoted} must not repeat an item", Message("cycle.meta.unique", where=at)
    return f"{quoted}: {error.message}", Message("cycle.meta.other", where=at, keyword=str(error.validator))
