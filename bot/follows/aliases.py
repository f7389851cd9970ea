"""Names a follow also matches: 김여정 for "Kim Yo Jong", JCS for 합참, DPRK for 북한.

The source is the clustering's bilingual gazetteer (its lines as written,
:func:`bot.news.clustering.concepts.gazetteer_lines`) plus ``data/aliases.txt`` for what
it lacks, in the same format. Names on one line are aliases of each other, and a name on
several lines has the names of all of them. Lines are not merged by their concepts: the
gazetteer gives one concept several lines of related but different names ("satellite"
and "satellite launch" are both SATELLITE). Two kinds of name are left out, as they would
match far more than the name followed:

* a name of one character once spaces are removed: the headline Hanja 李, 尹, 北;
* a name that is the first words of a longer name of its group: the bare surnames
  "lee" (of "lee jae myung") and "yoon", "ballistic" (of "ballistic missile").

The name followed itself is always kept. Lines whose first concept is listed in
``data/not_aliases.txt`` give no aliases at all: words clustering treats as one concept
("fire" for a launch, 군인 for troops) but a reader does not ask for when they follow or
search one of them.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections import defaultdict
from collections.abc import Iterable

from bot.follows.query import normalize
from bot.news.clustering.concepts import ConceptLine, concept_lines, gazetteer_lines

__all__ = [
    "alias_table",
    "aliases_of",
    "build_alias_table",
    "is_known_name",
    "other_names",
]

AliasTable = dict[str, tuple[str, ...]]
"""A name without spaces → every usable name of its lines, normalised."""


def build_alias_table(
    lines: Iterable[ConceptLine], left_out: frozenset[str] = frozenset()
) -> AliasTable:
    """Each name of ``lines``, with the usable names of every line it is on; lines whose
    first concept is in ``left_out`` are skipped."""
    table: dict[str, dict[str, None]] = defaultdict(dict)
    for line in lines:
        if line.concepts and line.concepts[0] in left_out:
            continue
        names = list(dict.fromkeys(normalize(name) for name in (*line.english, *line.korean)))
        usable = [name for name in names if _usable(name, names)]
        for name in names:
            table[_compact(name)].update(dict.fromkeys(usable))
    return {name: tuple(names) for name, names in table.items()}


def _usable(name: str, group: Iterable[str]) -> bool:
    if len(_compact(name)) < 2:
        return False
    return not any(other != name and other.startswith(name + " ") for other in group)


def _compact(name: str) -> str:
    return name.replace(" ", "")


@functools.cache
def alias_table() -> AliasTable:
    """The packaged table: the gazetteer and ``data/aliases.txt``, read once."""
    data = importlib.resources.files("bot.follows").joinpath("data")
    own = concept_lines(
        data.joinpath("aliases.txt").read_text(encoding="utf-8"), "bot/follows/data/aliases.txt"
    )
    listed = data.joinpath("not_aliases.txt").read_text(encoding="utf-8").splitlines()
    left_out = frozenset(line.strip() for line in listed if line.strip()[:1] not in ("", "#"))
    return build_alias_table([*gazetteer_lines(), *own], left_out)


def aliases_of(term: str, table: AliasTable | None = None) -> tuple[str, ...]:
    """``term`` (normalised) and its aliases, ``term`` first."""
    found = (table if table is not None else alias_table()).get(_compact(term), ())
    return (term, *(name for name in found if name != term))


def is_known_name(name: str, table: AliasTable | None = None) -> bool:
    """Whether ``name`` (normalised) has aliases: several plain words may be one name."""
    return len((table if table is not None else alias_table()).get(_compact(name), ())) > 1


def other_names(name: str, table: AliasTable | None = None) -> tuple[str, ...]:
    """The aliases of ``name`` (normalised), or none if it is no known name: what
    ``/search`` also looks for. An English plural is read as its singular (missiles)."""
    for form in (name, *_singulars(name)):
        if is_known_name(form, table):
            return tuple(alias for alias in aliases_of(form, table) if alias != name)
    return ()


def _singulars(name: str) -> list[str]:
    if not name.isascii() or not name.endswith("s") or name.endswith("ss"):
        return []
    forms = [name[:-1]]
    if name.endswith("es"):
        forms.append(name[:-2])
    if name.endswith("ies"):
        forms.append(name[:-3] + "y")
    return forms
