from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from bot.articles.extract import article_from_plain_text, extract_article
from bot.articles.language import detect_language
from bot.errors import NoArticleText
from bot.models import Article
from bot.text import hangul_share

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def fixture_module(name: str) -> ModuleType:
    """Load a generator next to the fixtures (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, PAGES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def decode_korean_page(body: bytes) -> str:
    """Decode as the fetcher does when bot.articles.charset is there, else as CP949 directly."""
    try:
        from bot.articles.charset import decode_document
    except ImportError:
        return body.decode("cp949")
    text, _encoding = decode_document(body, None, "text/html")
    return str(text)


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Expected:
    file: str
    url: str
    title: str
    published: str
    source: str
    language: str
    extractor: str = "trafilatura"


YNA = Expected(
    "newspaper4k_yna_co_kr.html",
    "https://en.yna.co.kr/view/AEN20190820002300325?section=nk/nk",
    "N. Korea slams S. Korea for joint military drill, warns of consequences",
    "2019-08-20",
    "Yonhap News Agency",
    "en",
)
KBS = Expected(
    "trafilatura_world.kbs.co.kr-Temperatures.html",
    "https://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=181595",
    "Colder Temperatures Forecast for Wed. after Cold Wave Alert Tues.",
    "2023-11-07",
    "KBS World",
    "en",
)
NAVER = Expected(
    "htmldate_n.news.naver.com-607.html",
    "https://n.news.naver.com/article/607/0000001728?cds=news_media_pc&type=editn",
    "[주간 뉴스타파] 부모를 빼앗긴 아기들, 해외 입양 비즈니스의 그늘",
    "2023-11-02",
    "Newstapa",
    "ko",
)
DONGA = Expected(
    "goose3_test_donga_korean.html",
    "http://news.donga.com/3/all/20131023/58406128/1",
    "[CEO&]창의적 열정과 소통, 초일류 시험인증 기업이 간다",
    "2013-10-24",
    "The Dong-A Ilbo",
    "ko",
)
ENTERMEDIA_8576 = Expected(
    "aeb_entermedia.co.kr_8576.html",
    "http://entermedia.co.kr/news/news_view.html?idx=8576&page=1&bc=03&mc=08&find=&sch_date=",
    "엘제이-류화영 진흙탕 싸움, 공적인 사안으로 봐야하는 이유",
    "2018-08-25",
    "entermedia.co.kr",
    "ko",
)
ENTERMEDIA_8723 = Expected(
    "aeb_entermedia.co.kr_8723.html",
    "http://entermedia.co.kr/news/news_view.html?idx=8723&page=1&bc=&mc=&find=&sch_date=",
    "악녀의 덫에 걸린 이유리, 의외로 막장극 어울리는 남상미",
    "2018-09-28",
    "entermedia.co.kr",
    "ko",
)
MISSILE = Expected(
    "boilerplate_missile_en.html",
    "https://www.peninsula-ledger.example/defense/2024/05/17/missile-launch",
    "North Korea fires ballistic missile into East Sea, flight of 1,100 km",
    "2024-05-17",
    "The Peninsula Ledger",
    "en",
)
EUCKR = Expected(
    "korean_euckr.html",
    "https://www.hanbando-ilbo.example/nk/view.php?id=100",
    '남북 이산가족 화상상봉 재개 검토…통일부 "8월 목표"',
    "2024-06-12",
    "한반도일보",
    "ko",
)
TABLE_LAYOUT = Expected(
    "table_layout_en.html",
    "http://www.border-gazette.example/nk/view.php?id=1234",
    "North Korea offers to reopen border liaison office",
    "2009-08-21",
    "Border Gazette",
    "en",
    extractor="readability",
)
UTF8_PAGES = (YNA, KBS, NAVER, DONGA, ENTERMEDIA_8576, ENTERMEDIA_8723, MISSILE, TABLE_LAYOUT)
KOREAN_PAGES = (NAVER, DONGA, ENTERMEDIA_8576, ENTERMEDIA_8723)


def extract(expected: Expected) -> Article:
    if expected is EUCKR:
        html = decode_korean_page((PAGES / EUCKR.file).read_bytes())
    else:
        html = page(expected.file)
    return extract_article(html, expected.url)


@pytest.mark.parametrize("expected", [*UTF8_PAGES, EUCKR], ids=lambda e: e.file)
def test_metadata_comes_from_the_page(expected: Expected) -> None:
    article = extract(expected)
    assert article.url == expected.url
    assert article.title == expected.title
    assert article.published == expected.published
    assert article.source == expected.source
    assert article.language == expected.language
    assert article.extractor == expected.extractor


@pytest.mark.parametrize("expected", [*UTF8_PAGES, EUCKR], ids=lambda e: e.file)
def test_text_is_clean_paragraphs(expected: Expected) -> None:
    lines = extract(expected).text.split("\n")
    assert all(line and line == line.strip() and "  " not in line for line in lines)
    assert len(lines) == len(set(lines))
    assert lines[0] != expected.title


def test_yonhap_text_matches_newspaper4k_expected_paragraphs() -> None:
    expected = (PAGES / "newspaper4k_yna_co_kr.expected.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in expected.split("\n") if p.strip()]
    text = extract(YNA).text
    assert text.split("\n") == paragraphs
    assert "kokobj@yna.co.kr" not in text
    assert "(END)" not in text


def test_kbs_text_has_evaldata_snippets_and_no_page_furniture() -> None:
    evaldata = json.loads((PAGES / "trafilatura_evaldata_subset.json").read_text("utf-8"))
    entry = evaldata[KBS.url]
    text = extract(KBS).text
    assert entry["title"] == KBS.title
    for snippet in entry["with"]:
        assert snippet in text
    for snippet in entry["without"]:
        assert snippet not in text


def test_dates_agree_with_htmldate_eval() -> None:
    eval_dates = json.loads((PAGES / "htmldate_eval_default_subset.json").read_text("utf-8"))
    for expected in (NAVER, KBS):
        key = next(url for url in eval_dates if expected.url.startswith(url.split("?")[0]))
        assert extract(expected).published == eval_dates[key]["date"]


def test_naver_text_has_the_story_without_naver_furniture() -> None:
    text = extract(NAVER).text
    assert text.startswith("한국은 자국 아이를 해외로 가장 오래, 가장 많이 입양 보낸 국가입니다.")
    assert "뉴스타파는 한국의 4대 입양 기관이 입양을 매개로 거둔 수수료와 기부금" in text
    assert "입양 기관의 새빨간 거짓말과 피해자들" in text
    for furniture in ("Copyright", "무단 전재", "기사의 섹션 정보", "닫기", "구독"):
        assert furniture not in text


def test_donga_text_covers_goose3_expected_sentences() -> None:
    expected = json.loads((PAGES / "goose3_test_donga_korean.expected.json").read_text("utf-8"))
    sentences = re.split(r"(?<=다\.)|(?<=\.”)", expected["expected"]["cleaned_text"])
    sentences = [no_space(s) for s in sentences if len(no_space(s)) > 10]
    byline = sentences.pop()
    assert byline == "최윤호기자uknow@donga.com"
    text = extract(DONGA).text
    assert [s for s in sentences if s not in no_space(text)] == []
    assert "uknow@donga.com" not in text


@pytest.mark.parametrize("expected", [ENTERMEDIA_8576, ENTERMEDIA_8723], ids=lambda e: e.file)
def test_entermedia_text_matches_benchmark_ground_truth(expected: Expected) -> None:
    truth = json.loads((PAGES / "aeb_ground-truth_subset.json").read_text("utf-8"))
    paragraphs = truth[f"{expected.file}.gz"]["articleBody"].split("\n\n")
    story, credits = paragraphs[:-3], paragraphs[-3:]
    assert "저작권자" in credits[-1]
    text = extract(expected).text
    assert text.split("\n") == story
    assert "@" not in text
    assert "사진=" not in text
    assert "저작권자" not in text


def test_boilerplate_page_keeps_all_paragraphs_with_abbreviations_intact() -> None:
    lines = extract(MISSILE).text.split("\n")
    assert len(lines) == 8
    assert lines[0].startswith("North Korea fired a ballistic missile into the East Sea early")
    assert "The missile flew about 1,100 km before splashing down" in lines[0]
    assert lines[2].startswith("U.S. Secretary of State Antony Blinken condemned the launch")
    assert lines[3].startswith("Dr. Lee Min-jung, a missile expert")
    assert "inspected Munitions Factory No. 2 in Jagang Province" in lines[4]
    assert lines[7].endswith("watching from an observation post.")


@pytest.mark.parametrize(
    "furniture",
    [
        "cookie",
        "Share",
        "Print",
        "Related stories",
        "Seoul and Washington begin annual air drills",
        "Most read",
        "seoul_reader",
        "sanctions clearly do not work",
        "newsletter",
        "All rights reserved",
        "Photo by Ledger staff",
        "By Hannah Seo",
        "Subscribe",
        "Privacy policy",
    ],
)
def test_boilerplate_page_drops_page_furniture(furniture: str) -> None:
    assert furniture.lower() not in extract(MISSILE).text.lower()


def test_euckr_page_gives_the_written_paragraphs() -> None:
    generator = fixture_module("make_korean_euckr")
    text = extract(EUCKR).text
    assert text.split("\n") == list(generator.PARAGRAPHS)
    assert "으쌰으쌰" in text
    for furniture in ("관련기사", "공유하기", "무단전재", "minseo@", "김민서 기자", "행사 모습"):
        assert furniture not in text


def test_euckr_fixture_is_cp949_only_and_matches_its_generator() -> None:
    body = (PAGES / EUCKR.file).read_bytes()
    assert body == fixture_module("make_korean_euckr").build().encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        body.decode("euc-kr")


@pytest.mark.parametrize("expected", [*KOREAN_PAGES, EUCKR], ids=lambda e: e.file)
def test_korean_pages_give_korean_text_without_mojibake(expected: Expected) -> None:
    article = extract(expected)
    assert hangul_share(article.text) > 0.5
    assert article.title is not None and hangul_share(article.title) > 0.3
    assert "\ufffd" not in article.text + article.title
    assert not re.search("[ÃÂìëê][\u0080-\u00bf]", article.text + article.title)


def test_page_without_article_text_raises_no_article_text() -> None:
    with pytest.raises(NoArticleText):
        extract_article(page("nav_only.html"), "https://www.peninsula-ledger.example/sections")


def test_page_that_defeats_the_extractors_falls_back_to_og_description() -> None:
    article = extract_article(
        page("meta_only_app.html"), "https://northwatch.example/article/2024/03/kaesong"
    )
    assert article.extractor == "meta"
    assert article.text == (
        "Commercial satellite images taken this week show trucks carrying machinery out of"
        " the shuttered Kaesong Industrial Complex. Analysts say the equipment is likely"
        " headed to factories near Pyongyang."
    )
    assert article.title == "Kaesong factory equipment seen moving north, satellite images show"
    assert article.source == "North Watch Daily"
    assert article.published == "2024-03-08"


def test_table_layout_page_falls_back_to_readability() -> None:
    article = extract(TABLE_LAYOUT)
    lines = article.text.split("\n")
    assert len(lines) == 4
    assert lines[0].startswith("North Korea said on Friday it would reopen its liaison office")
    assert "Copyright" not in article.text
    assert "Home" not in article.text


def test_truncated_description_is_cut_back_to_whole_sentences() -> None:
    html = (
        '<html><head><meta property="og:description" content="Seoul proposed talks on Monday.'
        " The North has not replied. Officials said the offer was made through the"
        ' liaison channel and would stand until..."></head><body><div id="app"></div></body></html>'
    )
    article = extract_article(html, "https://example.com/a")
    assert article.extractor == "meta"
    assert article.text == "Seoul proposed talks on Monday. The North has not replied."


def test_extracting_the_same_page_again_gives_the_same_article() -> None:
    # trafilatura's de-duplication cache is process-wide; a shared link must not vanish
    first = extract(DONGA)
    for _ in range(3):
        assert extract(DONGA) == first


def test_very_long_article_is_extracted_whole() -> None:
    long_page = fixture_module("make_long")
    article = extract_article(long_page.long_article_html(20_000), "https://example.com/long")
    assert len(article.text.split()) >= 20_000
    assert article.text.split("\n") == long_page.long_article_paragraphs(20_000)


STORY = (
    "<p>North Korea said on Monday it would send a delegation to the games. Officials in"
    " Seoul welcomed the move and said talks would follow.</p>"
    "<p>The delegation will include athletes, coaches and a cheering squad, state media said."
    " It would be the first such visit in five years.</p>"
)


def test_html_fragment_without_html_element_is_still_extracted() -> None:
    article = extract_article(STORY, "https://www.example.com/a")
    assert article.text.startswith("North Korea said on Monday")
    assert article.text.count("\n") == 1


def test_xhtml_page_with_xml_declaration_is_extracted() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>Delegation to visit - Example</title></head><body>{STORY}</body></html>"
    )
    article = extract_article(html, "https://www.example.com/a")
    assert article.title == "Delegation to visit"
    assert article.text.startswith("North Korea said on Monday")


@pytest.mark.parametrize("html", ["", "  \n "])
def test_empty_page_raises_no_article_text(html: str) -> None:
    with pytest.raises(NoArticleText):
        extract_article(html, "https://example.com/empty")


@pytest.mark.parametrize(
    ("text", "declared", "language"),
    [
        ("통일부는 12일 이산가족 화상상봉 재개를 검토한다고 밝혔다.", None, "ko"),
        ("통일부는 UN 안보리와 ICBM 문제를 논의했다고 밝혔다.", "en", "ko"),
        ("North Korea fired a missile on Friday.", "ko", "en"),
        ("North Korea fired a missile, Kim Jong-un (김정은) said.", "ko-KR", "en"),
        ("Nordkorea hat am Freitag eine Rakete abgefeuert.", "de-DE", "de"),
        ("Something in English.", "en_US", "en"),
        ("Something in English.", "x-klingon!", "en"),
        ("Something in English.", "und", "en"),
        ("", None, "en"),
    ],
)
def test_detect_language(text: str, declared: str | None, language: str) -> None:
    assert detect_language(text, declared) == language


def test_plain_text_takes_a_short_first_line_as_title_and_unwraps_paragraphs() -> None:
    text = (
        "North Korea fires missile\n\n"
        "North Korea fired a ballistic missile on Friday,\n"
        "the military said.\n\n"
        "It was the third launch this month.\n"
    )
    article = article_from_plain_text(text, "https://example.co.kr/news.txt")
    assert article.title == "North Korea fires missile"
    assert article.text == (
        "North Korea fired a ballistic missile on Friday, the military said.\n"
        "It was the third launch this month."
    )
    assert article.extractor == "plain"
    assert article.language == "en"
    assert article.source == "example.co.kr"


def test_plain_text_without_blank_lines_keeps_each_line_and_no_title_if_a_sentence() -> None:
    text = "통일부는 12일 브리핑을 열었다.\r\n당국자는 상봉 재개를 검토한다고 말했다.\r\n"
    article = article_from_plain_text(text, "notes/briefing.txt")
    assert article.title is None
    assert article.text == "통일부는 12일 브리핑을 열었다.\n당국자는 상봉 재개를 검토한다고 말했다."
    assert article.language == "ko"
    assert article.source is None


def test_empty_plain_text_raises_no_article_text() -> None:
    with pytest.raises(NoArticleText):
        article_from_plain_text(" \n\n \n", "https://example.com/empty.txt")
