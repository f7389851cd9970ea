from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from bot.briefing.compose import Briefing, Story, build_stories, compose
from bot.models import NewsItem, Provenance, Topic
from tests.support.newsitems import (
    NOW,
    births_report,
    launch_reports,
    news,
    prefs,
    rate_decision,
)


def briefing_for(items: list[NewsItem], **overrides: object) -> Briefing:
    return compose(build_stories(items, now=NOW), prefs(**overrides), now=NOW)


def titles(stories: tuple[Story, ...] | list[Story]) -> list[str]:
    return [story.items[0].title for story in stories]


def test_three_outlets_on_one_launch_make_one_story_with_three_sources() -> None:
    stories = build_stories(launch_reports(), now=NOW)

    assert len(stories) == 1
    assert stories[0].sources == ("Yonhap", "Korea Herald", "NK News")  # order of first report
    assert stories[0].key == "https://yna.example/launch"
    assert stories[0].topics[0] is Topic.SECURITY


def test_two_feeds_of_one_outlet_count_as_one_source() -> None:
    first, *_ = launch_reports()
    second = news(
        "https://yna.example/launch-2nd-lead",
        "(2nd LEAD) N. Korea fires ballistic missile toward East Sea: JCS",
        summary=first.summary,
    )

    stories = build_stories([first, second], now=NOW)

    assert len(stories) == 1
    assert stories[0].sources == ("Yonhap",)


def test_items_outside_the_window_are_left_out() -> None:
    old = news("https://yna.example/old", "N. Korea test-fires cruise missiles", hours_ago=25)
    future = news("https://yna.example/future", "Embargoed story", hours_ago=-1)

    stories = build_stories([old, future, rate_decision()], now=NOW)

    assert titles(stories) == ["Bank of Korea holds base rate steady at 2.50 percent"]


def test_a_story_with_three_sources_ranks_above_one_with_one_source() -> None:
    lone = news(
        "https://yna.example/drill",
        "Allies stage combined air drill near border",
        summary="South Korea and the United States staged a combined air drill.",
    )

    stories = build_stories([lone, *launch_reports()], now=NOW)

    assert [len(s.sources) for s in stories] == [3, 1]


def test_a_fresher_story_ranks_above_an_older_one_of_equal_weight() -> None:
    stories = build_stories([rate_decision(hours_ago=20), births_report(hours_ago=1)], now=NOW)

    assert [s.items[0].language for s in stories] == ["ko", "en"]


def test_a_story_reported_in_both_languages_has_an_item_in_each() -> None:
    (story,) = build_stories([rate_decision(), rate_decision(language="ko")], now=NOW)

    assert story.languages == {"en", "ko"}
    assert story.item_in("ko").title == "한은, 기준금리 연 2.50%로 동결"
    assert story.item_in("en").title == "Bank of Korea holds base rate steady at 2.50 percent"


def test_stories_are_the_same_whatever_the_input_order() -> None:
    items = [*launch_reports(), rate_decision(), rate_decision(language="ko")]
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)

    assert build_stories(items, now=NOW) == build_stories(shuffled, now=NOW)


def test_the_representative_item_is_not_state_media_when_others_report_it() -> None:
    kcna = news(
        "https://kcna.example/launch",
        "N. Korea fires ballistic missile toward East Sea in powerful demonstration",
        source="KCNA",
        provenance=Provenance.NK_STATE_MEDIA,
        summary="North Korea fired a ballistic missile toward the East Sea, KCNA said.",
        weight=2.0,
        hours_ago=3,
    )

    (story,) = build_stories([kcna, *launch_reports()], now=NOW)

    assert story.sources[0] == "KCNA"
    assert story.items[0].source != "KCNA"
    assert story.is_state_media("KCNA")
    assert not story.state_media_only


def rate_freeze_with_a_reaction() -> list[NewsItem]:
    """Three reports of a rate decision and a reaction that carries more weight and
    relevance: the kind of item a keyword score puts first."""
    economy = (Topic.ECONOMY,)
    return [
        news(
            "https://yna.example/rate",
            "Bank of Korea holds base rate at 2.50 percent for second straight meeting",
            topics=economy,
            summary="The Bank of Korea kept its base rate at 2.50 percent on Thursday, "
            "citing household debt and slowing exports.",
        ),
        news(
            "https://herald.example/rate",
            "BOK keeps base rate at 2.50 percent amid household debt worries",
            source="Korea Herald",
            topics=economy,
            summary="South Korea's central bank held its base rate at 2.50 percent, weighing "
            "household debt against slowing exports.",
        ),
        news(
            "https://hani.example/rate",
            "Bank of Korea freezes base rate at 2.50 percent as exports slow",
            source="Hankyoreh",
            topics=economy,
            summary="The Bank of Korea froze its base rate at 2.50 percent, its rate-setting "
            "board said, as exports slowed.",
        ),
        news(
            "https://chosun.example/rate-reaction",
            "Opposition slams Bank of Korea rate freeze as too timid",
            source="Chosun",
            topics=economy,
            relevance=12.0,
            weight=2.0,
            summary="The opposition party said the central bank's decision to hold the base "
            "rate fails households.",
        ),
    ]


