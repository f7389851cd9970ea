"""What the fan-out needs from a messenger: send one HTML message, with its buttons, to one
chat.

The core never sees Telegram's own types: a button is described here as plain data (a
label and what it does), and the adapter in ``handlers/sender.py`` turns it into
Telegram's inline keyboard, sends through PTB (rate limiter, HTML, no link previews) and
translates Telegram's errors into :class:`~bot.errors.SendError` kinds, which say what
the dispatcher should do next.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class BriefingAction(StrEnum):
    """What a button under a delivered briefing does."""

    SETTINGS = "settings"
    """Open the chat's settings menu."""
    PAUSE = "pause"
    """Stop the daily briefing, keeping the settings (an unsubscribe)."""
    RESUME = "resume"
    """Subscribe again with the kept settings."""


@dataclass(frozen=True, slots=True)
class ActionButton:
    label: str
    """What the reader sees, in the chat's language."""
    action: BriefingAction


@dataclass(frozen=True, slots=True)
class StoryButton:
    """Opens a story's thread (/story): one under the message for each of its stories."""

    label: str
    thread_id: str


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    text: str
    """Telegram HTML."""
    buttons: tuple[ActionButton, ...] = ()
    """One row of buttons under the message."""
    stories: tuple[StoryButton, ...] = ()
    """A row each, above ``buttons``: the threads of the stories in the message."""
    thread_id: int | None = None
    """The forum topic to post in (a supergroup's ``message_thread_id``: where /subscribe
    or /alerts on was sent); None: the chat. Not a story's thread: those are ``stories``'
    buttons."""


class Sender(Protocol):
    async def send(self, chat_id: int, message: OutgoingMessage) -> None:
        """Send ``message`` to ``chat_id``, or raise a ``SendError``."""
        ...
