from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.briefing.compose import Briefing, Section, Story, build_stories, compose
from bot.briefing.render import SUMMARY_LIMIT, render_briefing, render_story_list
from bot.formatting import MESSAGE_LIMIT, utf16_length
from bot.i18n import Catalog
from bot.models import NewsItem, Provenance, SummaryLength, Topic
from tests.support.fakebotapi import parse_html
from tests.support.newsitems import NOW, births_report, launch_reports, news, prefs, rate_decision


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def story_of(*items: NewsItem, score: float = 1.0) -> Story:
    """A story built by hand, items as given (representative first)."""
    return Story(
        key=items[0].url,
        items=items,
        topics=items[0].topics,
        sources=tuple(dict.fromkeys(item.source for item in items)),
        first_seen=min(item.published for item in items),
        last_updated=max(item.published for item in items),
        score=score,
    )


def briefing_of(*stories: Story, language: str = "en", filtered_out: int = 0) -> Briefing:
    return Briefing(
        edition_date=date(2026, 11, 28),
        language=language,
        sections=(Section(Topic.SECURITY, stories),) if stories else (),
        quiet=not stories,
        filtered_out=filtered_out,
    )


def render_stories(
    catalog: Catalog, *stories: Story, language: str = "en", length: str = "standard"
) -> list[str]:
    """The visible text of a briefing of these stories."""
    briefing = briefing_of(*stories, language=language)
    return visible(render_briefing(briefing, catalog, summary_length=SummaryLength(length)))


def visible(messages: list[str]) -> list[str]:
    """What the reader sees; parse_html raises on HTML that Telegram would refuse."""
    return [parse_html(message)[0] for message in messages]


def render(
    items: list[NewsItem], catalog: Catalog, *, summary_length: str = "standard", **reader: object
) -> list[str]:
    briefing = compose(build_stories(items, now=NOW), prefs(**reader), now=NOW)
    return visible(render_briefing(briefing, catalog, summary_length=SummaryLength(summary_length)))


def test_a_story_lists_two_sources_and_counts_the_rest(catalog: Catalog) -> None:
    (text,) = render(launch_reports(), catalog)

    assert "Yonhap · Korea Herald +1" in text


def test_source_names_link_to_their_articles(catalog: Catalog) -> None:
    (message,) = render_briefing(
        compose(build_stories(launch_reports(), now=NOW), prefs(), now=NOW),
        catalog,
        summary_length=SummaryLength.STANDARD,
    )

    assert '<a href="https://herald.example/launch">Korea Herald</a>' in message


def test_korean_readers_get_the_korean_headline_and_korean_labels(catalog: Catalog) -> None:
    (text,) = render([rate_decision(), rate_decision(language="ko")], catalog, language="ko")

    assert "한은, 기준금리 연 2.50%로 동결" in text
    assert "Bank of Korea holds" not in text
    assert "경제·사회" in text
    assert "연합뉴스 · Korea Herald" in text  # outlets in the reader's language first


def test_korean_readers_get_korean_stories_first(catalog: Catalog) -> None:
    items = [rate_decision(hours_ago=3), births_report(hours_ago=3.5)]

    (korean,) = render(items, catalog, language="ko")
    (english,) = render(items, catalog, language="en")

    assert korean.index("출생아") < korean.index("Bank of Korea")
    assert english.index("Bank of Korea") < english.index("출생아")


def test_state_media_sources_are_labelled(catalog: Catalog) -> None:
    kcna = news(
        "https://kcna.example/launch",
        "DPRK conducts successful test of new-type missile",
        source="KCNA",
        provenance=Provenance.NK_STATE_MEDIA,
        hours_ago=3,
    )
    yonhap, *_ = launch_reports()

    (text,) = render_stories(catalog, story_of(yonhap, kcna))

    assert "Yonhap · KCNA (🇰🇵 North Korean state media)" in text
    assert "state media claim" not in text


def test_a_story_only_state_media_report_is_framed_as_a_claim(catalog: Catalog) -> None:
    kcna = news(
        "https://kcna.example/test",
        "DPRK conducts successful test of new-type hypersonic missile",
        source="KCNA",
        provenance=Provenance.NK_STATE_MEDIA,
    )
    story = story_of(kcna)

    (english,) = render_stories(catalog, story)
    (korean,) = render_stories(catalog, story, language="ko")

    assert "🇰🇵 North Korean state media claim: DPRK conducts" in english
    assert "KCNA (🇰🇵 North Korean state media)" in english
    assert "🇰🇵 북한 관영매체 주장: DPRK conducts" in korean


