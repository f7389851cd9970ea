"""A local web server for tests: fixture pages plus the hostile cases a fetcher must survive.

It runs aiohttp on its own event loop in a background thread, bound to 127.0.0.1 on
a free port, so synchronous fixtures and any test's event loop can use it alike::

    with PageServer(Path("tests/fixtures/fetch")) as server:
        server.url_for("/article.html")                     # a file under root
        server.url_for("/article.html?charset=euc-kr")      # ... labelled with a charset
        server.add_page("/hello", b"<p>hi</p>", "text/html", charset="utf-8")
        server.add_route("/custom", handler)                # any aiohttp handler
        gate = server.hold_page("/slow", b"<p>hi</p>")      # served once gate.release()
        server.requests                                     # what clients asked for

Files under ``root`` are served by extension (``.html`` → text/html, ...); the query
parameters ``content_type`` and ``charset`` override the label. Routes added with
``add_page``/``add_route`` win over files; both may be added while it runs.

Built-in routes (see ``BUILTIN_ROUTES``): ``/redirect-loop``, ``/redirect-chain/N``
(N hops, then a page), ``/redirect-to?url=...[&status=302]``, ``/status/CODE``,
``/slow-headers[?seconds=30]``, ``/dribble[?interval=1]`` (a byte each interval,
forever), ``/pdf``, ``/image.png``, ``/binary``, ``/huge`` (chunked, 6 MB),
``/huge-declared`` (Content-Length 50 MB), ``/gzip-bomb`` (~120 KB of gzip that
inflates to 120 MB), ``/empty`` (HTML without article text), ``/no-content-type``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import threading
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

HUGE_BYTES = 6_000_000
HUGE_DECLARED_BYTES = 50_000_000
GZIP_BOMB_INFLATED_BYTES = 120 * 1024 * 1024
EMPTY_HTML = (
    b"<!doctype html><html><head><title>Nothing here</title></head>"
    b"<body><nav><a href='/'>Home</a></nav></body></html>"
)
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
    ".xml": "application/xml",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}
_NO_CONTENT_TYPE = web.RequestKey("no_content_type", bool)
_CLIENT_GONE = (ConnectionError,)  # the client hung up (aiohttp cancels on shutdown)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    path: str
    query: str
    headers: dict[str, str]


class Gate:
    """Holds back a page (``PageServer.hold_page``) until the test calls ``release``."""

    def __init__(self, server: PageServer) -> None:
        self._server = server
        self.opened = asyncio.Event()
        """Awaited in the server's loop; set only through ``release`` (thread-safe)."""

    def release(self) -> None:
        self._server._call_soon(self.opened.set)


