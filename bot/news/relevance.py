"""Is a feed item news about the Korean Peninsula, and which topics is it about?

Two deciders. A learned linear model (:mod:`bot.news.classifier`, fitted on 6,400
labelled real feed items) decides Korean-language items and KCNA's, where real data
taught it; the lexicon below decides English items from other outlets, and feeds the
model its evidence as features.

The lexicon is a transparent weighted one (:mod:`bot.news.lexicon`): every term found in
the headline or lede adds its group's weight, once. The evidence falls into four piles:

* anchors — Korea-specific names (North Korea, 김정은, National Assembly, 합참);
* Korea mentions — "Korea", "Seoul", 한국: weak evidence on their own;
* cues — topical words (missile, tariff, birth rate) that count fully only when the item
  is tied to Korea, and about a third otherwise: Iran's missile test is not Korean news;
* negatives — K-pop, sport, product launches, food, travel, weather.

Korean-language text gets the weight of one Korea mention for free, unless it names a
foreign country: a Korean outlet's "기준금리 동결" is about Korea's rate. Negatives are
subtracted at one and a half times their weight, so "BTS member begins military service"
stays out despite "Korea"; but when an anchor and a real cue are both present ("North
Korea executes K-pop listeners"), at half. A score of :data:`THRESHOLD` or more is relevant.

Topics come from the same evidence: each anchor and cue points at one or two of the six
:class:`~bot.models.Topic` values, and every topic within half of the strongest is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeAlias

from bot.articles.language import HANGUL_SHARE_FOR_KOREAN
from bot.models import Topic
from bot.news.classifier import features, packaged_model
from bot.news.lexicon import GROUPS, Group, Kind
from bot.news.markets import market_record
from bot.news.routine import routine_tag
from bot.text import HANGUL_SYLLABLES, hangul_share

THRESHOLD = 3.0
"""Score at which an item counts as relevant."""

TEXT_FACTOR = 0.8
"""A term found only in the lede counts this much of its weight; the headline counts fully."""

CONTEXT_FREE_FACTOR = 0.3
"""Share of the cues that counts when nothing ties the item to Korea."""

NEGATIVE_FACTOR = 1.5
"""Weight of negatives when no anchor and topical cue outweigh them."""

ANCHORED_NEGATIVE_FACTOR = 0.5
"""Weight of negatives when an anchor and :data:`TOPICAL_CUES` of cues are both present."""

TOPICAL_CUES = 1.5
"""Cue weight that makes an anchored item a story about Korea (one strong cue will do)."""

TEXT_CHARS = 600
"""Only this much of the text is read: the lede decides, and the cost per item stays
bounded when a caller passes a whole article."""

LANGUAGE_SAMPLE_CHARS = 300
"""Enough script to tell Korean from English when the caller does not say."""

IMPLICIT_KOREA = 1.0
"""Korean context credited to Korean-language text that names no foreign country."""

_CAPS = {Kind.ANCHOR: 6.0, Kind.KOREA: 1.5, Kind.CUE: 5.0, Kind.NEGATIVE: 8.0}
"""Beyond these, more of the same evidence says little more."""

MAX_TOPICS = 3
TOPIC_SHARE = 0.5
"""A topic is kept when its evidence is at least this share of the strongest topic's."""
MIN_TOPIC_EVIDENCE = 1.0

ROUTINE_SCORE = -5.0
"""A routine listing's score (``[인사]``, ``[부고]``…; :mod:`bot.news.routine`): clear noise."""
MARKET_RECORD_SCORE = THRESHOLD + 1.0
"""A national market record or crash (:mod:`bot.news.markets`): in, with a clear margin."""


@dataclass(frozen=True, slots=True)
class Relevance:
    """How relevant an item is to the briefing, and its topics."""

    score: float
    """:data:`THRESHOLD` or more when relevant; negative for clear noise. With the learned
    model, ``THRESHOLD`` plus the decision's margin in log-odds."""
    relevant: bool
    """``score >= THRESHOLD``."""
    topics: tuple[Topic, ...]
    """Strongest first; one to :data:`MAX_TOPICS` when relevant, empty when not."""
    reasons: tuple[tuple[str, float], ...] = ()
    """When asked for: the features that weighed most, with their contribution."""


