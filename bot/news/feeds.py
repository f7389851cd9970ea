"""Feed bytes → ``FeedItem``s: RSS 2.0, RSS 1.0 (RDF) and Atom, broken ones included.

Pure and CPU-bound: call ``parse_feed`` in a worker process, not on the event loop.

feedparser does the parsing. This module handles what it gets wrong, mostly with
Korean feeds:

* **Encoding.** feedparser trusts ``encoding="euc-kr"``; when CP949-only syllables
  ("똠", "햏") make that decode fail, it guesses with chardet if that happens to be
  installed and otherwise reads windows-1252 — mojibake. The bytes are decoded here by
  ``bot.articles.charset`` (BOM, header, declaration, CP949 for Korean labels, detection), the
  same rules as for pages, and handed over as UTF-8 with a matching declaration.
* **Entities.** The DOCTYPE, and with it every entity declaration, is removed before
  parsing, so neither external entities (XXE) nor nested ones (billion laughs) can
  expand. feedparser refuses external entities and keeps only "safe" declarations,
  but its filter only sees a DOCTYPE at the start of a line: one after a comment
  reaches expat whole, and nested entities expand (up to expat's amplification limit).
* **Dates.** feedparser tries its Korean date parsers last, after W3DTF has read
  "2004-05-25 오후 11:23:17" as midnight and "2004년 05월 28일 01:31:15" as 1 November;
  it reads "KST" as UTC and rejects "Sun,27 Sep". Such dates are parsed here first
  (``_parse_date``); zoneless times in Korean feeds are Korean time. Items without
  any date (Hankyoreh) take the day from an image path ``/YYYY/MMDD/``. No date is
  more than a day in the future.
* **Links and text.** Item links are resolved against the channel's link (feed hosts
  such as rss.donga.com are not the article hosts), put in canonical form (tracking
  parameters dropped) and de-duplicated; titles and summaries become plain text.

It raises :class:`~bot.errors.FeedParseError` when the document is not a feed at all.
"""

from __future__ import annotations

import email.utils
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import feedparser

from bot.articles.charset import decode_document
from bot.articles.sentences import split_sentences
from bot.articles.urls import canonical_url
from bot.errors import FeedParseError, InvalidURL
from bot.models import Provenance
from bot.news.feedlist import FeedSpec
from bot.news.ledes import clean_lede

MAX_ITEMS = 200
"""A feed's newest 200 entries are read; older ones are ignored."""
MAX_TITLE_CHARS = 300
SUMMARY_CHARS = 1_000
"""Summaries are cut near here, at the end of a sentence or else of a word."""
FULL_TEXT_CHARS = 1_500
"""An entry with more text than this carries the article, whatever the feed list says."""
FUTURE_TOLERANCE = timedelta(days=1)
"""Dates up to this far ahead are taken as "now" (zone mistakes); later ones are dropped."""
KST = timezone(timedelta(hours=9), "KST")

_CLEAN_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
# A DOCTYPE with its internal subset; quoted strings may contain brackets.
_DOCTYPE = re.compile(
    r"""<!DOCTYPE(?:[^\["'>]|"[^"]*"|'[^']*')*+(?:\[(?:[^\]"']|"[^"]*"|'[^']*')*+\])?\s*>""",
    re.IGNORECASE,
)
_DOCTYPE_START = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_ELEMENT_START = re.compile(r"<[A-Za-z_]")
# Control characters are not allowed in XML 1.0, and Korean CMSes leak them into titles.
_XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")

_KO_NATE_DATE = re.compile(  # "2004-05-25 오후 11:23:17" (Nate)
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*(오전|오후)\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$"
)
_KO_ONBLOG_DATE = re.compile(  # "2004년 05월 28일 01:31:15" (OnBlog)
    r"^\s*(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$"
)
_ISO_DATE = re.compile(
    r"^\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_ENDS_WITHOUT_ZONE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s*$")
