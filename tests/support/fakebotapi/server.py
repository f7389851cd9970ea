"""The server: a thread serving the Bot API on 127.0.0.1, configured and read by tests."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Self, TypeVar

from aiohttp import web

from tests.support.fakebotapi.errors import ApiError, JSONDict
from tests.support.fakebotapi.markup import scope_key
from tests.support.fakebotapi.methods import METHODS, BotApiMethods
from tests.support.fakebotapi.params import decode_params, read_params
from tests.support.fakebotapi.records import (
    MEMBER_STATUSES,
    ApiCall,
    FailedCall,
    Failure,
    SentMessage,
)
from tests.support.fakebotapi.users import UserActions

T = TypeVar("T")

PATIENCE = 60.0
"""Seconds a test waits for the bot by default: generous, since waiting costs nothing when
the bot is quick and a busy machine can make it slow."""
RECHECK = 0.05
"""Seconds between checks of a waited-for condition when no request arrives (it may be
about something other than the fake, such as a page server's log)."""


class FakeBotAPI(UserActions, BotApiMethods):
    """A Telegram Bot API server on 127.0.0.1 with the strictness and errors of the real one."""

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
                loop.run_until_complete(self._stop_webhook_delivery())
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
        app.router.add_route("*", "/{path:.*}", self._answer)
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

    def add_forum(
        self, chat_id: int, *, title: str = "Forum", topics: tuple[int, ...] = ()
    ) -> None:
        """Make a forum supergroup (a group with topics) known, with open ``topics``."""
        with self._lock:
            chat = self._remember_chat(chat_id, "supergroup", title, None, None)
            chat.is_forum = True
            chat.topics.update(topics)

    def delete_forum_topic(self, chat_id: int, thread_id: int) -> None:
        """Delete a topic: messages to its thread are "message thread not found" from now."""
        with self._lock:
            self._chat(chat_id).topics.discard(thread_id)

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
        if status not in MEMBER_STATUSES:
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
            queue.extend(Failure(status, description, retry_after) for _ in range(times))

    def set_rate_limit(self, per_second: int | None) -> None:
        """Limit sendMessage+editMessageText to ``per_second`` over a sliding second (paid
        broadcasts apart: up to 1,000 a second)."""
        with self._lock:
            self._rate_per_second = per_second
            self._sent_at.clear()
            self._paid_sent_at.clear()

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

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not yet confirmed (by polling past them)."""
        with self._lock:
            return len(self._updates)

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
            return copy.deepcopy(self._commands.get(scope_key(scope, language_code), []))

    def description(self, language_code: str = "") -> str:
        """The bot's description for that language ("" when unset), as getMyDescription."""
        with self._lock:
            return self._descriptions.get(language_code, "")

    def short_description(self, language_code: str = "") -> str:
        with self._lock:
            return self._short_descriptions.get(language_code, "")

    def callback_answers(self) -> list[JSONDict]:
        with self._lock:
            return copy.deepcopy(self._callback_answers)

    def menu_button(self, chat_id: int | None = None) -> JSONDict | None:
        with self._lock:
            return copy.deepcopy(self._menu_buttons.get(chat_id))

    # -- waiting from the test's event loop --

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = PATIENCE,  # noqa: ASYNC109 - a plain timeout keeps test code short
        *,
        what: str = "condition",
    ) -> T:
        """Await a truthy ``predicate()`` without blocking the loop; AssertionError on timeout.

        It is checked again as soon as the fake has answered a request, and every
        :data:`RECHECK` seconds.
        """
        deadline = time.monotonic() + timeout
        answered = asyncio.Event()
        waiter = (asyncio.get_running_loop(), answered)
        with self._lock:
            self._waiters.add(waiter)
        try:
            while True:
                answered.clear()
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{what} not met within {timeout}s\n{self.describe()}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(answered.wait(), min(remaining, RECHECK))
        finally:
            with self._lock:
                self._waiters.discard(waiter)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = PATIENCE,  # noqa: ASYNC109 - as in wait_for
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

    # -- HTTP --

    async def _answer(self, request: web.Request) -> web.Response:
        try:
            return await self._handle(request)
        finally:
            self._wake_waiters()

    def _wake_waiters(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, answered in waiters:
            with contextlib.suppress(RuntimeError):  # that test's loop has closed
                loop.call_soon_threadsafe(answered.set)

    async def _handle(self, request: web.Request) -> web.Response:
        match = re.fullmatch(r"/bot([^/]*)/([^/]*)", request.path)
        if match is None or not re.fullmatch(r"[0-9]+:[A-Za-z0-9_-]+", match.group(1)):
            return error_response(ApiError(404, "Not Found"))
        if match.group(1) != self.token:
            return error_response(ApiError(401, "Unauthorized"))
        name, handler = METHODS.get(match.group(2).lower(), (match.group(2), None))
        raw: JSONDict = {}
        try:
            raw = await read_params(request)
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
        return error_response(err)

    def _raise_injected_failure(self, method: str) -> None:
        failures = self._failures.get(method.lower())
        if failures:
            failure = failures.popleft()
            raise ApiError(failure.status, failure.description, retry_after=failure.retry_after)


def error_response(err: ApiError) -> web.Response:
    return web.json_response(err.payload, status=err.status)
