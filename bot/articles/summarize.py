"""Extractive summaries of English and Korean news articles, built on sumy.

The summary is a few whole sentences of the article, in article order, chosen by
``NewsSummarizer`` (a sumy summarizer):

1. Sentences come from ``bot.articles.sentences`` via sumy's ``PlaintextParser`` and our
   ``NewsTokenizer`` (so NLTK's punkt data is never needed); what is never summary
   material (``bot.articles.boilerplate``: credits, bylines, captions, reader prompts,
   question-and-answer items) is set aside.
2. Each sentence becomes a TF-IDF vector of stemmed content words; the cosine
   similarity matrix of those vectors is the graph of continuous LexRank, whose
   stationary distribution (power iteration, numpy) is each sentence's centrality.
3. A learned score (``bot.articles.scorer``: position, centrality, similarity to the
   lead and to the rest, length, a few marks of sentences that read badly alone), plus
   similarity to the title when there is one; a Korean article's lead is always kept.
4. Sentences are picked greedily by maximal marginal relevance (score minus similarity
   to those already picked); a near-duplicate of a picked sentence, by cosine or by its
   words lying inside the other's, is never picked.

How many: the reader's ``SummaryLength`` (2, 3 or 5 sentences), at most a third of the
article's, unless the caller fixes the count.

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

from bot.articles.boilerplate import PHOTO_CREDIT, is_boilerplate
from bot.articles.scorer import SentenceScorer, load_scorer, sentence_features
from bot.articles.sentences import split_sentences
from bot.models import SummaryLength
from bot.text import has_hangul, strip_josa

__all__ = [
    "SENTENCES_FOR",
    "NewsStemmer",
    "NewsSummarizer",
    "NewsTokenizer",
    "Ranking",
    "SummarizerSettings",
    "default_sentence_count",
    "is_boilerplate",
    "is_near_duplicate",
    "news_stop_words",
    "pick_sentences",
    "prepare",
    "summarize",
]

_LANGUAGE_NAMES = {"en": "english", "ko": "korean"}
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class SummarizerSettings:
    """The hand-set knobs of ``NewsSummarizer`` (the learned ones are in ``scorer``)."""

    title_weight: float = 3.0
    """Log-odds added per unit of cosine similarity to the title, when there is one.
    Set by hand: the training pairs have no titles, so it could not be fitted."""
    duplicate_similarity: float = 0.6
    """A sentence this cosine-similar to a chosen one says the same thing: never chosen."""
    duplicate_containment: float = 0.7
    """Nor one whose content words are this much inside a chosen sentence's, or the
    other way round (a caption restating the lead in fewer words)."""
    damping: float = 0.85
    """LexRank's damping factor (probability of following a similarity edge)."""
    korean_lead: bool = True
    """Keep a Korean article's lead sentence always. Korean news states the whole story
    in its lead (역피라미드); the English training pairs, CNN/DailyMail, often open on a
    hook instead, so the learned weights do not favour the first sentence over the next
    two, and on the Korean pairs that lost the lead."""
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


# --- ranking ----------------------------------------------------------------------


SENTENCES_FOR: dict[SummaryLength, int] = {
    SummaryLength.SHORT: 2,
    SummaryLength.STANDARD: 3,
    SummaryLength.LONG: 5,
}
"""Sentences in a link summary for each reader preference, when the article has room."""


