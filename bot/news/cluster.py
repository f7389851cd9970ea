"""Group news items about the same event into stories, across outlets and languages.

``cluster(items)`` returns groups of item keys, one group per story:

1. Tokens. English: words with light suffix stripping, stop words and words every
   peninsula story has ("north", "korea", "said") dropped. Korean: character bigrams of
   Hangul runs, a trailing particle stripped. Both: numbers with their unit (``600㎞``
   and ``600 km`` → ``#600km``; ``1만4천`` and ``14,000`` → ``#14000``), Latin acronyms,
   and concepts from a small bilingual gazetteer (탄도미사일 and "ballistic missile" →
   ``BALLISTIC_MISSILE``); wire tags such as "(2nd LEAD)" and "[속보]" are dropped.
2. Two TF-IDF spaces over the batch (sublinear tf, title tokens counted twice):
   *lexical* (words, Hangul bigrams, numbers) and *entity* (concepts, numbers with units,
   acronyms: what reads the same in both languages). Dot products come from posting
   lists, so only pairs that share a term are touched.
3. A same-language pair scores a blend of both spaces; an English–Korean pair scores
   its entity similarity, scaled. Entity similarity resting on a single shared entity
   counts half. Pairs more than ``window_hours`` apart, and two items of one outlet
   below ``same_source_similarity`` (two stories, not an update of one), may never share
   a group.
4. Average-linkage agglomerative clustering (nearest-neighbour chain) inside each
   connected component of the pairs at or above the threshold. Single linkage would
   chain a launch to the sanctions report to the UN meeting; average linkage does not.

Pure and deterministic (items are processed in key order, so input order does not
matter); a day of 2,000 items takes a fraction of a second (``benchmarks/clustering.py``).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from bot.news.headlines import strip_wire_tags

__all__ = ["DEFAULT_THRESHOLD", "ClusterInput", "ClusterParams", "cluster"]

Floats = npt.NDArray[np.float64]
Floats32 = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
Bag = defaultdict[str, float]

DEFAULT_THRESHOLD = 0.25
"""Average similarity two groups need to merge; tuned on the dev split."""


@dataclass(frozen=True, slots=True)
class ClusterInput:
    """One news item as the clusterer sees it."""

    key: str
    """The item's canonical URL; unique within a batch."""
    title: str
    text: str
    """Lede or summary; may be empty."""
    language: str
    """``"en"`` or ``"ko"``."""
    published: datetime | None
    """Timezone-aware publication time, if known."""
    source: str
    """Outlet name, e.g. "Yonhap"."""


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """The knobs of ``cluster`` besides the threshold, tuned on the dev split."""

    title_weight: float = 2.0
    """A title token counts this many times a lede token."""
    entity_share: float = 0.3
    """Share of the entity similarity in a same-language pair's score."""
    cross_language_scale: float = 1.3
    """An English–Korean pair scores this times its entity similarity."""
    same_source_similarity: float = 0.45
    """Two items of one outlet scoring below this are different stories."""
    window_hours: float = 36.0
    """Items published further apart than this are never in one group."""
    entity_evidence: int = 2
    """Entity similarity resting on fewer shared entities than this is scaled down in
    proportion, so one coincidental shared concept cannot carry a pair."""
    max_df_share: float = 0.1
    """Tokens in more than this share of the batch (and more than 50 items) are ignored."""
    gazetteer: bool = True
    """Map key terms to shared concepts; off only to measure what the gazetteer adds."""


def cluster(
    items: Sequence[ClusterInput],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    settings: ClusterParams | None = None,
) -> list[list[str]]:
    """Group items about the same event; return the groups as lists of keys.

    Every key is in exactly one group. A group lists its items by publication time
    (earliest first, undated last); groups come largest first, then earliest first. Two
    groups merge while their average pairwise similarity is at least ``threshold``.
    """
    settings = settings or ClusterParams()
    batch = _Batch.of(items)
    if not batch.items:
        return []
    left, right, scores = _pair_scores(batch, settings)
    linked = scores >= threshold
    n = len(batch.items)
    label = _components(n, left[linked], right[linked])
    # Average linkage runs inside each component, on that component's dense matrix.
    inside = label[left] == label[right]
    left, right, scores = left[inside], right[inside], scores[inside]
    pair_order = np.argsort(label[left], kind="stable")
    left, right, scores = left[pair_order], right[pair_order], scores[pair_order]
    pair_bounds = np.searchsorted(label[left], np.arange(n + 1))
    node_order = np.argsort(label, kind="stable")
    node_bounds = np.searchsorted(label[node_order], np.arange(n + 1))
    groups: list[list[int]] = []
    for component in np.unique(label).tolist():
        nodes = node_order[node_bounds[component] : node_bounds[component + 1]]
        if len(nodes) == 1:
            groups.append([int(nodes[0])])
            continue
        span = slice(pair_bounds[component], pair_bounds[component + 1])
        similarity = _dense(batch, nodes, left[span], right[span], scores[span], settings)
        groups += [nodes[g].tolist() for g in _average_linkage(similarity, threshold)]
    return batch.keys(groups)


