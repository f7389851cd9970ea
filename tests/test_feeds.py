"""Feed parsing: formats, Korean encodings, dates, links, text, broken and hostile feeds."""

from __future__ import annotations

import asyncio
import functools
import pickle
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.errors import FeedParseError
from bot.models import Language, Provenance
from bot.news.feedlist import FeedSpec
from bot.news.feeds import (
    FULL_TEXT_CHARS,
    MAX_ITEMS,
    MAX_TITLE_CHARS,
    SUMMARY_CHARS,
    ParsedFeed,
    parse_feed,
)
from bot.workers import WorkerPool

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
FETCHED_AT = datetime(2024, 3, 6, 3, 0, tzinfo=UTC)

ENGLISH = FeedSpec(
    name="Korea Herald",
    url="https://feeds.koreaherald.example/rss/newsAll",
    language=Language.EN,
    provenance=Provenance.NEWSPAPER,
)
KOREAN = FeedSpec(
    name="한겨레 — 정치",
    url="https://www.hani.example/rss/politics/",
    language=Language.KO,
    provenance=Provenance.NEWSPAPER,
    source="한겨레",
)


def parse_fixture(
    name: str, feed: FeedSpec = ENGLISH, *, fetched_at: datetime = FETCHED_AT
) -> ParsedFeed:
    return parse((FEEDS / name).read_bytes(), feed, fetched_at=fetched_at)


def parse(
    body: bytes | str,
    feed: FeedSpec = ENGLISH,
    *,
    fetched_at: datetime = FETCHED_AT,
    content_type_charset: str | None = None,
) -> ParsedFeed:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return parse_feed(
        data, feed=feed, content_type_charset=content_type_charset, fetched_at=fetched_at
    )


def rss(*items: str, link: str = "https://news.example/") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Test</title><link>{link}</link>{''.join(items)}</channel></rss>"
    )


def item(title: str = "Headline", link: str = "https://news.example/a", extra: str = "") -> str:
    return f"<item><title>{title}</title><link>{link}</link>{extra}</item>"


def titles(parsed: ParsedFeed) -> list[str]:
    return [entry.title for entry in parsed.items]


# ── Formats ───────────────────────────────────────────────────────────────────


def test_rss20_items_carry_title_link_summary_and_feed_labels() -> None:
    parsed = parse_fixture("rss20_en.xml")

    first = parsed.items[0]
    assert parsed.title == "The Korea Herald - All News"
    assert first.title == "N. Korea fires ballistic missile into East Sea: JCS"
    assert first.summary == (
        "North Korea fired a short-range ballistic missile into the East Sea on Tuesday "
        "morning, the Joint Chiefs of Staff said. It was the North's third launch this year."
    )
    assert (first.feed_name, first.source, first.language) == ("Korea Herald", "Korea Herald", "en")
    assert first.provenance is Provenance.NEWSPAPER
    assert first.full_text is False


def test_atom10_entries_are_read() -> None:
    parsed = parse_fixture("atom10_en.xml")

    assert parsed.title == "38 North (test copy)"
    assert titles(parsed) == [
        "Sohae Satellite Launching Station: Construction Continues on the Launch Pad",
        "Yongbyon: Light Water Reactor Appears Operational",
    ]
    assert parsed.items[0].url == "https://www.38north.example/2024/03/sohae-construction/"
    assert parsed.items[0].published == datetime(2024, 3, 5, 21, 0, tzinfo=UTC)


def test_atom_relative_link_is_resolved_against_xml_base() -> None:
    parsed = parse_fixture("atom10_en.xml")

    assert parsed.items[1].url == "https://www.38north.example/2024/02/yongbyon-lwr/"


def test_rdf_rss10_with_dc_date_only() -> None:
    parsed = parse_fixture("rss10_rdf_ko.xml", KOREAN)

    assert titles(parsed) == [
        "북한, 동해상으로 탄도미사일 발사…올해 들어 세 번째",
        "국회 외교통일위, 북한인권재단 이사 추천 논의",
    ]
    assert parsed.items[0].published == datetime(2024, 3, 5, 1, 0, tzinfo=UTC)
    assert parsed.items[0].source == "한겨레"


def test_long_entry_content_counts_as_full_text_even_if_the_list_says_excerpt() -> None:
    parsed = parse_fixture("atom10_en.xml")

    long_entry, short_entry = parsed.items
    assert ENGLISH.full_text is False
    assert long_entry.full_text is True
    assert short_entry.full_text is False
    # The summary is the entry's own short summary, not the article.
    assert long_entry.summary == "Commercial satellite imagery shows work on a new launch pad."


