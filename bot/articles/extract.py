"""HTML → Article: main text, title, publication date, site name and language.

Pure and CPU-bound; callers run it in a worker process. The text comes from the first
extractor whose result clears the ``QualityBar``:

    trafilatura  →  a readability-style extractor (trafilatura's port of readability-lxml)
                 →  the page's description (og/twitter/meta)

Metadata does not depend on which extractor won: each field is taken from the best
source on the page (OpenGraph first, then trafilatura's own metadata, then the URL).
Whatever produced the text, it goes through the same clean-up, so the summarizer gets
plain paragraphs separated by ``"\\n"`` without bylines, copyright lines or share buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.readability_lxml import Document as ReadabilityDocument
from trafilatura.settings import Document as TrafilaturaDocument

from bot.articles.language import HANGUL_SHARE_FOR_KOREAN, detect_language
from bot.errors import NoArticleText
from bot.models import Article
from bot.text import hangul_share


@dataclass(frozen=True, slots=True)
class QualityBar:
    """When an extractor's text is good enough to stop falling through."""

    min_chars: int = 200
    min_chars_korean: int = 80
    """Hangul packs a word into two or three characters, so Korean needs fewer."""
    min_sentences: int = 2
    min_description_chars: int = 30


DEFAULT_BAR = QualityBar()

_WS = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_SENTENCE_END = re.compile(r"[.!?。…](?:[\"'”’)\]]*)(?=\s|$)")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?。…\"'”’)\]다요]$")
_HAS_WORD = re.compile(r"[^\W_]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—:·»/]|::)\s+")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)$")

