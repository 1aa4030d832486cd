"""Start-up shared by the run modes: settings -> migrated database -> services -> Bolt app."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from apscheduler.schedulers.base import BaseScheduler
from slack_bolt import App
from slack_sdk import WebClient

from bot.app import build_app, build_services, slack_client
from bot.config import AppConfig
from handlers.home import publish_home
from handlers.services import Services
from scheduler.jobs import Jobs, background_scheduler, schedule
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
            admins=lambda: sorted(self.config.admin_user_ids),
            refresh_home=refresh,
        )

    def start_scheduler(self) -> BaseScheduler:
        scheduler = schedule(
            background_scheduler(),
            self.jobs(),
            sweep_seconds=self.config.sweep_interval_seconds,
            delivery_seconds=self.config.delivery_interval_seconds,
        )
        scheduler.start()
        return scheduler


def configure_logging(config: AppConfig) -> None:
    logging.basicConfig(
        level=config.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def boot(config: AppConfig, *, token_verification: bool = True) -> Runtime:
    """Migrate the database and build the app; raises if the settings cannot work."""
    db = Database.from_url(config.database_url)
    upgrade(db.engine)
    client = slack_client(config)
    services = build_services(config, db, client)
    app = build_app(config, services, client=client, token_verification=token_verification)
    return Runtime(config, db, client, services, app)
