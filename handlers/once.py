"""Each update handled once, however many instances receive it.

A :class:`~telegram.ext.TypeHandler` for every update, in a group before all others:
it claims the update id in the database and stops a repeated one from going further.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from handlers.context import BotContext

log = logging.getLogger(__name__)

GROUP = -100
"""Handler group that runs before every other (PTB runs groups in ascending order)."""


async def drop_if_taken(update: Update, context: BotContext) -> None:
    """Let the update through if this instance is the first to claim it; else stop it."""
    services = context.services
    if not await services.updates.claim(update.update_id, services.clock()):
        log.info("update %s was already handled; dropped", update.update_id)
        raise ApplicationHandlerStop
