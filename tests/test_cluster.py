"""Story clustering: which items become one story, which stay apart, and the data it reads."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.news.clustering import ClusterInput, cluster
from bot.news.clustering.concepts import gazetteer, parse_concepts
from bot.news.clustering.datafiles import (
    english_stop_words,
    korean_particles,
    korean_stop_bigrams,
    parse_words,
)
from bot.news.clustering.reference import parse_reference, reference

DATA = Path(__file__).parent / "data" / "clusters.jsonl"
LAUNCH = datetime.fromisoformat("2026-03-09T07:40:00+09:00")


def item(
    key: str,
    title: str,
    text: str = "",
    *,
    source: str,
    language: str = "en",
    hours: float = 0.0,
    dated: bool = True,
) -> ClusterInput:
    published = LAUNCH + timedelta(hours=hours) if dated else None
    return ClusterInput(key, title, text, language, published, source)


YONHAP_LAUNCH = item(
    "yna/launch",
    "N. Korea fires 2 short-range ballistic missiles into East Sea: JCS",
    "North Korea fired two short-range ballistic missiles into the East Sea on Monday "
    "morning, the Joint Chiefs of Staff said. The missiles flew about 600 kilometers.",
    source="Yonhap",
    hours=0.5,
)
REUTERS_LAUNCH = item(
    "reuters/launch",
    "North Korea fires ballistic missiles as U.S., South Korea start drills",
    "North Korea launched two short-range ballistic missiles off its east coast on Monday, "
    "South Korea's military said. Japan said they fell outside its economic zone.",
    source="Reuters",
    hours=0.8,
)
AP_LAUNCH = item(
    "ap/launch",
    "North Korea test-launches 2 missiles into the sea",
    "North Korea fired a pair of short-range ballistic missiles toward its eastern waters "
    "Monday, South Korea's military said, its first launch in a week.",
    source="AP",
    hours=1.2,
)
YONHAP_KO_LAUNCH = item(
    "yna-ko/launch",
    "북, 동해상으로 단거리탄도미사일 2발 발사…약 600㎞ 비행",
    "북한이 9일 오전 동해상으로 단거리탄도미사일 2발을 발사했다고 합동참모본부가 밝혔다. "
    "미사일은 약 600㎞를 비행했다.",
    source="연합뉴스",
    language="ko",
    hours=0.3,
)
SANCTIONS_REPORT = item(
    "reuters/sanctions",
    "North Korean missiles used in Ukraine relied on foreign parts, sanctions monitors say",
    "A multinational sanctions monitoring team said in a report that ballistic missiles "
    "North Korea sent to Russia contained dozens of electronic components made abroad.",
    source="Reuters",
    hours=3.0,
)
YONHAP_CRUISE = item(
    "yna/cruise",
    "N. Korea fires several cruise missiles into Yellow Sea: JCS",
    "North Korea fired several cruise missiles into the Yellow Sea on Tuesday afternoon, a "
    "day after launching short-range ballistic missiles, the Joint Chiefs of Staff said.",
    source="Yonhap",
    hours=31.0,
)
REUTERS_CRUISE = item(
    "reuters/cruise",
    "North Korea fires cruise missiles into sea off west coast, Seoul says",
    "North Korea launched several cruise missiles into the sea off its west coast on "
    "Tuesday, South Korea's Joint Chiefs of Staff said.",
    source="Reuters",
    hours=31.5,
)
YONHAP_KIM_SHIPYARD = item(
    "yna/shipyard",
    "N. Korean leader inspects construction of new destroyer at Nampho shipyard",
    "North Korean leader Kim Jong-un inspected the construction of a third 5,000-ton "
    "destroyer in Nampho, state media said, calling for faster arming of the navy.",
    source="Yonhap",
    hours=2.0,
)


def group_of(groups: list[list[str]], key: str) -> list[str]:
    return next(group for group in groups if key in group)


def test_three_outlets_reporting_one_launch_make_one_story() -> None:
    groups = cluster([AP_LAUNCH, REUTERS_LAUNCH, YONHAP_LAUNCH])
    assert groups == [["yna/launch", "reuters/launch", "ap/launch"]]  # earliest first


def test_launch_and_sanctions_report_the_same_day_stay_apart() -> None:
    groups = cluster([YONHAP_LAUNCH, REUTERS_LAUNCH, AP_LAUNCH, SANCTIONS_REPORT])
    assert group_of(groups, "reuters/sanctions") == ["reuters/sanctions"]
    assert len(group_of(groups, "yna/launch")) == 3


def test_one_outlets_stories_of_two_launches_stay_apart() -> None:
    # Two launches a day apart; each outlet's two stories are alike enough that, without
    # the rule against merging one outlet's different stories, all four become one.
    groups = cluster([YONHAP_LAUNCH, YONHAP_CRUISE, REUTERS_LAUNCH, REUTERS_CRUISE])
    assert groups == [["yna/launch", "reuters/launch"], ["yna/cruise", "reuters/cruise"]]


def test_one_outlets_unrelated_story_the_same_day_stays_alone() -> None:
    groups = cluster([YONHAP_LAUNCH, YONHAP_KIM_SHIPYARD, REUTERS_LAUNCH])
    assert group_of(groups, "yna/shipyard") == ["yna/shipyard"]


def test_an_outlets_update_of_its_own_story_joins_it() -> None:
    urgent = item(
        "yna/urgent",
        "(URGENT) N. Korea fires ballistic missile toward East Sea: JCS",
        "North Korea fired an unidentified ballistic missile toward the East Sea on Monday, "
        "the Joint Chiefs of Staff said.",
        source="Yonhap",
        hours=0.1,
    )
    assert cluster([urgent, YONHAP_LAUNCH]) == [["yna/urgent", "yna/launch"]]


def test_english_and_korean_reports_of_one_launch_merge() -> None:
    groups = cluster([YONHAP_LAUNCH, YONHAP_KO_LAUNCH, SANCTIONS_REPORT])
    assert group_of(groups, "yna/launch") == ["yna-ko/launch", "yna/launch"]


def test_a_wires_flash_and_its_reworded_updates_are_one_story() -> None:
    flash = item(
        "yna/1", "[속보] 북한, 동해상으로 탄도미사일 발사", source="연합뉴스", language="ko"
    )
    roundup = item(
        "yna/2",
        "북한, 석 달 만에 탄도미사일 발사…한미훈련 앞두고 무력시위(종합)",
        "북한이 22일 오전 동해상으로 단거리 탄도미사일 수 발을 발사했다고 합동참모본부가 밝혔다.",
        source="연합뉴스",
        language="ko",
        hours=0.6,
    )
    second = item(
        "yna/3",
        '합참 "北 미사일 350㎞ 비행…정밀 분석 중"(종합2보)',
        "합동참모본부는 북한이 쏜 단거리탄도미사일이 약 350㎞를 비행했다고 밝혔다.",
        source="연합뉴스",
        language="ko",
        hours=1.8,
    )
    assert cluster([second, flash, roundup]) == [["yna/1", "yna/2", "yna/3"]]


@pytest.mark.parametrize(
    ("english", "korean"),
    [
        (
            (
                "Special counsel questions Kim Keon-hee for fourth time since arrest",
                "Former first lady Kim Keon-hee appeared before the special counsel team on "
                "Monday for her fourth round of questioning since she was arrested.",
            ),
            (
                "김건희, 구속 후 네 번째 특검 조사 출석",
                "김건희 여사가 25일 구속 후 네 번째로 민중기 특별검사팀 조사에 출석했다.",
            ),
        ),
        (
            (
                "Lee, Trump hold first summit at White House",
                "President Lee Jae Myung and U.S. President Donald Trump held their first "
                "summit in Washington on Monday.",
            ),
            (
                "이재명·트럼프, 백악관서 첫 정상회담",
                "이재명 대통령과 도널드 트럼프 미국 대통령이 25일 워싱턴 백악관에서 첫 "
                "정상회담을 했다.",
            ),
        ),
        (
            (
                "Putin meets N. Korean foreign minister Choe Son-hui in Moscow",
                "Russian President Vladimir Putin received North Korean Foreign Minister "
                "Choe Son-hui at the Kremlin on Monday.",
            ),
            (
                '푸틴, 北최선희 만나 "북러관계 계획대로 발전"',
                "블라디미르 푸틴 러시아 대통령이 27일 크렘린궁에서 최선희 북한 외무상을 접견했다.",
            ),
        ),
    ],
    ids=["kim-keon-hee", "lee-trump", "putin-choe"],
)
def test_english_and_korean_reports_naming_the_same_people_merge(
    english: tuple[str, str], korean: tuple[str, str]
) -> None:
    en = item("en/story", *english, source="Yonhap", hours=1.0)
    ko = item("ko/story", *korean, source="조선일보", language="ko", hours=0.5)
    assert cluster([en, ko]) == [["ko/story", "en/story"]]


def test_a_headlines_hanja_abbreviations_read_as_the_words_they_stand_for() -> None:
    headline = item(
        "chosun/raid", "美 이민단속에 韓 근로자 300명 구금", source="조선일보", language="ko"
    )
    report = item(
        "yna/raid",
        "미국 이민당국, 한국인 근로자 300여명 구금…정부 대응 착수",
        "미국 이민 당국이 조지아주 배터리 공장 건설 현장을 단속해 한국인 근로자 300여 명을 "
        "구금했다.",
        source="연합뉴스",
        language="ko",
        hours=1.0,
    )
    assert cluster([report, headline]) == [["chosun/raid", "yna/raid"]]


def test_the_same_story_a_week_later_is_a_new_story() -> None:
    week_later = replace(REUTERS_LAUNCH, key="reuters/launch-2", published=LAUNCH + timedelta(7))
    groups = cluster([YONHAP_LAUNCH, REUTERS_LAUNCH, week_later])
    assert groups == [["yna/launch", "reuters/launch"], ["reuters/launch-2"]]


def test_items_more_than_36_hours_apart_never_share_a_story() -> None:
    late = replace(REUTERS_LAUNCH, key="reuters/late", published=LAUNCH + timedelta(hours=40))
    near = replace(REUTERS_LAUNCH, key="reuters/near", published=LAUNCH + timedelta(hours=30))
    assert len(cluster([YONHAP_LAUNCH, late])) == 2
    assert len(cluster([YONHAP_LAUNCH, near])) == 1


def test_undated_items_can_join_and_come_last_in_their_story() -> None:
    undated = replace(AP_LAUNCH, published=None)
    assert cluster([undated, YONHAP_LAUNCH, REUTERS_LAUNCH]) == [
        ["yna/launch", "reuters/launch", "ap/launch"]
    ]


def test_stories_come_largest_first_then_earliest_first() -> None:
    groups = cluster([SANCTIONS_REPORT, YONHAP_KIM_SHIPYARD, AP_LAUNCH, YONHAP_LAUNCH])
    assert groups == [["yna/launch", "ap/launch"], ["yna/shipyard"], ["reuters/sanctions"]]


def test_empty_and_single_input() -> None:
    assert cluster([]) == []
    assert cluster([AP_LAUNCH]) == [["ap/launch"]]


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="unique keys"):
        cluster([AP_LAUNCH, AP_LAUNCH])


# --- the labelled set -------------------------------------------------------------------


def load_labelled() -> tuple[list[ClusterInput], dict[str, str], dict[str, str]]:
    """Items, key → gold event, key → split."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    items = [
        ClusterInput(
            r["key"],
            r["title"],
            r["text"],
            r["language"],
            datetime.fromisoformat(r["published"]),
            r["source"],
        )
        for r in rows
    ]
    return items, {r["key"]: r["cluster"] for r in rows}, {r["key"]: r["split"] for r in rows}


