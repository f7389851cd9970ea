"""The extractive summarizer: what comes back, how many, and what is left out."""

from __future__ import annotations

from pathlib import Path

import nltk  # type: ignore[import-untyped]
import pytest
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers._summarizer import AbstractSummarizer

from bot.articles.sentences import split_sentences
from bot.articles.summarize import (
    NewsStemmer,
    NewsSummarizer,
    NewsTokenizer,
    SummarizerSettings,
    default_sentence_count,
    is_boilerplate,
    is_near_duplicate,
    news_stop_words,
    prepare,
    summarize,
)
from bot.models import SummaryLength

DATA = Path(__file__).parent / "data" / "summarize"
ENGLISH = (DATA / "en_missile.txt").read_text(encoding="utf-8")
KOREAN = (DATA / "ko_missile.txt").read_text(encoding="utf-8")


def test_summary_is_whole_sentences_of_the_article_in_article_order() -> None:
    sentences = split_sentences(ENGLISH, "en")
    summary = summarize(ENGLISH, language="en")
    assert summary
    assert all(sentence in sentences for sentence in summary)
    positions = [sentences.index(sentence) for sentence in summary]
    assert positions == sorted(positions)


def test_summary_starts_with_the_lead() -> None:
    summary = summarize(ENGLISH, language="en")
    assert summary[0].startswith("SEOUL, Aug. 20 (Yonhap) -- North Korea fired two")


def test_korean_article_gives_korean_sentences_without_the_byline() -> None:
    summary = summarize(KOREAN, language="ko")
    assert (
        summary[0]
        == "북한이 20일 오전 동해상으로 단거리 탄도미사일 2발을 발사했다고 합동참모본부가 밝혔다."
    )
    assert all(sentence in split_sentences(KOREAN, "ko") for sentence in summary)
    assert all("기자 =" not in sentence for sentence in summary)


@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "en"), (KOREAN, "ko")])
def test_boilerplate_is_never_chosen(text: str, language: str) -> None:
    everything = summarize(text, language=language, max_sentences=50)
    assert len(everything) < len(split_sentences(text, language))
    for marker in ("Copyright", "(END)", "@", "newsletter", "photo", "무단", "사진"):
        assert all(marker not in sentence for sentence in everything), marker


@pytest.mark.parametrize(
    "line",
    [
        "Copyright 2024 Yonhap News Agency. All rights reserved.",
        "(END)",
        "hong@yna.co.kr",
        "Click here to subscribe to our newsletter.",
        "This file photo shows a missile launch.",
        "(Reporting by Josh Smith; Editing by Ed Davies)",
        "(서울=연합뉴스) 홍길동 기자 =",
        "홍길동 기자",
        "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>",
        "북한이 발사한 미사일 [조선중앙통신 연합뉴스 자료사진]",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "sentence",
    [
        "North Korea fired a missile on Tuesday, the JCS said.",
        "The U.S. Secretary of State met reporters in Seoul.",
        "북한이 20일 미사일을 발사했다고 합동참모본부가 밝혔다.",
        "기자회견에서 통일부 장관은 대화를 제안했다.",
    ],
)
def test_news_sentences_are_not_boilerplate(sentence: str) -> None:
    assert not is_boilerplate(sentence)


@pytest.mark.parametrize(
    ("candidates", "short", "standard", "long"),
    [
        (0, 0, 0, 0),
        (1, 1, 1, 1),
        (3, 1, 1, 1),
        (4, 2, 2, 2),
        (7, 2, 3, 3),
        (12, 2, 3, 4),
        (15, 2, 3, 5),
        (200, 2, 3, 5),
    ],
)
def test_default_count_follows_the_preference_and_the_article(
    candidates: int, short: int, standard: int, long: int
) -> None:
    counts = [default_sentence_count(candidates, length) for length in SummaryLength]
    assert counts == [short, standard, long]


def test_a_long_article_gets_the_readers_count_not_more() -> None:
    # 11 candidate sentences: room for 4, so the preference decides.
    counts = {length: len(summarize(ENGLISH, length=length)) for length in SummaryLength}
    assert counts == {SummaryLength.SHORT: 2, SummaryLength.STANDARD: 3, SummaryLength.LONG: 4}


def test_a_short_article_gets_fewer_sentences() -> None:
    text = (
        "North Korea fired a ballistic missile into the East Sea on Sunday, the JCS said. "
        "It flew about 600 kilometers before splashing down. "
        "Japan lodged a protest through diplomatic channels. "
        "The launch was the North's first this year."
    )
    assert len(summarize(text, length=SummaryLength.LONG)) == 2


def test_max_sentences_sets_the_count() -> None:
    assert len(summarize(ENGLISH, max_sentences=1)) == 1
    assert len(summarize(ENGLISH, max_sentences=5)) == 5


def test_max_sentences_below_one_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_sentences"):
        summarize(ENGLISH, max_sentences=0)


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_gives_an_empty_summary(text: str) -> None:
    assert summarize(text) == []


def test_one_sentence_text_is_its_own_summary() -> None:
    assert summarize("North Korea fired a missile on Tuesday.") == [
        "North Korea fired a missile on Tuesday."
    ]


@pytest.mark.parametrize("text", ["Copyright 2024 Yonhap News Agency.\n(END)", "홍길동 기자"])
def test_text_of_only_boilerplate_gives_an_empty_summary(text: str) -> None:
    assert summarize(text) == []


def test_text_in_capitals_still_gets_a_summary() -> None:
    # sumy's parser takes all-capitals lines for headings.
    assert summarize("NORTH KOREA FIRES MISSILE") == ["NORTH KOREA FIRES MISSILE"]


def test_title_pulls_in_the_sentence_it_matches() -> None:
    title = "Kim Jong-un absent from public view for nine days"
    without = summarize(ENGLISH, max_sentences=3)
    with_title = summarize(ENGLISH, max_sentences=3, title=title)
    matching = (
        "Kim Jong-un has not appeared in public for nine days, according to the Unification "
        "Ministry."
    )
    assert matching not in without
    assert matching in with_title


def test_duplicate_sentences_are_not_both_chosen() -> None:
    repeated = "North Korea fired two ballistic missiles into the East Sea on Tuesday."
    text = "\n".join(
        [
            repeated,
            "The launch came as allied drills began, officials in Seoul said.",
            repeated,
            "Japan's defense ministry said the missiles fell outside its waters.",
            "North Korea fired two ballistic missiles into the East Sea on Tuesday, the JCS said.",
            "China urged all sides to show restraint.",
        ]
    )
    summary = summarize(text, max_sentences=4)
    assert summary.count(repeated) == 1
    assert sum("fired two ballistic missiles" in sentence for sentence in summary) == 1


def test_very_long_input_is_summarized() -> None:
    # Its speed is measured by benchmarks/summary_speed.py (the 70,000-word row).
    text = "\n".join([ENGLISH] * 250)  # ~70,000 words, ~4,000 sentences
    summary = summarize(text, length=SummaryLength.LONG)
    assert len(summary) == 5
    assert len(set(summary)) == 5


def test_summarizer_is_a_sumy_summarizer_over_a_parsed_document() -> None:
    tokenizer = NewsTokenizer("en")
    document = PlaintextParser.from_string(ENGLISH.replace("\n", "\n\n"), tokenizer).document
    summarizer = NewsSummarizer(NewsStemmer(), stop_words=news_stop_words())
    assert isinstance(summarizer, AbstractSummarizer)
    chosen = summarizer(document, 2)
    assert [str(sentence) for sentence in chosen] == summarize(ENGLISH, max_sentences=2)


def test_tokenizer_keeps_acronyms_and_drops_numbers() -> None:
    words = NewsTokenizer("en").to_words("The U.S. and inter-Korean talks on Aug. 20, 2024.")
    assert words == ("The", "U.S", "and", "inter", "Korean", "talks", "on", "Aug")


def test_punkt_data_is_never_needed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])

    def no_punkt(*args: object, **kwargs: object) -> None:
        raise AssertionError("NLTK tokenizer used")

    monkeypatch.setattr(nltk.tokenize, "PunktTokenizer", no_punkt)
    monkeypatch.setattr(nltk, "sent_tokenize", no_punkt)
    monkeypatch.setattr(nltk, "word_tokenize", no_punkt)
    with pytest.raises(LookupError):
        nltk.data.find("tokenizers/punkt_tab")
    assert summarize(ENGLISH, language="en")
    assert summarize(KOREAN, language="ko")


