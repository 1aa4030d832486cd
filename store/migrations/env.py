"""Alembic environment: runs against the connection handed in by store.migrate."""

from __future__ import annotations

from alembic import context
from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from sqlalchemy import Connection

from store.db import create_db_engine
from store.models import Base

config = context.config
target_metadata = Base.metadata


def _include_name(
    name: str | None,
    type_: NameFilterType,
    _parents: NameFilterParentNames,
) -> bool:
    """Autogenerate compares only the models' tables.

    Other tables may share the database (slack_sdk's OAuth installation and state stores, in
    multi-workspace mode): they are not ours to drop. Dropping a model therefore needs its
    ``op.drop_table`` written by hand.
    """
    return type_ != "table" or name in target_metadata.tables


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_db_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