class PageServer:
    """Serves ``root``'s files and hostile routes on ``http://127.0.0.1:<port>``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root.resolve() if root else None
        self.requests: list[RecordedRequest] = []
        self._routes: dict[str, Handler] = {}
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start serving; returns once the port accepts connections."""
        if self._thread is not None:
            raise RuntimeError("PageServer already started")
        _gzip_bomb()  # build it now rather than inside the first request
        self._thread = threading.Thread(target=self._run, name="PageServer", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)
        if self._error is not None:
            raise RuntimeError("PageServer failed to start") from self._error
        if self._port is None:
            raise RuntimeError("PageServer did not start within 10 s")

    def stop(self) -> None:
        """Stop serving, cancel pending handlers and close every socket and the loop."""
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
        self._thread = None
        self._port = None

    def __enter__(self) -> PageServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- public helpers -----------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("PageServer is not running")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_for(self, path: str) -> str:
        """Absolute URL of ``path`` (``"/x"`` or ``"x"``, query string allowed)."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def add_route(self, path: str, handler: Handler) -> None:
        """Serve ``path`` (exact, without query) with an aiohttp handler, any method."""
        self._routes[path] = handler

    def add_page(
        self,
        path: str,
        body: bytes,
        content_type: str | None = "text/html",
        *,
        charset: str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve fixed bytes at ``path``; ``content_type=None`` sends no Content-Type at all."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.Response(body=body, status=status, headers=headers)
            if content_type is None:
                request[_NO_CONTENT_TYPE] = True
            else:
                response.headers["Content-Type"] = _label(content_type, charset)
            return response

        self.add_route(path, handler)

    def hold_page(self, path: str, body: bytes, content_type: str = "text/html") -> Gate:
        """Serve ``body`` at ``path`` only once the returned gate is released.

        For tests about order: a page that is deterministically the slowest, without sleeps.
        """
        gate = Gate(self)

        async def handler(request: web.Request) -> web.StreamResponse:
            await gate.opened.wait()
            return web.Response(body=body, headers={"Content-Type": content_type})

        self.add_route(path, handler)
        return gate

    def _call_soon(self, callback: Callable[[], object]) -> None:
        if self._loop is None:
            raise RuntimeError("PageServer is not running")
        self._loop.call_soon_threadsafe(callback)

    # -- server thread ------------------------------------------------------------------

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to start(); the thread must not die silently
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        app.on_response_prepare.append(_drop_content_type)
        # No access log: it is written from this thread after the response, so a line
        # about one test's request could land in the next test's captured output.
        runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            site = web.SockSite(runner, sock)
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._port = sock.getsockname()[1]
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            RecordedRequest(request.path, request.query_string, dict(request.headers))
        )
        path = request.path
        handler = self._routes.get(path) or BUILTIN_ROUTES.get(path)
        if handler is not None:
            return await handler(request)
        prefix, _, rest = path.rpartition("/")
        if prefix == "/redirect-chain" and rest.isdigit():
            return _redirect_chain(int(rest))
        if prefix == "/status" and rest.isdigit():
            return web.Response(status=int(rest), text=f"status {rest}", content_type="text/html")
        return self._file(request)

    def _file(self, request: web.Request) -> web.StreamResponse:
        if self.root is None:
            raise web.HTTPNotFound()
        target = (self.root / request.path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root) or not target.is_file():
            raise web.HTTPNotFound()
        content_type = request.query.get("content_type") or CONTENT_TYPES.get(
            target.suffix.lower(), "application/octet-stream"
        )
        response = web.Response(body=target.read_bytes())
        response.headers["Content-Type"] = _label(content_type, request.query.get("charset"))
        return response


def _label(content_type: str, charset: str | None) -> str:
    return f"{content_type}; charset={charset}" if charset else content_type


async def _drop_content_type(request: web.Request, response: web.StreamResponse) -> None:
    # aiohttp always labels a body; this hook runs after that, before headers go out.
    if request.get(_NO_CONTENT_TYPE):
        response.headers.popall("Content-Type", None)


def _redirect_chain(hops: int) -> web.StreamResponse:
    if hops == 0:
        return web.Response(
            text="<html><body><p>End of the redirect chain.</p></body></html>",
            content_type="text/html",
        )
    return _redirect(f"/redirect-chain/{hops - 1}")


def _redirect(location: str, status: int = 302) -> web.StreamResponse:
    return web.Response(status=status, headers={"Location": location})


async def _redirect_loop(request: web.Request) -> web.StreamResponse:
    return _redirect("/redirect-loop")


async def _redirect_to(request: web.Request) -> web.StreamResponse:
    return _redirect(request.query["url"], int(request.query.get("status", "302")))


async def _slow_headers(request: web.Request) -> web.StreamResponse:
    await asyncio.sleep(float(request.query.get("seconds", "30")))
    return web.Response(text="<p>finally</p>", content_type="text/html")


async def _dribble(request: web.Request) -> web.StreamResponse:
    interval = float(request.query.get("interval", "1"))
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    await response.prepare(request)
    with contextlib.suppress(*_CLIENT_GONE):
        await response.write(b"<html><body><p>")
        while True:
            await asyncio.sleep(interval)
            await response.write(b"x")
    return response


async def _pdf(request: web.Request) -> web.StreamResponse:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return web.Response(body=body, content_type="application/pdf")


async def _png(request: web.Request) -> web.StreamResponse:
    body = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
    return web.Response(body=body, content_type="image/png")


async def _binary(request: web.Request) -> web.StreamResponse:
    return web.Response(body=os.urandom(4096), content_type="application/octet-stream")


async def _stream(
    request: web.Request, total: int, content_length: int | None
) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    if content_length is not None:
        response.content_length = content_length
    await response.prepare(request)
    chunk = b"<p>" + b"a" * 65_530 + b"</p>\n"
    sent = 0
    with contextlib.suppress(*_CLIENT_GONE):
        while sent < total:
            await response.write(chunk)
            sent += len(chunk)
        await response.write_eof()
    return response


async def _huge(request: web.Request) -> web.StreamResponse:
    return await _stream(request, HUGE_BYTES, None)


async def _huge_declared(request: web.Request) -> web.StreamResponse:
    return await _stream(request, HUGE_DECLARED_BYTES, HUGE_DECLARED_BYTES)


async def _gzip_bomb_route(request: web.Request) -> web.StreamResponse:
    return web.Response(
        body=_gzip_bomb(), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )


async def _empty(request: web.Request) -> web.StreamResponse:
    return web.Response(body=EMPTY_HTML, content_type="text/html")


async def _no_content_type(request: web.Request) -> web.StreamResponse:
    request[_NO_CONTENT_TYPE] = True
    return web.Response(body=b"<!doctype html><html><body><p>Unlabelled page.</p></body></html>")


@functools.cache
def _gzip_bomb() -> bytes:
    """Zeros, gzip-compressed: ~120 KB that inflate to ``GZIP_BOMB_INFLATED_BYTES``."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(GZIP_BOMB_INFLATED_BYTES // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


BUILTIN_ROUTES: dict[str, Handler] = {
    "/redirect-loop": _redirect_loop,
    "/redirect-to": _redirect_to,
    "/slow-headers": _slow_headers,
    "/dribble": _dribble,
    "/pdf": _pdf,
    "/image.png": _png,
    "/binary": _binary,
    "/huge": _huge,
    "/huge-declared": _huge_declared,
    "/gzip-bomb": _gzip_bomb_route,
    "/empty": _empty,
    "/no-content-type": _no_content_type,
}
"""Fixed-path hostile routes; ``/redirect-chain/N`` and ``/status/CODE`` are matched by prefix."""
