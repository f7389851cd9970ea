from __future__ import annotations

import re

import pytest

from bot.errors import ConfigError
from bot.i18n import Catalog, Markup, pick_language, placeholders, plural_fields
from bot.models import Language


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_every_language_has_every_key(catalog: Catalog) -> None:
    english = catalog.keys("en")
    for language in Language:
        assert catalog.keys(language) == english


def test_translations_use_the_same_placeholders(catalog: Catalog) -> None:
    """Same names in both languages; a count in one is a count in the other (an int)."""
    for key in catalog.keys("en"):
        en, ko = catalog.template("en", key), catalog.template("ko", key)
        assert placeholders(en) == placeholders(ko), key
        for language in Language:
            filled = catalog.text(language, key, **_dummy(catalog, key))
            assert placeholders(filled) == set(), (language, key)


def _dummy(catalog: Catalog, key: str) -> dict[str, object]:
    counts = set().union(*(plural_fields(catalog.template(lang, key)) for lang in Language))
    return {
        name: 2 if name in counts else "x" for name in placeholders(catalog.template("en", key))
    }


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [
        ("en", 1, "1 item"),
        ("en", 2, "2 items"),
        ("en", 0, "0 items"),
        ("ko", 1, "기사 1건"),
        ("ko", 2, "기사 2건"),
    ],
)
def test_counts_agree_with_their_nouns(language: str, n: int, expected: str) -> None:
    catalog = Catalog({"en": {"k": "{n:# item|# items}"}, "ko": {"k": "기사 {n:#건}"}})
    assert catalog.text(language, "k", n=n) == expected


def test_sources_line_says_1_item_and_2_items_in_both_languages(catalog: Catalog) -> None:
    def line(language: str, items: int) -> str:
        return catalog.text(language, "sources_ok", name="Yonhap", when="now", items=items)

    assert line("en", 1).endswith("; 1 item") and line("en", 2).endswith("; 2 items")
    assert line("ko", 1).endswith("기사 1건") and line("ko", 2).endswith("기사 2건")


def test_a_plural_field_with_the_wrong_number_of_forms_stops_loading() -> None:
    with pytest.raises(ConfigError, match=r"en\.k"):
        Catalog({"en": {"k": "{n:# items}"}, "ko": {"k": "{n}건"}})
    with pytest.raises(ConfigError, match=r"ko\.k"):
        Catalog({"en": {"k": "{n:# item|# items}"}, "ko": {"k": "{n:#개|#개}"}})


def test_a_plural_field_needs_an_integer() -> None:
    catalog = Catalog({"en": {"k": "{n:# item|# items}"}, "ko": {"k": "{n}건"}})
    with pytest.raises(TypeError):
        catalog.text("en", "k", n="2")


# A number followed by an English plural noun ("{n} items"): it reads "1 items" for one.
_BARE_COUNT = re.compile(r"\{[a-z_]+\} (?:[a-z]+ )?(?:items|links|stories|sources|sentences)\b")


def test_no_english_count_is_left_without_plural_forms(catalog: Catalog) -> None:
    offenders = [
        key for key in catalog.keys("en") if _BARE_COUNT.search(catalog.template("en", key))
    ]
    assert offenders == []


def test_parameters_are_escaped_unless_marked_as_markup(catalog: Catalog) -> None:
    assert "&lt;b&gt;" in catalog.text("en", "error_prefix", link="<b>")
    assert "<b>x</b>" in catalog.text("en", "error_prefix", link=Markup("<b>x</b>"))


def test_korean_catalogue_is_korean(catalog: Catalog) -> None:
    assert "요약" in catalog.text("ko", "start")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ko", "ko"), ("ko-KR", "ko"), ("en-US", "en"), ("de", "en"), (None, "en")],
)
def test_pick_language_follows_telegram_language_code(code: str | None, expected: str) -> None:
    assert pick_language(code) == expected


# Korean counts with a counter word after the number (기사 3건, 언론사 2곳, 링크 3개).
_COUNTERS = ("건", "곳", "개", "명", "문장", "분", "시간", "일")


def test_korean_counts_take_a_counter_word(catalog: Catalog) -> None:
    """Wherever English needs plural forms, Korean writes the number with a counter."""
    for key in catalog.keys("en"):
        for name in plural_fields(catalog.template("en", key)):
            korean = catalog.template("ko", key)
            field = re.escape("{" + name) + r"(?::[^}]*)?\}"
            counted = re.search(field + "(?:" + "|".join(_COUNTERS) + ")", korean)
            assert counted, (key, name, korean)
