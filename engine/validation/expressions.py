"""Layer 3 of validation, rules and guard expressions.

Named rules are installed and accept their params (each rule checks its own); guard expressions
compile against the names the cycle provides (its results, ``save_as`` keys and
:data:`engine.vocabulary.GUARD_NAMES`) and read only payload keys their transition declares; a
problem inside an expression is located at its column in the file when the text can be mapped.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator
from typing import Any

import yaml

from engine.calibration_validation import calibration_guard_problems
from engine.errors import Problem
from engine.messages import Message
from engine.rule_problems import expression_message, param_message, unknown_rule_message
from engine.validation.context import CycleFile
from engine.validation.positions import Path
from engine.validation.words import hint_message, is_name, suggest
from engine.vocabulary import DEFAULT_SKP_RULE, guard_expression_names


def rule_uses(file: CycleFile) -> Iterator[tuple[Path, str, Path, Any]]:
    """(rule path, rule name, params path, params or None) of every rule the cycle names."""
    for i, ind in file.indicators:
        if is_name(ind.get("rule")):
            yield ("indicators", i, "rule"), ind["rule"], ("indicators", i, "params"), ind.get("params")
    skp = file.data.get("skp")
    if isinstance(skp, dict):
        rule = skp.get("rule", DEFAULT_SKP_RULE)
        if is_name(rule):
            rule_path: Path = ("skp", "rule") if "rule" in skp else ("skp",)
            yield rule_path, rule, ("skp", "params"), skp.get("params")
    for name, r in file.results.items():
        if is_name(r.get("rule")):
            yield ("results", name, "rule"), r["rule"], ("results", name, "params"), r.get("params")
    for i, t in file.transitions:
        guards = t.get("guards")
        for j, guard in enumerate(guards if isinstance(guards, list) else []):
            if isinstance(guard, dict) and is_name(guard.get("rule")) and "expr" not in guard:
                base = ("transitions", i, "guards", j)
                yield base + ("rule",), guard["rule"], base + ("params",), guard.get("params")


def check_rules(file: CycleFile) -> None:
    """Named rules are installed and accept the params the cycle gives them."""
    uses = list(rule_uses(file))
    if not uses:
        return
    try:
        from rules import UnknownRuleError, get_rule
    except ImportError as exc:
        file.report(uses[0][0], f"cannot check rules: the rules package does not load ({exc})",
                    msg=Message("rule.package"))
        return
    for rule_path, name, params_path, params in uses:
        rule_key = rule_path[-1] == "skp"  # the default skp rule: point at the section
        try:
            rule = get_rule(name)
        except UnknownRuleError as exc:
            from rules import all_rules

            file.report(rule_path, str(exc.args[0]) if exc.args else str(exc), key=rule_key,
                        msg=unknown_rule_message(name, list(all_rules())))
            continue
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the other checks
            file.report(rule_path, f"rule '{name}' failed to load ({type(exc).__name__}: {exc})", key=rule_key,
                        msg=Message("rule.broken", rule=name))
            continue
        if params is not None and not isinstance(params, dict):
            continue  # the schema reports params that are not a mapping
        try:
            param_problems = rule.validate_params(params if params is not None else {})
        except Exception as exc:  # noqa: BLE001 - a rule's own checks are plugin code
            file.report(rule_path, f"rule '{name}' failed while checking its params "
                                   f"({type(exc).__name__}: {exc})", key=rule_key,
                        msg=Message("rule.broken", rule=name))
            continue
        for problem in param_problems:
            inner = tuple(getattr(problem, "path", ()) or ())
            message = _param_message(name, inner, str(problem.message))
            msg = param_message(name, _where(inner), problem)
            if params is None:
                file.report(rule_path, message, key=rule_key, msg=msg)
            else:
                # "unknown parameter 'capp'" is about the key the author wrote, not its value
                about_key = bool(inner) and str(problem.message).startswith("unknown ")
                file.report(params_path + inner, message, key=about_key, msg=msg)


def check_calibration_guards(file: CycleFile) -> None:
    """A calibration guard can find the employees' predicates and its limits suit the calibration rule."""
    for path, message, msg in calibration_guard_problems(file.data):
        file.report(path, message, msg=msg)


def expression_names(file: CycleFile) -> list[str]:
    """The names a guard expression may use."""
    return guard_expression_names(file.results, file.save_as_keys())


def check_expressions(file: CycleFile) -> None:
    """Guard expressions compile against the names the cycle provides."""
    expressions = []
    for i, t in file.transitions:
        guards = t.get("guards")
        for j, guard in enumerate(guards if isinstance(guards, list) else []):
            if isinstance(guard, dict) and isinstance(guard.get("expr"), str) and guard["expr"].strip() \
                    and "rule" not in guard:
                expressions.append((("transitions", i, "guards", j, "expr"), guard["expr"]))
    if not expressions:
        return
    try:
        from rules import ExpressionError, compile_expression
    except ImportError as exc:
        file.report(expressions[0][0], f"cannot check guard expressions: the rules package does not load ({exc})",
                    msg=Message("rule.package"))
        return
    names = expression_names(file)
    for path, text in expressions:
        try:
            compile_expression(text, names)
        except ExpressionError as exc:
            message = str(exc.args[0]) if exc.args else str(exc)
            report_expression(file, path, text, message, expression_message(exc), getattr(exc, "col", None),
                              getattr(exc, "line", None))
        except Exception as exc:  # noqa: BLE001 - the expression compiler is another package's code
            file.report(path, f"the guard expression could not be checked ({type(exc).__name__}: {exc})",
                        msg=Message("rule.expression_broken"))
        else:
            check_payload_keys(file, path, text)


