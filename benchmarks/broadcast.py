"""Deliver one edition to N subscribers through the fake Bot API — once straight through,
then with the sender killed half-way and restarted — and count what arrived.

    python -m benchmarks.broadcast [--subscribers 10000] [--rate 100] [--database URL]
                                   [--paid] [--straight-only] [--instances 3]

The fake (``tests/support/fakebotapi``) runs in this process and, like Telegram, answers 429
with ``retry_after`` above R messages in any sliding second (with this process's garbage
collector paused: see :func:`collector_paused`). Every broadcast runs in a
child process: the real PTB Application with :func:`handlers.sender.make_rate_limiter` and
the :class:`~bot.delivery.dispatcher.Dispatcher`, on a fresh database — a temporary SQLite file, or
a temporary schema of the PostgreSQL database given with ``--database``.

Rows:

* **PTB stock limiter** (baseline) — ``AIORateLimiter(overall_max_rate=R)``: bursts;
* **ours** — ``make_rate_limiter(R)``;
* **SIGTERM / SIGKILL at 50 %** — the child is stopped when the fake has received half
  the messages, a new child runs on the same database, and (if claims were left open)
  a third child runs a tick ``claim_timeout`` later, which resolves them as unconfirmed.

Duplicates and lost are counted from what the fake received against the subscriber list.

``--paid`` sends as TELEGRAM_PAID_BROADCAST does (``allow_paid_broadcast``) with the fake
holding free messages to Telegram's 30 a second, so R up to 1,000 is reachable only as a
paid broadcast. ``--straight-only`` skips the stop-and-restart rows. With ``--database``,
a row with ``--instances`` senders running the fan-out at once on the one database: on
PostgreSQL each child paces by the shared schedule, as the bot does
(``handlers.app.share_send_schedule``), so together they must stay under R and send
each chat its edition once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import resource
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, Defaults

from benchmarks.scratch import postgres_schema
from bot.delivery.dispatcher import DeliveryPolicy, Dispatcher
from bot.delivery.pacing import SharedPacer
from bot.delivery.sender import OutgoingMessage
from bot.models import ALL_TOPICS, Subscriber
from bot.store import Database, SubscriberStore
from bot.store.deliveries import DeliveryStore
from bot.store.pacing import SendSchedule
from bot.store.schema import chats, topics_to_mask
from handlers.sender import PacedRateLimiter, TelegramSender, make_rate_limiter
from handlers.transport import AiohttpRequest
from tests.support.fakebotapi import FakeBotAPI

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parent.parent
FIRST_CHAT = 10_000_000


# ---------------------------------------------------------------------------- the child


async def compose(settings: Subscriber, scheduled: datetime) -> list[OutgoingMessage]:
    return [OutgoingMessage(f"<b>Peninsula Brief</b> — {scheduled:%Y-%m-%d}\nA stand-in briefing.")]


async def child(args: argparse.Namespace) -> None:
    """One sender process: deliver what is due, print the report as JSON."""
    database = Database(args.database)
    await database.open()
    limiter = (
        AIORateLimiter(overall_max_rate=args.rate, max_retries=3)
        if args.stock_limiter
        else make_rate_limiter(args.rate)
    )
    application = (
        ApplicationBuilder()
        .token(args.token)
        .base_url(f"{args.api}/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(limiter)
        .request(AiohttpRequest())  # the bot's wire (handlers.app)
        .build()
    )
    schedule = None
    if database.dialect == "postgresql" and not args.stock_limiter:
        # As the bot does (handlers.app.share_send_schedule): one schedule for every sender.
        assert isinstance(limiter, PacedRateLimiter)
        schedule = SendSchedule(database, "bot:benchmark")
        limiter.pace_with(SharedPacer(schedule, args.rate))
    try:
        async with application:
            dispatcher = Dispatcher(
                TelegramSender(application.bot, paid_broadcast=args.paid),
                SubscriberStore(database),
                DeliveryStore(database),
                compose,
                DeliveryPolicy(concurrency=args.concurrency),
            )
            stopping: list[asyncio.Task[None]] = []
            asyncio.get_running_loop().add_signal_handler(
                signal.SIGTERM, lambda: stopping.append(asyncio.create_task(dispatcher.stop()))
            )
            now = datetime.now(UTC) + timedelta(seconds=args.now_offset)
            cpu_before = time.process_time()
            report = await dispatcher.run_due(now)
            cpu = time.process_time() - cpu_before
            await asyncio.gather(*stopping)
    finally:
        if schedule is not None:
            await schedule.close()
        await database.close()
    values = asdict(report)
    values["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    values["cpu_s"] = cpu
    values["deactivated"] = {str(k): v for k, v in report.deactivated.items()}
    print(json.dumps(values), flush=True)


# ---------------------------------------------------------------------------- the parent


@dataclass
class Outcome:
    label: str
    received: int = 0
    before_stop: int = 0
    duplicates: int = 0
    lost: int = 0
    unconfirmed: int = 0
    rate_limit_hits: int = 0
    duration: float = 0.0
    """The senders' run (the first child's, for the stop-and-restart rows)."""
    rss_mb: float = 0.0
    """Peak resident memory of a sender process."""
    sender_cpu: float = 0.0
    """CPU seconds the senders spent delivering (user + system), all of them together."""
    fake_cpu: float = 0.0
    """CPU seconds of this process (the fake Bot API) while they did."""
    load: float = 0.0
    """The machine's 1-minute load average at the end: the weather the row ran in."""

    def cpu_per_message(self, seconds: float) -> float:
        """Milliseconds of CPU a message delivered: unlike the rate, barely moved by what
        else the machine runs, so it compares rows of different runs."""
        return 1000 * seconds / self.received if self.received else 0.0

    def rate(self) -> float:
        return self.received / self.duration if self.duration else 0.0


