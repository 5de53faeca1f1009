"""The declarative base every Siklus model shares: one metadata with the naming convention, and UTC datetimes.

Kept apart from :mod:`engine.models` so that models of one area can live in their own module
(:mod:`engine.citizen_models`) without importing the module that lists them all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, MetaData, Table
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Any) -> Any:
        """The processor of :meth:`process_bind_param` and the dialect's own; on SQLite, a UTC datetime goes
        straight to the text the two write together (every firing binds five)."""
        process = super().bind_processor(dialect)
        if dialect.name != "sqlite" or process is None:
            return process

        def quick(value: Any) -> Any:
            if value is None:
                return None
            if type(value) is datetime and value.tzinfo is UTC:
                return value.isoformat(" ", "microseconds")[:-6]  # less its "+00:00"
            return process(value)

        # Only while that is the dialect's storage format (its default), as these moments show.
        samples = [datetime(2026, 7, 8, 9, 10, 11, 12, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC),
                   datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), datetime(9999, 1, 2, 3, 4, 5, tzinfo=UTC)]
        return quick if all(quick(moment) == process(moment) for moment in samples) else process

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        zone = value.tzinfo
        if zone is UTC:
            return value
        if zone is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # Every model maps one table (SQLAlchemy types the attribute as the wider FromClause).
    __table__: ClassVar[Table]
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class CanonicalJSON(TypeDecorator[Any]):
    """JSON written in the canonical text the audit hash is taken over (sorted keys, compact separators,
    non-ASCII kept: :func:`engine.audit.chain.canonical_json`), so verification hashes the stored text as it
    is, without decoding it. Read back as any JSON column. PostgreSQL's ``json`` keeps the text byte for
    byte (``jsonb`` would not)."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Any) -> Any:
        # Imported here: engine.audit imports these models.
        from engine.audit.chain import canonical_json

        wrap = getattr(dialect, "_psycopg_Json", None) if dialect.name == "postgresql" else None
        null = JSON.NULL

        def process(value: Any) -> Any:
            if value is null:
                value = None
            if wrap is not None:
                return wrap(value, dumps=canonical_json)
            return canonical_json(value)

        return process