# A wire story as a page gives it: the photo caption under the lead restates the lead in
# fewer words, with nothing that marks it as a caption.
RESTATED = "\n".join(
    [
        "North Korea fired two short-range ballistic missiles into the East Sea on Tuesday "
        "morning, South Korea's Joint Chiefs of Staff said, days after Seoul and Washington "
        "began their summer exercise.",
        "North Korea fires two short-range ballistic missiles into East Sea.",
        "The missiles flew about 400 kilometers from the Sunan area of Pyongyang.",
        "It was the North's fifth launch this month.",
        "Japan's defence ministry said they fell outside its exclusive economic zone.",
        "Pyongyang calls the allies' drills a rehearsal for invasion.",
        "The U.S. military said the launch posed no immediate threat to its territory.",
    ]
)


def test_a_caption_restating_the_lead_is_not_a_second_sentence() -> None:
    for length in SummaryLength:
        summary = summarize(RESTATED, length=length)
        assert sum("short-range ballistic missiles" in s for s in summary) == 1, length


def test_near_duplicates_are_told_by_containment_not_only_cosine() -> None:
    summarizer, document = prepare(RESTATED, "en")
    ranking = summarizer.rank(document)
    lead, caption = ranking.terms[0], ranking.terms[1]
    # The caption's words are all in the lead, yet the two are not cosine-similar enough
    # for the cosine rule alone to catch them.
    assert ranking.similarity[0, 1] < SummarizerSettings().duplicate_similarity
    assert is_near_duplicate(lead, caption, SummarizerSettings().duplicate_containment)
    third = ranking.terms[2]
    assert not is_near_duplicate(lead, third, SummarizerSettings().duplicate_containment)


def test_korean_lead_is_always_kept() -> None:
    for length in SummaryLength:
        summary = summarize(KOREAN, language="ko", length=length)
        assert summary[0].startswith("북한이 20일 오전 동해상으로"), length


def test_subheadings_are_not_summary_sentences() -> None:
    text = "\n".join(
        [
            "㈜한빛테크",
            "경기도 수원에 자리 잡은 반도체 장비 기업 한빛테크가 올해 수출 1억 달러를 넘어섰다.",
            "회사는 지난해보다 수출이 40% 늘었다고 밝혔다.",
            "해외 시장 개척",
            "한빛테크는 베트남과 인도에 현지 법인을 세우고 영업망을 넓히고 있다.",
            "김민수 대표는 내년에 미국 공장을 착공할 계획이라고 말했다.",
            "기술 인력 확보",
            "회사는 올해 연구 인력 120명을 새로 뽑았다.",
        ]
    )
    summary = summarize(text, language="ko", length=SummaryLength.LONG)
    assert summary
    assert not {"㈜한빛테크", "해외 시장 개척", "기술 인력 확보"} & set(summary)
    assert summary[0].startswith("경기도 수원에")


def test_a_text_of_headings_alone_still_gets_a_summary() -> None:
    assert summarize("Missile launch\nAllies respond") == ["Missile launch"]
