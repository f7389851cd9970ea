"""Safe HTTP fetching of URLs that strangers send, and of the feeds we poll.

``build_client`` makes the one ``httpx.AsyncClient`` the application uses for pages;
``Fetcher`` fetches one article with it under ``FetchLimits`` (``fetch``), or one feed
with conditional headers (``fetch_conditional``): same guard, caps and deadline.

Address safety is enforced where the socket is opened, not where the URL is read:
the client's transport runs httpcore over ``GuardedBackend``, whose ``connect_tcp``
resolves the host itself, refuses (``BlockedAddress``) if any address is not public,
and connects to the checked IP literal. Every connection — first request and every
redirect hop — passes through it, so DNS rebinding and redirects to private
addresses are caught. TLS still uses the URL's host name for SNI and certificate
checks: httpcore passes ``server_hostname`` from the request origin to
``start_tls`` (``httpcore/_async/connection.py``), not the address we dialled.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.cookiejar
import logging
import re
import socket
import ssl
import zlib
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from ipaddress import ip_address
from typing import TYPE_CHECKING

import httpcore
import httpx

from bot.articles.addresses import IPAddress, is_localhost_name, is_public_address, parse_ip_literal
from bot.articles.urls import validate_url
from bot.errors import (
    BlockedAddress,
    ConnectFailure,
    DNSFailure,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    TooLarge,
    TooManyRedirects,
    UnsupportedContent,
)
from bot.models import FetchedPage

if TYPE_CHECKING:
    from bot.settings import Settings

logger = logging.getLogger(__name__)

Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]
"""``async (host, port) -> addresses``; raises ``DNSFailure`` when the name does not resolve."""

SUPPORTED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        # Misconfigured servers label feeds as pages or text; the parser decides.
        "text/html",
        "text/plain",
    }
)
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, text/plain;q=0.5"
)
# Only encodings we inflate ourselves under the size cap (brotli would need its own cap).
_ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How much one article fetch may cost, and whether private networks are reachable."""

    max_bytes: int = 5_000_000
    """Cap on the body, both as received and after decompression."""
    feed_max_bytes: int = 10_000_000
    """The same cap for feeds (``fetch_conditional``), which can outgrow any article."""
    deadline: float = 20.0
    """Total seconds for one article, redirects and a slowly dribbling body included."""
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    """Longest silence between two reads."""
    max_redirects: int = 5
    allow_private: bool = False
    """Lift the address check (FETCH_ALLOW_PRIVATE_NETWORKS), e.g. for tests on 127.0.0.1."""
    user_agent: str = "PeninsulaBrief/0.1 (+https://t.me/PeninsulaBriefBot)"

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        return cls(
            max_bytes=settings.fetch_max_bytes,
            feed_max_bytes=settings.feed_max_bytes,
            deadline=settings.fetch_deadline_seconds,
            max_redirects=settings.fetch_max_redirects,
            allow_private=settings.fetch_allow_private_networks,
        )


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Resolve with the system resolver (``getaddrinfo`` in the loop's executor)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DNSFailure(f"{host} does not resolve") from exc
    addresses: list[IPAddress] = []
    for family, _, _, _, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6):
            address = ip_address(sockaddr[0])
            if address not in addresses:
                addresses.append(address)
    if not addresses:
        raise DNSFailure(f"{host} has no IP address")
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Network backend that connects only to checked, public addresses.

    ``connect_tcp(host, …)`` resolves ``host`` (IP literals in every form libc reads
    are recognised first, ``localhost`` names are refused unresolved), raises
    ``BlockedAddress`` if *any* address is not public, then connects the inner
    backend to the checked IP literal — never to the name, which could resolve
    differently a second time. Unix sockets are refused.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._allow_private = allow_private
        self._resolver = resolver or system_resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.checked_addresses(host, port, timeout)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # checked_addresses never returns an empty list
        raise failure

    async def checked_addresses(
        self, host: str, port: int, resolve_timeout: float | None = None
    ) -> list[IPAddress]:
        """The addresses ``host`` stands for, all of them allowed, or ``BlockedAddress``."""
        literal = parse_ip_literal(host)
        if literal is not None:
            addresses = [literal]
        elif is_localhost_name(host) and not self._allow_private:
            raise BlockedAddress(f"{host} is this machine")
        else:
            try:
                async with asyncio.timeout(resolve_timeout):
                    addresses = list(await self._resolver(host, port))
            except TimeoutError as exc:
                raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
            if not addresses:
                raise DNSFailure(f"{host} has no IP address")
        if not self._allow_private:
            blocked = [a for a in addresses if not is_public_address(a)]
            if blocked:
                raise BlockedAddress(f"{host} resolves to non-public address {blocked[0]}")
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@functools.cache
def verified_tls() -> ssl.SSLContext:
    """The certificate-verifying TLS context, built once a process: loading the CA bundle
    costs ~25 ms, and every client would otherwise load it again."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport over an httpcore connection pool that dials through a given backend.

    ``httpx.AsyncHTTPTransport`` has no public way to pass a network backend, so this
    is the small adapter it would be: httpx request → httpcore request → httpx
    response, with httpcore's exceptions turned into httpx's. No proxy support, by design.
    """

    def __init__(
        self,
        network_backend: httpcore.AsyncNetworkBackend,
        *,
        ssl_context: ssl.SSLContext | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=50, max_keepalive_connections=10)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or verified_tls(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=network_backend,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            core_response = await self._pool.handle_async_request(core_request)
        assert isinstance(core_response.stream, AsyncIterable)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_ResponseStream(core_response.stream),
            extensions=core_response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


def build_client(
    limits: FetchLimits,
    *,
    resolver: Resolver | None = None,
    network_backend: httpcore.AsyncNetworkBackend | None = None,
) -> httpx.AsyncClient:
    """The page-fetching client; create once at start-up, ``aclose()`` at shutdown.

    ``resolver`` and ``network_backend`` (the backend that really dials, given
    checked IP literals) are for tests. Environment proxies and ``.netrc`` are
    ignored (``trust_env=False``): a proxy would dial for us, bypassing the check.
    Cookies are never kept between fetches; ``Fetcher`` carries them across one
    fetch's redirects only.
    """
    backend = GuardedBackend(
        allow_private=limits.allow_private, resolver=resolver, inner=network_backend
    )
    return httpx.AsyncClient(
        transport=GuardedTransport(backend),
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=limits.connect_timeout,
        ),
        headers={
            "User-Agent": limits.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": _ACCEPT_ENCODING,
        },
        cookies=http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[])),
    )


