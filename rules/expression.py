"""Safe expressions for agency formulas and transition guards, evaluated with simpleeval.

``compile_expression(source, names)`` checks an expression once, when a cycle file loads, and
reports problems with a 1-based column: syntax errors, unknown names (with a did-you-mean),
attribute access, and anything that is not a plain expression. What is allowed:

- names declared by the caller (values may be numbers, text, None, booleans, mappings and lists);
- literals: numbers, text, True/False/None, lists and tuples (for ``x in ['a', 'b']``);
- arithmetic ``+ - * / // % **``, comparisons, ``and/or/not``, ``in``/``not in``, ``x if c else y``;
- ``is``/``is not`` against None, True or False only (``x is None``);
- item access ``rating['x']``, ``scores[0]``;
- the functions ``min max abs round len sum``, positional arguments only.

Why it stays safe and fast: no attribute access (so no ``__class__`` walks), no names but the
declared ones (so no builtins or imports), no loops, comprehensions or lambdas, source at most
``MAX_SOURCE_LENGTH`` characters and ``MAX_DEPTH`` levels deep, numbers bounded by ``MAX_NUMBER``
with exponents up to ``MAX_EXPONENT``, text bounded by ``MAX_TEXT``, and no repetition of text or
lists. Evaluation time is therefore bounded by the size of the expression and of the values given.
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from simpleeval import EvalWithCompoundTypes, InvalidExpression

from rules.text import closest, did_you_mean

MAX_SOURCE_LENGTH = 1000
MAX_DEPTH = 60
MAX_NUMBER = 10**18
MAX_EXPONENT = 100
MAX_TEXT = 10_000
MAX_ROUND_DIGITS = 15

SAFE_FUNCTIONS = ("min", "max", "abs", "round", "len", "sum")

_BINARY = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
}
_UNARY = {ast.USub: "-", ast.UAdd: "+", ast.Not: "not"}
_COMPARE = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot)
_FORBIDDEN_WORDS = {
    ast.Lambda: "lambda functions", ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "generator expressions", ast.NamedExpr: "assignment (:=)",
    ast.JoinedStr: "f-strings", ast.Starred: "'*' unpacking", ast.Dict: "mapping literals", ast.Set: "set literals",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
}


class ExpressionError(ValueError):
    """An expression that cannot be compiled or evaluated; ``col`` (1-based) points at the problem.

    A problem found when compiling also carries ``code`` and ``params``: the engine declares
    ``rule.<code>`` with its Indonesian and English texts, so a cycle author reads it in their language.
    """

    def __init__(self, message: str, col: int | None = None, *, line: int | None = None, code: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        """``col`` and ``line`` are 1-based; both are None for errors found while evaluating."""
        super().__init__(message)
        self.message = message
        self.col = col
        self.line = line
        self.code = code
        self.params: Mapping[str, Any] = params or {}

    def __str__(self) -> str:
        return self.message if self.col is None else f"column {self.col}: {self.message}"


@dataclass(frozen=True)
class Expression:
    """A checked expression, ready to evaluate many times."""

    source: str
    names_used: frozenset[str]
    _tree: ast.expr = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """Evaluate with ``values`` for the names; a declared name absent from ``values`` is None."""
        evaluator = _evaluator({name: values.get(name) for name in self.names_used})
        try:
            return evaluator.eval(self.source, previously_parsed=self._tree)
        except ExpressionError:
            raise
        except ZeroDivisionError:
            raise ExpressionError("division by zero") from None
        except KeyError as exc:
            raise ExpressionError(f"no item {exc.args[0]!r} in the value looked into") from None
        except IndexError:
            raise ExpressionError("list index out of range") from None
        except TypeError as exc:
            raise ExpressionError(f"values of the wrong type: {exc}") from None
        except (ValueError, ArithmeticError, InvalidExpression, RecursionError) as exc:
            raise ExpressionError(str(exc) or type(exc).__name__) from None


def compile_expression(source: str, names: Iterable[str]) -> Expression:
    """Check ``source`` against the declared ``names``; raise ExpressionError at the first problem."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be text, not {type(source).__name__}", code="expr.not_text")
    if not source.strip():
        raise ExpressionError("the expression is empty", 1, code="expr.empty")
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionError(f"the expression is {len(source)} characters long; at most {MAX_SOURCE_LENGTH} are "
                              "allowed",
                              MAX_SOURCE_LENGTH + 1, code="expr.too_long",
                              params={"length": len(source), "limit": MAX_SOURCE_LENGTH})
    # Surrounding whitespace (YAML block scalars) is ignored; columns still count from the source.
    text = source.strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        offset = (exc.offset or 1) + (len(source) - len(source.lstrip()) if (exc.lineno or 1) == 1 else 0)
        raise ExpressionError(f"syntax error: {exc.msg}", offset, line=exc.lineno, code="expr.syntax") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"the expression cannot be read: {exc}", code="expr.unreadable") from None
    declared = frozenset(names)
    lead = len(source) - len(source.lstrip())
    used = _Checker(declared, lead).check(tree.body)
    return Expression(source, frozenset(used), tree.body)


