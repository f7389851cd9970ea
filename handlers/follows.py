"""/follow, /follows and /unfollow: what a chat follows, and the buttons that remove it.

The core (``bot.follows``) parses, judges and stores; these handlers reply. /follow and
/unfollow change the chat and pass the permission gate (``handlers.permissions``); the
remove buttons of /follows pass it on every press.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.errors import FollowError, FollowTooBroad, FollowTooLong, NotFollowing, TooManyFollows
from bot.follows.query import MAX_FOLLOW_CHARS, MAX_TERMS
from bot.formatting import plain_text, truncate_text
from bot.i18n import Catalog
from bot.store.follows import Follow
from handlers.buttons import ButtonPress, button_data
from handlers.common import alert_text, chat_ref, reply_language
from handlers.context import BotContext

BUTTON_LABEL_LIMIT = 40


async def follow(update: Update, context: BotContext) -> None:
    """``/follow 김여정``: send this chat each new story that mentions it."""
    message, _chat_id = _command(update)
    services = context.services
    language = await reply_language(update, context)
    if not context.args:
        await message.reply_text(services.catalog.text(language, "usage_follow"))
        return
    try:
        added = await services.follows.follow(chat_ref(update), " ".join(context.args))
    except FollowError as exc:
        await message.reply_text(_error_text(exc, context, language))
        return
    key = "follow_added" if added.created else "follow_already"
    text = services.catalog.text(
        language, key, follow=added.follow.label, count=added.stories_today
    )
    await message.reply_text(text)


async def unfollow(update: Update, context: BotContext) -> None:
    """``/unfollow 김여정``; without words, the list with its remove buttons."""
    message, chat_id = _command(update)
    services = context.services
    language = await reply_language(update, context)
    if not context.args:
        await list_follows(update, context)
        return
    try:
        removed = await services.follows.unfollow(chat_id, " ".join(context.args))
    except FollowError as exc:
        await message.reply_text(_error_text(exc, context, language))
        return
    await message.reply_text(services.catalog.text(language, "unfollowed", follow=removed.label))


async def list_follows(update: Update, context: BotContext) -> None:
    """``/follows``: the chat's follows, a button under the list to remove each."""
    message, chat_id = _command(update)
    language = await reply_language(update, context)
    follows = await context.services.follows.of_chat(chat_id)
    text, keyboard = _follows_list(chat_id, follows, context.services.catalog, language)
    await message.reply_text(text, reply_markup=keyboard)


async def on_follow_press(update: Update, context: BotContext, press: ButtonPress) -> None:
    """A remove button of /follows (past the permission gate): remove, then show the rest."""
    query = update.callback_query
    assert query is not None and press.argument is not None
    catalog = context.services.catalog
    language = await reply_language(update, context)
    follows = context.services.follows
    removed = await follows.remove(press.chat_id, int(press.argument))
    key, label = ("unfollowed", removed.label) if removed else ("unfollow_gone", "")
    await query.answer(alert_text(catalog.text(language, key, follow=label)))
    text, keyboard = _follows_list(
        press.chat_id, await follows.of_chat(press.chat_id), catalog, language
    )
    await query.edit_message_text(text, reply_markup=keyboard)


def _follows_list(
    chat_id: int, follows: list[Follow], catalog: Catalog, language: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not follows:
        return catalog.text(language, "follows_empty"), None
    lines = [catalog.text(language, "follows_title")]
    lines += [catalog.text(language, "follows_line", follow=f.label) for f in follows]
    lines.append(catalog.text(language, "follows_hint"))
    rows = [
        [
            InlineKeyboardButton(
                plain_text(
                    catalog.text(
                        language,
                        "button_unfollow",
                        follow=truncate_text(f.label, BUTTON_LABEL_LIMIT),
                    )
                ),
                callback_data=button_data("follow", chat_id, "rm", str(f.id)),
            )
        ]
        for f in follows
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _error_text(error: FollowError, context: BotContext, language: str) -> str:
    follows = context.services.follows
    params: dict[str, object] = {}
    if isinstance(error, FollowTooBroad):
        params = {"follow": error.label, "max": follows.max_stories_per_day}
        if error.stories is not None:
            return context.services.catalog.text(
                language, "follow_too_broad_today", count=error.stories, **params
            )
    if isinstance(error, TooManyFollows):
        params = {"limit": error.limit}
    if isinstance(error, NotFollowing):
        params = {"follow": error.label}
    if isinstance(error, FollowTooLong):
        params = {"chars": MAX_FOLLOW_CHARS, "words": MAX_TERMS}
    return context.services.catalog.text(language, error.reason, **params)


def _command(update: Update) -> tuple[Message, int]:
    """The command's message and chat (the permission gate, or the handler table, has
    checked both exist)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    return message, chat.id
