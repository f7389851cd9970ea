"""One message to one chat outside the daily fan-out: a follow's new story, a breaking
alert. Both notifiers send the same way and read Telegram's answer the same way; the
fan-out's own handling (retries within a tick, several messages an edition) stays in
:mod:`.dispatcher`.

How an error ends a notice:

* the chat blocked the bot or is gone → the chat is deactivated (:func:`deactivation_reason`);
* the message was rejected → it failed, and stays claimed (it would be rejected again);
* flood control, network trouble, a broken sender → it failed and the caller releases its
  claim (a later run may send it; a broken sender is the caller's to raise);
* its forum topic is gone → sent to the chat itself, once ``topic_gone`` has been told.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from bot.delivery.dispatcher import deactivation_reason
from bot.delivery.sender import OutgoingMessage, Sender
from bot.errors import (
    ChatUnreachable,
    MessageRejected,
    SendDeferred,
    SenderBroken,
    ThreadGone,
)
from bot.models import DeactivationReason

__all__ = ["NoticeOutcome", "NoticeTally", "send_notice"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NoticeOutcome:
    """How one notice ended; at most one of the fields below says why it did not go."""

    sent: bool = False
    deactivated: DeactivationReason | None = None
    release: SendDeferred | SenderBroken | None = None
    """An error after which the caller releases its claim (and raises a SenderBroken)."""


@dataclass
class NoticeTally:
    """Counts of notices by outcome: the part of a notifier's report they share."""

    sent: int = 0
    failed: int = 0
    deactivated: Counter[DeactivationReason] = field(default_factory=Counter)

    def count(self, outcome: NoticeOutcome) -> None:
        if outcome.sent:
            self.sent += 1
        elif outcome.deactivated is not None:
            self.deactivated[outcome.deactivated] += 1
        else:
            self.failed += 1


async def send_notice(
    sender: Sender,
    chat_id: int,
    chat_type: str,
    message: OutgoingMessage,
    deactivate: Callable[[int, DeactivationReason], Awaitable[None]],
    *,
    kind: str,
    topic_gone: Callable[[], Awaitable[None]] | None = None,
) -> NoticeOutcome:
    """Send ``message``; ``kind`` ("follow", "breaking alert") names it in the log."""
    try:
        try:
            await sender.send(chat_id, message)
        except ThreadGone:
            if message.thread_id is None or topic_gone is None:
                raise
            # The topic the chat chose is gone; the chat still wants its notices: to
            # the chat itself, and from now on.
            await topic_gone()
            log.info("chat %s: %s topic gone, sending to the chat", chat_id, kind)
            await sender.send(chat_id, replace(message, thread_id=None))
    except ChatUnreachable as exc:
        reason = deactivation_reason(chat_type, exc)
        await deactivate(chat_id, reason)
        log.info("chat %s deactivated (%s) sending a %s: %s", chat_id, reason, kind, exc)
        return NoticeOutcome(deactivated=reason)
    except (MessageRejected, ThreadGone) as exc:
        log.warning("%s to chat %s rejected: %s", kind, chat_id, exc)
        return NoticeOutcome()
    except (SendDeferred, SenderBroken) as exc:
        log.info("%s to chat %s not sent (%s); released", kind, chat_id, exc)
        return NoticeOutcome(release=exc)
    return NoticeOutcome(sent=True)
