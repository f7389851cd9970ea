"""Telling the operators about failures nobody expected, without flooding their chat.

A bug usually fails every update that reaches it; the admin chat hears of it once per
:data:`REPEAT_AFTER` (the log keeps every occurrence). Errors are "the same" when they
are of one type raised at one place in the code, whatever their message says (which
often carries a chat id or a URL).
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable

from bot.i18n import Catalog

REPEAT_AFTER = dt.timedelta(minutes=10)
TRACEBACK_LIMIT = 3000
"""Characters of traceback kept (its end: where it was raised); a message holds 4096."""


def error_fingerprint(error: BaseException) -> tuple[str, str, int]:
    """The error's type and where it was raised: what makes two errors the same."""
    frames = traceback.extract_tb(error.__traceback__)
    where = frames[-1] if frames else None
    return (
        f"{type(error).__module__}.{type(error).__qualname__}",
        where.filename if where else "",
        (where.lineno or 0) if where else 0,
    )


class ErrorThrottle:
    """Says whether an error is worth a message: not if the same one was reported lately."""

    def __init__(self, repeat_after: dt.timedelta = REPEAT_AFTER) -> None:
        self._repeat_after = repeat_after
        self._reported: dict[tuple[str, str, int], dt.datetime] = {}

    def should_report(self, error: BaseException, now: dt.datetime) -> bool:
        key = error_fingerprint(error)
        last = self._reported.get(key)
        if last is not None and now - last < self._repeat_after:
            return False
        self._reported[key] = now
        # Forget the old ones, so a long-running bot's memory does not grow with its bugs.
        self._reported = {k: t for k, t in self._reported.items() if now - t < self._repeat_after}
        return True


def format_error_report(
    error: BaseException,
    catalog: Catalog,
    language: str,
    redact: Callable[[str], str],
) -> str:
    """The admin message: what failed, and the traceback's end in a ``<pre>`` block, with
    secrets (the bot token) redacted."""
    text = redact("".join(traceback.format_exception(error)).rstrip())
    if len(text) > TRACEBACK_LIMIT:
        text = "…" + text[-TRACEBACK_LIMIT:]
    summary = redact(f"{type(error).__name__}: {error}")
    return catalog.text(
        language,
        "admin_error",
        summary=summary[:300],
        traceback=text,
        minutes=int(REPEAT_AFTER.total_seconds() // 60),
    )
