"""Links in chat messages: finding them, checking them, and one canonical form per page.

URLs are parsed with ``httpx.URL``, the parser that also builds the request, so the
host we check is the host we connect to. Whether that host may be reached is not
decided here but at connect time (``bot.articles.fetch``), for every address it resolves to.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

import httpx

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
_TRAILING_PUNCTUATION = ".,;:!?'\"*"
_CLOSING_BRACKETS = {")": "(", "]": "[", "}": "{"}


def find_links(text: str, limit: int = 3) -> list[str]:
    """The first ``limit`` distinct http(s) links in a chat message, in order of appearance.

    Bare ``www.`` links get ``https://``. Punctuation and brackets that end the sentence
    rather than the URL are trimmed, and Korean prose written right after a link
    (``…/AKR20240101000100504입니다``) is not taken as part of it. Links are returned
    as written; duplicates are detected by their canonical form.
    """
    links: list[str] = []
    seen: set[str] = set()
    if limit <= 0:
        return links
    for match in _LINK_CANDIDATE.finditer(text):
        link = _trim_link(match.group())
        bare = not link.lower().startswith(("http://", "https://"))
        if bare:
            link = "https://" + link
        try:
            canonical = canonical_url(link)
        except InvalidURL:
            continue
        if bare and httpx.URL(canonical).host.count(".") < 2:
            continue  # "www.example" alone is more likely a typo than a link
        if canonical in seen:
            continue
        seen.add(canonical)
        links.append(link)
        if len(links) >= limit:
            break
    return links


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
