"""Summaries of links: ``/summarize <url>`` and plain messages carrying links.

Telegram's own ``url`` and ``text_link`` entities say where the links are (offsets in
UTF-16 code units, turned into string indices here); ``bot.articles.urls`` makes links
of them. Several links are summarized concurrently, and answered in the order sent,
each reply quoting the link it answers.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Message, MessageEntity, ReplyParameters, Update

from bot.articles.render import format_error, format_summary
from bot.articles.urls import Link, MarkedLink, links_in_message
from bot.errors import BriefbotError, BrokenLink, FetchTimeout
from bot.models import SummaryLength
from handlers.common import reply_language, typing
from handlers.context import BotContext

log = logging.getLogger(__name__)
MAX_LINKS = 3
MAX_QUOTE_LENGTH = 1024
"""Telegram refuses longer quotes; a longer link is answered without one."""
_LINK_ENTITIES: list[str | None] = [MessageEntity.URL, MessageEntity.TEXT_LINK]


def links_of(message: Message) -> list[Link]:
    """The links of a message's text or caption, in order, as Telegram marked them."""
    text = message.text if message.text is not None else message.caption or ""
    entities = (
        message.parse_entities(_LINK_ENTITIES)
        if message.text is not None
        else message.parse_caption_entities(_LINK_ENTITIES)
    )
    marked = []
    for entity, shown in entities.items():
        start = string_index(text, entity.offset)
        target = entity.url if entity.type == MessageEntity.TEXT_LINK else None
        marked.append(MarkedLink(start, start + len(shown), target))
    return links_in_message(text, marked)


def string_index(text: str, offset: int) -> int:
    """The index in ``text`` of a position Telegram counts in UTF-16 code units."""
    return len(text.encode("utf-16-le")[: 2 * offset].decode("utf-16-le"))


def utf16_offset(text: str, index: int) -> int:
    """The position Telegram counts for ``text[index]``: emoji outside the BMP count twice."""
    return len(text[:index].encode("utf-16-le")) // 2


async def summarize_command(update: Update, context: BotContext) -> None:
    """``/summarize <url>``, or ``/summarize`` in reply to a message with a link."""
    message = update.effective_message
    if message is None:
        return
    source = message
    links = links_of(message)
    if not links and message.reply_to_message is not None:
        source = message.reply_to_message
        links = links_of(source)
    await _summarize_links(update, context, source, links, usage_key="usage_summarize")


async def link_message(update: Update, context: BotContext) -> None:
    """A plain message (or a photo's caption): summarize its links, or explain how to send one."""
    message = update.effective_message
    if message is None:
        return
    await _summarize_links(update, context, message, links_of(message), usage_key="usage_no_link")


async def _summarize_links(
    update: Update, context: BotContext, source: Message, links: list[Link], usage_key: str
) -> None:
    """Answer ``links`` of ``source`` (the message that holds them) in the order written."""
    catalog = context.services.catalog
    language = await reply_language(update, context)
    chat_id = source.chat_id
    if not links:
        await _reply(update, catalog.text(language, usage_key))
        return
    if len(links) > MAX_LINKS:
        await _reply(update, catalog.text(language, "too_many_links", limit=MAX_LINKS))
        links = links[:MAX_LINKS]
    # Broken links cost nothing to answer; only links to fetch count against the quota.
    to_fetch = [link for link in links if not link.broken]
    admission = context.services.link_quota.admit(chat_id, len(to_fetch))
    if admission.refusal is not None:
        await _reply(update, catalog.text(language, admission.refusal))
    admitted = set(to_fetch[: admission.accepted])
    links = [link for link in links if link.broken or link in admitted]
    if not links:
        return
    prefs = await context.services.subscriptions.reader_prefs(chat_id, language)
    answers = [
        asyncio.create_task(_answer(context, chat_id, link, language, prefs.summary_length))
        for link in links
    ]
    try:
        async with typing(context, chat_id):
            # Summaries finish in any order; each is sent once those before it are.
            for link, answer in zip(links, answers, strict=True):
                await source.reply_text(await answer, reply_parameters=_quoting(source, link))
    finally:
        for answer in answers:  # a failed send leaves no summary running for nobody
            answer.cancel()


async def _reply(update: Update, text: str) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(text)


async def _answer(
    context: BotContext, chat_id: int, link: Link, language: str, length: SummaryLength
) -> str:
    """The reply to one link: its summary at the reader's length, or why there is none.
    Never raises."""
    services = context.services
    shown = link.url or link.written
    started = time.monotonic()
    try:
        if link.broken:
            raise BrokenLink(link.written)
        # The fetch and the worker stop at their own deadlines; this is the sum of them.
        async with (
            services.link_quota.lane(chat_id),
            asyncio.timeout(services.summarizer.deadline),
        ):
            summary = await services.summarizer.summarize_link(link, length=length)
        services.metrics.link_summary("ok", time.monotonic() - started)
        return format_summary(summary, services.catalog, language)
    except TimeoutError:
        error: BriefbotError = FetchTimeout(shown)
    except BriefbotError as exc:
        log.info("could not summarize a link: %s (%s)", type(exc).__name__, exc)
        error = exc
    except Exception:
        # One bad link must not stop the others' replies; log it with its traceback.
        log.exception("unexpected failure summarizing a link")
        error = BriefbotError()
    services.metrics.link_failure(error, time.monotonic() - started)
    return format_error(error, shown, services.catalog, language)


def _quoting(source: Message, link: Link) -> ReplyParameters:
    """A reply to ``source`` that quotes the link it answers (Telegram checks the quote)."""
    text = source.text if source.text is not None else source.caption or ""
    if len(link.written) > MAX_QUOTE_LENGTH or not link.written.strip():
        return ReplyParameters(source.message_id, allow_sending_without_reply=True)
    return ReplyParameters(
        source.message_id,
        allow_sending_without_reply=True,
        quote=link.written,
        quote_parse_mode=None,  # the link as written, not HTML (Defaults would make it so)
        quote_position=utf16_offset(text, link.start),
    )
