"""What search indexes and looks for: Hangul as syllable pairs, English by stem."""

from __future__ import annotations

from bot.follows.aliases import other_names
from bot.store.searchterms import AnyOf, Phrase, Prefix, SearchQuery, document_terms, parse_query


def test_hangul_runs_become_syllable_pairs_with_their_last_syllable_at_the_end() -> None:
    assert document_terms("김여정이 담화") == "김여 여정 정이 담화 이 화"


def test_english_words_are_lower_cased_and_stemmed() -> None:
    assert document_terms("North Korea LAUNCHES satellites") == "north korea launch satellit"


def test_a_query_word_is_the_phrase_of_its_pairs() -> None:
    query = parse_query("김여정 launched 군")

    assert query.clauses == (Phrase(("김여", "여정")), Phrase(("launch",)), Prefix("군"))
    assert query.fts5() == '"김여 여정" AND "launch" AND "군"*'
    assert query.tsquery() == "('김여' <-> '여정') & ('launch') & '군':*"


def test_quoted_words_are_one_phrase() -> None:
    query = parse_query("“Kim Yo Jong” 담화")

    assert query.clauses == (Phrase(("kim", "yo", "jong")), Phrase(("담화",)))


def test_punctuation_alone_is_no_query_and_quotes_cannot_break_out() -> None:
    assert parse_query(" …?! ").empty
    # An unclosed quote runs to the end; only letters and digits reach the query.
    assert parse_query("\"'; DROP TABLE items; --").fts5() == '"drop tabl item"'


def test_runaway_words_are_not_indexed() -> None:
    assert document_terms("x" * 65 + " missile") == "missil"


# ---------------------------------------------------------------- aliases and particles

NAMES = {
    "kim yo jong": ("김여정",),
    "김여정": ("kim yo jong",),
    "north korea": ("북한",),
    "korea": ("한국",),
    "합참": ("jcs", "합동 참모"),
    "김정은": ("kim jong un",),
}


def names(name: str) -> tuple[str, ...]:
    return NAMES.get(name, ())


def test_a_name_of_several_words_is_one_clause_with_its_aliases() -> None:
    query = parse_query("Kim Yo Jong launch", names)

    assert query.clauses == (
        AnyOf(((Phrase(("kim", "yo", "jong")),), (Phrase(("김여", "여정")),))),
        Phrase(("launch",)),
    )
    assert query.fts5() == '("kim yo jong" OR "김여 여정") AND "launch"'
    assert query.tsquery() == "(('kim' <-> 'yo' <-> 'jong') | ('김여' <-> '여정')) & ('launch')"


def test_the_longest_run_of_words_that_is_a_name_wins() -> None:
    # "north korea" is a name before "korea" alone is.
    query = parse_query("North Korea drills", names)

    assert query.clauses == (
        AnyOf(((Phrase(("north", "korea")),), (Phrase(("북한",)),))),
        Phrase(("drill",)),
    )


def test_a_korean_name_finds_its_english_alias_and_a_spaced_korean_one_run_together() -> None:
    query = parse_query("합참", names)

    assert query.clauses == (
        AnyOf(
            (
                (Phrase(("합참",)),),
                (Phrase(("jcs",)),),
                (Phrase(("합동", "참모")),),
                (Phrase(("합동", "동참", "참모")),),
            )
        ),
    )


def test_a_quoted_name_is_expanded_and_an_unknown_word_is_not() -> None:
    query = parse_query('"kim yo jong" statement', names)

    assert query.clauses == (
        AnyOf(((Phrase(("kim", "yo", "jong")),), (Phrase(("김여", "여정")),))),
        Phrase(("statement",)),
    )
    assert parse_query("Kim Yo", names).clauses == (Phrase(("kim",)), Phrase(("yo",)))


def test_a_possessive_asks_for_the_name_alone() -> None:
    query = parse_query("Kim Yo Jong’s sister's", names)

    assert query.clauses == (
        AnyOf(((Phrase(("kim", "yo", "jong")),), (Phrase(("김여", "여정")),))),
        Phrase(("sister",)),
    )


def test_a_way_of_several_terms_is_bracketed_inside_the_any_of() -> None:
    # A one-syllable Korean word cannot sit inside a phrase: the alias is phrase AND prefix.
    query = parse_query("jcs", lambda name: ("합참 군",) if name == "jcs" else ())

    assert query.fts5() == '("jcs" OR ("합참" AND "군"*) OR "합참 참군")'
    assert query.tsquery() == "(('jcs') | (('합참') & '군':*) | ('합참' <-> '참군'))"


def test_the_bots_alias_table_links_both_languages() -> None:
    assert Phrase(("북한",)) in _ways(parse_query("DPRK", other_names))
    assert Phrase(("jcs",)) in _ways(parse_query("합참", other_names))
    assert Phrase(("kim", "yo", "jong")) in _ways(parse_query("김여정", other_names))
    assert Phrase(("김여", "여정")) in _ways(parse_query("Kim Yo Jong", other_names))
    # A plural is read as its singular to find the name.
    assert Phrase(("미사", "사일")) in _ways(parse_query("missiles", other_names))


def _ways(query: SearchQuery) -> list[Phrase | Prefix]:
    (clause,) = query.clauses
    assert isinstance(clause, AnyOf)
    return [term for way in clause.ways for term in way]


def test_a_korean_particle_is_cut_from_a_query_word() -> None:
    # The stem's pairs begin the whole word's, so the stem finds both 김여정 and 김여정이.
    assert parse_query("김여정이").clauses == (Phrase(("김여", "여정")),)
    assert parse_query("북한군은 미사일을").clauses == (
        Phrase(("북한", "한군")),
        Phrase(("미사", "사일")),
    )
    assert parse_query("북한에서는").clauses == (Phrase(("북한",)),)
    assert parse_query("고양이").clauses == (Phrase(("고양",)),)


def test_a_particle_after_a_latin_name_is_let_go() -> None:
    assert parse_query("ICBM을 쐈다").clauses == (Phrase(("icbm",)), Phrase(("쐈다",)))
    # After digits a syllable is a unit (100만 is a million), not a particle.
    assert parse_query("JCS에서는 100만").clauses == (
        Phrase(("jcs",)),
        Phrase(("100",)),
        Prefix("만"),
    )


def test_a_particle_is_not_cut_to_one_syllable_nor_from_a_name_nor_in_quotes() -> None:
    assert parse_query("군은").clauses == (Phrase(("군은",)),)
    assert parse_query("김정은", names).clauses[0] == AnyOf(
        ((Phrase(("김정", "정은")),), (Phrase(("kim", "jong", "un")),))
    )
    assert parse_query('"경기도"').clauses == (Phrase(("경기", "기도")),)


def test_a_word_with_a_particle_finds_the_aliases_of_its_stem() -> None:
    assert parse_query("김여정이", names).clauses == (
        AnyOf(((Phrase(("김여", "여정")),), (Phrase(("kim", "yo", "jong")),))),
    )
