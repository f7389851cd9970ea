"""The feed list: the packaged default is sound, and a bad operator file names its line."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from bot.articles.urls import canonical_url
from bot.errors import ConfigError
from bot.models import Language, Provenance
from bot.news.feedlist import FeedSpec, identify, load_feed_list, parse_feed_list
from tests.support.newsitems import news

# Hosts that publish North Korean state media directly.
NK_STATE_MEDIA_HOSTS = ("kcna.kp", "rodong.rep.kp", "kcna.co.jp", "uriminzokkiri.com", "vok.rep.kp")

VALID_ENTRY = """
[[feeds]]
name = "Yonhap — North Korea"
url = "https://en.yna.co.kr/RSS/nk.xml"
language = "en"
provenance = "wire"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def host(url: str) -> str:
    return httpx.URL(url).host


# ── The packaged default list ─────────────────────────────────────────────────


@pytest.fixture(scope="module")
def default_feeds() -> list[FeedSpec]:
    return load_feed_list()


def test_default_list_loads(default_feeds: list[FeedSpec]) -> None:
    assert len(default_feeds) >= 10


def test_default_feeds_are_https_with_unique_urls_and_names(default_feeds: list[FeedSpec]) -> None:
    assert all(feed.url.startswith("https://") for feed in default_feeds)
    canonical = {canonical_url(feed.url) for feed in default_feeds}
    assert len(canonical) == len(default_feeds)
    assert len({feed.name for feed in default_feeds}) == len(default_feeds)


def test_default_feeds_cover_english_and_korean(default_feeds: list[FeedSpec]) -> None:
    assert {feed.language for feed in default_feeds} == {"en", "ko"}


def test_default_feeds_have_known_provenance_and_an_outlet(default_feeds: list[FeedSpec]) -> None:
    for feed in default_feeds:
        assert isinstance(feed.provenance, Provenance)
        assert feed.source
        assert feed.weight > 0


def test_direct_north_korean_state_media_is_labelled(default_feeds: list[FeedSpec]) -> None:
    for feed in default_feeds:
        if host(feed.url).endswith(NK_STATE_MEDIA_HOSTS):
            assert feed.provenance is Provenance.NK_STATE_MEDIA, feed.name


def test_default_list_avoids_documented_traps(default_feeds: list[FeedSpec]) -> None:
    urls = {feed.url for feed in default_feeds}
    # Serves the Korean feed, not the English edition.
    assert not urls & {"https://english.hani.co.kr/rss", "https://english.hani.co.kr/rss/"}
    assert "https://english.hani.co.kr/rss/english_edition" in urls
    # Returns 404; nk.xml is the North Korea section.
    assert "https://en.yna.co.kr/RSS/northkorea.xml" not in urls
    # Opaque links that cannot be fetched without Google's RPC.
    assert not any(host(url) == "news.google.com" for url in urls)


def test_general_feeds_are_not_marked_topical(default_feeds: list[FeedSpec]) -> None:
    diplomat = next(feed for feed in default_feeds if host(feed.url) == "thediplomat.com")

    assert diplomat.topical is False


# ── Operator files ────────────────────────────────────────────────────────────


def test_operator_file_loads_with_defaults(tmp_path: Path) -> None:
    feeds = load_feed_list(write(tmp_path, VALID_ENTRY))

    assert feeds == [
        FeedSpec(
            name="Yonhap — North Korea",
            url="https://en.yna.co.kr/RSS/nk.xml",
            language=Language.EN,
            provenance=Provenance.WIRE,
            weight=1.0,
            full_text=False,
            topical=False,
            source="Yonhap — North Korea",
        )
    ]


def test_operator_file_reads_every_field(tmp_path: Path) -> None:
    text = VALID_ENTRY + 'weight = 2\nfull_text = true\ntopical = true\nsource = "Yonhap"\n'

    (feed,) = load_feed_list(write(tmp_path, text))

    assert (feed.weight, feed.full_text, feed.topical, feed.source) == (2.0, True, True, "Yonhap")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_feed_list(tmp_path / "nope.toml")


def test_file_without_feeds_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no feeds"):
        load_feed_list(write(tmp_path, "# nothing yet\n"))


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    text = VALID_ENTRY + "\n[[feeds]]\nname = Korea Herald\n"
    path = write(tmp_path, text)

    with pytest.raises(ConfigError) as caught:
        load_feed_list(path)

    message = str(caught.value)
    assert str(path) in message
    assert "line 9, column 8" in message


