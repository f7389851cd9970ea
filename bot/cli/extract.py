"""``briefbot extract``: what the bot read from each page — the operator's answer to
"why is this summary odd?". One JSON line per input, in input order:
``{"id", "title", "source", "published", "language", "extractor", "text"}``, or
``{"id", "error"}`` for a line that failed. Inputs as for ``briefbot summarize``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from bot.articles.reading import read_page
from bot.cli.batch import PageInput, error_message, run_batch
from bot.models import Article
from bot.settings import Settings


async def extract_inputs(inputs: Sequence[PageInput], settings: Settings, *, out: TextIO) -> int:
    """Read every input; returns how many failed."""

    def emit(item: PageInput, article: Article | None, error: BaseException | None) -> None:
        if article is None:
            line = {"id": item.id, "error": error_message(error or RuntimeError())}
        else:
            line = {
                "id": item.id,
                "title": article.title,
                "source": article.source,
                "published": article.published,
                "language": article.language,
                "extractor": article.extractor,
                "text": article.text,
            }
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()

    return await run_batch(inputs, read_page, (), settings, emit, "extract")
