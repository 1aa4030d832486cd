"""``mentor-match doctor``: check a deployment's settings, database and Slack app, say what to fix.

Each check returns a :class:`Check`; the CLI prints one line per check and exits 1 if any
failed. Nothing here changes anything: the database is only read (a missing SQLite file is
reported, not created) and Slack is only asked ``auth.test``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from pydantic import ValidationError
from pydantic_settings import SettingsError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import AppConfig
from scheduler.liveness import read_liveness
from store.db import Database, create_db_engine, normalise_url
from store.migrate import alembic_config, current_revision

REINSTALL = "reinstall the app and copy the new Bot User OAuth Token into .env"
BAD_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_authed"}
)


@dataclass(frozen=True, slots=True)
class Check:
    """One check's outcome; ``fix`` says what to do when it failed or warns."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False  # passed, but something is worth knowing

    @property
    def symbol(self) -> str:
        """✓ passed, ! passed with a warning, ✗ failed."""
        return "✗" if not self.ok else "!" if self.warning else "✓"

    def line(self) -> str:
        """How the CLI prints it: the outcome, then the fix on its own line when there is one."""
        text = f"{self.symbol} {self.name}: {self.detail}"
        return (
            f"{text}\n    fix: {self.fix}" if self.fix and (self.warning or not self.ok) else text
        )


def default_manifest() -> Path | None:
    """manifest.yml at the repository root (next to the package), else in the current dir."""
    for candidate in (Path(__file__).resolve().parent.parent, Path.cwd()):
        if (candidate / "manifest.yml").is_file():
            return candidate / "manifest.yml"
    return None


def run_checks(
    *, load_config: Callable[[], AppConfig] = AppConfig, manifest: Path | None = None
) -> list[Check]:
    """Every check, in the order an operator fixes things."""
    try:
        config = load_config()
    except (ValidationError, SettingsError) as exc:
        fix = "correct them in .env or the environment (see .env.example)"
        return [Check("settings", False, _settings_errors(exc), fix)]
    checks = [Check("settings", True, "loaded from the environment and .env")]
    checks.append(check_database(config.database_url))
    token_check, headers = check_token(config)
    checks.append(token_check)
    checks.extend(check_scopes(headers, manifest or default_manifest()))
    checks.append(check_run_modes(config))
    checks.append(check_admins(config))
    if checks[1].ok:  # the database answers, at the code's schema
        checks.append(check_scheduler(config))
    return checks


def _settings_errors(exc: Exception) -> str:
    if not isinstance(exc, ValidationError):
        return str(exc)
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']).upper() or 'settings'}: {e['msg']}"
        for e in exc.errors()
    )