def test_every_item_is_in_exactly_one_group_whatever_the_input_order() -> None:
    items, _, _ = load_labelled()
    expected = cluster(items)
    assert sorted(key for group in expected for key in group) == sorted(i.key for i in items)
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster(shuffled) == expected


def test_pairwise_precision_and_recall_on_the_test_split_hold() -> None:
    """Measured at 88.4 % precision and 97.4 % recall (EN–KO recall 98.0 %) when written;
    92.5 %, 95.5 % and 96.0 % after tuning on real news (``benchmarks/clustering.py``).

    Pairs count when either item is in the test split; see benchmarks/clustering.py.
    """
    items, gold, split = load_labelled()
    predicted = {key: n for n, group in enumerate(cluster(items)) for key in group}
    found = true = both = cross_true = cross_both = 0
    language = {i.key: i.language for i in items}
    for a, b in combinations(gold, 2):
        if "test" not in (split[a], split[b]):
            continue
        same_gold, same_pred = gold[a] == gold[b], predicted[a] == predicted[b]
        found += same_pred
        true += same_gold
        both += same_gold and same_pred
        if language[a] != language[b]:
            cross_true += same_gold
            cross_both += same_gold and same_pred
    assert both / found >= 0.85
    assert both / true >= 0.94
    assert cross_both / cross_true >= 0.94


