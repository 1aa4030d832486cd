"""Deployment settings, read from the environment and ``.env``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from store.db import default_database_url

SLACK_API_URL = "https://slack.com/api/"


class AppConfig(BaseSettings):
    """Everything the operator sets; program rules live in the database (mentoring.settings)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None  # Socket Mode (xapp-...)
    slack_signing_secret: SecretStr | None = None  # HTTP mode
    slack_api_url: str = SLACK_API_URL  # GovSlack and tests use another host
    database_url: str = Field(default_factory=default_database_url)
    admin_user_ids: Annotated[frozenset[str], NoDecode] = frozenset()
    log_level: str = "INFO"
    sweep_interval_seconds: int = Field(default=300, ge=1)  # reminders, auto-close, digests
    delivery_interval_seconds: int = Field(default=10, ge=1)  # retrying notifications

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # WebClient appends the method name to base_url as is.
        return value if value.endswith("/") else value + "/"

    def secret(self, name: str) -> str | None:
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else None
