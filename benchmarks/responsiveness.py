"""How long ``/help`` takes while the bot summarizes long articles: idle, and with N
long (9k-word) articles in flight.

    python -m benchmarks.responsiveness [--in-flight 8] [--samples 150]

The bot runs as a child process (``briefbot run``, the real command) against the fake Bot
API (``tests/support/fakebotapi``) and a local article server, both in this process. A
reply's latency is the time from queuing the user's ``/help`` in the fake to the fake
receiving the bot's ``sendMessage`` for it, both read from this process's monotonic clock.

Under load, N chats each keep one link to a ~9k-word article in flight: when a chat's
summary arrives it sends the next link (a new URL each time, so the summary cache never
answers). ``/help`` is sent from another chat, one at a time, a short pause apart.

Rows, measured in the same run:

* **before** — the pool as it was: workers started on first use, at the bot's own CPU
  priority (the child replaces the pool with such a one);
* **now** — workers started before the first update, at a lower CPU priority (nice +10);
* **nice +19** — the same at the lowest priority, for comparison;
* **first come first served** — as *now*, but send slots in the order they were asked
  for, as before :class:`bot.delivery.pacing.FairPacer` (least recently served chat first).

The machine may be shared: each row shows its 1-minute load average, others' work included.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import math
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from benchmarks.summary_speed import generated_article
from bot.delivery.pacing import FairPacer
from bot.workers import WORKER_NICENESS, WorkerPool
from tests.support.fakebotapi import ApiCall, FakeBotAPI
from tests.support.pageserver import PageServer

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT / "tests" / "fixtures" / "bot" / "feeds.toml"
HELP_CHAT = 1
FIRST_LINK_CHAT = 100
ARTICLE_WORDS = 9_000
PAUSE = 0.2
"""Seconds between one ``/help`` reply and the next ``/help`` by default: ~3-5 a second,
which leaves the bot's pacing (25 requests a second) room for the summaries but makes the
/help chat as busy as each of the busy chats (``--help-pause``)."""
SETTLE = 3.0
"""Seconds after start-up before measuring: the first feed poll and delivery tick run."""


# ---------------------------------------------------------------------------- the child


@dataclass(frozen=True)
class Variant:
    label: str
    at_start_up: bool
    """Workers started before the first update (else on first use)."""
    niceness: int
    fair: bool = True
    """Send slots to the chat served least recently (else first come, first served)."""


VARIANTS = {
    "before": Variant("before: pool on first use, normal priority", False, 0),
    "now": Variant(f"now: pool at start-up, nice +{WORKER_NICENESS}", True, WORKER_NICENESS),
    "nice19": Variant("pool at start-up, nice +19", True, 19),
    "fifo": Variant(
        f"pool at start-up, nice +{WORKER_NICENESS}, slots first come first served",
        True,
        WORKER_NICENESS,
        fair=False,
    ),
}


def child(variant: Variant) -> int:
    """Run ``briefbot run`` with the pool of ``variant``."""
    from bot.cli.main import main as briefbot
    from bot.settings import Settings

    class PoolStartedOnFirstUse(WorkerPool):
        async def start(self) -> None:
            return None

    def from_settings(settings: Settings) -> WorkerPool:
        pool = WorkerPool if variant.at_start_up else PoolStartedOnFirstUse
        return pool(
            settings.worker_processes,
            deadline=settings.worker_job_deadline_seconds,
            niceness=variant.niceness,
        )

    # Services.open builds its pool with WorkerPool.from_settings.
    WorkerPool.from_settings = from_settings  # type: ignore[method-assign]
    if not variant.fair:  # every request ranks alike: slots go in order of asking
        FairPacer._rank = lambda self, flow: (False, -math.inf)  # type: ignore[method-assign]
    return briefbot(["--env-file", os.devnull, "run"])


# ---------------------------------------------------------------------------- the parent


def article_page(words: int, seed: int) -> bytes:
    paragraphs = generated_article(words, "en", seed=seed).splitlines()
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>Long read {seed}</title></head><body>"
        f"<article><h1>Long read {seed}</h1>{body}</article></body></html>"
    ).encode()


@dataclass
class Row:
    label: str
    idle: list[float]
    loaded: list[float]
    summaries: int
    api_rate: float
    """Bot API requests a second under load (the bot paces them at 25 a second)."""
    load: float
    """The machine's 1-minute load average (mean of start and end): others' work included."""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@contextlib.asynccontextmanager
async def bot_process(api: FakeBotAPI, tmp: Path, variant: str) -> AsyncIterator[None]:
    database = tmp / f"bot-{variant}.sqlite3"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "BRIEFBOT_FEEDS": str(FEEDS),
        "FETCH_ALLOW_PRIVATE_NETWORKS": "true",
        "LOG_LEVEL": "WARNING",
        "LINKS_PER_CHAT_PER_MINUTE": "1000",
        "HEALTH_PORT": "0",  # not under test, and 8080 may be taken
    }
    args = [sys.executable, "-m", "benchmarks.responsiveness", "--child", variant]
    log = (tmp / "bot.log").open("ab")
    process = await asyncio.create_subprocess_exec(*args, cwd=ROOT, env=env, stderr=log)
    try:
        await api.wait_for(lambda: api.calls_to("getUpdates"), 120, what="the bot's first poll")
        await asyncio.sleep(SETTLE)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)
        log.close()


def replies_since(api: FakeBotAPI, index: int) -> tuple[list[ApiCall], int]:
    """The bot's ``sendMessage`` calls from call ``index`` on, and the next index.

    Cheap on purpose: the fake shares this process, and a busy parent would slow its
    answers and so the latencies measured."""
    calls = api.calls
    return [c for c in calls[index:] if c.method == "sendMessage"], len(calls)


def help_reply_at(api: FakeBotAPI, index: int) -> float | None:
    """When the fake received the bot's reply in the /help chat, if it has."""
    replies, _ = replies_since(api, index)
    return next((c.at for c in replies if c.params.get("chat_id") == HELP_CHAT), None)


