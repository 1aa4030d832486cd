"""Several workspaces: OAuth install at /slack/install, each team's bot token from the database.

With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set, Bolt runs Slack's OAuth v2 flow and
keeps every installation in slack_sdk's SQLAlchemy installation store, on the same database as
the program; each incoming request is authorized with its own team's bot token. Outside Bolt's
requests (the outbox dispatcher, the scheduler, admin checks) :class:`TeamClients` hands out a
``WebClient`` carrying the team's token.

slack_sdk defines its tables on its own ``MetaData`` (``slack_installations``, ``slack_bots``,
``slack_oauth_states``), so they are not part of the Alembic migrations: :meth:`OAuthStores.
create_tables` creates any that are missing at start-up, and the Alembic environment ignores
tables the models do not own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError

from bot.config import AppConfig
from bot.metrics import MeteredWebClient

log = logging.getLogger(__name__)

# The bot scopes the code needs; kept equal to manifest.yml's oauth_config.scopes.bot by a test.
BOT_SCOPES = (
    "chat:write",
    "commands",
    "files:write",  # admin exports and meeting invitations
    "im:write",
    "mpim:write",
    "users:read",
    "users:read.email",
)
STATE_EXPIRATION_SECONDS = 600  # an install link is good for ten minutes
CLIENT_CACHE_SECONDS = 60.0  # how long a team's token is reused before it is looked up again


class NotInstalledError(RuntimeError):
    """A workspace has data here but no installation (never installed, or uninstalled)."""

    def __init__(self, team_id: str) -> None:
        super().__init__(
            f"Mentor Match is not installed in workspace {team_id}: no bot token in the "
            "installation store (install it again from /slack/install)"
        )
        self.team_id = team_id


@dataclass(frozen=True)
class OAuthStores:
    """slack_sdk's installation and OAuth state stores, on the program's database."""

    installations: SQLAlchemyInstallationStore
    states: SQLAlchemyOAuthStateStore

    @classmethod
    def build(cls, config: AppConfig, engine: Engine) -> OAuthStores:
        client_id = config.slack_client_id or ""
        return cls(
            installations=SQLAlchemyInstallationStore(client_id=client_id, engine=engine),
            states=SQLAlchemyOAuthStateStore(
                expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine
            ),
        )

    @property
    def table_names(self) -> list[str]:
        tables = [*self.installations.metadata.tables, *self.states.metadata.tables]
        return sorted(tables)

    def create_tables(self) -> None:
        """Create the stores' tables if missing (idempotent; safe if instances race)."""
        for store in (self.installations, self.states):
            try:
                store.create_tables()  # type: ignore[no-untyped-call]
            except DBAPIError:
                # Another instance created them between the existence check and CREATE.
                missing = set(store.metadata.tables) - set(inspect(store.engine).get_table_names())
                if missing:
                    raise
                log.info("OAuth tables were created by another process")

    def drop_tables(self) -> None:
        """Drop the stores' tables (tests; uninstalling everything)."""
        for store in (self.installations, self.states):
            store.metadata.drop_all(store.engine)


def require_complete(config: AppConfig) -> None:
    """Refuse half an OAuth configuration instead of silently running single-workspace."""
    if bool(config.slack_client_id) != bool(config.secret("slack_client_secret")):
        raise ValueError(
            "Set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for several workspaces "
            "(Basic Information -> App Credentials), or neither for one workspace."
        )


def oauth_settings(config: AppConfig, stores: OAuthStores, client: WebClient) -> OAuthSettings:
    """Bolt's OAuth settings: install and redirect paths, our stores, bot token only.

    Args:
        config: Settings with the client id and secret.
        stores: Where installations and OAuth states live.
        client: A token-less ``WebClient`` with ``base_url`` SLACK_API_URL; Bolt's OAuth flow
            exchanges codes with it (``oauth.v2.access``) when it is the app's client.
    """
    client_id, client_secret = config.slack_client_id, config.secret("slack_client_secret")
    if not client_id or not client_secret:
        raise ValueError("OAuth needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    settings = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=config.slack_redirect_uri,
        install_path=config.slack_install_path,
        redirect_uri_path=config.slack_redirect_path,
        installation_store=stores.installations,
        # The app only ever uses bot tokens: authorize with one find_bot query per request.
        installation_store_bot_only=True,
        state_store=stores.states,
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )
    # OAuthSettings builds its authorizer without a client, so token rotation (if ever turned
    # on) would refresh at slack.com; give it the configured API URL instead.
    settings.authorize = InstallationStoreAuthorize(
        logger=log,
        client_id=client_id,
        client_secret=client_secret,
        installation_store=stores.installations,
        bot_only=True,
        client=client,
    )
    return settings


class TeamClients:
    """``client_for(team_id)``: a ``WebClient`` with the team's bot token, reused briefly.

    Tokens are looked up with ``find_bot`` and cached for ``ttl`` seconds, so a reinstall or an
    uninstall is noticed within that time without a database query per notification.
    """

    def __init__(
        self,
        store: InstallationStore,
        *,
        base_url: str,
        ttl: float = CLIENT_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._base_url = base_url
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[WebClient, float]] = {}
        self._lock = threading.Lock()

    def __call__(self, team_id: str) -> WebClient:
        """The team's client.

        Raises:
            NotInstalledError: The installation store holds no bot token for ``team_id``.
        """
        now = self._clock()
        with self._lock:
            cached = self._cache.get(team_id)
        if cached is not None and now - cached[1] < self._ttl:
            return cached[0]
        bot = self._store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            self.forget(team_id)
            raise NotInstalledError(team_id)
        client = MeteredWebClient(token=bot.bot_token, base_url=self._base_url)
        with self._lock:
            self._cache[team_id] = (client, now)
        return client

    def forget(self, team_id: str) -> None:
        """Look the team's token up again on next use."""
        with self._lock:
            self._cache.pop(team_id, None)
