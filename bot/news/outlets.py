"""Outlets the bot knows by name or web address: which of them are state media, which are
South Korean, and what Korean newsrooms call them.

A reader must be able to tell reporting from a state's own voice, so items from state
media carry a label with the country, whether or not the operator's feed list says so:
a feed entry without ``provenance`` gets it from here, and so do items that only name
their source (``briefbot triage``). The lists are of outlets that are owned or directed
by a state's government or ruling party, as the outlets themselves or their governments
describe them.

Korean readers see outlets by the names Korean newsrooms use (연합뉴스, 로이터통신,
조선중앙통신): a feed entry without ``source_ko`` gets it from :func:`korean_name`.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from dataclasses import dataclass

import httpx

from bot.models import Provenance

_DOMAINS: dict[str, Provenance] = {
    # North Korea
    "kcna.kp": Provenance.NK_STATE_MEDIA,
    "kcna.co.jp": Provenance.NK_STATE_MEDIA,
    "rodong.rep.kp": Provenance.NK_STATE_MEDIA,
    "uriminzokkiri.com": Provenance.NK_STATE_MEDIA,
    "vok.rep.kp": Provenance.NK_STATE_MEDIA,
    "kcnawatch.org": Provenance.NK_STATE_MEDIA,
    # Russia
    "tass.com": Provenance.RU_STATE_MEDIA,
    "tass.ru": Provenance.RU_STATE_MEDIA,
    "ria.ru": Provenance.RU_STATE_MEDIA,
    "sputniknews.com": Provenance.RU_STATE_MEDIA,
    "sputnikglobe.com": Provenance.RU_STATE_MEDIA,
    "rt.com": Provenance.RU_STATE_MEDIA,
    # China
    "xinhuanet.com": Provenance.CN_STATE_MEDIA,
    "news.cn": Provenance.CN_STATE_MEDIA,
    "cgtn.com": Provenance.CN_STATE_MEDIA,
    "globaltimes.cn": Provenance.CN_STATE_MEDIA,
    "chinadaily.com.cn": Provenance.CN_STATE_MEDIA,
    "people.com.cn": Provenance.CN_STATE_MEDIA,
    "people.cn": Provenance.CN_STATE_MEDIA,
    # Others
    "irna.ir": Provenance.IR_STATE_MEDIA,
    "presstv.ir": Provenance.IR_STATE_MEDIA,
    "vnanet.vn": Provenance.VN_STATE_MEDIA,
    "vietnamplus.vn": Provenance.VN_STATE_MEDIA,
    "belta.by": Provenance.BY_STATE_MEDIA,
    "granma.cu": Provenance.CU_STATE_MEDIA,
}

_NAMES: dict[str, Provenance] = {
    "kcna": Provenance.NK_STATE_MEDIA,
    "korean central news agency": Provenance.NK_STATE_MEDIA,
    "rodong sinmun": Provenance.NK_STATE_MEDIA,
    "uriminzokkiri": Provenance.NK_STATE_MEDIA,
    "voice of korea": Provenance.NK_STATE_MEDIA,
    "조선중앙통신": Provenance.NK_STATE_MEDIA,
    "노동신문": Provenance.NK_STATE_MEDIA,
    "tass": Provenance.RU_STATE_MEDIA,
    "ria novosti": Provenance.RU_STATE_MEDIA,
    "sputnik": Provenance.RU_STATE_MEDIA,
    "rt": Provenance.RU_STATE_MEDIA,
    "xinhua": Provenance.CN_STATE_MEDIA,
    "cgtn": Provenance.CN_STATE_MEDIA,
    "global times": Provenance.CN_STATE_MEDIA,
    "china daily": Provenance.CN_STATE_MEDIA,
    "people's daily": Provenance.CN_STATE_MEDIA,
    "irna": Provenance.IR_STATE_MEDIA,
    "press tv": Provenance.IR_STATE_MEDIA,
    "vna": Provenance.VN_STATE_MEDIA,
    "belta": Provenance.BY_STATE_MEDIA,
    "granma": Provenance.CU_STATE_MEDIA,
}


def known_provenance(url: str = "", source: str = "") -> Provenance | None:
    """The provenance of a known state medium at ``url`` or named ``source``, else None."""
    for domain in _domains_of(url):
        if domain in _DOMAINS:
            return _DOMAINS[domain]
    return _NAMES.get(_name(source))


def _domains_of(url: str) -> list[str]:
    """``news.cgtn.com`` → ``news.cgtn.com``, ``cgtn.com``, ``com``; none for a bad URL."""
    try:
        host = httpx.URL(url).host.lower() if url else ""
    except httpx.InvalidURL:
        return []
    domains = []
    while host:
        domains.append(host)
        _, _, host = host.partition(".")
    return domains


def _name(source: str) -> str:
    return " ".join(source.lower().split())


# Outlets by name in both languages, and which are South Korean (their domestic stories
# often never say "Korea" — the outlet is the evidence, the relevance model's
# ``outlet:korean`` feature). One table for both: ``outlets.toml``.


@dataclass(frozen=True, slots=True)
class KnownOutlet:
    """An outlet's name for English readers (``name``) and for Korean readers."""

    name: str
    name_ko: str
    country: str
    """ISO 3166 code of the country the outlet reports from (``KR``: South Korea)."""

    def name_for(self, language: str) -> str:
        return self.name_ko if language == "ko" else self.name


