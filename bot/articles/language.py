"""Which language a text is in: script counting for Korean, the page's declaration otherwise.

A full language identifier is not needed: the bot only has to tell Korean (Hangul) from
everything else, and Hangul is unmistakable (:func:`bot.text.hangul_share` counts it). For
other scripts the page's own ``<html lang>`` or ``og:locale`` is trusted.
"""

from __future__ import annotations

import re

from bot.text import hangul_share

HANGUL_SHARE_FOR_KOREAN = 0.3
"""Share of letters that must be Hangul for a text to count as Korean.

Low on purpose: Korean news is full of Latin acronyms and names (UN, ICBM, KCNA), while
an English text with a few Korean names stays far below it.
"""

_LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*", re.IGNORECASE)
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})


def primary_subtag(tag: str | None) -> str | None:
    """``"en-US"`` → ``"en"``, ``"ko_KR"`` → ``"ko"``; None for anything not a language tag."""
    if not tag:
        return None
    match = _LANGUAGE_TAG.fullmatch(tag.strip())
    if match is None:
        return None
    primary = match.group(1).lower()
    return None if primary in _NOT_LANGUAGES else primary


def detect_language(text: str, declared: str | None = None) -> str:
    """Return ``"ko"`` when Hangul dominates, else the declared language, else ``"en"``.

    A page that declares Korean but whose text is not Hangul (an English edition with a
    copy-pasted template) comes out as English: the text decides, not the template.
    """
    if hangul_share(text) > HANGUL_SHARE_FOR_KOREAN:
        return "ko"
    primary = primary_subtag(declared)
    if primary and primary != "ko":
        return primary
    return "en"
