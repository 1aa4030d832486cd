"""Column types shared by the models."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    PostgreSQL stores ``timestamptz``. SQLite has no timezone type, so values are stored as naive
    UTC and given their UTC zone back when read: comparisons in SQL stay correct because every
    stored value is in the same zone. Naive datetimes are refused on the way in, so local wall
    clock times can never slip into the database.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def json_list(raw: str | None) -> tuple[str, ...]:
    """A JSON list column read as its stored text (``cast(column, Text)``), as a tuple.

    Large reads (the directory index, a push, browsing mentees) take the lists as text and
    wrap this in ``functools.cache`` for the read: people share few distinct lists, so each is
    decoded once and the tuples are shared. NULL (or JSON null) is the empty tuple.
    """
    return tuple(json.loads(raw) or ()) if raw else ()
