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


# South Korean outlets: their domestic stories often never say "Korea" — the outlet is the
# evidence (the relevance model's ``outlet:korean`` feature).
_KOREAN_DOMAINS = frozenset(
    {
        "yna.co.kr", "yonhapnews.co.kr", "koreaherald.com", "koreatimes.co.kr",
        "chosun.com", "joongang.co.kr", "joins.com", "hani.co.kr", "donga.com",
        "khan.co.kr", "kbs.co.kr", "mbc.co.kr", "sbs.co.kr", "ytn.co.kr", "jtbc.co.kr",
        "newsis.com", "news1.kr", "mk.co.kr", "hankyung.com", "arirang.com",
        "korea.kr", "koreajoongangdaily.joins.com",
    }
)  # fmt: skip
_KOREAN_NAMES = frozenset(
    {
        "yna", "yonhap", "연합뉴스", "chosun", "조선일보", "korea herald", "korea times",
        "joongang", "중앙일보", "hankyoreh", "한겨레", "donga", "동아일보", "kyunghyang",
        "경향신문", "kbs", "kbs world", "mbc", "sbs", "ytn", "jtbc", "newsis", "news1",
    }
)  # fmt: skip


def is_korean_outlet(url: str = "", source: str = "") -> bool:
    """Whether the item comes from a South Korean outlet, by its address or name."""
    return any(d in _KOREAN_DOMAINS for d in _domains_of(url)) or _name(source) in _KOREAN_NAMES


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


# Outlets' names as South Korean newsrooms write them, for Korean readers: the default of
# a feed's ``source_ko`` when the feed list gives none. North Korean titles follow the
# South Korean press (노동신문, not 로동신문).
_KOREAN_NAMES_BY_DOMAIN: dict[str, str] = {
    "yna.co.kr": "연합뉴스", "yonhapnews.co.kr": "연합뉴스",
    "koreaherald.com": "코리아헤럴드", "koreatimes.co.kr": "코리아타임스",
    "koreajoongangdaily.joins.com": "코리아중앙데일리", "joongang.co.kr": "중앙일보",
    "chosun.com": "조선일보", "donga.com": "동아일보", "hani.co.kr": "한겨레",
    "khan.co.kr": "경향신문", "world.kbs.co.kr": "KBS 월드", "kbs.co.kr": "KBS",
    "mbc.co.kr": "MBC", "sbs.co.kr": "SBS", "ytn.co.kr": "YTN", "jtbc.co.kr": "JTBC",
    "newsis.com": "뉴시스", "news1.kr": "뉴스1", "arirang.com": "아리랑TV",
    "nknews.org": "NK뉴스", "38north.org": "38노스", "dailynk.com": "데일리NK",
    "kcna.kp": "조선중앙통신", "kcna.co.jp": "조선중앙통신", "rodong.rep.kp": "노동신문",
    "uriminzokkiri.com": "우리민족끼리", "vok.rep.kp": "조선의소리",
    "kcnawatch.org": "조선중앙통신(KCNA 워치)",
    "rfa.org": "자유아시아방송",
    "voakorea.com": "미국의소리(VOA)", "voanews.com": "미국의소리(VOA)",
    "reuters.com": "로이터통신", "apnews.com": "AP통신", "afp.com": "AFP통신",
    "bloomberg.com": "블룸버그", "nytimes.com": "뉴욕타임스", "washingtonpost.com": "워싱턴포스트",
    "wsj.com": "월스트리트저널", "cnn.com": "CNN", "bbc.com": "BBC", "bbc.co.uk": "BBC",
    "thediplomat.com": "더디플로맷", "nhk.or.jp": "NHK", "kyodonews.net": "교도통신",
    "tass.com": "타스통신", "tass.ru": "타스통신", "ria.ru": "리아노보스티",
    "xinhuanet.com": "신화통신", "news.cn": "신화통신", "cgtn.com": "CGTN",
    "globaltimes.cn": "글로벌타임스", "chinadaily.com.cn": "차이나데일리",
    "people.com.cn": "인민일보", "people.cn": "인민일보",
}  # fmt: skip
_KOREAN_NAMES_BY_NAME: dict[str, str] = {
    "yonhap": "연합뉴스", "korea herald": "코리아헤럴드", "korea times": "코리아타임스",
    "joongang ilbo": "중앙일보", "chosun ilbo": "조선일보", "hankyoreh": "한겨레",
    "kbs world": "KBS 월드", "nk news": "NK뉴스", "38 north": "38노스", "daily nk": "데일리NK",
    "kcna": "조선중앙통신", "korean central news agency": "조선중앙통신",
    "rodong sinmun": "노동신문", "uriminzokkiri": "우리민족끼리", "voice of korea": "조선의소리",
    "rfa": "자유아시아방송", "radio free asia": "자유아시아방송", "voa": "미국의소리(VOA)",
    "reuters": "로이터통신", "ap": "AP통신", "associated press": "AP통신", "afp": "AFP통신",
    "tass": "타스통신", "xinhua": "신화통신", "cgtn": "CGTN", "global times": "글로벌타임스",
    "the diplomat": "더디플로맷", "kyodo": "교도통신", "nhk": "NHK",
}  # fmt: skip


def korean_name(url: str = "", source: str = "") -> str | None:
    """The Korean name of a known outlet at ``url`` or named ``source``, else None."""
    for domain in _domains_of(url):
        if domain in _KOREAN_NAMES_BY_DOMAIN:
            return _KOREAN_NAMES_BY_DOMAIN[domain]
    return _KOREAN_NAMES_BY_NAME.get(_name(source))