# --- matching -------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
_KOREAN_SCRIPT = re.compile(f"[{HANGUL_SYLLABLES}北美中日韓露軍]")
"""Text without these has no Korean term to find; most English items skip the trie."""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _english_forms(term: str) -> list[tuple[str, ...]]:
    """The term's words, and the same with a plural last word."""
    words = tuple(_words(term))
    last = words[-1]
    if last.isdigit():
        return [words]
    if last.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return [words, (*words[:-1], plural)]


def _korean_term(term: str) -> tuple[str, bool, bool]:
    """``"^북$"`` → ``("북", True, True)``: the literal, word-initial, word-final."""
    initial, final = term.startswith("^"), term.endswith("$")
    return term.strip("^$").lower(), initial, final


_Node: TypeAlias = dict[str, "_Node"]
"""A trie of characters; the key ``""`` marks the end of a term."""


def _trie_pattern(terms: dict[str, tuple[bool, bool]]) -> str:
    """One regex for all Korean terms that prefers the longest term allowed at a position.

    A plain alternation tries hundreds of branches at every character; a trie tries one.
    Word-initial terms check, once matched, that the character before the match is not
    Hangul (a fixed-width lookbehind over the term's own length).
    """
    trie: _Node = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: _Node, prefix: str) -> str:
        branches = [
            re.escape(char) + emit(child, prefix + char)
            for char, child in sorted(node.items())
            if char
        ]
        if "" in node:
            initial, final = terms[prefix]
            end = ""
            if initial:
                end += f"(?<![{HANGUL_SYLLABLES}].{{{len(prefix)}}})"
            if final:
                end += f"(?![{HANGUL_SYLLABLES}])"
            branches.append(end)
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie, "")


@dataclass(frozen=True, slots=True, eq=False)
class _Entry:
    """One term of one group; compared by identity, since hashing the group is slow."""

    group: Group
    term: str


class _Lexicon:
    """The groups compiled for matching: a word-sequence table and a Korean trie regex."""

    def __init__(self, groups: Iterable[Group]) -> None:
        self.english: dict[tuple[str, ...], _Entry] = {}
        self.longest: dict[str, int] = {}
        korean: dict[str, _Entry] = {}
        bounds: dict[str, tuple[bool, bool]] = {}
        plurals: dict[tuple[str, ...], _Entry] = {}
        for group in groups:
            for term in group.english:
                words, *variants = _english_forms(term)
                if words in self.english:
                    raise ValueError(f"English term listed twice: {term!r}")
                self.english[words] = _Entry(group, term)
                for variant in variants:
                    plurals.setdefault(variant, _Entry(group, term))
            for term in group.korean:
                literal, initial, final = _korean_term(term)
                if literal in korean:
                    raise ValueError(f"Korean term listed twice: {term!r}")
                korean[literal] = _Entry(group, term)
                bounds[literal] = (initial, final)
        for words, entry in plurals.items():
            self.english.setdefault(words, entry)
        for words in self.english:
            self.longest[words[0]] = max(self.longest.get(words[0], 0), len(words))
        self.korean = korean
        self.korean_pattern = re.compile(_trie_pattern(bounds), re.DOTALL)

    def find(self, text: str) -> set[_Entry]:
        """Entries whose terms occur in ``text``; the longest match wins where they overlap."""
        found: set[_Entry] = set()
        words = _words(text)
        i, count = 0, len(words)
        while i < count:
            span = min(self.longest.get(words[i], 0), count - i)
            while span:
                entry = self.english.get(tuple(words[i : i + span]))
                if entry is not None:
                    found.add(entry)
                    break
                span -= 1
            i += span or 1
        if _KOREAN_SCRIPT.search(text):
            for match in self.korean_pattern.finditer(text.lower()):
                found.add(self.korean[match.group()])
        return found


_LEXICON = _Lexicon(GROUPS)


# --- scoring --------------------------------------------------------------------------


