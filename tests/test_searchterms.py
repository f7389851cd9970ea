"""What search indexes and looks for: Hangul as syllable pairs, English by stem."""

from __future__ import annotations

from bot.store.searchterms import Phrase, Prefix, document_terms, parse_query


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