@dataclass(frozen=True, slots=True)
class _Batch:
    """The items in key order, with their times and outlets as arrays."""

    items: list[ClusterInput]
    hours: Floats
    """Publication time in hours since the earliest item; NaN when unknown."""
    outlet: Ints
    """A number per outlet (case-insensitive)."""

    @classmethod
    def of(cls, items: Sequence[ClusterInput]) -> _Batch:
        ordered = sorted(items, key=lambda item: item.key)
        if len({item.key for item in ordered}) != len(ordered):
            raise ValueError("cluster() needs unique keys")
        stamps = [i.published.timestamp() if i.published else math.nan for i in ordered]
        known = [stamp for stamp in stamps if not math.isnan(stamp)]
        hours = (np.array(stamps) - min(known, default=0.0)) / 3600
        outlets: dict[str, int] = {}
        outlet = [outlets.setdefault(i.source.casefold(), len(outlets)) for i in ordered]
        return cls(ordered, hours, np.array(outlet, np.int64))

    def keys(self, groups: list[list[int]]) -> list[list[str]]:
        """Keys of each group by time (undated last); groups by size, then earliest item."""

        def when(i: int) -> tuple[bool, float, str]:
            hours = self.hours[i]
            return (
                bool(np.isnan(hours)),
                0.0 if np.isnan(hours) else float(hours),
                self.items[i].key,
            )

        by_time = [sorted(group, key=when) for group in groups]
        by_time.sort(key=lambda group: (-len(group), when(group[0])))
        return [[self.items[i].key for i in group] for group in by_time]


# --- tokens -----------------------------------------------------------------------------

_EN_STOP_WORDS = """a about above after again against all also am an and any are as at be
    because been before being below between both but by can could did do does doing down
    during each few for from further had has have having he her here hers him his how i if in
    into is it its itself just me more most my no nor not now of off on once only or other our
    out over own same she should so some such than that the their them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yet may might must shall upon amid among via per ago
    north korea korean koreas south n s dprk rok said say says saying according report
    reported reports yonhap kcna news agency official officials state media monday tuesday
    wednesday thursday friday saturday sunday seoul pyongyang today week year day time new
    told tell latest first second third including"""
_KO_STOP_BIGRAMS = """북한 한국 남한 정부 밝혔 혔다 했다 있다 이날 기자 연합 합뉴 뉴스
    에서 으로 지난 대한 관련 이번 오전 오후 이라 라고 다고 한다 이다 있는 하는 됐다 된다
    했으 하고 말했 전했 보도 도했 통신 조선 중앙 앙통 우리 오늘 어제 있습 습니 니다 했습
    밝혀 예정 정이"""
_KO_PARTICLES = """은 는 이 가 을 를 의 에 와 과 도 로 에서 으로 에게 까지 부터 라고 했다 하고
    하는 에서는 으로는 이라고"""
_NUMBER_WORDS = {"one": "#1", "two": "#2", "three": "#3", "four": "#4", "five": "#5"}
_MONTHS = """jan feb mar apr jun jul aug sep sept oct nov dec january february march april may
    june july august september october november december"""
_UNITS = {
    "%": "pct", "percent": "pct", "pct": "pct", "퍼센트": "pct", "%p": "pp", "%포인트": "pp",
    "percentage point": "pp", "percentage points": "pp", "km": "km", "kilometer": "km",
    "kilometers": "km", "kilometre": "km", "kilometres": "km", "킬로미터": "km", "t": "t",
    "톤": "t", "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t",
}  # fmt: skip
_SCALES = {
    "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9, "trillion": 1e12,
    "조": 1e12, "억": 1e8, "만": 1e4, "천": 1e3,
}  # fmt: skip

_ACCENTED = re.compile("[\u00c0-\u024f]")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_USA = re.compile(r"\bU\.S\.(?=\W|$)|\bUS\b")
_UN = re.compile(r"\bU\.N\.(?=\W|$)")
_CODE_NAME = re.compile(r"\b([A-Za-z]{2,})-?(\d+[A-Za-z]?)\b")
_HANGUL_RUN = re.compile(r"[가-힣]+")
_LATIN_IN_KO = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(%|percentage points?|percent|pct|kilomet(?:er|re)s?|km"
    r"|tonnes?|tons?|t\b|million|mln|billion|bln|trillion)?(?!\w)",
    re.IGNORECASE,
)
_KO_NUMBER = re.compile(r"(?:\d[\d,]*(?:\.\d+)?[조억만천]?)+(?:%p|%포인트|%|km|킬로미터|톤|t|여)?")
_KO_NUMBER_PART = re.compile(r"(\d[\d,]*(?:\.\d+)?)([조억만천]?)")
_KO_DATE_AFTER = re.compile(r"\s*(?:일|월|년|시|분|∼|~|-)")


