"""Extractive summaries of English and Korean news articles, built on sumy.

The summary is a few whole sentences of the article, in article order, chosen by
``NewsSummarizer`` (a sumy summarizer):

1. Sentences come from ``bot.articles.sentences`` via sumy's ``PlaintextParser`` and our
   ``NewsTokenizer`` (so NLTK's punkt data is never needed); boilerplate (copyright
   lines, bylines, reporter e-mails, photo captions, "(END)") is set aside.
2. Each sentence becomes a TF-IDF vector of stemmed content words; the cosine
   similarity matrix of those vectors is the graph of continuous LexRank, whose
   stationary distribution (power iteration, numpy) is each sentence's centrality.
3. A sentence's score adds to its centrality a position prior (the lead carries a news
   story), and its similarity to the title when there is one; very short, very long or
   unpunctuated sentences are damped.
4. Sentences are then picked greedily by maximal marginal relevance (score minus
   similarity to those already picked), and near-duplicates are never picked twice.

This is CPU-bound (about 50 ms for a 9,000-word article on a 2-core machine): call it
off the event loop.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers._summarizer import AbstractSummarizer
from sumy.utils import get_stop_words

from bot.articles.sentences import split_sentences
from bot.text import has_hangul, strip_josa

__all__ = [
    "NewsStemmer",
    "NewsSummarizer",
    "NewsTokenizer",
    "SummarizerSettings",
    "default_sentence_count",
    "is_boilerplate",
    "news_stop_words",
    "summarize",
]

_LANGUAGE_NAMES = {"en": "english", "ko": "korean"}
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class SummarizerSettings:
    """The knobs of ``NewsSummarizer``.

    The defaults were set by hand and then checked against a small grid on the
    benchmark sets (``benchmarks/README.md``); none was fitted to them.
    """

    position_weight: float = 1.0
    """Weight of the lead prior, relative to centrality (which peaks at 1)."""
    position_halflife: float = 3.0
    """The candidate sentence at this index gets half the prior of the first one."""
    title_weight: float = 0.8
    """Weight of cosine similarity to the title, when a title is given."""
    redundancy: float = 0.5
    """MMR: how much similarity to an already chosen sentence costs."""
    duplicate_similarity: float = 0.8
    """A sentence this similar to a chosen one is never chosen."""
    damping: float = 0.85
    """LexRank's damping factor (probability of following a similarity edge)."""
    max_candidates: int = 1000
    """Only the first sentences are ranked, so a huge input stays cheap."""


# --- tokenizing and stemming ------------------------------------------------------

# Dotted acronyms ("U.S.") stay whole; otherwise runs of letters and digits with at
# least one letter ("20일", not "2024"), split at hyphens so that "inter-Korean"
# matches "Korean".
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]*[^\W\d_][^\W_]*(?:['’][^\W_]+)?")


class NewsTokenizer:
    """A sumy tokenizer (``language``, ``to_sentences``, ``to_words``) without NLTK data."""

    def __init__(self, language: str = "en") -> None:
        self._code = language if language in _LANGUAGE_NAMES else "en"

    @property
    def language(self) -> str:
        return _LANGUAGE_NAMES[self._code]

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph, self._code))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(
            word.rstrip(".")
            for word in _WORD.findall(sentence)
            if len(word) > 1 or not word.isascii()
        )


class NewsStemmer:
    """Snowball for Latin words, ``strip_josa`` for Korean ones; memoised per instance."""

    def __init__(self) -> None:
        self._english: Callable[[str], str] = Stemmer("english")
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            if has_hangul(word):
                stem = strip_josa(word)
            elif word.isascii():
                stem = self._english(word)
            else:
                stem = word
            self._cache[word] = stem
        return stem


@functools.cache
def news_stop_words() -> frozenset[str]:
    """sumy's English stop words plus the single words of its Korean list."""
    korean = {word for line in get_stop_words("korean") for word in line.split()}
    return frozenset(get_stop_words("english")) | korean


# --- boilerplate ------------------------------------------------------------------

