"""Sentence splitting of English and Korean news text."""

from __future__ import annotations

import pytest

from bot.articles.sentences import split_sentences

ENGLISH_CASES = [
    pytest.param(
        "U.S. Secretary of State Antony Blinken met Foreign Minister Cho Tae-yul in Seoul. "
        "They discussed the North.",
        [
            "U.S. Secretary of State Antony Blinken met Foreign Minister Cho Tae-yul in Seoul.",
            "They discussed the North.",
        ],
        id="acronym-before-name",
    ),
    pytest.param(
        "Dr. Kim and Mr. Lee met Mrs. Park, Ms. Choi and Prof. Yoon. The talks ended.",
        ["Dr. Kim and Mr. Lee met Mrs. Park, Ms. Choi and Prof. Yoon.", "The talks ended."],
        id="personal-titles",
    ),
    pytest.param(
        "Gen. Paul LaCamera, Lt. Gen. Kim, Col. Park and Sgt. Lee attended. "
        "Rep. Joe Wilson, Sen. Ed Markey, Gov. Kim and Amb. Philip Goldberg spoke.",
        [
            "Gen. Paul LaCamera, Lt. Gen. Kim, Col. Park and Sgt. Lee attended.",
            "Rep. Joe Wilson, Sen. Ed Markey, Gov. Kim and Amb. Philip Goldberg spoke.",
        ],
        id="ranks-and-offices",
    ),
    pytest.param(
        "He lives on St. Mark's Place. Martin Luther King Jr. spoke. Kim Sr. was absent.",
        ["He lives on St. Mark's Place.", "Martin Luther King Jr. spoke.", "Kim Sr. was absent."],
        id="saint-junior-senior",
    ),
    pytest.param(
        "Samsung Electronics Co. Chairman Lee Jae-yong, Hyundai Motor Corp. and LG Ltd. "
        "attended with Apple Inc. executives. The deal was signed.",
        [
            "Samsung Electronics Co. Chairman Lee Jae-yong, Hyundai Motor Corp. and LG Ltd. "
            "attended with Apple Inc. executives.",
            "The deal was signed.",
        ],
        id="company-suffixes",
    ),
    pytest.param(
        "He signed with Samsung Electronics Co. The deal is worth $3 billion.",
        ["He signed with Samsung Electronics Co.", "The deal is worth $3 billion."],
        id="company-suffix-ends-sentence",
    ),
    pytest.param(
        "It is the No. 2 official. Nos. 3 and 4 were absent. It was Korea vs. Japan.",
        ["It is the No. 2 official.", "Nos. 3 and 4 were absent.", "It was Korea vs. Japan."],
        id="number-and-versus",
    ),
    pytest.param(
        "They sent food, medicine, etc. to the North. Some items, e.g. rice, i.e. the staple, "
        "arrived in approx. 30 trucks.",
        [
            "They sent food, medicine, etc. to the North.",
            "Some items, e.g. rice, i.e. the staple, arrived in approx. 30 trucks.",
        ],
        id="etc-eg-ie-approx",
    ),
    pytest.param(
        "The drill runs from Aug. 19 to Sept. 1. Talks resume on Jan. 5 and Dec. 20.",
        ["The drill runs from Aug. 19 to Sept. 1.", "Talks resume on Jan. 5 and Dec. 20."],
        id="month-abbreviations",
    ),
    pytest.param(
        "Kim Jong-un received J. Smith and A. B. Jones in Pyongyang. The meeting lasted an hour.",
        [
            "Kim Jong-un received J. Smith and A. B. Jones in Pyongyang.",
            "The meeting lasted an hour.",
        ],
        id="initials",
    ),
    pytest.param(
        "N. Korea fired a missile. S. Korea responded. The U.N. Security Council met.",
        ["N. Korea fired a missile.", "S. Korea responded.", "The U.N. Security Council met."],
        id="n-korea-s-korea-un",
    ),
    pytest.param(
        "The U.S.-South Korea alliance is strong. It is 70 years old.",
        ["The U.S.-South Korea alliance is strong.", "It is 70 years old."],
        id="hyphenated-acronym",
    ),
    pytest.param(
        "The talks were held in the U.S. The two sides agreed to meet again.",
        ["The talks were held in the U.S.", "The two sides agreed to meet again."],
        id="acronym-ends-sentence-before-starter",
    ),
    pytest.param(
        "Growth slowed to 3.5 percent. The missile flew 1,100 km. It fell at 7 a.m. Tuesday.",
        [
            "Growth slowed to 3.5 percent.",
            "The missile flew 1,100 km.",
            "It fell at 7 a.m. Tuesday.",
        ],
        id="decimals-thousands-am",
    ),
    pytest.param(
        "He paused... and then spoke. It was over… The crowd left.",
        ["He paused... and then spoke.", "It was over…", "The crowd left."],
        id="ellipses",
    ),
    pytest.param(
        '"We will respond," he said. "It is a provocation." The ministry agreed.',
        ['"We will respond," he said.', '"It is a provocation."', "The ministry agreed."],
        id="quote-closes-after-period",
    ),
    pytest.param(
        "The paper called it “a rehearsal for invasion.” Seoul rejected the claim.",
        ["The paper called it “a rehearsal for invasion.”", "Seoul rejected the claim."],
        id="curly-quotes",
    ),
    pytest.param(
        "“Why now?” he asked. 'Is it over?' she said. Officials declined to comment!",
        ["“Why now?” he asked.", "'Is it over?' she said.", "Officials declined to comment!"],
        id="question-inside-quote",
    ),
    pytest.param(
        "The agency (KCNA) said so. (The statement was issued late.) Seoul said nothing.",
        ["The agency (KCNA) said so.", "(The statement was issued late.)", "Seoul said nothing."],
        id="parentheses",
    ),
    pytest.param(
        "SEOUL, Aug. 20 (Yonhap) -- North Korea fired a missile on Tuesday. It flew 400 km.",
        ["SEOUL, Aug. 20 (Yonhap) -- North Korea fired a missile on Tuesday.", "It flew 400 km."],
        id="dateline",
    ),
    pytest.param(
        "The talks ended without a deal. 2024 was a tense year.",
        ["The talks ended without a deal.", "2024 was a tense year."],
        id="sentence-starting-with-number",
    ),
    pytest.param(
        "First paragraph without a period\nSecond paragraph. Its second sentence.\n\nThird",
        [
            "First paragraph without a period",
            "Second paragraph.",
            "Its second sentence.",
            "Third",
        ],
        id="newlines-are-boundaries",
    ),
    pytest.param("He said so. (END)", ["He said so.", "(END)"], id="end-marker"),
]