@pytest.mark.parametrize(
    ("provenance", "english", "korean"),
    [
        (Provenance.RU_STATE_MEDIA, "(🇷🇺 Russian state media)", "(🇷🇺 러시아 관영매체)"),
        (Provenance.CN_STATE_MEDIA, "(🇨🇳 Chinese state media)", "(🇨🇳 중국 관영매체)"),
    ],
)
def test_every_states_media_is_labelled_with_its_country(
    catalog: Catalog, provenance: Provenance, english: str, korean: str
) -> None:
    state = news(
        "https://state.example/putin-kim",
        "Putin, Kim hold phone talks",
        source="TASS",
        provenance=provenance,
        hours_ago=2,
    )
    yonhap, *_ = launch_reports()
    story = story_of(yonhap, state)

    (text_en,) = render_stories(catalog, story)
    (text_ko,) = render_stories(catalog, story, language="ko")

    assert f"TASS {english}" in text_en and f"TASS {korean}" in text_ko


def test_a_claim_carried_by_two_states_media_names_neither_country(catalog: Catalog) -> None:
    kcna = news(
        "https://kcna.example/talks",
        "DPRK and Russia hold talks",
        source="KCNA",
        provenance=Provenance.NK_STATE_MEDIA,
    )
    tass = news(
        "https://tass.example/talks",
        "Russia and DPRK hold talks",
        source="TASS",
        provenance=Provenance.RU_STATE_MEDIA,
    )
    (text,) = render_stories(catalog, story_of(kcna, tass))
    assert "state media claim:" in text and "North Korean state media claim" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "A quiet day: no major Korean Peninsula stories in the last 24 hours."),
        ("ko", "지난 24시간 동안 들어온 한반도 주요 뉴스가 없습니다."),
    ],
)
def test_a_quiet_day_says_so(catalog: Catalog, language: str, expected: str) -> None:
    (text,) = render([], catalog, language=language)

    assert expected in text


def test_no_stories_in_the_readers_topics_suggests_topics(catalog: Catalog) -> None:
    (text,) = render(launch_reports(), catalog, topics=frozenset({Topic.HUMAN_RIGHTS}))

    assert "Nothing in your topics" in text
    assert "/topics" in text
    assert "quiet day" not in text


def test_stories_left_out_by_topic_are_counted_in_the_footer(catalog: Catalog) -> None:
    (text,) = render(
        [*launch_reports(), rate_decision()], catalog, topics=frozenset({Topic.ECONOMY})
    )

    assert "1 more story in topics you don't follow" in text
    assert "ballistic missile" not in text


def test_html_in_feed_text_is_escaped(catalog: Catalog) -> None:
    hostile = news(
        "https://example.org/x?a=1&b=<2>",
        'Kim <b>warns</b> of "fire" & <script>alert(1)</script>',
        source="<i>Daily</i> & Co",
        summary="He said <a href='x'>this</a> & that. It's <not> a tag.",
    )

    (message,) = render_briefing(
        briefing_of(story_of(hostile)), catalog, summary_length=SummaryLength.STANDARD
    )
    text, entities = parse_html(message)

    assert 'Kim <b>warns</b> of "fire" & <script>alert(1)</script>' in text
    assert "<i>Daily</i> & Co" in text
    assert "He said <a href='x'>this</a> & that. It's <not> a tag." in text
    links = [e["url"] for e in entities if e["type"] == "text_link"]
    assert links == ["https://example.org/x?a=1&b=<2>"]


def test_long_briefings_split_between_stories_within_the_limit(catalog: Catalog) -> None:
    sentence = "The ministry said " + "the measure, as officials put it, " * 5 + "would pass. "
    stories = [
        story_of(
            news(
                f"https://yna.example/{i}",
                f"Headline {i}: " + "a long headline about the peninsula " * 6,
                summary=sentence * 4,
                source=f"Outlet {i}",
            ),
            news(f"https://other.example/{i}", "Other", source="Second outlet"),
        )
        for i in range(8)
    ]

    messages = render_briefing(
        briefing_of(*stories), catalog, summary_length=SummaryLength.STANDARD
    )
    texts = visible(messages)

    assert len(messages) > 1
    assert all(utf16_length(text) <= MESSAGE_LIMIT for text in texts)
    for i in range(8):  # each story's headline and sources line share one message
        (holder,) = [text for text in texts if f"Headline {i}:" in text]
        assert f"Outlet {i} · Second outlet" in holder


def test_a_summary_is_cut_at_a_sentence_and_bounded(catalog: Catalog) -> None:
    first = "North Korea fired a missile. "
    item = news("https://yna.example/a", "Launch", summary=first + "Word " * 200 + "end.")

    (text,) = render_stories(catalog, story_of(item))

    assert "North Korea fired a missile.\n" in text
    assert "Word" not in text