def test_a_days_two_thousand_items_gather_into_about_one_story_per_event() -> None:
    """Eleven outlets' copies of each labelled event: 76 stories for 69 events when written
    (78 after tuning on real news).

    How fast this runs is measured by ``benchmarks/clustering.py``, not asserted here.
    """
    items, gold, _ = load_labelled()
    rng = random.Random(1)
    day = [
        replace(
            i,
            key=f"{i.key}#{copy}",
            title=" ".join(w for w in i.title.split() if rng.random() > 0.2),
            source=f"{i.source} {copy}",
        )
        for copy in range(11)
        for i in items
    ][:2000]
    groups = cluster(day)
    assert sorted(key for group in groups for key in group) == sorted(i.key for i in day)
    assert len(groups) <= 1.25 * len(set(gold.values()))


# --- the data files ---------------------------------------------------------------------


def test_the_packaged_word_lists_and_gazetteer_load() -> None:
    assert "said" in english_stop_words()
    assert "북한" in korean_stop_bigrams()
    assert "에서는" in korean_particles()
    assert gazetteer().korean["탄도미사일"] == ("BALLISTIC_MISSILE", "MISSILE")


def test_a_bad_gazetteer_line_is_reported_with_its_file_and_line() -> None:
    text = "# comment\nMISSILE | missile | 미사일\n\nLAUNCH | launch, fire | 발사\n"
    with pytest.raises(DataFileError, match=r"^concepts\.txt: line 4: ") as caught:
        parse_concepts(text, "concepts.txt")
    assert caught.value.line == 4


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("MISSILE | missile", "expected 'CONCEPT"),
        ("missile | missile | 미사일", "not an upper-case CONCEPT_NAME"),
        (" | missile | 미사일", "no concept"),
        ("MISSILE | | ", "no English phrase and no Korean term"),
        ("MISSILE | Missile | 미사일", "not lower-case English words"),
        ("MISSILE | missile | missile", "not Korean"),
        ("LAUNCH | missiles | 발사", "already mapped to MISSILE on line 1"),
        ("LAUNCH | launch | 미사일", "already mapped to MISSILE on line 1"),
    ],
)
def test_gazetteer_lines_that_cannot_be_meant_are_refused(line: str, problem: str) -> None:
    with pytest.raises(DataFileError, match=rf"^gaz: line 2: .*{re.escape(problem)}"):
        parse_concepts(f"MISSILE | missile | 미사일\n{line}\n", "gaz")


