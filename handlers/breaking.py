"""/alerts: confirmed breaking alerts on or off, and quiet hours.

The core (``bot.breaking``) stores and parses; this handler replies. It changes the chat,
so it passes the permission gate (``handlers.permissions``) like the other settings. In
a forum supergroup, alerts go to the topic where /alerts on was sent.
"""

from __future__ import annotations

from telegram import Update

from bot.breaking.view import alerts_status
from bot.errors import InvalidQuietHours
from handlers.common import chat_ref, reply_language
from handlers.context import BotContext

_ON = frozenset({"on", "켜기"})
_OFF = frozenset({"off", "끄기"})
_QUIET = frozenset({"quiet", "방해금지"})


async def alerts(update: Update, context: BotContext) -> None:
    """``/alerts``, ``/alerts on|off``, ``/alerts quiet 23:00-07:00|off``."""
    message = update.effective_message
    assert message is not None
    breaking, catalog, chat = context.services.breaking, context.services.catalog, chat_ref(update)
    language = await reply_language(update, context)
    action, *rest = [word.lower() for word in context.args or []] or [""]
    done: str | None = None
    if action in _ON and not rest:
        thread = message.message_thread_id if message.is_topic_message else None
        state, done = await breaking.turn_on(chat, thread), "alerts_turned_on"
    elif action in _OFF and not rest:
        state, done = await breaking.turn_off(chat), "alerts_turned_off"
    elif action in _QUIET and rest:
        hours = None if rest[0] in _OFF else " ".join(rest)
        try:
            state = await breaking.set_quiet_hours(chat, hours)
        except InvalidQuietHours as exc:
            await message.reply_text(catalog.text(language, exc.reason))
            return
        done = "alerts_quiet_set" if hours else "alerts_quiet_cleared"
    else:
        state = await breaking.state(chat)
    status = alerts_status(state, breaking.rule, catalog, language)
    await message.reply_text(f"{catalog.text(language, done)}\n\n{status}" if done else status)
