"""``briefbot summarize``: summaries of pages, one or a reading list's worth.

Targets on the command line print as text (``--json``: one JSON line each); a JSONL input
(``--jsonl FILE|-``, see ``bot.cli.batch``) prints one line per input, in input order:
``{"id", "title", "sentences"}``, or ``{"id", "error"}`` for a line that failed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from bot.articles.pipeline import summarize_page
from bot.articles.render import format_date
from bot.cli.batch import PageInput, error_message, run_batch
from bot.models import DEFAULT_LANGUAGE, Summary
from bot.settings import Settings


async def summarize_inputs(
    inputs: Sequence[PageInput],
    settings: Settings,
    *,
    sentences: int | None,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    """Summarize every input; returns how many failed."""
    first = True

    def emit(item: PageInput, summary: Summary | None, error: BaseException | None) -> None:
        nonlocal first
        if as_json:
            line = (
                {"id": item.id, "title": summary.article.title, "sentences": [*summary.sentences]}
                if summary is not None
                else {"id": item.id, "error": error_message(error or RuntimeError())}
            )
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        elif summary is not None:
            out.write(("" if first else "\n") + summary_text(summary) + "\n")
            first = False
        else:
            err.write(f"briefbot: {item.id}: {error_message(error or RuntimeError())}\n")
        out.flush()

    return await run_batch(inputs, summarize_page, (sentences,), settings, emit, "summarize")


def summary_text(summary: Summary) -> str:
    """Title, outlet and date, numbered sentences, the address: for reading in a terminal."""
    article = summary.article
    meta = " · ".join(
        part
        for part in (
            article.source,
            article.published and format_date(article.published, DEFAULT_LANGUAGE),
        )
        if part
    )
    lines = [article.title or article.url, meta, ""]
    lines += [f"{n}. {sentence}" for n, sentence in enumerate(summary.sentences, 1)]
    lines += ["", article.url]
    return "\n".join(lines)