PROVENANCE = 'provenance = "newspaper"'
SECOND_ENTRY = """
[[feeds]]
name = "Korea Herald"
url = "https://www.koreaherald.com/rss/newsAll"
language = "en"
provenance = "newspaper"
"""


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ('name = "Korea Herald"\n', "", "missing 'name'"),
        ('url = "https://www.koreaherald.com/rss/newsAll"\n', "", "missing 'url'"),
        ("https://www.koreaherald", "ftp://www.koreaherald", "bad url"),
        ("https://www.koreaherald", "www.koreaherald", "bad url"),
        ('language = "en"', 'language = "ja"', "unknown language 'ja'"),
        ('language = "en"', "language = 1", "language must be a non-empty string"),
        (PROVENANCE, 'provenance = "state"', "unknown provenance 'state'"),
        (PROVENANCE, f"{PROVENANCE}\nweight = 0", "weight must be a positive number"),
        (PROVENANCE, f"{PROVENANCE}\nweight = -1.5", "weight must be a positive number"),
        (PROVENANCE, f'{PROVENANCE}\nweight = "high"', "weight must be a positive number"),
        (PROVENANCE, f"{PROVENANCE}\nweight = true", "weight must be a positive number"),
        (PROVENANCE, f"{PROVENANCE}\nweight = nan", "weight must be a positive number"),
        (PROVENANCE, f'{PROVENANCE}\ntopical = "yes"', "topical must be true or false"),
        (PROVENANCE, f"{PROVENANCE}\nfulltext = true", "unknown key(s) fulltext"),
    ],
)
def test_invalid_entry_names_the_line_of_its_header(
    tmp_path: Path, replace: str, by: str, expected: str
) -> None:
    bad = SECOND_ENTRY.replace(replace, by)
    assert bad != SECOND_ENTRY
    # The first entry's header is on line 2, the second's on line 9.
    text = VALID_ENTRY + "# a comment between entries\n" + bad + "\n"

    with pytest.raises(ConfigError) as caught:
        load_feed_list(write(tmp_path, text))

    message = str(caught.value)
    assert re.search(r"feeds\.toml: line 9\b", message), message
    assert expected in message


def test_duplicate_url_names_the_second_entry_and_the_first(tmp_path: Path) -> None:
    duplicate = VALID_ENTRY.replace("Yonhap — North Korea", "Copy").replace(
        "nk.xml", "nk.xml?utm_source=rss"
    )
    path = write(tmp_path, VALID_ENTRY + duplicate)

    with pytest.raises(ConfigError) as caught:
        load_feed_list(path)

    message = str(caught.value)
    assert "line 8" in message
    assert "duplicate URL" in message
    assert "'Yonhap — North Korea'" in message


def test_duplicate_name_is_a_config_error(tmp_path: Path) -> None:
    duplicate = VALID_ENTRY.replace("nk.xml", "news.xml")

    with pytest.raises(ConfigError, match=r"line 8.*duplicate feed name"):
        load_feed_list(write(tmp_path, VALID_ENTRY + duplicate))


def test_inline_array_without_headers_names_the_entry_number() -> None:
    text = (
        'feeds = [{ name = "A", url = "https://a.example/feed", language = "xx",'
        ' provenance = "wire" }]'
    )

    with pytest.raises(ConfigError, match=r"feed #1.*unknown language"):
        parse_feed_list(text, origin="inline.toml")


def test_unknown_top_level_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown top-level key"):
        parse_feed_list("[feed]\nname = 'x'\n" + VALID_ENTRY)


def test_kcna_watch_items_are_labelled_as_state_media() -> None:
    [kcna] = [feed for feed in load_feed_list() if "kcnawatch.org" in feed.url]
    assert kcna.provenance is Provenance.NK_STATE_MEDIA
    assert "KCNA" in kcna.source


def test_general_news_feeds_get_no_topical_prior(default_feeds: list[FeedSpec]) -> None:
    general = {"Yonhap — All news", "Korea Herald", "Korea Times", "Hankyoreh English"}
    for feed in default_feeds:
        if feed.name in general:
            assert not feed.topical, feed.name


# The entry issue 4 specified, exactly: name, url, language — the first thing an operator writes.
FOUR_LINE_ENTRY = """[[feeds]]
name = "Yonhap — North Korea"
url = "https://en.yna.co.kr/RSS/nk.xml"
language = "en"
"""


def test_the_four_line_entry_loads_without_provenance(tmp_path: Path) -> None:
    (feed,) = load_feed_list(write(tmp_path, FOUR_LINE_ENTRY))
    assert feed.name == "Yonhap — North Korea"
    assert feed.provenance is Provenance.UNSTATED
    assert feed.weight == 1.0 and feed.source == feed.name


