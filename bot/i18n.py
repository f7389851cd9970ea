"""Message catalogues: every user-facing string, one TOML file per language.

Strings are Telegram HTML. Parameters are escaped when filled in, unless the
caller passes :class:`Markup` (already-rendered HTML from ``bot.formatting``).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from importlib import resources

from bot.formatting import escape
from bot.models import DEFAULT_LANGUAGE, Language


class Markup(str):
    """A string that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


class Catalog:
    """Looks up a message by key in the reader's language, falling back to English."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        missing = [lang for lang in Language if lang not in messages]
        if missing:
            raise ValueError(f"missing catalogues: {', '.join(missing)}")
        self._messages = messages

    @classmethod
    def load(cls) -> Catalog:
        root = resources.files("bot") / "locales"
        messages = {
            lang.value: tomllib.loads((root / f"{lang}.toml").read_text(encoding="utf-8"))
            for lang in Language
        }
        return cls(messages)

    def keys(self, language: str) -> set[str]:
        return set(self._messages[language])

    def text(self, language: str, key: str, /, **params: object) -> str:
        template = self._messages.get(language, {}).get(key)
        if template is None:
            template = self._messages[DEFAULT_LANGUAGE][key]
        safe = {
            name: value if isinstance(value, Markup) else escape(str(value))
            for name, value in params.items()
        }
        return template.format(**safe)


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` in a template (for catalogue consistency tests)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def pick_language(language_code: str | None) -> Language:
    """Map Telegram's ``language_code`` (e.g. ``ko``, ``en-US``) to a catalogue language."""
    if language_code and language_code.split("-")[0].lower() == Language.KO:
        return Language.KO
    return DEFAULT_LANGUAGE