@dataclass(frozen=True, slots=True)
class ConditionalResult:
    """What a conditional GET got: the document, or None for 304 Not Modified."""

    page: FetchedPage | None
    etag: str | None
    """The response's ``ETag``, to send back as ``If-None-Match`` next time."""
    last_modified: str | None
    """The response's ``Last-Modified``, to send back as ``If-Modified-Since``."""

    @property
    def not_modified(self) -> bool:
        return self.page is None


class Fetcher:
    """Fetches one article page: checked URL, manual redirects, size and time caps."""

    def __init__(self, client: httpx.AsyncClient, limits: FetchLimits) -> None:
        self._client = client
        self._limits = limits

    @property
    def limits(self) -> FetchLimits:
        return self._limits

    async def fetch(self, url: str) -> FetchedPage:
        """The page at ``url`` after redirects, or a ``FetchError`` saying why not."""
        result = await self._fetch(url, {}, SUPPORTED_TYPES, self._limits.max_bytes)
        assert result.page is not None  # no conditional headers, so never "not modified"
        return result.page

    async def fetch_conditional(
        self,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
        accept: str = FEED_ACCEPT,
        media_types: frozenset[str] = FEED_TYPES,
    ) -> ConditionalResult:
        """The document at ``url`` unless unchanged since ``etag``/``last_modified`` (a 304).

        For feeds: the same address guard, redirect cap and deadline as ``fetch``, with
        the feed media types accepted and the feed size cap. Raises a ``FetchError``
        like ``fetch``.
        """
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return await self._fetch(url, headers, media_types, self._limits.feed_max_bytes)

    async def _fetch(
        self, url: str, headers: dict[str, str], media_types: frozenset[str], cap: int
    ) -> ConditionalResult:
        current = validate_url(url)
        try:
            async with asyncio.timeout(self._limits.deadline):
                return await self._follow(current, headers, media_types, cap)
        except TimeoutError as exc:
            raise FetchTimeout(f"no complete answer within {self._limits.deadline:g} s") from exc

    async def _follow(
        self, url: str, headers: dict[str, str], media_types: frozenset[str], cap: int
    ) -> ConditionalResult:
        conditional = "If-None-Match" in headers or "If-Modified-Since" in headers
        cookies = httpx.Cookies()
        visited: set[tuple[str, tuple[str, ...]]] = set()
        for _ in range(self._limits.max_redirects + 1):
            # The same URL with the same cookies again can only lead round the same loop.
            state = (
                url,
                tuple(sorted(f"{c.domain}{c.path}{c.name}={c.value}" for c in cookies.jar)),
            )
            if state in visited:
                raise TooManyRedirects(f"redirect loop at {_loggable(url)}")
            visited.add(state)
            request = self._client.build_request("GET", url, cookies=cookies, headers=headers)
            with _fetch_errors():
                response = await self._client.send(request, stream=True)
            try:
                logger.debug("GET %s -> %d", _loggable(url), response.status_code)
                cookies.extract_cookies(response)
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES and location:
                    url = validate_url(str(response.url.join(location.strip())))
                    continue
                etag = response.headers.get("etag")
                last_modified = response.headers.get("last-modified")
                if response.status_code == 304 and conditional:
                    return ConditionalResult(None, etag, last_modified)
                if response.status_code >= 300:
                    raise HTTPStatusError(response.status_code)
                page = await self._read_page(response, media_types, cap)
                return ConditionalResult(page, etag, last_modified)
            finally:
                await response.aclose()
        raise TooManyRedirects(f"more than {self._limits.max_redirects} redirects")

    async def _read_page(
        self, response: httpx.Response, media_types: frozenset[str], cap: int
    ) -> FetchedPage:
        media_type, charset = parse_content_type(response.headers.get("content-type", ""))
        if media_type and media_type not in media_types:
            raise UnsupportedContent(media_type)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise TooLarge(f"Content-Length {declared} above {cap} bytes")
        coding = response.headers.get("content-encoding", "identity").strip().lower()
        inflater = None if coding in ("", "identity") else _Inflater(coding, cap)
        body = await self._read_capped(response, inflater, cap)
        if not media_type:
            media_type = sniff_media_type(body) or ""
            if not media_type:
                raise UnsupportedContent("")
        return FetchedPage(
            url=str(response.url), content_type=media_type, body=body, charset=charset
        )

    async def _read_capped(
        self, response: httpx.Response, inflater: _Inflater | None, cap: int
    ) -> bytes:
        received = 0
        body = bytearray()
        with _fetch_errors():
            async for chunk in response.aiter_raw():
                received += len(chunk)
                if received > cap:
                    raise TooLarge(f"body above {cap} bytes")
                body += inflater.feed(chunk) if inflater else chunk
                if len(body) > cap:
                    raise TooLarge(f"body above {cap} bytes")
        if inflater:
            body += inflater.finish()
        return bytes(body)


