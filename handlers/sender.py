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

from bot.delivery.sender import OutgoingMessage
from bot.errors import (
    ChatUnreachable,
    MessageRejected,
    NetworkTrouble,
    SendDeferred,
    SenderBroken,
    SendError,
)
from bot.models import DeactivationReason
from handlers.briefing_buttons import briefing_keyboard

JSONDict = dict[str, Any]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
PACING_HEADROOM = 0.03
"""The limiter drains 3 % under the rate it is given: 30 ms of every second."""
CATCH_UP = 0.003
"""Seconds of that headroom a late request may make up (asyncio timers fire up to a
millisecond late); the rest, 27 ms a second, absorbs network jitter, which bunches
requests together before Telegram counts them."""


def make_rate_limiter(
    messages_per_second: float,
    *,
    max_retries: int = 3,
    on_rate_limited: Callable[[], object] | None = None,
) -> AIORateLimiter:
    """PTB's :class:`AIORateLimiter`, spacing the whole bot's requests evenly, so that no
    one-second window ever holds more than ``messages_per_second`` of them.

    ``AIORateLimiter(overall_max_rate=R)`` builds ``AsyncLimiter(R, 1)``: a leaky bucket
    of capacity R, which lets R requests out at once and R more within the same second —
    twice the rate over Telegram's sliding window. Here the bucket holds one request plus
    :data:`CATCH_UP` and drains at ``R / (1 + PACING_HEADROOM)``. A leaky bucket lets at
    most ``capacity + drain × T`` requests through in T seconds, which stays under R + 1
    for any window stretched by up to 27 ms of jitter.

    Groups and channels keep AIORateLimiter's 20 per minute; a RetryAfter pauses every
    request for as long as Telegram asks, then retries (at most ``max_retries`` times).
    AIORateLimiter has no per-private-chat limit: a briefing's few messages are a short
    burst, which Telegram allows. ``on_rate_limited`` is called on every 429 (the metrics
    count them).
    """
    if messages_per_second <= 0:
        raise ValueError(f"messages_per_second must be positive, got {messages_per_second}")
    drain = messages_per_second / (1 + PACING_HEADROOM)
    capacity = 1 + drain * CATCH_UP
    return _CountingRateLimiter(
        overall_max_rate=capacity,
        overall_time_period=capacity / drain,
        max_retries=max_retries,
        on_rate_limited=on_rate_limited,
    )


class _CountingRateLimiter(AIORateLimiter):
    """AIORateLimiter that reports each 429 before retrying it as usual."""

    def __init__(
        self,
        *,
        overall_max_rate: float,
        overall_time_period: float,
        max_retries: int,
        on_rate_limited: Callable[[], object] | None,
    ) -> None:
        super().__init__(
            overall_max_rate=overall_max_rate,
            overall_time_period=overall_time_period,
            max_retries=max_retries,
        )
        self._on_rate_limited = on_rate_limited

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        report = self._on_rate_limited
        if report is None:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def counted(*call_args: Any, **call_kwargs: Any) -> bool | JSONDict | list[JSONDict]:
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter:
                report()
                raise

        return await super().process_request(counted, args, kwargs, endpoint, data, rate_limit_args)


class TelegramSender:
    """Sends HTML without link previews through ``bot`` (and so through its rate limiter),
    the message's buttons as an inline keyboard.

    ``paid_broadcast`` (TELEGRAM_PAID_BROADCAST) sends with ``allow_paid_broadcast``:
    Telegram then takes up to 1,000 messages a second and bills each in Stars. Only the
    fan-out sends through here; replies to readers stay free.
    """

    def __init__(self, bot: Bot, *, paid_broadcast: bool = False) -> None:
        self._bot = bot
        self._paid_broadcast = True if paid_broadcast else None

    async def send(self, chat_id: int, message: OutgoingMessage) -> None:
        keyboard = briefing_keyboard(chat_id, message.buttons) if message.buttons else None
        try:
            await self._bot.send_message(
                chat_id,
                message.text,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=keyboard,
                allow_paid_broadcast=self._paid_broadcast,
            )
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
        return MessageRejected(described)
    if isinstance(error, RetryAfter | ChatMigrated):
        return SendDeferred(described)
    if isinstance(error, NetworkError):  # timeouts, connection errors, 5xx
        return NetworkTrouble(described)
    return SenderBroken(described)
