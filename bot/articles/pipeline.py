"""The CPU-bound part of summarizing a page: decode → extract → summarize.

Plain functions over plain data, so they run in a worker process (see
``bot.workers``) and in the offline ``briefbot summarize FILE`` command alike.
"""

from __future__ import annotations

from pathlib import Path

from bot.articles.charset import decode_document
from bot.articles.extract import article_from_plain_text, extract_article
from bot.articles.summarize import summarize
from bot.errors import NoArticleText
from bot.models import FetchedPage, Summary, SummaryLength

_TEXT_SUFFIXES = {".txt", ".text", ".md"}


def summarize_page(
    page: FetchedPage,
    max_sentences: int | None = None,
    length: SummaryLength = SummaryLength.STANDARD,
) -> Summary:
    """Summary of a fetched page; raises NoArticleText when there is nothing to summarize.

    ``length`` is the reader's preference; ``max_sentences``, if given, fixes the count."""
    text, _encoding = decode_document(page.body, page.charset, page.content_type)
    if page.content_type == "text/plain":
        article = article_from_plain_text(text, page.url)
    else:
        article = extract_article(text, page.url)
    sentences = summarize(
        article.text,
        language=article.language,
        max_sentences=max_sentences,
        title=article.title,
        length=length,
    )
    if not sentences:
        raise NoArticleText(f"no sentences in {page.url}")
    return Summary(article=article, sentences=tuple(sentences))


def page_from_file(path: Path, url: str | None = None) -> FetchedPage:
    """A saved page as if it had been fetched, for offline use and tests."""
    content_type = "text/plain" if path.suffix.lower() in _TEXT_SUFFIXES else "text/html"
    return FetchedPage(
        url=url or path.resolve().as_uri(), content_type=content_type, body=path.read_bytes()
    )
