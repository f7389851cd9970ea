"""One Settings object, read once at start-up from the environment and ``.env``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.delivery.schedule import parse_time, resolve_timezone
from bot.errors import ConfigError, InvalidTime, InvalidTimezone
from bot.models import DEFAULT_DELIVERY_TIME, DEFAULT_TIMEZONE

# Telegram tokens look like "123456789:AAH…" (bot id, colon, 35 url-safe characters).
_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,100}$")
_LOG_LEVELS = {"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"}


class Settings(BaseSettings):
    """Every setting is documented in ``.env.example``; names match the variables."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    fetch_allow_private_networks: bool = False
    fetch_max_bytes: int = Field(default=5_000_000, gt=0)
    fetch_deadline_seconds: float = Field(default=20.0, gt=0, le=20.0)
    fetch_max_redirects: int = Field(default=5, ge=0, le=5)
    summary_cache_size: int = Field(default=1000, ge=0)
    summary_cache_ttl_hours: float = Field(default=24.0, gt=0)
    worker_processes: int = Field(default=0, ge=0)
    worker_job_deadline_seconds: float = Field(default=30.0, gt=0, le=600)
    log_level: str = "INFO"
    database_url: str | None = None
    default_timezone: str = DEFAULT_TIMEZONE
    default_briefing_time: dt.time = DEFAULT_DELIVERY_TIME
    briefbot_feeds: Path | None = None
    feed_poll_minutes: float = Field(default=15.0, gt=0)
    feed_max_bytes: int = Field(default=10_000_000, gt=0)
    links_per_chat_per_minute: int = Field(default=20, ge=1)
    link_queue_max: int = Field(default=100, ge=1)
    admin_chat_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    telegram_max_messages_per_second: float = Field(default=25.0, gt=0, le=30)

    @field_validator("admin_chat_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("briefbot_feeds", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            return resolve_timezone(value)
        except InvalidTimezone as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("default_briefing_time", mode="before")
    @classmethod
    def _readable_time(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return parse_time(value)
            except InvalidTime as exc:
                raise ValueError(str(exc)) from exc
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://", value):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in _LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(sorted(_LOG_LEVELS))}")
        return value

    def require_token(self) -> str:
        """The token, or a ConfigError that tells the operator what to fix."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set. Put TELEGRAM_BOT_TOKEN=<token from @BotFather> "
                "in .env or the environment."
            )
        token = self.telegram_bot_token.get_secret_value().strip()
        if not _TOKEN_RE.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token "
                "(expected digits, a colon, then ~35 letters, digits, '_' or '-')."
            )
        return token


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Read settings, turning pydantic's validation report into one ConfigError."""
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from exc