@dataclass(frozen=True, slots=True)
class _Words:
    english_stop: frozenset[str]
    """English stop words, also as the stemmer leaves them ("according" → "accord")."""
    korean_stop: frozenset[str]
    """Korean bigrams too common to tell stories apart."""
    particles: frozenset[str]
    months: frozenset[str]


@functools.cache
def _words() -> _Words:
    english = frozenset(_EN_STOP_WORDS.split())
    return _Words(
        english_stop=english | {_stem(word) for word in english},
        korean_stop=frozenset(_KO_STOP_BIGRAMS.split()),
        particles=frozenset(_KO_PARTICLES.split()),
        months=frozenset(_MONTHS.split()),
    )


def _normalise(text: str) -> str:
    """NFKC (㎞ → km, full-width digits) without accents (Salmón → Salmon); case kept."""
    text = strip_wire_tags(unicodedata.normalize("NFKC", text))
    if not _ACCENTED.search(text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Light English suffix stripping: fires/fired/firing → fir, launches → launch."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("ment") and len(word) > 7:
        word = word[:-4]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=65536)
def _hangul_bigrams(run: str) -> tuple[str, ...]:
    """Bigrams of one Hangul run (an eojeol), its trailing particle stripped."""
    words = _words()
    for size in (3, 2, 1):
        if len(run) - size >= 2 and run[-size:] in words.particles:
            run = run[:-size]
            break
    bigrams = (run[i : i + 2] for i in range(len(run) - 1))
    return tuple(bigram for bigram in bigrams if bigram not in words.korean_stop)


def _number_token(value: float, unit: str | None) -> str:
    return f"#{value:.6g}{unit or ''}"


def _english_numbers(text: str) -> Iterator[tuple[str, bool]]:
    """(token, is_entity) for each number; dates, clock times and years are skipped."""
    months = _words().months
    text = _CLOCK.sub(" ", text)
    for match in _EN_NUMBER.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()].split()
        if before and before[-1].lower().rstrip(".,") in months:
            continue
        value = float(match.group(1).replace(",", ""))
        suffix = (match.group(2) or "").lower()
        if not suffix and "," not in match.group(1) and 1900 <= value <= 2100:
            continue
        value *= _SCALES.get(suffix, 1.0)
        unit = _UNITS.get(suffix)
        yield _number_token(value, unit), unit is not None or value >= 100


def _korean_numbers(text: str) -> Iterator[tuple[str, bool]]:
    """Like ``_english_numbers``, reading 만/억/조 (2만8천500 → 28500) and 여 (100여)."""
    for match in _KO_NUMBER.finditer(text):
        if _KO_DATE_AFTER.match(text, match.end()):
            continue
        total = section = 0.0
        for digits, scale in _KO_NUMBER_PART.findall(match.group(0)):
            value = float(digits.replace(",", ""))
            if scale == "천":
                section += value * 1e3
            elif scale:
                total += (section + value) * _SCALES[scale]
                section = 0.0
            else:
                section += value
        total += section
        unit = _UNITS.get(match.group(0).lstrip("0123456789,.조억만천").removesuffix("여"))
        yield _number_token(total, unit), unit is not None or total >= 100


def _english_tokens(text: str, gazetteer: bool) -> tuple[list[str], list[str]]:
    """(lexical tokens, entity tokens) of English text."""
    stop = _words().english_stop
    text = _UN.sub("UN", _USA.sub("USA", _normalise(text)))
    entities = [f"@{a.lower()}{b.lower()}" for a, b in _CODE_NAME.findall(text)]
    words: list[str] = []
    for raw in _EN_WORD.findall(text.replace("-", " ")):
        lower = raw.lower().removesuffix("'s").strip("'")
        if len(raw) >= 2 and raw.isupper() and lower not in stop:
            entities.append(f"@{lower}")
        words.append(_stem(lower))
    lexical = [_NUMBER_WORDS.get(w, w) for w in words if w not in stop]
    if gazetteer:
        entities.extend(_concepts_en(words))
    for token, is_entity in _english_numbers(text):
        lexical.append(token)
        if is_entity:
            entities.append(token)
    return lexical, entities


def _korean_tokens(text: str, gazetteer: bool) -> tuple[list[str], list[str]]:
    """(lexical tokens, entity tokens) of Korean text."""
    text = _normalise(text)
    lexical: list[str] = []
    for run in _HANGUL_RUN.findall(text):
        lexical.extend(_hangul_bigrams(run))
    entities = [f"@{w.lower()}" for w in _LATIN_IN_KO.findall(text) if w.lower() not in _UNITS]
    entities += [f"@{a.lower()}{b.lower()}" for a, b in _CODE_NAME.findall(text)]
    if gazetteer:
        entities.extend(_concepts_ko(text))
    for token, is_entity in _korean_numbers(text):
        lexical.append(token)
        if is_entity:
            entities.append(token)
    return lexical, entities


