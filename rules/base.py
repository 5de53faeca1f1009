"""The one plugin interface every indicator rule implements, built-in or shipped by an agency.

A rule has a ``name``, a bilingual ``title``, a JSON Schema (draft 2020-12) for its parameters and
the ``inputs`` it needs. :meth:`Rule.evaluate` returns a :class:`RuleResult`: a value plus an
explanation in Bahasa Indonesia and English that names the inputs, the arithmetic and the table row
used. Missing inputs give a "waiting for ..." result, never a crash and never a silent zero; inputs
of the wrong kind raise :class:`RuleError` with a message naming the input.

A rule author subclasses :class:`Rule`, sets the class attributes and writes :meth:`Rule.compute`;
parameter defaults come from the schema's ``default`` keywords (read them with :meth:`Rule.param`).

What the engine and the screens need to know about a rule is declared here too, never looked up in
a rule's module or by its name: what its value is (:attr:`Rule.computes`, one of :data:`KINDS`) and
the labels it takes (:attr:`Rule.labels`); the labels, survey elements and answer scale of an input
(:class:`InputSpec`); and which parameters it takes from an SKP indicator's own row
(:attr:`Rule.row_params`). A rule shipped by an agency declares them the same way.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, ClassVar

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from rules.text import LANGS, closest, describe_value, did_you_mean, join

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

#: A rule's value is an employee's predicate (predikat kinerja pegawai); its labels are the predicates.
EMPLOYEE_PREDICATE = "employee_predicate"
#: A rule checks a unit's distribution of employee predicates against the curve for the unit's predicate:
#: it takes the inputs ``unit_predicate`` (its labels are the unit predicates) and ``predicates``, the
#: parameter ``limits`` (unit predicate -> limits), and gives ``counts``, ``employees`` and ``violations``
#: in its details.
CALIBRATION = "calibration"
#: The kinds of value the engine and the screens use by what they are (see :attr:`Rule.computes`).
KINDS: frozenset[str] = frozenset({EMPLOYEE_PREDICATE, CALIBRATION})


@dataclass(frozen=True)
class InputSpec:
    """What a rule needs from the appraisal under one input name.

    ``labels``: the labels the input's values take, best first, when they are labels (a predicate).
    ``elements``: when the input is survey answers, the bilingual name of each element answered, in
    order; ``scale``: the answers each element takes; ``answer_words``: per element, the bilingual
    words of each answer on the scale, worst first.
    """

    description: Mapping[str, str]
    required: bool = True
    labels: tuple[str, ...] = ()
    elements: tuple[Mapping[str, str], ...] = ()
    scale: tuple[int, ...] = ()
    answer_words: tuple[tuple[Mapping[str, str], ...], ...] = ()


@dataclass(frozen=True)
class ParamProblem:
    """One thing wrong with a rule's parameters, located by its path inside the params mapping.

    ``message`` is English; ``code`` and ``params`` say the same for the engine's catalogue (the engine
    declares ``rule.<code>`` with its Indonesian and English texts, see ``engine/rule_problems.py``).
    A rule from outside Siklus may leave the code out: its English sentence is shown as it is.
    """

    path: tuple[str | int, ...]
    message: str
    code: str = field(default="", compare=False)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{format_path(self.path)}: {self.message}"


def format_path(path: Sequence[str | int]) -> str:
    """``params.weights.peers`` / ``params.bands[2].min`` for people reading a message."""
    text = "params"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


class RuleError(Exception):
    """Inputs of the wrong kind or out of range: the message names the input and what is wrong."""

    def __init__(self, message: str, *, input: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.input = input


@dataclass(frozen=True)
class RuleResult:
    """A rule's answer: a JSON-serialisable value and the explanation to show the employee."""

    value: Any
    explanation: Mapping[str, str]
    missing: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "explanation": dict(self.explanation)}
        if self.missing:
            out["missing"] = list(self.missing)
        if self.details:
            out["details"] = self.details
        return out


