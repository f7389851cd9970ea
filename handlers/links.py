"""Summaries of links: ``/summarize <url>`` and plain messages carrying links."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, MessageEntity, ReplyParameters, Update

from bot.articles.render import format_error, format_summary
from bot.articles.urls import find_links
from bot.errors import BriefbotError, FetchTimeout
from handlers.common import reply_language, typing
from handlers.context import BotContext

log = logging.getLogger(__name__)
MAX_LINKS = 3


def links_in(message: Message) -> list[str]:
    """Links in a message, in order: visible URLs and hidden text links alike."""
    text = message.text or message.caption or ""
    hidden = [
        entity.url
        for entity in (message.entities or message.caption_entities or ())
        if entity.type == MessageEntity.TEXT_LINK and entity.url
    ]
    return find_links("\n".join([text, *hidden]), limit=100)


async def summarize_command(update: Update, context: BotContext) -> None:
    """``/summarize <url>``, or ``/summarize`` in reply to a message with a link."""
    message = update.effective_message
    if message is None:
        return
    links = find_links(" ".join(context.args or ()), limit=100)
    if not links and message.reply_to_message is not None:
        links = links_in(message.reply_to_message)
    await _summarize_links(update, context, message, links, usage_key="usage_summarize")


async def link_message(update: Update, context: BotContext) -> None:
    """A plain message: summarize its links, or explain how to send one."""
    message = update.effective_message
    if message is None:
        return
    await _summarize_links(update, context, message, links_in(message), usage_key="usage_no_link")


async def _summarize_links(
    update: Update, context: BotContext, message: Message, links: list[str], usage_key: str
) -> None:
    catalog = context.services.catalog
    language = await reply_language(update, context)
    if not links:
        await message.reply_text(catalog.text(language, usage_key))
        return
    if len(links) > MAX_LINKS:
        await message.reply_text(catalog.text(language, "too_many_links", limit=MAX_LINKS))
        links = links[:MAX_LINKS]
    admission = context.services.link_quota.admit(message.chat_id, len(links))
    if admission.refusal is not None:
        await message.reply_text(catalog.text(language, admission.refusal))
    links = links[: admission.accepted]
    if not links:
        return
    async with typing(context, message.chat_id):
        await asyncio.gather(
            *(_reply_with_summary(context, message, url, language) for url in links)
        )


async def _reply_with_summary(
    context: BotContext, message: Message, url: str, language: str
) -> None:
    """One admitted link: summarized in the chat's lane, answered whatever happens."""
    services = context.services
    try:
        # The fetch and the worker stop at their own deadlines; this is the sum of them.
        async with (
            services.link_quota.lane(message.chat_id),
            asyncio.timeout(services.summarizer.deadline),
        ):
            summary = await services.summarizer.summarize_url(url)
        text = format_summary(summary, services.catalog, language)
    except TimeoutError:
        text = format_error(FetchTimeout(url), url, services.catalog, language)
    except BriefbotError as exc:
        log.info("could not summarize a link: %s (%s)", type(exc).__name__, exc)
        text = format_error(exc, url, services.catalog, language)
    except Exception:
        # One bad link must not stop the others' replies; log it with its traceback.
        log.exception("unexpected failure summarizing a link")
        text = format_error(BriefbotError(), url, services.catalog, language)
    await message.reply_text(
        text, reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True)
    )
