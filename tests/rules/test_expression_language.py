"""compile_expression / Expression: the safe expression language for formulas and transition guards."""

from __future__ import annotations

import re
from contextlib import suppress
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules import ExpressionError, compile_expression
from rules.expression import MAX_SOURCE_LENGTH

NAMES = ["results", "feedback", "self", "rating", "status", "scores", "payload", "indicator_count"]


def run(source: str, **values: Any) -> Any:
    return compile_expression(source, NAMES).evaluate(values)


@pytest.mark.parametrize(
    "source, values, expected",
    [
        ("0.6*results + 0.3*feedback + 0.1*self", {"results": 80, "feedback": 90, "self": 70}, 82.0),
        ("results >= 90 and feedback >= 3", {"results": 95, "feedback": 3}, True),
        ("not (results < 90 or feedback < 3)", {"results": 95, "feedback": 2}, False),
        ("rating['work_results'] == 'Di Atas Ekspektasi'", {"rating": {"work_results": "Di Atas Ekspektasi"}}, True),
        ("status in ['Baik', 'Sangat Baik']", {"status": "Baik"}, True),
        ("status not in ('Baik',)", {"status": "Kurang"}, True),
        ("rating is None", {}, True),
        ("rating is not None and rating['x'] > 1", {"rating": {"x": 2}}, True),
        ("indicator_count >= 1", {"indicator_count": 3}, True),
        ("payload['catatan'] != ''", {"payload": {"catatan": "ok"}}, True),
        ("scores[0] + scores[-1]", {"scores": [1, 2, 3]}, 4),
        ("len(scores)", {"scores": [1, 2, 3]}, 3),
        ("sum(scores) / len(scores)", {"scores": [1, 2, 3]}, 2.0),
        ("max(results, feedback, self)", {"results": 1, "feedback": 5, "self": 3}, 5),
        ("min(scores)", {"scores": [4, 2, 9]}, 2),
        ("abs(results - feedback)", {"results": 70, "feedback": 90}, 20),
        ("round(results, 2)", {"results": 2.675}, 2.68),
        ("round(results)", {"results": 2.5}, 3),
        ("results ** 2", {"results": 12}, 144),
        ("results // 7 + results % 7", {"results": 30}, 6),
        ("'lulus' if results >= 90 else 'belum'", {"results": 89}, "belum"),
        ("status + ' (final)'", {"status": "Baik"}, "Baik (final)"),
        ("1 < results <= 10", {"results": 10}, True),
    ],
)
def test_allowed_expressions(source: str, values: dict, expected: Any) -> None:
    assert run(source, **values) == expected


def test_names_used_are_reported_for_the_engine() -> None:
    expression = compile_expression("rating['x'] == 'Baik' and results > max(feedback, 1)", NAMES)
    assert expression.names_used == frozenset({"rating", "results", "feedback"})
    assert expression.source == "rating['x'] == 'Baik' and results > max(feedback, 1)"


@pytest.mark.parametrize(
    "source, message, col",
    [
        ("reslts + 1", "unknown name 'reslts' (did you mean 'results'?)", 1),
        ("1 + nilai", "unknown name 'nilai'", 5),
        ("rating.__class__", "attribute access ('.__class__') is not allowed", 7),
        ("rating.x", "attribute access ('.x') is not allowed; use item access such as value['x']", 7),
        ("status.upper()", "attribute access ('.upper') is not allowed", 7),
        ("__import__('os')", "calling '__import__' is not allowed", 1),
        ("open('/etc/passwd')", "calling 'open' is not allowed; the functions are min, max, abs, round, len, sum", 1),
        ("__builtins__", "names starting with '__' are not allowed", 1),
        ("[x for x in scores]", "comprehensions are not allowed in an expression", 1),
        ("(lambda: 1)()", "calling 'lambda: 1' is not allowed", 1),
        ("lambda: 1", "lambda functions are not allowed", 1),
        ("{'a': 1}", "mapping literals are not allowed", 1),
        ("f'{results}'", "f-strings are not allowed", 1),
        ("results is 5", "use 'is' and 'is not' only with None, True or False", 1),
        ("max(scores, key=len)", "'max' takes positional arguments only", 1),
        ("max", "'max' is a function; call it, e.g. max(...)", 1),
        ("results @ results", "the operator '@' is not allowed", 1),
        ("results << 2", "the operator '<<' is not allowed", 1),
        ("~results", "the operator '~' is not allowed", 1),
        ("1j", "complex literals are not allowed", 1),
        ("10**20 + 10**30", "", None),
        ("results +", "syntax error", None),
        ("results = 1", "syntax error", None),
        ("import os", "syntax error", None),
        ("", "the expression is empty", 1),
        ("  reslts", "unknown name 'reslts'", 3),
    ],
)
def test_forbidden_and_broken_expressions_are_refused_with_a_column(source: str, message: str, col: int | None) -> None:
    if message == "":  # compiles; the bound bites at evaluation
        with pytest.raises(ExpressionError, match="too large"):
            compile_expression(source, NAMES).evaluate({})
        return
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source, NAMES)
    assert message in caught.value.message
    if col is not None:
        assert caught.value.col == col
        assert str(caught.value).startswith(f"column {col}: ")


