"""Parsers that never raise on junk: property tests over what strangers and operators type.

Whatever the input, each parser either gives its answer or raises its own documented
error (``InvalidURL``, ``ConfigError``, ``FeedParseError``), never a stray
``UnicodeError``, ``ValueError`` or ``OverflowError`` from deep inside. Hypothesis runs
derandomized (the same examples on every run), with a modest budget and no deadline.
"""

from __future__ import annotations

import encodings.aliases
import string
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.articles.charset import WEB_CODECS, decode_document, normalize_charset
from bot.articles.urls import canonical_url, find_links, validate_url
from bot.errors import ConfigError, FeedParseError, InvalidURL
from bot.models import Language, Provenance
from bot.news.feedlist import FeedSpec, parse_feed_list
from bot.news.feeds import parse_feed
from tests.support.paths import FIXTURES

FUZZ = settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# ── Charset labels ────────────────────────────────────────────────────────────

PYTHON_CODEC_NAMES = sorted({*encodings.aliases.aliases, *encodings.aliases.aliases.values()})
labels = st.one_of(
    st.sampled_from(PYTHON_CODEC_NAMES),
    st.sampled_from(["utf-8", "euc-kr", "utf-16", "iso-2022-kr", "x-user-defined", "replacement"]),
    st.text(max_size=40),
    st.text(alphabet=string.ascii_lowercase + string.digits + "-_.:", max_size=5_000),
)
content_types = st.sampled_from(["text/html", "text/plain", "application/xml"])


@FUZZ
@given(body=st.binary(max_size=2_000), header=st.none() | labels, content_type=content_types)
def test_any_bytes_with_any_label_decode(
    body: bytes, header: str | None, content_type: str
) -> None:
    text, codec = decode_document(body, header, content_type)

    assert isinstance(text, str)
    assert codec in WEB_CODECS


@FUZZ
@given(label=labels, declared_in=st.sampled_from(["header", "meta", "xml"]))
@example(label="KOI;", declared_in="meta")
def test_ascii_text_under_a_label_outside_the_standard_reads_as_itself(
    label: str, declared_in: str
) -> None:
    if normalize_charset(label) is not None:
        return  # a web encoding: honoured, so it may read differently
    html = "<p>A+ACE- at www.xn--3e0b707e.kr, C:\\u00e9 and 1+1=2.</p>"
    if declared_in == "meta":
        html = f'<meta charset="{label}">{html}'
    elif declared_in == "xml":
        html = f'<?xml version="1.0" encoding="{label}"?>{html}'
    body = html.encode("utf-8")  # a label may hold non-ASCII text; the page is still UTF-8
    header = label if declared_in == "header" else None

    # A label inside a tag ends where label characters do: "KOI;" declares KOI8-R ("koi"),
    # which reads ASCII as ASCII. Only the text is the point.
    text, _codec = decode_document(body, header)
    assert text == html


@FUZZ
@given(label=st.text() | labels)
def test_normalize_charset_names_a_web_codec_or_nothing(label: str) -> None:
    assert normalize_charset(label) in {*WEB_CODECS, None}


# ── URLs ──────────────────────────────────────────────────────────────────────

URL_CHARS = string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=% \\\t\n" + "한글é\x00"
url_like = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=URL_CHARS, max_size=300),
    st.builds(
        "{}{}{}".format,
        st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "//", "www.", ""]),
        st.text(alphabet=URL_CHARS, max_size=80),
        st.text(alphabet=URL_CHARS, max_size=80),
    ),
)


@FUZZ
@given(text=url_like)
def test_validate_url_raises_only_invalid_url(text: str) -> None:
    try:
        url = validate_url(text)
    except InvalidURL:
        return
    assert url.startswith(("http://", "https://"))


@FUZZ
@given(text=url_like)
def test_canonical_url_raises_only_invalid_url(text: str) -> None:
    try:
        canonical = canonical_url(text)
    except InvalidURL:
        return
    assert canonical_url(canonical) == canonical