def test_a_bad_word_in_a_word_list_is_reported_with_its_line() -> None:
    pattern = re.compile("[a-z]+")
    with pytest.raises(DataFileError, match=r"^stop\.txt: line 3: 'Seoul' is not a word"):
        parse_words("# words\nthe a\nof Seoul\n", "stop.txt", pattern, "a word")
    with pytest.raises(DataFileError, match=r"^stop\.txt: line 2: 'the' is already on line 1"):
        parse_words("the\nof the\n", "stop.txt", pattern, "a word")


def test_the_packaged_reference_frequencies_load() -> None:
    packaged = reference()
    assert packaged.documents > 1000
    assert 0 < packaged.frequency["MISSILE"] < packaged.documents


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("# header\n12\tMISSILE\n", 2, "expected 'documents: N' first"),
        ("documents: 10\n3 MISSILE\n", 2, "expected 'COUNT<TAB>TOKEN'"),
        ("documents: 10\nthree\tMISSILE\n", 2, "expected 'COUNT<TAB>TOKEN'"),
        ("documents: 10\n3\t#600km\n2\t#600km\n", 3, "'#600km' is listed twice"),
    ],
)
def test_a_bad_reference_line_is_reported_with_its_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(DataFileError, match=rf"^ref\.txt: line {line}: {re.escape(problem)}"):
        parse_reference(text, "ref.txt")
