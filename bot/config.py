"""Deployment settings, read from the environment and ``.env``."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from store.db import default_database_url


class AppConfig(BaseSettings):
    """Everything the operator sets; program rules live in the database (mentoring.settings)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    log_level: str = "INFO"
