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
through the thread-safe recording, configuration and update-builder methods.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Self, TypeVar

from aiohttp import web

T = TypeVar("T")
JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklm"
DEFAULT_USERNAME = "PeninsulaBriefBot"
MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_ANSWER_LENGTH = 200
DEFAULT_GROUP_USER_ID = 424242

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_FORBIDDEN = {
    "private": "Forbidden: bot was blocked by the user",
    "group": "Forbidden: bot was kicked from the group chat",
    "supergroup": "Forbidden: bot was kicked from the supergroup chat",
    "channel": "Forbidden: bot is not a member of the channel chat",
}
_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
# Update types Telegram leaves out unless asked for explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_SCOPES = frozenset(
    [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ]
)


class ApiError(Exception):
    """An error answer of the Bot API; ``payload`` is the JSON body Telegram would send."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    @property
    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def _too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


# --- text: UTF-16 length and Telegram's HTML dialect -------------------------------------


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's wording."""


_HTML_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    ]
)
_SIMPLE_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
}
_SPACES = " \t\r\n\v\f"
_CHAR_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    offset: int  # UTF-16 offset in the visible text where the tag opened


def _is_token_char(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or char in ".-"


class _HtmlParser:
    """A small hand-written parser following tdlib's ``parse_html`` rules and messages."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[JSONDict] = []

    def fail(self, message: str, at: int | None = None) -> HtmlParseError:
        if at is None:
            return HtmlParseError(message)
        byte_offset = len(self.text[:at].encode("utf-8", "surrogatepass"))
        return HtmlParseError(message.format(at=f"at byte offset {byte_offset}"))

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.utf16 += utf16_len(chars)

    def parse(self) -> tuple[str, list[JSONDict]]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "&":
                self.emit(self.char_entity())
            elif char != "<":
                self.emit(char)
                self.pos += 1
            elif text.startswith("</", self.pos):
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            name = self.stack[-1].name
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)
        return "".join(self.out), self.entities

    def char_entity(self) -> str:
        match = _CHAR_ENTITY.match(self.text, self.pos)
        if match is None:
            raise self.fail("Character entity expected {at}", self.pos)
        named, decimal, hexadecimal = match.groups()
        if named:
            char = _NAMED_ENTITIES[named]
        else:
            code = int(decimal, 10) if decimal else int(hexadecimal, 16)
            if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise self.fail(f'Invalid character entity "{match.group()}" {{at}}', self.pos)
            char = chr(code)
        self.pos = match.end()
        return char

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _SPACES:
            self.pos += 1

    def read_until(self, stops: str) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            self.pos += 1
        return self.text[start : self.pos]

    def start_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        name = self.read_until(_SPACES + ">").lower()
        if self.pos >= len(self.text):
            raise self.fail("Unclosed start tag {at}", begin)
        if name not in _HTML_TAGS:
            raise self.fail(f'Unsupported start tag "{name}" {{at}}', begin)
        attributes: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.pos >= len(self.text):
                raise self.fail("Unclosed start tag {at}", begin)
            if self.text[self.pos] == ">":
                self.pos += 1
                break
            attr_begin = self.pos
            attr = self.read_until(_SPACES + "=>").lower()
            if not attr:
                raise self.fail(f'Empty attribute name in the tag "{name}" {{at}}', attr_begin)
            self.skip_spaces()
            if self.pos < len(self.text) and self.text[self.pos] != "=":
                if name == "blockquote" and attr == "expandable":
                    attributes.setdefault(attr, "")
                    continue
                raise self.fail(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" {{at}}',
                    attr_begin,
                )
            self.pos += 1
            self.skip_spaces()
            if self.pos >= len(self.text):
                raise self.fail(f'Unclosed start tag "{name}" {{at}}', begin)
            attributes.setdefault(attr, self.attribute_value(begin))
        self.stack.append(_OpenTag(name, attributes, self.utf16))
        self.check_required_attributes(name, attributes, begin)

    def attribute_value(self, tag_begin: int) -> str:
        quote = self.text[self.pos]
        if quote not in "'\"":
            token_begin = self.pos
            while self.pos < len(self.text) and _is_token_char(self.text[self.pos]):
                self.pos += 1
            if self.pos < len(self.text) and self.text[self.pos] not in _SPACES + ">":
                raise self.fail("Unexpected end of name token {at}", token_begin)
            return self.text[token_begin : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] != quote:
            if self.text[self.pos] == "&":
                value.append(self.char_entity())
            else:
                value.append(self.text[self.pos])
                self.pos += 1
        if self.pos >= len(self.text):
            raise self.fail("Unclosed start tag {at}", tag_begin)
        self.pos += 1
        return "".join(value)

    def check_required_attributes(self, name: str, attributes: dict[str, str], at: int) -> None:
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler" {at}', at)
        if name == "a" and not attributes.get("href"):
            raise self.fail('Tag "a" must have attribute "href" {at}', at)
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise self.fail('Tag "tg-emoji" must have attribute "emoji-id" {at}', at)

    def end_tag(self) -> None:
        begin = self.pos
        if not self.stack:
            raise self.fail("Unexpected end tag {at}", begin)
        self.pos += 2
        name = self.read_until(_SPACES + ">").lower()
        self.skip_spaces()
        if self.pos >= len(self.text) or self.text[self.pos] != ">":
            raise self.fail("Unclosed end tag {at}", begin)
        self.pos += 1
        tag = self.stack.pop()
        if name and name != tag.name:
            raise self.fail(
                f'Unmatched end tag {{at}}, expected "</{tag.name}>", found "</{name}>"', begin
            )
        if self.utf16 > tag.offset:
            self.entities.append(self.entity_for(tag, self.utf16 - tag.offset))

    def entity_for(self, tag: _OpenTag, length: int) -> JSONDict:
        entity: JSONDict = {"offset": tag.offset, "length": length}
        attrs = tag.attributes
        if tag.name in _SIMPLE_ENTITIES:
            entity["type"] = _SIMPLE_ENTITIES[tag.name]
            language = attrs.get("class", "")
            if tag.name == "code" and language.startswith("language-"):
                entity["language"] = language.removeprefix("language-")
        elif tag.name == "a":
            entity.update(type="text_link", url=attrs["href"])
        elif tag.name == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=attrs["emoji-id"])
        elif tag.name == "blockquote":
            entity["type"] = "expandable_blockquote" if "expandable" in attrs else "blockquote"
        else:  # pre, possibly wrapping <code class="language-…"> over the same text
            entity["type"] = "pre"
            inner = self.entities[-1] if self.entities else {}
            span = (inner.get("offset"), inner.get("length"))
            if inner.get("type") == "code" and span == (tag.offset, length):
                self.entities.pop()
                if "language" in inner:
                    entity["language"] = inner["language"]
        return entity


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Visible text and Bot API entities of ``text`` in parse_mode HTML, or HtmlParseError."""
    return _HtmlParser(text).parse()


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip outer whitespace as Telegram does, moving entities with the text."""
    stripped = text.strip(_SPACES)
    lead = utf16_len(text[: len(text) - len(text.lstrip(_SPACES))])
    total = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: str | None, entities: list[JSONDict] | None = None
) -> tuple[str, list[JSONDict]]:
    """Check a message text like Telegram: the visible text and entities, or ApiError."""
    if parse_mode:
        mode = parse_mode.lower()
        if mode in ("markdown", "markdownv2"):
            raise _bad_request("unsupported parse_mode (the fake Bot API implements only HTML)")
        if mode != "html":
            raise _bad_request("unsupported parse_mode")
        try:
            text, entities = parse_html(text)
        except HtmlParseError as err:
            raise _bad_request(f"can't parse entities: {err}") from None
    text, entities = _trim(text, list(entities or []))
    if not text.strip():
        raise _bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT_LENGTH:
        raise _bad_request("message is too long")
    return text, entities


_COMMAND_IN_TEXT = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"]+")


def detect_entities(text: str) -> list[JSONDict]:
    """The bot_command and url entities Telegram adds to a user's plain text."""
    found: list[JSONDict] = []
    for kind, pattern in (("bot_command", _COMMAND_IN_TEXT), ("url", _URL_IN_TEXT)):
        for match in pattern.finditer(text):
            value = match.group().rstrip(".,;:!?'\")") if kind == "url" else match.group()
            offset = utf16_len(text[: match.start()])
            found.append({"type": kind, "offset": offset, "length": utf16_len(value)})
    return sorted(found, key=lambda e: e["offset"])


# --- keyboards and commands ------------------------------------------------------------

_BUTTON_ACTIONS = tuple(
    [
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ]
)
_BUTTON_URL = re.compile(r"(https?|tg)://\S+")


def _validate_inline_button(button: object) -> None:
    if not isinstance(button, dict):
        raise _bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    if not isinstance(button.get("text"), str) or not button["text"]:
        raise _bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if not actions:
        raise _bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise _bad_request(
            f"can't parse inline keyboard button: exactly one of the fields {actions} must be used"
        )
    data = button.get("callback_data")
    if "callback_data" in button and (
        not isinstance(data, str) or not 1 <= len(data.encode()) <= 64
    ):
        raise _bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if "url" in button and (not isinstance(url, str) or not _BUTTON_URL.fullmatch(url)):
        raise _bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def validate_reply_markup(markup: object, *, inline_only: bool) -> None:
    """Reject keyboards Telegram would reject; edits accept inline keyboards only."""
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                _validate_inline_button(button)
    elif inline_only:
        raise _bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if not isinstance(text, str) or not text:
                    raise _bad_request(
                        'can\'t parse keyboard button: Field "text" must be of type String'
                    )
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise _bad_request("can't parse reply keyboard markup JSON object")


def callback_data_of(markup: JSONDict | None) -> list[str]:
    """Every callback_data of an inline keyboard, in reading order."""
    rows = (markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


def validate_commands(commands: object) -> list[JSONDict]:
    """The command list for setMyCommands, or ApiError; an empty list clears, as in Telegram."""
    if not isinstance(commands, list):
        raise _bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise _bad_request("BOT_COMMANDS_TOO_MUCH")
    checked = []
    for command in commands:
        if not isinstance(command, dict):
            raise _bad_request("can't parse BotCommand: BotCommand must be an Object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND_NAME.fullmatch(name):
            raise _bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": name, "description": description})
    return checked


# --- request parameters -----------------------------------------------------------------

_JSON_FIELDS = frozenset(
    [
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "entities",
        "reply_parameters",
        "menu_button",
        "caption_entities",
    ]
)
_INT_FIELDS = frozenset(
    [
        "message_id",
        "offset",
        "limit",
        "user_id",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
    ]
)
_BOOL_FIELDS = frozenset(
    [
        "disable_web_page_preview",
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "show_alert",
        "drop_pending_updates",
        "allow_paid_broadcast",
    ]
)
_INTEGER = re.compile(r"-?[0-9]+")


def _decode_value(name: str, value: str) -> Any:
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if name == "reply_markup" else name
            raise _bad_request(f"can't parse {what} JSON object") from None
    if name in _INT_FIELDS or (name == "chat_id" and _INTEGER.fullmatch(value)):
        if not _INTEGER.fullmatch(value):
            raise _bad_request(f'invalid "{name}" specified: expected an Integer')
        return int(value)
    if name == "timeout":  # PTB sends a fractional timedelta as a float
        try:
            return float(value)
        except ValueError:
            raise _bad_request('invalid "timeout" specified') from None
    if name in _BOOL_FIELDS:
        if value.lower() not in ("true", "false", "1", "0"):
            raise _bad_request(f'can\'t parse "{name}" as a Boolean')
        return value.lower() in ("true", "1")
    return value


def decode_params(raw: dict[str, Any]) -> JSONDict:
    """Typed parameters from form or query strings, decoded by name as Telegram does."""
    return {
        name: _decode_value(name, value) if isinstance(value, str) else value
        for name, value in raw.items()
    }


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise _bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise _bad_request("JSON request body must be an Object")
        params.update(body)
        return params
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            with value.file as upload:
                params[name] = {"filename": value.filename, "size": len(upload.read())}
        else:
            params[name] = value
    return params


def _integer(params: JSONDict, name: str, default: int | None = None) -> int | None:
    value = params.get(name, default)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _bad_request(f'invalid "{name}" specified: expected an Integer')


# --- records ----------------------------------------------------------------------------


class ApiCall(NamedTuple):
    """One request the bot made; ``at`` is ``time.monotonic()`` on arrival."""

    method: str
    params: JSONDict
    at: float


class FailedCall(NamedTuple):
    """A request answered with an error, kept so timeouts can explain what went wrong."""

    method: str
    status: int
    description: str


@dataclass
class SentMessage:
    """A message the bot sent, in its current state; ``edits`` lists each applied edit."""

    chat_id: int
    message_id: int
    text: str  # as the bot sent it (e.g. with HTML tags)
    plain_text: str  # what the user sees
    entities: list[JSONDict]
    parse_mode: str | None
    reply_markup: JSONDict | None
    link_preview_options: JSONDict | None
    disable_web_page_preview: bool | None
    reply_to_message_id: int | None
    date: int
    edits: list[JSONDict] = field(default_factory=list)
    deleted: bool = False


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    blocked: bool = False
    members: dict[int, str] = field(default_factory=dict)

    def to_json(self) -> JSONDict:
        chat: JSONDict = {"id": self.id, "type": self.type}
        for name in ("title", "username", "first_name"):
            if getattr(self, name) is not None:
                chat[name] = getattr(self, name)
        return chat


@dataclass
class _Stored:
    payload: JSONDict  # the Message object as Telegram would return it
    record: SentMessage | None = None  # set for the bot's own messages


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None


_ADMIN_RIGHTS = [
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
]


def _admin_fields(creator: bool) -> JSONDict:
    """The fields PTB requires of ChatMemberOwner / ChatMemberAdministrator."""
    if creator:
        return {"is_anonymous": False}
    return {"can_be_edited": False, "is_anonymous": False, **dict.fromkeys(_ADMIN_RIGHTS, True)}


_MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "left", "kicked"})


# --- the server -------------------------------------------------------------------------


class FakeBotAPI:
    """A Telegram Bot API server on 127.0.0.1 with the strictness and errors of the real one."""

    def __init__(self, token: str = DEFAULT_TOKEN, username: str = DEFAULT_USERNAME) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Peninsula Brief",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._lock = threading.RLock()
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, JSONDict] = {}
        self._messages: dict[int, dict[int, _Stored]] = {}
        self._last_message_id: dict[int, int] = {}
        self._updates: list[JSONDict] = []
        self._last_update_id = 0
        self._allowed_updates: list[str] = []
        self._calls: list[ApiCall] = []
        self._errors: list[FailedCall] = []
        self._chat_actions: dict[int, list[str]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._callback_answers: list[JSONDict] = []
        self._open_queries: set[str] = set()
        self._last_query_id = 0
        self._failures: dict[str, deque[_Failure]] = {}
        self._conflict = False
        self._rate_per_second: int | None = None
        self._per_chat_limits = False
        self._sent_at: deque[float] = deque()
        self._chat_sent_at: dict[int, deque[float]] = {}
        self._rate_limit_hits = 0
        self._poll_generation = 0
        # Server-thread state.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._wakeup: asyncio.Event | None = None
        self._closing = False
        self._port: int | None = None
        self._startup_error: BaseException | None = None

    # -- lifecycle --

    @property
    def url(self) -> str:
        """Root URL to use as TELEGRAM_API_URL."""
        if self._port is None:
            raise RuntimeError("FakeBotAPI is not running")
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> None:
        """Start serving in a background thread; returns once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("FakeBotAPI already started")
        ready = threading.Event()
        self._closing = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="FakeBotAPI")
        self._thread.start()
        ready.wait(timeout=10)
        if self._startup_error is not None or self._port is None:
            self._thread.join(timeout=10)
            raise RuntimeError("FakeBotAPI failed to start") from self._startup_error

    def stop(self) -> None:
        """Answer pending long polls, close connections and join the server thread."""
        if self._thread is None or self._loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop may already be closed
            self._loop.call_soon_threadsafe(self._begin_shutdown)
        self._thread.join(timeout=10)
        if self._thread.is_alive():
            raise RuntimeError("FakeBotAPI thread did not stop")
        self._thread = None
        self._loop = None
        self._port = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._start_server())
        except BaseException as err:  # reported to start() in the test's thread
            self._startup_error = err
        ready.set()
        try:
            if self._startup_error is None:
                loop.run_forever()
                if self._runner is not None:
                    loop.run_until_complete(self._runner.cleanup())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            asyncio.set_event_loop(None)
            loop.close()

    async def _start_server(self) -> None:
        self._wakeup = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    def _begin_shutdown(self) -> None:
        self._closing = True
        self._wake()
        assert self._loop is not None
        self._loop.stop()

    def _wake(self) -> None:
        """Wake every pending long poll (runs in the server loop)."""
        if self._wakeup is not None:
            self._wakeup.set()
            self._wakeup = asyncio.Event()

    def _notify(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wake)

    # -- configuration (thread-safe) --

    def add_chat(
        self,
        chat_id: int,
        chat_type: str = "private",
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> None:
        """Make a chat known, as if an earlier update had mentioned it."""
        with self._lock:
            self._remember_chat(chat_id, chat_type, title, username, first_name)

    def forget_chat(self, chat_id: int) -> None:
        """Make the chat unknown, so calls to it answer "chat not found"."""
        with self._lock:
            self._chats.pop(chat_id, None)

    def block_chat(self, chat_id: int, blocked: bool = True) -> None:
        """Simulate a user blocking the bot, or the bot being removed from a group."""
        with self._lock:
            self._chat(chat_id).blocked = blocked

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set getChatMember's answer: creator, administrator, member, left or kicked."""
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"unsupported status {status!r}")
        with self._lock:
            self._chat(chat_id).members[user_id] = status

    def set_conflict(self, enabled: bool = True) -> None:
        """Answer every getUpdates with 409, as when another instance polls the same token."""
        with self._lock:
            self._conflict = enabled

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (429 sets retry_after)."""
        if status == 429:
            retry_after = retry_after or 1
            description = description or f"Too Many Requests: retry after {retry_after}"
        elif description is None:
            description = {500: "Internal Server Error", 502: "Bad Gateway"}.get(status)
            if description is None:
                raise ValueError(f"give a description for status {status}")
        with self._lock:
            queue = self._failures.setdefault(method.lower(), deque())
            queue.extend(_Failure(status, description, retry_after) for _ in range(times))

    def set_rate_limit(self, per_second: int | None) -> None:
        """Limit sendMessage+editMessageText to ``per_second`` over a sliding second."""
        with self._lock:
            self._rate_per_second = per_second
            self._sent_at.clear()

    def set_per_chat_limits(self, enabled: bool = True) -> None:
        """Enforce Telegram's 1 message/s per private chat and 20/min per group."""
        with self._lock:
            self._per_chat_limits = enabled
            self._chat_sent_at.clear()

    # -- recording (thread-safe snapshots) --

    @property
    def calls(self) -> list[ApiCall]:
        with self._lock:
            return list(self._calls)

    @property
    def errors(self) -> list[FailedCall]:
        with self._lock:
            return list(self._errors)

    @property
    def rate_limit_hits(self) -> int:
        """How many requests the rate limits answered with 429."""
        with self._lock:
            return self._rate_limit_hits

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int) -> list[SentMessage]:
        """Messages the bot sent to the chat, oldest first, including deleted ones."""
        with self._lock:
            stored = self._messages.get(chat_id, {}).values()
            return [copy.deepcopy(s.record) for s in stored if s.record is not None]

    def chat_actions(self, chat_id: int) -> list[str]:
        with self._lock:
            return list(self._chat_actions.get(chat_id, []))

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        with self._lock:
            return copy.deepcopy(self._commands.get(_scope_key(scope, language_code), []))

    def callback_answers(self) -> list[JSONDict]:
        with self._lock:
            return copy.deepcopy(self._callback_answers)

    def menu_button(self, chat_id: int | None = None) -> JSONDict | None:
        with self._lock:
            return copy.deepcopy(self._menu_buttons.get(chat_id))

    # -- update builders (thread-safe) --

    def send_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str = "en",
        first_name: str = "Test",
        username: str | None = None,
        title: str | None = None,
    ) -> JSONDict:
        """Queue a user's text message (with bot_command and url entities); return the update."""
        if chat_type == "private" and user_id not in (None, chat_id):
            raise ValueError("in a private chat the user id is the chat id")
        user_id = user_id or (chat_id if chat_type == "private" else DEFAULT_GROUP_USER_ID)
        if chat_type != "private":
            title = title or "Test Group"
        with self._lock:
            user = self._remember_user(user_id, first_name, language_code, username)
            if chat_type == "private":
                chat = self._remember_chat(chat_id, chat_type, None, username, first_name)
            else:
                chat = self._remember_chat(chat_id, chat_type, title, None, None)
            message = self._user_message(chat, text)
            message["from"] = user
            return self._enqueue({"message": message})

    def send_channel_post(
        self, chat_id: int, text: str, *, title: str = "Test Channel", username: str | None = None
    ) -> JSONDict:
        """Queue a post in a channel where the bot is an admin; return the update."""
        with self._lock:
            chat = self._remember_chat(chat_id, "channel", title, username, None)
            message = self._user_message(chat, text)
            message["sender_chat"] = chat.to_json()
            return self._enqueue({"channel_post": message})

    def press_button(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
    ) -> JSONDict:
        """Queue a callback_query for a button the bot's message currently shows."""
        with self._lock:
            stored = self._messages.get(chat_id, {}).get(message_id)
            if stored is None or stored.record is None or stored.record.deleted:
                raise AssertionError(f"the bot has no message {message_id} in chat {chat_id}")
            buttons = callback_data_of(stored.record.reply_markup)
            if data not in buttons:
                raise AssertionError(
                    f"message {message_id} has no button with callback_data {data!r}; "
                    f"it has {buttons}"
                )
            chat = self._chats[chat_id]
            user_id = user_id or (chat_id if chat.type == "private" else DEFAULT_GROUP_USER_ID)
            user = self._users.get(user_id) or self._remember_user(user_id, "Test", "en", None)
            self._last_query_id += 1
            query_id = str(self._last_query_id)
            self._open_queries.add(query_id)
            query = {
                "id": query_id,
                "from": user,
                "message": copy.deepcopy(stored.payload),
                "chat_instance": str(abs(chat_id) * 7919),
                "data": data,
            }
            return self._enqueue({"callback_query": query})

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue a raw update (update_id is added if missing); chats in it become known."""
        update = copy.deepcopy(update)
        with self._lock:
            for chat in _chats_in(update):
                self._remember_chat(
                    chat["id"],
                    chat["type"],
                    chat.get("title"),
                    chat.get("username"),
                    chat.get("first_name"),
                )
            for kind in ("message", "edited_message", "channel_post"):
                message = update.get(kind)
                if isinstance(message, dict) and "message_id" in message:
                    chat_id = message["chat"]["id"]
                    self._messages.setdefault(chat_id, {})[message["message_id"]] = _Stored(message)
                    last = self._last_message_id.get(chat_id, 0)
                    self._last_message_id[chat_id] = max(last, message["message_id"])
            if "update_id" not in update:
                return self._enqueue(update)
            self._last_update_id = max(self._last_update_id, update["update_id"])
            self._updates.append(update)
        self._notify()
        return copy.deepcopy(update)

    # -- waiting from the test's event loop --

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 10.0,  # noqa: ASYNC109 - a plain timeout keeps test code short
        *,
        what: str = "condition",
    ) -> T:
        """Await a truthy ``predicate()`` without blocking the loop; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(f"{what} not met within {timeout}s\n{self.describe()}")
            await asyncio.sleep(0.02)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - as in wait_for
    ) -> list[SentMessage]:
        """Await until the bot has sent ``count`` messages to the chat; return all of them."""

        def enough() -> list[SentMessage]:
            messages = self.sent_messages(chat_id)
            return messages if len(messages) >= count else []

        return await self.wait_for(enough, timeout, what=f"{count} message(s) to chat {chat_id}")

    def describe(self, chat_id: int | None = None) -> str:
        """What the bot did so far: messages sent, errors answered, last calls."""
        with self._lock:
            chats = [chat_id] if chat_id is not None else list(self._messages)
            lines = ["messages sent by the bot:"]
            for cid in chats:
                for stored in self._messages.get(cid, {}).values():
                    if (record := stored.record) is not None:
                        gone = " (deleted)" if record.deleted else ""
                        lines.append(f"  chat {cid} #{record.message_id}{gone}: {record.text!r}")
            lines.append("errors answered:")
            lines += [f"  {e.method}: {e.status} {e.description}" for e in self._errors[-10:]]
            lines.append("last calls: " + ", ".join(c.method for c in self._calls[-15:]))
            return "\n".join(lines)

    # -- internal state helpers (call with the lock held) --

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}; add_chat() it first")
        return chat

    def _remember_chat(
        self,
        chat_id: int,
        chat_type: str,
        title: str | None,
        username: str | None,
        first_name: str | None,
    ) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(chat_id, chat_type)
        chat.type = chat_type
        if chat_type == "private":
            chat.first_name = first_name or chat.first_name or "Test"
        else:
            chat.title = title or chat.title or "Test Chat"
        chat.username = username or chat.username
        return chat

    def _remember_user(
        self, user_id: int, first_name: str, language_code: str, username: str | None
    ) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return copy.deepcopy(user)

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _user_message(self, chat: _Chat, text: str) -> JSONDict:
        message: JSONDict = {
            "message_id": self._next_message_id(chat.id),
            "date": int(time.time()),
            "chat": chat.to_json(),
            "text": text,
        }
        if entities := detect_entities(text):
            message["entities"] = entities
        self._messages.setdefault(chat.id, {})[message["message_id"]] = _Stored(message)
        return message

    def _enqueue(self, body: JSONDict) -> JSONDict:
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, **copy.deepcopy(body)}
        self._updates.append(update)
        self._notify()
        return copy.deepcopy(update)

    def _resolve_chat(self, params: JSONDict) -> _Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        chat: _Chat | None = None
        if isinstance(chat_id, int):
            chat = self._chats.get(chat_id)
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            chat = next(
                (c for c in self._chats.values() if (c.username or "").lower() == wanted), None
            )
        if chat is None:
            raise _bad_request("chat not found")
        return chat

    def _check_rate(self, chat: _Chat) -> None:
        now = time.monotonic()
        windows: list[tuple[deque[float], int, float]] = []
        if self._rate_per_second is not None:
            windows.append((self._sent_at, self._rate_per_second, 1.0))
        if self._per_chat_limits:
            sent = self._chat_sent_at.setdefault(chat.id, deque())
            windows.append((sent, 1, 1.0) if chat.type == "private" else (sent, 20, 60.0))
        for sent, limit, span in windows:
            while sent and sent[0] <= now - span:
                sent.popleft()
            if len(sent) >= limit:
                self._rate_limit_hits += 1
                raise _too_many_requests(max(1, math.ceil(sent[0] + span - now)))
        for sent, _, _ in windows:
            sent.append(now)

    def _editable_message(self, chat: _Chat, params: JSONDict) -> _Stored:
        if params.get("inline_message_id"):
            raise _bad_request("inline messages are not supported by the fake Bot API")
        message_id = _integer(params, "message_id")
        stored = self._messages.get(chat.id, {}).get(message_id or 0)
        if stored is None or (stored.record is not None and stored.record.deleted):
            raise _bad_request("message to edit not found")
        if stored.record is None:
            raise _bad_request("message can't be edited")
        return stored

    # -- HTTP --

    async def _handle(self, request: web.Request) -> web.Response:
        match = re.fullmatch(r"/bot([^/]*)/([^/]*)", request.path)
        if match is None or not re.fullmatch(r"[0-9]+:[A-Za-z0-9_-]+", match.group(1)):
            return _error_response(ApiError(404, "Not Found"))
        if match.group(1) != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        name, handler = _METHODS.get(match.group(2).lower(), (match.group(2), None))
        raw: JSONDict = {}
        try:
            raw = await _read_params(request)
            params = decode_params(raw)
        except ApiError as err:
            with self._lock:
                self._calls.append(ApiCall(name, raw, time.monotonic()))
            return self._reject(name, err)
        with self._lock:
            self._calls.append(ApiCall(name, params, time.monotonic()))
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            with self._lock:
                self._raise_injected_failure(name)
                if name != "getUpdates":
                    return web.json_response({"ok": True, "result": handler(self, params)})
            updates = await self._get_updates(params, lambda: request.transport is None)
        except ApiError as err:
            return self._reject(name, err)
        return web.json_response({"ok": True, "result": updates})

    def _reject(self, method: str, err: ApiError) -> web.Response:
        with self._lock:
            self._errors.append(FailedCall(method, err.status, err.description))
        return _error_response(err)

    def _raise_injected_failure(self, method: str) -> None:
        failures = self._failures.get(method.lower())
        if failures:
            failure = failures.popleft()
            raise ApiError(failure.status, failure.description, retry_after=failure.retry_after)

    # -- methods (sync ones run with the lock held) --

    def _get_me(self, params: JSONDict) -> JSONDict:
        return dict(self.bot_user)

    def _true(self, params: JSONDict) -> bool:
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _get_updates(
        self, params: JSONDict, disconnected: Callable[[], bool]
    ) -> list[JSONDict]:
        """Long polling; a newer poll ends this one with 409 unless its client already left."""
        limit = _integer(params, "limit", 100) or 100
        timeout = params.get("timeout", 0)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool):
            raise _bad_request('invalid "timeout" specified')
        with self._lock:
            if self._conflict:
                raise ApiError(409, CONFLICT)
            self._poll_generation += 1
            generation = self._poll_generation
            self._confirm(_integer(params, "offset", 0) or 0)
            allowed = params.get("allowed_updates")
            if allowed is not None:
                if not isinstance(allowed, list):
                    raise _bad_request("can't parse allowed_updates JSON object")
                self._allowed_updates = list(allowed)
        self._wake()  # an older pending poll now ends with 409, as in Telegram
        deadline = time.monotonic() + max(0.0, float(timeout))
        while True:
            with self._lock:
                if generation != self._poll_generation:
                    if disconnected():  # e.g. PTB cancelled it on stop: nobody to tell
                        return []
                    raise ApiError(409, CONFLICT)
                batch = self._take_updates(max(1, min(limit, 100)))
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing or self._wakeup is None:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _take_updates(self, limit: int) -> list[JSONDict]:
        allowed = set(self._allowed_updates)

        def wanted(update: JSONDict) -> bool:
            kind = next(key for key in update if key != "update_id")
            return kind in allowed if allowed else kind not in _OPT_IN_UPDATES

        self._updates = [u for u in self._updates if wanted(u)]
        return copy.deepcopy(self._updates[:limit])

    def _set_my_commands(self, params: JSONDict) -> bool:
        if "commands" not in params:
            raise _bad_request('parameter "commands" is required')
        commands = validate_commands(params["commands"])
        self._commands[self._command_key(params)] = commands
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return copy.deepcopy(self._commands.get(self._command_key(params), []))

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self._commands.pop(self._command_key(params), None)
        return True

    def _command_key(self, params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise _bad_request("can't parse BotCommandScope: unsupported type")
        if scope["type"].startswith("chat"):
            self._resolve_chat(scope)
        if scope["type"] == "chat_member" and not isinstance(scope.get("user_id"), int):
            raise _bad_request("user not found")
        language = params.get("language_code", "")
        if language and not re.fullmatch(r"[a-z]{2}", str(language)):
            raise _bad_request("LANG_CODE_INVALID")
        return _scope_key(scope, str(language))

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        text, parse_mode = params.get("text"), params.get("parse_mode")
        if text is None:
            raise _bad_request("message text is empty")
        plain, entities = format_text(str(text), parse_mode, params.get("entities"))
        markup = params.get("reply_markup")
        if markup is not None:
            validate_reply_markup(markup, inline_only=False)
        reply_to = self._reply_target(chat, params)
        _check_reachable(chat)
        self._check_rate(chat)
        message_id = self._next_message_id(chat.id)
        record = SentMessage(
            chat_id=chat.id,
            message_id=message_id,
            text=str(text),
            plain_text=plain,
            entities=entities,
            parse_mode=parse_mode,
            reply_markup=markup,
            link_preview_options=params.get("link_preview_options"),
            disable_web_page_preview=params.get("disable_web_page_preview"),
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            date=int(time.time()),
        )
        payload = self._bot_message(chat, record)
        if reply_to:
            payload["reply_to_message"] = {
                k: v for k, v in reply_to.items() if k != "reply_to_message"
            }
        self._messages.setdefault(chat.id, {})[message_id] = _Stored(payload, record)
        return copy.deepcopy(payload)

    def _reply_target(self, chat: _Chat, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters") or {}
        if not isinstance(reply, dict):
            raise _bad_request("can't parse reply parameters JSON object")
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        stored = self._messages.get(chat.id, {}).get(message_id)
        if stored is None or (stored.record is not None and stored.record.deleted):
            if reply.get("allow_sending_without_reply") or params.get(
                "allow_sending_without_reply"
            ):
                return None
            raise _bad_request("message to be replied not found")
        return copy.deepcopy(stored.payload)

    def _bot_message(self, chat: _Chat, record: SentMessage) -> JSONDict:
        payload: JSONDict = {
            "message_id": record.message_id,
            "date": record.date,
            "chat": chat.to_json(),
            "text": record.plain_text,
        }
        if chat.type == "channel":
            payload["sender_chat"] = chat.to_json()
        else:
            payload["from"] = dict(self.bot_user)
        self._apply_content(payload, record)
        return payload

    @staticmethod
    def _apply_content(payload: JSONDict, record: SentMessage) -> None:
        payload["text"] = record.plain_text
        payload.pop("entities", None)
        payload.pop("reply_markup", None)
        if record.entities:
            payload["entities"] = copy.deepcopy(record.entities)
        if record.reply_markup and "inline_keyboard" in record.reply_markup:
            payload["reply_markup"] = copy.deepcopy(record.reply_markup)

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        stored = self._editable_message(chat, params)
        record = stored.record
        assert record is not None
        text, parse_mode = params.get("text"), params.get("parse_mode")
        if text is None:
            raise _bad_request("message text is empty")
        plain, entities = format_text(str(text), parse_mode, params.get("entities"))
        markup = params.get("reply_markup")  # absent: Telegram removes the keyboard
        if markup is not None:
            validate_reply_markup(markup, inline_only=True)
        if (plain, entities, markup) == (record.plain_text, record.entities, record.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        _check_reachable(chat)
        self._check_rate(chat)
        record.text, record.plain_text, record.entities = str(text), plain, entities
        record.parse_mode, record.reply_markup = parse_mode, markup
        if "link_preview_options" in params:
            record.link_preview_options = params["link_preview_options"]
        record.edits.append({"text": str(text), "parse_mode": parse_mode, "reply_markup": markup})
        return self._after_edit(stored, record)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        stored = self._editable_message(chat, params)
        record = stored.record
        assert record is not None
        markup = params.get("reply_markup")
        if markup is not None:
            validate_reply_markup(markup, inline_only=True)
        if markup == record.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        _check_reachable(chat)
        record.reply_markup = markup
        record.edits.append({"reply_markup": markup})
        return self._after_edit(stored, record)

    def _after_edit(self, stored: _Stored, record: SentMessage) -> JSONDict:
        self._apply_content(stored.payload, record)
        stored.payload["edit_date"] = int(time.time())
        return copy.deepcopy(stored.payload)

    def _delete_message(self, params: JSONDict) -> bool:
        chat = self._resolve_chat(params)
        _check_reachable(chat)
        message_id = _integer(params, "message_id")
        stored = self._messages.get(chat.id, {}).get(message_id or 0)
        if stored is None or (stored.record is not None and stored.record.deleted):
            raise _bad_request("message to delete not found")
        if stored.record is None:
            del self._messages[chat.id][message_id or 0]
        else:
            stored.record.deleted = True
        return True

    def _send_chat_action(self, params: JSONDict) -> bool:
        chat = self._resolve_chat(params)
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        _check_reachable(chat)
        self._chat_actions.setdefault(chat.id, []).append(str(action))
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and utf16_len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        self._callback_answers.append(copy.deepcopy(params))
        return True

    def _get_chat(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {
            **chat.to_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def _member(self, chat: _Chat, user_id: int) -> JSONDict:
        fallback = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if user_id == self.bot_user["id"]:
            fallback = self.bot_user
        user = copy.deepcopy(self._users.get(user_id, fallback))
        status = chat.members.get(user_id, "member")
        member: JSONDict = {"status": status, "user": user}
        if status in ("creator", "administrator"):
            member.update(_admin_fields(creator=status == "creator"))
        if status == "kicked":
            member["until_date"] = 0
        return member

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        user_id = _integer(params, "user_id")
        if user_id is None:
            raise _bad_request("user_id is empty")
        return self._member(chat, user_id)

    def _get_chat_administrators(self, params: JSONDict) -> list[JSONDict]:
        chat = self._resolve_chat(params)
        if chat.type == "private":
            raise _bad_request("there are no administrators in the private chat")
        admins = [uid for uid, s in chat.members.items() if s in ("creator", "administrator")]
        return [self._member(chat, uid) for uid in admins]

    def _set_chat_menu_button(self, params: JSONDict) -> bool:
        chat_id = None
        if params.get("chat_id") is not None:
            chat_id = self._resolve_chat(params).id
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise _bad_request("can't parse menu button JSON object")
        self._menu_buttons[chat_id] = button
        return True


def _check_reachable(chat: _Chat) -> None:
    if chat.blocked:
        raise ApiError(403, _FORBIDDEN.get(chat.type, _FORBIDDEN["group"]))


def _error_response(err: ApiError) -> web.Response:
    return web.json_response(err.payload, status=err.status)


def _scope_key(scope: JSONDict | None, language_code: str) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


def _chats_in(value: object) -> Iterator[JSONDict]:
    """Every Chat object nested in an update, so pushed updates make their chats known."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("chat", "sender_chat") and isinstance(item, dict) and "type" in item:
                yield item
            yield from _chats_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _chats_in(item)


_Handler = Callable[..., Any]  # (api, params) -> result; getUpdates is awaited instead


# Method names are case-insensitive in Telegram; keys are lower case.
_METHODS: dict[str, tuple[str, _Handler]] = {
    name.lower(): (name, handler)
    for name, handler in (
        ("getMe", FakeBotAPI._get_me),
        ("logOut", FakeBotAPI._true),
        ("close", FakeBotAPI._true),
        ("deleteWebhook", FakeBotAPI._delete_webhook),
        ("getWebhookInfo", FakeBotAPI._get_webhook_info),
        ("getUpdates", FakeBotAPI._get_updates),  # awaited in _handle
        ("setMyCommands", FakeBotAPI._set_my_commands),
        ("getMyCommands", FakeBotAPI._get_my_commands),
        ("deleteMyCommands", FakeBotAPI._delete_my_commands),
        ("sendMessage", FakeBotAPI._send_message),
        ("sendChatAction", FakeBotAPI._send_chat_action),
        ("editMessageText", FakeBotAPI._edit_message_text),
        ("editMessageReplyMarkup", FakeBotAPI._edit_message_reply_markup),
        ("deleteMessage", FakeBotAPI._delete_message),
        ("answerCallbackQuery", FakeBotAPI._answer_callback_query),
        ("getChat", FakeBotAPI._get_chat),
        ("getChatMember", FakeBotAPI._get_chat_member),
        ("getChatAdministrators", FakeBotAPI._get_chat_administrators),
        ("setChatMenuButton", FakeBotAPI._set_chat_menu_button),
    )
}
