"""The list of feeds to poll: a TOML file of ``[[feeds]]`` entries, checked on load.

``load_feed_list()`` reads the packaged default (``bot/news/feeds.toml``); an operator
points ``BRIEFBOT_FEEDS`` at a file of their own in the same format. Every problem is
a ``ConfigError`` naming the file and line, so a typo fails at start-up, not at 3 a.m.

For the offline demo and tests a feed's ``url`` may name a local file:
``file:relative/path.xml`` (relative to the feed list's own directory) or
``file:///absolute/path.xml``. Only the operator's feed list can do this; links that
readers send go through ``bot.articles.urls.validate_url``, which refuses every scheme but http(s).
"""

from __future__ import annotations

import importlib.resources
import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bot.articles.urls import canonical_url, validate_url
from bot.errors import ConfigError, InvalidURL
from bot.models import Language, NewsItem, Provenance
from bot.news.outlets import known_outlet, known_provenance, korean_name
from bot.text import has_hangul

_REQUIRED_KEYS = ("name", "url", "language")
_OPTIONAL_KEYS = (
    "provenance",
    "weight",
    "full_text",
    "topical",
    "source",
    "outlet",
    "name_ko",
    "source_ko",
    "name_en",
    "source_en",
)
_FEED_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*feeds[ \t]*\]\]", re.MULTILINE)


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedSpec:
    """One feed to poll, as configured."""

    name: str
    """Unique display name, e.g. "Yonhap — North Korea"."""
    url: str
    language: Language
    provenance: Provenance = Provenance.UNSTATED
    """Who publishes it; optional (an unstated provenance shows no label)."""
    weight: float = 1.0
    """Ranking weight, a positive number; 1.0 is ordinary."""
    full_text: bool = False
    """The feed's items carry the whole article, not an excerpt."""
    topical: bool = False
    """Every item is about the Koreas (a relevance prior); false for general feeds."""
    source: str = ""
    """Outlet name shown in briefings ("Yonhap · NK News"); defaults to ``name``."""
    outlet: str = ""
    """Identity of the outlet behind the feed, shared by its feeds in both languages
    (Yonhap and 연합뉴스 are one independent source); defaults to ``source``."""
    source_ko: str = ""
    """The outlet's name as Korean newsrooms write it ("연합뉴스", "코리아헤럴드"), shown
    to Korean readers. Defaults to the name of a known outlet
    (:func:`bot.news.outlets.korean_name`) unless ``source`` is already in Hangul,
    else ``source``."""
    name_ko: str = ""
    """The feed's Korean display name for /sources ("연합뉴스 영문판 — 북한"). Defaults
    to ``source_ko`` for a feed named after its outlet, else ``name``."""
    source_en: str = ""
    """The outlet's name for English readers ("Dong-A Ilbo" for 동아일보). Defaults to a
    known outlet's English name when ``source`` is in Hangul, else ``source``."""
    name_en: str = ""
    """The feed's English display name ("Yonhap (Korean) — North Korea"). Defaults to
    ``source_en`` for a feed named after its outlet, else ``name``."""

    def __post_init__(self) -> None:
        if not self.source:
            object.__setattr__(self, "source", self.name)
        if not self.outlet:
            object.__setattr__(self, "outlet", self.source)
        if not self.source_ko:
            known = None if has_hangul(self.source) else korean_name(self.url, self.source)
            object.__setattr__(self, "source_ko", known or self.source)
        if not self.source_en:
            outlet = known_outlet(self.url, self.source) if has_hangul(self.source) else None
            object.__setattr__(self, "source_en", outlet.name if outlet else self.source)
        named_after_outlet = self.name == self.source
        if not self.name_ko:
            object.__setattr__(self, "name_ko", self.source_ko if named_after_outlet else self.name)
        if not self.name_en:
            object.__setattr__(self, "name_en", self.source_en if named_after_outlet else self.name)

    def display_name(self, language: str) -> str:
        """The feed's name in the reader's language (/sources, operator messages)."""
        return self.name_ko if language == Language.KO else self.name_en


def load_feed_list(path: Path | None = None) -> list[FeedSpec]:
    """The feeds in ``path``, or in the packaged default list when ``path`` is None.

    Raises ``ConfigError`` if the file cannot be read, is not valid TOML (tomllib's
    message, with line and column, is kept) or has an invalid entry (the message
    names the line of that entry's ``[[feeds]]`` header).
    """
    if path is None:
        resource = importlib.resources.files("bot.news").joinpath("feeds.toml")
        return parse_feed_list(resource.read_text(encoding="utf-8"), origin="bot/news/feeds.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: feed list not found") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: feed list is not UTF-8 text") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read feed list: {exc.strerror or exc}") from exc
    return parse_feed_list(text, origin=str(path), base_dir=path.resolve().parent)


