"""Links in chat messages: finding them, checking them, and one canonical form per page.

URLs are parsed with ``httpx.URL``, the parser that also builds the request, so the
host we check is the host we connect to. Whether that host may be reached is not
decided here but at connect time (``bot.articles.fetch``), for every address it resolves to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote_plus

import httpx

from bot.articles.addresses import is_localhost_name, parse_ip_literal
from bot.errors import InvalidURL

MAX_URL_LENGTH = 2048
"""Longer URLs are refused; browsers and servers commonly stop around here too."""

TRACKING_PARAMETERS = frozenset(
    {
        "_ga",  # Google Analytics cross-domain linker
        "_gl",  # Google tag linker
        "_hsenc",  # HubSpot
        "_hsmi",
        "cmpid",  # campaign id (various publishers)
        "dclid",  # Google Display & Video
        "fbclid",  # Facebook
        "gbraid",  # Google Ads (iOS)
        "gclid",  # Google Ads
        "gclsrc",
        "igsh",  # Instagram share
        "igshid",
        "li_fat_id",  # LinkedIn
        "mc_cid",  # Mailchimp
        "mc_eid",
        "mkt_tok",  # Marketo
        "msclkid",  # Microsoft Ads
        "ref",  # referrer tags ("?ref=twitter")
        "ref_src",  # Twitter/X
        "ref_url",
        "spm",  # Alibaba/Taobao
        "ttclid",  # TikTok
        "twclid",  # Twitter/X Ads
        "wbraid",  # Google Ads (web-to-app)
        "xtor",  # AT Internet
        "yclid",  # Yandex
    }
)
"""Query parameters that only say where a click came from; dropped by ``canonical_url``."""

TRACKING_PREFIXES = ("utm_", "ns_", "pk_", "mtm_", "hsa_")
"""Families of tracking parameters: Google/UTM, comScore, Piwik/Matomo, HubSpot ads."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Whitespace, control characters and backslashes: URL parsers disagree about them,
# and no link a person sends needs them.
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_HOST_LABEL = re.compile(r"^[a-z0-9_-]{1,63}$")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")

# A link starts at "http(s)://" or a bare "www." that is not glued to a preceding
# ASCII word (Hangul right before it is fine: "기사https://…" is common).
_LINK_CANDIDATE = re.compile(
    r"(?:(?<![A-Za-z0-9])https?://|(?<![A-Za-z0-9.@/_:-])www\.)[^\s<>\"'`{}|\\^]+",
    re.IGNORECASE,
)
# Non-ASCII letters may continue a link only right after these (or after another
# non-ASCII letter), as in ".../wiki/대한민국" or "?query=북한"; "AKR2024…입니다" ends at "4".
_BEFORE_NON_ASCII = frozenset("/?=&#+-_~%:(")
# Where a broken address is looked for: every "http(s)://", even with nothing after it.
_SCHEME_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])https?://[^\s<>\"'`{}|\\^]*", re.IGNORECASE)
# The rest of a host name cut by one space: " mple.com" after "https://exa".
_HOST_AFTER_SPACE = re.compile(
    r"[ \t][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s<>\"'`{}|\\^]*)?"
)
# A line that is only a word and a bare domain ("exa mple.com"), after an optional command.
_SPLIT_DOMAIN_LINE = re.compile(
    r"^[ \t]*(?:/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?[ \t]+)?"
    r"(?P<link>[A-Za-z0-9-]{1,30}[ \t][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63})[ \t]*$",
    re.MULTILINE,
)
_TRAILING_PUNCTUATION = ".,;:!?'\"*"
_CLOSING_BRACKETS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True, slots=True)
class MarkedLink:
    """A link the messenger itself marked in a message, as a span of its text.

    ``text[start:end]`` is what the reader sees; ``target`` is where a hidden link
    points (``None``: the visible text is the address, perhaps written without a scheme).
    """

    start: int
    end: int
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """One link of a message, as it is answered.

    ``written`` is exactly what the message shows at ``start`` (an address, or the words
    of a hidden link), so a reply can quote it. ``url`` is what to fetch, ``None`` for a
    broken link (a space inside the address, no host). ``fallback`` is the ``http://``
    form, for an address written without a scheme whose ``https://`` form cannot be
    connected to.
    """

    written: str
    start: int
    url: str | None
    fallback: str | None = None

    @property
    def broken(self) -> bool:
        return self.url is None

    @property
    def end(self) -> int:
        return self.start + len(self.written)