@contextlib.asynccontextmanager
async def fresh_database(base_url: str | None, tmp: Path) -> AsyncIterator[str]:
    """A URL to an empty, migrated database: a new SQLite file or PostgreSQL schema."""
    if base_url is None:
        url = f"sqlite:///{tmp / f'broadcast-{uuid.uuid4().hex[:8]}.db'}"
        yield url
        return
    async with postgres_schema(base_url, "bench_broadcast") as url:
        yield url


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause this process's cyclic garbage collector while the fake serves a broadcast.

    A full collection stops the fake's server thread for tens of milliseconds; it then
    timestamps the requests that queued meanwhile as arriving together and answers 429
    — an artifact of the harness, which Telegram's servers don't share.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def populate(url: str, count: int, scheduled: datetime) -> None:
    """``count`` private chats, subscribed, all due at ``scheduled`` (UTC)."""
    database = Database(url)
    await database.open()
    rows: list[dict[str, Any]] = [
        {
            "chat_id": FIRST_CHAT + index,
            "chat_type": "private",
            "title": "",
            "language": "en",
            "timezone": "UTC",
            "delivery_time": scheduled.time().replace(tzinfo=None),
            "topics": topics_to_mask(ALL_TOPICS),
            "summary_length": "standard",
            "subscribed": True,
            "next_delivery_at": scheduled,
            "created_at": scheduled,
            "updated_at": scheduled,
        }
        for index in range(count)
    ]
    try:
        async with database.transaction() as connection:
            await connection.execute(insert(chats), rows)
    finally:
        await database.close()


async def unconfirmed_rows(url: str) -> tuple[int, int]:
    """(rows still ``sending``, rows resolved as unconfirmed)."""
    database = Database(url)
    await database.open(migrate=False)
    try:
        counts = await DeliveryStore(database).count_by_status()
    finally:
        await database.close()
    return counts.get("sending", 0), counts.get("unconfirmed", 0)


def received_messages(fake: FakeBotAPI) -> int:
    calls = len(fake.calls_to("sendMessage"))
    return calls - sum(1 for error in fake.errors if error.method == "sendMessage")


async def start_child(
    fake: FakeBotAPI,
    url: str,
    rate: float,
    *,
    stock: bool = False,
    paid: bool = False,
    concurrency: int | None = None,
    now_offset: float = 0.0,
) -> asyncio.subprocess.Process:
    command = [
        sys.executable,
        str(SCRIPT),
        "--child",
        "--api",
        fake.url,
        "--token",
        fake.token,
        "--database",
        url,
        "--rate",
        str(rate),
        "--now-offset",
        str(now_offset),
    ]
    if stock:
        command.append("--stock-limiter")
    if paid:
        command.append("--paid")
    in_hand = concurrency or DeliveryPolicy.for_rate(rate).concurrency
    command += ["--concurrency", str(in_hand)]
    env = os.environ | {"PTB_TIMEDELTA": "true", "PYTHONPATH": str(ROOT)}
    return await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, env=env, cwd=ROOT
    )


async def report_of(process: asyncio.subprocess.Process) -> dict[str, Any] | None:
    """The child's report, or None if it was killed before printing one."""
    stdout, _ = await process.communicate()
    lines = stdout.decode().strip().splitlines()
    return json.loads(lines[-1]) if process.returncode == 0 and lines else None


