"""What the fan-out needs from a messenger: send one HTML message to one chat.

The core never sees Telegram's own types. The adapter in ``handlers/sender.py`` sends
through PTB (rate limiter, HTML, no link previews) and translates Telegram's errors into
:class:`~bot.errors.SendError` kinds, which say what the dispatcher should do next.
"""

from __future__ import annotations

from typing import Protocol


class Sender(Protocol):
    async def send(self, chat_id: int, text: str) -> None:
        """Send ``text`` (Telegram HTML) to ``chat_id``, or raise a ``SendError``."""
        ...
