"""Plain data carried through the pipeline: URL → FetchedPage → Article → Summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched document as raw bytes; decoding is CPU work done off the event loop."""

    url: str
    """Final URL, after redirects."""
    content_type: str
    """Media type without parameters, e.g. ``text/html`` or ``text/plain``."""
    body: bytes
    """Decompressed body, at most the configured cap."""
    charset: str | None = None
    """Charset named by the HTTP ``Content-Type`` header, if any."""


@dataclass(frozen=True, slots=True)
class Article:
    """The readable part of a page."""

    url: str
    text: str
    title: str | None = None
    source: str | None = None
    """Site name, e.g. "Yonhap News Agency"."""
    published: str | None = None
    """ISO 8601 date (``YYYY-MM-DD``) when the page gives one."""
    language: str = "en"
    extractor: str = "trafilatura"
    """Which extractor produced the text: trafilatura, readability, meta or plain."""


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary: whole sentences of the article, in article order."""

    article: Article
    sentences: tuple[str, ...] = field(default_factory=tuple)
