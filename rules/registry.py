"""Finding rules: every rule comes from an entry point in the ``siklus.rules`` group.

The built-ins register the same way an agency's package does (``builtin = "rules.builtin:RULES"``),
so there is one path for both. An entry point may resolve to a Rule, a Rule subclass (instantiated
without arguments) or an iterable of those. Rules are loaded once per process and cached.

The engine and the screens ask for rules by what they declare (:func:`rules_computing`,
:func:`labels_of`, :func:`row_params_of`), never by a built-in rule's name or module.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from rules.base import KINDS, SNAKE_CASE, Rule
from rules.text import did_you_mean

GROUP = "siklus.rules"
# How the origin of a built-in rule begins (its entry point is named 'builtin').
_BUILTIN = "entry point 'builtin'"


class UnknownRuleError(LookupError):
    """No rule by that name; the message suggests a close name when there is one."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        known = list(known)
        hint = did_you_mean(name, known)
        message = f"unknown rule '{name}'{hint}" if hint else f"unknown rule '{name}'; known rules: {', '.join(known)}"
        super().__init__(message)
        self.name = name
        self.message = message

    def __str__(self) -> str:
        return self.message


class RuleRegistryError(RuntimeError):
    """A rule package is broken: it cannot be loaded, gives something that is not a rule, or clashes."""


_rules: Mapping[str, Rule] | None = None
_origins: dict[str, str] = {}
_lock = threading.Lock()


def all_rules() -> Mapping[str, Rule]:
    """Every installed rule by name, loaded from the entry points once and cached."""
    global _rules
    if _rules is None:
        with _lock:
            if _rules is None:
                _rules, origins = load_rules(entry_points(group=GROUP))
                _origins.clear()
                _origins.update(origins)
    return _rules


def get_rule(name: str) -> Rule:
    """The rule called ``name``; raises UnknownRuleError (with a did-you-mean) when there is none."""
    rules = all_rules()
    try:
        return rules[name]
    except (KeyError, TypeError):
        raise UnknownRuleError(str(name), rules) from None


def rules_computing(kind: str) -> list[Rule]:
    """Every installed rule whose value is ``kind`` (one of :data:`rules.base.KINDS`): the built-in
    ones first, then the others by name."""
    found = [rule for rule in all_rules().values() if rule.computes == kind]
    return sorted(found, key=lambda rule: (not _origins[rule.name].startswith(_BUILTIN), rule.name))


def computes(name: str, kind: str) -> bool:
    """Whether the installed rule ``name`` computes ``kind``; False for a rule that is not installed."""
    rule = all_rules().get(name)
    return rule is not None and rule.computes == kind


def labels_of(kind: str) -> tuple[str, ...]:
    """The labels the rules computing ``kind`` give, best first: the built-in rule's, then any other's."""
    out: dict[str, None] = {}
    for rule in rules_computing(kind):
        out.update(dict.fromkeys(rule.labels))
    return tuple(out)


def row_params_of(name: str) -> tuple[str, ...]:
    """The parameters the rule ``name`` takes from an SKP indicator's own row; none for a rule not installed."""
    rule = all_rules().get(name)
    return rule.row_params if rule is not None else ()


def rule_origin(name: str) -> str:
    """Where a rule came from, e.g. ``entry point 'builtin' (rules.builtin:RULES) of siklus 0.1.0``."""
    all_rules()
    return _origins[name]


def reload_rules() -> Mapping[str, Rule]:
    """Forget the cache and load again (after installing a rule package into a running process)."""
    global _rules
    with _lock:
        _rules = None
    return all_rules()


def load_rules(points: Iterable[EntryPoint]) -> tuple[Mapping[str, Rule], dict[str, str]]:
    """Load rules from entry points; a broken or clashing package raises RuleRegistryError naming it."""
    found: dict[str, Rule] = {}
    origins: dict[str, str] = {}
    for point in sorted(points, key=lambda p: (p.name, p.value)):
        origin = _describe(point)
        try:
            loaded = point.load()
        except Exception as exc:  # any import-time failure of a plug-in is reported, not a crash
            raise RuleRegistryError(f"cannot load rules from {origin}: {type(exc).__name__}: {exc}") from exc
        for rule in _rules_in(loaded, origin):
            _check(rule, origin)
            if rule.name in found:
                if found[rule.name] is rule:
                    continue
                raise RuleRegistryError(
                    f"rule '{rule.name}' is registered twice: by {origins[rule.name]} and by {origin}; "
                    "rename one of them or uninstall one package"
                )
            found[rule.name] = rule
            origins[rule.name] = origin
    return MappingProxyType(dict(sorted(found.items()))), origins


