"""Faults seen reading real pages, each pinned by the page (or a faithful reduction of it).

The aeb pages are from scrapinghub's article-extraction-benchmark (MIT), with their
ground truth in ``aeb_ground-truth_subset.json``; the others were written for these tests
(``tests/fixtures/pages/README.md``).
"""

from __future__ import annotations

import html as html_lib
import json
import logging
from pathlib import Path

import lxml.html
import pytest

from bot.articles import extract
from bot.articles.extract import extract_article, readability_text
from bot.articles.render import format_summary
from bot.i18n import Catalog
from bot.models import Summary

PAGES = Path(__file__).parent / "fixtures" / "pages"
NAVER_URL = "https://n.news.naver.com/article/607/0000001728?cds=news_media_pc&type=editn"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def ground_truth(name: str) -> tuple[str, str]:
    entry = json.loads((PAGES / "aeb_ground-truth_subset.json").read_text("utf-8"))[f"{name}.gz"]
    return entry["url"], entry["articleBody"]


def naver_without_article() -> str:
    """The Naver fixture with its article body (``#dic_area``) cut out: what is left is
    the portal's furniture, as on a page whose body is drawn by script."""
    tree = lxml.html.document_fromstring(page("htmldate_n.news.naver.com-607.html"))
    for body in tree.xpath('//*[@id="dic_area"]'):
        body.drop_tree()
    return str(lxml.html.tostring(tree, encoding="unicode"))


def test_precision_fragment_gives_way_to_the_article() -> None:
    """barrons.com: favor_precision returned the 260-character reprint notice."""
    url, truth = ground_truth("aeb_barrons.com_home-depot.html")
    text = extract_article(page("aeb_barrons.com_home-depot.html"), url).text
    paragraphs = [p for p in truth.split("\n") if p.strip()]
    assert text.startswith(paragraphs[0][:80])
    assert paragraphs[-1][:80] in text
    assert "non-commercial use" not in text
    assert len(text) > 0.8 * len(truth)


def test_readability_reads_past_a_figcaption() -> None:
    """A <figcaption> matched two drop lists and was dropped twice: AssertionError."""
    text = readability_text(page("figcaption_museum_en.html"))
    assert text.split("\n")[1].startswith("Seoul opened a museum on the banks of the Han River")
    assert text.endswith("children under 12 will still enter free of charge.")
    assert "main hall" not in text


