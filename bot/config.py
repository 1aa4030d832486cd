"""Deployment settings, read from the environment and ``.env``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from store.db import default_database_url

SLACK_API_URL = "https://slack.com/api/"


class AppConfig(BaseSettings):
    """Everything the operator sets; program rules live in the database
    (mentoring.program.settings)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None  # Socket Mode (xapp-...)
    slack_signing_secret: SecretStr | None = None  # HTTP mode
    slack_api_url: str = SLACK_API_URL  # GovSlack and tests use another host
    # Several workspaces (OAuth install at slack_install_path; HTTP mode): both, or neither.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_redirect_uri: str | None = None  # default: the Redirect URL set in the app config
    slack_install_path: str = "/slack/install"
    slack_redirect_path: str = "/slack/oauth_redirect"
    database_url: str = Field(default_factory=default_database_url)
    admin_user_ids: Annotated[frozenset[str], NoDecode] = frozenset()
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"  # json: one JSON object per line
    sweep_interval_seconds: int = Field(default=300, ge=1)  # reminders, auto-close, digests
    delivery_interval_seconds: int = Field(default=10, ge=1)  # retrying notifications
    # On SIGTERM/SIGINT, how long in-flight requests and the running job may take to finish.
    shutdown_grace_seconds: float = Field(default=10, ge=0)
    # /healthz and doctor fail when a notification has waited longer than this to go out.
    outbox_max_age_seconds: int = Field(default=1800, ge=1)

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # WebClient appends the method name to base_url as is.
        return value if value.endswith("/") else value + "/"

    @property
    def oauth_enabled(self) -> bool:
        """Several workspaces: the app installs itself by OAuth instead of one bot token."""
        return bool(self.slack_client_id and self.secret("slack_client_secret"))

    def secret(self, name: str) -> str | None:
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else None
