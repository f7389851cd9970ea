"""The fake's state, shared by the Bot API methods and the user-side actions.

Every field is guarded by ``_lock``: tests change and read it from their thread, the
server answers requests from its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web

from tests.support.fakebotapi.errors import JSONDict, bad_request, too_many_requests
from tests.support.fakebotapi.html import detect_entities, utf16_len
from tests.support.fakebotapi.params import integer_param
from tests.support.fakebotapi.records import ApiCall, Chat, FailedCall, Failure, Stored

if TYPE_CHECKING:
    from tests.support.fakebotapi.webhook import Delivery, WebhookConfig

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklm"
DEFAULT_USERNAME = "PeninsulaBriefBot"
PAID_BROADCAST_PER_SECOND = 1000
"""Messages a second Telegram allows a bot sending with ``allow_paid_broadcast``."""
# Update types Telegram leaves out unless asked for explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class BotState:
    """Chats, messages, updates and recordings of one fake Bot API server."""

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
        self._chats: dict[int, Chat] = {}
        self._users: dict[int, JSONDict] = {}
        self._messages: dict[int, dict[int, Stored]] = {}
        self._last_message_id: dict[int, int] = {}
        self._updates: list[JSONDict] = []
        self._last_update_id = 0
        self._allowed_updates: list[str] = []
        self._calls: list[ApiCall] = []
        self._errors: list[FailedCall] = []
        self._chat_actions: dict[int, list[str]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._descriptions: dict[str, str] = {}
        self._short_descriptions: dict[str, str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._callback_answers: list[JSONDict] = []
        self._open_queries: set[str] = set()
        self._last_query_id = 0
        self._failures: dict[str, deque[Failure]] = {}
        self._conflict = False
        self._rate_per_second: int | None = None
        self._per_chat_limits = False
        self._sent_at: deque[float] = deque()
        self._paid_sent_at: deque[float] = deque()
        self._chat_sent_at: dict[int, deque[float]] = {}
        self._rate_limit_hits = 0
        self._poll_generation = 0
        # Webhook mode (see ``webhook``): None while the bot polls.
        self._webhook: WebhookConfig | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._backends: list[str] = []
        self._next_backend: Iterator[int] = iter(())
        self._deliveries: list[Delivery] = []
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_session: aiohttp.ClientSession | None = None
        # Server-thread state.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._wakeup: asyncio.Event | None = None
        self._closing = False
        self._port: int | None = None
        self._startup_error: BaseException | None = None
        # Test-side waits, woken whenever a request has been answered.
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    # -- waking long polls --

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

    # -- internal state helpers (call with the lock held) --

    def _chat(self, chat_id: int) -> Chat:
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
    ) -> Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = Chat(chat_id, chat_type)
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

    def _user_message(
        self,
        chat: Chat,
        text: str,
        entities: list[JSONDict] | None = None,
        *,
        caption_of: JSONDict | None = None,
    ) -> JSONDict:
        """A user's message: ``text`` with ``entities`` (None: those Telegram detects), or a
        ``caption_of`` media (e.g. ``{"photo": [...]}``) with ``text`` as its caption."""
        message: JSONDict = {
            "message_id": self._next_message_id(chat.id),
            "date": int(time.time()),
            "chat": chat.to_json(),
        }
        entities = detect_entities(text) if entities is None else copy.deepcopy(entities)
        for entity in entities:
            end = entity["offset"] + entity["length"]
            if entity["offset"] < 0 or entity["length"] <= 0 or end > utf16_len(text):
                raise ValueError(f"entity {entity} is outside the text ({utf16_len(text)} units)")
        if caption_of is None:
            message["text"] = text
            if entities:
                message["entities"] = entities
        else:
            message.update(copy.deepcopy(caption_of))
            if text:
                message["caption"] = text
            if entities:
                message["caption_entities"] = entities
        self._messages.setdefault(chat.id, {})[message["message_id"]] = Stored(message)
        return message

    def _enqueue(self, body: JSONDict) -> JSONDict:
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, **copy.deepcopy(body)}
        self._updates.append(update)
        self._notify()
        return copy.deepcopy(update)

    def _take_updates(self, limit: int) -> list[JSONDict]:
        """The next ``limit`` queued updates of the allowed kinds (others are dropped)."""
        allowed = set(self._allowed_updates)

        def wanted(update: JSONDict) -> bool:
            kind = next(key for key in update if key != "update_id")
            return kind in allowed if allowed else kind not in _OPT_IN_UPDATES

        self._updates = [u for u in self._updates if wanted(u)]
        return copy.deepcopy(self._updates[:limit])

    def _resolve_chat(self, params: JSONDict) -> Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat: Chat | None = None
        if isinstance(chat_id, int):
            chat = self._chats.get(chat_id)
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            chat = next(
                (c for c in self._chats.values() if (c.username or "").lower() == wanted), None
            )
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _check_rate(self, chat: Chat, *, paid: bool = False) -> None:
        """Telegram's limits: ``set_rate_limit``'s per second for free messages; paid
        broadcasts, outside them, up to :data:`PAID_BROADCAST_PER_SECOND`; per chat if
        enabled."""
        now = time.monotonic()
        windows: list[tuple[deque[float], int, float]] = []
        if self._rate_per_second is not None:
            if paid:
                windows.append((self._paid_sent_at, PAID_BROADCAST_PER_SECOND, 1.0))
            else:
                windows.append((self._sent_at, self._rate_per_second, 1.0))
        if self._per_chat_limits:
            sent = self._chat_sent_at.setdefault(chat.id, deque())
            windows.append((sent, 1, 1.0) if chat.type == "private" else (sent, 20, 60.0))
        for sent, limit, span in windows:
            while sent and sent[0] <= now - span:
                sent.popleft()
            if len(sent) >= limit:
                self._rate_limit_hits += 1
                raise too_many_requests(max(1, math.ceil(sent[0] + span - now)))
        for sent, _, _ in windows:
            sent.append(now)

    def _editable_message(self, chat: Chat, params: JSONDict) -> Stored:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the fake Bot API")
        message_id = integer_param(params, "message_id")
        stored = self._messages.get(chat.id, {}).get(message_id or 0)
        if stored is None or (stored.record is not None and stored.record.deleted):
            raise bad_request("message to edit not found")
        if stored.record is None:
            raise bad_request("message can't be edited")
        return stored