@functools.cache
def _outlets() -> tuple[dict[str, KnownOutlet], dict[str, KnownOutlet]]:
    """``outlets.toml`` read once: outlets by host and by every name they go by."""
    resource = importlib.resources.files("bot.news").joinpath("outlets.toml")
    by_host: dict[str, KnownOutlet] = {}
    by_name: dict[str, KnownOutlet] = {}
    for entry in tomllib.loads(resource.read_text(encoding="utf-8"))["outlet"]:
        outlet = KnownOutlet(entry["en"], entry["ko"], entry["country"])
        for host in entry["hosts"]:
            by_host[host] = outlet
        for name in (entry["en"], entry["ko"], *entry.get("aliases", ())):
            by_name[_name(name)] = outlet
    return by_host, by_name


def known_outlet(url: str = "", source: str = "") -> KnownOutlet | None:
    """The outlet at ``url`` (its most specific known host) or named ``source``, else None."""
    by_host, by_name = _outlets()
    for domain in _domains_of(url):
        if domain in by_host:
            return by_host[domain]
    return by_name.get(_name(source)) if source else None


def korean_name(url: str = "", source: str = "") -> str | None:
    """The Korean name of a known outlet at ``url`` or named ``source``, else None."""
    outlet = known_outlet(url, source)
    return outlet.name_ko if outlet is not None else None


def is_korean_outlet(url: str = "", source: str = "") -> bool:
    """Whether the item comes from a South Korean outlet, by its address or name."""
    outlet = known_outlet(url, source)
    return outlet is not None and outlet.country == "KR"


def outlet_kind(
    *,
    url: str,
    source: str,
    language: str,
    provenance: Provenance | None = None,
    topical: bool = False,
) -> str:
    """The kind of outlet, as the relevance model knows it (``bot.news.classifier``):
    ``topical`` (a feed entirely about the peninsula), ``nk_state``, ``state`` (another
    state's media), ``korean`` (a South Korean outlet, or Korean-language text) or
    ``foreign``."""
    provenance = provenance or known_provenance(url, source)
    if topical:
        return "topical"
    if provenance is Provenance.NK_STATE_MEDIA:
        return "nk_state"
    if provenance is not None and provenance.state_media_of is not None:
        return "state"
    if language == "ko" or is_korean_outlet(url, source):
        return "korean"
    return "foreign"
