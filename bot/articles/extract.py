"""HTML → Article: main text, title, publication date, site name and language.

Pure and CPU-bound; callers run it in a worker process. The text comes from the first
extractor whose result clears the ``QualityBar``:

    trafilatura  →  a readability-style extractor (trafilatura's port of readability-lxml)
                 →  the page's description (og/twitter/meta)

trafilatura reads the page with ``favor_precision`` and with ``favor_recall`` (tables kept),
and the chain takes the precise text unless it is much shorter than the recalled one
(``QualityBar.precision_ratio``): precision keeps portal headers and teasers out, but on
some pages returns a fragment (a 260-character reprint notice on barrons.com) or cuts a
guide short. When recall finds no more, trafilatura's default balance is tried as well
(``benchmarks/extraction.py`` has the numbers). An extractor that raises is logged and
skipped, so the next one is always tried; none of them ever passes markup through.

Metadata does not depend on which extractor won: each field is taken from the best
source on the page (OpenGraph first, then trafilatura's own metadata, then the URL); the
outlet from a portal page's own credit or the outlet table (``bot/news/outlets.toml``).
Whatever produced the text, it goes through the same clean-up (``bot.articles.cleanup``),
so the summarizer gets plain paragraphs separated by ``"\\n"``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.readability_lxml import Document as ReadabilityDocument
from trafilatura.settings import Document as TrafilaturaDocument

from bot.articles.cleanup import (
    SENTENCE_END,
    clean_lines,
    clean_text,
    normalise,
    squash,
    text_lines,
    untable,
)
from bot.articles.language import HANGUL_SHARE_FOR_KOREAN, detect_language
from bot.errors import NoArticleText
from bot.models import Article
from bot.news.outlets import known_outlet
from bot.text import hangul_share

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QualityBar:
    """When an extractor's text is good enough to stop falling through."""

    min_chars: int = 200
    min_chars_korean: int = 150
    """Hangul packs a word into two or three characters, so Korean needs fewer; at 80 a
    portal's recommendation widget (98 characters) passed for an article."""
    min_sentences: int = 2
    min_description_chars: int = 30
    precision_ratio: float = 0.75
    """Take trafilatura's ``favor_recall`` text when the ``favor_precision`` one is shorter
    than this share of it (chosen on the dev half of the benchmark sets: 0.7–0.85 score
    within 0.003 F1 of each other)."""
    recall_gain: float = 1.1
    default_gain: float = 1.5
    default_below: int = 3000
    """When the text is shorter than ``default_below`` characters and the recalled one at
    most ``recall_gain`` times the precise one, trafilatura's default balance is tried too
    and taken when ``default_gain`` times longer (guides and price lists where favor_recall
    reads less than the default; dev halves: +0.003 F1 on wcxb, a third pass on 57 of 435
    pages)."""
    second_chance_factor: float = 2.0
    """The recalled text, when the precise one failed the bar, must be this many times
    ``min_chars`` long: Naver's page furniture recalls 259 characters of Korean."""


DEFAULT_BAR = QualityBar()

_WS = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—:·»/]|::)\s+")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)$")
_MARKUP = re.compile(r"<(?:p|br|div|span|a|strong|em|b|i|ul|li|h[1-6])\b[^<>]*>", re.IGNORECASE)
_T = TypeVar("_T")
_PORTALS = frozenset({"naver.com", "daum.net"})
"""Sites that republish other outlets' articles: the page, not the site, is the source."""
_PORTAL_NAMES = frozenset(
    {"네이버", "네이버 뉴스", "네이버뉴스", "NAVER", "다음", "다음뉴스", "Daum"}
)
_PRESS_LOGO = (
    "//*[contains(@class, 'media_end_head_top_logo')]//img/@alt"
    " | //img[contains(@class, 'media_end_head_top_logo_img')]/@alt"
    " | //*[contains(@class, 'press_logo')]//img/@alt"
)