def assess(
    title: str,
    text: str = "",
    language: str | None = None,
    prior: float = 0.0,
    *,
    outlet: str | None = None,
    url: str = "",
    explain: bool = False,
) -> Relevance:
    """Score one feed item with the learned model where it was trained, else the lexicon.

    ``outlet`` is the kind of outlet the item comes from (see
    :func:`bot.news.classifier.features`): ``korean`` by default for Korean text,
    ``foreign`` for other text. ``url``, the item's address, tells the model the outlet's
    section. ``prior`` only moves the lexicon's score.

    The model decides Korean-language items and North Korean state media
    (:func:`model_covers`); an English item from any other outlet goes to the lexicon,
    because the real captures the model learned from hold almost no English reporting of
    Korean affairs (no Yonhap English, no Korea Herald, a handful from TASS or the BBC) —
    there the model would judge from what it never saw. A headline in a routine format
    (``[인사]``, ``[부고]``, ``[게시판]``: :mod:`bot.news.routine`) is out before either, and
    a record or crash of the national market (:mod:`bot.news.markets`) is in.
    """
    tag = routine_tag(title)
    if tag is not None:  # a listing, whatever its words (bot.news.routine)
        reasons = ((f"routine:[{tag}]", ROUTINE_SCORE),) if explain else ()
        return Relevance(score=ROUTINE_SCORE, relevant=False, topics=(), reasons=reasons)
    verdict = _by_words(title, text, language, prior, outlet=outlet, url=url, explain=explain)
    if verdict.relevant or (record := market_record(title)) is None:
        return verdict
    # The market made history (bot.news.markets): in, though its words read like a quote.
    why = ((f"market:{record}", MARKET_RECORD_SCORE), *verdict.reasons) if explain else ()
    return Relevance(MARKET_RECORD_SCORE, relevant=True, topics=(Topic.ECONOMY,), reasons=why)


def _by_words(
    title: str,
    text: str,
    language: str | None,
    prior: float,
    *,
    outlet: str | None,
    url: str,
    explain: bool,
) -> Relevance:
    """The learned model's or the lexicon's verdict (see :func:`assess`)."""
    text = text[:TEXT_CHARS]
    if language is None:
        sample = f"{title} {text}"[:LANGUAGE_SAMPLE_CHARS]
        language = "ko" if hangul_share(sample) >= HANGUL_SHARE_FOR_KOREAN else "en"
    model = packaged_model()
    if model is None or not model_covers(language, outlet):
        found = _found(title, text)
        rules = _rules(found, language, prior)
        if not explain:
            return rules
        evidence = sorted(
            (
                (
                    f"{e.group.kind.value}:{e.term.strip('^$')}",
                    round(_sign(e.group) * share * e.group.weight, 3),
                )
                for e, share in found.items()
            ),
            key=lambda pair: -abs(pair[1]),
        )
        return replace(rules, reasons=tuple(evidence[:8]))
    values = model_features(title, text, language, outlet, url)
    relevant, margin = model.is_relevant(values)
    return Relevance(
        score=round(THRESHOLD + margin, 3),
        relevant=relevant,
        topics=model.topics_of(values, MAX_TOPICS) if relevant else (),
        reasons=tuple(model.explain(values)) if explain else (),
    )


def model_covers(language: str, outlet: str | None) -> bool:
    """Whether the learned model decides an item of this language and kind of outlet."""
    return language == "ko" or outlet == "nk_state"


def lexicon_assess(
    title: str, text: str = "", language: str | None = None, prior: float = 0.0
) -> Relevance:
    """Score one feed item (headline and lede or summary) and pick its topics.

    ``language`` is ``"ko"`` for Korean text (guessed from the script when None); both
    lexicons are always searched, since Korean news is full of Latin acronyms. Only the
    first :data:`TEXT_CHARS` of ``text`` are read. ``prior`` is added to the score: a
    caller that trusts a feed to be about Korea (a North Korea section, a specialist
    monitor) passes a positive prior.
    """
    text = text[:TEXT_CHARS]
    if language is None:
        sample = f"{title} {text}"[:LANGUAGE_SAMPLE_CHARS]
        language = "ko" if hangul_share(sample) >= HANGUL_SHARE_FOR_KOREAN else "en"
    return _rules(_found(title, text), language, prior)


