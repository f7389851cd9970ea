from __future__ import annotations

import pytest

from bot.articles.urls import (
    MAX_URL_LENGTH,
    Link,
    MarkedLink,
    canonical_url,
    find_links,
    links_in_message,
    validate_url,
)
from bot.errors import InvalidURL


@pytest.mark.parametrize(
    ("text", "links"),
    [
        (
            "기사: https://www.yna.co.kr/view/AKR20240101000100504입니다",
            ["https://www.yna.co.kr/view/AKR20240101000100504"],
        ),
        (
            "이거 보세요https://n.news.naver.com/article/001/0014439186 어때요?",
            ["https://n.news.naver.com/article/001/0014439186"],
        ),
        ("https://ko.wikipedia.org/wiki/대한민국 참고", ["https://ko.wikipedia.org/wiki/대한민국"]),
        (
            "검색: https://search.naver.com/search.naver?query=북한&where=news, 끝",
            ["https://search.naver.com/search.naver?query=북한&where=news"],
        ),
        (
            "「https://news.kbs.co.kr/news/view.do?ncd=7851234」에서 봤어요.",
            ["https://news.kbs.co.kr/news/view.do?ncd=7851234"],
        ),
        ("(see https://example.com/a).", ["https://example.com/a"]),
        (
            "https://en.wikipedia.org/wiki/Korea_(disambiguation)",
            ["https://en.wikipedia.org/wiki/Korea_(disambiguation)"],
        ),
        ("Read this: https://example.com/story?id=5!", ["https://example.com/story?id=5"]),
        (
            "<https://a.example/x>; [b](https://b.example/y)",
            ["https://a.example/x", "https://b.example/y"],
        ),
        ("https://c.example/z… 그리고", ["https://c.example/z"]),
        (
            "www.donga.com/news/article/all/20240101",
            ["https://www.donga.com/news/article/all/20240101"],
        ),
        ("mail me at me@www.example.com", []),
        ("www.example alone is not a link", []),
        ("ftp://files.example.com/x javascript:alert(1) http://", []),
    ],
)
def test_find_links(text: str, links: list[str]) -> None:
    assert find_links(text) == links


def marked(text: str, part: str, target: str | None = None) -> MarkedLink:
    start = text.index(part)
    return MarkedLink(start, start + len(part), target)


def test_a_marked_address_without_a_scheme_gets_https_then_http() -> None:
    text = "연합뉴스 en.yna.co.kr/view/AEN20240101000100315 참고"
    [link] = links_in_message(text, [marked(text, "en.yna.co.kr/view/AEN20240101000100315")])
    assert link == Link(
        "en.yna.co.kr/view/AEN20240101000100315",
        text.index("en."),
        "https://en.yna.co.kr/view/AEN20240101000100315",
        "http://en.yna.co.kr/view/AEN20240101000100315",
    )


def test_a_hidden_link_is_quoted_by_its_words() -> None:
    text = "read this piece and that one"
    links = links_in_message(
        text,
        [
            marked(text, "that one", "https://b.example/2"),
            marked(text, "this piece", "https://a.example/1"),
        ],
    )
    assert [(link.written, link.url) for link in links] == [
        ("this piece", "https://a.example/1"),
        ("that one", "https://b.example/2"),
    ]


def test_marked_links_to_other_schemes_are_not_links() -> None:
    text = "write to me or open the app"
    marks = [marked(text, "me", "mailto:me@example.com"), marked(text, "app", "tg://resolve")]
    assert links_in_message(text, marks) == []


def test_with_marked_links_the_text_is_not_searched_again() -> None:
    """Telegram's marks are where links are: what it did not mark is not a link."""
    text = "see https://a.example/1 and tell www.b.example.com"
    assert [link.url for link in links_in_message(text, [marked(text, "https://a.example/1")])] == [
        "https://a.example/1"
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("https://exa mple.com", "https://exa mple.com"),
        ("look: http://exa mple.com/news/1 thanks", "http://exa mple.com/news/1"),
        ("http://", "http://"),
        ("see http:// example.com/a", "http:// example.com/a"),
        ("https://.com", "https://.com"),
        ("https://exa and more", "https://exa"),
        ("exa mple.com", "exa mple.com"),
        ("/summarize exa mple.com", "exa mple.com"),
    ],
)
def test_broken_links_are_reported_as_written(text: str, written: str) -> None:
    [link] = links_in_message(text)
    assert link.broken
    assert (link.written, text[link.start : link.end]) == (written, written)