def _bags(item: ClusterInput, settings: ClusterParams) -> tuple[Bag, Bag]:
    """Lexical and entity term counts of an item, title tokens counted ``title_weight``."""
    tokenize = _korean_tokens if item.language == "ko" else _english_tokens
    lexical: Bag = defaultdict(float)
    entities: Bag = defaultdict(float)
    for part, weight in ((item.title, settings.title_weight), (item.text, 1.0)):
        words, names = tokenize(part, settings.gazetteer)
        for token in words:
            lexical[token] += weight
        for token in names:
            entities[token] += weight
    return lexical, entities


# --- the bilingual gazetteer ---------------------------------------------------------------
# CONCEPT [CONCEPT…] | English phrases | Korean terms. English phrases match stemmed words,
# Korean terms the text with spaces removed; the longest match wins, so 탄도미사일 lists
# MISSILE as well. A concept may take several lines. Domain vocabulary; see README for its
# relation to the labelled set.
_GAZETTEER = """
MISSILE | missile; rocket launcher | 미사일; 방사포
BALLISTIC_MISSILE MISSILE | ballistic missile; ballistic | 탄도미사일; 탄도탄
SRBM BALLISTIC_MISSILE MISSILE | short range ballistic missile; srbm | 단거리탄도미사일
SRBM BALLISTIC_MISSILE MISSILE | tactical ballistic missile | 전술탄도미사일
SRBM MISSILE | short range missile | 단거리미사일
ICBM BALLISTIC_MISSILE MISSILE | icbm; intercontinental ballistic missile | 대륙간탄도미사일
IRBM BALLISTIC_MISSILE MISSILE | irbm; intermediate range ballistic missile | 중거리탄도미사일
CRUISE_MISSILE MISSILE | cruise missile | 순항미사일
HYPERSONIC | hypersonic | 극초음속
SLBM BALLISTIC_MISSILE MISSILE | slbm; submarine launched ballistic missile | 잠수함발사탄도미사일
LAUNCH | launch; fire; test fire; fly | 발사; 쏘아; 쏜; 쐈
NUCLEAR | nuclear weapon; nuclear arm; nuclear force | 핵무기; 핵무력; 핵무장
NUCLEAR | nuclear threat; nuclear program | 핵위협; 핵개발
NUCLEAR MISSILE | nuclear and missile | 핵·미사일
NUCLEAR_WAR NUCLEAR | nuclear war | 핵전쟁
NUCLEAR_TEST NUCLEAR | nuclear test | 핵실험
DENUCLEARIZATION | denuclearization; denuclearisation | 비핵화
ENRICHMENT | uranium enrichment; enrichment; centrifuge | 우라늄농축; 농축우라늄; 원심분리기
YONGBYON | yongbyon | 영변
SATELLITE | satellite; spy satellite; reconnaissance satellite | 정찰위성; 인공위성
SATELLITE | satellite launch | 위성발사; 위성을발사
SOHAE | sohae; dongchang ri; tongchang ri | 서해위성발사장; 동창리
SOHAE | sohae satellite launching station; sohae satellite launching ground |
EAST_SEA | east sea; sea of japan; east coast; eastern water | 동해
YELLOW_SEA | yellow sea; west sea; west coast; western sea | 서해
JCS | joint chief of staff; jcs | 합동참모본부; 합참
EEZ | exclusive economic zone; eez | 배타적경제수역
FREEDOM_SHIELD JOINT_DRILLS | freedom shield | 자유의방패; 프리덤실드
ULCHI JOINT_DRILLS | ulchi | 을지
JOINT_DRILLS | joint drill; joint exercise; combined exercise | 연합훈련; 연합연습
JOINT_DRILLS | military drill; war drill; field training | 군사훈련; 야외기동훈련
USFK | usfk; usa force korea | 주한미군
TROOPS | troop; soldier | 북한군; 병력; 장병; 군인
DEPLOYMENT | dispatch; deploy; deployment | 파병
CASUALTIES | casualty; killed or wounded | 사상자
ENGINEERS | engineer | 공병
DRONE | drone | 드론; 무인기
RUSSIA | russia; russian; moscow; kremlin | 러시아; 북러; 露
UKRAINE | ukraine; kursk | 우크라이나; 쿠르스크
CHINA | china; chinese; beijing | 중국; 中; 한중; 북중
JAPAN | japan; japanese; tokyo | 일본; 日; 한일
USA | usa; united state; washington; american | 미국; 美; 한미; 북미
TRILATERAL USA JAPAN | trilateral | 한미일
UN | un; united nation | 유엔; 국제연합
UNSC UN | security council | 안보리; 안전보장이사회
SANCTIONS | sanction | 제재
MSMT SANCTIONS | multilateral sanction monitoring team; msmt | 다국적제재모니터링팀
PANEL_OF_EXPERTS | panel of expert; expert panel | 전문가패널
ARTILLERY | artillery; artillery shell | 포탄; 포병
MDL | military demarcation line; mdl | 군사분계선
DMZ | demilitarized zone; dmz | 비무장지대
NLL | northern limit line; nll; sea border | 북방한계선
WARNING_SHOTS | warning shot | 경고사격
DEFECTION | defect; defector; defected | 귀순; 탈북
WOODEN_BOAT | wooden boat | 목선
LEAFLETS | leaflet | 전단; 삐라
BALLOONS | balloon | 풍선
TRASH | trash; garbage; filth; waste paper | 오물; 쓰레기
GPS_JAMMING | jam; jamming | 교란; 전파교란
DESTROYER | destroyer | 구축함
CHOE_HYON DESTROYER | choe hyon | 최현
NAVY | navy; naval | 해군
SHIPYARD | shipyard | 조선소
NAMPHO | nampho; nampo | 남포
WONSAN | wonsan | 원산
KALMA | kalma | 갈마
SUNAN | sunan | 순안
KAESONG | kaesong | 개성공단; 개성공업
YEONPYEONG | yeonpyeong | 연평
BAENGNYEONG | baengnyeong | 백령
GANGHWA | ganghwa | 강화도
GOSEONG | goseong | 고성
HYESAN | hyesan | 혜산
KANGDONG | kangdong | 강동군
KIM_JONG_UN | kim jong un | 김정은
KIM_YO_JONG | kim yo jong | 김여정
CHOE_SON_HUI | choe son hui | 최선희
NO_KWANG_CHOL | no kwang chol | 노광철
PUTIN | putin | 푸틴
BELOUSOV | belousov | 벨로우소프
SHOIGU | shoigu | 쇼이구
LAVROV | lavrov | 라브로프
TRUMP | trump | 트럼프
LEE_JAE_MYUNG | lee jae myung; president lee | 이재명; 李대통령; 이대통령
YOON_SUK_YEOL | yoon suk yeol | 윤석열
TAKAICHI | takaichi | 다카이치
XI_JINPING | xi jinping | 시진핑
WANG_YI | wang yi | 왕이
CHO_HYUN | cho hyun; fm cho | 조현
CHUNG_DONG_YOUNG | chung dong young | 정동영
RHEE_CHANG_YONG | rhee chang yong | 이창용
LANDAU | landau | 랜도
BRUNSON | brunson | 브런슨
SALMON | salmon | 살몬
PROSECUTOR_GENERAL | prosecutor general | 검찰총장
IMPEACHMENT | impeach; impeachment; impeachment motion | 탄핵; 탄핵소추안
CONSTITUTIONAL_COURT | constitutional court | 헌법재판소; 헌재
NATIONAL_ASSEMBLY | national assembly; parliament; lawmaker; plenary session | 국회; 본회의
SPECIAL_COUNSEL | special counsel | 특검; 특별검사
DEMOCRATIC_PARTY | democratic party | 민주당; 더불어민주당
PPP | people power party; ppp | 국민의힘; 국힘
APPROVAL_RATING | approval rating; approval | 지지율; 국정수행; 긍정평가
REALMETER | realmeter | 리얼미터
GALLUP | gallup | 갤럽
POLL | poll; survey | 여론조사
LOCAL_ELECTIONS | local election | 지방선거
NEC | national election commission | 선거관리위원회; 선관위
CANDIDATE | candidate | 후보
BOK | bank of korea; bok; central bank | 한국은행; 한은
BASE_RATE | base rate; key rate; benchmark interest rate; policy rate; benchmark rate | 기준금리
BASE_RATE | interest rate | 금리
RATE_HOLD | unchanged; steady; stand pat; freeze | 동결
MONETARY_POLICY | monetary policy | 통화정책
HOUSEHOLD_DEBT | household debt | 가계부채
HOUSING | home price; housing price; apartment price | 집값; 아파트값; 주택가격
HOUSING | property price; housing market | 부동산
EXPORTS | export; outbound shipment | 수출
CUSTOMS | customs | 관세청
TARIFF | tariff | 관세
SEMICONDUCTOR | chip; semiconductor; chipmaker; memory chip | 반도체; 메모리
HBM SEMICONDUCTOR | high bandwidth memory | 고대역폭메모리
SAMSUNG | samsung | 삼성
SK_HYNIX | sk hynix | 하이닉스
NVIDIA | nvidia | 엔비디아
KOSPI | kospi | 코스피
RECORD_HIGH | record high; all time high | 사상최고; 최고치
FOREIGN_INVESTORS | foreign investor; foreign buying | 외국인투자자; 외국인순매수; 외국인매수
BIRTHS | birth; babies born; baby | 출생; 출산
MARRIAGES | marriage | 혼인; 결혼
FERTILITY | fertility rate | 출산율
STATISTICS_KOREA | statistics korea | 통계청
MINIMUM_WAGE | minimum wage | 최저임금
UNIFICATION_MINISTRY | unification ministry; unification minister | 통일부
UNIFICATION_MINISTRY | ministry of unification | 통일부장관
SEPARATED_FAMILIES | separated family; separated from family | 이산가족
ABDUCTEES | abductee; abducted | 납북자; 납북
POWS | prisoner of war | 국군포로
HUMAN_RIGHTS | human right | 인권
FORCED_LABOR | forced labor; forced labour | 강제노동
SPECIAL_RAPPORTEUR | special rapporteur | 특별보고관
HUMAN_RIGHTS_COUNCIL | human right council | 인권이사회
ICC | international criminal court; icc | 국제형사재판소
CRIMES_AGAINST_HUMANITY | crime against humanity; enslavement | 반인도범죄; 노예화
FOREIGN_MINISTER | foreign minister; foreign ministry; top diplomat | 외교장관; 외교부; 외교부장
DEFENSE_MINISTER | defense minister; defence minister; defense chief | 국방장관; 국방상
DEFENSE_MINISTER | defense ministry; defence ministry; ministry of national defence | 국방부; 국방성
NIS | national intelligence service; nis; spy agency | 국정원; 국가정보원
INTELLIGENCE_COMMITTEE | intelligence committee | 정보위원회; 정보위
NUCLEAR_ENVOY | nuclear envoy | 북핵대표; 북핵수석대표
PHONE_TALKS | phone talk; phone call; telephone | 통화; 전화
SUMMIT | summit | 정상회담
SHUTTLE_DIPLOMACY | shuttle diplomacy; shuttle visit | 셔틀외교
CONDEMN | condemn; denounce; slam | 규탄; 비난
PROVOCATION | provocation | 도발
STATEMENT | press statement; statement | 담화; 성명
SPOKESMAN | spokesman; spokesperson | 대변인
WPK | worker party; wpk | 노동당
POLITBURO WPK | political bureau; politburo | 정치국
CENTRAL_COMMITTEE | central committee | 중앙위원회
INSPECTION | inspect; field guidance | 현지지도; 점검; 시찰
FACTORY | factory | 공장
REGIONAL_DEVELOPMENT | regional development; regional industry | 지방발전; 지방공업
FARMING | farming | 영농; 농사
TOURISM | tourist; tour group; tourism | 관광
HACKING | hacker; hack; heist; cyber | 해킹; 해커
LAZARUS HACKING | lazarus | 라자루스
CRYPTO | crypto; cryptocurrency; digital asset; virtual asset | 가상화폐; 가상자산; 암호화폐
FBI | fbi; federal bureau of investigation | 연방수사국
RICE | rice | 쌀
FOOTBALL | football; soccer | 축구
ASIAN_CUP | asian cup | 아시안컵
YELLOW_DUST | yellow dust; fine dust | 황사; 미세먼지
WILDFIRE | wildfire; forest fire | 산불
SUBWAY | subway | 지하철
MEDICAL_STUDENTS | medical student | 의대생
HANWHA | hanwha | 한화
MRO | maintenance repair and overhaul; mro | 정비
LIAISON_OFFICE | liaison office; cooperation office | 연락사무소
DEMOLITION | demolish; tear down; torn down; blow up | 철거; 폭파
INTER_KOREAN | inter korean | 남북
HUMANITARIAN_AID | humanitarian aid; aid group; humanitarian | 인도적지원; 대북지원; 인도지원
CIVILIAN_EXCHANGES | civilian exchange; civilian contact | 민간교류; 민간차원
INVASION | invasion; rehearsal for invasion | 침략; 북침
HUNDREDFOLD | hundredfold; hundred time | 백배
COAST_GUARD | coast guard | 해상보안청; 해경
AIR_DEFENSE | air defense; air defence | 방공
ALLIANCE | alliance | 동맹
INVESTMENT | investment | 투자
"""


