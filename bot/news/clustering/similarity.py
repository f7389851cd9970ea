"""How alike two items are: TF-IDF in two spaces, dot products from posting lists.

Each item becomes two bags of tokens (:mod:`.tokens`), *lexical* (words, Hangul bigrams,
numbers) and *entity* (concepts, numbers with units, acronyms: what reads the same in
both languages), title tokens counted ``title_weight`` times. Each space is weighted by
sublinear TF-IDF over the batch, its document frequencies steadied by a reference
corpus's (:mod:`.reference`). Only pairs that share a term are ever touched, so a day
of items costs its shared terms, not its pairs.

A same-language pair scores a blend of both spaces; an English–Korean pair scores its
entity similarity, scaled. Entity similarity resting on a single shared entity counts
half. Scores fade with the time between the items (``decay_hours``, ``decay_floor``).
Pairs more than ``window_hours`` apart are blocked, and so are two items of one outlet
published more than ``same_source_hours`` apart that score below
``same_source_similarity`` (two stories, not an update of one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from bot.news.clustering.batch import Batch, ClusterInput, ClusterParams, Floats, Ints
from bot.news.clustering.concepts import gazetteer
from bot.news.clustering.reference import Reference, reference
from bot.news.clustering.tokens import english_tokens, korean_tokens

__all__ = ["BLOCKED", "Bag", "pair_scores", "reduce_pairs", "sum_pairs", "term_bags"]

Bag = defaultdict[str, float]

BLOCKED = -1e6
"""Score of a pair that may never share a group; stays negative through any averaging."""


def term_bags(item: ClusterInput, settings: ClusterParams) -> tuple[Bag, Bag]:
    """Lexical and entity term counts of an item, title tokens counted ``title_weight``."""
    tokenize = korean_tokens if item.language == "ko" else english_tokens
    lexical: Bag = defaultdict(float)
    entities: Bag = defaultdict(float)
    for part, weight in ((item.title, settings.title_weight), (item.text, 1.0)):
        words, names = tokenize(part, settings.gazetteer)
        for bag, tokens in ((lexical, words), (entities, names)):
            for token in tokens:
                bag[token] += weight
    return lexical, entities


def _tfidf(
    bags: Sequence[Bag], max_df: float, reference: Reference, weight: float
) -> tuple[Ints, Ints, Floats, list[str]]:
    """Unit-length sublinear TF-IDF vectors as COO (document, term, weight) arrays, and
    the tokens the term numbers stand for.

    Document frequencies are the batch's plus ``weight`` times the reference corpus's.
    """
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
    known = reference.frequency
    reference_df = np.fromiter((known.get(token, 0) for token in vocabulary), np.float64)
    tf = np.asarray(counts, np.float64)
    tf_weight = np.where(tf >= 1, 1 + np.log(np.maximum(tf, 1)), tf)
    documents = 1 + n + weight * reference.documents
    idf = np.log(documents / (1 + df + weight * reference_df[term])) + 1
    keep = df <= max_df
    docs, term, values = docs[keep], term[keep], (tf_weight * idf)[keep]
    norm = np.sqrt(np.bincount(docs, values * values, minlength=n))
    return docs, term, values / np.where(norm > 0, norm, 1.0)[docs], list(vocabulary)


def _dot_terms(docs: Ints, terms: Ints, weights: Floats) -> tuple[Ints, Ints, Floats, Ints]:
    """(i, j, w_i·w_j, term) for every pair i < j of documents sharing a term, once per term."""
    # (term, document) pairs are unique, so one unstable sort on the combined key puts
    # documents in ascending order within each term, as a stable sort by term would.
    order = np.argsort(terms * (int(docs.max(initial=0)) + 1) + docs)
    docs, terms, weights = docs[order], terms[order], weights[order]
    starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
    sizes = np.diff(np.r_[starts, len(terms)])
    # The entry at position p of a posting list of size s pairs with the s - 1 - p after it.
    position = np.arange(len(terms)) - np.repeat(starts, sizes)
    partners = np.repeat(sizes, sizes) - 1 - position
    left = np.repeat(np.arange(len(terms)), partners)
    offset = np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
    right = left + 1 + offset
    return docs[left], docs[right], weights[left] * weights[right], terms[left]


def sum_pairs(
    left: Ints, right: Ints, values: Sequence[Floats], n: int
) -> tuple[Ints, Ints, list[Floats]]:
    """Sum each of ``values`` per (left, right) pair: sort by pair, then add up each run.

    Returns the pairs present, in ascending (left, right) order, and their sums, one array
    per entry of ``values``.
    """
    return reduce_pairs(left, right, [(value, np.add) for value in values], n)


def reduce_pairs(
    left: Ints, right: Ints, values: Sequence[tuple[Floats, np.ufunc]], n: int
) -> tuple[Ints, Ints, list[Floats]]:
    """Reduce each value array with its ufunc (``np.add``, ``np.maximum``) per pair.

    As :func:`sum_pairs`, for callers that need a pair's largest value beside its total.
    """
    cells = left * n + right
    order = np.argsort(cells)  # deterministic; equal cells are reduced in any order
    cells = cells[order]
    starts = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]]) if len(cells) else cells
    present = cells[starts]
    reduced = [
        how.reduceat(value[order], starts) if len(starts) else value[:0] for value, how in values
    ]
    return present // n, present % n, [total.astype(np.float64) for total in reduced]


def pair_scores(batch: Batch, settings: ClusterParams) -> tuple[Ints, Ints, Floats]:
    """(i, j, score) for every pair i < j sharing a term; blocked pairs score BLOCKED."""
    items = batch.items
    n = len(items)
    bags = [term_bags(item, settings) for item in items]
    max_df = max(50.0, settings.max_df_share * n)
    known, weight = reference(), settings.reference_weight
    docs, terms, weights, _ = _tfidf([words for words, _ in bags], max_df, known, weight)
    lex_i, lex_j, lex, _ = _dot_terms(docs, terms, weights)
    docs, terms, weights, tokens = _tfidf([names for _, names in bags], max_df, known, weight)
    ent_i, ent_j, ent, ent_term = _dot_terms(docs, terms, weights)
    # A general concept that comes with a specific one (MISSILE with BALLISTIC_MISSILE)
    # is half a piece of evidence: "ballistic missile" alone is one shared thing, not two.
    general = gazetteer().general
    evidence = np.array([0.5 if token in general else 1.0 for token in tokens])
    # One pass sums the lexical products, the entity products and the entity evidence of
    # every pair that shares any term.
    none_lex, none_ent = np.zeros(len(lex)), np.zeros(len(ent))
    left, right, (lexical, entity, shared) = sum_pairs(
        np.r_[lex_i, ent_i],
        np.r_[lex_j, ent_j],
        [np.r_[lex, none_ent], np.r_[none_lex, ent], np.r_[none_lex, evidence[ent_term]]],
        n,
    )
    entity *= np.minimum(1.0, shared / settings.entity_evidence)
    korean = np.array([item.language == "ko" for item in items])
    share, scale = settings.entity_share, settings.cross_language_scale
    # Same language: blend of both spaces; across languages only the entity space counts.
    scores = np.where(
        korean[left] == korean[right], (1 - share) * lexical + share * entity, scale * entity
    )
    gap = np.abs(batch.hours[left] - batch.hours[right])
    fade = np.exp(-np.nan_to_num(gap) / settings.decay_hours)  # undated: no distance known
    scores *= settings.decay_floor + (1 - settings.decay_floor) * fade
    same_outlet = batch.outlet[left] == batch.outlet[right]
    # An outlet's items hours apart scoring low are two stories (NaN gap: undated, unsure).
    same_outlet &= ~(gap <= settings.same_source_hours)
    low = scores < settings.same_source_similarity
    blocked = (gap > settings.window_hours) | (same_outlet & low)
    scores[blocked] = BLOCKED
    return left, right, scores
