"""Inputs for ``briefbot summarize`` and ``briefbot extract``, and running them in bulk.

An input is a page to read, named by an ``id``, given as a ``url`` to fetch, a saved
``file`` (read as bytes, so the charset rules apply; with ``url`` too, the url is the
page's address for the extractor), a ``text`` or an ``html`` string. Command-line
targets are inputs too: a web address, or a file, with the target as its id.

Pages are fetched concurrently and read in the worker pool (``bot.workers``); results
come back in input order. A line that fails gives ``{"id", "error"}`` and the run goes
on; an input file that cannot be read at all (missing, not JSON, a line without an id)
is refused before anything runs, with a one-line error naming the line.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

from bot.articles.fetch import Fetcher, FetchLimits, build_client
from bot.articles.pipeline import page_from_file
from bot.errors import BriefbotError, InputError
from bot.formatting import plain_text
from bot.i18n import Catalog
from bot.models import DEFAULT_LANGUAGE, FetchedPage
from bot.settings import Settings
from bot.workers import WorkerPool

R = TypeVar("R")
SOURCES = ("url", "file", "text", "html")
_FILE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".txt", ".text", ".md"})
FETCHES_AT_ONCE = 8
"""Pages fetched at the same time: enough to keep the workers busy, polite to sites."""


@dataclass(frozen=True, slots=True)
class PageInput:
    """One page to read, as a JSONL line or a command-line target gives it."""

    id: Any
    url: str | None = None
    file: Path | None = None
    text: str | None = None
    html: str | None = None

    @classmethod
    def from_target(cls, target: str) -> PageInput:
        """A command-line target: an existing file, else a web address."""
        path = Path(target)
        if "://" in target:
            return cls(id=target, url=target)
        if path.exists() or target.startswith(("/", ".", "~")) or path.suffix in _FILE_SUFFIXES:
            return cls(id=target, file=path.expanduser())  # a missing one fails as its line
        return cls(id=target, url=target)


def read_inputs(stream: Iterable[str], base: Path) -> list[PageInput]:
    """Every line of a JSONL input; ``file`` paths are relative to ``base``.

    Raises ``InputError`` naming the first line that is not a JSON object with an ``id``
    and one of ``url``, ``file``, ``text`` or ``html``.
    """
    inputs = []
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"line {number}: not JSON") from None
        if not isinstance(data, dict):
            raise InputError(f"line {number}: not a JSON object")
        if data.get("id") is None:
            raise InputError(f"line {number}: no id")
        values = {key: data.get(key) for key in SOURCES}
        if any(value is not None and not isinstance(value, str) for value in values.values()):
            raise InputError(f"line {number}: url, file, text and html must be strings")
        if not any(values.values()):
            raise InputError(f"line {number}: needs one of url, file, text or html")
        file = values["file"]
        inputs.append(
            PageInput(
                id=data["id"],
                url=values["url"],
                file=base / file if file else None,
                text=values["text"],
                html=values["html"],
            )
        )
    return inputs


def error_message(exc: BaseException) -> str:
    """One line for an operator: the reader's message for the core's errors."""
    if isinstance(exc, BriefbotError):
        text = Catalog.load().text(DEFAULT_LANGUAGE, exc.reason, status=getattr(exc, "status", ""))
        return " ".join(plain_text(text).split())
    if isinstance(exc, OSError):
        return f"cannot read {exc.filename}: {exc.strerror}" if exc.filename else str(exc)
    return f"{type(exc).__name__}: {exc}"


class Progress:
    """ "12/1000" on standard error, rewritten in place; only when it is a terminal."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._on = self._stream.isatty() and total > 1
        self._total = total
        self._done = 0
        self._label = label

    def step(self) -> None:
        self._done += 1
        if self._on:
            self._stream.write(f"\r{self._label}: {self._done}/{self._total}")
            self._stream.flush()

    def close(self) -> None:
        if self._on:
            self._stream.write("\n")
            self._stream.flush()


async def run_batch(
    inputs: Sequence[PageInput],
    job: Callable[..., R],
    extra: tuple[Any, ...],
    settings: Settings,
    emit: Callable[[PageInput, R | None, BaseException | None], None],
    label: str,
) -> int:
    """``job(page, *extra)`` in the worker pool for every input; ``emit`` gets the results
    in input order, each with its value or its error. Returns how many failed."""
    pool = WorkerPool.from_settings(settings)
    limits = FetchLimits.from_settings(settings)
    fetches = asyncio.Semaphore(FETCHES_AT_ONCE)
    progress = Progress(len(inputs), label)
    failed = 0
    try:
        async with build_client(limits) as client:
            fetcher = Fetcher(client, limits)

            async def one(item: PageInput) -> R:
                page = await _page(item, fetcher, fetches)
                return await pool.run(job, page, *extra)

            tasks = [asyncio.create_task(_outcome(one(item))) for item in inputs]
            try:
                for item, task in zip(inputs, tasks, strict=True):
                    value, error = await task
                    failed += error is not None
                    emit(item, value, error)
                    progress.step()
            finally:
                for task in tasks:
                    task.cancel()
    finally:
        progress.close()
        await asyncio.to_thread(pool.close)
    return failed


async def _outcome(work: Awaitable[R]) -> tuple[R | None, BaseException | None]:
    try:
        return await work, None
    except Exception as exc:  # one line's failure is written as its result; the run goes on
        return None, exc


async def _page(item: PageInput, fetcher: Fetcher, fetches: asyncio.Semaphore) -> FetchedPage:
    if item.file is not None:
        return await asyncio.to_thread(page_from_file, item.file, item.url)
    address = item.url or f"input:{item.id}"
    if item.html is not None:
        return FetchedPage(address, "text/html", item.html.encode("utf-8"), "utf-8")
    if item.text is not None:
        return FetchedPage(address, "text/plain", item.text.encode("utf-8"), "utf-8")
    assert item.url is not None  # read_inputs and from_target guarantee a source
    async with fetches:
        return await fetcher.fetch(item.url)