@functools.cache
def _gazetteer() -> tuple[
    dict[str, dict[tuple[str, ...], tuple[str, ...]]], dict[str, tuple[str, ...]]
]:
    """English: first stemmed word → {phrase: concepts}; Korean: term → concepts."""
    english: dict[str, dict[tuple[str, ...], tuple[str, ...]]] = {}
    korean: dict[str, tuple[str, ...]] = {}
    for line in _GAZETTEER.strip().splitlines():
        names, en, ko = (part.strip() for part in line.split("|"))
        concepts = tuple(names.split())
        for phrase in filter(None, (p.strip() for p in en.split(";"))):
            words = tuple(_stem(w) for w in phrase.replace("-", " ").split())
            english.setdefault(words[0], {})[words] = concepts
        for term in filter(None, (t.strip() for t in ko.split(";"))):
            korean[term.replace(" ", "")] = concepts
    return english, korean


@functools.cache
def _korean_starts() -> tuple[re.Pattern[str], dict[str, list[str]]]:
    """A pattern for the first characters of Korean terms; terms by first character."""
    _, korean = _gazetteer()
    by_first: dict[str, list[str]] = {}
    for term in sorted(korean, key=lambda t: (-len(t), t)):
        by_first.setdefault(term[0], []).append(term)
    return re.compile("[" + re.escape("".join(sorted(by_first))) + "]"), by_first


