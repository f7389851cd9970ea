"""Follows' core: parsing what a reader types, matching it in either language with aliases,
and judging a follow too broad."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.briefing.compose import build_stories
from bot.errors import EmptyFollow, FollowTooLong
from bot.follows import aliases
from bot.follows.aliases import aliases_of, build_alias_table, other_names
from bot.follows.breadth import broad_by_words, stories_matching
from bot.follows.matching import FollowMatcher, Haystack
from bot.follows.query import MAX_FOLLOW_CHARS, parse_follow
from bot.news.clustering.concepts import concept_lines, gazetteer_lines
from tests.support.newsitems import NOW, launch_reports, rate_decision


def matches(follow: str, title: str, lede: str = "") -> bool:
    return FollowMatcher.of(parse_follow(follow)).matches(Haystack.of(title, lede))


# ---------------------------------------------------------------------------- parsing


def test_plain_words_are_separate_terms_and_quotes_make_a_phrase() -> None:
    assert parse_follow("satellite launch").terms == ("satellite", "launch")
    assert parse_follow('"Kim Yo Jong"').terms == ("kim yo jong",)
    assert parse_follow("“Kim Yo Jong” statement").terms == ("kim yo jong", "statement")
    assert parse_follow("김여정").terms == ("김여정",)


def test_the_key_ignores_order_case_and_repeats_and_parses_back_to_itself() -> None:
    one = parse_follow("Satellite  launch")
    assert one.key == parse_follow("launch satellite SATELLITE").key == "launch satellite"
    assert one.label == "Satellite launch"
    phrase = parse_follow('"Kim Yo-jong" statement')
    assert phrase.key == '"kim yo jong" statement'
    assert parse_follow(phrase.key).key == phrase.key


def test_a_word_with_punctuation_inside_is_a_phrase_of_its_parts() -> None:
    assert parse_follow("Kim Yo-jong").terms == ("kim", "yo jong")
    assert parse_follow("U.S.-ROK").terms == ("u s rok",)


def test_an_unclosed_quote_runs_to_the_end() -> None:
    assert parse_follow('statement "Kim Yo Jong').terms == ("statement", "kim yo jong")


@pytest.mark.parametrize("text", ["", "   ", ".*", '""', "(?:)+ |"])
def test_nothing_to_follow_is_refused(text: str) -> None:
    with pytest.raises(EmptyFollow):
        parse_follow(text)


def test_a_follow_too_long_is_refused() -> None:
    with pytest.raises(FollowTooLong):
        parse_follow("x" * (MAX_FOLLOW_CHARS + 1))
    with pytest.raises(FollowTooLong):
        parse_follow("a b c d e f g")


# ---------------------------------------------------------------------------- matching


def test_korean_is_found_inside_compounds_and_with_particles() -> None:
    assert matches("김여정", "김여정이 담화를 발표했다")
    assert matches("김여정", "北 김여정 부부장은 25일")
    assert matches('"위성 발사"', "북한, 정찰위성발사 예고")
    assert not matches("김여정", "김정은 위원장이 현지지도")


def test_english_is_case_insensitive_and_finds_inflected_words() -> None:
    assert matches("SANCTIONS", "UN sanctions panel")
    assert matches("launch", "North Korea launched a missile")
    assert matches('"Kim Yo Jong"', "Kim Yo-jong's statement slams Seoul")
    assert not matches("rok", "Brokers rally in Seoul")  # words start where a word starts


def test_a_name_matches_its_alias_in_the_other_language() -> None:
    assert matches("김여정", "Kim Yo Jong warns Seoul over leaflets")
    assert matches('"Kim Yo Jong"', "김여정, 대북전단 비난")
    assert matches("합참", "JCS says the missile flew 600 km")
    assert matches("JCS", "합동참모본부는 이날")
    assert matches("김정은", "Kim Jong Un inspects a factory")
    assert matches("북한", "DPRK foreign ministry statement")
    assert matches("north korea", "북한 외무성 담화")


def test_every_word_must_appear_but_a_phrase_keeps_its_order() -> None:
    assert matches("satellite launch", "N. Korea launches spy satellite")
    assert not matches("satellite launch", "N. Korea's spy satellite photos")
    assert matches('"satellite launch"', "A satellite launch is imminent")
    assert not matches('"satellite launch"', "It will launch a satellite")
    # Words of the phrase and its aliases in either language: 위성 … 발사 in Korean.
    assert matches("satellite launch", "북한, 정찰위성 발사 통보")


def test_regex_metacharacters_are_plain_text() -> None:
    assert matches("U.S.-ROK", "U.S.-ROK drills begin")
    assert not matches("U.S.-ROK", "US ROK")  # "u s rok" as words, not a pattern
    assert matches("a+b", "A+B summit")  # the same words
    assert not matches("a+b", "aab")
    assert matches("[김여정]", "김여정 담화")


def test_short_aliases_and_bare_surnames_are_not_used() -> None:
    table = build_alias_table(
        concept_lines("LEE_JAE_MYUNG | lee jae myung; lee | 이재명; 李\nJCS | jcs | 합참\n", "test")
    )
    assert aliases_of("이재명", table) == ("이재명", "lee jae myung")
    assert aliases_of("jcs", table) == ("jcs", "합참")
    assert aliases_of("lee", table) == ("lee", "lee jae myung", "이재명")
    assert not matches("이재명", "Lee Jun-seok speaks")


def test_a_line_whose_concept_is_left_out_gives_no_aliases() -> None:
    text = "LAUNCH | launch; fire | 발사\nKIM_YO_JONG | kim yo jong | 김여정\n"
    table = build_alias_table(concept_lines(text, "test"), frozenset({"LAUNCH"}))
    assert aliases_of("launch", table) == ("launch",)
    assert aliases_of("김여정", table) == ("김여정", "kim yo jong")


@pytest.mark.parametrize("word", ["launch", "fire", "북한군", "humanitarian", "인도", "강제"])
def test_words_clustering_equates_are_no_aliases_for_readers(word: str) -> None:
    # "fire" is a launch and 북한군 troops to the clusterer, not to someone who follows
    # them; "humanitarian" ↔ 인도 would also find every story about India.
    assert other_names(word) == ()


def test_every_concept_left_out_is_one_the_gazetteer_has() -> None:
    listed = (Path(aliases.__file__).parent / "data" / "not_aliases.txt").read_text("utf-8")
    names = [line.strip() for line in listed.splitlines() if line.strip()[:1] not in ("", "#")]
    concepts = {line.concepts[0] for line in gazetteer_lines()}
    assert names and set(names) <= concepts


def test_a_name_typed_as_plain_words_matches_across_languages() -> None:
    assert matches("Kim Yo Jong", "김여정, 담화 발표")
    assert matches("north korea", "북한 외무성 담화")
    assert matches("Kim Yo Jong", "Jong and Yo met Kim")  # still: all the words, anywhere


# ---------------------------------------------------------------------------- breadth


@pytest.mark.parametrize("text", ["the", "The said", "North Korea", "北", "a of"])
def test_stop_words_and_single_characters_are_too_broad_by_their_words(text: str) -> None:
    assert broad_by_words(parse_follow(text))


@pytest.mark.parametrize("text", ["김여정", "the launch", '"Kim Yo Jong"', "JCS"])
def test_a_follow_with_one_telling_word_is_not(text: str) -> None:
    assert not broad_by_words(parse_follow(text))


def test_the_estimate_counts_stories_not_items() -> None:
    launch = launch_reports()  # three outlets, one story
    rate = rate_decision()
    day = build_stories([*launch, rate], now=NOW)
    assert len(day) == 2
    assert stories_matching(FollowMatcher.of(parse_follow("ballistic missile")), day) == 1
    assert stories_matching(FollowMatcher.of(parse_follow("korea")), day) == 2
    assert stories_matching(FollowMatcher.of(parse_follow("김여정")), day) == 0