def test_feed_list_full_text_flag_is_carried_to_items() -> None:
    full = FeedSpec(
        name="Full",
        url="https://full.example/feed",
        language=Language.EN,
        provenance=Provenance.MONITOR,
        full_text=True,
    )

    parsed = parse(rss(item(extra="<description>Short.</description>")), full)

    assert parsed.items[0].full_text is True


def test_parsed_feed_survives_pickling_for_worker_processes() -> None:
    parsed = parse_fixture("rss20_en.xml")

    assert pickle.loads(pickle.dumps(parsed)) == parsed


# ── Korean encodings ──────────────────────────────────────────────────────────


def test_cp949_syllables_in_feed_declared_euc_kr_are_not_mojibake() -> None:
    parsed = parse_fixture("cp949_declared_euc-kr.xml", KOREAN)

    assert parsed.encoding == "cp949"
    assert parsed.bozo is False
    assert parsed.title == "한반도 소식 (테스트)"
    assert titles(parsed) == [
        "이산가족 박똠이 할머니, 73년 만에 北 동생과 화상 상봉",
        '탈북 청년들 "햏자 같은 옛 인터넷 말투, 南서 처음 배워"',
    ]
    assert parsed.items[0].summary.startswith("대한적십자사는 이산가족 박똠이(92) 할머니가")


def test_euc_kr_without_any_declaration_is_detected() -> None:
    parsed = parse_fixture("euc-kr_no_declaration.xml", KOREAN)

    assert parsed.encoding == "cp949"
    assert titles(parsed) == ["통일부 장관, 판문점 견학 재개 현장 점검"]


def test_feedparser_euc_kr_fixture_title() -> None:
    parsed = parse_fixture("feedparser_euc-kr.xml", KOREAN)

    assert parsed.title == "년"


def test_feedparser_euc_kr_without_declaration_decodes_as_korean() -> None:
    parsed = parse_fixture("feedparser_euckr_no-declaration.xml", KOREAN)

    # Its one item has no link, so only the decoding can be checked.
    assert parsed.encoding == "cp949"
    assert parsed.items == ()


def test_http_header_charset_is_used() -> None:
    body = rss(item("북한 선전매체, 南 총선 비난")).replace('encoding="utf-8"', "")

    parsed = parse(body.encode("cp949"), KOREAN, content_type_charset="ks_c_5601-1987")

    assert titles(parsed) == ["북한 선전매체, 南 총선 비난"]


def test_utf16_feed_with_bom() -> None:
    body = rss(item("통일부, 北 주민 송환 발표")).replace("utf-8", "utf-16")

    parsed = parse(body.encode("utf-16"), KOREAN)

    assert titles(parsed) == ["통일부, 北 주민 송환 발표"]


# Read with the codec its label names, this title would come out wrong or not at all
# (utf-7 "+ACE-" → "!", idna "xn--3e0b707e" → "한국", "\\u00e9" → "é"; punycode raises).
TRICKY_TITLE = "Grades rose to A+ACE- at www.xn--3e0b707e.kr (see C:\\u00e9 notes)"
NOT_WEB_ENCODINGS = [
    "punycode",
    "idna",
    "unicode_escape",
    "raw_unicode_escape",
    "utf-7",
    "rot13",
    "zlib_codec",
    "x" * 5_000,
]


def label_id(label: str) -> str:
    return label if len(label) < 20 else f"{len(label)}-character label"


@pytest.mark.parametrize("label", NOT_WEB_ENCODINGS, ids=label_id)
def test_a_feed_declaring_a_non_web_codec_is_read_by_detection(label: str) -> None:
    body = rss(item(TRICKY_TITLE)).replace('encoding="utf-8"', f'encoding="{label}"')

    parsed = parse(body.encode("ascii"))

    assert (titles(parsed), parsed.encoding) == ([TRICKY_TITLE], "utf-8")


@pytest.mark.parametrize("label", NOT_WEB_ENCODINGS, ids=label_id)
def test_a_feed_served_with_a_non_web_codec_is_read_by_detection(label: str) -> None:
    body = rss(item(TRICKY_TITLE)).replace('encoding="utf-8"', "")

    parsed = parse(body.encode("ascii"), content_type_charset=label)

    assert (titles(parsed), parsed.encoding) == ([TRICKY_TITLE], "utf-8")


# ── Dates ─────────────────────────────────────────────────────────────────────