def test_a_fallback_that_raises_is_logged_and_the_next_one_tried(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class BrokenReadability:
        def __init__(self, *args: object) -> None:
            raise AssertionError

    monkeypatch.setattr(extract, "ReadabilityDocument", BrokenReadability)
    with caplog.at_level(logging.WARNING, logger="bot.articles.extract"):
        article = extract_article(page("meta_only_app.html"), "https://northwatch.example/a/1")
    assert article.extractor == "meta"
    assert article.text.startswith("Commercial satellite images taken this week")
    assert any("readability failed" in r.getMessage() for r in caplog.records)


def test_description_holding_markup_is_read_as_text() -> None:
    description = (
        "<p>Share this on WhatsApp</p><p>North Korea reopened its border to foreign"
        " tourists on Monday, <b>four years</b> after it shut it.</p><p>Tour operators in"
        " China said the first groups would travel next week.</p>"
    )
    shell = page("meta_only_app.html").replace(
        'content="Commercial satellite images taken this week show trucks carrying machinery'
        " out of the shuttered Kaesong Industrial Complex. Analysts say the equipment is"
        ' likely headed to factories near Pyongyang."',
        f'content="{html_lib.escape(description)}"',
    )
    article = extract_article(shell, "https://northwatch.example/a/2")
    assert article.extractor == "meta"
    assert article.text == (
        "North Korea reopened its border to foreign tourists on Monday, four years after it"
        " shut it.\nTour operators in China said the first groups would travel next week."
    )


def test_portal_widget_text_is_not_taken_for_a_korean_article() -> None:
    """98 characters of Naver's recommendation widget passed the 80-character Korean bar."""
    article = extract_article(naver_without_article(), NAVER_URL)
    assert article.extractor == "meta"
    assert article.text.startswith("한국은 자국 아이를 해외로 가장 오래, 가장 많이 입양 보낸")
    for furniture in ("추천", "버튼을 눌러주세요", "닫기"):
        assert furniture not in article.text


def test_lines_a_meal_plan_repeats_day_after_day_all_stay() -> None:
    url, truth = ground_truth("aeb_beachbodyondemand.com_meal-plan.html")
    text = extract_article(page("aeb_beachbodyondemand.com_meal-plan.html"), url).text
    for line in ("Eat 60–90 minutes before your workout", "Drink within 30 minutes after your"):
        assert text.count(line) == truth.count(line) == 6


def test_an_article_printed_twice_is_read_once() -> None:
    paragraphs = [
        f"Paragraph {n} of the report says something new about the talks. It adds a detail"
        f" that the others do not carry, number {n}."
        for n in range(1, 6)
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"<html><body><article><h1>Talks</h1>{body}{body}</article></body></html>"
    text = extract_article(html, "https://example.org/talks").text
    assert text.split("\n") == paragraphs


def test_naver_page_credits_the_publishing_outlet() -> None:
    article = extract_article(page("htmldate_n.news.naver.com-607.html"), NAVER_URL)
    assert article.source == "Newstapa"


def test_naver_page_of_an_unknown_outlet_credits_it_by_the_name_the_page_gives() -> None:
    html = page("htmldate_n.news.naver.com-607.html").replace("뉴스타파", "한반도일보")
    assert extract_article(html, NAVER_URL).source == "한반도일보"


def test_naver_press_logo_names_the_outlet_when_the_meta_does_not() -> None:
    html = page("htmldate_n.news.naver.com-607.html").replace(
        'content="뉴스타파 | 네이버"', 'content="네이버"'
    )
    assert 'alt="뉴스타파"' in html
    assert extract_article(html, NAVER_URL).source == "Newstapa"


@pytest.mark.parametrize(
    ("file", "url", "english", "korean"),
    [
        (
            "goose3_test_donga_korean.html",
            "http://news.donga.com/3/all/20131023/58406128/1",
            "The Dong-A Ilbo",
            "동아일보",
        ),
        (
            "chosun_reduced_ko.html",
            "https://www.chosun.com/politics/north_korea/2024/05/17/ABCDEF/",
            "The Chosun Ilbo",
            "조선일보",
        ),
        ("htmldate_n.news.naver.com-607.html", NAVER_URL, "Newstapa", "뉴스타파"),
    ],
    ids=["donga", "chosun", "naver"],
)
def test_summary_names_the_outlet_in_the_readers_language(
    file: str, url: str, english: str, korean: str
) -> None:
    article = extract_article(page(file), url)
    summary = Summary(article=article, sentences=("첫 문장입니다.",))
    catalog = Catalog.load()
    assert english in format_summary(summary, catalog, "en").split("\n")[1]
    assert korean in format_summary(summary, catalog, "ko").split("\n")[1]


def test_a_code_line_reading_end_does_not_cut_the_article() -> None:
    """Only a bracketed wire marker, "(END)" or "끝", ends a story: Ruby's and Mermaid's
    ``end`` cut a tutorial in half."""
    paragraphs = [
        f"Step {n} of the guide explains one more part of the set-up in plain words. It"
        f" then shows the code for step {n}, which the reader can copy."
        for n in range(1, 4)
    ]
    code = "<pre>def greet\n  puts 'hi'\nend</pre>"
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:2]) + code + f"<p>{paragraphs[2]}</p>"
    html = f"<html><body><article><h1>A guide</h1>{body}</article></body></html>"
    text = extract_article(html, "https://example.org/guide").text
    assert text.endswith(paragraphs[2])


def test_a_table_is_read_as_words_never_as_markup() -> None:
    """The recall pass keeps tables, which trafilatura writes as ``| cell | cell |``."""
    rows = "".join(
        f"<tr><td>Route {n}</td><td>{n * 3} trains a day</td><td>from {n + 5}:00</td></tr>"
        for n in range(1, 30)
    )
    intro = (
        "<p>The new timetable for the Gyeongui line starts on Monday, the operator said."
        " Trains will run more often in the mornings and late at night.</p><p>Commuters had"
        " asked for more trains for years. The operator said the table below lists them.</p>"
    )
    html = (
        "<html><head><title>Rail timetable</title></head><body><article><h1>Rail timetable"
        f"</h1>{intro}<table><tr><th>Route</th><th>Trains</th><th>First</th></tr>{rows}"
        "</table></article></body></html>"
    )
    article = extract_article(html, "https://example.org/rail")
    assert article.extractor == "trafilatura"
    assert "Route 29 · 87 trains a day · from 34:00" in article.text.split("\n")
    assert "|" not in article.text


def test_daum_page_credits_the_outlet_it_republishes() -> None:
    paragraphs = "".join(
        f"<p>정부는 {n}일 국가안전보장회의를 열고 북한의 미사일 발사에 대한 대응 방안을 논의했다고"
        f" 밝혔다. 회의에서는 한미 공조 강화와 추가 제재 방안이 집중적으로 다뤄졌다.</p>"
        for n in range(1, 4)
    )
    html = (
        '<html lang="ko"><head><meta property="og:site_name" content="다음뉴스">'
        '<meta property="og:article:author" content="연합뉴스">'
        "<title>정부, NSC 열고 대응 논의 | 다음뉴스</title></head><body><article>"
        f"<h1>정부, NSC 열고 대응 논의</h1>{paragraphs}</article></body></html>"
    )
    article = extract_article(html, "https://v.daum.net/v/20240517101500123")
    assert article.source == "Yonhap News Agency"
    summary = Summary(article=article, sentences=("첫 문장입니다.",))
    assert format_summary(summary, Catalog.load(), "ko").split("\n")[1] == "연합뉴스"