class Rule(ABC):
    """Base class of every rule; instances are stateless and shared across threads."""

    name: ClassVar[str]
    title: ClassVar[Mapping[str, str]]
    params_schema: ClassVar[Mapping[str, Any]]
    inputs: ClassVar[Mapping[str, InputSpec]] = MappingProxyType({})
    #: What the value is when the engine or a screen uses it as such (one of :data:`KINDS`), else None.
    computes: ClassVar[str | None] = None
    #: The labels the value takes, best first, when it is a label (a rating, a predicate).
    labels: ClassVar[tuple[str, ...]] = ()
    #: Parameters taken from an SKP indicator's own row when the cycle does not set them (the RHK aspect).
    row_params: ClassVar[tuple[str, ...]] = ()

    # -- parameters -------------------------------------------------------------------------
    def validate_params(self, params: Mapping[str, Any]) -> list[ParamProblem]:
        """Every problem with ``params``: the JSON Schema first, then the rule's own checks. Never raises."""
        if not isinstance(params, Mapping):
            return [ParamProblem((), f"parameters must be a mapping of names to values, not {describe_value(params)}",
                             "params_mapping", {"actual": params})]
        problems: list[ParamProblem] = []
        for error in self._validator.iter_errors(dict(params)):
            problems.extend(_problems_from_schema_error(error))
        if problems:
            return sorted(set(problems), key=lambda p: (tuple(str(x) for x in p.path), p.message))
        return list(self.check_params(params))

    def check_params(self, params: Mapping[str, Any]) -> Iterable[ParamProblem]:
        """Checks JSON Schema cannot express (weights totalling 100, ordered bands...).

        Called only when the schema passed, so types can be trusted here.
        """
        return ()

    def param(self, params: Mapping[str, Any], key: str) -> Any:
        """The parameter's value, or its default from the schema."""
        if key in params:
            return params[key]
        return self._defaults[key]

    @cached_property
    def _validator(self) -> Draft202012Validator:
        return Draft202012Validator(dict(self.params_schema))

    @cached_property
    def _defaults(self) -> dict[str, Any]:
        properties = self.params_schema.get("properties", {})
        return {key: spec["default"] for key, spec in properties.items() if "default" in spec}

    # -- evaluation -------------------------------------------------------------------------
    def inputs_for(self, params: Mapping[str, Any]) -> Mapping[str, InputSpec]:
        """The inputs needed with these parameters; most rules need the same ones whatever the params."""
        return self.inputs

    def evaluate(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        """Evaluate with already-valid ``params``; a missing required input gives a waiting result."""
        if type(inputs) is not dict and not isinstance(inputs, Mapping):
            raise RuleError(f"inputs must be a mapping of input names to values, not {describe_value(inputs)}")
        missing = [
            (name, spec.description) for name, spec in self.inputs_for(params).items()
            if spec.required and inputs.get(name) is None
        ]
        if missing:
            return self.waiting(missing)
        return self.compute(params, inputs)

    @abstractmethod
    def compute(self, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> RuleResult:
        """The rule itself; every required input is present (not None) here."""

    def waiting(
        self,
        missing: Sequence[tuple[str, Mapping[str, str]]],
        details: dict[str, Any] | None = None,
    ) -> RuleResult:
        """A result with no value that says what it is waiting for, in both languages."""
        # The inputs by their descriptions: their names (``series``) are the cycle author's, not the reader's.
        described = {
            lang: join([desc.get(lang) or desc.get("en") or name for name, desc in missing], lang)
            for lang in LANGS
        }
        explanation = {
            "id": f"Menunggu data untuk {self.title['id']}: {described['id']}.",
            "en": f"Waiting for data for {self.title['en']}: {described['en']}.",
        }
        return RuleResult(None, explanation, tuple(name for name, _ in missing), details or {})

    def __repr__(self) -> str:
        return f"<rule {self.name}>"


# -- JSON Schema errors as sentences for people ----------------------------------------------

_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


def _problems_from_schema_error(error: ValidationError) -> list[ParamProblem]:
    """Turn one jsonschema error into problems with a precise path and a readable message."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
        # jsonschema reports a bad key at its parent's path; point at the key itself.
        allowed = [str(c) for c in error.schema.get("enum", [])]
        if not allowed:
            return [ParamProblem(path + (error.instance,), error.message, "bad_key", {"key": error.instance})]
        return [ParamProblem(path + (error.instance,), f"unknown key '{error.instance}'"
                                                       f"{did_you_mean(error.instance, allowed)}; allowed: "
                                                       f"{', '.join(allowed)}", "unknown_key_allowed",
                             {"key": error.instance, "hint": closest(error.instance, allowed), "allowed": allowed})]
    if error.context:
        # anyOf/oneOf: report the alternative that got furthest, which is what the author meant.
        deepest = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.context or ())))
        if len(deepest.absolute_path) > len(path):
            return _problems_from_schema_error(deepest)
    if kind == "additionalProperties" and isinstance(error.instance, Mapping):
        known = list(error.schema.get("properties", {}))
        pattern = error.schema.get("patternProperties", {})
        extras = [k for k in error.instance if k not in known and not any(re.search(p, k) for p in pattern)]
        word = "parameter" if not path else "key"
        return [
            ParamProblem(path + (key,), f"unknown {word} '{key}'{did_you_mean(key, known)}", f"unknown_{word}",
                         {"key": key, "hint": closest(key, known)})
            for key in extras
        ] or [ParamProblem(path, error.message, "schema", {"keyword": kind})]
    if kind == "required":
        missing = error.validator_value
        names = [m for m in missing if isinstance(error.instance, Mapping) and m not in error.instance]
        word = "parameter" if not path else "key"
        return [ParamProblem(path, f"missing required {word} '{name}'", f"missing_{word}", {"key": name})
                for name in names]
    if kind == "enum":
        choices = [str(c) for c in error.validator_value]
        hint = did_you_mean(error.instance, choices) if isinstance(error.instance, str) else ""
        return [ParamProblem(path, f"must be one of {', '.join(repr(c) for c in error.validator_value)}, "
                                   f"not {describe_value(error.instance)}{hint}", "enum",
                             {"options": choices, "actual": error.instance,
                              "hint": closest(error.instance, choices) if isinstance(error.instance, str) else None})]
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        return [ParamProblem(path, f"must be {words}, not {describe_value(error.instance)}", "type",
                             {"types": wanted, "actual": error.instance})]
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {
            "minimum": "at least", "exclusiveMinimum": "greater than",
            "maximum": "at most", "exclusiveMaximum": "less than",
        }[kind]
        return [ParamProblem(path, f"must be {words} {error.validator_value}, not {error.instance}", kind,
                             {"limit": error.validator_value, "value": str(error.instance)})]
    if kind == "minItems":
        return [ParamProblem(path, f"needs at least {error.validator_value} item(s)", "min_items",
                             {"limit": error.validator_value})]
    if kind == "maxItems":
        return [ParamProblem(path, f"allows at most {error.validator_value} item(s)", "max_items",
                             {"limit": error.validator_value})]
    if kind == "minProperties":
        entries = "entry" if error.validator_value == 1 else "entries"
        return [ParamProblem(path, f"needs at least {error.validator_value} {entries}", "min_entries",
                             {"limit": error.validator_value})]
    if kind == "minLength":
        if error.validator_value == 1:
            return [ParamProblem(path, "must not be empty", "empty")]
        return [ParamProblem(path, f"must be at least {error.validator_value} characters long", "min_length",
                             {"limit": error.validator_value})]
    if kind == "maxLength":
        return [ParamProblem(path, f"must be at most {error.validator_value} characters long", "max_length",
                             {"limit": error.validator_value})]
    if kind == "uniqueItems":
        return [ParamProblem(path, "must not repeat an item", "unique")]
    if kind == "pattern":
        return [ParamProblem(path, f"{describe_value(error.instance)} does not have the expected form "
                                   f"(pattern {error.validator_value})", "pattern",
                             {"actual": error.instance, "pattern": error.validator_value})]
    return [ParamProblem(path, error.message, "schema", {"keyword": kind})]

