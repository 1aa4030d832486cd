"""The ``mentor-match`` command line."""

from __future__ import annotations

import typer

from bot.config import AppConfig
from bot.runtime import boot, configure_logging
from store.db import create_db_engine
from store.migrate import current_revision, upgrade

app = typer.Typer(
    help="Mentor Match: a mentoring program that runs inside Slack.",
    no_args_is_help=True,
    add_completion=False,
)


def _config() -> AppConfig:
    config = AppConfig()
    configure_logging(config)
    return config


def _require(config: AppConfig, *names: str) -> None:
    missing = [n.upper() for n in names if not config.secret(n)]
    if missing:
        typer.echo(
            f"Missing {', '.join(missing)}: set them in the environment or in .env "
            "(see .env.example and README.md, 'Connecting Slack').",
            err=True,
        )
        raise typer.Exit(2)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (DATABASE_URL; default: a SQLite file in data/)."""
    config = _config()
    engine = create_db_engine(config.database_url)
    try:
        upgrade(engine)
        where = engine.url.render_as_string()
        typer.echo(f"Database is at revision {current_revision(engine)} ({where}).")
    finally:
        engine.dispose()


NO_SCHEDULER = typer.Option(
    False,
    "--no-scheduler",
    help="Do not run reminders and delivery retries here (run `mentor-match scheduler` once).",
)


@app.command()
def run(no_scheduler: bool = NO_SCHEDULER) -> None:
    """Run the bot over Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    config = _config()
    _require(config, "slack_bot_token", "slack_app_token")
    runtime = boot(config)
    if not no_scheduler:
        runtime.start_scheduler()
    typer.echo("Mentor Match is connected over Socket Mode. Press Ctrl+C to stop.")
    SocketModeHandler(runtime.app, config.secret("slack_app_token")).start()  # type: ignore[no-untyped-call]


@app.command()
def serve(
    host: str = typer.Option("0.0.0.0", help="Interface to listen on."),  # noqa: S104
    port: int = typer.Option(3000, help="Port to listen on."),
    threads: int = typer.Option(8, help="Worker threads of the WSGI server."),
    no_scheduler: bool = NO_SCHEDULER,
) -> None:
    """Serve Slack's HTTP requests at POST /slack/events and GET /healthz."""
    from bot.web import make_server, wsgi_app

    config = _config()
    _require(config, "slack_bot_token", "slack_signing_secret")
    runtime = boot(config)
    if not no_scheduler:
        runtime.start_scheduler()
    server = make_server(wsgi_app(runtime.app, runtime.db), host, port, threads)
    typer.echo(f"Mentor Match listening on http://{host}:{port}/slack/events")
    server.run()


@app.command("scheduler")
def run_scheduler() -> None:
    """Run only the scheduler: reminders, auto-close, digests and delivery retries.

    Run exactly one of these beside any number of `serve --no-scheduler` instances.
    """
    from scheduler.jobs import blocking_scheduler, schedule

    config = _config()
    _require(config, "slack_bot_token")
    runtime = boot(config)
    typer.echo(
        f"Scheduler running: sweep every {config.sweep_interval_seconds}s, delivery every "
        f"{config.delivery_interval_seconds}s. Press Ctrl+C to stop."
    )
    schedule(
        blocking_scheduler(),
        runtime.jobs(),
        sweep_seconds=config.sweep_interval_seconds,
        delivery_seconds=config.delivery_interval_seconds,
    ).start()


@app.callback()
def _root() -> None:
    """Keep subcommands as subcommands."""


def main() -> None:
    app()