def _concepts_en(words: list[str]) -> Iterator[str]:
    english, _ = _gazetteer()
    i = 0
    while i < len(words):
        phrases = english.get(words[i])
        if phrases:
            for size in sorted({len(p) for p in phrases}, reverse=True):
                concepts = phrases.get(tuple(words[i : i + size]))
                if concepts is not None:
                    yield from concepts
                    i += size
                    break
            else:
                i += 1
        else:
            i += 1


def _concepts_ko(text: str) -> Iterator[str]:
    _, korean = _gazetteer()
    starts, by_first = _korean_starts()
    compact = "".join(text.split())
    end = 0
    for match in starts.finditer(compact):
        i = match.start()
        if i < end:
            continue
        for term in by_first[compact[i]]:
            if compact.startswith(term, i):
                yield from korean[term]
                end = i + len(term)
                break


# --- similarity --------------------------------------------------------------------------

_BLOCKED = -1e6
"""Score of a pair that may never share a group; stays negative through any averaging."""


def _tfidf(bags: Sequence[Bag], max_df: float) -> tuple[Ints, Ints, Floats]:
    """Unit-length sublinear TF-IDF vectors as COO (document, term, weight) arrays."""
    vocabulary: dict[str, int] = {}
    terms: list[int] = []
    counts: list[float] = []
    for bag in bags:
        terms.extend(vocabulary.setdefault(token, len(vocabulary)) for token in bag)
        counts.extend(bag.values())
    n = len(bags)
    docs = np.repeat(np.arange(n), [len(bag) for bag in bags])
    term = np.asarray(terms, np.int64)
    df = np.bincount(term, minlength=len(vocabulary))[term]
    tf = np.asarray(counts, np.float64)
    weight = np.where(tf >= 1, 1 + np.log(np.maximum(tf, 1)), tf)
    weight *= np.log((1 + n) / (1 + df)) + 1
    keep = df <= max_df
    docs, term, weight = docs[keep], term[keep], weight[keep]
    norm = np.sqrt(np.bincount(docs, weight * weight, minlength=n))
    return docs, term, weight / np.where(norm > 0, norm, 1.0)[docs]


