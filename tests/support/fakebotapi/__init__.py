"""A strict fake of the Telegram Bot API for conversation tests.

The real PTB ``Application`` talks HTTP to this server (``TELEGRAM_API_URL = api.url``), so a
test exercises the same request encoding, error mapping and polling loop as production.
The fake is deliberately strict: it parses HTML like Telegram, counts length in UTF-16 after
entity decoding, and answers mistakes with Telegram's own error texts, so formatting and
keyboard bugs fail in tests rather than in a user's chat.

Where it is stricter than Telegram, on purpose: a bare ``&`` that starts no entity and an
``<a>`` without ``href`` are errors (Telegram keeps the former literally and guesses a link
for the latter); both are escaping mistakes we want to catch.

How PTB 22 sends requests (see ``telegram/request/_httpxrequest.py``): always POST to
``/bot<TOKEN>/<method>``, body ``application/x-www-form-urlencoded`` (``multipart/form-data``
only when uploading files), no body at all without parameters. Every value is a string:
nested values are JSON strings, booleans ``"true"``; a string ``"123"`` and the number 123
look the same, so parameters are decoded by name, as Telegram does.

The server runs in its own thread and event loop; tests drive it from the pytest loop
through the thread-safe recording, configuration and user-side methods (``user_says``,
``user_presses``, ``channel_posts``).

Modules: ``errors`` (Telegram's error answers), ``html`` (UTF-16 lengths and the HTML
dialect), ``markup`` (keyboards and command menus), ``params`` (request decoding),
``records`` (what is recorded), ``state``, ``methods`` (the Bot API methods), ``webhook``
(setWebhook and delivering updates by POST, as in webhook mode), ``users``
(what users do: messages with the entities Telegram would add, photos with captions) and
``server`` (the thread, configuration, recording and waiting).
"""

from tests.support.fakebotapi.errors import CONFLICT, NOT_MODIFIED, ApiError
from tests.support.fakebotapi.html import (
    HtmlParseError,
    entity_for,
    format_text,
    parse_html,
    utf16_len,
)
from tests.support.fakebotapi.records import ApiCall, FailedCall, SentMessage
from tests.support.fakebotapi.server import PATIENCE, FakeBotAPI
from tests.support.fakebotapi.state import DEFAULT_TOKEN, DEFAULT_USERNAME
from tests.support.fakebotapi.users import DEFAULT_GROUP_USER_ID

__all__ = [
    "CONFLICT",
    "DEFAULT_GROUP_USER_ID",
    "DEFAULT_TOKEN",
    "DEFAULT_USERNAME",
    "NOT_MODIFIED",
    "PATIENCE",
    "ApiCall",
    "ApiError",
    "FailedCall",
    "FakeBotAPI",
    "HtmlParseError",
    "SentMessage",
    "entity_for",
    "format_text",
    "parse_html",
    "utf16_len",
]