def parse_content_type(header: str) -> tuple[str, str | None]:
    """``'text/html; charset="EUC-KR"'`` → ``('text/html', 'EUC-KR')``; media type lowercased."""
    media_type, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").strip() or None
    return media_type.strip().lower(), charset


_BINARY_SIGNATURES = (b"%PDF-", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
_HTML_START = re.compile(
    r"\s*<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p"
    r"|meta|!--)[\s>/]",
    re.IGNORECASE,
)
_BINARY_BYTES = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def sniff_media_type(body: bytes) -> str | None:
    """``text/html`` or ``text/plain`` when unlabelled bytes look like markup or text, else None."""
    head = body[:1024]
    if not head or head.startswith(_BINARY_SIGNATURES):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        sample = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", errors="ignore")
    else:
        sample = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    if _BINARY_BYTES.search(sample):
        return None
    return "text/html" if _HTML_START.match(sample) else "text/plain"


class _Inflater:
    """gzip/deflate decoder whose output is capped as it goes: a bomb stops at the cap."""

    def __init__(self, coding: str, cap: int) -> None:
        if coding in ("gzip", "x-gzip"):
            wbits = 16 + zlib.MAX_WBITS
        elif coding == "deflate":
            wbits = zlib.MAX_WBITS
        else:
            raise UnsupportedContent(f"content-encoding {coding}")
        self._coding = coding
        self._decoder = zlib.decompressobj(wbits)
        self._cap = cap
        self._produced = 0
        self._started = False

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        while data and not self._decoder.eof:
            try:
                # Asking for one byte more than the room left is enough to know it is too big.
                part = self._decoder.decompress(data, self._cap - self._produced + 1)
            except zlib.error as exc:
                if self._coding == "deflate" and not self._started:
                    # Some servers send raw deflate without the zlib header.
                    self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._started = True
                    continue
                raise FetchError(f"corrupt {self._coding} body") from exc
            self._started = True
            self._produced += len(part)
            if self._produced > self._cap:
                raise TooLarge(f"body above {self._cap} bytes after decompression")
            out += part
            data = self._decoder.unconsumed_tail
        return bytes(out)

    def finish(self) -> bytes:
        rest = self._decoder.flush()
        if self._produced + len(rest) > self._cap:
            raise TooLarge(f"body above {self._cap} bytes after decompression")
        return rest


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()


# Most specific first: httpcore's exception tree mirrors httpx's.
_HTTPCORE_TO_HTTPX: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core_type, httpx_type in _HTTPCORE_TO_HTTPX:
            if isinstance(exc, core_type):
                raise httpx_type(str(exc)) from exc
        raise


@contextlib.contextmanager
def _fetch_errors() -> Iterator[None]:
    """httpx's transport errors as the FetchError a user can be told about."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise FetchTimeout(f"timed out: {exc}") from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise InvalidURL(str(exc)) from exc
    except httpx.TransportError as exc:
        raise ConnectFailure(f"{type(exc).__name__}: {exc}") from exc


def _loggable(url: str) -> str:
    """The URL without user info, query or fragment, which can carry secrets."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path}"