def test_a_link_broken_by_a_space_is_not_fetched_in_part() -> None:
    """Telegram marks "mple.com" in "exa mple.com"; the whole is one broken link."""
    text = "exa mple.com"
    [link] = links_in_message(text, [marked(text, "mple.com")])
    assert (link.written, link.broken) == ("exa mple.com", True)


@pytest.mark.parametrize(
    "text",
    [
        "http://localhost:8080/story",
        "http://127.0.0.1:8080/story",
        "http://[::1]/story",
    ],
)
def test_hosts_without_a_dot_that_name_a_machine_are_not_broken(text: str) -> None:
    [link] = links_in_message(text)
    assert link.url == text


def test_a_word_before_a_link_with_a_path_is_not_a_broken_link() -> None:
    text = "read en.yna.co.kr/view/AEN1"
    [link] = links_in_message(text, [marked(text, "en.yna.co.kr/view/AEN1")])
    assert link.url == "https://en.yna.co.kr/view/AEN1"


def test_find_links_removes_duplicates_by_canonical_form() -> None:
    text = "https://example.com/a?utm_source=tg https://EXAMPLE.com:443/a#top https://example.com/b"
    assert find_links(text) == ["https://example.com/a?utm_source=tg", "https://example.com/b"]


def test_find_links_keeps_order_and_stops_at_limit() -> None:
    text = " ".join(f"https://example.com/{n}" for n in range(5))
    assert find_links(text, limit=2) == ["https://example.com/0", "https://example.com/1"]
    assert find_links(text, limit=0) == []


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.COM/Path/To", "https://news.example.com/Path/To"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        (
            "https://example.com/a?utm_source=x&utm_medium=y&fbclid=1&gclid=2&b=2&a=1",
            "https://example.com/a?a=1&b=2",
        ),
        (
            "https://example.com/?mc_cid=1&mc_eid=2&igshid=3&ref=tw&ref_src=x&cmpid=4&ns_mchannel=5"
            "&_ga=6&yclid=7&spm=8&id=9",
            "https://example.com/?id=9",
        ),
        ("https://example.com/?UTM_Source=x&Id=1", "https://example.com/?Id=1"),
        ("https://example.com/?id=2&id=1&a=0", "https://example.com/?a=0&id=2&id=1"),
        (
            "https://한국.kr/경로?q=북한",
            "https://xn--3e0b707e.kr/%EA%B2%BD%EB%A1%9C?q=%EB%B6%81%ED%95%9C",
        ),
        ("https://example.com/a%2fb?x=%e3%81", "https://example.com/a%2Fb?x=%E3%81"),
        ("http://[::1]:80/", "http://[::1]/"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_canonical_url_is_stable() -> None:
    url = "https://Example.com/a?b=1&utm_campaign=x&a=2#f"
    assert canonical_url(canonical_url(url)) == canonical_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "example.com/news",
        "ftp://example.com/file",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http:///path-only",
        "http:example.com",
        "http://exa mple.com/",
        "http://exa%20mple.com/",
        "http://a..b/",
        "http://example.com:0/",
        "http://example.com:99999/",
        "http://evil.example\\@127.0.0.1/",
        "http://example.com/a\nb",
        "https://example.com/" + "a" * MAX_URL_LENGTH,
    ],
)
def test_validate_url_refuses(url: str) -> None:
    with pytest.raises(InvalidURL):
        validate_url(url)


def test_validate_url_reads_the_host_after_userinfo() -> None:
    # The request goes to the host after the last "@"; that is the one the fetch checks.
    assert validate_url("http://trusted.example@127.0.0.1/") == "http://trusted.example@127.0.0.1/"
    assert validate_url("http://a@b@10.0.0.1/").endswith("@10.0.0.1/")


def test_validate_url_normalizes() -> None:
    assert validate_url("  HTTPS://Example.COM/경로  ") == "https://example.com/%EA%B2%BD%EB%A1%9C"
