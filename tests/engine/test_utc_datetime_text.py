"""A UTC moment bound for SQLite is written as the same text whether it takes the quick way or the
TypeDecorator's own (process_bind_param, then the dialect's DATETIME format)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator

from engine.model_base import UTCDateTime


def _processors(dialect):
    impl = UTCDateTime().dialect_impl(dialect)
    return impl.bind_processor(dialect), TypeDecorator.bind_processor(impl, dialect)


@settings(max_examples=500, deadline=None, database=None)
@given(st.datetimes(timezones=st.just(UTC)) | st.datetimes()
       | st.datetimes(timezones=st.builds(lambda h: timezone(timedelta(hours=h)), st.integers(-12, 14))))
def test_the_quick_text_is_sqlalchemys_own(moment):
    quick, own = _processors(sqlite.dialect())
    assert quick(moment) == own(moment)


def test_none_and_other_dialects_are_as_before():
    quick, own = _processors(sqlite.dialect())
    assert quick(None) is None and own(None) is None
    assert quick is not own  # SQLite takes the quick way
    dialect = postgresql.dialect()
    impl = UTCDateTime().dialect_impl(dialect)
    moment = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert impl.bind_processor(dialect) is None or impl.bind_processor(dialect)(moment) == \
        TypeDecorator.bind_processor(impl, dialect)(moment)