def links_in_message(text: str, marked: Sequence[MarkedLink] = ()) -> list[Link]:
    """Every distinct link of a chat message, in the order written, broken ones included.

    ``marked`` are the links the messenger found; they are trusted for where links are,
    since its rules are the ones the reader saw applied (``en.yna.co.kr/view/…`` without a
    scheme, words hiding a link). Without them, addresses are found in the text itself
    (``find_links``). Either way an address broken by a space or missing its host
    (``https://exa mple.com``, ``http://``, ``https://.com``) is reported as broken rather
    than fetched in part, and so is a line holding nothing but a word and a bare domain
    (``exa mple.com``): a domain split by a stray space, far more often than a sentence.
    """
    broken = list(_broken_links(text))
    if marked:
        found = [_marked_link(text, mark) for mark in sorted(marked, key=lambda m: m.start)]
    else:
        found = list(_written_links(text))
    candidates = broken + [
        link
        for link in found
        if link is not None and not any(_overlap(link, other) for other in broken)
    ]
    links: list[Link] = []
    seen: set[str] = set()
    for link in sorted(candidates, key=lambda link: link.start):
        key = link.written if link.url is None else canonical_url(link.url)
        if key not in seen:
            seen.add(key)
            links.append(link)
    return links


def find_links(text: str, limit: int = 3) -> list[str]:
    """The first ``limit`` distinct http(s) links in plain text, in order of appearance.

    Bare ``www.`` links get ``https://``. Punctuation and brackets that end the sentence
    rather than the URL are trimmed, and Korean prose written right after a link
    (``…/AKR20240101000100504입니다``) is not taken as part of it. Links are returned
    as written; duplicates are detected by their canonical form; broken ones are left out.
    """
    links = [link.url for link in links_in_message(text) if link.url is not None]
    return links[: max(limit, 0)]


def _written_links(text: str) -> Iterator[Link]:
    for match in _LINK_CANDIDATE.finditer(text):
        written = _trim_link(match.group())
        if written.lower().startswith(("http://", "https://")):
            link = _checked(written, match.start(), written)
        else:
            link = _checked(written, match.start(), "https://" + written, "http://" + written)
            if link.url is not None and httpx.URL(link.url).host.count(".") < 2:
                continue  # "www.example" alone is more likely a typo than a link
        if link.url is not None:
            yield link


def _marked_link(text: str, mark: MarkedLink) -> Link | None:
    written = text[mark.start : mark.end]
    if mark.target is not None:
        if not _is_web_address(mark.target):
            return None  # tg://, mailto: and the like: nothing to summarize
        return _checked(written, mark.start, mark.target)
    written = _trim_link(written)
    if not written:
        return None
    if "://" in written:
        return _checked(written, mark.start, written) if _is_web_address(written) else None
    return _checked(written, mark.start, "https://" + written, "http://" + written)


def _broken_links(text: str) -> Iterator[Link]:
    for match in _SCHEME_CANDIDATE.finditer(text):
        written = _trim_link(match.group())
        if _checked(written, match.start(), written).url is not None:
            continue
        host = written.partition("://")[2].split("/", 1)[0]
        if "." not in host.strip("."):  # "https://exa mple.com": take the rest of the host
            rest = _HOST_AFTER_SPACE.match(text, match.start() + len(written))
            if rest is not None:
                written += rest.group()
        yield Link(written, match.start(), None)
    for match in _SPLIT_DOMAIN_LINE.finditer(text):
        yield Link(match.group("link"), match.start("link"), None)


def _checked(written: str, start: int, url: str, fallback: str | None = None) -> Link:
    """The link, or a broken one if ``url`` is no web address a person could mean."""
    try:
        validate_url(url)
    except InvalidURL:
        return Link(written, start, None)
    host = httpx.URL(url).host
    plausible = (
        "." in host.strip(".")
        or ":" in host
        or is_localhost_name(host)
        or parse_ip_literal(host) is not None
    )
    return Link(written, start, url, fallback) if plausible else Link(written, start, None)