def test_an_unstated_provenance_briefs_without_a_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli.main import main

    fixture = Path(__file__).parent / "fixtures" / "briefing" / "yonhap_nk_en.xml"
    entry = FOUR_LINE_ENTRY.replace("https://en.yna.co.kr/RSS/nk.xml", fixture.as_uri())
    feeds = write(tmp_path, entry)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BRIEFBOT_FEEDS", str(feeds))
        code = main(["briefing", "--now", "2026-11-27T21:00Z", "--no-articles", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    stories = [story for section in json.loads(out)["sections"] for story in section["stories"]]
    assert stories, "the feed's relevant items make stories"
    sources = [source for story in stories for source in story["sources"]]
    assert {source["name"] for source in sources} == {"Yonhap — North Korea"}
    assert not any(source["state_media"] for source in sources)


@pytest.mark.parametrize(
    ("url", "name", "expected"),
    [
        ("https://tass.com/rss/v2.xml", "TASS", Provenance.RU_STATE_MEDIA),
        ("https://www.cgtn.com/subscribe/rss/section/world.xml", "CGTN", Provenance.CN_STATE_MEDIA),
        ("https://www.globaltimes.cn/rss/outbrain.xml", "Global Times", Provenance.CN_STATE_MEDIA),
        ("https://en.yna.co.kr/RSS/nk.xml", "Yonhap", Provenance.UNSTATED),
    ],
)
def test_a_known_state_medium_is_labelled_without_being_told(
    tmp_path: Path, url: str, name: str, expected: Provenance
) -> None:
    entry = f'[[feeds]]\nname = "{name}"\nurl = "{url}"\nlanguage = "en"\n'
    (feed,) = load_feed_list(write(tmp_path, entry))
    assert feed.provenance is expected


def test_a_stated_provenance_wins_over_the_outlet_table(tmp_path: Path) -> None:
    entry = '[[feeds]]\nname = "TASS"\nurl = "https://tass.com/rss/v2.xml"\nlanguage = "en"\n'
    entry += 'provenance = "wire"\n'
    (feed,) = load_feed_list(write(tmp_path, entry))
    assert feed.provenance is Provenance.WIRE


# ── Korean names ──────────────────────────────────────────────────────────────


def test_every_default_feed_has_names_in_both_languages(default_feeds: list[FeedSpec]) -> None:
    hangul = re.compile("[가-힣]")
    for feed in default_feeds:
        assert hangul.search(feed.display_name("ko")), feed.name
        assert not hangul.search(feed.display_name("en")), feed.name
        if feed.language == Language.EN:
            assert hangul.search(feed.source_ko), feed.name
            assert feed.display_name("en") == feed.name
        else:
            assert not hangul.search(feed.source_en), feed.name


def test_korean_names_are_read_from_the_entry(tmp_path: Path) -> None:
    text = (
        VALID_ENTRY + 'source = "Yonhap"\nsource_ko = "연합"\nname_ko = "연합뉴스 영문판 — 북한"\n'
    )

    (feed,) = load_feed_list(write(tmp_path, text))

    assert (feed.source_ko, feed.display_name("ko")) == ("연합", "연합뉴스 영문판 — 북한")


def test_without_korean_names_a_known_outlet_lends_its_own(tmp_path: Path) -> None:
    entries = VALID_ENTRY + 'source = "Yonhap"\n' + SECOND_ENTRY
    (yonhap, herald) = load_feed_list(write(tmp_path, entries))

    # Named after a section: the Korean outlet name, but the feed keeps its own name.
    assert (yonhap.source_ko, yonhap.name_ko) == ("연합뉴스", "Yonhap — North Korea")
    # Named after its outlet: the outlet's Korean name is the feed's too.
    assert (herald.source_ko, herald.name_ko) == ("코리아헤럴드", "코리아헤럴드")


def test_an_unknown_outlet_and_a_korean_source_keep_their_names(tmp_path: Path) -> None:
    text = """
[[feeds]]
name = "Peninsula Weekly"
url = "https://weekly.example/feed"
language = "en"

[[feeds]]
name = "한겨레 — 정치"
url = "https://www.hani.co.kr/rss/politics/"
language = "ko"
source = "한겨레"
"""
    (weekly, hani) = load_feed_list(write(tmp_path, text))

    assert (weekly.source_ko, weekly.display_name("ko")) == ("Peninsula Weekly", "Peninsula Weekly")
    assert (hani.source_ko, hani.display_name("ko")) == ("한겨레", "한겨레 — 정치")
    # English readers get a known outlet's English name, and the feed's own name.
    assert (hani.source_en, hani.display_name("en")) == ("The Hankyoreh", "한겨레 — 정치")


def test_a_korean_name_must_be_text(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="source_ko must be a non-empty string"):
        load_feed_list(write(tmp_path, VALID_ENTRY + "source_ko = 1\n"))


def test_items_take_their_outlet_and_korean_name_from_the_feed_list() -> None:
    (feed,) = parse_feed_list(VALID_ENTRY + 'source = "Yonhap"\noutlet = "yonhap"\n')
    item = news("https://en.yna.co.kr/view/1", "N. Korea fires missile")
    stray = replace(item, feed_name="A feed no longer listed")

    named, kept = identify([replace(item, feed_name=feed.name), stray], [feed])

    assert (named.outlet, named.source_ko, named.source_en) == ("yonhap", "연합뉴스", "Yonhap")
    assert (named.source_name("ko"), named.source_name("en")) == ("연합뉴스", "Yonhap")
    assert kept == stray


def test_english_names_are_read_from_the_entry(tmp_path: Path) -> None:
    text = """
[[feeds]]
name = "동아일보 — 정치"
url = "https://rss.donga.com/politics.xml"
language = "ko"
source = "동아일보"
source_en = "Dong-A Ilbo"
name_en = "Dong-A Ilbo — Politics"
"""
    (feed,) = load_feed_list(write(tmp_path, text))

    assert (feed.source_en, feed.display_name("en")) == ("Dong-A Ilbo", "Dong-A Ilbo — Politics")
    assert feed.display_name("ko") == "동아일보 — 정치"