def test_korea_herald_offset_with_colon() -> None:
    parsed = parse_fixture("rss20_en.xml")

    assert parsed.items[0].published == datetime(2024, 3, 5, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "language", "expected"),
    [
        ("Tue, 05 Mar 2024 10:00:00 +09:00", "en", datetime(2024, 3, 5, 1, 0)),
        ("Tue, 05 Mar 2024 10:00:00 +0900", "en", datetime(2024, 3, 5, 1, 0)),
        ("Tue, 05 Mar 2024 10:00:00 KST", "en", datetime(2024, 3, 5, 1, 0)),
        ("Tue,05 Mar 2024 10:00:00 +0900", "ko", datetime(2024, 3, 5, 1, 0)),  # Segye
        ("05 Mar  2024 10:00:00 GMT", "en", datetime(2024, 3, 5, 10, 0)),
        ("Tue, 05 Mar 2024 10:00:00", "ko", datetime(2024, 3, 5, 1, 0)),
        ("Tue, 05 Mar 2024 10:00:00", "en", datetime(2024, 3, 5, 10, 0)),
        ("2024-03-05T10:00:00+09:00", "en", datetime(2024, 3, 5, 1, 0)),
        ("2024-03-05T01:00:00Z", "ko", datetime(2024, 3, 5, 1, 0)),
        ("2024-03-05 10:00:00", "ko", datetime(2024, 3, 5, 1, 0)),  # ND Soft CMS, Korean time
        ("2024-03-05 10:00:00", "en", datetime(2024, 3, 5, 10, 0)),
        ("2024-03-05 오후 11:23:17", "ko", datetime(2024, 3, 5, 14, 23, 17)),  # Nate
        ("2024-03-05 오전 11:23:17", "ko", datetime(2024, 3, 5, 2, 23, 17)),
        ("2024년 03월 05일 01:31:15", "ko", datetime(2024, 3, 4, 16, 31, 15)),  # OnBlog
    ],
)
def test_publication_dates_become_utc(raw: str, language: str, expected: datetime) -> None:
    feed = KOREAN if language == "ko" else ENGLISH

    parsed = parse(rss(item(extra=f"<pubDate>{raw}</pubDate>")), feed)

    assert parsed.items[0].published == expected.replace(tzinfo=UTC)


def test_unreadable_date_is_none() -> None:
    parsed = parse(rss(item(extra="<pubDate>어제 오후</pubDate>")))

    assert parsed.items[0].published is None


def test_dateless_hankyoreh_item_takes_the_day_from_its_image_path() -> None:
    parsed = parse_fixture("hani_dateless_ko.xml", KOREAN)

    with_image, without_image = parsed.items
    # 2024-03-05, at noon Korean time: the day is known, the hour is not.
    assert with_image.published == datetime(2024, 3, 5, 3, 0, tzinfo=UTC)
    assert without_image.published is None


def test_image_path_date_never_overrides_a_real_date() -> None:
    description = '&lt;img src="https://img.example/imgdb/original/2020/0102/1.jpg"&gt;'
    extra = f"<description>{description}</description><pubDate>2024-03-05T10:00:00+09:00</pubDate>"

    parsed = parse(rss(item(extra=extra)), KOREAN)

    assert parsed.items[0].published == datetime(2024, 3, 5, 1, 0, tzinfo=UTC)


def test_date_far_in_the_future_is_dropped() -> None:
    parsed = parse(rss(item(extra="<pubDate>Fri, 08 Mar 2024 10:00:00 +0900</pubDate>")))

    assert parsed.items[0].published is None


def test_date_slightly_in_the_future_is_taken_as_fetch_time() -> None:
    # Korean time mislabelled as GMT: nine hours ahead of the fetch.
    parsed = parse(rss(item(extra="<pubDate>Wed, 06 Mar 2024 12:00:00 GMT</pubDate>")))

    assert parsed.items[0].published == FETCHED_AT


def test_fetch_time_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse(rss(item()), fetched_at=datetime(2024, 3, 6))


# ── Links ─────────────────────────────────────────────────────────────────────


def test_relative_link_is_resolved_against_the_channel_link() -> None:
    parsed = parse_fixture("rss20_en.xml")

    # The feed lives on feeds.koreaherald.example; the channel link names the site.
    assert parsed.items[1].url == "https://www.koreaherald.example/article/3002"


def test_relative_link_without_channel_link_uses_the_feed_url() -> None:
    body = rss(item(link="/news/77")).replace("<link>https://news.example/</link>", "")

    parsed = parse(body)

    assert parsed.items[0].url == "https://feeds.koreaherald.example/news/77"


def test_tracking_parameters_are_stripped_from_item_urls() -> None:
    parsed = parse_fixture("rss20_en.xml")

    assert parsed.items[0].url == "https://www.koreaherald.example/article/3001"