def _dot_terms(docs: Ints, terms: Ints, weights: Floats) -> tuple[Ints, Ints, Floats]:
    """(i, j, w_i·w_j) for every pair i < j of documents sharing a term, once per term."""
    order = np.argsort(terms, kind="stable")  # documents stay ascending within a term
    docs, terms, weights = docs[order], terms[order], weights[order]
    starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
    sizes = np.diff(np.r_[starts, len(terms)])
    # The entry at position p of a posting list of size s pairs with the s - 1 - p after it.
    position = np.arange(len(terms)) - np.repeat(starts, sizes)
    partners = np.repeat(sizes, sizes) - 1 - position
    left = np.repeat(np.arange(len(terms)), partners)
    offset = np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
    right = left + 1 + offset
    return docs[left], docs[right], weights[left] * weights[right]


def _sum_pairs(
    left: Ints, right: Ints, values: Sequence[Floats], n: int
) -> tuple[Ints, Ints, list[Floats]]:
    """Sum each of ``values`` per (left, right) pair with bincount, a block of rows at a time.

    Returns the pairs present and their sums, one array per entry of ``values``.
    """
    rows_per_block = max(1, min(n, (1 << 22) // n))
    if rows_per_block == n:  # one block: no need to sort the pairs by block
        order, bounds = np.arange(len(left)), np.array([0, len(left)])
    else:
        block = (left // rows_per_block).astype(np.int32)
        order = np.argsort(block, kind="stable")
        bounds = np.searchsorted(block[order], np.arange(n // rows_per_block + 2))
    out_left, out_right = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    out_values: list[list[Floats]] = [[np.zeros(0)] for _ in values]
    for b in range(len(bounds) - 1):
        chunk = order[bounds[b] : bounds[b + 1]]
        base = b * rows_per_block
        cells = (left[chunk] - base) * n + right[chunk]
        # Pairs are those that occur at all (a sum could cancel to zero but a count cannot).
        present = np.flatnonzero(np.bincount(cells, minlength=rows_per_block * n))
        out_left.append(present // n + base)
        out_right.append(present % n)
        for out, value in zip(out_values, values, strict=True):
            sums = np.bincount(cells, value[chunk], minlength=rows_per_block * n)
            out.append(sums[present].astype(np.float64))
    return (
        np.concatenate(out_left),
        np.concatenate(out_right),
        [np.concatenate(out) for out in out_values],
    )


def _pair_scores(batch: _Batch, settings: ClusterParams) -> tuple[Ints, Ints, Floats]:
    """(i, j, score) for every pair i < j sharing a term; blocked pairs score _BLOCKED."""
    items = batch.items
    n = len(items)
    bags = [_bags(item, settings) for item in items]
    max_df = max(50.0, settings.max_df_share * n)
    lex_i, lex_j, lex = _dot_terms(*_tfidf([words for words, _ in bags], max_df))
    ent_i, ent_j, ent = _dot_terms(*_tfidf([entities for _, entities in bags], max_df))
    ent_i, ent_j, (ent, shared) = _sum_pairs(ent_i, ent_j, [ent, np.ones(len(ent))], n)
    ent *= np.minimum(1.0, shared / settings.entity_evidence)
    korean = np.array([item.language == "ko" for item in items])
    share, scale = settings.entity_share, settings.cross_language_scale
    # Same language: blend of both spaces; across languages only the entity space counts.
    lex = lex * np.where(korean[lex_i] == korean[lex_j], 1 - share, 0.0)
    ent = ent * np.where(korean[ent_i] == korean[ent_j], share, scale)
    left, right, (scores,) = _sum_pairs(
        np.r_[lex_i, ent_i], np.r_[lex_j, ent_j], [np.r_[lex, ent]], n
    )
    apart = np.abs(batch.hours[left] - batch.hours[right]) > settings.window_hours
    same_outlet = batch.outlet[left] == batch.outlet[right]
    scores[apart | (same_outlet & (scores < settings.same_source_similarity))] = _BLOCKED
    return left, right, scores


# --- clustering --------------------------------------------------------------------------


def _components(n: int, left: Ints, right: Ints) -> Ints:
    """Connected-component label (smallest member index) of each of n nodes."""
    label = np.arange(n)
    while True:
        low = np.minimum(label[left], label[right])
        new = label.copy()
        np.minimum.at(new, left, low)
        np.minimum.at(new, right, low)
        new = new[new]  # pointer jumping: follow labels to their own labels
        if np.array_equal(new, label):
            return label
        label = new


def _dense(
    batch: _Batch, nodes: Ints, left: Ints, right: Ints, scores: Floats, settings: ClusterParams
) -> Floats32:
    """The component's similarity matrix (nodes ascending); pairs sharing no term score 0.

    Blocking is applied to every pair here, including those absent from the pair list.
    """
    rows, cols = np.searchsorted(nodes, left), np.searchsorted(nodes, right)
    similarity = np.zeros((len(nodes), len(nodes)), np.float32)
    similarity[rows, cols] = scores
    similarity[cols, rows] = scores
    hours = batch.hours[nodes].astype(np.float32)
    outlet = batch.outlet[nodes]
    blocked = np.abs(hours[:, None] - hours[None, :]) > settings.window_hours
    blocked |= (outlet[:, None] == outlet[None, :]) & (similarity < settings.same_source_similarity)
    similarity[blocked] = _BLOCKED
    return similarity


def _average_linkage(sim: Floats32, threshold: float) -> list[list[int]]:
    """Average-linkage groups, merging while the best average is ≥ threshold (NN-chain).

    Overwrites ``sim``.
    """
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(len(sim))
    active = np.ones(len(sim), dtype=bool)
    members = [[i] for i in range(len(sim))]
    groups: list[list[int]] = []
    chain: list[int] = []
    while active.any():
        if not chain:
            chain.append(int(np.argmax(active)))
        a = chain[-1]
        row = np.where(active, sim[a], -np.inf)
        b = int(np.argmax(row))
        if row[b] < threshold:  # average linkage is reducible: a will never merge again
            active[a] = False
            groups.append(members[a])
            chain.pop()
        elif len(chain) > 1 and row[chain[-2]] >= row[b]:  # reciprocal nearest neighbours
            b = chain[-2]
            merged = (size[a] * sim[a] + size[b] * sim[b]) / (size[a] + size[b])
            sim[a, :] = merged
            sim[:, a] = merged
            sim[a, a] = -np.inf
            size[a] += size[b]
            members[a] += members[b]
            active[b] = False
            del chain[-2:]
        else:
            chain.append(b)
    return groups