def test_a_story_is_shown_by_the_report_most_like_the_others_not_by_a_reaction() -> None:
    (story,) = build_stories(rate_freeze_with_a_reaction(), now=NOW)

    assert len(story.items) == 4
    assert story.items[0].source != "Chosun"  # the reaction, for all its weight
    assert "base rate at 2.50 percent" in story.items[0].title
    assert story.items[-1].source == "Chosun"


def test_a_video_page_never_heads_a_story_that_has_a_report() -> None:
    reports = rate_freeze_with_a_reaction()[:3]
    video = replace(  # as central as the report it copies, and weightier
        reports[0],
        url="https://yna.example/rate-video",
        title=f"[영상] {reports[0].title}",
        weight=2.0,
        relevance=12.0,
    )

    (story,) = build_stories([video, *reports], now=NOW)

    assert video in story.items
    assert story.items[0].url != video.url


def test_a_report_with_a_lede_heads_a_story_before_a_bare_headline() -> None:
    """A headline alone reads like every headline of its story (its vector is nothing
    but headline words), so it would be the most central; the reader needs a lede."""
    economy = (Topic.ECONOMY,)
    reports = [
        news(
            f"https://{host}/rate",
            f"Bank of Korea {verb} base rate at 2.50 percent",
            source=source,
            topics=economy,
            summary=lede,
        )
        for host, source, verb, lede in (
            ("yna.example", "Yonhap", "holds", "The central bank cited household debt."),
            ("herald.example", "Korea Herald", "keeps", "Governor Rhee said exports slowed."),
            ("hani.example", "Hankyoreh", "freezes", "Markets had expected the decision."),
        )
    ]
    flash = replace(reports[0], url="https://yna.example/rate-flash", summary="")

    (story,) = build_stories([flash, *reports], now=NOW)

    assert flash in story.items
    assert story.items[0].summary


def test_a_two_item_story_is_shown_by_its_weightier_report() -> None:
    """Two items are equally like each other: weight and relevance decide, as before."""
    first, *_, reaction = rate_freeze_with_a_reaction()
    event = replace(reaction, url="https://chosun.example/rate", title=first.title)

    (story,) = build_stories([first, event], now=NOW)

    assert story.items[0].source == "Chosun"


def test_a_reader_without_security_does_not_get_the_missile_story() -> None:
    briefing = briefing_for([*launch_reports(), rate_decision()], topics=frozenset({Topic.ECONOMY}))

    assert titles(briefing.stories) == ["Bank of Korea holds base rate steady at 2.50 percent"]
    assert briefing.filtered_out == 1
    assert not briefing.quiet


def test_nothing_in_the_readers_topics_is_quiet_with_a_count_of_the_rest() -> None:
    briefing = briefing_for(launch_reports(), topics=frozenset({Topic.HUMAN_RIGHTS}))

    assert briefing.quiet
    assert briefing.filtered_out == 1


def test_a_day_without_items_is_quiet() -> None:
    briefing = briefing_for([])

    assert briefing.quiet
    assert briefing.filtered_out == 0
    assert briefing.sections == ()


def test_a_story_sits_under_its_first_chosen_topic_and_the_best_section_leads() -> None:
    talks = news(
        "https://herald.example/talks",
        "Seoul, Tokyo agree to resume shuttle diplomacy",
        topics=(Topic.DIPLOMACY, Topic.SECURITY),
        relevance=9.0,
    )
    reader_topics = frozenset({Topic.ECONOMY, Topic.SECURITY})

    briefing = briefing_for([talks, rate_decision()], topics=reader_topics)

    assert [section.topic for section in briefing.sections] == [Topic.SECURITY, Topic.ECONOMY]
    assert titles(briefing.sections[0].stories) == [talks.title]


def test_the_days_biggest_story_leads_whatever_its_topic() -> None:
    drill = news("https://yna.example/drill", "Allies stage combined air drill near border")
    arrest = [
        news(
            f"https://{outlet.lower()}.example/arrest",
            "Special counsel arrests former first lady over bribery charges",
            source=outlet,
            summary="The special counsel arrested the former first lady on bribery charges.",
            topics=(Topic.POLITICS,),
        )
        for outlet in ("Yonhap", "Chosun", "Hankyoreh")
    ]

    briefing = briefing_for([drill, *arrest])

    assert [section.topic for section in briefing.sections] == [Topic.POLITICS, Topic.SECURITY]
    assert briefing.stories[0].items[0].title.startswith("Special counsel arrests")