def test_items_are_deduplicated_by_canonical_url() -> None:
    parsed = parse_fixture("rss20_en.xml")

    urls = [entry.url for entry in parsed.items]
    assert urls.count("https://www.koreaherald.example/article/3001") == 1
    assert "1 duplicate entries dropped" in parsed.warnings


def test_items_without_a_usable_link_are_dropped() -> None:
    parsed = parse_fixture("rss20_en.xml")

    assert "Unification ministry to publish North Korean human rights report" not in titles(parsed)
    assert "Click here" not in titles(parsed)  # javascript: link
    assert "2 entries without a usable http(s) link or title dropped" in parsed.warnings


def test_permalink_guid_serves_as_link() -> None:
    parsed = parse_fixture("rss20_en.xml")

    assert parsed.items[2].url == "https://www.koreaherald.example/article/3003"


# ── Text ──────────────────────────────────────────────────────────────────────


def test_html_in_titles_and_summaries_is_stripped() -> None:
    parsed = parse_fixture("rss20_en.xml")

    second = parsed.items[1]
    assert second.title == "Seoul, Tokyo agree to strengthen trilateral security ties with US"
    assert second.summary == (
        "Foreign ministers of South Korea and Japan agreed on Monday to deepen security "
        "cooperation & share missile warning data in real time."
    )


def test_double_escaped_entities_in_titles_are_decoded() -> None:
    parsed = parse(rss(item("北 &amp;quot;핵 억제력 강화&amp;quot;…한미훈련 반발")), KOREAN)

    assert titles(parsed) == ['北 "핵 억제력 강화"…한미훈련 반발']


def test_whitespace_in_titles_is_collapsed() -> None:
    parsed = parse(rss(item("  Kim Yo-jong\n\t  warns   Seoul \u200b ")))

    assert titles(parsed) == ["Kim Yo-jong warns Seoul"]


def test_control_characters_do_not_break_parsing() -> None:
    parsed = parse(rss(item("북한\x0b 외무성 담화")), KOREAN)

    assert parsed.bozo is False
    assert titles(parsed) == ["북한 외무성 담화"]


def test_long_summary_is_cut_at_a_sentence_end() -> None:
    sentence = "The unification ministry said talks with Pyongyang remain suspended. "
    description = f"<description>{sentence * 40}</description>"

    summary = parse(rss(item(extra=description))).items[0].summary

    assert len(summary) <= SUMMARY_CHARS
    assert len(summary) > SUMMARY_CHARS // 2
    assert summary.endswith("remain suspended.")


def test_long_summary_without_sentences_is_cut_at_a_word() -> None:
    description = f"<description>{'word ' * 400}</description>"

    summary = parse(rss(item(extra=description))).items[0].summary

    assert len(summary) <= SUMMARY_CHARS
    assert summary.endswith("word…")


def test_absurdly_long_title_is_truncated() -> None:
    parsed = parse(rss(item("Missile " * 2_000)))

    title = parsed.items[0].title
    assert len(title) <= MAX_TITLE_CHARS
    assert title.endswith("Missile…")


def test_item_without_title_takes_the_start_of_its_summary() -> None:
    extra = "<description>Daily NK sources report rice prices rose in Hyesan.</description>"

    parsed = parse(rss(item(title="", extra=extra)))

    assert titles(parsed) == ["Daily NK sources report rice prices rose in Hyesan."]


def test_full_text_threshold_counts_plain_text_not_markup() -> None:
    markup = "&lt;span class='x'&gt;&lt;/span&gt;" * 200
    extra = f"<description>{markup}Short text.</description>"

    parsed = parse(rss(item(extra=extra)))

    assert len(markup) > FULL_TEXT_CHARS
    assert parsed.items[0].full_text is False


# ── Broken and hostile feeds ──────────────────────────────────────────────────


def test_broken_feed_still_yields_its_items() -> None:
    parsed = parse_fixture("broken_unclosed.xml")

    assert parsed.bozo is True
    assert parsed.warnings[0].startswith("malformed feed, read leniently")
    assert titles(parsed)[:2] == [
        "Kim & Putin sign defense pact",
        "Seoul summons Russian ambassador over pact",
    ]
    assert parsed.items[0].summary == (
        "Leaders of North Korea and Russia signed a pact on mutual defense — reports."
    )


@pytest.mark.parametrize(
    "body",
    [
        (FEEDS / "not_a_feed.html").read_bytes(),
        b"\x00\x01\x02 garbage \xff\xfe\xfd",
        b"Service Unavailable",
        b'{"items": []}',
        b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>',
        b"",
        b"   \n",
    ],
    ids=["html", "binary", "text", "json", "sitemap", "empty", "blank"],
)
def test_non_feed_raises_feed_parse_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="Korea Herald"):
        parse(body)


