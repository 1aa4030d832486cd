"""The app factory: builds the Bolt app and everything its listeners need from settings."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.config import AppConfig
from handlers import admin, home, profile, relationships, requests, search
from handlers.deps import SERVICES_KEY
from handlers.home import publish_home
from handlers.replies import tell
from handlers.services import Services
from mentoring.errors import DomainError
from scheduler.delivery import deliver_due
from store.db import Database

log = logging.getLogger(__name__)

LISTENER_MODULES = (home, profile, search, requests, relationships, admin)


def register_all(app: App) -> None:
    """Every listener of the product, registered explicitly (nothing on import)."""
    for module in LISTENER_MODULES:
        module.register(app)


def build_services(config: AppConfig, db: Database, client: WebClient) -> Services:
    def client_for(_team_id: str) -> WebClient:
        return client

    return wire_delivery(
        Services(db=db, client_for=client_for, admin_user_ids=config.admin_user_ids)
    )


def wire_delivery(svc: Services) -> Services:
    """Notifications go out right after the transaction that queued them commits."""

    def refresh(team_id: str, user_id: str) -> None:
        publish_home(svc, svc.client_for(team_id), team_id, user_id)

    def deliver() -> None:
        deliver_due(db=svc.db, client_for=svc.client_for, now=svc.now(), refresh_home=refresh)

    svc.deliver = deliver
    return svc


def build_app(
    config: AppConfig,
    services: Services,
    *,
    client: WebClient,
    token_verification: bool = True,
    listener_executor: Executor | None = None,
) -> App:
    """A Bolt app with the services middleware, every listener, and one error handler."""
    app = App(
        client=client,
        signing_secret=config.secret("slack_signing_secret") or "",
        token_verification_enabled=token_verification,
        raise_error_for_unhandled_request=False,
        listener_executor=listener_executor,
    )
    app.use(_services_middleware(services))
    app.error(_error_handler)
    register_all(app)
    return app


def slack_client(config: AppConfig) -> WebClient:
    return WebClient(token=config.secret("slack_bot_token"), base_url=config.slack_api_url)


def _services_middleware(services: Services) -> Callable[..., Any]:
    def middleware(context: BoltContext, next: Callable[[], Any]) -> Any:
        context[SERVICES_KEY] = services
        if context.team_id:
            services.ensure_team(context.team_id)
        return next()

    return middleware


def _error_handler(error: Exception, body: dict[str, Any], client: WebClient) -> None:
    """Domain errors are the person's to fix; anything else is ours, with an id to quote."""
    if isinstance(error, DomainError):
        tell(client, body, error.message)
        return
    error_id = uuid.uuid4().hex[:8]
    log.error("unhandled error %s", error_id, exc_info=error)
    tell(
        client,
        body,
        f"Sorry, something went wrong on our side. Please try again; if it keeps happening, "
        f"give your program admin this error id: {error_id}.",
    )