def test_a_korean_reader_gets_korean_stories_first() -> None:
    stories = build_stories([rate_decision(hours_ago=3), births_report(hours_ago=3.5)], now=NOW)
    assert [s.items[0].language for s in stories] == ["en", "ko"]  # English is fresher

    korean = compose(stories, prefs(language="ko"), now=NOW)
    english = compose(stories, prefs(language="en"), now=NOW)

    assert [s.items[0].language for s in korean.stories] == ["ko", "en"]
    assert [s.items[0].language for s in english.stories] == ["en", "ko"]


def test_language_is_a_nudge_not_a_filter() -> None:
    big = launch_reports()
    small = rate_decision(language="ko", hours_ago=20)

    briefing = compose(build_stories([*big, small], now=NOW), prefs(language="ko"), now=NOW)

    assert briefing.stories[0].sources == ("Yonhap", "Korea Herald", "NK News")


def test_the_briefing_holds_at_most_max_stories() -> None:
    headlines = [
        "Tariff talks resume in Washington",
        "Army forms first drone brigade",
        "Rice harvest hits decade high",
        "Wildfire spreads across Gangwon hills",
        "Subway fares to rise in March",
        "Gallup: approval slips to 51%",
    ]
    items = [news(f"https://yna.example/{i}", title) for i, title in enumerate(headlines)]
    stories = build_stories(items, now=NOW)

    briefing = compose(stories, prefs(), now=NOW, max_stories=4)

    assert len(briefing.stories) == 4
    assert list(briefing.stories) == stories[:4]


def test_the_edition_date_is_the_readers_local_date() -> None:
    seoul = briefing_for([], timezone="Asia/Seoul")
    new_york = briefing_for([], timezone="America/New_York")

    assert seoul.edition_date == date(2026, 11, 28)
    assert new_york.edition_date == date(2026, 11, 27)


def test_one_outlet_in_two_languages_counts_as_one_source() -> None:
    english, nk_news, herald = launch_reports()
    korean = news(
        "https://yna-ko.example/launch",
        '북한, 동해상으로 탄도미사일 발사…합참 "600㎞ 비행"',
        source="연합뉴스",
        language="ko",
        summary="북한이 동해상으로 단거리 탄도미사일을 발사했다고 합동참모본부가 밝혔다.",
    )
    items = [replace(english, outlet="yonhap"), replace(korean, outlet="yonhap"), nk_news, herald]
    stories = build_stories(items, now=NOW)
    [story] = [s for s in stories if "yonhap" in s.sources]
    assert len(story.items) == 4
    assert len(story.sources) == 3
    assert story.source_item("yonhap", "ko").source == "연합뉴스"
    assert story.source_item("yonhap", "en").source == "Yonhap"


def coverage(story_word: str, count: int, sources: tuple[str, ...]) -> list[NewsItem]:
    """``count`` items on one event from ``sources`` in turn (updates, follow-ups)."""
    return [
        news(
            f"https://news.example/{story_word}/{n}",
            "Special counsel arrests former first lady over bribery charges",
            source=sources[n % len(sources)],
            summary="The special counsel arrested the former first lady on bribery charges.",
            topics=(Topic.POLITICS,),
        )
        for n in range(count)
    ]


def test_a_story_covered_by_thirty_items_ranks_above_one_covered_by_three() -> None:
    big = coverage("arrest", 30, ("Yonhap", "Chosun"))
    small = [
        news(
            f"https://news.example/drill/{n}",
            "Allies stage combined air drill near border",
            source=("Yonhap", "Chosun")[n % 2],
            summary="South Korea and the United States staged a combined air drill.",
            hours_ago=1,  # fresher, and from as many outlets
        )
        for n in range(3)
    ]

    stories = build_stories([*small, *big], now=NOW)

    assert len(stories) == 2 and stories[0].sources == stories[1].sources == ("Yonhap", "Chosun")
    assert len(stories[0].items) == 30


def test_every_section_keeps_its_best_story_when_another_topic_fills_the_briefing() -> None:
    headlines = [
        "Army fields upgraded K2 tanks",
        "Air force forms drone squadron",
        "Coastal radar network expanded",
        "Navy commissions two frigates",
        "KF-21 fighters enter service",
        "Engineers clear landmines at DMZ",
    ]
    security = [news(f"https://yna.example/s{i}", title) for i, title in enumerate(headlines)]
    security = [
        s
        for story in security
        for s in (story, replace(story, url=story.url + "b", source="Chosun"))
    ]
    politics = news(
        "https://yna.example/assembly",
        "National Assembly passes budget bill",
        topics=(Topic.POLITICS,),
    )
    stories = build_stories([*security, politics], now=NOW)
    assert stories[-1].topics[0] is Topic.POLITICS  # the weakest of all

    briefing = compose(stories, prefs(), now=NOW, max_stories=4)

    assert len(briefing.stories) == 4
    assert [section.topic for section in briefing.sections] == [Topic.SECURITY, Topic.POLITICS]