def test_unknown_names_without_declared_names_say_so() -> None:
    with pytest.raises(ExpressionError, match="no names are declared"):
        compile_expression("x + 1", [])


def test_length_is_bounded() -> None:
    with pytest.raises(ExpressionError, match=f"at most {MAX_SOURCE_LENGTH} are allowed"):
        compile_expression("1+" * 600 + "1", NAMES)


def test_depth_is_bounded() -> None:
    with pytest.raises(ExpressionError, match="nested too deeply"):
        compile_expression("-" * 200 + "1", NAMES)


@pytest.mark.parametrize(
    "source, values, message",
    [
        ("results / feedback", {"results": 1, "feedback": 0}, "division by zero"),
        ("results % feedback", {"results": 1, "feedback": 0}, "division by zero"),
        ("results > 3", {}, "cannot compare None with a number using '>'"),
        ("results + 1", {"results": None}, "'+' needs two numbers or two texts, not None and a number"),
        ("status * 3", {"status": "ab"}, "'*' needs two numbers, not text and a number"),
        ("rating['y']", {"rating": {"x": 1}}, "no item 'y'"),
        ("scores[5]", {"scores": [1]}, "list index out of range"),
        ("results ** 101", {"results": 2}, "the exponent 101 is too large"),
        ("9 ** 9 ** 9", {}, "the exponent 387420489 is too large"),
        ("results ** 50", {"results": 10}, "too large"),
        ("results * results * results", {"results": 10**7}, "too large"),
        ("(-8) ** 0.5", {}, "has no real value"),
        ("sum(scores)", {"scores": ["a"]}, "sum() needs a list of numbers"),
        ("round(results, 99)", {"results": 1.5}, "round() takes a whole number of digits"),
        ("status + status", {"status": "x" * 6000}, "too long"),
        ("max(scores)", {"scores": []}, "empty"),
    ],
)
def test_runtime_errors_are_expression_errors(source: str, values: dict, message: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(message)):
        run(source, **values)


def test_a_declared_name_without_a_value_is_none() -> None:
    assert run("results is None") is True


def test_values_may_be_strings_bools_dicts_and_lists() -> None:
    values = {"status": "Baik", "rating": {"ok": True}, "scores": [1, 2], "results": False}
    assert run("rating['ok'] and not results and status == 'Baik' and 2 in scores", **values) is True


TOKENS = st.sampled_from([
    "results", "feedback", "1", "0", "2.5", "'a'", "None", "+", "-", "*", "/", "**", "%", "(", ")", "[", "]",
    ",", " and ", " or ", " not ", "==", "<", " in ", " is ", "max", "len", ".x", "__", "[0]", "['k']", " if ",
    " else ",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, min_size=1, max_size=25), st.sampled_from([0, 1, -3, 2.5, None, "t", [1, 2], {"k": 1}]))
def test_nothing_but_expression_errors_escape(tokens: list[str], value: Any) -> None:
    source = "".join(tokens)
    try:
        expression = compile_expression(source, ["results", "feedback"])
    except ExpressionError:
        return
    with suppress(ExpressionError):
        expression.evaluate({"results": value, "feedback": value})


def test_an_expression_evaluated_at_once_on_many_threads_gives_each_thread_its_own_answer() -> None:
    """Evaluators are reused per thread; threads firing guards at the same moment never see each other's values."""
    import threading

    expression = compile_expression("nilai * 2 + nilai", ["nilai"])
    start = threading.Barrier(8)
    wrong: list[tuple[int, object]] = []

    def evaluate(value: int) -> None:
        start.wait()
        for _ in range(3000):
            got = expression.evaluate({"nilai": value})
            if got != value * 3:
                wrong.append((value, got))

    threads = [threading.Thread(target=evaluate, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
