"""The Bot API's wire over aiohttp: what PTB expects of a request object — status and body,
form fields and files as Telegram takes them, its own timeout and network errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from handlers.transport import AiohttpRequest
from tests.support.ports import free_port


class Echo:
    """A local server: echoes the form it gets; ``/stall`` answers only at the end."""

    def __init__(self) -> None:
        self.forms: list[dict[str, str]] = []
        self.stalled = asyncio.Event()
        self.release = asyncio.Event()

    async def echo(self, request: web.Request) -> web.Response:
        fields: dict[str, str] = {}
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                fields[name] = f"file:{value.filename}:{value.file.read()!r}"
            elif isinstance(value, str):
                fields[name] = value
        self.forms.append(fields)
        return web.json_response({"ok": True, "result": True}, status=200)

    async def stall(self, request: web.Request) -> web.Response:
        self.stalled.set()
        await self.release.wait()  # set at the fixture's end, long after the client gave up
        return web.json_response({"ok": True, "result": True})


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Echo]]:
    echo = Echo()
    app = web.Application()
    app.router.add_post("/echo", echo.echo)
    app.router.add_post("/stall", echo.stall)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}", echo
    finally:
        echo.release.set()
        await runner.cleanup()


@pytest.fixture
async def request_object() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(read_timeout=30.0)
    await request.initialize()
    try:
        yield request
    finally:
        await request.shutdown()


def parameters(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(name, value) for name, value in values.items()])


async def test_form_fields_go_as_ptb_encodes_them(
    server: tuple[str, Echo], request_object: AiohttpRequest
) -> None:
    url, echo = server
    status, body = await request_object.do_request(
        f"{url}/echo", "POST", parameters(chat_id=42, text="<b>안녕</b>", entities=[{"a": 1}])
    )
    assert status == 200 and b'"ok": true' in body
    assert echo.forms == [{"chat_id": "42", "text": "<b>안녕</b>", "entities": '[{"a": 1}]'}]


async def test_files_go_as_multipart(
    server: tuple[str, Echo], request_object: AiohttpRequest
) -> None:
    url, echo = server
    document = InputFile(b"report body", filename="report.txt", attach=False)
    await request_object.do_request(
        f"{url}/echo", "POST", parameters(chat_id=42, document=document)
    )
    assert echo.forms == [{"chat_id": "42", "document": "file:report.txt:b'report body'"}]


async def test_a_server_that_stops_answering_is_a_timeout(server: tuple[str, Echo]) -> None:
    url, echo = server
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"{url}/stall", "POST", parameters(chat_id=1))
        assert echo.stalled.is_set()  # it reached the server, then waited in vain
    finally:
        await request.shutdown()


async def test_a_refused_connection_is_a_network_error(request_object: AiohttpRequest) -> None:
    with pytest.raises(NetworkError, match="aiohttp"):
        await request_object.do_request(
            f"http://127.0.0.1:{free_port()}/echo", "POST", parameters(chat_id=1)
        )


async def test_a_request_before_initialize_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/", "POST")
