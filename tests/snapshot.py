"""Every row of every table: how a test proves an operation left the database exactly as it was.

Row counts would miss an update (a status moved, a counter bumped, a stamp written) that a
refused operation must not make; comparing whole rows does not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from store.db import Database
from store.models import Base


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows (every column), in primary-key order."""
    with db.read() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for table in Base.metadata.sorted_tables
        }
