"""Turn core results into Telegram HTML messages in the reader's language."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from bot.errors import BriefbotError, HTTPStatusError, InvalidURL
from bot.formatting import MESSAGE_LIMIT, bold, escape, fit_lines, link, truncate_text
from bot.i18n import Catalog, Markup
from bot.models import Summary
from bot.news.outlets import known_outlet

_TITLE_LIMIT = 300
_SENTENCE_LIMIT = 1200
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def host_of(url: str) -> str:
    """The host a reader recognises: ``en.yna.co.kr`` rather than the full URL."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def format_date(iso_date: str, language: str) -> str:
    """``2024-08-20`` → ``20 Aug 2024`` or ``2024년 8월 20일``; unparseable dates pass through."""
    try:
        day = dt.date.fromisoformat(iso_date[:10])
    except ValueError:
        return iso_date
    if language == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def source_name(summary: Summary, language: str) -> str:
    """The outlet as the reader knows it: a known outlet by its name in the reader's
    language (동아일보, The Dong-A Ilbo), else as the page names itself, else the host."""
    article = summary.article
    outlet = known_outlet(article.url, article.source or "")
    if outlet is not None:
        return outlet.name_for(language)
    return article.source or host_of(article.url)


def format_summary(summary: Summary, catalog: Catalog, language: str) -> str:
    """Bold title, source and date, the sentences, then the original link.

    Sentences that would push the message past Telegram's limit are dropped
    whole from the end, so the reader never sees half a sentence.
    """
    article = summary.article
    title = truncate_text(article.title or host_of(article.url), _TITLE_LIMIT)
    meta = [source_name(summary, language)]
    if article.published:
        meta.append(format_date(article.published, language))
    head = [bold(title), escape(" · ".join(meta)), ""]
    body = [f"• {escape(truncate_text(s, _SENTENCE_LIMIT))}" for s in summary.sentences]
    tail = ["", link(article.url, catalog.text(language, "summary_read_original"))]
    return fit_lines(head, body, tail, MESSAGE_LIMIT)


def format_error(error: BriefbotError, url: str, catalog: Catalog, language: str) -> str:
    """A friendly one-paragraph explanation of why a link could not be summarized."""
    key = error.reason
    params: dict[str, object] = {}
    if isinstance(error, HTTPStatusError):
        params["status"] = error.status
        specific = f"{key}_{error.status}"
        if specific in catalog.keys("en"):
            key = specific
    if url.startswith(("http://", "https://")) and not isinstance(error, InvalidURL):
        shown = Markup(link(url, host_of(url)))
    else:  # never hand Telegram an href it would refuse
        shown = Markup(escape(truncate_text(url, 100)))
    prefix = catalog.text(language, "error_prefix", link=shown)
    return f"{prefix}\n{catalog.text(language, key, **params)}"