def test_an_overlong_first_sentence_is_truncated(catalog: Catalog) -> None:
    item = news("https://yna.example/a", "Launch", summary="Word " * 200 + "end.")

    (text,) = render_stories(catalog, story_of(item))
    lines = text.splitlines()
    summary = lines[lines.index("Launch") + 1]

    assert summary.endswith("…")
    assert len(summary) <= SUMMARY_LIMIT


@pytest.mark.parametrize(("length", "sentences"), [("short", 1), ("standard", 2), ("long", 3)])
def test_summary_length_sets_the_number_of_sentences(
    catalog: Catalog, length: str, sentences: int
) -> None:
    item = news(
        "https://yna.example/a",
        "Launch",
        summary="First sentence here. Second sentence here. Third sentence here. "
        "Fourth sentence here.",
    )

    (text,) = render_stories(catalog, story_of(item), length=length)

    shown = [s for s in ("First", "Second", "Third", "Fourth") if f"{s} sentence here." in text]
    assert len(shown) == sentences


@pytest.mark.parametrize(
    ("language", "timezone", "header"),
    [
        ("en", "Asia/Seoul", "🗞 Peninsula Brief — Sat 28 Nov 2026"),
        ("en", "America/New_York", "🗞 Peninsula Brief — Fri 27 Nov 2026"),
        ("ko", "Asia/Seoul", "🗞 Peninsula Brief — 2026년 11월 28일(토)"),
    ],
)
def test_the_header_shows_the_date_in_the_readers_time_zone(
    catalog: Catalog, language: str, timezone: str, header: str
) -> None:
    (text,) = render(launch_reports(), catalog, language=language, timezone=timezone)

    assert text.splitlines()[0] == header


def test_the_story_list_shows_newest_first_with_source_counts(catalog: Catalog) -> None:
    stories = build_stories([*launch_reports(hours_ago=5), rate_decision(hours_ago=1)], now=NOW)

    text, entities = parse_html(render_story_list(stories, catalog, "en"))

    lines = text.splitlines()
    assert lines[0] == "🕘 Latest stories"
    assert lines[2].startswith("• Bank of Korea holds") and lines[2].endswith("· 1 source")
    assert lines[3].endswith("· 3 sources")
    assert entities[1]["url"] == "https://herald.example/rate"


def test_the_story_list_is_bounded_and_says_when_empty(catalog: Catalog) -> None:
    many = [
        story_of(news(f"https://yna.example/{i}", "Long headline " * 40, hours_ago=i / 10))
        for i in range(40)
    ]

    assert utf16_length(parse_html(render_story_list(many, catalog, "ko", limit=40))[0]) <= 4096
    assert "아직 없습니다" in render_story_list([], catalog, "ko")


def test_wire_tags_are_not_shown_in_headlines() -> None:
    from bot.news.headlines import strip_wire_tags

    assert strip_wire_tags("(2nd LEAD) N. Korea fires missile") == "N. Korea fires missile"
    assert strip_wire_tags("[속보] 북한, 탄도미사일 발사") == "북한, 탄도미사일 발사"
    assert strip_wire_tags("(LEAD) (URGENT) Kim visits Russia") == "Kim visits Russia"
    assert strip_wire_tags("Parliament (LEAD) vote") == "Parliament (LEAD) vote"


def test_a_korean_reader_sees_outlets_by_their_korean_names(catalog: Catalog) -> None:
    yonhap = replace(news("https://yna.example/1", "N. Korea fires missile"), source_ko="연합뉴스")
    herald = replace(
        news("https://herald.example/1", "NK fires missile", source="Korea Herald"),
        source_ko="코리아헤럴드",
    )
    (korean,) = render_stories(catalog, story_of(yonhap, herald), language="ko")
    (english,) = render_stories(catalog, story_of(yonhap, herald))

    assert "연합뉴스 · 코리아헤럴드" in korean
    assert "Yonhap · Korea Herald" in english


def test_an_english_only_story_is_marked_for_korean_readers(catalog: Catalog) -> None:
    english_only = news("https://yna.example/2", "Envoys discuss launch")
    (korean,) = render_stories(catalog, story_of(english_only), language="ko")
    (english,) = render_stories(catalog, story_of(english_only))

    assert "[영문] Envoys discuss launch" in korean
    assert "[" not in english


def test_a_korean_item_gives_the_story_its_korean_headline(catalog: Catalog) -> None:
    english = news("https://yna.example/3", "N. Korea fires missile")
    korean_item = news("https://yna.example/4", "북한, 탄도미사일 발사", language="ko")
    (korean,) = render_stories(catalog, story_of(english, korean_item), language="ko")

    assert "북한, 탄도미사일 발사" in korean
    assert "[영문]" not in korean and "N. Korea fires missile" not in korean