_META_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
)
_ISO_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_LABELLED_DATE = re.compile(
    r"(?:Written|Published|Posted|기사입력|입력|등록|작성)(?:\s*(?:on|at))?\s*[:：]?"
    r"(?:\s*<[^<>]{0,300}>){0,4}\s*\[?\s*(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})"
)
"""A date right after a "published" label in the page ("Written: 2023-11-07", "입력 2023.11.02")."""

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
"""lxml refuses a str that declares its encoding; the text is already decoded."""
_HTML_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)

_SECOND_LEVEL_LABELS = frozenset({"co", "or", "go", "ac", "ne", "re", "com", "net", "org", "gov"})
_READABILITY_DROP = frozenset(
    {"figure", "figcaption", "script", "style", "noscript", "nav", "aside", "footer", "form"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
    | {"table", "tr", "td", "th", "dd", "dt", "br", "section", "article"}
)
_MAX_LINK_SHARE = 0.5
_CAPTIONS = (
    "//figcaption",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')]",
    "//*[contains(@class, 'wp-caption-text')]",
)
"""Image captions: text that reads like prose but is not part of the story."""


def extract_article(html: str, url: str, bar: QualityBar = DEFAULT_BAR) -> Article:
    """Extract the readable article from a decoded HTML page.

    Raises ``NoArticleText`` when no extractor, not even the page description, yields text.
    """
    html = _XML_DECLARATION.sub("", html, count=1)
    tree = _parse_html(html)
    if tree is None:
        raise NoArticleText(f"empty document: {url}")
    page = _PageMeta.from_tree(tree)
    doc = _safely("trafilatura", url, _trafilatura_document, tree, url)
    source = _outlet_name(page, tree, url) or _site_name(page, doc, url)
    title = _title(page, doc, source, url)
    text, extractor = _main_text(html, tree, page, doc, title, url, bar)
    return Article(
        url=url,
        text=text,
        title=title,
        source=source,
        published=_published(page, html, doc),
        language=detect_language(text, page.declared_language),
        extractor=extractor,
    )


def article_from_plain_text(text: str, url: str) -> Article:
    """Wrap a text/plain page (or a local .txt file) as an Article.

    Blank lines separate paragraphs and hard-wrapped lines inside one are rejoined; when
    there are no blank lines, every line is a paragraph. A short first line that does not
    end like a sentence is taken as the title.
    """
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) > 1:
        paragraphs = [_WS.sub(" ", b).strip() for b in blocks]
    else:
        paragraphs = [_WS.sub(" ", line).strip() for line in text.split("\n") if line.strip()]
    title = None
    first = paragraphs[0] if paragraphs else ""
    if len(paragraphs) > 1 and len(first) <= 150 and not first.endswith((".", ",", ":", ";")):
        title, paragraphs = first, paragraphs[1:]
    body = "\n".join(paragraphs)
    if not body:
        raise NoArticleText(f"empty text: {url}")
    return Article(
        url=url,
        text=body,
        title=title,
        source=_pretty_host(url),
        published=None,
        language=detect_language(body),
        extractor="plain",
    )


def _parse_html(html: str) -> lxml.html.HtmlElement | None:
    """A whole-document tree (fragments get <html><body>), or None for an empty page."""
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return None


# --- page metadata -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PageMeta:
    """What the page says about itself in <head> and headings, read once."""

    meta: dict[str, str]
    """``<meta>`` content keyed by lower-cased property/name/itemprop; first one wins."""
    html_title: str | None
    headings: tuple[str, ...]
    """Text of the first few ``<h1>`` elements."""
    declared_language: str | None

    @classmethod
    def from_tree(cls, tree: lxml.html.HtmlElement) -> _PageMeta:
        meta: dict[str, str] = {}
        for element in tree.iter("meta"):
            key = element.get("property") or element.get("name") or element.get("itemprop")
            content = element.get("content")
            if key and content and content.strip():
                meta.setdefault(key.strip().lower(), _WS.sub(" ", content).strip())
            if (element.get("http-equiv") or "").lower() == "content-language" and content:
                meta.setdefault("content-language", content.strip())
        title_element = tree.find(".//title")
        html_title = squash(title_element.text_content()) if title_element is not None else None
        headings = tuple(squash(h.text_content()) for h in tree.xpath("(//h1)[position() <= 3]"))
        declared = (
            tree.get("lang")
            or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
            or meta.get("og:locale")
            or meta.get("content-language")
        )
        return cls(meta, html_title or None, headings, declared)