def parse_feed_list(
    text: str, origin: str = "<feeds>", *, base_dir: Path | None = None
) -> list[FeedSpec]:
    """The feeds in TOML ``text``; ``origin`` (a path) prefixes error messages.

    ``base_dir`` is where relative ``file:`` URLs point from (the list's directory);
    without it only absolute ``file:///`` URLs are accepted.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML: {exc}") from exc
    unknown = sorted(set(document) - {"feeds"})
    if unknown:
        raise ConfigError(f"{origin}: unknown top-level key(s) {', '.join(unknown)}")
    entries = document.get("feeds")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{origin}: no feeds; add [[feeds]] entries")

    header_lines = [text.count("\n", 0, match.start()) + 1 for match in _FEED_HEADER.finditer(text)]
    specs: list[FeedSpec] = []
    seen_urls: dict[str, str] = {}
    seen_names: set[str] = set()
    for index, entry in enumerate(entries):
        line = header_lines[index] if len(header_lines) == len(entries) else None
        where = f"{origin}: line {line}" if line else f"{origin}: feed #{index + 1}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: each feed must be a table")
        spec = _feed_spec(entry, where, base_dir)
        if spec.name in seen_names:
            raise ConfigError(f"{where}: duplicate feed name {spec.name!r}")
        key = spec.url if local_feed_path(spec.url) else canonical_url(spec.url)
        if key in seen_urls:
            raise ConfigError(f"{where}: duplicate URL {spec.url} (also in {seen_urls[key]!r})")
        seen_names.add(spec.name)
        seen_urls[key] = spec.name
        specs.append(spec)
    return specs


def identify(items: Iterable[NewsItem], feeds: Iterable[FeedSpec]) -> list[NewsItem]:
    """``items`` with their outlet's identity and its names in both languages from the
    feed list.

    Looked up by feed name, not stored with the items: an edited feed list applies to
    the items already stored. Items of a feed no longer listed keep what they have.
    """
    by_name = {feed.name: feed for feed in feeds}
    named = []
    for item in items:
        feed = by_name.get(item.feed_name)
        if feed is not None:
            item = replace(
                item, outlet=feed.outlet, source_ko=feed.source_ko, source_en=feed.source_en
            )
        named.append(item)
    return named


def local_feed_path(url: str) -> Path | None:
    """The file a ``file:`` feed URL names (as resolved by the loader), else None."""
    if not url.lower().startswith("file:"):
        return None
    return Path(unquote(urlsplit(url).path))


def _feed_spec(entry: dict[str, Any], where: str, base_dir: Path | None) -> FeedSpec:
    """One validated entry; ``where`` ("file: line N") prefixes every error."""
    label = f"{where} (feed {entry['name']!r})" if isinstance(entry.get("name"), str) else where
    unknown = sorted(set(entry) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS))
    if unknown:
        allowed = ", ".join(_REQUIRED_KEYS + _OPTIONAL_KEYS)
        raise ConfigError(f"{label}: unknown key(s) {', '.join(unknown)}; allowed: {allowed}")
    for key in _REQUIRED_KEYS:
        if key not in entry:
            raise ConfigError(f"{label}: missing {key!r}")

    name = _text(entry, "name", label)
    url = _text(entry, "url", label)
    if url.lower().startswith("file:"):
        url = _local_feed_url(url, label, base_dir)
    else:
        try:
            validate_url(url)
        except InvalidURL as exc:
            raise ConfigError(f"{label}: bad url {url!r}: {exc}") from exc
    language = _text(entry, "language", label)
    if language not in set(Language):
        expected = " or ".join(sorted(Language))
        raise ConfigError(f"{label}: unknown language {language!r}; expected {expected}")
    provenance = _provenance(entry, label, url, name)
    weight = entry.get("weight", 1.0)
    # bool is an int subclass: "weight = true" is a mistake, not 1.
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise ConfigError(f"{label}: weight must be a positive number, not {weight!r}")
    if not (_finite(weight) and weight > 0):
        raise ConfigError(f"{label}: weight must be a positive number, not {weight!r}")
    source, outlet, source_ko, name_ko, source_en, name_en = (
        _text(entry, key, label) if key in entry else ""
        for key in ("source", "outlet", "source_ko", "name_ko", "source_en", "name_en")
    )
    return FeedSpec(
        name=name,
        url=url,
        language=Language(language),
        provenance=provenance,
        weight=float(weight),
        full_text=_flag(entry, "full_text", label),
        topical=_flag(entry, "topical", label),
        source=source,
        outlet=outlet,
        source_ko=source_ko,
        name_ko=name_ko,
        source_en=source_en,
        name_en=name_en,
    )


def _local_feed_url(url: str, label: str, base_dir: Path | None) -> str:
    """``file:`` URL → ``file:///absolute/path`` of an existing file, or ``ConfigError``."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
        raise ConfigError(f"{label}: bad url {url!r}: expected file:path or file:///path")
    raw = unquote(parts.path)
    if not raw:
        raise ConfigError(f"{label}: bad url {url!r}: no file named")
    path = Path(raw)
    if not path.is_absolute():
        if base_dir is None:
            raise ConfigError(f"{label}: relative file url {url!r} needs a feed list file")
        path = base_dir / path
    try:
        path = path.resolve()
        found = path.is_file()
    except (OSError, ValueError) as exc:  # a NUL byte, a name too long
        raise ConfigError(f"{label}: bad url {url!r}: {exc}") from exc
    if not found:
        raise ConfigError(f"{label}: feed file {path} not found")
    return path.as_uri()


def _finite(number: float) -> bool:
    """Not inf or nan; TOML integers have no size limit, and beyond a float's are not."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _text(entry: dict[str, Any], key: str, label: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{label}: {key} must be a non-empty string")
    return value.strip()


def _flag(entry: dict[str, Any], key: str, label: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{label}: {key} must be true or false, not {value!r}")
    return value


def _provenance(entry: dict[str, Any], label: str, url: str, name: str) -> Provenance:
    """As the entry says; otherwise a known state medium's, else unstated (no label)."""
    if "provenance" not in entry:
        return known_provenance(url, name) or Provenance.UNSTATED
    given = _text(entry, "provenance", label)
    try:
        return Provenance(given)
    except ValueError:
        expected = ", ".join(p.value for p in Provenance)
        raise ConfigError(
            f"{label}: unknown provenance {given!r}; expected one of {expected}"
        ) from None
