from __future__ import annotations

import pytest

from bot.i18n import Catalog, Markup, pick_language, placeholders
from bot.models import Language


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_every_language_has_every_key(catalog: Catalog) -> None:
    english = catalog.keys("en")
    for language in Language:
        assert catalog.keys(language) == english


def test_translations_use_the_same_placeholders(catalog: Catalog) -> None:
    for key in catalog.keys("en"):
        assert placeholders(catalog.text("en", key, **_dummy(catalog, key))) == set()
        en = placeholders(catalog._messages["en"][key])
        ko = placeholders(catalog._messages["ko"][key])
        assert en == ko, key


def _dummy(catalog: Catalog, key: str) -> dict[str, object]:
    return {name: "x" for name in placeholders(catalog._messages["en"][key])}


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