async def scenario(
    args: argparse.Namespace,
    tmp: Path,
    label: str,
    *,
    stop: signal.Signals | None = None,
    stock: bool = False,
    senders: int = 1,
) -> Outcome:
    outcome = Outcome(label)
    scheduled = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    ids = range(FIRST_CHAT, FIRST_CHAT + args.subscribers)
    with FakeBotAPI() as fake, collector_paused():
        fake_cpu_before = time.process_time()
        for chat_id in ids:
            fake.add_chat(chat_id, "private")
        # Paid: free messages held to Telegram's 30 a second, paid ones to 1,000.
        fake.set_rate_limit(30 if args.paid else int(args.rate))
        async with fresh_database(args.database, tmp) as url:
            await populate(url, args.subscribers, scheduled)
            processes = [
                await start_child(
                    fake, url, args.rate, stock=stock, paid=args.paid, concurrency=args.concurrency
                )
                for _ in range(senders)
            ]
            process = processes[0]
            if stop is not None:
                while received_messages(fake) < args.subscribers // 2:
                    if process.returncode is not None:
                        raise RuntimeError("the sender finished before it could be stopped")
                    await asyncio.sleep(0.01)
                process.send_signal(stop)
            reports = [await report_of(one) for one in processes]
            outcome.duration = max((r["duration"] for r in reports if r), default=0.0)
            outcome.rss_mb = max((r["rss_mb"] for r in reports if r), default=0.0)
            outcome.sender_cpu = sum(r["cpu_s"] for r in reports if r)
            outcome.fake_cpu = time.process_time() - fake_cpu_before
            outcome.load = os.getloadavg()[0]
            outcome.before_stop = received_messages(fake)
            if stop is not None:
                await report_of(await start_child(fake, url, args.rate, paid=args.paid))
                if (await unconfirmed_rows(url))[0]:
                    # The tick after claim_timeout: the orphaned claims are resolved.
                    later = DeliveryPolicy().claim_timeout.total_seconds() + 60
                    await report_of(
                        await start_child(fake, url, args.rate, paid=args.paid, now_offset=later)
                    )
                outcome.unconfirmed = (await unconfirmed_rows(url))[1]
        counts = [len(fake.sent_messages(chat_id)) for chat_id in ids]
        outcome.received = sum(counts)
        outcome.duplicates = sum(count - 1 for count in counts if count > 1)
        outcome.lost = sum(1 for count in counts if count == 0)
        outcome.rate_limit_hits = fake.rate_limit_hits
    return outcome


async def parent(args: argparse.Namespace) -> None:
    backend = "PostgreSQL" if args.database else "SQLite"
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        straight = [
            await scenario(args, tmp, "PTB stock AIORateLimiter(R)", stock=True),
            await scenario(args, tmp, "ours: make_rate_limiter(R)"),
        ]
        if args.database and args.instances > 1:
            straight.append(
                await scenario(
                    args,
                    tmp,
                    f"ours, {args.instances} senders racing for the same chats on one database "
                    "(stress: in the bot each instance sends the chats it reserved)",
                    senders=args.instances,
                )
            )
        stopped = (
            []
            if args.straight_only
            else [
                await scenario(args, tmp, "SIGTERM (graceful)", stop=signal.SIGTERM),
                await scenario(args, tmp, "SIGKILL (hard)", stop=signal.SIGKILL),
            ]
        )
    n, rate = args.subscribers, args.rate
    paid = ", paid broadcast (free messages held to 30/s)" if args.paid else ""
    in_hand = args.concurrency or DeliveryPolicy.for_rate(rate).concurrency
    paid += f", {in_hand} chats in hand"
    print(f"## Broadcast: {n:,} subscribers, 1 message each, R = {rate:g} msg/s, {backend}{paid}\n")
    print(
        "| limiter | received | duration | rate | rate ÷ R | 429s | duplicates | lost "
        "| peak RSS per sender | sender CPU ms/message | fake CPU ms/message | load |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for o in straight:
        print(
            f"| {o.label} | {o.received:,} | {o.duration:.1f} s | {o.rate():.1f}/s "
            f"| {o.rate() / rate:.3f} | {o.rate_limit_hits} | {o.duplicates} | {o.lost} "
            f"| {o.rss_mb:.0f} MB | {o.cpu_per_message(o.sender_cpu):.2f} "
            f"| {o.cpu_per_message(o.fake_cpu):.2f} | {o.load:.1f} |"
        )
    if not stopped:
        return
    print(f"\n### Stopped at 50 % and restarted ({in_hand} chats in hand)\n")
    print("| stop | received before restart | received | duplicates | lost | unconfirmed | 429s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for o in stopped:
        print(
            f"| {o.label} | {o.before_stop:,} | {o.received:,} | {o.duplicates} | {o.lost} "
            f"| {o.unconfirmed} | {o.rate_limit_hits} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=100.0, help="R, messages per second")
    parser.add_argument("--database", help="a PostgreSQL URL (default: a temporary SQLite)")
    parser.add_argument(
        "--paid", action="store_true", help="send as paid broadcasts (R up to 1000)"
    )
    parser.add_argument(
        "--straight-only", action="store_true", help="skip the stop-and-restart rows"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="the dispatcher's chats in hand (default: the bot's for R, DeliveryPolicy.for_rate)",
    )
    parser.add_argument(
        "--instances",
        type=int,
        default=3,
        help="with --database: a row with this many sender processes at once",
    )
    child_options = parser.add_argument_group("child process (internal)")
    child_options.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    child_options.add_argument("--api", help=argparse.SUPPRESS)
    child_options.add_argument("--token", help=argparse.SUPPRESS)
    child_options.add_argument("--now-offset", type=float, default=0.0, help=argparse.SUPPRESS)
    child_options.add_argument("--stock-limiter", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    started = time.perf_counter()
    asyncio.run(child(args) if args.child else parent(args))
    if not args.child:
        print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
