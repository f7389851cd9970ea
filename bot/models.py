"""Plain data carried through the pipeline: URL → Page → Article → Summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched document, already decoded to text."""

    url: str
    """Final URL, after redirects."""
    content_type: str
    """Media type without parameters, e.g. ``text/html``."""
    text: str
    encoding: str
    requested_url: str = ""


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