def _safely(name: str, url: str, step: Callable[..., _T], *args: Any) -> _T | None:
    """One extractor's result, or None when it raises: a fallback never ends the chain."""
    try:
        return step(*args)
    except Exception as exc:  # third-party parsers raise anything, AssertionError included
        log.warning(
            "%s failed on %s (%s: %s); trying the next extractor",
            name,
            url,
            type(exc).__name__,
            exc,
        )
        return None


def _trafilatura_document(
    tree: lxml.html.HtmlElement, url: str, balance: str = "precision"
) -> TrafilaturaDocument | None:
    """trafilatura's reading at one ``balance``: ``precision`` (with the metadata),
    ``recall`` or ``default`` (both with tables)."""
    # deduplicate stays off: its cache is process-global, and trafilatura's own fallback
    # passes count as repeats, so pages were discarded whole (Dong-A, Entermedia fixtures).
    # Repeated paragraphs are dropped in _clean_lines instead. The recall pass keeps tables
    # (guides and price lists hold their content there). bare_extraction copies the tree.
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=balance == "precision",
        favor_precision=balance == "precision",
        favor_recall=balance == "recall",
        include_comments=False,
        include_tables=balance != "precision",
        include_images=False,
        deduplicate=False,
        prune_xpath=list(_CAPTIONS),
    )
    return result if isinstance(result, TrafilaturaDocument) else None


def _trafilatura_texts(
    tree: lxml.html.HtmlElement, doc: TrafilaturaDocument | None, url: str, bar: QualityBar
) -> tuple[str, str]:
    """trafilatura's text, and a second chance. The precise text comes first unless it is
    much shorter than the recalled one. When precision finds too little to pass the bar,
    the page is often not an article (layout tables, app shells, a portal page whose body
    is drawn by script): the recalled text is then only a second chance, taken over
    readability's when much longer, and must be long (``QualityBar.second_chance_factor``)."""
    precise = (doc.text if doc is not None else None) or ""
    recalled = _other_reading(tree, url, "recall")
    if not _good_enough(precise, bar):
        return precise, recalled
    chosen = recalled if len(precise) < bar.precision_ratio * len(recalled) else precise
    if len(chosen) < bar.default_below and len(recalled) <= bar.recall_gain * len(precise):
        # favor_recall found nothing more; on some pages trafilatura's default finds much more
        balanced = _other_reading(tree, url, "default")
        if len(balanced) > bar.default_gain * len(chosen):
            chosen = balanced
    return chosen, ""


def _other_reading(tree: lxml.html.HtmlElement, url: str, balance: str) -> str:
    doc = _safely(f"trafilatura ({balance})", url, _trafilatura_document, tree, url, balance)
    return untable(doc.text or "") if doc is not None else ""


def _outlet_name(page: _PageMeta, tree: lxml.html.HtmlElement, url: str) -> str | None:
    """The publisher, when the page or the outlet table names it: a portal's page names
    the outlet it republishes, a known host has its name (``bot/news/outlets.toml``), and
    so does a copy of a portal page that names a known outlet the portal's way."""
    host = urlsplit(url).hostname
    if host and _registered_domain(host) in _PORTALS:
        press = _portal_press_name(page, tree)
        if press:
            known = known_outlet(source=press)
            return known.name if known is not None else press
        return None
    known = known_outlet(url) or known_outlet(source=_portal_press_name(page, tree) or "")
    return known.name if known is not None else None


