"""The ``mentor-match`` command line."""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import ValidationError

from bot.config import AppConfig
from bot.runtime import configure_logging
from store.db import create_db_engine, data_dir_of
from store.migrate import current_revision, upgrade

app = typer.Typer(
    help="Mentor Match: a mentoring program that runs inside Slack.",
    no_args_is_help=True,
    add_completion=False,
)


def _config() -> AppConfig:
    try:
        config = AppConfig()
    except ValidationError as exc:  # one line per bad setting, no traceback
        for error in exc.errors():
            name = ".".join(str(p) for p in error["loc"]).upper()
            typer.echo(f"Setting {name}: {error['msg']}", err=True)
        raise typer.Exit(2) from None
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
    from bot.socket_mode import run as run_socket_mode

    config = _config()
    _require(config, "slack_bot_token", "slack_app_token")
    run_socket_mode(config, scheduler=not no_scheduler)


@app.command()
def serve(
    host: str = typer.Option("0.0.0.0", help="Interface to listen on."),  # noqa: S104
    port: int = typer.Option(3000, help="Port to listen on."),
    threads: int = typer.Option(8, help="Worker threads of the WSGI server."),
    no_scheduler: bool = NO_SCHEDULER,
) -> None:
    """Serve Slack's HTTP requests at POST /slack/events and GET /healthz."""
    from bot.modes import serve as serve_http

    config = _config()
    _require(config, "slack_signing_secret")
    if not config.oauth_enabled:  # with OAuth, each workspace's token comes from its install
        _require(config, "slack_bot_token")
    serve_http(config, host=host, port=port, threads=threads, scheduler=not no_scheduler)


@app.command("scheduler")
def run_scheduler(
    health_port: int | None = typer.Option(
        None, help="Serve GET /healthz on this port (the scheduler's liveness)."
    ),
    metrics_port: int | None = typer.Option(
        None, help="Serve GET /metrics on this port (Prometheus; may be the health port)."
    ),
    host: str = typer.Option("127.0.0.1", help="Interface for --health-port and --metrics-port."),
) -> None:
    """Run only the scheduler: reminders, auto-close, digests and delivery retries.

    Run exactly one of these beside any number of `serve --no-scheduler` instances.
    """
    from bot.modes import run_scheduler as scheduler_only

    config = _config()
    if not config.oauth_enabled:
        _require(config, "slack_bot_token")
    scheduler_only(config, health_port=health_port, metrics_port=metrics_port, host=host)


@app.command()
def console(
    database_url: str = typer.Option(
        "", help="Database for the demo (default: a SQLite file beside the main one in data/)."
    ),
    reset: bool = typer.Option(False, "--reset", help="Throw the demo away and seed it afresh."),
) -> None:
    """Try the whole product in this terminal, against a pretend Slack, with a demo program."""
    from bot.console.app import default_console_url, run_console, stop_on_sigterm

    config = _config()
    stop_on_sigterm()
    run_console(database_url or default_console_url(data_dir_of(config.database_url)), reset=reset)


@app.command()
def start() -> None:
    """What `make run` does: the Socket Mode bot when Slack tokens are set, else the console."""
    config = _config()
    if config.secret("slack_bot_token") and config.secret("slack_app_token"):
        run(no_scheduler=False)
        return
    typer.echo(
        "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set, so the console demo starts instead.\n"
        "To connect a real workspace, follow 'Connecting Slack' in README.md "
        "(create the app from manifest.yml, put the tokens in .env, run `make run` again).\n"
    )
    migrate()
    console(database_url="", reset=False)


TEAM_OPTION = typer.Option(
    None,
    "--team",
    envvar="DEFAULT_TEAM_ID",
    help="Workspace (Slack team id). Default: DEFAULT_TEAM_ID, else the database's only one.",
)


CSV_FILE = typer.Argument(..., exists=True, dir_okay=False, help="The CSV file.")
OUT_DIR = typer.Option(
    Path(), "--out", file_okay=False, help="Directory for the CSV files (created if needed)."
)
MANIFEST = typer.Option(
    None, "--manifest", dir_okay=False, help="The app's manifest.yml (default: repo root)."
)


