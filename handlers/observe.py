"""What the operator sees of the running bot: updates counted by kind (and named in the
log), and the health server (``/healthz``, ``/readyz``, ``/metrics``) with a readiness
check that knows PTB."""

from __future__ import annotations

import logging

from telegram import Update

from bot.health import HealthServer, database_problem
from bot.logs import current_chat, current_update
from bot.metrics import Metrics
from bot.settings import Settings
from handlers.context import BotApplication, BotContext

log = logging.getLogger(__name__)

GROUP = -90
"""After the de-duplication group (-100): an update another instance took is not counted."""


def update_kind(update: Update) -> str:
    """The update's type as Telegram names it (``message``, ``callback_query``, …)."""
    return next(
        (kind for kind in Update.ALL_TYPES if getattr(update, kind, None) is not None), "other"
    )


async def count_update(update: Update, context: BotContext) -> None:
    """Count the update and name it in the log lines its handling writes (JSON logs);
    the handlers of later groups answer it (in the same task: PTB gives each update one)."""
    context.services.metrics.updates.labels(update_kind(update)).inc()
    current_update.set(update.update_id)
    current_chat.set(update.effective_chat.id if update.effective_chat is not None else None)


async def start_health_server(
    application: BotApplication, settings: Settings, metrics: Metrics
) -> HealthServer | None:
    """The health server on HEALTH_LISTEN:HEALTH_PORT, or None when HEALTH_PORT is 0."""
    if settings.health_port == 0:
        return None

    async def readiness() -> str | None:
        services = application.bot_data.services
        if services is None:
            return "starting: the database and workers are not open yet"
        try:
            application.bot.bot  # noqa: B018 - raises until getMe has succeeded
        except RuntimeError:
            return "the bot is not authorised with Telegram yet"
        return await database_problem(services.database)

    server = HealthServer(metrics, readiness)
    await server.start(settings.health_listen, settings.health_port)
    return server
