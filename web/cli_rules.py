"""``siklus rules``: list the installed indicator rules and evaluate one from the command line.

``siklus rules list`` shows every rule with its parameters and the inputs it needs;
``siklus rules eval RULE --params JSON --inputs JSON`` prints one JSON object with the value and the
explanation (and ``missing`` when inputs are missing). Every mistake a person can make here (bad JSON,
an unknown rule, bad parameters, bad inputs) exits with status 1 and a message, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from engine.json_text import NotANumber, parse_json
from rules import Rule, RuleError, UnknownRuleError, all_rules, get_rule
from rules.base import Rule as BaseRule
from rules.registry import RuleRegistryError, rule_origin

rules_group = click.Group(
    "rules",
    help="Indicator rules: list them, or evaluate one with parameters and inputs given as JSON.",
)

_TYPE_WORDS = {
    "object": "mapping",
    "array": "list",
    "string": "text",
    "number": "number",
    "integer": "whole number",
    "boolean": "true/false",
}


def _installed_rules() -> Mapping[str, Rule]:
    try:
        return all_rules()
    except RuleRegistryError as exc:
        raise click.ClickException(str(exc)) from None


@rules_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the rules as one JSON object instead of text.")
def list_command(as_json: bool) -> None:
    """Every rule, its parameters and the inputs it needs."""
    rules = _installed_rules()
    if as_json:
        click.echo(_pretty({name: _rule_json(rule) for name, rule in rules.items()}))
        return
    blocks = [_rule_text(rule) for rule in rules.values()]
    click.echo("\n\n".join(blocks))


@rules_group.command("eval")
@click.argument("rule_name", metavar="RULE")
@click.option("--params", "params_text", default="{}", show_default=True,
              help="The rule's parameters as a JSON object, or @file.json to read them from a file.")
@click.option("--inputs", "inputs_text", default="{}", show_default=True,
              help="The rule's inputs as a JSON object, or @file.json to read them from a file.")
def eval_command(rule_name: str, params_text: str, inputs_text: str) -> None:
    """Evaluate RULE and print its value and explanation as JSON."""
    params = _json_object(params_text, "--params")
    inputs = _json_object(inputs_text, "--inputs")
    _installed_rules()
    try:
        rule = get_rule(rule_name)
    except UnknownRuleError as exc:
        raise click.ClickException(str(exc)) from None
    problems = rule.validate_params(params)
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise click.ClickException(f"bad parameters for rule '{rule.name}':\n{lines}")
    try:
        result = rule.evaluate(params, inputs)
    except RuleError as exc:
        raise click.ClickException(f"bad inputs for rule '{rule.name}': {exc}") from None
    click.echo(_pretty(result.to_json()))


def _pretty(value: Any, level: int = 0) -> str:
    """JSON indented by structure, with lists of plain values kept on one line to stay readable."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_pretty(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) and v for v in value):
        items = [f"{inner}{_pretty(v, level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def _json_object(text: str, option: str) -> dict[str, Any]:
    """Parse an option's JSON (or the file named by @path); it must be an object."""
    source = option
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"{option}: cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise click.ClickException(f"{option} ({path}) is not UTF-8 text; save it with UTF-8 encoding") from None
        source = f"{option} ({path})"
    try:
        value = parse_json(text)
    except NotANumber as exc:
        raise click.ClickException(f"{source} holds {exc.value} at {exc.where or 'the top level'}: JSON has no NaN, "
                                   "Infinity or number that large; write an ordinary number, or null") from None
    except json.JSONDecodeError as exc:
        raise click.ClickException(
            f"{source} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError):  # digits past Python's limit, or nested past its depth
        raise click.ClickException(f"{source} is not valid JSON") from None
    if not isinstance(value, dict):
        raise click.ClickException(f"{source} must be a JSON object such as '{{\"name\": value}}', "
                                   f"not {type(value).__name__ if value is not None else 'null'}")
    return value


def _dynamic_inputs(rule: Rule) -> bool:
    """True when the inputs depend on the parameters (the expression rule's declared names)."""
    return type(rule).inputs_for is not BaseRule.inputs_for


def _rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "title": dict(rule.title),
        "params_schema": rule.params_schema,
        "inputs": {name: {"description": dict(spec.description), "required": spec.required}
                   for name, spec in rule.inputs.items()},
        "inputs_from_params": _dynamic_inputs(rule),
        "origin": rule_origin(rule.name),
    }


def _rule_text(rule: Rule) -> str:
    lines = [f"{rule.name}: {rule.title['en']} ({rule.title['id']})"]
    properties: Mapping[str, Any] = rule.params_schema.get("properties", {})
    required = set(rule.params_schema.get("required", ()))
    if properties:
        lines.append("  params:")
        width = max(len(key) for key in properties)
        for key, spec in properties.items():
            lines.append(f"    {key:<{width}}  {_describe_param(spec, key in required)}")
    else:
        lines.append("  params: none")
    if _dynamic_inputs(rule):
        lines.append("  inputs: the names listed in params.inputs")
    else:
        lines.append("  inputs:")
        width = max(len(name) for name in rule.inputs)
        for name, spec in rule.inputs.items():
            need = "required" if spec.required else "optional"
            lines.append(f"    {name:<{width}}  {need}: {spec.description.get('en', '')}")
    lines.append(f"  from: {rule_origin(rule.name)}")
    return "\n".join(lines)


def _describe_param(spec: Mapping[str, Any], required: bool) -> str:
    if "enum" in spec:
        kind = "one of " + ", ".join(json.dumps(v, ensure_ascii=False) for v in spec["enum"])
    elif "anyOf" in spec:
        kind = " or ".join(_TYPE_WORDS.get(s.get("type", ""), json.dumps(s.get("const"))) for s in spec["anyOf"])
    else:
        kind = _TYPE_WORDS.get(spec.get("type", ""), "value")
    parts = [kind]
    if required:
        parts.append("required")
    if "default" in spec:
        default = json.dumps(spec["default"], ensure_ascii=False)
        parts.append(f"default {default}" if len(default) <= 40 else "default: see docs/rules.md")
    text = ", ".join(parts)
    if spec.get("description"):
        text += f". {spec['description']}"
    return text
