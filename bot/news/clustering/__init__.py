"""Group news items about the same event into stories, across outlets and languages.

``cluster(items)`` returns groups of item keys, one group per story:

1. Tokens. English: words with light suffix stripping, stop words and words every
   peninsula story has ("north", "korea", "said") dropped. Korean: character bigrams of
   Hangul runs, a trailing particle stripped, a headline's one-Hanja abbreviations read
   as words (美 → 미국, 李 → 이재명). Both: numbers with their unit (``600㎞`` and
   ``600 km`` → ``#600km``; ``1만4천`` and ``14,000`` → ``#14000``), Latin acronyms, and
   concepts from a bilingual gazetteer of terms, people, places and institutions
   (탄도미사일 and "ballistic missile" → ``BALLISTIC_MISSILE``; 김건희 and "Kim Keon-hee" →
   ``KIM_KEON_HEE``); wire tags such as "(2nd LD)" and "(종합2보)" are dropped.
   (:mod:`.tokens`, :mod:`.numbers`, :mod:`.concepts`.)
2. Two TF-IDF spaces over the batch (sublinear tf, title tokens counted twice):
   *lexical* (words, Hangul bigrams, numbers) and *entity* (concepts, numbers with units,
   acronyms: what reads the same in both languages). Document frequencies are the
   batch's plus a reference corpus's (:mod:`.reference`): a few dozen items alone say
   little about which words are rare. Dot products come from posting lists, so only
   pairs that share a term are touched. (:mod:`.similarity`.)
3. A same-language pair scores a blend of both spaces; an English–Korean pair scores
   its entity similarity. Entity similarity resting on a single shared entity counts
   half (a general concept that comes with a specific one, MISSILE with
   BALLISTIC_MISSILE, counts half of one). Scores fade with the time between the items.
   Pairs more than ``window_hours`` apart, and two items of one outlet published more
   than ``same_source_hours`` apart that score below ``same_source_similarity`` (two
   stories, not an update of one), may never share a group.
4. Average-linkage agglomerative clustering (nearest-neighbour chain) inside each
   connected component of the pairs at or above the threshold. Single linkage would
   chain a launch to the sanctions report to the UN meeting; average linkage does not.
   (:mod:`.linkage`.)

5. Stories that stay apart can still be related: :func:`affinity` gives each two
   stories' average pair score, which the briefing uses to rank an event by all of its
   coverage and to show it once, and each item's centrality in its own story, which picks
   the report that shows the story. (:mod:`.affinity`.)

Pure and deterministic (items are processed in key order, so input order does not
matter); ``benchmarks/clustering.py`` measures its quality on real labelled news and its
speed on a day's items. Parameters and threshold were tuned on the real dev set only.

The word lists, the gazetteer and the reference frequencies are package data in
``data/`` (:mod:`.datafiles`, :mod:`.concepts`, :mod:`.reference`), read once and checked
line by line; the code holds the algorithm.
"""

from bot.news.clustering.affinity import Affinity, Relation, affinity
from bot.news.clustering.batch import DEFAULT_THRESHOLD, ClusterInput, ClusterParams
from bot.news.clustering.linkage import cluster

__all__ = [
    "DEFAULT_THRESHOLD",
    "Affinity",
    "ClusterInput",
    "ClusterParams",
    "Relation",
    "affinity",
    "cluster",
]
