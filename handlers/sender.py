"""The fan-out's messenger, over PTB: the rate limiter and Telegram's errors in our terms.

:class:`TelegramSender` is the :class:`bot.delivery.sender.Sender` the dispatcher uses;
:func:`make_rate_limiter` paces the whole bot (handlers' replies included) under
Telegram's limit per token.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter

from bot.delivery.pacing import FairPacer, LocalPacer, Pacer
from bot.delivery.sender import OutgoingMessage
from bot.errors import (
    ChatUnreachable,
    MessageRejected,
    NetworkTrouble,
    SendDeferred,
    SenderBroken,
    SendError,
    ThreadGone,
)
from bot.models import DeactivationReason
from handlers.briefing_buttons import briefing_keyboard

JSONDict = dict[str, Any]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def make_rate_limiter(
    messages_per_second: float,
    *,
    max_retries: int = 3,
    on_rate_limited: Callable[[], object] | None = None,
) -> PacedRateLimiter:
    """The bot's rate limiter: every message to a chat waits for a slot of a
    :class:`~bot.delivery.pacing.LocalPacer` at ``messages_per_second``, so no one-second
    window ever holds more than that many (:mod:`bot.delivery.pacing`). With several
    instances, :meth:`PacedRateLimiter.pace_with` switches it to the shared schedule.

    Slots go to the chat served least recently (:class:`~bot.delivery.pacing.FairPacer`):
    at the limit, one reader's ``/help`` does not queue behind eight chats' summaries.

    PTB's own ``AIORateLimiter(overall_max_rate=R)`` builds a leaky bucket of capacity R,
    which lets R requests out at once and R more within the same second — twice the rate
    over Telegram's sliding window — and paces paid broadcasts with a bucket of 1,000.
    """
    return PacedRateLimiter(
        LocalPacer(messages_per_second), max_retries=max_retries, on_rate_limited=on_rate_limited
    )


class PacedRateLimiter(AIORateLimiter):
    """AIORateLimiter for what it does well — groups' 20 messages a minute, a RetryAfter
    pausing every request for as long as Telegram asks, then retrying (at most
    ``max_retries`` times) — with a :class:`~bot.delivery.pacing.Pacer` instead of its
    overall bucket. AIORateLimiter has no per-private-chat limit: a briefing's few
    messages are a short burst, which Telegram allows. ``on_rate_limited`` is called on
    every 429 (the metrics count them)."""

    def __init__(
        self,
        pacer: Pacer,
        *,
        max_retries: int,
        on_rate_limited: Callable[[], object] | None,
    ) -> None:
        super().__init__(overall_max_rate=0, max_retries=max_retries)
        self._slots = FairPacer(pacer)
        self._on_rate_limited = on_rate_limited

    def pace_with(self, pacer: Pacer) -> None:
        """Take slots from ``pacer`` from now on (the shared schedule, once the database
        is open)."""
        self._slots.pacer = pacer

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat = data.get("chat_id")  # what Telegram's limit counts
        slots, report = self._slots, self._on_rate_limited

        async def paced(*call_args: Any, **call_kwargs: Any) -> bool | JSONDict | list[JSONDict]:
            if chat is not None:
                await slots.wait(chat, action=endpoint == "sendChatAction")
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter:
                if report is not None:
                    report()
                raise

        return await super().process_request(paced, args, kwargs, endpoint, data, rate_limit_args)


class TelegramSender:
    """Sends HTML without link previews through ``bot`` (and so through its rate limiter),
    the message's buttons as an inline keyboard.

    ``paid_broadcast`` (TELEGRAM_PAID_BROADCAST) sends with ``allow_paid_broadcast``:
    Telegram then takes up to 1,000 messages a second and bills each in Stars. Only the
    fan-out sends through here; replies to readers stay free.
    """

    def __init__(self, bot: Bot, *, paid_broadcast: bool = False) -> None:
        self._bot = bot
        self._paid_broadcast = paid_broadcast

    async def send(self, chat_id: int, message: OutgoingMessage) -> None:
        """One message; Telegram's answer (the sent message) is not read.

        ``Bot.send_message`` would build a :class:`telegram.Message` from the answer —
        170 µs of CPU for a briefing, with its dozens of entities and its keyboard echoed
        back, about a sixth of all the CPU a message of the fan-out costs — which the
        fan-out throws away. So the request goes through ``Bot._post``, the one path every
        PTB method sends by (defaults, the rate limiter, the request object, Telegram's
        errors raised as usual), and the raw answer is dropped. ``_post`` is PTB's own;
        ``tests/test_delivery_wire.py`` pins what it sends.
        """
        data: dict[str, object] = {
            "chat_id": chat_id,
            "text": message.text,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": NO_PREVIEW,
        }
        if message.buttons or message.stories:
            data["reply_markup"] = briefing_keyboard(chat_id, message.buttons, message.stories)
        if message.thread_id is not None:
            data["message_thread_id"] = message.thread_id
        if self._paid_broadcast:
            data["allow_paid_broadcast"] = True
        try:
            await self._bot._post("sendMessage", data)
        except TelegramError as exc:
            raise send_error(exc) from exc


def send_error(error: TelegramError) -> SendError:
    """Telegram's error as one of ours, by what the dispatcher should do about it."""
    text = error.message.lower()
    described = f"{type(error).__name__}: {error.message}"
    if isinstance(error, Forbidden):
        if "deactivated" in text:
            return ChatUnreachable(DeactivationReason.USER_DEACTIVATED, error.message)
        if "blocked" in text:
            return ChatUnreachable(DeactivationReason.BLOCKED, error.message)
        return ChatUnreachable(DeactivationReason.KICKED, error.message)
    if isinstance(error, BadRequest):  # a NetworkError subclass, but final
        if "chat not found" in text:
            return ChatUnreachable(DeactivationReason.CHAT_NOT_FOUND, error.message)
        if "thread not found" in text or "topic_deleted" in text or "topic_closed" in text:
            return ThreadGone(described)
        return MessageRejected(described)
    if isinstance(error, RetryAfter | ChatMigrated):
        return SendDeferred(described)
    if isinstance(error, NetworkError):  # timeouts, connection errors, 5xx
        return NetworkTrouble(described)
    return SenderBroken(described)