@FUZZ
@given(text=st.text(max_size=500) | url_like)
def test_find_links_finds_only_valid_links(text: str) -> None:
    for link in find_links(text, limit=100):
        validate_url(link)


# ── The feed list ─────────────────────────────────────────────────────────────

toml_values = st.one_of(
    st.text(max_size=30).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers().map(str),
    st.integers(min_value=10**300, max_value=10**400).map(str),  # TOML ints have no size limit
    st.floats().map(lambda f: "nan" if f != f else ("inf" if f == float("inf") else repr(f))),
    st.sampled_from(["true", "false", "[]", "{}", '["a"]', "1979-05-27", '"file:"']),
    st.sampled_from(['"file:%00"', '"file:///%00"', '"file://host/x"', '"https://a.example/"']),
    st.sampled_from(['"https://[::1]/"', '"http://a:0/"', '"en"', '"ko"', '"wire"']),
    url_like.map(lambda url: '"file:' + url.replace("\\", "").replace('"', "") + '"'),
    st.text(max_size=10),
)
keys = st.sampled_from(
    ["name", "url", "language", "provenance", "weight", "full_text", "topical", "source"]
) | st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8)
# A valid entry with one or more of its values replaced, so that every check is reached.
VALID = {"name": '"A"', "url": '"https://a.example/rss"', "language": '"en"'}


def feed_entry(changes: dict[str, str]) -> str:
    return "[[feeds]]\n" + "".join(f"{k} = {v}\n" for k, v in (VALID | changes).items())


entries = st.one_of(
    st.builds(lambda key, value: feed_entry({key: value}), keys, toml_values),
    st.dictionaries(keys, toml_values, max_size=3).map(feed_entry),
)
feed_lists = st.one_of(
    st.text(max_size=300),
    st.lists(entries, min_size=1, max_size=3).map("".join),
    st.lists(entries | st.text(max_size=40), max_size=3).map("\n".join),
)


@FUZZ
@given(text=feed_lists, base_dir=st.none() | st.just(FIXTURES))
@example(text=feed_entry({"weight": "1" + "0" * 400}), base_dir=None)  # beyond a float
@example(text=feed_entry({"url": '"file:///%00"'}), base_dir=None)  # a NUL in the path
def test_parse_feed_list_raises_only_config_error(text: str, base_dir: Path | None) -> None:
    try:
        feeds = parse_feed_list(text, base_dir=base_dir)
    except ConfigError:
        return
    assert feeds


# ── Feeds ─────────────────────────────────────────────────────────────────────

FEED = FeedSpec(
    name="Fuzz",
    url="https://news.example/rss",
    language=Language.EN,
    provenance=Provenance.NEWSPAPER,
)
FETCHED_AT = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
xml_text = st.text(max_size=60) | st.sampled_from(["<b>x</b>", "&amp;amp;", "]]>", "<!--", "&#0;"])
feeds = st.one_of(
    st.binary(max_size=1_000),
    st.builds(
        (
            '<?xml version="1.0" encoding="{}"?><rss version="2.0"><channel><title>{}</title>'
            "<link>{}</link><item><title>{}</title><link>{}</link><pubDate>{}</pubDate>"
            "<description>{}</description></item></channel></rss>"
        ).format,
        labels.filter(lambda label: len(label) < 100),
        xml_text,
        url_like,
        xml_text,
        url_like,
        st.text(max_size=40) | st.sampled_from(["2004-05-25 오후 11:23:17", "Sun,27 Sep 2026"]),
        xml_text,
    ).map(lambda text: text.encode("utf-8", errors="surrogatepass")),
)


@settings(FUZZ, max_examples=100)
@given(body=feeds, header=st.none() | labels)
def test_parse_feed_raises_only_feed_parse_error(body: bytes, header: str | None) -> None:
    try:
        parsed = parse_feed(body, feed=FEED, content_type_charset=header, fetched_at=FETCHED_AT)
    except FeedParseError:
        return
    for item in parsed.items:
        validate_url(item.url)
