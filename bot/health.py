"""The operator's window: ``/healthz``, ``/readyz`` and ``/metrics`` over plain HTTP.

The server runs on the bot's own event loop, on purpose: an answer from ``/healthz`` is
proof that the loop turns (a container's health check that times out has found a stuck
bot). ``/readyz`` asks a readiness check each time (the database answers, the bot is
authorised) and says why not in JSON; ``/metrics`` is :class:`bot.metrics.Metrics` in
Prometheus' text format.

Three GET routes need no web framework: the server reads one request line and its
headers (capped in size and time, so a slow or hostile client costs nothing), answers,
and closes the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import ConfigError
from bot.metrics import CONTENT_TYPE, Metrics
from bot.store.database import Database

log = logging.getLogger(__name__)

Readiness = Callable[[], Awaitable[str | None]]
"""Returns ``None`` when ready, else the reason (shown to the operator)."""
_REQUEST_DEADLINE = 5.0
"""Seconds a client has to send its request line and headers."""
_MAX_HEAD = 8192
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
_REASONS[503] = "Service Unavailable"
LAG_INTERVAL = 0.5
"""Seconds between the event-loop lag monitor's probes."""


class HealthServer:
    """Serves the three routes on ``host:port`` (port 0: any free port, see ``port``)."""

    def __init__(self, metrics: Metrics, readiness: Readiness) -> None:
        self._metrics = metrics
        self._readiness = readiness
        self._server: asyncio.Server | None = None
        self._lag: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        """The port it listens on."""
        if self._server is None:
            raise RuntimeError("the health server is not started")
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self, host: str, port: int) -> None:
        """Listen, and start measuring the event loop's lag; a port in use is a ConfigError."""
        try:
            self._server = await asyncio.start_server(self._answer, host, port)
        except OSError as exc:
            raise ConfigError(f"HEALTH_PORT {port} on {host}: cannot listen ({exc})") from exc
        self._lag = asyncio.create_task(measure_loop_lag(self._metrics), name="loop-lag")
        log.info("health and metrics on http://%s:%d/ (healthz, readyz, metrics)", host, self.port)

    async def close(self) -> None:
        if self._lag is not None:
            self._lag.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lag
            self._lag = None
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(_REQUEST_DEADLINE):
                head = await reader.readuntil(b"\r\n\r\n")
            status, content_type, body = await self._route(head)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            status, content_type, body = 400, "text/plain; charset=utf-8", b"bad request\n"
        except ConnectionError:
            writer.close()
            return
        writer.write(
            f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode("ascii")
            + body
        )
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()

    async def _route(self, head: bytes) -> tuple[int, str, bytes]:
        if len(head) > _MAX_HEAD:
            return 400, "text/plain; charset=utf-8", b"request too large\n"
        method, _, rest = head.split(b"\r\n", 1)[0].decode("latin-1").partition(" ")
        path = rest.split(" ", 1)[0].split("?", 1)[0]
        if path not in ("/healthz", "/readyz", "/metrics"):
            return 404, "text/plain; charset=utf-8", b"not found\n"
        if method != "GET":
            return 405, "text/plain; charset=utf-8", b"GET only\n"
        if path == "/healthz":
            return 200, "text/plain; charset=utf-8", b"ok\n"
        if path == "/metrics":
            return 200, CONTENT_TYPE, self._metrics.exposition()
        reason = await self._readiness()
        if reason is None:
            return 200, "application/json", json.dumps({"ready": True}).encode() + b"\n"
        answer = {"ready": False, "reason": reason}
        return 503, "application/json", json.dumps(answer).encode() + b"\n"


async def database_problem(database: Database) -> str | None:
    """``None`` if the database answers a query, else what went wrong."""
    try:
        async with database.reading() as conn:
            await conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        return f"the database does not answer: {type(exc).__name__}"
    return None


async def measure_loop_lag(metrics: Metrics, interval: float = LAG_INTERVAL) -> None:
    """Forever: sleep ``interval`` and record how much later than asked the loop woke us.

    A loop kept busy by one callback (CPU work that belongs in a worker) shows here as
    lag long before readers notice slow replies."""
    loop = asyncio.get_running_loop()
    while True:
        asked = loop.time() + interval
        await asyncio.sleep(interval)
        metrics.loop_lag.observe(max(0.0, loop.time() - asked))
