"""The migrated schema is exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from store.db import Database
from store.migrate import current_revision, upgrade
from store.models import Base


def test_migrated_schema_matches_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_at_head(db: Database) -> None:
    upgrade(db.engine)
    upgrade(db.engine)
    assert current_revision(db.engine) == "0001"
    assert set(inspect(db.engine).get_table_names()) >= set(Base.metadata.tables)
