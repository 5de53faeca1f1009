"""Stored results read in SQL, so reports and calibration count in the database instead of in Python.

A result's value is JSON. Grouping on it works on both databases through its JSON text (``"Baik"``,
decoded again once per group); a number is read with each database's own JSON functions. The first
of several named results (the final predicate after an appeal, then the first one) is one outer join
per name on the ``(appraisal_id, name)`` unique index.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Float, Select, Text, and_, case, cast, literal_column, null
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from engine.models import Appraisal, Result


class json_number(FunctionElement[float]):  # noqa: N801 (an SQL function reads as one)
    """SQL: the JSON value as a number when it is one (not a boolean, not text), else NULL."""

    type = Float()
    inherit_cache = True
    name = "json_number"


@compiles(json_number, "postgresql")
def _json_number_pg(element: json_number, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(list(element.clauses)[0], **kw)
    return (f"CASE WHEN json_typeof({value}) = 'number' "
            f"THEN CAST(CAST({value} AS TEXT) AS DOUBLE PRECISION) END")


@compiles(json_number, "sqlite")
def _json_number_sqlite(element: json_number, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(list(element.clauses)[0], **kw)
    return f"CASE WHEN json_type({value}) IN ('integer', 'real') THEN json_extract({value}, '$') END"


def json_text(value: Any) -> ColumnElement[str]:
    """SQL: a JSON value as its text (``"Baik"`` for the string Baik), to group on."""
    return cast(value, Text)


# Constants inline, not bound: PostgreSQL groups on an expression only when the SELECT and GROUP BY
# spell it identically, and two bound parameters are never identical to it.
_STRING_START: ColumnElement[str] = literal_column("'\"%'")
_EMPTY_STRING: ColumnElement[str] = literal_column("'\"\"'")
_JSON_NULL: ColumnElement[str] = literal_column("'null'")


def is_text_value(text: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL: the JSON text is a string that is not empty."""
    return and_(text.like(_STRING_START), text != _EMPTY_STRING)


def is_any_value(text: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL: the JSON text holds a value (not SQL NULL, not JSON null)."""
    return and_(text.is_not(None), text != _JSON_NULL)


def with_first_result(stmt: Select[Any], names: Sequence[str], *,
                      strings_only: bool = True) -> tuple[Select[Any], ColumnElement[Any]]:
    """Join to ``stmt`` (which reads Appraisal) the results ``names`` and give the JSON text of the first
    that holds a value (a non-empty string when ``strings_only``), NULL when none does."""
    whens = []
    for index, name in enumerate(names):
        alias = aliased(Result, name=f"first_result_{index}")
        stmt = stmt.outerjoin(alias, and_(alias.appraisal_id == Appraisal.id, alias.name == name))
        text = json_text(alias.value)
        whens.append((is_text_value(text) if strings_only else is_any_value(text), text))
    first: ColumnElement[Any] = case(*whens, else_=null()) if whens else null()
    return stmt, first


def decoded(text: str | None) -> Any:
    """The value a JSON text holds (None for none)."""
    return None if text is None else json.loads(text)


__all__ = ["decoded", "is_any_value", "is_text_value", "json_number", "json_text", "with_first_result"]
