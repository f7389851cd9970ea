"""Webhook mode: setWebhook/deleteWebhook/getWebhookInfo, and delivering updates by POST.

As Telegram does: once a webhook is set, getUpdates answers 409, and queued updates are
POSTed one after another (JSON, with ``X-Telegram-Bot-Api-Secret-Token`` when a secret
was given) until the bot answers 2xx; a failed delivery stays queued and is retried, and
its error shows in getWebhookInfo.

Telegram accepts only a public https URL on ports 80, 88, 443 or 8443. Tests stand in for
the reverse proxy that terminates TLS: :meth:`WebhookDelivery.route_webhook` names the
local ``http://127.0.0.1:port`` backends the URL's path is forwarded to, round-robin (a
load balancer in front of several instances).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from tests.support.fakebotapi.errors import ApiError, JSONDict, bad_request
from tests.support.fakebotapi.params import integer_param
from tests.support.fakebotapi.state import BotState

WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_PORTS = frozenset({80, 88, 443, 8443})
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
RETRY_SECONDS = 0.2
"""How soon a failed delivery is tried again (Telegram backs off further; tests need speed)."""
_KEEP = object()  # post_update's default: the secret given to setWebhook


@dataclass
class WebhookConfig:
    url: str
    secret: str | None
    max_connections: int
    allowed_updates: list[str]


@dataclass(frozen=True)
class Delivery:
    """One POST of an update to the bot: where to, and the HTTP status it answered
    (0 when the connection failed)."""

    update_id: int
    backend: str
    status: int


class WebhookDelivery(BotState):
    """The webhook methods and the delivery loop (runs in the fake's event loop)."""

    # -- Bot API methods (sync ones run in the server loop with the lock held) --

    def _set_webhook(self, params: JSONDict) -> bool:
        url = params.get("url", "")
        if not isinstance(url, str):
            raise bad_request("bad webhook: Webhook URL must be a string")
        if not url:
            self._clear_webhook(bool(params.get("drop_pending_updates")))
            return True
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if (parts.port or 443) not in _PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = params.get("secret_token")
        if secret is not None and not (isinstance(secret, str) and _SECRET_RE.fullmatch(secret)):
            raise bad_request("secret token contains unallowed characters")
        max_connections = integer_param(params, "max_connections", 40) or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = params.get("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list):
                raise bad_request("can't parse allowed_updates JSON object")
            self._allowed_updates = list(allowed)
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = WebhookConfig(url, secret, max_connections, list(self._allowed_updates))
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_forever())
        self._wake()
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        self._clear_webhook(bool(params.get("drop_pending_updates")))
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook is not None:
            info["url"] = self._webhook.url
            info["max_connections"] = self._webhook.max_connections
            if self._webhook.allowed_updates:
                info["allowed_updates"] = list(self._webhook.allowed_updates)
            if self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def _refuse_polling_with_webhook(self) -> None:
        if self._webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)

    def _clear_webhook(self, drop_pending: bool) -> None:
        self._webhook = None
        self._webhook_error = None
        if drop_pending:
            self._updates.clear()
        self._wake()

    # -- test side (thread-safe) --

    def route_webhook(self, *backends: str) -> None:
        """Forward webhook requests to these ``http://127.0.0.1:port`` roots, in turn."""
        with self._lock:
            self._backends = list(backends)
            self._next_backend = itertools.cycle(range(len(backends)))
        self._notify()

    @property
    def webhook_secret(self) -> str | None:
        """The secret_token given to setWebhook (None: no webhook, or none given)."""
        with self._lock:
            return self._webhook.secret if self._webhook else None

    @property
    def deliveries(self) -> list[Delivery]:
        """Every POST to the bot so far, the automatic ones and post_update's."""
        with self._lock:
            return list(self._deliveries)

    async def post_update(
        self, update: JSONDict, backend: str, *, secret: str | object | None = _KEEP
    ) -> int:
        """POST ``update`` to ``backend`` as Telegram would (again, e.g. a retry or a second
        instance), with the webhook's secret or the given one; returns the HTTP status."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("FakeBotAPI is not running")
        with self._lock:
            if self._webhook is None:
                raise AssertionError("no webhook is set; the bot calls setWebhook first")
            url = self._local_url(backend, self._webhook.url)
            token = self._webhook.secret if secret is _KEEP else secret
        assert token is None or isinstance(token, str)
        future = asyncio.run_coroutine_threadsafe(self._post(url, backend, update, token), loop)
        return await asyncio.wrap_future(future)

    # -- delivery (server loop) --

    async def _deliver_forever(self) -> None:
        self._webhook_session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        while not self._closing:
            wakeup = self._wakeup
            with self._lock:
                target = self._next_target()
            if target is None:
                if self._webhook is None:
                    return
                if wakeup is not None:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wakeup.wait(), RETRY_SECONDS)
                continue
            url, backend, update, secret = target
            status = await self._post(url, backend, update, secret)
            with self._lock:
                if 200 <= status < 300:
                    self._updates = [u for u in self._updates if u is not update]
                    continue
                self._webhook_error = (int(time.time()), _failure_message(status))
            if wakeup is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), RETRY_SECONDS)

    def _next_target(self) -> tuple[str, str, JSONDict, str | None] | None:
        if self._webhook is None or not self._backends:
            return None
        pending = self._take_updates(1)
        if not pending:
            return None
        # The queued object itself, so a delivered update is removed by identity.
        update = next(u for u in self._updates if u["update_id"] == pending[0]["update_id"])
        backend = self._backends[next(self._next_backend)]
        return self._local_url(backend, self._webhook.url), backend, update, self._webhook.secret

    @staticmethod
    def _local_url(backend: str, public_url: str) -> str:
        parts = urlsplit(public_url)
        query = f"?{parts.query}" if parts.query else ""
        return f"{backend.rstrip('/')}{parts.path or '/'}{query}"

    async def _post(self, url: str, backend: str, update: JSONDict, secret: str | None) -> int:
        session = self._webhook_session
        if session is None:
            session = self._webhook_session = aiohttp.ClientSession()
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        with self._lock:
            body = copy.deepcopy(update)
        try:
            async with session.post(url, json=body, headers=headers) as response:
                await response.read()
                status = response.status
        except aiohttp.ClientError:
            status = 0
        with self._lock:
            self._deliveries.append(Delivery(int(update["update_id"]), backend, status))
        return status

    async def _stop_webhook_delivery(self) -> None:
        """At shutdown: end the delivery loop and close its HTTP session."""
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        session, self._webhook_session = self._webhook_session, None
        if session is not None:
            await session.close()


def _failure_message(status: int) -> str:
    if status == 0:
        return "Connection refused"
    return f"Wrong response from the webhook: {status}"