_COLON_OFFSET = re.compile(r"([+-]\d{2}):(\d{2})\s*$")
_KOREAN_ZONE = re.compile(r"\b(?:KST|JST)\s*$")
_COMMA_WITHOUT_SPACE = re.compile(r",(?=\S)")
_PATH_DATES = (
    re.compile(r"/(20\d{2})/(\d{2})(\d{2})/"),  # Hankyoreh: /imgdb/original/2026/0814/…
    re.compile(r"/(20\d{2})/(\d{2})/(\d{2})/"),
)

_BLOCK_TAGS = frozenset(
    """address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3
    h4 h5 h6 header hr li main nav ol p pre section table td th tr ul""".split()  # noqa: SIM905
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript"})


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, as plain data."""

    url: str
    """Canonical URL of the article (``bot.articles.urls.canonical_url``)."""
    title: str
    """Plain text, at most ``MAX_TITLE_CHARS``."""
    summary: str
    """Plain text of the entry's description or content, about ``SUMMARY_CHARS`` at most."""
    published: datetime | None
    """UTC; None if the feed gives no date (or only one far in the future)."""
    feed_name: str
    source: str
    """Outlet display name, from the feed list."""
    language: str
    provenance: Provenance
    full_text: bool
    """The entry carries the whole article (per the feed list, or by its length)."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What a feed yielded: its items and what went wrong on the way."""

    items: tuple[FeedItem, ...]
    title: str | None
    link: str | None
    """The site the feed belongs to (the channel's link), if given."""
    encoding: str
    """Python codec the bytes were decoded with, e.g. ``cp949``."""
    bozo: bool
    """The feed was malformed and parsed leniently (its items are still usable)."""
    warnings: tuple[str, ...] = ()


def parse_feed(
    body: bytes,
    *,
    feed: FeedSpec,
    content_type_charset: str | None = None,
    fetched_at: datetime,
) -> ParsedFeed:
    """Parse a fetched feed document into items (see the module docstring).

    ``content_type_charset`` is the charset of the HTTP ``Content-Type`` header;
    ``fetched_at`` (timezone-aware) bounds item dates. A malformed feed still yields
    what can be read of it; ``FeedParseError`` is raised only when the document holds
    no feed at all.
    """
    if fetched_at.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    now = fetched_at.astimezone(UTC)
    if not body.strip():
        raise FeedParseError(f"{feed.name}: empty document")

    text, encoding = decode_document(body, content_type_charset, "application/xml")
    result = feedparser.parse(
        io.BytesIO(_as_utf8_xml(text)),
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    entries: list[Any] = list(result.get("entries") or [])
    if not entries and not result.get("version"):
        problem = result.get("bozo_exception")
        detail = f": {_shorten(str(problem), 200)}" if problem else ""
        raise FeedParseError(f"{feed.name}: not an RSS or Atom feed{detail}")

    warnings: list[str] = []
    bozo = bool(result.get("bozo"))
    if bozo:
        problem = _shorten(str(result.get("bozo_exception") or "unknown problem"), 200)
        warnings.append(f"malformed feed, read leniently: {problem}")
    if len(entries) > MAX_ITEMS:
        warnings.append(f"{len(entries) - MAX_ITEMS} older entries beyond {MAX_ITEMS} ignored")
        entries = _newest(entries, feed.language, now)

    channel = result.get("feed") or {}
    channel_link = channel.get("link") if isinstance(channel.get("link"), str) else None
    base = _absolute_url(channel_link, feed.url) or feed.url
    items: list[FeedItem] = []
    seen: set[str] = set()
    unusable = duplicates = 0
    for entry in entries:
        item = _feed_item(entry, feed, base, now)
        if item is None:
            unusable += 1
        elif item.url in seen:
            duplicates += 1
        else:
            seen.add(item.url)
            items.append(item)
    if unusable:
        warnings.append(f"{unusable} entries without a usable http(s) link or title dropped")
    if duplicates:
        warnings.append(f"{duplicates} duplicate entries dropped")

    title = _truncate(_plain_text(channel.get("title") or ""), MAX_TITLE_CHARS)
    return ParsedFeed(
        items=tuple(items),
        title=title or None,
        link=_absolute_url(channel_link, feed.url),
        encoding=encoding,
        bozo=bozo,
        warnings=tuple(warnings),
    )


def _as_utf8_xml(text: str) -> bytes:
    """The document as UTF-8 bytes, declared as such, without DOCTYPE or control characters."""
    text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    text = _strip_doctype(text)
    text = _XML_CONTROL.sub("", text)
    return _CLEAN_DECLARATION + text.lstrip().encode("utf-8", errors="replace")


def _strip_doctype(text: str) -> str:
    start = _DOCTYPE_START.search(text)
    if start is None or _element_before(text, start.start()):
        return text  # no DOCTYPE in the prolog ("<!DOCTYPE" later is content)
    match = _DOCTYPE.match(text, start.start())
    if match is None:  # unterminated: nothing after it can be trusted
        return text[: start.start()]
    return text[: start.start()] + text[match.end() :]


def _element_before(text: str, end: int) -> bool:
    """An element starts in ``text[:end]`` outside comments (an unterminated one ends nothing).

    One pass: a regex for whole comments, retried at each of many "<!--" that are
    never closed, took quadratic time (80 KB of "<!--", 7 s)."""
    position = 0
    while (element := _ELEMENT_START.search(text, position, end)) is not None:
        comment = text.find("<!--", position, element.start())
        if comment == -1:
            return True
        close = text.find("-->", comment + 4, end)
        if close == -1:
            return True
        position = close + 3
    return False


def _newest(entries: list[Any], language: str, now: datetime) -> list[Any]:
    """The :data:`MAX_ITEMS` newest entries, in document order. Feeds list their entries
    newest first or oldest first; undated entries count as older than any dated one."""
    oldest = datetime.min.replace(tzinfo=UTC)
    dated = [
        (_published(entry, language, now) or oldest, index) for index, entry in enumerate(entries)
    ]
    dated.sort(key=lambda pair: (pair[0], -pair[1]), reverse=True)
    keep = sorted(index for _, index in dated[:MAX_ITEMS])
    return [entries[index] for index in keep]


def _feed_item(entry: Any, feed: FeedSpec, base: str, now: datetime) -> FeedItem | None:
    url = _absolute_url(entry.get("link"), base)
    if url is None:
        return None
    bodies = [part.get("value") or "" for part in entry.get("content") or []]
    title = _truncate(_plain_text(entry.get("title") or ""), MAX_TITLE_CHARS)
    description = clean_lede(_plain_text(entry.get("summary") or ""), headline=title)
    longest = max((_plain_text(body) for body in bodies), key=len, default="")
    if len(description) > len(longest):
        longest = description
    summary = _trim(description or longest, SUMMARY_CHARS, feed.language)
    if not title:
        title = _truncate(summary, 120)
    if not title:
        return None
    return FeedItem(
        url=url,
        title=title,
        summary=summary,
        published=_published(entry, feed.language, now),
        feed_name=feed.name,
        source=feed.source,
        language=feed.language,
        provenance=feed.provenance,
        full_text=feed.full_text or len(longest) > FULL_TEXT_CHARS,
    )


def _absolute_url(link: object, base: str) -> str | None:
    """``link`` resolved against ``base`` in canonical form; None unless it is http(s)."""
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        return canonical_url(urljoin(base, link.strip()))
    except (InvalidURL, ValueError):
        return None


# ── Text ──────────────────────────────────────────────────────────────────────


class _TextCollector(HTMLParser):
    """Character data of an HTML fragment, entities decoded, blocks kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _plain_text(fragment: str) -> str:
    """Plain text of an HTML fragment (or of text with stray entities), one line.

    Run on every title too: feeds double-escape markup and entities ("&amp;quot;"),
    which feedparser decodes only once.
    """
    if not fragment:
        return ""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    text = _INVISIBLE.sub("", "".join(collector.parts))
    return _WHITESPACE.sub(" ", text).strip()


def _trim(text: str, limit: int, language: str) -> str:
    """``text`` cut to at most ``limit`` characters at a sentence end, else a word end."""
    if len(text) <= limit:
        return text
    end = position = 0
    # The window reaches past the limit so the splitter sees what follows each sentence.
    window = text[: limit + 200]
    for sentence in split_sentences(window, language):
        start = window.find(sentence, position)
        stop = start + len(sentence)
        if stop > limit:
            break
        end = position = stop
    if end >= limit // 2:
        return text[:end]
    return _truncate(text, limit)


def _truncate(text: str, limit: int) -> str:
    """``text`` cut at the last word boundary within ``limit``, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—·") + "…"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ── Dates ─────────────────────────────────────────────────────────────────────


def _published(entry: Any, language: str, now: datetime) -> datetime | None:
    """The entry's date in UTC, never more than ``FUTURE_TOLERANCE`` after ``now``."""
    when: datetime | None = None
    for key in ("published", "updated", "created"):  # dc:date arrives as "updated"
        # dict.get: FeedParserDict.get("updated") falls back to "published", with a warning.
        raw = dict.get(entry, key)
        when = _parse_date(raw, language) if isinstance(raw, str) else None
        parsed = dict.get(entry, f"{key}_parsed")
        if when is None and parsed:
            try:
                when = datetime(*parsed[:6]).replace(tzinfo=UTC)
            except (ValueError, TypeError):
                when = None
        if when is not None:
            break
    if when is None:
        when = _date_from_paths(entry)
    if when is None or when > now + FUTURE_TOLERANCE:
        return None
    return min(when, now)


def _parse_date(raw: str, language: str) -> datetime | None:
    """Dates feedparser misreads (see the module docstring); None leaves it to feedparser.

    A time without a zone is Korean time in a Korean feed, UTC otherwise.
    """
    local = KST if language == "ko" else UTC
    try:
        if match := _KO_NATE_DATE.match(raw):
            year, month, day, half, hour, minute, second = match.groups()
            hour_24 = int(hour) % 12 + (12 if half == "오후" else 0)
            return _korean_time(year, month, day, str(hour_24), minute, second)
        if match := _KO_ONBLOG_DATE.match(raw):
            return _korean_time(*match.groups())
        if _ISO_DATE.match(raw):
            parsed = datetime.fromisoformat(raw.strip())
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=local)).astimezone(UTC)
        if _MONTH_NAME.search(raw):
            text = _KOREAN_ZONE.sub("+0900", raw.strip())
            text = _COLON_OFFSET.sub(r"\1\2", text)  # Korea Herald: "+09:00"
            text = _COMMA_WITHOUT_SPACE.sub(", ", text)  # Segye: "Sun,27 Sep"
            text = _WHITESPACE.sub(" ", text)
            parsed = email.utils.parsedate_to_datetime(text)
            if parsed.tzinfo is None:
                # No zone at all: local time; an unknown zone or "-0000": UTC.
                zone = local if _ENDS_WITHOUT_ZONE.search(text) else UTC
                parsed = parsed.replace(tzinfo=zone)
            return parsed.astimezone(UTC)
    except (ValueError, TypeError, OverflowError):
        return None
    return None


def _korean_time(
    year: str, month: str, day: str, hour: str, minute: str, second: str | None
) -> datetime:
    numbers = (int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    return datetime(*numbers, tzinfo=KST).astimezone(UTC)


def _date_from_paths(entry: Any) -> datetime | None:
    """The day in a dated image or link path (``/2026/0814/``), as noon Korean time.

    Only for entries with no date element at all (Hankyoreh): the day is right, the
    hour is a guess that is at most twelve hours off.
    """
    places: list[str] = [entry.get("summary") or "", entry.get("link") or ""]
    places += [part.get("value") or "" for part in entry.get("content") or []]
    for key in ("media_thumbnail", "media_content", "enclosures", "links"):
        for media in entry.get(key) or []:
            places.append(media.get("url") or media.get("href") or "")
    haystack = "\n".join(place for place in places if isinstance(place, str))
    for pattern in _PATH_DATES:
        for match in pattern.finditer(haystack):
            year, month, day = (int(group) for group in match.groups())
            try:
                return datetime(year, month, day, 12, tzinfo=KST).astimezone(UTC)
            except ValueError:
                continue
    return None
