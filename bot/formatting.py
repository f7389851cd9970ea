"""Telegram HTML: escaping, visible length, and splitting under the 4096 limit.

Every message the bot sends is built here or from these helpers, so one module
owns the rules Telegram enforces: only ``&lt; &gt; &amp; &quot;`` escapes, a
small tag set, and at most 4096 UTF-16 code units of visible text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

MESSAGE_LIMIT = 4096
_TAG_RE = re.compile(r"<[^>]*>")
_ELLIPSIS = "…"


def escape(text: str) -> str:
    """Escape text for Telegram HTML (article text is untrusted)."""
    return html.escape(text, quote=False)


def escape_attr(value: str) -> str:
    """Escape an attribute value such as a link's href."""
    return html.escape(value, quote=True)


def link(url: str, label: str) -> str:
    return f'<a href="{escape_attr(url)}">{escape(label)}</a>'


def bold(text: str) -> str:
    return f"<b>{escape(text)}</b>"


def plain_text(markup: str) -> str:
    """What the reader sees of Telegram HTML, for places that take no markup (the
    terminal, callback-query answers)."""
    return html.unescape(_TAG_RE.sub("", markup))


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (emoji outside the BMP count 2)."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(markup: str) -> int:
    """Length of what the reader sees once Telegram has parsed the HTML."""
    return utf16_length(plain_text(markup))


def truncate_text(text: str, limit: int) -> str:
    """Shorten plain text to ``limit`` UTF-16 units, at a word boundary when one is near."""
    if utf16_length(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    while cut and utf16_length(cut) > limit - 1:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > len(cut) * 0.8:
        cut = cut[:space]
    return cut.rstrip() + _ELLIPSIS


def join_blocks(
    blocks: Iterable[str], *, separator: str = "\n\n", limit: int = MESSAGE_LIMIT
) -> list[str]:
    """Pack blocks into as few messages as possible, never splitting a block.

    A single block over the limit is an error of the caller: blocks are built
    from bounded pieces (a summary sentence is truncated before it gets here).
    """
    listed = list(blocks)
    packed = pack_blocks(listed, separator=separator, limit=limit)
    return [separator.join(listed[i] for i in message) for message in packed]


def pack_blocks(
    blocks: Sequence[str], *, separator: str = "\n\n", limit: int = MESSAGE_LIMIT
) -> list[list[int]]:
    """Which blocks :func:`join_blocks` puts in each message, by index (so a caller can
    tell what each message holds: the briefing's buttons for its stories)."""
    messages: list[list[int]] = []
    current: list[int] = []
    current_len = 0
    sep_len = utf16_length(separator)
    for n, block in enumerate(blocks):
        size = visible_length(block)
        if size > limit:
            raise ValueError(f"block of {size} characters exceeds the {limit} limit")
        extra = size + (sep_len if current else 0)
        if current and current_len + extra > limit:
            messages.append(current)
            current, current_len = [], 0
            extra = size
        current.append(n)
        current_len += extra
    if current:
        messages.append(current)
    return messages


def fit_lines(head: Sequence[str], body: Sequence[str], tail: Sequence[str], limit: int) -> str:
    """Join head, as many body lines as fit, and tail into one message under ``limit``.

    Used for a summary: title and source line first, the link last, and the
    sentences in between dropped from the end (whole) when space runs out.
    """
    lines = [*head, *body, *tail]
    text = "\n".join(lines)
    kept = list(body)
    while visible_length(text) > limit and kept:
        kept.pop()
        text = "\n".join([*head, *kept, *tail])
    if visible_length(text) > limit:
        raise ValueError("head and tail alone exceed the message limit")
    return text
