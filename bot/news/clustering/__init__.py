"""Group news items about the same event into stories, across outlets and languages.

``cluster(items)`` returns groups of item keys, one group per story:

1. Tokens. English: words with light suffix stripping, stop words and words every
   peninsula story has ("north", "korea", "said") dropped. Korean: character bigrams of
   Hangul runs, a trailing particle stripped. Both: numbers with their unit (``600㎞``
   and ``600 km`` → ``#600km``; ``1만4천`` and ``14,000`` → ``#14000``), Latin acronyms,
   and concepts from a small bilingual gazetteer (탄도미사일 and "ballistic missile" →
   ``BALLISTIC_MISSILE``); wire tags such as "(2nd LEAD)" and "[속보]" are dropped.
   (:mod:`.tokens`, :mod:`.numbers`, :mod:`.concepts`.)
2. Two TF-IDF spaces over the batch (sublinear tf, title tokens counted twice):
   *lexical* (words, Hangul bigrams, numbers) and *entity* (concepts, numbers with units,
   acronyms: what reads the same in both languages). Dot products come from posting
   lists, so only pairs that share a term are touched. (:mod:`.similarity`.)
3. A same-language pair scores a blend of both spaces; an English–Korean pair scores
   its entity similarity, scaled. Entity similarity resting on a single shared entity
   counts half. Pairs more than ``window_hours`` apart, and two items of one outlet
   below ``same_source_similarity`` (two stories, not an update of one), may never share
   a group.
4. Average-linkage agglomerative clustering (nearest-neighbour chain) inside each
   connected component of the pairs at or above the threshold. Single linkage would
   chain a launch to the sanctions report to the UN meeting; average linkage does not.
   (:mod:`.linkage`.)

Pure and deterministic (items are processed in key order, so input order does not
matter); ``benchmarks/clustering.py`` measures its quality and its speed on a day's items.

The word lists and the gazetteer are package data in ``data/`` (:mod:`.datafiles`,
:mod:`.concepts`), read once and checked line by line; the code holds the algorithm.
"""

from bot.news.clustering.batch import DEFAULT_THRESHOLD, ClusterInput, ClusterParams
from bot.news.clustering.linkage import cluster

__all__ = ["DEFAULT_THRESHOLD", "ClusterInput", "ClusterParams", "cluster"]