KOREAN_CASES = [
    pytest.param(
        "북한이 미사일을 발사했다. 합참은 대비태세를 강화했다고 밝혔다.",
        ["북한이 미사일을 발사했다.", "합참은 대비태세를 강화했다고 밝혔다."],
        id="da-period",
    ),
    pytest.param(
        "왜 지금 쐈을까? 전문가들은 대선을 겨냥한 것으로 본다. 정말 그럴까요? 두고 봐야죠.",
        [
            "왜 지금 쐈을까?",
            "전문가들은 대선을 겨냥한 것으로 본다.",
            "정말 그럴까요?",
            "두고 봐야죠.",
        ],
        id="questions-and-yo",
    ),
    pytest.param(
        "성장률은 3.5%였다. 미사일은 약 1,100㎞를 날았다. 20일 오후 회의가 열렸다.",
        ["성장률은 3.5%였다.", "미사일은 약 1,100㎞를 날았다.", "20일 오후 회의가 열렸다."],
        id="decimals-and-digit-after-period",
    ),
    pytest.param(
        "U.S. 국무부와 U.N. 안보리는 성명을 냈다. Mr. 김은 Dr. Kim과 만났다.",
        ["U.S. 국무부와 U.N. 안보리는 성명을 냈다.", "Mr. 김은 Dr. Kim과 만났다."],
        id="english-abbreviations-in-korean",
    ),
    pytest.param(
        '합참은 "비행거리는 약 400㎞"라고 밝혔다. 이어 "추가 도발에 대비하겠다."고 말했다.',
        ['합참은 "비행거리는 약 400㎞"라고 밝혔다.', '이어 "추가 도발에 대비하겠다."고 말했다.'],
        id="quotes",
    ),
    pytest.param(
        "최태원 “동거인에 6억 지출… 1000억 증여 주장 허위”라고 밝혔다. 재판은 18일 열린다.",
        ["최태원 “동거인에 6억 지출… 1000억 증여 주장 허위”라고 밝혔다.", "재판은 18일 열린다."],
        id="ellipsis-mid-sentence",
    ),
    pytest.param(
        "(서울=연합뉴스) 홍길동 기자 = 북한이 20일 미사일을 발사했다. 올해 다섯 번째다.",
        ["(서울=연합뉴스) 홍길동 기자 =", "북한이 20일 미사일을 발사했다.", "올해 다섯 번째다."],
        id="yonhap-byline",
    ),
    pytest.param(
        "[워싱턴=뉴시스] 김철수 특파원 = 미국 국무부가 성명을 냈다.",
        ["[워싱턴=뉴시스] 김철수 특파원 =", "미국 국무부가 성명을 냈다."],
        id="correspondent-byline",
    ),
    pytest.param(
        "회담의 주요 의제는 ▲비핵화 ▲평화체제 ▲관계 개선 등이다.\n▲ 비핵화: 합의 없음\n◆ 평화체제",
        [
            "회담의 주요 의제는 ▲비핵화 ▲평화체제 ▲관계 개선 등이다.",
            "▲ 비핵화: 합의 없음",
            "◆ 평화체제",
        ],
        id="bullets",
    ),
    pytest.param(
        "회의는 끝났다. ▲ 다음 회의는 내달 열린다.",
        ["회의는 끝났다.", "▲ 다음 회의는 내달 열린다."],
        id="bullet-after-sentence",
    ),
    pytest.param(
        "북한이 미사일을 발사했다.\n홍길동 기자\nhong@yna.co.kr",
        ["북한이 미사일을 발사했다.", "홍길동 기자", "hong@yna.co.kr"],
        id="signature-lines",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH_CASES)
def test_english_sentences_split_exactly(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(("text", "expected"), KOREAN_CASES)
def test_korean_sentences_split_exactly(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "ko") == expected


def test_language_is_guessed_from_hangul() -> None:
    text = "(서울=연합뉴스) 홍길동 기자 = 북한이 미사일을 발사했다."
    assert split_sentences(text) == split_sentences(text, "ko")


def test_english_text_keeps_a_bracketed_lead() -> None:
    text = "(Seoul=Yonhap) Officials said so. They left."
    assert split_sentences(text) == ["(Seoul=Yonhap) Officials said so.", "They left."]


def test_sentences_are_exact_slices_of_the_input() -> None:
    text = "  First  one.   Second\tone!  \n\n  Third one?  "
    sentences = split_sentences(text)
    assert sentences == ["First  one.", "Second\tone!", "Third one?"]
    assert all(sentence in text for sentence in sentences)


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_nine_thousand_words_split_into_the_same_whole_sentences() -> None:
    # Its speed is measured by benchmarks/summary_speed.py ("split ms").
    sentences = [
        "SEOUL, Aug. 20 (Yonhap) -- N. Korea fired two missiles, the U.S. military said.",
        "Dr. Kim said the missile flew 1,100 km at 3.5 times the speed of sound.",
        '"We will respond," Gen. Paul LaCamera said.',
        "북한이 미사일을 발사했다.",
    ]
    paragraph = " ".join(sentences)
    repeats = 9_000 // len(paragraph.split()) + 1
    assert split_sentences("\n".join([paragraph] * repeats)) == sentences * repeats


def test_quoted_speech_of_several_sentences_stays_one_sentence() -> None:
    # As Korean papers write it (Chosun, 2025-10-29), curly quotes and Yonhap's straight ones.
    curly = (
        "트럼프 대통령은 밝혔다. 기자들과 만나 “모르겠다. 그는 수십년간 발사해왔다”고 말했다. "
        "끝으로 덧붙였다."
    )
    assert split_sentences(curly, "ko") == [
        "트럼프 대통령은 밝혔다.",
        "기자들과 만나 “모르겠다. 그는 수십년간 발사해왔다”고 말했다.",
        "끝으로 덧붙였다.",
    ]
    straight = '정부는 "만전을 기하겠다. 피해는 없다"고 밝혔다. 다음 문장이다.'
    assert split_sentences(straight, "ko") == [
        '정부는 "만전을 기하겠다. 피해는 없다"고 밝혔다.',
        "다음 문장이다.",
    ]
    english = "He said: “We will go. We are ready.” Then he left."
    assert split_sentences(english, "en") == [
        "He said: “We will go. We are ready.”",
        "Then he left.",
    ]


def test_a_quote_never_closed_on_the_line_holds_nothing() -> None:
    text = "A “stray mark. Then a sentence. And another one."
    assert split_sentences(text, "en") == ["A “stray mark.", "Then a sentence.", "And another one."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '"Officers were grieving," said Officer Morales, a police spokesman."They will '
            'do so for some time."',
            [
                '"Officers were grieving," said Officer Morales, a police spokesman."',
                'They will do so for some time."',
            ],
            id="straight-quote",
        ),
        pytest.param(
            "“We will respond firmly,” the minister said.”However, talks remain open.",
            ["“We will respond firmly,” the minister said.”", "However, talks remain open."],
            id="curly-quote",
        ),
        pytest.param(
            'He called it a "provocation." The ministry agreed.',
            ['He called it a "provocation."', "The ministry agreed."],
            id="spaced-quote-unchanged",
        ),
    ],
)
def test_a_quote_glued_to_the_next_sentence_is_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


def test_a_glued_quote_before_a_lowercase_word_or_an_acronym_stays_whole() -> None:
    text = 'He said "U.S."-led drills and "no."that was all.'
    assert split_sentences(text, "en") == [text]


def test_a_korean_reporters_name_and_email_split_from_the_lead() -> None:
    text = (
        "▲ 노조원들이 도청 앞에서 구호를 외치고 있다. 홍승남 기자 nam1432@kihoilbo.co.kr "
        "민주노총 경기지부는 10일 도청 앞에서 기자회견을 열었다. 이들은 생활임금 적용을 촉구했다."
    )
    assert split_sentences(text, "ko") == [
        "▲ 노조원들이 도청 앞에서 구호를 외치고 있다.",
        "홍승남 기자 nam1432@kihoilbo.co.kr",
        "민주노총 경기지부는 10일 도청 앞에서 기자회견을 열었다.",
        "이들은 생활임금 적용을 촉구했다.",
    ]
