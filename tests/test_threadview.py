"""The thread view (/story): the first report, each day's reports by the reader's calendar,
and a long thread trimmed to one message with what was left out counted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.formatting import MESSAGE_LIMIT, utf16_length
from bot.i18n import Catalog
from bot.models import NewsItem
from bot.threadview import ITEMS_PER_DAY, format_thread
from tests.support.fakebotapi import parse_html
from tests.support.newsitems import news

START = datetime(2026, 12, 4, 14, 30, tzinfo=UTC)  # 23:30 in Seoul, 4 December


def at(when: datetime, n: int, source: str = "Yonhap", title: str = "") -> NewsItem:
    item = news(f"https://news.example/{n}", title or f"Missile report number {n}", source=source)
    korean = {"Yonhap": "연합뉴스"}.get(source, "")  # as the feed list names it
    return replace(item, published=when, source_ko=korean)


def visible(text: str) -> str:
    return parse_html(text)[0]


def test_the_first_report_and_the_days_in_the_readers_time_zone() -> None:
    items = [
        at(START, 1),
        at(START + timedelta(hours=1), 2, "NK News"),  # 00:30 on 5 December in Seoul
        at(START + timedelta(days=1), 3, "Reuters"),
    ]
    text = visible(format_thread(items, Catalog.load(), "en", "Asia/Seoul"))
    lines = text.splitlines()
    assert lines[0] == "🧵 Missile report number 3"
    assert lines[1] == "First report: Yonhap, Fri 4 Dec 2026 23:30"
    assert lines[2] == "3 outlets · 3 reports · 2 days"
    assert "Day 1 · Fri 4 Dec 2026\n• 23:30 Yonhap — Missile report number 1" in text
    assert "Day 2 · Sat 5 Dec 2026\n• 00:30 NK News — Missile report number 2\n" in text
    assert "• 23:30 Reuters — Missile report number 3" in text
    # In London the same reports fall on two other days.
    london = visible(format_thread(items, Catalog.load(), "en", "Europe/London"))
    assert "Day 1 · Fri 4 Dec 2026\n• 14:30 Yonhap" in london
    assert "• 15:30 NK News" in london and "Day 2 · Sat 5 Dec 2026\n• 14:30 Reuters" in london


def test_in_korean() -> None:
    text = visible(format_thread([at(START, 1)], Catalog.load(), "ko", "Asia/Seoul"))
    assert "첫 보도: 연합뉴스, 2026년 12월 4일(금) 23:30" in text
    assert "언론사 1곳 · 기사 1건 · 1일째" in text
    assert "1일째 · 2026년 12월 4일(금)" in text


def test_a_busy_day_shows_its_first_reports_and_counts_the_rest() -> None:
    items = [at(START + timedelta(minutes=n), n) for n in range(ITEMS_PER_DAY + 3)]
    text = visible(format_thread(items, Catalog.load(), "en", "UTC"))
    assert f"number {ITEMS_PER_DAY - 1}" in text and f"number {ITEMS_PER_DAY}\n" not in text
    assert "… 3 more reports that day" in text


def test_a_long_thread_keeps_its_first_and_latest_days_in_one_message() -> None:
    long_title = "Missile launch follow-up " * 8
    items = [
        at(START + timedelta(days=day, minutes=n), day * 100 + n, title=f"{long_title}{day}")
        for day in range(12)
        for n in range(5)
    ]
    text = format_thread(items, Catalog.load(), "en", "UTC")
    shown = visible(text)
    assert utf16_length(shown) <= MESSAGE_LIMIT
    assert "Day 1 · " in shown and "Day 12 · " in shown
    assert "Day 2 · " not in shown
    assert "days left out to fit" in shown
    assert shown.index("Day 1 · ") < shown.index("left out") < shown.index("Day 12 · ")
