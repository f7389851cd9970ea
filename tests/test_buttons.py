"""Callback data: what the bot writes reads back; anything else is "out of date", never an error."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.subscriptions.view import TOPIC_ORDER
from handlers.buttons import (
    TIME_CHOICES,
    ZONE_CHOICES,
    ButtonPress,
    button_data,
    menu_data,
    parse_button,
)

CHANNEL = -1009876543210


def every_button(chat_id: int) -> list[str]:
    """The data of every button the bot can draw for ``chat_id``."""
    plain = ["home", "time", "zone", "topics", "sub", "unsub", "done"]
    return [
        *(menu_data(chat_id, action) for action in plain),
        *(menu_data(chat_id, "t", t.replace(":", "")) for t in TIME_CHOICES),
        *(menu_data(chat_id, "z", zone) for zone in ZONE_CHOICES),
        # The longest IANA name: any zone can be a suggestion for a typo.
        menu_data(chat_id, "z", "America/Argentina/ComodRivadavia"),
        menu_data(chat_id, "z", "Etc/GMT-9"),
        *(menu_data(chat_id, "tt", str(i)) for i in range(len(TOPIC_ORDER))),
        menu_data(chat_id, "len", "short"),
        menu_data(chat_id, "len", "standard"),
        menu_data(chat_id, "lang", "en"),
        menu_data(chat_id, "lang", "ko"),
        button_data("forget", chat_id, "yes"),
        button_data("forget", chat_id, "no"),
    ]


@pytest.mark.parametrize("chat_id", [5001, -4001, CHANNEL])
def test_every_button_reads_back_within_telegrams_64_bytes(chat_id: int) -> None:
    for data in every_button(chat_id):
        press = parse_button(data)
        assert press is not None and press.chat_id == chat_id, data
        assert len(data.encode()) <= 64


def test_a_press_carries_its_action_and_argument() -> None:
    assert parse_button(f"m:{CHANNEL}:z:Europe/London") == ButtonPress(
        "menu", CHANNEL, "z", "Europe/London"
    )
    assert parse_button("f:5001:yes") == ButtonPress("forget", 5001, "yes")


@pytest.mark.parametrize(
    "data",
    [
        "m:5001:tt:²",  # str.isdigit() says yes, int() says no
        "m:5001:tt:٣",  # an Arabic-Indic digit
        f"m:5001:tt:{len(TOPIC_ORDER)}",
        "m:5001:z:08",
        "m:5001:z:3",  # zones are named, not numbered (a stale numbered button is out of date)
        "m:5001:z:europe/london",  # only as tzdata spells it
        "m:5001:z:Mars/Olympus",
        "m:5001:z:Europe/../../etc",
        "m:5001:t:2500",
        "m:5001:len:huge",
        "m:5001:lang:fr",
        "m:5001:home:extra",
        "m:5001:tt",
        "m:5001:nuke",
        "f:5001:maybe",
        "x:5001:home",
        "m:05001:home",
        "m:99999999999999999999:home",
        "m:5001:home\n",
        "",
    ],
)
def test_anything_the_bot_did_not_write_is_out_of_date(data: str) -> None:
    assert parse_button(data) is None


def test_the_bot_cannot_write_a_button_it_would_not_read() -> None:
    with pytest.raises(ValueError, match="not a valid button"):
        menu_data(5001, "tt", "99")


@settings(derandomize=True, deadline=None, max_examples=500)
@given(st.text())
def test_arbitrary_text_never_raises(data: str) -> None:
    press = parse_button(data)
    assert press is None or press.kind in ("menu", "forget")


@settings(derandomize=True, deadline=None, max_examples=300)
@given(
    st.sampled_from(["m", "f", "x"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=0, max_size=10),
    st.none() | st.text(max_size=20),
)
def test_well_shaped_junk_never_raises(
    prefix: str, chat_id: int, action: str, argument: str | None
) -> None:
    data = f"{prefix}:{chat_id}:{action}" + (f":{argument}" if argument is not None else "")
    press = parse_button(data)
    if press is not None:
        assert press.chat_id == chat_id and abs(chat_id) < 2**63
