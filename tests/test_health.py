"""The operator's window on a running bot: /healthz, /readyz and /metrics over HTTP.

The bots here listen on a free loopback port; what the metrics say is read from the
exposition text, as Prometheus would read it.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.errors import DNSFailure, FetchTimeout, HTTPStatusError
from bot.health import HealthServer
from bot.metrics import Metrics, kind_of
from bot.store.subscribers import SubscriberStore
from handlers.context import BotApplication
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.pageserver import PageServer
from tests.support.waiting import eventually

CHAT = 4242
PAGE = (
    "<html><head><title>Talks resume at Panmunjom</title></head><body><article>"
    + "".join(
        f"<p>Officials from both sides met for the {n}th time at the truce village on "
        "Tuesday, and said they would meet again next month to discuss family reunions.</p>"
        for n in range(4, 20)
    )
    + "</article></body></html>"
).encode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def samples(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition: (name, sorted labels) → value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


@pytest.fixture
async def bot_with_health(
    fake_api: FakeBotAPI, sqlite_url: str
) -> AsyncIterator[tuple[BotApplication, httpx.AsyncClient]]:
    port = free_port()
    settings = make_settings(fake_api, sqlite_url, health_port=port, health_listen="127.0.0.1")
    async with (
        running_bot(settings) as application,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client,
    ):
        yield application, client


async def test_healthz_answers_while_the_bot_runs(
    bot_with_health: tuple[BotApplication, httpx.AsyncClient],
) -> None:
    _, client = bot_with_health

    response = await client.get("/healthz")

    assert (response.status_code, response.text) == (200, "ok\n")


async def test_readyz_is_ready_once_the_database_answers_and_the_bot_is_authorised(
    bot_with_health: tuple[BotApplication, httpx.AsyncClient],
) -> None:
    _, client = bot_with_health

    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"ready": True}


async def test_metrics_count_updates_links_and_subscribers(
    bot_with_health: tuple[BotApplication, httpx.AsyncClient],
    fake_api: FakeBotAPI,
    page_server: PageServer,
) -> None:
    application, client = bot_with_health
    page_server.add_page("/health/talks.html", PAGE, "text/html", charset="utf-8")
    services = application.bot_data.services
    assert services is not None and application.job_queue is not None

    fake_api.user_says(CHAT, "/help")
    await fake_api.wait_for_messages(CHAT, 1)
    fake_api.user_says(CHAT, page_server.url_for("/health/talks.html"))
    fake_api.user_says(CHAT, page_server.url_for("/status/404"))
    await fake_api.wait_for_messages(CHAT, 3)
    await SubscriberStore(services.database).subscribe(
        CHAT,
        chat_type="private",
        title="Reader",
        language="en",
        timezone="UTC",
        delivery_time=dt.time(7, 0),
        now=dt.datetime.now(dt.UTC),
    )
    [deliver] = application.job_queue.get_jobs_by_name("deliver-editions")
    await deliver.run(application)
    response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    values = samples(response.text)
    assert values["briefbot_updates_total", (("kind", "message"),)] == 3
    assert values["briefbot_link_summaries_total", (("outcome", "ok"),)] == 1
    assert values["briefbot_link_summaries_total", (("outcome", "http_status_error"),)] == 1
    fetch_failed = (("kind", "http_status_error"), ("source", "link"))
    assert values["briefbot_fetch_failures_total", fetch_failed] == 1
    assert values["briefbot_summary_seconds_count", ()] == 2
    assert values["briefbot_subscribers", (("state", "subscribed"),)] == 1
    assert all(name.startswith("briefbot_") for name, _ in values)


async def test_a_429_from_telegram_is_counted_and_the_reply_still_arrives(
    bot_with_health: tuple[BotApplication, httpx.AsyncClient], fake_api: FakeBotAPI
) -> None:
    _, client = bot_with_health
    fake_api.fail_next("sendMessage", status=429, retry_after=1)

    fake_api.user_says(CHAT, "/help")
    await fake_api.wait_for_messages(CHAT, 1)
    response = await client.get("/metrics")

    assert samples(response.text)["briefbot_telegram_429_total", ()] == 1


async def test_the_event_loop_lag_is_measured(
    bot_with_health: tuple[BotApplication, httpx.AsyncClient],
) -> None:
    _, client = bot_with_health

    async def probed() -> bool:
        response = await client.get("/metrics")
        return samples(response.text)["briefbot_event_loop_lag_seconds_count", ()] >= 1

    # The first probe ends half a second after the health server starts.
    await eventually(probed, "a lag probe")


async def test_feed_polls_are_counted_by_outcome(
    bot_with_health: tuple[BotApplication, httpx.AsyncClient],
) -> None:
    _, client = bot_with_health

    async def polled() -> bool:
        response = await client.get("/metrics")
        # The test feed list holds one local feed; the first poll runs a second after start.
        fetched = (("outcome", "fetched"),)
        return samples(response.text).get(("briefbot_feed_polls_total", fetched), 0) == 1

    await eventually(polled, "the first feed poll")


async def test_readyz_says_why_the_bot_is_not_ready() -> None:
    async def not_ready() -> str | None:
        return "the database does not answer: OperationalError"

    server = HealthServer(Metrics(), not_ready)
    await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
            ready = await client.get("/readyz")
            unknown = await client.get("/nothing-here")
            posted = await client.post("/healthz")
    finally:
        await server.close()

    assert ready.status_code == 503
    assert json.loads(ready.text) == {
        "ready": False,
        "reason": "the database does not answer: OperationalError",
    }
    assert (unknown.status_code, posted.status_code) == (404, 405)


def test_error_kinds_read_as_labels() -> None:
    assert kind_of(FetchTimeout("http://example.com")) == "fetch_timeout"
    assert kind_of(HTTPStatusError(404)) == "http_status_error"
    assert kind_of(DNSFailure("example.com")) == "dns_failure"
