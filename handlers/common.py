"""Small helpers shared by handlers: the reader's language, the typing indicator."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.i18n import pick_language
from handlers.context import BotContext

log = logging.getLogger(__name__)
# Telegram shows a chat action for about five seconds; renew it a little sooner.
_TYPING_RENEW_SECONDS = 4.5


def language_for(update: Update) -> str:
    user = update.effective_user
    return pick_language(user.language_code if user else None)


@contextlib.asynccontextmanager
async def typing(context: BotContext, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat for as long as the block runs; failures only warn."""

    async def keep_typing() -> None:
        while True:
            try:
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                log.warning("sendChatAction failed in chat %s: %s", chat_id, exc)
                return
            await asyncio.sleep(_TYPING_RENEW_SECONDS)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
