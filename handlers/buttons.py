"""Callback data of the bot's buttons: written in one place, read back in one function.

Data is ``<kind>:<chat id>:<action>[:<argument>]``, at most 64 bytes as Telegram
requires: ``m`` for the settings menu, ``f`` for /forget's question, ``b`` for the buttons
under a delivered briefing, ``w`` for the remove buttons of /follows, ``s`` for the pages
of /search (``s:<chat>:page:<query id>-<n>``: the words are saved under the id, so any
instance can turn the page, after a restart too), ``t`` for a briefing story's thread
(``t:<chat>:show:<thread id>``). The chat id lets an administrator
manage a channel from a private chat. Data arrives from Telegram clients and can be
anything, so :func:`parse_button` checks every part against what the bot itself writes
and returns None — "this menu is out of date" — for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from bot.delivery.schedule import is_zone_name
from bot.delivery.sender import BriefingAction
from bot.models import Language, SummaryLength
from bot.subscriptions.view import TOPIC_ORDER

Kind = Literal["menu", "forget", "briefing", "follow", "search", "story"]
_PREFIXES: Final[dict[Kind, str]] = {
    "menu": "m",
    "forget": "f",
    "briefing": "b",
    "follow": "w",
    "search": "s",
    "story": "t",
}
_KINDS: Final[dict[str, Kind]] = {prefix: kind for kind, prefix in _PREFIXES.items()}

TIME_CHOICES: Final = (
    "06:00", "06:30", "07:00", "07:30", "08:00", "08:30", "09:00", "12:00", "18:00", "21:00",
)  # fmt: skip
ZONE_CHOICES: Final = (
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)
"""The zones offered in the settings menu and when /subscribe asks where one reads."""

Check = Callable[[str], bool]


def _matching(pattern: str) -> Check:
    compiled = re.compile(pattern)
    return lambda text: compiled.fullmatch(text) is not None


def _index_below(limit: int) -> Check:
    return _matching("|".join(str(i) for i in range(limit)))


# What each action's argument may be (None: no argument). ASCII only: ``str.isdigit``
# accepts "²", which ``int`` refuses. A zone is carried by its IANA name (at most 32
# characters), so a suggestion for a typo can be any zone, and a stale button cannot
# point at the wrong one.
_ARGUMENTS: Final[dict[Kind, dict[str, Check | None]]] = {
    "menu": {
        "home": None,
        "time": None,
        "zone": None,
        "topics": None,
        "length": None,
        "freq": None,
        "sub": None,
        "unsub": None,
        "done": None,
        "t": _matching("|".join(t.replace(":", "") for t in TIME_CHOICES)),
        "z": is_zone_name,
        "tt": _index_below(len(TOPIC_ORDER)),
        "len": _matching("|".join(SummaryLength)),
        "lang": _matching("|".join(Language)),
        # Daily, weekdays, or weekly on a day (w0 = Monday … w6 = Sunday).
        "fq": _matching("daily|weekdays|w[0-6]"),
    },
    "forget": {"yes": None, "no": None},
    "briefing": {action.value: None for action in BriefingAction},
    # A follow by its row id (a stale button names a follow that is gone: "already removed").
    "follow": {"rm": _matching("[1-9][0-9]{0,17}")},
    # The saved search's id (bot.store.search.query_id) and the page, from 0.
    "search": {"page": _matching(r"[0-9a-f]{12}-(?:0|[1-9][0-9]?)")},
    # A thread's id (bot.briefing.threads.thread_id).
    "story": {"show": _matching(r"[0-9a-f]{12}")},
}
_DATA = re.compile(
    r"(?P<prefix>[a-z]):(?P<chat>-?[1-9][0-9]{0,18}):(?P<action>[a-z]{1,8})"
    r"(?::(?P<arg>[A-Za-z0-9_+\-/]{1,32}))?"
)
_CHAT_ID_LIMIT = 2**63


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """A press the bot's own buttons can produce, already checked."""

    kind: Kind
    chat_id: int
    """The chat whose settings the button is about."""
    action: str
    argument: str | None = None


def button_data(kind: Kind, chat_id: int, action: str, argument: str | None = None) -> str:
    """The callback data for a button; ``parse_button`` reads it back."""
    data = f"{_PREFIXES[kind]}:{chat_id}:{action}" + (f":{argument}" if argument else "")
    if len(data.encode()) > 64 or parse_button(data) is None:
        raise ValueError(f"not a valid button: {data!r}")
    return data


def menu_data(chat_id: int, action: str, argument: str | None = None) -> str:
    return button_data("menu", chat_id, action, argument)


def story_data(chat_id: int, thread_id: str) -> str:
    return button_data("story", chat_id, "show", thread_id)


def search_page_data(chat_id: int, query_key: str, page: int) -> str:
    return button_data("search", chat_id, "page", f"{query_key}-{page}")


def search_page(press: ButtonPress) -> tuple[str, int]:
    """The saved query's id and the page a search button asks for."""
    key, _, page = (press.argument or "").partition("-")
    return key, int(page)


def parse_button(data: str) -> ButtonPress | None:
    """The press ``data`` describes, or None for anything the bot would not have written."""
    match = _DATA.fullmatch(data)
    if match is None or match["prefix"] not in _KINDS:
        return None
    kind = _KINDS[match["prefix"]]
    chat_id = int(match["chat"])
    action, argument = match["action"], match["arg"]
    if not -_CHAT_ID_LIMIT < chat_id < _CHAT_ID_LIMIT or action not in _ARGUMENTS[kind]:
        return None
    grammar = _ARGUMENTS[kind][action]
    if (grammar is None) != (argument is None):
        return None
    if grammar is not None and (argument is None or not grammar(argument)):
        return None
    return ButtonPress(kind, chat_id, action, argument)
