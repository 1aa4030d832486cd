"""The app factory: builds the Bolt app and everything its listeners need from settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore

from bot import metrics
from bot.config import AppConfig
from bot.metrics import MeteredWebClient
from bot.oauth import TeamClients
from handlers import admin, home, meetings, offers, relationships, requests
from handlers import directory as search
from handlers import recommendations as admin_recommend
from handlers.deps import SERVICES_KEY
from handlers.home import publish_home
from handlers.listening import Listeners, Observer, answer_failure
from handlers.profiles import editing as profile
from handlers.profiles import viewing as profile_view
from handlers.reports import dashboard as admin_dashboard
from handlers.reports import health as admin_health
from handlers.routing import preferences as routing
from handlers.routing import queue as admin_routing
from handlers.services import Services
from scheduler.delivery import RateLimits, deliver_due
from store.db import Database

log = logging.getLogger(__name__)

HANDLER_DELIVERY_LIMIT = 50
LISTENER_MODULES = (
    home,
    profile,
    profile_view,
    search,
    requests,
    meetings,
    relationships,
    admin,
    admin_dashboard,
    admin_health,
    routing,
    admin_routing,
    admin_recommend,
    offers,
)


def register_all(app: App, observe: Observer | None = None) -> Listeners:
    """Every listener of the product, registered explicitly (nothing on import), each guarded
    so that whatever it raises is answered in time (handlers.listening); what was registered
    (``observe`` is told each listener that runs)."""
    listeners = Listeners(app, observe)
    for module in LISTENER_MODULES:
        module.register(listeners)
    return listeners


def build_services(
    config: AppConfig,
    db: Database,
    client: WebClient,
    *,
    installations: InstallationStore | None = None,
) -> Services:
    """Services for one workspace (``client``), or per team from ``installations`` (OAuth)."""

    def shared_client(_team_id: str) -> WebClient:
        return client

    client_for: Callable[[str], WebClient] = shared_client
    if installations is not None:
        client_for = TeamClients(installations, base_url=config.slack_api_url)
    return wire_delivery(
        Services(db=db, client_for=client_for, admin_user_ids=config.admin_user_ids)
    )


def wire_delivery(svc: Services) -> Services:
    """Notifications go out right after the transaction that queued them commits."""

    def refresh(team_id: str, user_id: str) -> None:
        publish_home(svc, svc.client_for(team_id), team_id, user_id)

    rate_limits = RateLimits()

    def deliver() -> None:
        # A listener delivers what its own change queued (and a little backlog), no more:
        # the scheduler's delivery job drains the rest.
        report = deliver_due(
            db=svc.db,
            client_for=svc.client_for,
            now=svc.now(),
            refresh_home=refresh,
            limit=HANDLER_DELIVERY_LIMIT,
            rate_limits=rate_limits,
        )
        metrics.record_delivery(report.by_kind)

    svc.deliver = deliver
    return svc


def build_app(
    config: AppConfig,
    services: Services,
    *,
    client: WebClient,
    token_verification: bool = True,
    listener_executor: Executor | None = None,
    oauth: OAuthSettings | None = None,
    observe: Observer | None = None,
) -> App:
    """A Bolt app with the services middleware, every listener, and one error handler.

    With ``oauth`` (several workspaces), ``client`` carries no token: Bolt authorizes each
    request with its team's bot token from the installation store, and exchanges install codes
    through ``client`` (so at SLACK_API_URL). ``observe`` is told each listener that runs.
    """
    app = App(
        client=client,
        signing_secret=config.secret("slack_signing_secret") or "",
        token_verification_enabled=token_verification,
        raise_error_for_unhandled_request=False,
        listener_executor=listener_executor,
        oauth_settings=oauth,
    )
    if oauth is not None:
        # app_uninstalled / tokens_revoked (when subscribed) delete the team's tokens.
        app.enable_token_revocation_listeners()
    app.use(metrics.bolt_middleware)  # first: the time to ack includes every middleware
    app.use(_services_middleware(services))
    app.error(_error_handler)
    register_all(app, observe)
    return app


def slack_client(config: AppConfig) -> WebClient:
    """The app's client; without a token in OAuth mode (each team's comes per request)."""
    token = None if config.oauth_enabled else config.secret("slack_bot_token")
    return MeteredWebClient(token=token, base_url=config.slack_api_url)


def _services_middleware(services: Services) -> Callable[..., Any]:
    def middleware(context: BoltContext, next: Callable[[], Any]) -> Any:
        context[SERVICES_KEY] = services
        if context.team_id:
            services.ensure_team(context.team_id)
        return next()

    return middleware


def _error_handler(
    error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """What fails outside a listener (a middleware): told as a listener's failure would be.

    Whether the request's trigger_id was spent is unknown here, so it is never used: the person
    sees the answer in place of the modal they are looking at, or privately.
    """
    answer_failure(error, body, client, context, trigger_fresh=False)