# Phrases are plain substring tests on the lower-cased sentence, and the regexes are
# anchored where possible: an alternation of literals scanned by ``re`` would cost more
# than everything else in the summarizer.
_BOILERPLATE_PHRASES = (
    *("copyright", "all rights reserved", "©", "ⓒ", "(end)", "reporting by", "editing by"),
    *("writing by", "click here", "sign up for", "subscribe to", "newsletter", "follow us"),
    *("read more", "related article", "photo by", "photos by", "photo courtesy"),
    *("getty images", "reuters/", "/yonhap", "무단 전재", "무단전재", "재배포 금지"),
    *("재배포금지", "저작권자", "활용 금지", "사진=", "사진 =", "자료사진", "제보는"),
    *("구독하기", "바로가기"),
)
_BOILERPLATE_ANYWHERE = re.compile(r"\(c\) ?\d{4}")
_BOILERPLATE_START = re.compile(
    r"""END$
    |(?:this|the|in\ this|a|an)\ (?:undated\ |file\ |handout\ |pool\ )*
        (?:photo|image|picture|screenshot|screen\ grab)\b
    |photos?:|\[?사진\s*[=:\]]
    |[(\[【][^()\[\]【】]{1,15}=[^()\[\]【】]{1,20}[)\]】]\s*(?:[가-힣]{2,4}\s*)*
        (?:기자|특파원)?\s*=?$
    |(?:[가-힣]{2,4}\s+)*[가-힣]{2,4}\s*(?:기자|특파원|통신원)\s*=?$""",
    re.IGNORECASE | re.VERBOSE,
)
_BOILERPLATE_END = re.compile(
    r"""\((?:yonhap|ap|afp|reuters|epa|kcna|pool|news1)(?:\ photo)?\)$
    |제공\]$|재판매\ 금지\]$|\[[^\]]*연합뉴스\]$|/뉴스1$""",
    re.IGNORECASE | re.VERBOSE,
)
_PHOTO_CREDIT = re.compile(
    r"""[(\[【<](?=[^()\[\]【】<>]{0,60}[)\]】>]$)[^()\[\]【】<>]*
    (?:yonhap|news1|newsis|photo|\bap\b|afp|reuters|epa|getty|kcna|pool
      |연합뉴스|뉴스1|뉴시스|사진|조선중앙통신|제공|\bdb\b)""",
    re.IGNORECASE | re.VERBOSE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_TERMINAL = re.compile(r"""[.!?…。！？]["'”’»)\]]*$""")


def is_boilerplate(sentence: str) -> bool:
    """True for lines that are never summary material: credits, bylines, captions."""
    sentence = sentence.strip()
    lower = sentence.lower()
    return bool(
        any(phrase in lower for phrase in _BOILERPLATE_PHRASES)
        or ("(c)" in lower and _BOILERPLATE_ANYWHERE.search(lower))
        or _BOILERPLATE_START.match(sentence)
        or _BOILERPLATE_END.search(sentence, max(0, len(sentence) - 40))
        or ("@" in sentence and _EMAIL.search(sentence))
    )


def _quality(sentence: str, words: int) -> float:
    """A multiplier in (0, 1] that damps sentences unlikely to read well alone."""
    korean = has_hangul(sentence)
    short, long = (4, 45) if korean else (6, 60)
    factor = 1.0
    if words < short:
        factor *= 0.3
    elif words > long:
        factor *= 0.6
    if not _TERMINAL.search(sentence):
        factor *= 0.5
    return factor


# --- ranking ----------------------------------------------------------------------


def default_sentence_count(candidates: int) -> int:
    """How many sentences a summary of an article with ``candidates`` sentences has.

    1–2 → all of them; 3–6 → 2; 7–15 → 3; 16–30 → 4; more → 5.
    """
    if candidates <= 2:
        return candidates
    if candidates <= 6:
        return 2
    if candidates <= 15:
        return 3
    if candidates <= 30:
        return 4
    return 5


class NewsSummarizer(AbstractSummarizer):  # type: ignore[misc]
    """LexRank centrality with a lead prior, title similarity, boilerplate and MMR.

    Called like any sumy summarizer: ``summarizer(document, sentences_count)`` returns
    sumy ``Sentence`` objects in document order. ``sentences_count=None`` uses
    ``default_sentence_count``.
    """

    def __init__(
        self,
        stemmer: Callable[[str], str],
        *,
        stop_words: Iterable[str] = (),
        title_words: Sequence[str] = (),
        settings: SummarizerSettings | None = None,
    ) -> None:
        super().__init__(stemmer)
        self.stop_words = frozenset(map(self.normalize_word, stop_words))
        self.title_words = tuple(title_words)
        self.settings = settings or SummarizerSettings()
        self._term_of: dict[str, str | None] = {}

    def __call__(self, document: Any, sentences_count: int | None = None) -> tuple[Any, ...]:
        candidates = self._candidates(document)
        count = default_sentence_count(len(candidates))
        if sentences_count is not None:
            count = min(sentences_count, len(candidates))
        if count <= 0:
            return ()
        terms = [self._terms(s.words) for s in candidates]
        weights = _TfIdf(terms, self._terms(self.title_words))
        similarity = weights.similarity()
        centrality = _lexrank(similarity, self.settings.damping)
        quality = np.array([_quality(str(s), len(s.words)) for s in candidates])
        settings = self.settings
        position = settings.position_halflife / (
            settings.position_halflife + np.arange(len(candidates))
        )
        score = quality * (
            centrality / centrality.max()
            + settings.position_weight * position
            + settings.title_weight * weights.title_similarity()
        )
        chosen = _pick(score, similarity, [str(s) for s in candidates], count, settings)
        return tuple(candidates[i] for i in sorted(chosen))

    def _candidates(self, document: Any) -> list[Any]:
        """Sentences worth ranking: not boilerplate, and not in a photo caption.

        A paragraph whose last sentence is a photo credit ("(Yonhap)", "[연합뉴스
        자료사진]") is a caption, and all of it goes. A text that is all boilerplate has
        no candidates, so its summary is empty and the caller can say so.
        """
        limit = self.settings.max_candidates
        candidates: list[Any] = []
        for paragraph in document.paragraphs:
            sentences = paragraph.sentences
            if not sentences or _PHOTO_CREDIT.match(str(sentences[-1])):
                continue
            candidates += (s for s in sentences if not is_boilerplate(str(s)))
            if len(candidates) >= limit:
                return candidates[:limit]
        if not candidates and not document.sentences:
            # All-capitals lines are headings to sumy's parser; rank them if nothing else.
            candidates = [s for s in document.headings if not is_boilerplate(str(s))]
        return candidates[:limit]

    def _terms(self, words: Iterable[str]) -> list[str]:
        """Stemmed content words; memoised, since most words recur in an article."""
        terms = []
        for word in words:
            if word in self._term_of:
                term = self._term_of[word]
            else:
                normal = word.lower()
                term = None if normal in self.stop_words else self._stemmer(normal)
                self._term_of[word] = term = None if term in self.stop_words else term
            if term is not None:
                terms.append(term)
        return terms


class _TfIdf:
    """Sentence TF-IDF vectors, built sparse and densified only over shared terms."""

    def __init__(self, sentences: Sequence[Sequence[str]], title: Sequence[str]) -> None:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, terms in enumerate(sentences):
            for term in terms:
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
        size, n = max(len(vocabulary), 1), len(sentences)
        keys, counts = np.unique(np.array(rows, np.int64) * size + cols, return_counts=True)
        self.n, self.rows, self.cols = n, keys // size, keys % size
        self.df = np.bincount(self.cols, minlength=size)
        self.idf = np.log((1 + n) / (1 + self.df)) + 1.0
        weight = (1.0 + np.log(counts)) * self.idf[self.cols]
        norms = np.sqrt(np.bincount(self.rows, weights=weight * weight, minlength=n))
        self.weight = weight / np.where(norms > 0, norms, 1.0)[self.rows]
        self.title = np.zeros(size)
        for term, count in Counter(title).items():
            if term in vocabulary:
                col = vocabulary[term]
                self.title[col] = (1.0 + math.log(count)) * self.idf[col]
        self.title /= max(float(np.linalg.norm(self.title)), 1e-12)

    def similarity(self) -> Floats:
        """Cosine similarity of every pair of sentences (diagonal zero)."""
        # Terms in a single sentence add nothing to dot products between sentences.
        shared = self.df[self.cols] >= 2
        columns, compact = np.unique(self.cols[shared], return_inverse=True)
        dense = np.zeros((self.n, len(columns)), np.float32)
        dense[self.rows[shared], compact] = self.weight[shared]
        similarity = (dense @ dense.T).astype(np.float64)
        np.fill_diagonal(similarity, 0.0)
        return np.clip(similarity, 0.0, 1.0)

    def title_similarity(self) -> Floats:
        """Cosine similarity of each sentence to the title (zeros without a title)."""
        weights = self.weight * self.title[self.cols]
        return np.bincount(self.rows, weights=weights, minlength=self.n).astype(np.float64)


def _lexrank(similarity: Floats, damping: float) -> Floats:
    """Continuous LexRank: the stationary distribution of the similarity random walk."""
    n = len(similarity)
    sums = similarity.sum(axis=1, keepdims=True)
    # A sentence similar to none jumps anywhere, as PageRank does with dangling nodes.
    transition = np.where(sums > 0, similarity / np.where(sums > 0, sums, 1.0), 1.0 / n)
    # Contiguous, the transpose makes each step a fast matrix-vector product.
    incoming = np.ascontiguousarray(transition.T)
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        updated: Floats = (1.0 - damping) / n + damping * (incoming @ rank)
        if np.abs(updated - rank).sum() < 1e-5:
            return updated
        rank = updated
    return rank


def _pick(
    score: Floats,
    similarity: Floats,
    texts: Sequence[str],
    count: int,
    settings: SummarizerSettings,
) -> list[int]:
    """Greedy maximal marginal relevance; near-duplicates are never both chosen."""
    relevance = score / max(float(score.max()), 1e-12)
    overlap = np.zeros(len(score))
    available = np.ones(len(score), bool)
    chosen: list[int] = []
    seen: set[str] = set()
    while len(chosen) < count and available.any():
        gain = np.where(available, relevance - settings.redundancy * overlap, -np.inf)
        best = int(gain.argmax())
        available[best] = False
        text = " ".join(texts[best].split()).casefold()
        if text in seen or overlap[best] >= settings.duplicate_similarity:
            continue
        seen.add(text)
        chosen.append(best)
        overlap = np.maximum(overlap, similarity[best])
    return chosen


def summarize(
    text: str,
    *,
    language: str = "en",
    max_sentences: int | None = None,
    title: str | None = None,
    settings: SummarizerSettings | None = None,
) -> list[str]:
    """Return the article's most informative sentences, whole and in article order.

    ``language`` is ``"en"`` or ``"ko"``. Without ``max_sentences`` the count follows
    ``default_sentence_count``: 1–2 sentences for short pieces, 3 for about ten, up to 5
    for long articles. Fewer come back if the text has fewer usable sentences.
    """
    if max_sentences is not None and max_sentences < 1:
        raise ValueError("max_sentences must be at least 1")
    tokenizer = NewsTokenizer(language)
    # sumy's parser joins the lines of a paragraph and treats only blank lines as
    # breaks; extracted text has one paragraph per line, so make every line one.
    paragraphs = "\n\n".join(line for line in text.splitlines() if line.strip())
    document = PlaintextParser.from_string(paragraphs, tokenizer).document
    summarizer = NewsSummarizer(
        NewsStemmer(),
        stop_words=news_stop_words(),
        title_words=tokenizer.to_words(title) if title else (),
        settings=settings,
    )
    return [str(sentence) for sentence in summarizer(document, max_sentences)]