async def help_latencies(api: FakeBotAPI, samples: int, pause: float) -> list[float]:
    latencies = []
    for _ in range(samples):
        index = len(api.calls)
        sent = time.monotonic()
        api.user_says(HELP_CHAT, "/help")

        answered = await api.wait_for(
            functools.partial(help_reply_at, api, index), 60, what="the /help reply"
        )
        latencies.append((answered - sent) * 1000)
        await asyncio.sleep(pause)
    return latencies


async def keep_in_flight(
    api: FakeBotAPI, pages: PageServer, chats: int, gap: float, done: list[int]
) -> None:
    """Each chat keeps one long article in flight: a new link ``gap`` seconds after its
    summary comes."""
    link_chats = range(FIRST_LINK_CHAT, FIRST_LINK_CHAT + chats)
    number = 0

    def send_link(chat: int) -> None:
        nonlocal number
        number += 1
        api.user_says(chat, pages.url_for(f"/long?n={number}"))

    index = len(api.calls)
    for chat in link_chats:
        send_link(chat)
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(0.02)
        replies, index = replies_since(api, index)
        for call in replies:
            if call.params.get("chat_id") in link_chats:
                done[0] += 1
                loop.call_later(gap, send_link, int(call.params["chat_id"]))


async def measure(
    api: FakeBotAPI, pages: PageServer, tmp: Path, args: argparse.Namespace, variant: str
) -> Row:
    load_before = os.getloadavg()[0]
    async with bot_process(api, tmp, variant):
        idle = await help_latencies(api, args.samples, args.help_pause)
        done = [0]
        links = asyncio.create_task(keep_in_flight(api, pages, args.in_flight, args.link_gap, done))
        calls_before, started = len(api.calls), time.monotonic()
        try:
            loaded = await help_latencies(api, args.samples, args.help_pause)
            calls = [c for c in api.calls[calls_before:] if c.method != "getUpdates"]
            api_rate = len(calls) / (time.monotonic() - started)
        finally:
            links.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await links
    load = (load_before + os.getloadavg()[0]) / 2
    return Row(VARIANTS[variant].label, idle, loaded, done[0], api_rate, load)


async def parent(args: argparse.Namespace) -> None:
    variants = [page for page in (article_page(ARTICLE_WORDS, seed) for seed in range(8))]

    async def long_read(request: web.Request) -> web.Response:
        page = variants[int(request.query.get("n", "0")) % len(variants)]
        return web.Response(body=page, content_type="text/html", charset="utf-8")

    rows = []
    with tempfile.TemporaryDirectory() as directory, PageServer() as pages:
        pages.add_route("/long", long_read)
        for variant in args.variants.split(","):
            with FakeBotAPI() as api:
                rows.append(await measure(api, pages, Path(directory), args, variant))
    cores = os.cpu_count()
    print(
        f"## /help latency, idle and with {args.in_flight} long ({ARTICLE_WORDS:,}-word) "
        f"articles in flight, the next link {args.link_gap:g} s after each summary, "
        f"/help {args.help_pause:g} s after its reply ({args.samples} samples each, "
        f"{cores} cores)\n"
    )
    print("| pool | load | p50 ms | p95 ms | max ms | summaries | Bot API req/s | machine load |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        for name, values, done, rate in (
            ("idle", row.idle, "–", "–"),
            (f"{args.in_flight} in flight", row.loaded, str(row.summaries), f"{row.api_rate:.1f}"),
        ):
            print(
                f"| {row.label} | {name} | {statistics.median(values):.0f} "
                f"| {percentile(values, 0.95):.0f} | {max(values):.0f} | {done} | {rate} "
                f"| {row.load:.1f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-flight", type=int, default=8, help="N, long articles in flight")
    parser.add_argument("--samples", type=int, default=150, help="/help requests per row")
    parser.add_argument(
        "--link-gap",
        type=float,
        default=0.0,
        help="seconds a chat waits after its summary before sending the next link",
    )
    parser.add_argument(
        "--help-pause",
        type=float,
        default=PAUSE,
        help="seconds the /help chat waits after a reply before its next /help",
    )
    parser.add_argument(
        "--variants", default="before,now,nice19,fifo", help=f"rows, of {', '.join(VARIANTS)}"
    )
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.exit(child(VARIANTS[args.child]))
    started = time.perf_counter()
    asyncio.run(parent(args))
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