def check_database(url: str) -> Check:
    """DATABASE_URL connects and its schema is at the code's migration head."""
    try:
        parsed = make_url(normalise_url(url))
    except SQLAlchemyError as exc:
        return Check("database", False, f"DATABASE_URL is not a database URL: {exc}", _URL_FIX)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        detail = f"{shown}: only SQLite and PostgreSQL are supported"
        return Check("database", False, detail, "use a sqlite:/// or postgresql:// DATABASE_URL")
    path = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not Path(path).is_file():
        return Check("database", False, f"no database file at {path} yet", _MIGRATE)
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        options["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_db_engine(url, **options)
    except SQLAlchemyError as exc:
        return Check("database", False, f"cannot use {shown}: {_first_line(exc)}", _URL_FIX)
    try:
        current = current_revision(engine)
        script = ScriptDirectory.from_config(alembic_config(engine))
        head = script.get_current_head()
    except SQLAlchemyError as exc:
        detail = f"cannot connect to {shown}: {_first_line(exc)}"
        return Check("database", False, detail, _URL_FIX)
    finally:
        engine.dispose()
    if current is None:
        return Check("database", False, f"{shown} has no schema yet", _MIGRATE)
    if current != head:
        try:
            script.get_revision(current)
        except CommandError:
            detail = f"{shown} is at revision {current}, newer than this code ({head})"
            return Check("database", False, detail, "upgrade Mentor Match to the newer version")
        detail = f"{shown} is at revision {current}; this version needs {head}"
        return Check("database", False, detail, _MIGRATE)
    return Check("database", True, f"{shown}, schema at revision {head} (latest)")


_MIGRATE = "run `mentor-match migrate`"
_URL_FIX = "check DATABASE_URL, and that the database server is running and reachable"


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__


def check_token(config: AppConfig) -> tuple[Check, Mapping[str, str] | None]:
    """SLACK_BOT_TOKEN is set and ``auth.test`` accepts it; also returns its response headers."""
    token = config.secret("slack_bot_token")
    copy = "copy the Bot User OAuth Token (xoxb-...) from OAuth & Permissions into .env"
    if not token:
        return Check("bot token", False, "SLACK_BOT_TOKEN is not set", copy), None
    if not token.startswith("xoxb-"):
        detail = "SLACK_BOT_TOKEN is not a bot token (those start with xoxb-)"
        return Check("bot token", False, detail, copy), None
    client = WebClient(token=token, base_url=config.slack_api_url, timeout=10)
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error", ""))
        if error in BAD_TOKEN_ERRORS:
            detail = f"the bot token is invalid or revoked (Slack says {error})"
            return Check("bot token", False, detail, REINSTALL), None
        detail = f"auth.test failed: {error or exc}"
        return Check(
            "bot token", False, detail, f"check SLACK_API_URL ({config.slack_api_url})"
        ), None
    except (SlackClientError, OSError) as exc:
        detail = f"cannot reach Slack at {config.slack_api_url}: {exc}"
        fix = "check the network (proxy, firewall) and SLACK_API_URL"
        return Check("bot token", False, detail, fix), None
    who, team = response.get("user"), response.get("team")
    detail = f"auth.test ok: @{who} in {team} ({response.get('team_id')})"
    return Check("bot token", True, detail), response.headers


def required_scopes(manifest: Path) -> tuple[str, ...]:
    """The bot scopes manifest.yml asks for (``oauth_config.scopes.bot``)."""
    # PyYAML is imported here so that only doctor needs it.
    yaml = importlib.import_module("yaml")
    data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    return tuple(str(s) for s in data.get("oauth_config", {}).get("scopes", {}).get("bot", []))


def check_scopes(headers: Mapping[str, str] | None, manifest: Path | None) -> list[Check]:
    """The token was granted every scope manifest.yml lists (from ``X-OAuth-Scopes``)."""
    if headers is None:
        return [Check("scopes", True, "not checked: needs a working bot token", warning=True)]
    if manifest is None:
        fix = "pass --manifest PATH (the app's manifest.yml)"
        return [
            Check("scopes", False, "manifest.yml not found: the needed scopes are unknown", fix)
        ]
    try:
        required = required_scopes(manifest)
    except (OSError, ImportError, ValueError, AttributeError) as exc:
        return [Check("scopes", False, f"cannot read {manifest}: {exc}", "pip install PyYAML")]
    header = next((v for k, v in headers.items() if k.lower() == "x-oauth-scopes"), None)
    if header is None:
        detail = "Slack did not report the token's scopes; cannot compare them"
        return [Check("scopes", True, detail, warning=True)]
    granted = {s.strip() for s in header.split(",") if s.strip()}
    missing = [s for s in required if s not in granted]
    if missing:
        detail = f"missing {', '.join(missing)} (manifest.yml asks for {len(required)} scopes)"
        fix = f"add them under OAuth & Permissions (or from manifest.yml), then {REINSTALL}"
        return [Check("scopes", False, detail, fix)]
    checks = [Check("scopes", True, f"all {len(required)} scopes of manifest.yml granted")]
    return checks


def check_run_modes(config: AppConfig) -> Check:
    """Which run modes the tokens allow: ``run`` (Socket Mode) and/or ``serve`` (HTTP)."""
    app_token = config.secret("slack_app_token")
    if app_token and not app_token.startswith("xapp-"):
        detail = "SLACK_APP_TOKEN is not an app-level token (those start with xapp-)"
        return Check("run modes", False, detail, _SOCKET_MODE_HINT)
    socket = "Socket Mode (`run`): " + ("ready" if app_token else "needs SLACK_APP_TOKEN")
    http = "HTTP (`serve`): " + (
        "ready" if config.secret("slack_signing_secret") else "needs SLACK_SIGNING_SECRET"
    )
    ok = bool(app_token or config.secret("slack_signing_secret"))
    http_hint = "or, for `serve`, set SLACK_SIGNING_SECRET (Basic Information > App Credentials)"
    fix = "" if ok else f"{_SOCKET_MODE_HINT}; {http_hint}"
    return Check("run modes", ok, f"{socket}; {http}", fix)


_SOCKET_MODE_HINT = (
    "for `run`, create an app-level token with connections:write (Basic Information > "
    "App-Level Tokens) and set SLACK_APP_TOKEN"
)


def check_admins(config: AppConfig) -> Check:
    """Someone can use /mentor-admin (ADMIN_USER_IDS); a warning, not a failure."""
    if config.admin_user_ids:
        return Check("admins", True, f"program admins: {', '.join(sorted(config.admin_user_ids))}")
    detail = "ADMIN_USER_IDS is empty: nobody gets admin escalations or the weekly digest"
    return Check("admins", True, detail, "set ADMIN_USER_IDS=U012AB3CD,U045EF6GH", warning=True)


def check_scheduler(config: AppConfig, now: datetime | None = None) -> Check:
    """The scheduler's last runs, as any process can read them from the database."""
    db = Database.from_url(config.database_url)
    try:
        liveness = read_liveness(
            db,
            now=now or datetime.now(UTC),
            sweep_interval=timedelta(seconds=config.sweep_interval_seconds),
            outbox_max_age=timedelta(seconds=config.outbox_max_age_seconds),
        )
    except SQLAlchemyError as exc:
        return Check("scheduler", False, f"cannot read its runs: {_first_line(exc)}", _URL_FIX)
    finally:
        db.dispose()
    waiting = f"{liveness.pending} notification(s) waiting"
    if liveness.problems:
        fix = (
            "check that one scheduler runs (`mentor-match scheduler`, or `run`/`serve` without "
            "--no-scheduler) and read its log; see docs/operations.md, 'Logs and health'"
        )
        return Check("scheduler", False, "; ".join(liveness.problems) + f"; {waiting}", fix)
    if liveness.sweep.succeeded is None:
        detail = f"no run recorded yet; {waiting}"
        return Check("scheduler", True, detail, "start the app or `mentor-match scheduler`", True)
    detail = (
        f"sweep last completed at {liveness.sweep.succeeded:%Y-%m-%d %H:%M:%S} UTC, "
        f"delivery at {_at(liveness.delivery.succeeded)}; {waiting}"
    )
    return Check("scheduler", True, detail)


def _at(moment: datetime | None) -> str:
    return "never" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S} UTC"