def test_feed_without_items_is_empty_not_an_error() -> None:
    parsed = parse(rss())

    assert parsed.items == ()
    assert parsed.title == "Test"


def test_billion_laughs_does_not_expand() -> None:
    parsed = parse_fixture("billion_laughs.xml")

    entry = parsed.items[0]
    assert "lollol" not in (parsed.title or "")
    assert "lollol" not in entry.title + entry.summary
    assert entry.title.startswith("Harmless headline")


async def test_unclosed_comments_before_a_doctype_are_read_in_one_pass() -> None:
    # A regex retried at every "<!--" took quadratic time: for this megabyte, ~20 minutes.
    declaration, document = rss(item()).split("\n", 1)
    body = declaration + "<!--" * 250_000 + "<!DOCTYPE rss>" + document
    parse = functools.partial(parse_feed, feed=ENGLISH, fetched_at=FETCHED_AT)
    pool = WorkerPool(1, deadline=60)
    try:
        with pytest.raises(FeedParseError):  # not a feed, said within the deadline
            await pool.run(parse, body.encode())
    finally:
        await asyncio.to_thread(pool.close)


def test_billion_laughs_after_a_comment_does_not_expand() -> None:
    # feedparser's own DOCTYPE filter only looks at line starts: a DOCTYPE after a
    # comment on the same line reaches expat with its entities, and they expand.
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
        for previous, name in (("a", "b"), ("b", "c"), ("c", "d"))
    )
    doctype = f"<!-- <b>feed</b> --><!DOCTYPE rss [{entities}]>"
    body = rss(item("Title &d;")).replace("<rss", doctype + "<rss", 1)

    parsed = parse(body)

    assert "aaaa" not in parsed.items[0].title


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    doctype = f'<!-- feed --><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    body = rss(item("Leak &xxe;", extra="<description>&xxe;</description>"))

    parsed = parse(body.replace("<rss", doctype + "<rss", 1))

    assert all("TOP-SECRET" not in entry.title + entry.summary for entry in parsed.items)


def test_doctype_inside_item_content_does_not_cut_the_feed() -> None:
    extra = "<description><![CDATA[<!DOCTYPE html><p>Body text.</p>]]></description>"

    parsed = parse(rss(item(extra=extra), item("Second", "https://news.example/b")))

    assert titles(parsed) == ["Headline", "Second"]
    assert parsed.items[0].summary == "Body text."


def test_huge_item_count_is_capped() -> None:
    items = [item(f"Item {n}", f"https://news.example/{n}") for n in range(MAX_ITEMS + 50)]

    parsed = parse(rss(*items))

    assert len(parsed.items) == MAX_ITEMS
    assert parsed.items[-1].title == f"Item {MAX_ITEMS - 1}"  # undated: document order
    assert f"50 older entries beyond {MAX_ITEMS} ignored" in parsed.warnings


def dated(n: int) -> str:
    when = format_datetime(FETCHED_AT - timedelta(hours=MAX_ITEMS + 50 - n))
    return item(f"Item {n}", f"https://news.example/{n}", f"<pubDate>{when}</pubDate>")


@pytest.mark.parametrize("order", ["newest first", "oldest first"])
def test_the_cap_keeps_the_newest_entries_whatever_the_order(order: str) -> None:
    entries = [dated(n) for n in range(MAX_ITEMS + 50)]  # Item 0 is the oldest
    if order == "newest first":
        entries.reverse()

    parsed = parse(rss(*entries))

    kept = {int(title.split()[1]) for title in titles(parsed)}
    assert kept == set(range(50, MAX_ITEMS + 50))


def test_fetch_time_later_than_every_date_keeps_all_dates() -> None:
    later = FETCHED_AT + timedelta(days=365)

    parsed = parse_fixture("rss20_en.xml", fetched_at=later)

    assert all(entry.published is not None for entry in parsed.items)


def test_an_items_lede_comes_without_the_wires_dateline_or_a_cut_sentence() -> None:
    description = (
        "<description>(서울=연합뉴스) 김효정 기자 = 김정은 위원장이 공안기관을 방문했다. "
        "조선중앙통신은 20일 김 위원장이 체...</description>"
    )
    parsed = parse(rss(item("김정은, 공안기관 방문", extra=description)), KOREAN)
    assert parsed.items[0].summary == "김정은 위원장이 공안기관을 방문했다."