def _found(title: str, text: str) -> dict[_Entry, float]:
    """Terms found, with how much of each counts: all from the headline, less from the lede."""
    found: dict[_Entry, float] = dict.fromkeys(_LEXICON.find(text), TEXT_FACTOR)
    found.update(dict.fromkeys(_LEXICON.find(title), 1.0))
    return found


def _rules(found: dict[_Entry, float], language: str, prior: float) -> Relevance:
    names_foreign = any(entry.group.kind is Kind.FOREIGN for entry in found)

    totals = dict.fromkeys(Kind, 0.0)
    for entry, share in found.items():
        kind = entry.group.kind
        if kind is Kind.DOMESTIC:
            kind = Kind.CUE if names_foreign else Kind.ANCHOR
        totals[kind] += share * entry.group.weight
    for kind, cap in _CAPS.items():
        totals[kind] = min(totals[kind], cap)
    anchors, cues, negatives = totals[Kind.ANCHOR], totals[Kind.CUE], totals[Kind.NEGATIVE]
    cues = min(cues + totals[Kind.FOREIGN], _CAPS[Kind.CUE])
    korea = totals[Kind.KOREA]

    if language == "ko" and not names_foreign:
        korea = max(korea, IMPLICIT_KOREA)

    if anchors + korea == 0:
        cues *= CONTEXT_FREE_FACTOR
    score = anchors + korea + cues
    if negatives:
        topical = anchors > 0 and totals[Kind.CUE] >= TOPICAL_CUES
        score -= negatives * (ANCHORED_NEGATIVE_FACTOR if topical else NEGATIVE_FACTOR)
    score = round(score + prior, 3)

    relevant = score >= THRESHOLD
    topics = _topics(found) if relevant else ()
    return Relevance(score=score, relevant=relevant, topics=topics)


def model_features(
    title: str, text: str, language: str, outlet: str | None = None, url: str = ""
) -> dict[str, float]:
    """The learned model's view of an item: its words, the lexicon's evidence, its outlet
    and the section of its address."""
    found = _found(title, text[:TEXT_CHARS])
    return features(
        title,
        text,
        language,
        evidence=_evidence(found, _rules(found, language, 0.0)),
        outlet=outlet or ("korean" if language == "ko" else "foreign"),
        url=url,
    )


def _evidence(found: dict[_Entry, float], rule: Relevance) -> dict[str, float]:
    """The lexicon's evidence as named values, for the learned model: each group found
    (headline: 1, lede only: :data:`TEXT_FACTOR`) and the rule score."""
    values: dict[str, float] = {}
    for entry, share in found.items():
        name = f"g:{entry.group.kind.value}:{_group_name(entry.group)}"
        values[name] = max(values.get(name, 0.0), share)
        kind = f"kind:{entry.group.kind.value}"
        values[kind] = values.get(kind, 0.0) + share * entry.group.weight
    values["rule:score"] = max(min(rule.score, 15.0), -15.0) / 5.0
    values["rule:relevant"] = 1.0 if rule.relevant else 0.0
    return values


def _sign(group: Group) -> float:
    return -1.0 if group.kind is Kind.NEGATIVE else 1.0


def _group_name(group: Group) -> str:
    return (group.english or group.korean or ("?",))[0]


def is_relevant(
    title: str, text: str = "", language: str | None = None, prior: float = 0.0
) -> bool:
    """Whether :func:`assess` finds the item relevant."""
    return assess(title, text, language, prior).relevant


def _topics(found: dict[_Entry, float]) -> tuple[Topic, ...]:
    """Topics within :data:`TOPIC_SHARE` of the strongest; the strongest one at least.

    An item relevant only through the caller's prior may show no topical evidence; it is
    filed under security, the subject of most Korea-only feeds.
    """
    evidence = dict.fromkeys(Topic, 0.0)
    for entry, share in found.items():
        for topic in entry.group.topics:
            evidence[topic] += share * entry.group.topic_evidence
    ranked = sorted(evidence.items(), key=lambda pair: pair[1], reverse=True)
    best = ranked[0][1]
    if best <= 0:
        return (Topic.SECURITY,)
    floor = max(MIN_TOPIC_EVIDENCE, TOPIC_SHARE * best)
    kept = tuple(topic for topic, value in ranked if value >= floor)[:MAX_TOPICS]
    return kept or (ranked[0][0],)
