"""JSON from outside is read as RFC 8259 has it: no NaN, no Infinity, no number past a float."""

from __future__ import annotations

import json

import pytest

from engine.json_text import NotANumber, parse_json


@pytest.mark.parametrize(("text", "where", "value"), [
    ('{"a": [1, {"b": NaN}]}', "a/1/b", "NaN"),
    ("Infinity", "", "Infinity"),
    ('{"x": -Infinity}', "x", "-Infinity"),
    ("[0, 1e400]", "1", "1e400"),
    ('{"n": 1' + "0" * 400 + "}", "n", "1" + "0" * 39 + "…"),
    ('{"first": 1, "second": NaN, "third": Infinity}', "second", "NaN"),
])
def test_a_number_json_does_not_have_is_refused_with_where_it_stands(text, where, value):
    with pytest.raises(NotANumber) as refused:
        parse_json(text)
    assert (refused.value.where, refused.value.value) == (where, value)


def test_ordinary_json_reads_as_python_reads_it():
    text = '{"a": [1, 2.5, -0.0, 1e300, null, true, "NaN"], "b": {"c": -12}}'
    assert parse_json(text) == json.loads(text)
    assert parse_json(text.encode()) == json.loads(text)


def test_text_that_is_not_json_stays_a_decode_error():
    with pytest.raises(json.JSONDecodeError):
        parse_json("{nan}")
