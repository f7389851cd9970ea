"""The nearest commands to a mistyped one, from the bot's own command table."""

from __future__ import annotations

import pytest

from handlers import COMMANDS
from handlers.unknown import KOREAN_NAMES, nearest_commands

NAMES = [command.name for command in COMMANDS]


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [
        ("subscrbe", ["subscribe"]),
        ("Subscirbe", ["subscribe"]),
        ("unsubscibe", ["unsubscribe"]),
        ("tme", ["time"]),
        ("timzone", ["timezone"]),
        ("setings", ["settings"]),
        ("unsub", ["unsubscribe"]),  # the beginning of one command
        ("lang", ["language"]),
        ("weather", []),
        ("x", []),
    ],
)
def test_nearest_commands(typed: str, nearest: list[str]) -> None:
    assert nearest_commands(typed, NAMES) == nearest


def test_every_suggestion_is_a_real_command_and_there_are_few() -> None:
    for typed in ("st", "sta", "stat", "sub", "to", "t"):
        found = nearest_commands(typed, NAMES)
        assert len(found) <= 3 and set(found) <= set(NAMES), typed


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [
        ("구독", ["subscribe"]),
        ("구독하기", ["subscribe"]),
        ("구둑", ["subscribe"]),  # one vowel off
        ("설정", ["settings"]),
        ("시간대", ["timezone"]),
        ("시간데", ["timezone"]),
        ("도움말", ["help"]),
        ("날씨", []),
    ],
)
def test_korean_words_typed_as_commands_name_the_command_meant(
    typed: str, nearest: list[str]
) -> None:
    assert nearest_commands(typed, NAMES) == nearest


def test_every_korean_name_belongs_to_a_real_command_and_none_is_shared() -> None:
    assert set(KOREAN_NAMES) <= set(NAMES)
    aliases = [alias for names in KOREAN_NAMES.values() for alias in names]
    assert len(aliases) == len(set(aliases))
