"""``briefbot triage FILE``: the briefing's verdict on each item of a JSONL batch."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.news.triage import Verdict, read_items, triage


def run_triage(
    source: TextIO, out: TextIO, *, now: dt.datetime, as_json: bool, explain: bool = False
) -> None:
    """Read items from ``source``, write one verdict per item to ``out`` in input order.

    Raises ``InputError`` (naming the line) for a malformed line, before writing anything.
    """
    items = read_items(source, now)
    titles = {item.id: item.title for item in items}
    for verdict in triage(items, explain=explain):
        if as_json:
            out.write(json.dumps(verdict.as_json(explain=explain), ensure_ascii=False) + "\n")
            continue
        out.write(_line(verdict, titles[verdict.id]) + "\n")
        if explain:
            reasons = ", ".join(f"{name} {weight:+.2f}" for name, weight in verdict.reasons)
            out.write(f"      outlet {verdict.outlet}; story of {verdict.story_size}; {reasons}\n")


def _line(verdict: Verdict, title: str) -> str:
    mark = "IN " if verdict.relevant else "out"
    topics = ",".join(topic.value for topic in verdict.topics) or "-"
    label = f" [{verdict.provenance.value}]" if verdict.provenance else ""
    return f"{mark} {verdict.score:6.2f} {verdict.story:>5} {topics:<24} {title}{label}"


@contextlib.contextmanager
def open_input(path: str) -> Iterator[TextIO]:
    """The named file, or standard input for ``-`` (which is left open)."""
    if path == "-":
        yield sys.stdin
        return
    with Path(path).open(encoding="utf-8") as stream:
        yield stream
