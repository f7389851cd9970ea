"""Commands the bot does not have: in a private chat, the nearest ones and /help.

Groups and channels get silence: there a mistyped or unknown command is as likely
another bot's, and a reply would be noise in other people's conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from telegram import MessageEntity, Update

from bot.spelling import closest
from handlers.common import reply_language
from handlers.context import BotContext

_MAX_SUGGESTIONS = 3


def nearest_commands(word: str, names: Sequence[str]) -> list[str]:
    """The commands ``word`` was probably meant as: the closest by edits (one edit for a
    word of up to four letters, two for longer ones), else those it begins
    (``unsub`` → ``unsubscribe``); none when nothing is near."""
    word = word.lower()
    found = closest(word, names, max_distance=1 if len(word) <= 4 else 2)
    if not found and len(word) >= 3:
        found = [name for name in names if name.startswith(word)]
    return found[:_MAX_SUGGESTIONS]


def command_of(update: Update, bot_username: str) -> str | None:
    """The command a message starts with, if it is addressed to us: ``/subscrbe`` and
    ``/subscrbe@ourbot`` are, ``/cmd@otherbot`` is not."""
    message = update.effective_message
    if message is None or not message.text:
        return None
    entity = next(iter(message.entities), None)
    if entity is None or entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    name, _, mention = message.text[1 : entity.length].partition("@")
    if mention and mention.lower() != bot_username.lower():
        return None
    return name or None


def reply_to_unknown(
    names: Sequence[str],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """The handler for commands outside ``names`` (the bot's command table)."""

    async def unknown_command(update: Update, context: BotContext) -> None:
        """One line: the nearest commands, if any, and /help."""
        message = update.effective_message
        command = command_of(update, context.bot.username)
        if message is None or command is None:
            return
        catalog = context.services.catalog
        language = await reply_language(update, context)
        nearest = nearest_commands(command, names)
        if not nearest:
            await message.reply_text(
                catalog.text(language, "unknown_command_no_match", command=command)
            )
            return
        joined = catalog.text(language, "unknown_command_or").join(f"/{n}" for n in nearest)
        await message.reply_text(
            catalog.text(language, "unknown_command", command=command, commands=joined)
        )

    return unknown_command