def _portal_press_name(page: _PageMeta, tree: lxml.html.HtmlElement) -> str | None:
    """Naver and Daum put the outlet in ``og:article:author`` ("뉴스타파 | 네이버") and
    in the alt text of the press logo at the top of the article."""
    author = page.meta.get("og:article:author") or page.meta.get("article:author") or ""
    name = squash(author.split("|")[0])
    if name and name not in _PORTAL_NAMES and not name.startswith("http"):
        return name
    for alt in tree.xpath(_PRESS_LOGO):
        if (name := squash(str(alt))) and name not in _PORTAL_NAMES:
            return name
    return None


def _site_name(page: _PageMeta, doc: TrafilaturaDocument | None, url: str) -> str | None:
    candidates = (
        page.meta.get("og:site_name"),
        page.meta.get("application-name"),
        doc.sitename if doc is not None else None,
    )
    for name in candidates:
        # trafilatura falls back to the host name itself, and twitter:site gives "@handle"
        if name and not name.startswith("@") and not _looks_like_host(name):
            return name
    return _pretty_host(url)


def _title(
    page: _PageMeta, doc: TrafilaturaDocument | None, source: str | None, url: str
) -> str | None:
    aliases = _site_aliases(page, source, url)
    candidates = (
        page.meta.get("og:title"),
        page.meta.get("twitter:title"),
        page.meta.get("title"),
        page.html_title,
        doc.title if doc is not None else None,
    )
    for raw in candidates:
        if not raw:
            continue
        title = _strip_site_name(squash(raw), aliases)
        if not title or normalise(title) in aliases:
            continue
        # "Headline : News : Dong-A" — an <h1> that starts the title is the headline alone
        for heading in page.headings:
            rest = title[len(heading) :]
            if len(heading) >= 8 and title.startswith(heading) and _TITLE_SEPARATOR.match(rest):
                return heading
        return title
    return None


def _published(page: _PageMeta, html: str, doc: TrafilaturaDocument | None) -> str | None:
    """Publication date: explicit metadata, then a labelled date, then htmldate's guess."""
    for key in _META_DATE_KEYS:
        value = page.meta.get(key)
        match = _ISO_DATE.match(value) if value else None
        if match and (found := _valid_date(*match.groups())):
            return found
    # htmldate may prefer a date from a teaser list over the article's own "Written:" line
    labelled = _LABELLED_DATE.search(html)
    if labelled and (found := _valid_date(*labelled.groups())):
        return found
    if doc is not None and doc.date:
        match = _ISO_DATE.match(doc.date)
        if match:
            return _valid_date(*match.groups())
    return None


def _valid_date(year: str, month: str, day: str) -> str | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if found.year < 1990 or found > date.today() + timedelta(days=1):
        return None
    return found.isoformat()


# --- main text ---------------------------------------------------------------------------


def _main_text(
    html: str,
    tree: lxml.html.HtmlElement,
    page: _PageMeta,
    doc: TrafilaturaDocument | None,
    title: str | None,
    url: str,
    bar: QualityBar,
) -> tuple[str, str]:
    drop_first = {normalise(t) for t in (title, page.meta.get("og:title"), *page.headings) if t}
    first, second = _trafilatura_texts(tree, doc, url, bar)
    text = clean_text(first, drop_first)
    if _good_enough(text, bar):
        return text, "trafilatura"
    text = clean_text(_safely("readability", url, _readability_raw, html), drop_first)
    recalled = clean_text(second, drop_first)
    if not _good_enough(recalled, bar, factor=bar.second_chance_factor):
        recalled = ""
    if _good_enough(text, bar) and len(text) >= bar.precision_ratio * len(recalled):
        return text, "readability"
    if recalled:
        return recalled, "trafilatura"
    text = _safely("meta", url, _description, page) or ""
    if len(text) >= bar.min_description_chars:
        return text, "meta"
    raise NoArticleText("no extractor found article text")


def readability_text(html: str) -> str:
    """What the readability fallback alone reads from a page, cleaned (for the benchmark)."""
    return clean_text(_readability_raw(html), set())


