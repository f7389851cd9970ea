"""The nearest commands to a mistyped one, from the bot's own command table."""

from __future__ import annotations

import pytest

from handlers import COMMANDS
from handlers.unknown import nearest_commands

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
