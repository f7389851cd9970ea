"""The weekly edition from a real week of items: how long building the week's stories takes
beside the day's (the baseline, measured in the same run), and what the one message holds.

    python -m benchmarks.weekly ../shared/data/realnews/items.jsonl [--repeat 3]

Takes the seven days with the most captured items, runs them through what the bot does with
feed items (``benchmarks.briefing_real.news_items``: relevance, provenance, ledes), then
builds stories as at 07:30 KST the next morning: for a 24-hour window (the daily edition)
and a 7-day one with the weekly half-life (the weekly edition), and renders the weekly
edition for a reader with every topic in each language.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections import Counter
from pathlib import Path

from benchmarks.briefing_real import news_items
from benchmarks.realnews_sets import KST, load
from bot.briefing.compose import RECENCY_HALF_LIFE, WEEK, WEEK_HALF_LIFE, WINDOW, build_stories
from bot.briefing.weekly import render_weekly
from bot.formatting import visible_length
from bot.i18n import Catalog
from bot.models import Frequency, Language, ReaderPrefs


def busiest_week(rows: list[dict[str, object]]) -> dt.date:
    """The last day of the seven consecutive days with the most items."""
    days = Counter(dt.date.fromisoformat(str(row["published"])[:10]) for row in rows)
    return max(days, key=lambda end: sum(days[end - dt.timedelta(days=k)] for k in range(7)))


def timed(repeat: int, build: object) -> tuple[float, list[object]]:
    runs, result = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = build()  # type: ignore[operator]
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("items", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = load(args.items)
    last = busiest_week(rows)
    now = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(7, 30), KST).astimezone(dt.UTC)
    week = [
        row
        for row in rows
        if now - WEEK < dt.datetime.fromisoformat(str(row["published"])).astimezone(dt.UTC) <= now
    ]
    items = news_items(week)
    print(f"Week to {now.astimezone(KST):%Y-%m-%d %H:%M} KST: {len(week)} items, "
          f"{len(items)} relevant\n")  # fmt: skip
    print("| edition | window | relevant items | stories | build (median of "
          f"{args.repeat}) |\n|---|---|---:|---:|---:|")  # fmt: skip
    weekly = []
    for name, window, half_life in (
        ("daily (baseline)", WINDOW, RECENCY_HALF_LIFE),
        ("weekly", WEEK, WEEK_HALF_LIFE),
    ):
        in_window = [item for item in items if now - window < item.published <= now]
        seconds, stories = timed(
            args.repeat,
            lambda: build_stories(in_window, now=now, window=window, half_life=half_life),  # noqa: B023
        )
        print(f"| {name} | {window.days or 1} d | {len(in_window)} | {len(stories)} "
              f"| {seconds:.2f} s |")  # fmt: skip
        weekly = stories
    catalog = Catalog.load()
    print("\n| weekly message | stories shown | visible characters |\n|---|---:|---:|")
    for language in Language:
        prefs = ReaderPrefs.default(language, "Asia/Seoul")
        prefs = ReaderPrefs(
            language, prefs.topics, prefs.summary_length, prefs.timezone, Frequency.WEEKLY
        )
        text = render_weekly(weekly, prefs, now, catalog)  # type: ignore[arg-type]
        shown = text.count("<b>") - 1 - text.count("🔹")  # less the header and sections
        print(f"| {language} | {shown} | {visible_length(text)} |")


if __name__ == "__main__":
    main()