def _readability_raw(html: str) -> str:
    try:
        summary = ReadabilityDocument(lxml.html.document_fromstring(html)).summary()
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (ValueError, etree.ParserError):
        return ""
    # a <figcaption> is in both lists: drop each element once (drop_tree asserts a parent)
    for element in [*root.iter(*_READABILITY_DROP), *root.xpath("|".join(_CAPTIONS))]:
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(root.iter("p", "li", "div", "td", "dd")):
        if element.getparent() is not None and _link_share(element) > _MAX_LINK_SHARE:
            element.drop_tree()
    return _block_text(root)


def _block_text(root: lxml.html.HtmlElement) -> str:
    """Text with a line break around every block element, so paragraphs stay apart."""
    for element in root.iter(*_BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


def _link_share(element: lxml.html.HtmlElement) -> float:
    text_length = len(squash(element.text_content()))
    if not text_length:
        return 0.0
    link_length = sum(len(squash(a.text_content())) for a in element.iter("a"))
    return link_length / text_length


def _description(page: _PageMeta) -> str:
    """The longest page description, cut back to whole sentences if it was truncated."""
    keys = ("og:description", "twitter:description", "description")
    descriptions = [page.meta[k] for k in keys if page.meta.get(k)]
    if not descriptions:
        return ""
    text = max(descriptions, key=len)
    if _MARKUP.search(text):  # some sites put the body's first HTML in the description
        fragment = lxml.html.fragment_fromstring(text, create_parent="div")
        text = "\n".join(clean_lines(text_lines(_block_text(fragment)), set()))
        return text
    if _ELLIPSIS_END.search(text):
        ends = list(SENTENCE_END.finditer(text[:-3]))
        if ends:
            text = text[: ends[-1].end()]
    # descriptions copied from the body keep paragraph breaks as runs of spaces
    return "\n".join(p for p in (squash(part) for part in re.split(r"\s{3,}", text)) if p)


def _good_enough(text: str, bar: QualityBar, factor: float = 1.0) -> bool:
    korean = hangul_share(text) > HANGUL_SHARE_FOR_KOREAN
    min_chars = (bar.min_chars_korean if korean else bar.min_chars) * factor
    return len(text) >= min_chars and len(SENTENCE_END.findall(text)) >= bar.min_sentences


# --- small helpers -----------------------------------------------------------------------


def _looks_like_host(name: str) -> bool:
    return " " not in name and "." in name


def _registered_domain(host: str) -> str:
    """``n.news.naver.com`` → ``naver.com``, ``world.kbs.co.kr`` → ``kbs.co.kr``."""
    labels = host.lower().rstrip(".").split(".")
    under_country = len(labels) >= 3 and len(labels[-1]) == 2
    keep = 3 if under_country and labels[-2] in _SECOND_LEVEL_LABELS else 2
    return ".".join(labels[-keep:])


def _pretty_host(url: str) -> str | None:
    """``https://en.yna.co.kr/view/...`` → ``yna.co.kr``."""
    host = urlsplit(url).hostname
    return _registered_domain(host) if host else None


def _site_aliases(page: _PageMeta, source: str | None, url: str) -> set[str]:
    names = {source, page.meta.get("og:site_name"), page.meta.get("application-name")}
    host = urlsplit(url).hostname
    if host:
        names.add(_registered_domain(host).split(".")[0])
    return {n for n in (normalise(name) for name in names if name) if n}


def _strip_site_name(title: str, aliases: set[str]) -> str:
    """Drop a leading or trailing site name: "Headline | Yonhap News Agency" → "Headline"."""
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            return title
        last, first = separators[-1], separators[0]
        tail = normalise(title[last.end() :])
        if tail and any(tail == a or (len(a) >= 3 and tail.startswith(a)) for a in aliases):
            title = title[: last.start()].strip()
        elif normalise(title[: first.start()]) in aliases:
            title = title[first.end() :].strip()
        else:
            return title
