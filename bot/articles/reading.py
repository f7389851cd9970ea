"""A fetched page → the Article the bot reads from it (decode, then extract).

The first half of ``bot.articles.pipeline.summarize_page``, on its own for
``briefbot extract``: what the summarizer would be given, and which extractor gave it.
A plain function over plain data, so it runs in a worker process.
"""

from __future__ import annotations

from bot.articles.charset import decode_document
from bot.articles.extract import article_from_plain_text, extract_article
from bot.models import Article, FetchedPage


def read_page(page: FetchedPage) -> Article:
    """The article on ``page``; raises ``NoArticleText`` when there is none."""
    text, _encoding = decode_document(page.body, page.charset, page.content_type)
    if page.content_type == "text/plain":
        return article_from_plain_text(text, page.url)
    return extract_article(text, page.url)
