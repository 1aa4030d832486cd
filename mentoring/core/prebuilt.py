"""Running statements built once, for the reads and writes done for every notification sent.

Building a SQLAlchemy statement and its cache key costs more than running it (about 0.5 ms
against 0.2 ms for a two-row select on the machine of docs/benchmarks.md), so the dispatcher's
hot paths build theirs at import, with ``bindparam`` placeholders, and run them here. They are
Core statements on table columns, which the ORM does not autoflush before: :func:`run` flushes
first, as an ORM query in the same session would, so a change the session holds is seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm import Session


def run(
    session: Session, statement: Executable, params: Mapping[str, Any]
) -> CursorResult[*tuple[Any, ...]]:
    """Execute a prebuilt Core ``statement`` with ``params`` in the session's transaction."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)