class _Checker:
    """Walks the syntax tree once and rejects anything outside the allowed subset."""

    def __init__(self, declared: frozenset[str], lead: int) -> None:
        self.declared = declared
        self.lead = lead
        self.used: set[str] = set()

    def fail(self, node: ast.AST, message: str, code: str, **params: Any) -> ExpressionError:
        col = getattr(node, "col_offset", 0) + 1
        line = getattr(node, "lineno", 1)
        return ExpressionError(message, col + (self.lead if line == 1 else 0), line=line, code=f"expr.{code}",
                               params=params)

    def check(self, root: ast.expr) -> set[str]:
        stack: list[tuple[ast.AST, int]] = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise self.fail(node, f"the expression is nested too deeply (more than {MAX_DEPTH} levels)",
                                "too_deep", limit=MAX_DEPTH)
            for child in self.children(node):
                stack.append((child, depth + 1))
        return self.used

    def children(self, node: ast.AST) -> list[ast.AST]:
        """Check one node and return the sub-expressions still to check."""
        if isinstance(node, ast.Constant):
            self.constant(node)
            return []
        if isinstance(node, ast.Name):
            self.name(node)
            return []
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise self.fail(node, f"the operator {_operator_text(node.op)} is not allowed", "operator",
                                op=_operator_text(node.op).strip("'"))
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise self.fail(node, f"the operator {_operator_text(node.op)} is not allowed", "operator",
                                op=_operator_text(node.op).strip("'"))
            return [node.operand]
        if isinstance(node, ast.BoolOp):
            return list(node.values)
        if isinstance(node, ast.Compare):
            for op, right in zip(node.ops, node.comparators, strict=True):
                if not isinstance(op, _COMPARE):
                    raise self.fail(node, "this comparison is not allowed", "comparison")
                if isinstance(op, (ast.Is, ast.IsNot)) and not (_is_singleton(right) or _is_singleton(node.left)):
                    raise self.fail(node, "use 'is' and 'is not' only with None, True or False; "
                                          "compare values with == and !=", "is_only")
            return [node.left, *node.comparators]
        if isinstance(node, ast.IfExp):
            return [node.test, node.body, node.orelse]
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Subscript):
            return [node.value, node.slice]
        if isinstance(node, ast.Slice):
            return [part for part in (node.lower, node.upper, node.step) if part is not None]
        if isinstance(node, (ast.List, ast.Tuple)):
            return list(node.elts)
        if isinstance(node, ast.Attribute):
            if node.end_col_offset is not None and node.end_lineno == node.lineno:
                # Point at the dot, not at the start of the value before it.
                node = ast.Attribute(value=node.value, attr=node.attr, ctx=node.ctx, lineno=node.lineno,
                                     col_offset=node.end_col_offset - len(node.attr) - 1)
            hint = "" if node.attr.startswith("_") else f"; use item access such as value['{node.attr}']"
            raise self.fail(node, f"attribute access ('.{node.attr}') is not allowed{hint}",
                            "attribute" if node.attr.startswith("_") else "attribute_hint", attr=node.attr)
        what = _FORBIDDEN_WORDS.get(type(node), type(node).__name__)
        raise self.fail(node, f"{what} are not allowed in an expression" if what.endswith("s")
                        else f"{what} is not allowed in an expression", "forbidden",
                        construct=ast.unparse(node)[:40] if not isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom))
                        else what)

    def constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, (int, float)):
            if abs(value) > MAX_NUMBER:
                raise self.fail(node, f"the number {value} is too large (at most {MAX_NUMBER:.0e})", "number",
                                value=str(value), limit=f"{MAX_NUMBER:.0e}")
            return
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise self.fail(node, f"the text is too long (at most {MAX_TEXT} characters)", "text",
                                limit=MAX_TEXT)
            return
        raise self.fail(node, f"{type(value).__name__} literals are not allowed", "literal",
                        kind=type(value).__name__)

    def name(self, node: ast.Name) -> None:
        if node.id.startswith("__"):
            raise self.fail(node, f"names starting with '__' are not allowed ('{node.id}')", "dunder", name=node.id)
        if node.id not in self.declared:
            if node.id in SAFE_FUNCTIONS:
                raise self.fail(node, f"'{node.id}' is a function; call it, e.g. {node.id}(...)", "function",
                                name=node.id)
            raise self.fail(node, f"unknown name '{node.id}'{did_you_mean(node.id, self.declared)}"
                                  + ("" if self.declared else "; no names are declared"),
                            "unknown_name" if self.declared else "unknown_name_none", name=node.id,
                            hint=closest(node.id, self.declared))
        self.used.add(node.id)

    def call(self, node: ast.Call) -> list[ast.AST]:
        if isinstance(node.func, ast.Attribute):
            return [node.func]  # reported as attribute access, the real problem
        if not isinstance(node.func, ast.Name) or node.func.id not in SAFE_FUNCTIONS:
            shown = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise self.fail(node, f"calling '{shown}' is not allowed; the functions are {', '.join(SAFE_FUNCTIONS)}"
                                  f"{did_you_mean(shown, SAFE_FUNCTIONS)}", "call", name=shown,
                            functions=list(SAFE_FUNCTIONS), hint=closest(shown, SAFE_FUNCTIONS))
        if node.keywords:
            raise self.fail(node, f"'{node.func.id}' takes positional arguments only", "keywords", name=node.func.id)
        if not node.args:
            raise self.fail(node, f"'{node.func.id}' needs at least one argument", "no_args", name=node.func.id)
        return list(node.args)


