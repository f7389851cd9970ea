"""News items for the briefing tests: one missile launch reported three times, and more.

"Now" is 2026-11-27T22:30Z; ``hours_ago`` dates an item before it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.models import ALL_TOPICS, NewsItem, Provenance, ReaderPrefs, Topic
from bot.store.items import ItemRow, SummaryStatus

NOW = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)


def news(
    url: str,
    title: str,
    *,
    source: str = "Yonhap",
    summary: str = "",
    hours_ago: float = 2.0,
    language: str = "en",
    topics: tuple[Topic, ...] = (Topic.SECURITY,),
    provenance: Provenance = Provenance.WIRE,
    weight: float = 1.0,
    relevance: float = 6.0,
) -> NewsItem:
    return NewsItem(
        url=url,
        title=title,
        summary=summary,
        published=NOW - timedelta(hours=hours_ago),
        source=source,
        feed_name=source,
        language=language,
        provenance=provenance,
        topics=topics,
        relevance=relevance,
        weight=weight,
    )


def launch_reports(hours_ago: float = 2.0) -> list[NewsItem]:
    """Three outlets on one missile launch."""
    return [
        news(
            "https://yna.example/launch",
            "N. Korea fires ballistic missile toward East Sea: JCS",
            summary="North Korea fired a short-range ballistic missile toward the East Sea "
            "on Friday, the Joint Chiefs of Staff said.",
            hours_ago=hours_ago + 0.5,
        ),
        news(
            "https://nknews.example/launch",
            "North Korea launches ballistic missile into East Sea, JCS says",
            source="NK News",
            provenance=Provenance.MONITOR,
            summary="The ballistic missile flew about 600 km before landing in the East Sea, "
            "according to the Joint Chiefs of Staff.",
            hours_ago=hours_ago,
        ),
        news(
            "https://herald.example/launch",
            "N. Korea fires short-range ballistic missile into East Sea",
            source="Korea Herald",
            provenance=Provenance.NEWSPAPER,
            summary="North Korea fired a ballistic missile into the East Sea, the JCS said.",
            hours_ago=hours_ago + 0.2,
        ),
    ]


def rate_decision(hours_ago: float = 2.0, language: str = "en") -> NewsItem:
    if language == "ko":
        return news(
            "https://yna.example/ko/rate",
            "한은, 기준금리 연 2.50%로 동결",
            source="연합뉴스",
            language="ko",
            topics=(Topic.ECONOMY,),
            hours_ago=hours_ago,
        )
    return news(
        "https://herald.example/rate",
        "Bank of Korea holds base rate steady at 2.50 percent",
        source="Korea Herald",
        topics=(Topic.ECONOMY,),
        hours_ago=hours_ago,
    )


def births_report(hours_ago: float = 2.0) -> NewsItem:
    return news(
        "https://yna.example/ko/births",
        "9월 출생아 2만2천명…15개월 연속 증가",
        source="연합뉴스",
        language="ko",
        topics=(Topic.ECONOMY,),
        hours_ago=hours_ago,
    )


def prefs(**overrides: object) -> ReaderPrefs:
    values: dict[str, object] = {
        "language": "en",
        "topics": ALL_TOPICS,
        "summary_length": "standard",
        "timezone": "Asia/Seoul",
    }
    values.update(overrides)
    return ReaderPrefs(**values)  # type: ignore[arg-type]


def stored_item(
    url: str,
    title: str,
    *,
    published_at: datetime,
    fetched_at: datetime,
    source: str = "Yonhap",
    language: str = "en",
    excerpt: str = "",
    **changes: object,
) -> ItemRow:
    """A relevant Security item as the poller stores it (no summary to fetch); ``changes``
    for any other field."""
    row = ItemRow(
        url=url,
        feed_url="https://news.example/rss",
        feed_name=source,
        source=source,
        language=language,
        provenance=Provenance.WIRE,
        weight=1.0,
        title=title,
        excerpt=excerpt,
        published_at=published_at,
        fetched_at=fetched_at,
        relevance=5.0,
        relevant=True,
        topics=(Topic.SECURITY,),
        summary_status=SummaryStatus.SKIPPED,
    )
    return replace(row, **changes)  # type: ignore[arg-type]