def check_payload_keys(file: CycleFile, path: Path, text: str) -> None:
    """A guard reads only payload keys its transition's payload schema declares.

    ``payload['x']`` and ``'x' in payload`` (also through the transition's own ``save_as`` name)
    with a key the schema does not declare is a typo that silently makes a condition always
    true or always false (an upheld appeal decision that may change the rating after all).
    """
    transition = file.data["transitions"][path[1]]
    schema = transition.get("payload")
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return
    declared = [k for k in schema["properties"] if isinstance(k, str)]
    pattern_schemas = schema.get("patternProperties")
    patterns = [p for p in pattern_schemas if isinstance(p, str)] if isinstance(pattern_schemas, dict) else []
    payload_names = {"payload"} | ({transition["save_as"]} if is_name(transition.get("save_as")) else set())
    lead = len(text) - len(text.lstrip())
    for key, line, col in _payload_keys(text.strip(), payload_names):
        if key in declared or any(_matches(pattern, key) for pattern in patterns):
            continue
        where = f"transition '{transition['trigger']}'" if is_name(transition.get("trigger")) else "this transition"
        msg = Message("cycle.payload_key", where=file.item_where("transitions", path[1], "trigger", "transition"),
                      key=key, hint=hint_message(key, declared), keys=declared or Message("cycle.none"))
        report_expression(
            file, path, text, f"the payload of {where} declares no key '{key}'{suggest(key, declared)}; "
            f"its keys are: {', '.join(declared) or 'none'}", msg, col + (lead if line == 1 else 0), line)


def report_expression(file: CycleFile, path: Path, text: str, message: str, detail: Message, col: Any,
                      line: Any = None) -> None:
    """Point inside the expression when the compiler says where and the text can be found in the file."""
    node = file.tree.node(path)
    msg = Message("cycle.guard_expression", detail=detail)
    if isinstance(col, int) and not isinstance(col, bool) and isinstance(node, yaml.ScalarNode):
        found = expression_position(file, node, text, line if isinstance(line, int) else 1, col)
        if found is not None:
            file.problems.append(Problem(file.filename, found[0], found[1], f"guard expression: {message}", msg))
            return
    file.report(path, f"guard expression: {message}", msg=msg)


def expression_position(file: CycleFile, node: yaml.ScalarNode, text: str, line: int,
                        col: int) -> tuple[int, int] | None:
    """The file's (line, column) of ``line``/``col`` (1-based) in an expression, when it can be mapped.

    A one-line scalar is read as written (quotes skipped); a folded (``>``) or literal (``|``)
    block maps back through its lines; anything else (escapes, blank lines...) gives None.
    """
    mark = node.start_mark
    if mark.line == node.end_mark.line:
        quote = 1 if node.style in ("'", '"') else 0
        raw = file.source[mark.index + quote:node.end_mark.index - quote]
        if raw == text and line == 1 and 1 <= col <= len(text) + 1:
            return mark.line + 1, mark.column + 1 + quote + col - 1
        return None
    if node.style not in (">", "|"):
        return None
    lines = file.source.splitlines()
    body: list[tuple[int, str]] = []
    indent: int | None = None
    for number in range(mark.line + 1, len(lines)):
        content = lines[number]
        if not content.strip():
            break  # the block ends (or has a blank line, which the comparison below refuses)
        width = len(content) - len(content.lstrip(" "))
        if indent is None:
            indent = width
        elif width < indent:
            break
        body.append((number, content[indent:].rstrip()))
    if indent is None or not body:
        return None
    pieces = [piece for _, piece in body]
    if node.style == "|":
        if "\n".join(pieces) != text.rstrip("\n") or not 1 <= line <= len(body):
            return None
        return body[line - 1][0] + 1, indent + col
    if " ".join(pieces) != text or line != 1:
        return None
    offset = col - 1
    for number, piece in body:
        if offset <= len(piece):
            return number + 1, indent + offset + 1
        offset -= len(piece) + 1
    return None


def _payload_keys(text: str, names: Collection[str]) -> Iterator[tuple[str, int, int]]:
    """(key, line, column) of each constant key an expression reads from one of ``names``:
    ``name['key']`` and ``'key' in name`` / ``'key' not in name``."""
    for node in ast.walk(ast.parse(text, mode="eval")):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in names \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            yield node.slice.value, node.slice.lineno, node.slice.col_offset + 1
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) \
                and isinstance(node.left.value, str) and len(node.ops) == 1 \
                and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                and isinstance(node.comparators[0], ast.Name) and node.comparators[0].id in names:
            yield node.left.value, node.left.lineno, node.left.col_offset + 1


def _matches(pattern: str, key: str) -> bool:
    """Whether ``key`` matches a ``patternProperties`` pattern (an invalid pattern matches nothing)."""
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False


def _where(path: Path) -> str:
    """``params.weights[1]``: where in a rule's params."""
    return "params" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _param_message(rule: str, path: Path, message: str) -> str:
    """A rule's complaint about its params as one sentence naming the rule and the parameter."""
    where = "params" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    if re.match(r"(must|needs|allows|has|is|should|cannot) ", message):
        # the rule gave a predicate ("must be at least 0, not -1"): give it its subject
        return f"{where} of rule '{rule}' {message}"
    if path:
        return f"rule '{rule}', {where}: {message}"
    return f"rule '{rule}': {message}"

