from __future__ import annotations

import gzip
import socket
import ssl
import zlib
from collections.abc import Callable, Iterable, Iterator
from ipaddress import IPv4Address
from pathlib import Path

import httpcore
import pytest
from aiohttp import web

from bot.articles.addresses import IPAddress
from bot.articles.fetch import Fetcher, FetchLimits, Resolver, build_client, system_resolver
from bot.errors import (
    BlockedAddress,
    ConnectFailure,
    DNSFailure,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    TooLarge,
    TooManyRedirects,
    UnsupportedContent,
)
from bot.models import FetchedPage
from bot.settings import Settings
from tests.support.pageserver import EMPTY_HTML, PageServer

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
# Generous: local pages load in milliseconds, unless the machine is busy.
LOCAL = FetchLimits(deadline=30, connect_timeout=10, read_timeout=30, allow_private=True)
GUARDED = FetchLimits(deadline=30, connect_timeout=10, read_timeout=30)
PUBLIC_IP = IPv4Address("8.8.8.8")  # any public address; FakeInternet routes it to the server


@pytest.fixture(scope="module")
def server() -> Iterator[PageServer]:
    with PageServer(FIXTURES) as page_server:
        yield page_server


async def fetch(
    url: str,
    limits: FetchLimits = LOCAL,
    *,
    resolver: Resolver | None = None,
    network_backend: httpcore.AsyncNetworkBackend | None = None,
) -> FetchedPage:
    async with build_client(limits, resolver=resolver, network_backend=network_backend) as client:
        return await Fetcher(client, limits).fetch(url)


def resolver_for(table: dict[str, list[IPAddress]]) -> Resolver:
    """A DNS stand-in; names not in the table do not exist."""

    async def resolve(host: str, port: int) -> list[IPAddress]:
        if host not in table:
            raise DNSFailure(f"{host} does not resolve")
        return table[host]

    return resolve


async def must_not_resolve(host: str, port: int) -> list[IPAddress]:
    raise AssertionError(f"{host} was resolved")