_BOILERPLATE = re.compile(
    r"""^(?:
        (?:copyright|©|ⓒ|\(c\)\s).*
      | .*\ball\ rights\ reserved\b.*
      | .*(?:저작권자|무단\s*전재|재배포\s*금지|무단\s*복제).*
      | [(\[/]?\s*(?:end|끝)\s*[)\]/]?
      | (?:share|share\ (?:this|on)\b.*|tweet|email|e-mail|print|copy\ link|공유하기|스크랩|인쇄)
      | (?:related\ (?:articles?|stories|news|coverage)|read\ more|more\ stories|most\ read
          |you\ may\ also\ like|recommended|관련\s*기사|많이\s*본\s*(?:기사|뉴스)|추천\s*기사).*
      | (?:advertisement|sponsored|광고)
      | .*\b(?:we\ use\ cookies|cookie\ policy|accept\ (?:all\ )?cookies)\b.*
      | [\[(]?(?:사진|자료\s*사진|그래픽|영상|제공)\s*[=:].*
      | (?:photo|image|file\ photo)\s*(?:by|:|=|courtesy)\b.*
      | .*(?:기사\s*입력|입력|수정|등록|published|updated|written|posted)
          \s*[:：]?\s*\[?\s*\d{4}[-./]\d{1,2}.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
"""Whole lines that are never article prose (checked on short lines only)."""

_BYLINE = re.compile(
    r"^(?!.*[.!?]$)(?:By [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}(?:(?:,| and) .{0,60})?"
    r"|[가-힣]{2,4} ?(?:기자|특파원|선임기자|논설위원))$"
)
"""A line that only names the author: "By Hannah Seo, Defense Correspondent", "김민서 기자"."""

_END_OF_ARTICLE = re.compile(
    r"^(?:(?:copyright|©|ⓒ).*|.*(?:저작권자|무단\s*전재).*|[(\[/]?\s*(?:end|끝)\s*[)\]/]?"
    r"|(?:related\ (?:articles?|stories|news)|관련\s*기사|more\ stories).*)$",
    re.IGNORECASE,
)
"""Lines after which, in the second half of a text, nothing belongs to the article."""

_BOILERPLATE_MAX_LEN = 160
_TRAILER_MAX_LEN = 40
_DUPLICATE_MIN_LEN = 20

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
    doc = _trafilatura_document(tree, url)
    source = _site_name(page, doc, url)
    title = _title(page, doc, source, url)
    text, extractor = _main_text(html, page, doc, title, bar)
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
        html_title = _squash(title_element.text_content()) if title_element is not None else None
        headings = tuple(_squash(h.text_content()) for h in tree.xpath("(//h1)[position() <= 3]"))
        declared = (
            tree.get("lang")
            or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
            or meta.get("og:locale")
            or meta.get("content-language")
        )
        return cls(meta, html_title or None, headings, declared)


def _trafilatura_document(tree: lxml.html.HtmlElement, url: str) -> TrafilaturaDocument | None:
    # deduplicate stays off: its cache is process-global, and trafilatura's own fallback
    # passes count as repeats, so pages were discarded whole (Dong-A, Entermedia fixtures).
    # Repeated paragraphs are dropped in _clean_lines instead.
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        prune_xpath=list(_CAPTIONS),
    )
    return result if isinstance(result, TrafilaturaDocument) else None


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
        title = _strip_site_name(_squash(raw), aliases)
        if not title or _normalise(title) in aliases:
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
    page: _PageMeta,
    doc: TrafilaturaDocument | None,
    title: str | None,
    bar: QualityBar,
) -> tuple[str, str]:
    drop_first = {_normalise(t) for t in (title, page.meta.get("og:title"), *page.headings) if t}
    text = _clean_text(doc.text if doc is not None else None, drop_first)
    if _good_enough(text, bar):
        return text, "trafilatura"
    text = _clean_text(_readability_text(html), drop_first)
    if _good_enough(text, bar):
        return text, "readability"
    text = _description(page)
    if len(text) >= bar.min_description_chars:
        return text, "meta"
    raise NoArticleText("no extractor found article text")


def _readability_text(html: str) -> str:
    try:
        summary = ReadabilityDocument(lxml.html.document_fromstring(html)).summary()
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (ValueError, etree.ParserError):
        return ""
    for element in [*root.iter(*_READABILITY_DROP), *root.xpath("|".join(_CAPTIONS))]:
        element.drop_tree()
    for element in list(root.iter("p", "li", "div", "td", "dd")):
        if element.getparent() is not None and _link_share(element) > _MAX_LINK_SHARE:
            element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


def _link_share(element: lxml.html.HtmlElement) -> float:
    text_length = len(_squash(element.text_content()))
    if not text_length:
        return 0.0
    link_length = sum(len(_squash(a.text_content())) for a in element.iter("a"))
    return link_length / text_length


def _description(page: _PageMeta) -> str:
    """The longest page description, cut back to whole sentences if it was truncated."""
    keys = ("og:description", "twitter:description", "description")
    descriptions = [page.meta[k] for k in keys if page.meta.get(k)]
    if not descriptions:
        return ""
    text = max(descriptions, key=len)
    if _ELLIPSIS_END.search(text):
        ends = list(_SENTENCE_END.finditer(text[:-3]))
        if ends:
            text = text[: ends[-1].end()]
    # descriptions copied from the body keep paragraph breaks as runs of spaces
    return "\n".join(p for p in (_squash(part) for part in re.split(r"\s{3,}", text)) if p)


def _good_enough(text: str, bar: QualityBar) -> bool:
    korean = hangul_share(text) > HANGUL_SHARE_FOR_KOREAN
    min_chars = bar.min_chars_korean if korean else bar.min_chars
    return len(text) >= min_chars and len(_SENTENCE_END.findall(text)) >= bar.min_sentences


def _clean_text(raw: str | None, drop_first: set[str]) -> str:
    """Extractor output → clean paragraphs, one per line."""
    if not raw:
        return ""
    lines = [_squash(line) for line in _INVISIBLE.sub("", raw).split("\n")]
    return "\n".join(_clean_lines([line for line in lines if _HAS_WORD.search(line)], drop_first))


def _clean_lines(lines: list[str], drop_first: set[str]) -> list[str]:
    if lines and _normalise(lines[0]) in drop_first:
        lines = lines[1:]
    half = len(lines) // 2
    for index in range(half, len(lines)):
        if len(lines[index]) <= _BOILERPLATE_MAX_LEN and _END_OF_ARTICLE.match(lines[index]):
            lines = lines[:index]
            break
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if len(line) <= _BOILERPLATE_MAX_LEN and (
            _BOILERPLATE.match(line)
            or _BYLINE.match(line)
            or (_EMAIL.search(line) and len(line) <= 80)
        ):
            continue
        if len(line) >= _DUPLICATE_MIN_LEN:
            if line in seen:
                continue
            seen.add(line)
        kept.append(line)
    # bylines and credits left at the end ("칼럼니스트 박생강", "Reporting by ...")
    while kept and len(kept[-1]) <= _TRAILER_MAX_LEN and not _ENDS_LIKE_SENTENCE.search(kept[-1]):
        kept.pop()
    return kept


# --- small helpers -----------------------------------------------------------------------


def _squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _normalise(text: str) -> str:
    """Case-, space- and punctuation-insensitive form for comparing names and titles."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


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
    return {n for n in (_normalise(name) for name in names if name) if n}


def _strip_site_name(title: str, aliases: set[str]) -> str:
    """Drop a leading or trailing site name: "Headline | Yonhap News Agency" → "Headline"."""
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            return title
        last, first = separators[-1], separators[0]
        tail = _normalise(title[last.end() :])
        if tail and any(tail == a or (len(a) >= 3 and tail.startswith(a)) for a in aliases):
            title = title[: last.start()].strip()
        elif _normalise(title[: first.start()]) in aliases:
            title = title[first.end() :].strip()
        else:
            return title
