"""Reference document frequencies: how rare a token is in news at large, not just today.

The IDF of a batch of a few dozen items is noise: a word two of them happen to share
looks as rare as a name. ``data/reference_df.txt`` holds, for each token seen in at least
five items of a reference corpus — the real feed items the relevance filter keeps (Korean
wires and papers, foreign outlets, KCNA; the development period only) — the number of
items it occurs in, counted with the clusterer's own tokens (:mod:`.tokens`).
:mod:`.similarity` adds them, weighted, to the batch's own counts.
``benchmarks/clustering_reference.py`` writes the file; rerun it after changing the
tokens or the gazetteer (a token the file lacks counts as rare).

Format: a first line ``documents: N``, then ``COUNT<TAB>TOKEN`` lines; a line starting
with ``#`` is a comment (tokens such as ``#600km`` only ever follow a tab).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.errors import DataFileError
from bot.news.clustering.datafiles import read_data_file

__all__ = ["REFERENCE_FILE", "Reference", "parse_reference", "reference"]

REFERENCE_FILE = "reference_df.txt"


@dataclass(frozen=True, slots=True)
class Reference:
    documents: int
    frequency: dict[str, int]
    """Token → number of reference items it occurs in."""


def parse_reference(text: str, origin: str) -> Reference:
    """The frequencies in ``text``; a malformed line raises ``DataFileError``."""
    documents: int | None = None
    frequency: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if documents is None:
            label, _, count = line.partition(":")
            if label != "documents" or not count.strip().isdigit():
                raise DataFileError(origin, number, "expected 'documents: N' first")
            documents = int(count)
            continue
        count, tab, token = line.partition("\t")
        if not tab or not count.isdigit() or not token or token != token.strip():
            raise DataFileError(origin, number, "expected 'COUNT<TAB>TOKEN'")
        if token in frequency:
            raise DataFileError(origin, number, f"{token!r} is listed twice")
        frequency[token] = int(count)
    if documents is None:
        raise DataFileError(origin, 1, "expected 'documents: N' first")
    return Reference(documents, frequency)


@functools.cache
def reference() -> Reference:
    """The packaged reference frequencies, read once."""
    return parse_reference(*read_data_file(REFERENCE_FILE))
