"""One Settings object, read once at start-up from the environment and ``.env``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.delivery.schedule import parse_time, resolve_timezone
from bot.errors import ConfigError, InvalidTime, InvalidTimezone
from bot.models import DEFAULT_DELIVERY_TIME, DEFAULT_TIMEZONE, Topic

# Telegram tokens look like "123456789:AAH…" (bot id, colon, 35 url-safe characters).
_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,100}$")
_LOG_LEVELS = {"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"}
FREE_MESSAGES_PER_SECOND = 30
"""Telegram's broadcast limit per token; paid broadcasts may go up to 1,000 a second."""
# Telegram's rule for setWebhook's secret_token.
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class Webhook:
    """Where the webhook server listens and what Telegram is told (WEBHOOK_* settings)."""

    url: str
    """The public https URL Telegram posts to (a reverse proxy may terminate TLS)."""
    listen: str
    port: int
    secret: str
    """Sent to Telegram as ``secret_token``; requests without it get 403."""

    @property
    def path(self) -> str:
        """The URL's path, served locally too: the proxy forwards it unchanged."""
        return urlsplit(self.url).path.strip("/")


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
    worker_niceness: int = Field(default=10, ge=0, le=19)
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    health_port: int = Field(default=8080, ge=0, le=65535)
    """0 turns the health and metrics server off."""
    health_listen: str = "0.0.0.0"
    database_url: str | None = None
    default_timezone: str = DEFAULT_TIMEZONE
    default_briefing_time: dt.time = DEFAULT_DELIVERY_TIME
    briefbot_feeds: Path | None = None
    feed_poll_minutes: float = Field(default=15.0, gt=0)
    feed_max_bytes: int = Field(default=10_000_000, gt=0)
    links_per_chat_per_minute: int = Field(default=20, ge=1)
    link_queue_max: int = Field(default=100, ge=1)
    follows_per_chat: int = Field(default=20, ge=1)
    follow_max_stories_per_day: int = Field(default=50, ge=1)
    alert_topics: Annotated[frozenset[Topic], NoDecode] = frozenset(
        {Topic.SECURITY, Topic.INTER_KOREAN}
    )
    """Breaking alerts (``/alerts``) only for stories whose primary topic is one of these."""
    alert_min_outlets: int = Field(default=3, ge=2)
    alert_window_minutes: float = Field(default=60.0, gt=0, le=24 * 60)
    admin_chat_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    telegram_max_messages_per_second: float = Field(default=25.0, gt=0, le=1000)
    telegram_paid_broadcast: bool = False
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    lease_seconds: float = Field(default=30.0, ge=3, le=600)
    retention_days: int = Field(default=180, ge=1)
    """Items (and their search entries) older than this are deleted, hourly."""

    @field_validator("admin_chat_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("alert_topics", mode="before")
    @classmethod
    def _topic_names(cls, value: object) -> object:
        if isinstance(value, str):
            return [
                part.strip().lower() for part in value.replace(";", ",").split(",") if part.strip()
            ]
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

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _https_webhook(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            parts = urlsplit(value.strip())
            if parts.scheme != "https" or not parts.hostname:
                raise ValueError("must be the public https:// URL Telegram posts updates to")
            return value.strip()
        return value

    @model_validator(mode="after")
    def _free_rate_without_paid_broadcast(self) -> Settings:
        rate = self.telegram_max_messages_per_second
        if rate > FREE_MESSAGES_PER_SECOND and not self.telegram_paid_broadcast:
            raise ValueError(
                f"TELEGRAM_MAX_MESSAGES_PER_SECOND={rate:g} is above Telegram's free "
                f"{FREE_MESSAGES_PER_SECOND} a second; up to 1000 needs "
                "TELEGRAM_PAID_BROADCAST=true (paid broadcasts, billed in Telegram Stars)"
            )
        return self

    @field_validator("log_format", mode="before")
    @classmethod
    def _format_any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

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

    def webhook(self) -> Webhook | None:
        """The webhook set-up when WEBHOOK_URL is set (None: long polling), or a ConfigError."""
        if self.webhook_url is None:
            return None
        secret = self.webhook_secret.get_secret_value().strip() if self.webhook_secret else ""
        if not secret:
            raise ConfigError(
                "WEBHOOK_SECRET is not set. Webhook mode (WEBHOOK_URL) needs a secret of 1-256 "
                "letters, digits, '_' or '-', so only Telegram can post updates to the bot."
            )
        if not _SECRET_RE.match(secret):
            raise ConfigError(
                "WEBHOOK_SECRET may hold only 1-256 letters, digits, '_' or '-' (Telegram's rule)."
            )
        return Webhook(self.webhook_url, self.webhook_listen, self.webhook_port, secret)


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Read settings, turning pydantic's validation report into one ConfigError."""
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = "; ".join(_problem(err["loc"], err["msg"]) for err in exc.errors())
        raise ConfigError(f"invalid configuration: {problems}") from exc


def _problem(loc: tuple[int | str, ...], message: str) -> str:
    """One setting's problem; a rule across settings has no location and names them."""
    where = ".".join(str(part) for part in loc).upper()
    return f"{where}: {message}" if where else message.removeprefix("Value error, ")
