"""Message catalogues: every user-facing string, one TOML file per language.

Strings are Telegram HTML. Parameters are escaped when filled in, unless the
caller passes :class:`Markup` (already-rendered HTML from ``bot.formatting``).

Counts agree with their nouns through a plural field: ``{items:# item|# items}``
gives "1 item" and "2 items". The forms after the colon, separated by ``|``, follow
the language's plural categories (:data:`PLURAL_FORMS`: English has "one" and
"other"; Korean, which counts with a counter word, one: ``기사 {items}건`` needs no
field at all); ``#`` stands for the number. The value must be an int.
Every plural field is checked when the catalogue loads.

Korean particles agree with the word before them through a particle field: ``{zone:으로}``
gives "서울로" and "도쿄로"; ``{time:-으로}`` gives only the particle, for a value set in
markup (``<b>{time}</b>{time:-으로}``). Either form names the particle (을 or 를);
:mod:`bot.particles` chooses by the visible text's last sound.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from importlib import resources

from bot.errors import ConfigError
from bot.formatting import escape, plain_text
from bot.models import DEFAULT_LANGUAGE, Language
from bot.particles import PARTICLES, particle

PLURAL_FORMS: dict[str, int] = {Language.EN: 2, Language.KO: 1}
"""How many forms a plural field has in each language (CLDR's categories for integers)."""


def plural_index(language: str, n: int) -> int:
    """Which form of a plural field ``n`` takes: English "one" (0) or "other" (1)."""
    if PLURAL_FORMS.get(language, 1) == 1:
        return 0
    return 0 if n == 1 else 1


class _Filler(string.Formatter):
    """Fills a template: plain fields as given, plural fields by the count's form."""

    def __init__(self, language: str) -> None:
        self._language = language

    def format_field(self, value: object, format_spec: str) -> str:
        if not format_spec:
            return str(value)
        if is_particle_field(format_spec):
            word = plain_text(str(value))
            chosen = particle(word, format_spec.removeprefix("-"))
            return chosen if format_spec.startswith("-") else f"{value}{chosen}"
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"a plural field needs an int, got {value!r}")
        forms = format_spec.split("|")
        return forms[plural_index(self._language, value)].replace("#", str(value))


class Markup(str):
    """A string that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


class Catalog:
    """Looks up a message by key in the reader's language, falling back to English."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        missing = [lang for lang in Language if lang not in messages]
        if missing:
            raise ValueError(f"missing catalogues: {', '.join(missing)}")
        for language, templates in messages.items():
            for key, template in templates.items():
                check_plural_fields(language, key, template)
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

    def template(self, language: str, key: str) -> str:
        """The raw entry, for consistency checks across languages."""
        return self._messages[language][key]

    def text(self, language: str, key: str, /, **params: object) -> str:
        template = self._messages.get(language, {}).get(key)
        if template is None:
            language, template = DEFAULT_LANGUAGE, self._messages[DEFAULT_LANGUAGE][key]
        # Ints stay ints (they are safe as they are) so plural fields can count them.
        safe = {
            name: value if isinstance(value, Markup | int) else escape(str(value))
            for name, value in params.items()
        }
        return _Filler(language).format(template, **safe)


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` in a template (for catalogue consistency tests)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def plural_fields(template: str) -> set[str]:
    """Names of the placeholders a template uses as counts (``{n:# item|# items}``)."""
    return {
        name
        for _, name, spec, _ in string.Formatter().parse(template)
        if name and spec and not is_particle_field(spec)
    }


def is_particle_field(format_spec: str) -> bool:
    """``{x:으로}`` or ``{x:-으로}``: a Korean particle chosen by the value, not a count."""
    return format_spec.removeprefix("-") in PARTICLES


def check_plural_fields(language: str, key: str, template: str) -> None:
    """Raise :class:`~bot.errors.ConfigError` unless every plural field has the
    language's number of forms: a broken catalogue stops the start-up, not a reply."""
    expected = PLURAL_FORMS.get(language, 1)
    for _, name, spec, conversion in string.Formatter().parse(template):
        if not name or not spec or is_particle_field(spec):
            continue
        forms = spec.split("|")
        if conversion or len(forms) != expected:
            raise ConfigError(
                f"{language}.{key}: the plural field {{{name}:{spec}}} needs {expected} "
                "form(s) separated by |"
            )


def pick_language(language_code: str | None) -> Language:
    """Map Telegram's ``language_code`` (e.g. ``ko``, ``en-US``) to a catalogue language."""
    if language_code and language_code.split("-")[0].lower() == Language.KO:
        return Language.KO
    return DEFAULT_LANGUAGE