def _is_web_address(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _overlap(one: Link, other: Link) -> bool:
    return one.start < other.end and other.start < one.end


def canonical_url(url: str) -> str:
    """One spelling per page, for de-duplication and cache keys.

    Lowercases scheme and host (IDNA-encoded), drops the default port and the
    fragment, removes tracking parameters (``TRACKING_PARAMETERS``,
    ``TRACKING_PREFIXES``), sorts the remaining query parameters, uppercases
    percent-escapes and keeps the path's case. Raises ``InvalidURL`` like ``validate_url``.
    """
    parsed = httpx.URL(validate_url(url))
    scheme = parsed.scheme
    host = parsed.raw_host.decode("ascii").lower()
    if ":" in host:
        host = f"[{host}]"
    port = "" if parsed.port in (None, _DEFAULT_PORTS[scheme]) else f":{parsed.port}"
    userinfo = parsed.userinfo.decode("ascii")
    authority = f"{userinfo}@{host}{port}" if userinfo else f"{host}{port}"
    path, _, query = parsed.raw_path.decode("ascii").partition("?")
    path = _upper_escapes(path or "/")
    query = _clean_query(query)
    return f"{scheme}://{authority}{path}" + (f"?{query}" if query else "")


def validate_url(url: str) -> str:
    """The URL normalized for fetching, or ``InvalidURL`` if it is not a plausible web link.

    Refused: empty or longer than ``MAX_URL_LENGTH``; whitespace, control characters
    or backslashes; schemes other than http/https; no host or a malformed one; a port
    outside 1-65535. User info (``user:pass@host``) is allowed: the host is what
    follows the last ``@``, exactly as the request will be sent.
    """
    text = url.strip()
    if not text:
        raise InvalidURL("empty URL")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidURL(f"URL longer than {MAX_URL_LENGTH} characters")
    if _FORBIDDEN_CHARS.search(text):
        raise InvalidURL("URL contains whitespace, control characters or a backslash")
    try:
        parsed = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise InvalidURL(f"malformed URL: {exc}") from exc
    if parsed.scheme not in _DEFAULT_PORTS:
        raise InvalidURL(f"only http and https links are fetched, not {parsed.scheme or '?'}:")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise InvalidURL("URL has no host")
    if not _is_valid_host(host):
        raise InvalidURL(f"malformed host name: {host[:100]}")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise InvalidURL(f"port out of range: {parsed.port}")
    normalized = str(parsed)
    if len(normalized) > MAX_URL_LENGTH:
        raise InvalidURL(f"URL longer than {MAX_URL_LENGTH} characters")
    return normalized


def _is_valid_host(host: str) -> bool:
    if ":" in host:  # httpx only lets IPv6 literals in brackets through with a colon
        return True
    name = host.lower().removesuffix(".")
    if len(name) > 253:
        return False
    return all(_HOST_LABEL.match(label) for label in name.split("."))


def _trim_link(candidate: str) -> str:
    """Cut a raw candidate where prose starts, then drop sentence punctuation at its end."""
    link = _cut_before_prose(candidate)
    while link:
        last = link[-1]
        if last in _TRAILING_PUNCTUATION:
            link = link[:-1]
        elif last in _CLOSING_BRACKETS and link.count(last) > link.count(_CLOSING_BRACKETS[last]):
            link = link[:-1]  # unbalanced: "(see https://x.com/a)" — keep "/wiki/A_(b)"
        else:
            break
    return link


def _cut_before_prose(candidate: str) -> str:
    authority_start = candidate.find("//") + 2 if "://" in candidate else 0
    in_host = True
    for index, char in enumerate(candidate):
        if index >= authority_start and char in "/?#":
            in_host = False
        if char.isascii():
            continue
        previous = candidate[index - 1]
        glued_to_ascii = previous.isascii() and previous not in _BEFORE_NON_ASCII
        if in_host and previous == ".":
            glued_to_ascii = False  # an internationalized label: "도메인.한국"
        if not char.isalnum() or glued_to_ascii:
            return candidate[:index]
    return candidate


def _clean_query(query: str) -> str:
    kept: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        name = unquote_plus(part.partition("=")[0])
        lowered = name.lower()
        if lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES):
            continue
        kept.append((name, _upper_escapes(part)))
    # Sorted by name only: the order of repeated names ("?id=2&id=1") can matter to a server.
    return "&".join(part for _, part in sorted(kept, key=lambda item: item[0]))


def _upper_escapes(text: str) -> str:
    return _PERCENT_ESCAPE.sub(lambda m: m.group().upper(), text)