@app.command("seed-demo")
def seed_demo(
    team: str = typer.Option("T0DEMO", "--team", help="Workspace (Slack team id) to fill."),
) -> None:
    """Fill an empty workspace with a demo program: 40 mentors, 60 mentees, months of history.

    Running it again changes nothing; a workspace with other members is refused.
    """
    from datetime import UTC, datetime

    from bot.demo import DemoError, describe
    from bot.demo import seed_demo as seed
    from mentoring.core.errors import DomainError
    from store.db import Database

    config = _config()
    db = Database.from_url(config.database_url)
    try:
        upgrade(db.engine)
        program = seed(db, team_id=team, now=datetime.now(UTC))
    except (DemoError, DomainError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    finally:
        db.dispose()
    if program.created:
        typer.echo("Demo program seeded (its past notifications count as delivered).")
    else:
        typer.echo(f"Workspace {team} already holds the demo program: nothing changed.")
    for line in describe(program):
        typer.echo(line)


@app.command("import-profiles")
def import_profiles(
    file: Path = CSV_FILE,
    team: str | None = TEAM_OPTION,
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row; save nothing."),
) -> None:
    """Enroll or update members from a CSV file: one row per person, a header row first.

    Columns: slack_user_id or email, display_name, roles (mentor;mentee), title,
    functional_area, expertise, interests, languages (;-separated), goals, location, gender,
    bio, mentor_capacity, tz. Rows with only an email are looked up in Slack
    (SLACK_BOT_TOKEN, scope users:read.email). Exits with 1 if any row failed.
    """
    import sys
    from datetime import UTC, datetime

    from rich.progress import Progress

    from bot.export import TeamChoiceError, choose_team
    from bot.import_csv import CsvFormatError, read_rows
    from bot.importer import import_profiles as run_import
    from bot.importer import lookup_client
    from store.db import Database

    config = _config()
    db = Database.from_url(config.database_url)
    try:
        rows = read_rows(file)
        upgrade(db.engine)
        with db.read() as session:
            team_id, how = choose_team(session, team)
        note = " Dry run: nothing is saved." if dry_run else ""
        typer.echo(f"Importing {len(rows)} rows into {team_id} ({how}).{note}")
        client = lookup_client(config.secret("slack_bot_token"), config.slack_api_url)
        now = datetime.now(UTC)
        with Progress(transient=True, disable=len(rows) <= 50 or not sys.stdout.isatty()) as bar:
            task = bar.add_task("Importing", total=len(rows))
            report = run_import(
                db,
                rows,
                team_id=team_id,
                client=client,
                now=now,
                dry_run=dry_run,
                progress=lambda: bar.advance(task),
            )
    except (CsvFormatError, TeamChoiceError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    finally:
        db.dispose()
    for line in report.errors:
        typer.echo(line)
    typer.echo(report.summary(dry_run=dry_run) + ".")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def export(
    team: str | None = TEAM_OPTION,
    out: Path = OUT_DIR,
) -> None:
    """Write the workspace's requests, relationships and check-ins to requests.csv,
    relationships.csv and checkins.csv."""
    from bot.export import TeamChoiceError, choose_team, require_team
    from mentoring.reports.export import export_tables
    from store.db import Database

    config = _config()
    db = Database.from_url(config.database_url)
    try:
        upgrade(db.engine)
        with db.read() as session:
            team_id, how = choose_team(session, team)
            require_team(session, team_id)
            tables = export_tables(session, team_id)
    except TeamChoiceError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    finally:
        db.dispose()
    out.mkdir(parents=True, exist_ok=True)
    typer.echo(f"Workspace {team_id} ({how}):")
    for table in tables:
        path = out / table.filename
        # With a BOM, Excel reads the file as UTF-8 (names with accents stay intact).
        path.write_text(table.text, encoding="utf-8-sig", newline="")
        typer.echo(f"  {path}: {table.rows} row{'' if table.rows == 1 else 's'}")


@app.command()
def doctor(
    manifest: Path | None = MANIFEST,
) -> None:
    """Check settings, database, bot token (auth.test) and scopes, and say what to fix."""
    from bot.doctor import run_checks

    checks = run_checks(manifest=manifest)
    for check in checks:
        typer.echo(check.line())
    failed = sum(not c.ok for c in checks)
    typer.echo(f"{failed} check(s) failed." if failed else "All checks passed.")
    if failed:
        raise typer.Exit(1)


@app.callback()
def _root() -> None:
    """Keep subcommands as subcommands."""


def main() -> None:
    app()
