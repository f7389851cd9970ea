"""The typed context handlers receive: ``context.services`` instead of bot_data lookups."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.alerts import ErrorThrottle
from bot.articles.cache import TTLCache
from bot.health import HealthServer
from bot.services import Services

ADMIN_CACHE_SECONDS = 60.0


class BotData:
    """Application-wide state; ``services`` is set in post_init."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.health: HealthServer | None = None
        # Unexpected errors the admin chats heard of lately (each at most once per window).
        self.error_throttle = ErrorThrottle()
        # (chat, user) → is an administrator; Telegram-side state, so it lives here.
        self.admin_cache: TTLCache[bool] = TTLCache(max_items=10_000, ttl=ADMIN_CACHE_SECONDS)


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are opened in post_init; the bot is not started")
        return services


BotApplication = Application[ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
