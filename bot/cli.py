"""The ``mentor-match`` command line."""

from __future__ import annotations

import logging

import typer

from bot.config import AppConfig
from store.db import create_db_engine
from store.migrate import current_revision, upgrade

app = typer.Typer(
    help="Mentor Match: a mentoring program that runs inside Slack.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (DATABASE_URL; default: a SQLite file in data/)."""
    config = AppConfig()
    logging.basicConfig(level=config.log_level)
    engine = create_db_engine(config.database_url)
    try:
        upgrade(engine)
        typer.echo(
            f"Database is at revision {current_revision(engine)} ({engine.url.render_as_string()})."
        )
    finally:
        engine.dispose()


@app.callback()
def _root() -> None:
    """Keep subcommands as subcommands even while there is only one."""


def main() -> None:
    app()
