"""Start-up shared by the run modes: settings -> migrated database -> services -> Bolt app."""

from __future__ import annotations

import json
import logging
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import metrics
from bot.app import build_app, build_services, slack_client
from bot.config import AppConfig
from bot.oauth import OAuthStores, oauth_settings, require_complete
from handlers.home import publish_home
from handlers.services import Services
from scheduler.jobs import Jobs, SchedulerService
from store.db import Database
from store.migrate import upgrade


@dataclass
class Runtime:
    config: AppConfig
    db: Database
    client: WebClient
    services: Services
    app: App

    def jobs(self) -> Jobs:
        """The scheduler's jobs, sharing the app's database and Slack client."""
        svc = self.services

        def refresh(team_id: str, user_id: str) -> None:
            publish_home(svc, svc.client_for(team_id), team_id, user_id)

        return Jobs(
            db=self.db,
            client_for=svc.client_for,
            admins=svc.admins_to_tell,
            refresh_home=refresh,
            observe=metrics.record_job,
        )

    def start_scheduler(self) -> SchedulerService:
        """The sweep and delivery jobs on a background scheduler, started."""
        return SchedulerService.build(
            self.jobs(),
            sweep_seconds=self.config.sweep_interval_seconds,
            delivery_seconds=self.config.delivery_interval_seconds,
        ).start()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(config: AppConfig) -> None:
    """LOG_LEVEL, and LOG_FORMAT: ``text`` for people, ``json`` for log collectors."""
    if config.log_format == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        logging.basicConfig(level=config.log_level.upper(), handlers=[handler])
        return
    logging.basicConfig(
        level=config.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def open_database(config: AppConfig) -> Database:
    """The settings' database, migrated to the code's schema; raises if they cannot work."""
    require_complete(config)
    db = Database.from_url(config.database_url)
    upgrade(db.engine)
    return db


def boot(
    config: AppConfig,
    *,
    token_verification: bool = True,
    db: Database | None = None,
    listener_executor: Executor | None = None,
) -> Runtime:
    """Migrate the database (unless given) and build the app; raises if the settings cannot work.

    With ``token_verification`` the app asks Slack's ``auth.test`` who its token belongs to
    (which fails while Slack cannot be reached). With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET
    the app serves several workspaces: the OAuth tables are created if missing, and Slack
    clients carry each team's token.
    """
    db = db or open_database(config)
    client = slack_client(config)
    if not config.oauth_enabled:
        services = build_services(config, db, client)
        app = build_app(
            config,
            services,
            client=client,
            token_verification=token_verification,
            listener_executor=listener_executor,
        )
        return Runtime(config, db, client, services, app)
    stores = OAuthStores.build(config, db.engine)
    stores.create_tables()
    services = build_services(config, db, client, installations=stores.installations)
    app = build_app(
        config,
        services,
        client=client,
        oauth=oauth_settings(config, stores, client),
        listener_executor=listener_executor,
    )
    return Runtime(config, db, client, services, app)