class FakeInternet(httpcore.AsyncNetworkBackend):
    """Routes every dialled address to the page server and records what was dialled."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.dialled: list[str] = []
        self.tls_names: list[str | None] = []
        self._real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.dialled.append(host)
        stream = await self._real.connect_tcp("127.0.0.1", self.port, timeout=timeout)
        return _TLSRecorder(stream, self.tls_names)

    async def sleep(self, seconds: float) -> None:
        await self._real.sleep(seconds)


class _TLSRecorder(httpcore.AsyncNetworkStream):
    def __init__(self, stream: httpcore.AsyncNetworkStream, names: list[str | None]) -> None:
        self._stream = stream
        self._names = names

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> httpcore.AsyncNetworkStream:
        self._names.append(server_hostname)
        await self._stream.aclose()
        raise httpcore.ConnectError("the test server speaks no TLS")

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


# -- pages that should arrive --------------------------------------------------------------


async def test_fetches_html_page(server: PageServer) -> None:
    page = await fetch(server.url_for("/article.html"))
    assert page.url == server.url_for("/article.html")
    assert page.content_type == "text/html"
    assert page.charset is None
    assert page.body == (FIXTURES / "article.html").read_bytes()


async def test_fetches_text_page(server: PageServer) -> None:
    page = await fetch(server.url_for("/note.txt"))
    assert page.content_type == "text/plain"
    assert page.body == (FIXTURES / "note.txt").read_bytes()


async def test_reports_header_charset(server: PageServer) -> None:
    page = await fetch(server.url_for("/article.html?charset=EUC-KR"))
    assert page.charset == "EUC-KR"


async def test_page_server_label_override(server: PageServer) -> None:
    page = await fetch(server.url_for("/note.txt?content_type=text/html"))
    assert page.content_type == "text/html"


async def test_sends_polite_headers(server: PageServer) -> None:
    server.add_page("/headers", b"<p>ok</p>")
    await fetch(server.url_for("/headers"))
    seen = next(r for r in reversed(server.requests) if r.path == "/headers").headers
    assert seen["User-Agent"] == LOCAL.user_agent
    assert seen["Accept-Encoding"] == "gzip, deflate"


async def test_empty_page_is_fetched_for_the_extractor_to_judge(server: PageServer) -> None:
    page = await fetch(server.url_for("/empty"))
    assert page.body == EMPTY_HTML


async def test_missing_content_type_sniffed_as_html(server: PageServer) -> None:
    page = await fetch(server.url_for("/no-content-type"))
    assert page.content_type == "text/html"


async def test_missing_content_type_sniffed_as_text(server: PageServer) -> None:
    server.add_page("/unlabelled.txt", "그냥 글입니다.\n".encode(), content_type=None)
    page = await fetch(server.url_for("/unlabelled.txt"))
    assert page.content_type == "text/plain"


@pytest.mark.parametrize(
    ("coding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, no zlib header
    ],
)
async def test_decompresses_page(
    server: PageServer, coding: str, compress: Callable[[bytes], bytes]
) -> None:
    html = "<p>압축된 페이지</p>".encode() * 100
    server.add_page("/compressed", compress(html), headers={"Content-Encoding": coding})
    page = await fetch(server.url_for("/compressed"))
    assert page.body == html


async def test_cookies_are_carried_across_one_fetchs_redirects(server: PageServer) -> None:
    async def set_cookie(request: web.Request) -> web.StreamResponse:
        response = web.Response(status=302, headers={"Location": "/cookie-check"})
        response.set_cookie("consent", "yes")
        return response

    async def check_cookie(request: web.Request) -> web.StreamResponse:
        if request.cookies.get("consent") != "yes":
            return web.Response(status=302, headers={"Location": "/cookie-set"})
        return web.Response(text="<p>welcome</p>", content_type="text/html")

    server.add_route("/cookie-set", set_cookie)
    server.add_route("/cookie-check", check_cookie)
    async with build_client(LOCAL) as client:
        fetcher = Fetcher(client, LOCAL)
        page = await fetcher.fetch(server.url_for("/cookie-set"))
        assert page.body == b"<p>welcome</p>"
        assert not client.cookies.jar  # nothing kept for the next stranger's link
        page = await fetcher.fetch(server.url_for("/cookie-check"))
        assert page.body == b"<p>welcome</p>"


# -- redirects -------------------------------------------------------------------------------


async def test_follows_redirect_chain(server: PageServer) -> None:
    page = await fetch(server.url_for("/redirect-chain/5"))
    assert page.url == server.url_for("/redirect-chain/0")


async def test_too_many_redirects(server: PageServer) -> None:
    with pytest.raises(TooManyRedirects):
        await fetch(server.url_for("/redirect-chain/6"))


async def test_redirect_loop(server: PageServer) -> None:
    with pytest.raises(TooManyRedirects, match="loop"):
        await fetch(server.url_for("/redirect-loop"))


async def test_relative_redirect(server: PageServer) -> None:
    page = await fetch(server.url_for("/redirect-to?url=note.txt&status=301"))
    assert page.url == server.url_for("/note.txt")


async def test_redirect_to_other_scheme_refused(server: PageServer) -> None:
    with pytest.raises(InvalidURL):
        await fetch(server.url_for("/redirect-to?url=file:///etc/passwd"))


# -- hostile servers -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 500])
async def test_http_error_status(server: PageServer, status: int) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        await fetch(server.url_for(f"/status/{status}"))
    assert caught.value.status == status


@pytest.mark.parametrize("path", ["/slow-headers", "/dribble?interval=0.2"])
async def test_total_deadline_cuts_off_slow_servers(server: PageServer, path: str) -> None:
    # Neither server trips the read timeout (a byte a fifth of a second, or headers after
    # 30 s against 10 s): only the total deadline can end these fetches, and says so.
    limits = FetchLimits(deadline=1, read_timeout=10, allow_private=True)
    with pytest.raises(FetchTimeout, match="no complete answer within 1 s"):
        await fetch(server.url_for(path), limits)


@pytest.mark.parametrize("path", ["/pdf", "/image.png", "/binary"])
async def test_unsupported_content(server: PageServer, path: str) -> None:
    with pytest.raises(UnsupportedContent):
        await fetch(server.url_for(path))


async def test_unlabelled_binary_is_unsupported(server: PageServer) -> None:
    server.add_page("/unlabelled.bin", bytes(range(256)), content_type=None)
    with pytest.raises(UnsupportedContent):
        await fetch(server.url_for("/unlabelled.bin"))


async def test_huge_stream_is_cut_at_the_cap(server: PageServer) -> None:
    with pytest.raises(TooLarge):
        await fetch(server.url_for("/huge"))


async def test_huge_content_length_refused_before_reading(server: PageServer) -> None:
    with pytest.raises(TooLarge, match="Content-Length"):
        await fetch(server.url_for("/huge-declared"))


async def test_gzip_bomb_stops_at_the_cap(server: PageServer) -> None:
    with pytest.raises(TooLarge, match="decompression"):
        await fetch(server.url_for("/gzip-bomb"))


async def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectFailure):
        await fetch(f"http://127.0.0.1:{port}/")


async def test_invalid_url_refused_before_any_request() -> None:
    with pytest.raises(InvalidURL):
        await fetch("ftp://example.com/file", GUARDED, resolver=must_not_resolve)


# -- address checks ---------------------------------------------------------------------------


async def test_private_address_refused_by_default(server: PageServer) -> None:
    with pytest.raises(BlockedAddress):
        await fetch(server.url_for("/article.html"), GUARDED)


@pytest.mark.parametrize(
    "host", ["2130706433", "0x7f000001", "127.1", "[::ffff:127.0.0.1]", "localhost", "a.localhost"]
)
async def test_loopback_spellings_refused_without_dns(server: PageServer, host: str) -> None:
    before = len(server.requests)
    with pytest.raises(BlockedAddress):
        await fetch(f"http://{host}:{server.port}/article.html", GUARDED, resolver=must_not_resolve)
    assert len(server.requests) == before


async def test_name_resolving_to_loopback_refused_at_connect(server: PageServer) -> None:
    resolver = resolver_for({"news.test": [IPv4Address("127.0.0.1")]})
    with pytest.raises(BlockedAddress):
        await fetch(f"http://news.test:{server.port}/article.html", GUARDED, resolver=resolver)


async def test_one_private_answer_among_public_ones_is_refused(server: PageServer) -> None:
    resolver = resolver_for({"news.test": [PUBLIC_IP, IPv4Address("10.0.0.7")]})
    internet = FakeInternet(server.port)
    with pytest.raises(BlockedAddress):
        await fetch(
            f"http://news.test:{server.port}/article.html",
            GUARDED,
            resolver=resolver,
            network_backend=internet,
        )
    assert internet.dialled == []


async def test_dials_the_checked_address_not_the_name(server: PageServer) -> None:
    resolver = resolver_for({"news.test": [PUBLIC_IP]})
    internet = FakeInternet(server.port)
    page = await fetch(
        f"http://news.test:{server.port}/article.html",
        GUARDED,
        resolver=resolver,
        network_backend=internet,
    )
    assert page.body == (FIXTURES / "article.html").read_bytes()
    assert internet.dialled == [str(PUBLIC_IP)]
    assert server.requests[-1].headers["Host"] == f"news.test:{server.port}"


async def test_tls_uses_the_host_name_for_sni_and_certificates(server: PageServer) -> None:
    resolver = resolver_for({"news.test": [PUBLIC_IP]})
    internet = FakeInternet(server.port)
    with pytest.raises(ConnectFailure):
        await fetch("https://news.test/", GUARDED, resolver=resolver, network_backend=internet)
    assert internet.dialled == [str(PUBLIC_IP)]
    assert internet.tls_names == ["news.test"]


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1:{port}/article.html", "http://internal.test:{port}/article.html"]
)
async def test_redirect_to_private_address_refused_at_the_hop(
    server: PageServer, target: str
) -> None:
    resolver = resolver_for({"news.test": [PUBLIC_IP], "internal.test": [IPv4Address("10.0.0.7")]})
    internet = FakeInternet(server.port)
    location = target.format(port=server.port)
    with pytest.raises(BlockedAddress):
        await fetch(
            f"http://news.test:{server.port}/redirect-to?url={location}",
            GUARDED,
            resolver=resolver,
            network_backend=internet,
        )
    assert internet.dialled == [str(PUBLIC_IP)]


async def test_allow_private_reaches_names_resolving_to_loopback(server: PageServer) -> None:
    resolver = resolver_for({"news.test": [IPv4Address("127.0.0.1")]})
    page = await fetch(f"http://news.test:{server.port}/note.txt", LOCAL, resolver=resolver)
    assert page.content_type == "text/plain"
    assert server.requests[-1].headers["Host"] == f"news.test:{server.port}"


async def test_dns_failure() -> None:
    with pytest.raises(DNSFailure):
        await fetch("http://nowhere.test/", GUARDED, resolver=resolver_for({}))


async def test_environment_proxies_are_ignored(
    server: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens on the discard port
    page = await fetch(server.url_for("/note.txt"))
    assert page.content_type == "text/plain"


async def test_system_resolver_reads_literals_without_dns() -> None:
    assert await system_resolver("127.0.0.1", 80) == [IPv4Address("127.0.0.1")]


def test_limits_from_settings() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        fetch_max_bytes=1000,
        fetch_deadline_seconds=3,
        fetch_max_redirects=2,
        fetch_allow_private_networks=True,
    )
    limits = FetchLimits.from_settings(settings)
    assert (limits.max_bytes, limits.deadline, limits.max_redirects) == (1000, 3, 2)
    assert limits.allow_private
