"""Commands the bot does not have: in a private chat, the nearest ones and /help.

Groups and channels get silence: there a mistyped or unknown command is as likely
another bot's, and a reply would be noise in other people's conversation.

Telegram commands are Latin letters, but Korean readers also type ``/구독`` or ``/설정``.
Telegram does not mark those as commands, so they are recognised here by their slash and
answered with the command meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Final

from telegram import MessageEntity, Update

from bot.spelling import closest
from handlers.common import reply_language
from handlers.context import BotContext

_MAX_SUGGESTIONS = 3
KOREAN_WORD: Final = re.compile(r"^/([가-힣]+)(?=\s|$)")
"""A Korean word typed as a command: ``/구독``."""
# What Korean readers type for each command (the command names are the table's).
KOREAN_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "start": ("시작",),
    "help": ("도움말", "도움", "명령어"),
    "summarize": ("요약",),
    "brief": ("브리핑",),
    "latest": ("최신", "최신뉴스", "뉴스"),
    "sources": ("언론사", "출처", "피드"),
    "subscribe": ("구독", "구독하기"),
    "unsubscribe": ("구독해지", "해지", "구독취소"),
    "settings": ("설정",),
    "status": ("상태", "구독상태"),
    "time": ("시각", "시간", "받는시각"),
    "timezone": ("시간대",),
    "topics": ("주제",),
    "language": ("언어",),
    "forget": ("삭제", "정보삭제"),
}


def nearest_commands(word: str, names: Sequence[str]) -> list[str]:
    """The commands ``word`` was probably meant as: the closest by edits (one edit for a
    word of up to four letters, two for longer ones), else those it begins
    (``unsub`` → ``unsubscribe``); none when nothing is near."""
    if KOREAN_WORD.match(f"/{word}"):
        return _nearest_korean(word, names)
    word = word.lower()
    found = closest(word, names, max_distance=1 if len(word) <= 4 else 2)
    if not found and len(word) >= 3:
        found = [name for name in names if name.startswith(word)]
    return found[:_MAX_SUGGESTIONS]


def _nearest_korean(word: str, names: Sequence[str]) -> list[str]:
    """The commands a Korean word names (``구독`` → subscribe), or whose Korean name is one
    slip away (``구둑``); letters are compared, not syllables (``bot.spelling``)."""
    by_name = {alias: name for name, aliases in KOREAN_NAMES.items() for alias in aliases}
    found = closest(word, by_name, max_distance=1)
    commands = [by_name[alias] for alias in found if by_name[alias] in names]
    return list(dict.fromkeys(commands))[:_MAX_SUGGESTIONS]


def command_of(update: Update, bot_username: str) -> str | None:
    """The command a message starts with, if it is addressed to us: ``/subscrbe`` and
    ``/subscrbe@ourbot`` are, ``/cmd@otherbot`` is not; a Korean word after a slash
    (``/구독``) counts too."""
    message = update.effective_message
    if message is None or not message.text:
        return None
    if korean := KOREAN_WORD.match(message.text):
        return korean[1]
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