def _describe(point: EntryPoint) -> str:
    dist = getattr(point, "dist", None)
    package = f" of {dist.name} {dist.version}" if dist is not None else ""
    return f"entry point '{point.name}' ({point.value}){package}"


def _rules_in(loaded: Any, origin: str) -> list[Rule]:
    if isinstance(loaded, Rule):
        return [loaded]
    if isinstance(loaded, type) and issubclass(loaded, Rule):
        return [_instantiate(loaded, origin)]
    if isinstance(loaded, Iterable) and not isinstance(loaded, (str, bytes, Mapping)):
        out = []
        for item in loaded:
            if isinstance(item, Rule):
                out.append(item)
            elif isinstance(item, type) and issubclass(item, Rule):
                out.append(_instantiate(item, origin))
            else:
                raise RuleRegistryError(f"{origin} lists {item!r}, which is not a rule (a rules.Rule instance or "
                                        "subclass)")
        return out
    raise RuleRegistryError(f"{origin} gives {loaded!r}, which is not a rule or a list of rules")


def _instantiate(cls: type[Rule], origin: str) -> Rule:
    try:
        return cls()
    except Exception as exc:
        raise RuleRegistryError(f"{origin}: cannot create rule {cls.__name__}: {type(exc).__name__}: {exc}") from exc


def _check(rule: Rule, origin: str) -> None:
    """A rule must be well formed before anyone evaluates it: name, title and a valid schema."""
    name = getattr(rule, "name", None)
    if not isinstance(name, str) or not SNAKE_CASE.match(name):
        raise RuleRegistryError(f"{origin}: rule {type(rule).__name__} needs a snake_case name, not {name!r}")
    title = getattr(rule, "title", None)
    if not isinstance(title, Mapping) or not all(isinstance(title.get(k), str) and title.get(k) for k in ("id", "en")):
        raise RuleRegistryError(f"{origin}: rule '{name}' needs a title with 'id' and 'en' texts")
    try:
        Draft202012Validator.check_schema(dict(rule.params_schema))
    except SchemaError as exc:
        raise RuleRegistryError(f"{origin}: rule '{name}' has an invalid params_schema: {exc.message}") from exc
    except AttributeError as exc:
        raise RuleRegistryError(f"{origin}: rule '{name}' has no params_schema") from exc
    _check_declarations(rule, origin)


def _check_declarations(rule: Rule, origin: str) -> None:
    """What a rule declares for the engine and the screens must be of the declared kinds."""
    name = rule.name
    computes = getattr(rule, "computes", None)
    if computes is not None and computes not in KINDS:
        raise RuleRegistryError(f"{origin}: rule '{name}' computes {computes!r}, which is not one of "
                                f"{', '.join(sorted(KINDS))}{did_you_mean(str(computes), sorted(KINDS))}")
    if not _strings(getattr(rule, "labels", ())):
        raise RuleRegistryError(f"{origin}: rule '{name}' needs its labels as a tuple of texts")
    properties = rule.params_schema.get("properties", {})
    for param in getattr(rule, "row_params", ()):
        if param not in properties:
            raise RuleRegistryError(f"{origin}: rule '{name}' takes '{param}' from the indicator row but has no "
                                    "such parameter in its params_schema")
    for input_name, spec in rule.inputs.items():
        if not _strings(spec.labels):
            raise RuleRegistryError(f"{origin}: rule '{name}', input '{input_name}': labels must be a tuple of texts")
        if not all(isinstance(e, Mapping) and isinstance(e.get("id"), str) for e in spec.elements):
            raise RuleRegistryError(f"{origin}: rule '{name}', input '{input_name}': each element needs an 'id' text")
        if spec.elements and not spec.scale:
            raise RuleRegistryError(f"{origin}: rule '{name}', input '{input_name}': survey elements need a scale")


def _strings(values: Any) -> bool:
    return isinstance(values, tuple) and all(isinstance(v, str) and v for v in values)