def _is_singleton(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool))


def _operator_text(op: ast.AST) -> str:
    symbols = {ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
               ast.MatMult: "@", ast.Invert: "~"}
    return f"'{symbols.get(type(op), type(op).__name__)}'"


# -- evaluation --------------------------------------------------------------------------------

def _is_num(value: Any) -> bool:
    return isinstance(value, (int, float))


def _check_number(value: Any) -> Any:
    """Results stay finite and within MAX_NUMBER; this is what keeps every step cheap."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionError("the result is not a finite number")
    if _is_num(value) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        raise ExpressionError(f"a number in the calculation is too large (more than {MAX_NUMBER:.0e})")
    return value


def _numeric(symbol: str, function: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        if not (_is_num(a) and _is_num(b)):
            raise ExpressionError(f"'{symbol}' needs two numbers, not {_kind(a)} and {_kind(b)}")
        return _check_number(function(a, b))
    return apply


def _add(a: Any, b: Any) -> Any:
    if _is_num(a) and _is_num(b):
        return _check_number(a + b)
    if type(a) is type(b) and isinstance(a, (str, list, tuple)):
        if len(a) + len(b) > MAX_TEXT:
            raise ExpressionError(f"the joined value is too long (more than {MAX_TEXT} items)")
        return a + b
    raise ExpressionError(f"'+' needs two numbers or two texts, not {_kind(a)} and {_kind(b)}")


def _power(a: Any, b: Any) -> Any:
    if not (_is_num(a) and _is_num(b)):
        raise ExpressionError(f"'**' needs two numbers, not {_kind(a)} and {_kind(b)}")
    if abs(b) > MAX_EXPONENT:
        raise ExpressionError(f"the exponent {b} is too large (at most {MAX_EXPONENT})")
    if abs(a) > MAX_NUMBER:
        raise ExpressionError(f"the number {a} is too large to raise to a power")
    result = a ** b
    if isinstance(result, complex):
        raise ExpressionError("a negative number to a fractional power has no real value")
    return _check_number(result)


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "a boolean"
    if _is_num(value):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


def _round(value: Any, digits: Any = 0) -> Any:
    """Half up, as on paper and as everywhere else in Siklus: round(2.675, 2) is 2.68."""
    if not isinstance(digits, int) or isinstance(digits, bool) or abs(digits) > MAX_ROUND_DIGITS:
        raise ExpressionError(f"round() takes a whole number of digits up to {MAX_ROUND_DIGITS}")
    if not _is_num(value) or isinstance(value, bool):
        raise ExpressionError(f"round() needs a number, not {_kind(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionError("round() needs a finite number")
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return int(rounded) if digits <= 0 else float(rounded)


def _ordering(symbol: str, function: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        try:
            return function(a, b)
        except TypeError:
            raise ExpressionError(f"cannot compare {_kind(a)} with {_kind(b)} using '{symbol}'") from None
    return compare


def _sum(values: Any) -> Any:
    if not isinstance(values, (list, tuple)) or not all(_is_num(v) for v in values):
        raise ExpressionError("sum() needs a list of numbers")
    return _check_number(math.fsum(values) if any(isinstance(v, float) for v in values) else sum(values))


_OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: _add,
    ast.Sub: _numeric("-", operator.sub),
    ast.Mult: _numeric("*", operator.mul),
    ast.Div: _numeric("/", operator.truediv),
    ast.FloorDiv: _numeric("//", operator.floordiv),
    ast.Mod: _numeric("%", operator.mod),
    ast.Pow: _power,
    ast.USub: lambda a: _check_number(-a) if _is_num(a) else _unary_error("-", a),
    ast.UAdd: lambda a: a if _is_num(a) else _unary_error("+", a),
    ast.Not: operator.not_,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: _ordering("<", operator.lt),
    ast.LtE: _ordering("<=", operator.le),
    ast.Gt: _ordering(">", operator.gt),
    ast.GtE: _ordering(">=", operator.ge),
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min, "max": max, "abs": abs, "round": _round, "len": len, "sum": _sum,
}


def _unary_error(symbol: str, value: Any) -> Any:
    raise ExpressionError(f"'{symbol}' needs a number, not {_kind(value)}")


class _Evaluator(EvalWithCompoundTypes):
    """simpleeval with our operators and functions; the checker has already vetted the tree."""

    def __init__(self, names: Mapping[str, Any]) -> None:
        super().__init__(operators=_OPERATORS, functions=_FUNCTIONS, names=dict(names))

    def _eval_attribute(self, node: ast.Attribute) -> Any:  # never reached: the checker refuses attributes
        raise ExpressionError(f"attribute access ('.{node.attr}') is not allowed")


# One evaluator per thread, reused: building one costs ten times evaluating a guard with it.
_local = threading.local()


def _evaluator(names: dict[str, Any]) -> _Evaluator:
    """This thread's evaluator with ``names`` as the values of the names."""
    evaluator: _Evaluator | None = getattr(_local, "evaluator", None)
    if evaluator is None:
        evaluator = _local.evaluator = _Evaluator({})
    evaluator.names = names
    return evaluator


def is_identifier(name: str) -> bool:
    """A name usable in an expression: a Python identifier that is not a keyword or a dunder."""
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("__")