def default_sentence_count(candidates: int, length: SummaryLength = SummaryLength.STANDARD) -> int:
    """How many sentences a summary of an article with ``candidates`` sentences has.

    The reader's preference sets the most (``SENTENCES_FOR``); a short article gets
    fewer, so the summary stays well short of the article: at most a third of it,
    rounded up, and never less than one sentence.
    """
    if candidates <= 0:
        return 0
    return max(1, min(SENTENCES_FOR[length], -(-candidates // 3)))


class NewsSummarizer(AbstractSummarizer):  # type: ignore[misc]
    """A learned sentence score (``bot.articles.scorer``) over LexRank, position and
    length, with boilerplate set aside and near-duplicates never picked twice.

    Called like any sumy summarizer: ``summarizer(document, sentences_count)`` returns
    sumy ``Sentence`` objects in document order. ``sentences_count=None`` uses
    ``default_sentence_count`` for the summarizer's ``length``.
    """

    def __init__(
        self,
        stemmer: Callable[[str], str],
        *,
        stop_words: Iterable[str] = (),
        title_words: Sequence[str] = (),
        settings: SummarizerSettings | None = None,
        length: SummaryLength = SummaryLength.STANDARD,
        scorer: SentenceScorer | None = None,
    ) -> None:
        super().__init__(stemmer)
        self.stop_words = frozenset(map(self.normalize_word, stop_words))
        self.title_words = tuple(title_words)
        self.settings = settings or SummarizerSettings()
        self.length = length
        self.scorer = scorer or load_scorer()
        self._term_of: dict[str, str | None] = {}

    def __call__(self, document: Any, sentences_count: int | None = None) -> tuple[Any, ...]:
        ranked = self.rank(document)
        count = default_sentence_count(len(ranked.candidates), self.length)
        if sentences_count is not None:
            count = min(sentences_count, len(ranked.candidates))
        if count <= 0:
            return ()
        score = self.scorer.score(ranked.features)
        score = score + self.settings.title_weight * ranked.title_similarity
        if ranked.korean and self.settings.korean_lead:
            score[0] = score.max() + 1.0
        chosen = pick_sentences(score, ranked, count, self.scorer.redundancy, self.settings)
        return tuple(ranked.candidates[i] for i in sorted(chosen))

    def rank(self, document: Any) -> Ranking:
        """The candidate sentences with what selection needs to know about each."""
        candidates = self._candidates(document)
        texts = [str(s) for s in candidates]
        terms = [self._terms(s.words) for s in candidates]
        if not candidates:
            empty = np.zeros((0, 0))
            return Ranking([], texts, [], empty, empty, np.zeros(0), korean=False)
        weights = _TfIdf(terms, self._terms(self.title_words))
        similarity = weights.similarity()
        centrality = _lexrank(similarity, self.settings.damping)
        korean = any(has_hangul(text) for text in texts[:3])
        features = sentence_features(
            texts, [len(s.words) for s in candidates], centrality, similarity, korean=korean
        )
        return Ranking(
            candidates,
            texts,
            [frozenset(t) for t in terms],
            features,
            similarity,
            weights.title_similarity(),
            korean=korean,
        )

    def _candidates(self, document: Any) -> list[Any]:
        """Sentences worth ranking: not boilerplate, not in a photo caption, not a heading.

        A paragraph whose last sentence is a photo credit ("(Yonhap)", "[연합뉴스
        자료사진]") is a caption, and all of it goes. A paragraph of a few words without
        closing punctuation is a subheading or a company's name set above the text
        ("입양 비즈니스", "㈜디지털이엠씨"); headings are ranked only if nothing else is
        left. A text that is all boilerplate has no candidates, so its summary is empty
        and the caller can say so.
        """
        limit = self.settings.max_candidates
        candidates: list[Any] = []
        headings: list[Any] = []
        for paragraph in document.paragraphs:
            sentences = paragraph.sentences
            if not sentences or PHOTO_CREDIT.match(str(sentences[-1])):
                continue
            kept = [s for s in sentences if not is_boilerplate(str(s))]
            if len(kept) == 1 and _is_heading(str(kept[0]), len(kept[0].words)):
                headings += kept
                continue
            candidates += kept
            if len(candidates) >= limit:
                return candidates[:limit]
        if not candidates:
            # All-capitals lines are headings to sumy's parser; rank them if nothing else.
            candidates = headings or [s for s in document.headings if not is_boilerplate(str(s))]
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


_HEADING_WORDS = 6
_CLOSING = re.compile(r"""[.!?…。！？]["'”’»)\]]*$""")


def _is_heading(text: str, words: int) -> bool:
    """A line of a few words that does not end like a sentence."""
    return words <= _HEADING_WORDS and not _CLOSING.search(text)


@dataclass(frozen=True, slots=True)
class Ranking:
    """What sentence selection knows about an article's candidate sentences."""

    candidates: list[Any]
    """sumy ``Sentence`` objects, in article order."""
    texts: list[str]
    terms: list[frozenset[str]]
    """Each sentence's stemmed content words."""
    features: Floats
    """One row of ``bot.articles.scorer.FEATURES`` per candidate."""
    similarity: Floats
    """TF-IDF cosine similarity of every pair (diagonal zero)."""
    title_similarity: Floats
    korean: bool


def is_near_duplicate(first: frozenset[str], second: frozenset[str], containment: float) -> bool:
    """True when one sentence's content words lie mostly inside the other's.

    Cosine similarity misses a short sentence that restates part of a long one (a
    photo caption repeating the lead); containment in the shorter one catches it.
    """
    smaller = min(len(first), len(second))
    return smaller >= 3 and len(first & second) >= containment * smaller


def pick_sentences(
    score: Floats,
    ranking: Ranking,
    count: int,
    redundancy: float,
    settings: SummarizerSettings,
) -> list[int]:
    """Greedy maximal marginal relevance; near-duplicates are never both chosen."""
    overlap = np.zeros(len(score))
    available = np.ones(len(score), bool)
    chosen: list[int] = []
    seen: set[str] = set()
    while len(chosen) < count and available.any():
        gain = np.where(available, score - redundancy * overlap, -np.inf)
        best = int(gain.argmax())
        available[best] = False
        text = " ".join(ranking.texts[best].split()).casefold()
        if (
            text in seen
            or overlap[best] >= settings.duplicate_similarity
            or any(
                is_near_duplicate(
                    ranking.terms[best], ranking.terms[i], settings.duplicate_containment
                )
                for i in chosen
            )
        ):
            continue
        seen.add(text)
        chosen.append(best)
        overlap = np.maximum(overlap, ranking.similarity[best])
    return chosen


def summarize(
    text: str,
    *,
    language: str = "en",
    max_sentences: int | None = None,
    title: str | None = None,
    settings: SummarizerSettings | None = None,
    length: SummaryLength = SummaryLength.STANDARD,
) -> list[str]:
    """Return the article's most informative sentences, whole and in article order.

    ``language`` is ``"en"`` or ``"ko"``. Without ``max_sentences`` the count follows
    the reader's ``length`` and the article (``default_sentence_count``): 2, 3 or 5
    sentences, fewer for a short piece. Fewer come back if the text has fewer usable
    sentences.
    """
    if max_sentences is not None and max_sentences < 1:
        raise ValueError("max_sentences must be at least 1")
    summarizer, document = prepare(text, language, title, settings=settings, length=length)
    return [str(sentence) for sentence in summarizer(document, max_sentences)]


def prepare(
    text: str,
    language: str,
    title: str | None = None,
    *,
    settings: SummarizerSettings | None = None,
    length: SummaryLength = SummaryLength.STANDARD,
    scorer: SentenceScorer | None = None,
) -> tuple[NewsSummarizer, Any]:
    """The summarizer and the parsed sumy document for ``text``, as ``summarize`` uses
    them (the scorer's training script ranks the same candidates this way)."""
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
        length=length,
        scorer=scorer,
    )
    return summarizer, document
