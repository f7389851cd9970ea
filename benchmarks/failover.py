"""Several ``briefbot run`` instances on one PostgreSQL database, in webhook mode, act as
one bot: deliver one edition to N subscribers while readers chat, kill the lease holder
half-way, and count what arrived.

    python -m benchmarks.failover [--subscribers 10000] [--rate 25] [--instances 3]
                                  [--database URL] [--no-kill] [--chatter 3] [--settle 65]
                                  [--paid]

The fake Bot API (``tests/support/fakebotapi``) runs in this process, answers 429 above R
messages in any sliding second (this process's garbage collector paused, as in
:mod:`benchmarks.broadcast`), and forwards webhook updates round-robin to the instances.
Each instance is the real command (``python -m bot run``) in a child process with
WEBHOOK_URL, LEASE_SECONDS, TELEGRAM_MAX_MESSAGES_PER_SECOND = R and the test feed list
(one local feed without items: every chat gets the "no news" edition), on a fresh schema of
``--database`` holding N subscribed chats, all due.

While the edition goes out, readers send ``/help`` from new chats (``--chatter`` a second),
so every instance serves. Unless ``--no-kill``, the instance named in the ``leases`` row is
sent SIGKILL once the fake has received half the briefings; another takes the lease over.
Every instance sends its share of the edition, so the others carry on meanwhile; the chats
the killed one had reserved but not claimed go to them once its reservations run out (a
lease period), or at their next delivery tick (once a minute) if they finished first.

Reported: rate ÷ R of the whole bot (briefings and replies the fake accepted, over the
fan-out from first to last briefing; "sending" leaves out the takeover gap), 429s, chats
with more than one briefing, chats with none (and of those, how many have a ``sending``
delivery row: a claim the killed instance left, resolved as unconfirmed after
``claim_timeout``), the takeover (kill → new lease holder, kill → its first briefing), and
per instance the updates it accepted (webhook POSTs answered 200) and counted (its
``/metrics``), its 429s and its peak RSS. The run ends when every chat has a briefing or a
stuck claim, plus ``--settle`` seconds (a later delivery tick would show any re-send).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from benchmarks.broadcast import FIRST_CHAT, collector_paused, fresh_database, populate
from bot.delivery.dispatcher import DeliveryPolicy
from bot.store import Database
from bot.store.deliveries import DeliveryStatus, DeliveryStore
from bot.store.leases import JOBS
from bot.store.schema import deliveries, leases
from tests.support.fakebotapi import FakeBotAPI
from tests.support.paths import FIXTURES
from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
FEEDS = FIXTURES / "bot" / "feeds.toml"
FIRST_READER = 30_000_000
"""Chats that send /help: apart from the subscribers'."""
WEBHOOK_URL = "https://bot.example.test/hook"
SECRET = "failover-benchmark-secret"
LEASE_SECONDS = 6
"""Short, so the takeover comes within two periods (12 s) of the last renewal."""
STARTUP_SECONDS = 180.0
POLL = 0.1


@dataclass
class Instance:
    index: int
    process: asyncio.subprocess.Process
    webhook_port: int
    health_port: int
    log: Path
    killed: bool = False
    took_over: bool = False
    accepted: int = 0
    """Webhook POSTs it answered 200 (the fake's record)."""
    peak_rss_mib: float = 0.0
    updates: float = 0.0
    """Updates counted by its /metrics (after de-duplication)."""
    rate_limited: float = 0.0
    """429s its rate limiter saw (its /metrics)."""

    @property
    def backend(self) -> str:
        return f"http://127.0.0.1:{self.webhook_port}"

    @property
    def pid(self) -> int:
        return self.process.pid


TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class CpuSample:
    """CPU seconds used so far: the whole machine (busy, all cores), the bot instances, this
    process (the fake Bot API's thread and the benchmark) and PostgreSQL's processes.
    At R = 1,000 the fan-out is bound by the machine's CPU; the split says whose."""

    machine: float
    cores: int
    bots: float
    here: float
    postgres: float

    @classmethod
    def now(cls, bot_pids: list[int]) -> CpuSample:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(x) for x in fields]
        busy = sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait
        times = os.times()
        return cls(
            machine=busy / TICK,
            cores=os.cpu_count() or 1,
            bots=sum(_process_cpu(pid) for pid in bot_pids),
            here=times.user + times.system,
            postgres=sum(
                _process_cpu(int(entry.name))
                for entry in Path("/proc").iterdir()
                if entry.name.isdigit() and _command(int(entry.name)) == "postgres"
            ),
        )


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of a process and its waited-for children (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / TICK


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


@dataclass
class Outcome:
    label: str
    briefings: int = 0
    replies: int = 0
    readers: int = 0
    unanswered: int = 0
    unanswered_at: list[str] = field(default_factory=list)
    """The backend that answered 200 to each unanswered /help."""
    duplicates: int = 0
    lost: int = 0
    lost_claimed: int = 0
    """Lost chats with a ``sending`` (or unconfirmed) delivery row."""
    statuses: dict[str, int] = field(default_factory=dict)
    rate_limit_hits: int = 0
    window: float = 0.0
    gap: float = 0.0
    """Kill → first briefing after the takeover (0 without a kill)."""
    lease_takeover: float | None = None
    messages_in_window: int = 0
    messages_in_gap: int = 0
    timed_out: bool = False
    instances: list[Instance] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    """The machine's 1-minute load average as the fan-out starts and ends: others' work
    on a shared machine is in every number."""
    cpu: list[CpuSample] = field(default_factory=list)
    """CPU time used so far, as the fan-out starts and ends."""

    def rate(self, *, sending: bool) -> float:
        if sending:
            seconds = self.window - self.gap
            messages = self.messages_in_window - self.messages_in_gap
        else:
            seconds, messages = self.window, self.messages_in_window
        return messages / seconds if seconds > 0 else 0.0


# ---------------------------------------------------------------------------- instances


async def start_instance(
    fake: FakeBotAPI, url: str, tmp: Path, index: int, rate: float, *, paid: bool = False
) -> Instance:
    webhook_port, health_port = free_port(), free_port()
    data = tmp / f"instance-{index}"
    data.mkdir()
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.url,
        "DATABASE_URL": url,
        "WEBHOOK_URL": WEBHOOK_URL,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(webhook_port),
        "WEBHOOK_SECRET": SECRET,
        "HEALTH_PORT": str(health_port),
        "HEALTH_LISTEN": "127.0.0.1",
        "LEASE_SECONDS": str(LEASE_SECONDS),
        "TELEGRAM_MAX_MESSAGES_PER_SECOND": f"{rate:g}",
        "TELEGRAM_PAID_BROADCAST": "true" if paid else "false",
        "BRIEFBOT_FEEDS": str(FEEDS),
        # Summaries are not under test: one worker each keeps six idle processes off 2 cores.
        "WORKER_PROCESSES": "1",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    log = tmp / f"instance-{index}.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            *[sys.executable, "-m", "bot", "--env-file", os.devnull, "run"],
            cwd=data,
            env=env,
            stdout=output,
            stderr=asyncio.subprocess.STDOUT,
        )
    return Instance(index, process, webhook_port, health_port, log)


async def ready(client: httpx.AsyncClient, instance: Instance) -> bool:
    """/readyz says yes and the webhook server takes connections."""
    with contextlib.suppress(httpx.HTTPError):
        answer = await client.get(f"http://127.0.0.1:{instance.health_port}/readyz")
        if answer.status_code == 200:
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", instance.webhook_port)
                writer.close()
                return True
    return False


async def wait_ready(client: httpx.AsyncClient, instances: list[Instance]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    waiting = list(instances)
    while waiting:
        for instance in list(waiting):
            if instance.process.returncode is not None:
                raise RuntimeError(f"instance {instance.index} exited:\n{tail(instance.log)}")
            if await ready(client, instance):
                waiting.remove(instance)
        if time.monotonic() > deadline:
            raise RuntimeError(f"instances {[i.index for i in waiting]} not ready in time")
        await asyncio.sleep(POLL)


async def observe(client: httpx.AsyncClient, instance: Instance) -> None:
    """Its peak RSS and its /metrics counters, while it still runs."""
    instance.peak_rss_mib = peak_rss_mib(instance.pid) or instance.peak_rss_mib
    with contextlib.suppress(httpx.HTTPError):
        answer = await client.get(f"http://127.0.0.1:{instance.health_port}/metrics")
        for family in text_string_to_metric_families(answer.text):
            total = sum(s.value for s in family.samples if s.name.endswith("_total"))
            if family.name == "briefbot_updates":
                instance.updates = total
            elif family.name == "briefbot_telegram_429":
                instance.rate_limited = total


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (Linux: VmHWM), 0 if it cannot be read."""
    with contextlib.suppress(OSError, StopIteration):
        status = Path(f"/proc/{pid}/status").read_text()
        kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        return int(kib) / 1024
    return 0.0


def tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@contextlib.asynccontextmanager
async def running(
    fake: FakeBotAPI, url: str, tmp: Path, args: argparse.Namespace
) -> AsyncIterator[list[Instance]]:
    instances: list[Instance] = []
    try:
        for index in range(args.instances):
            instances.append(await start_instance(fake, url, tmp, index, args.rate, paid=args.paid))
        fake.route_webhook(*(instance.backend for instance in instances))
        yield instances
    finally:
        for instance in instances:
            if instance.process.returncode is None:
                instance.process.send_signal(signal.SIGTERM)
        for instance in instances:
            try:
                await asyncio.wait_for(instance.process.wait(), 60)
            except TimeoutError:
                instance.process.kill()
                await instance.process.wait()


# ---------------------------------------------------------------------------- the database


async def lease_holder(database: Database) -> tuple[int, datetime] | None:
    """(pid, renewed_at) of the unexpired jobs lease's holder (``host:pid:suffix``)."""
    async with database.reading() as connection:
        row = (
            await connection.execute(
                select(leases.c.holder, leases.c.renewed_at).where(
                    leases.c.name == JOBS, leases.c.expires_at > datetime.now(UTC)
                )
            )
        ).first()
    if row is None:
        return None
    return int(str(row.holder).rsplit(":", 2)[1]), row.renewed_at


async def claimed(database: Database) -> set[int]:
    """Chats whose delivery row is ``sending`` or resolved unconfirmed (sent, no sent_at)."""
    stuck = (deliveries.c.status == DeliveryStatus.SENDING) | (
        (deliveries.c.status == DeliveryStatus.SENT) & deliveries.c.sent_at.is_(None)
    )
    async with database.reading() as connection:
        rows = await connection.execute(select(deliveries.c.chat_id).where(stuck))
        return {int(chat_id) for (chat_id,) in rows}


# ---------------------------------------------------------------------------- the run


class Briefings:
    """Which subscribers the fake has had a sendMessage for so far (read incrementally)."""

    def __init__(self, fake: FakeBotAPI, subscribers: int) -> None:
        self._fake = fake
        self._seen = 0
        self.ids = range(FIRST_CHAT, FIRST_CHAT + subscribers)
        self.chats: set[int] = set()

    def update(self) -> int:
        # Only the new calls are filtered: this process's time is the fake's (one GIL).
        calls = self._fake.calls
        for call in calls[self._seen :]:
            chat_id = call.params.get("chat_id")
            if call.method == "sendMessage" and isinstance(chat_id, int) and chat_id in self.ids:
                self.chats.add(chat_id)
        self._seen = len(calls)
        return len(self.chats)


async def chatter(fake: FakeBotAPI, per_second: float, readers: list[tuple[int, int]]) -> None:
    """Readers' /help, each from a new chat, ``per_second`` (until cancelled); ``readers``
    gets (chat id, update id) of each."""
    if per_second <= 0:
        return
    started = time.monotonic()
    while True:
        chat_id = FIRST_READER + len(readers)
        update = fake.user_says(chat_id, "/help")
        readers.append((chat_id, int(update["update_id"])))
        await asyncio.sleep(max(0.0, started + len(readers) / per_second - time.monotonic()))


async def scenario(args: argparse.Namespace, tmp: Path, *, kill: bool) -> Outcome:
    outcome = Outcome("kill -9 the lease holder at 50 %" if kill else "no kill")
    scheduled = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    n = args.subscribers
    readers: list[tuple[int, int]] = []
    with FakeBotAPI() as fake, collector_paused():
        for chat_id in range(FIRST_CHAT, FIRST_CHAT + n):
            fake.add_chat(chat_id, "private")
        # Paid: free messages (the replies) held to Telegram's 30 a second, paid ones to R.
        fake.set_rate_limit(30 if args.paid else int(args.rate))
        briefings = Briefings(fake, n)
        async with (
            fresh_database(args.database, tmp) as url,
            httpx.AsyncClient(timeout=5) as client,
        ):
            await populate(url, n, scheduled)
            database = Database(url)
            await database.open(migrate=False)
            try:
                async with running(fake, url, tmp, args) as instances:
                    outcome.instances = instances
                    await wait_ready(client, instances)
                    outcome.load.append(os.getloadavg()[0])
                    pids = [instance.pid for instance in instances]
                    outcome.cpu.append(CpuSample.now(pids))
                    talking = asyncio.create_task(chatter(fake, args.chatter, readers))
                    try:
                        kill_at = await fan_out(
                            args, fake, database, client, briefings, kill, outcome
                        )
                    finally:
                        outcome.load.append(os.getloadavg()[0])
                        outcome.cpu.append(CpuSample.now(pids))
                        talking.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await talking
                    await asyncio.sleep(args.settle)
                    for instance in instances:
                        if not instance.killed:
                            await observe(client, instance)
                stuck = await claimed(database)
                outcome.statuses = await DeliveryStore(database).count_by_status()
            finally:
                await database.close()
        tally(fake, outcome, briefings, readers, stuck, kill_at)
    return outcome


async def fan_out(
    args: argparse.Namespace,
    fake: FakeBotAPI,
    database: Database,
    client: httpx.AsyncClient,
    briefings: Briefings,
    kill: bool,
    outcome: Outcome,
) -> tuple[float, datetime] | None:
    """Wait for the edition to go out (killing the holder half-way); return when and at
    what wall-clock time the kill was, if there was one."""
    n = args.subscribers
    deadline = time.monotonic() + STARTUP_SECONDS + 3 * n / args.rate + 180
    kill_at: tuple[float, datetime] | None = None
    killed_pid = 0
    last_check = 0.0
    while time.monotonic() < deadline:
        received = briefings.update()
        if kill and kill_at is None and received >= n // 2:
            holder = await lease_holder(database)
            victim = next((i for i in outcome.instances if holder and i.pid == holder[0]), None)
            if victim is None:
                raise RuntimeError(f"no running instance holds the lease: {holder}")
            await observe(client, victim)
            victim.process.send_signal(signal.SIGKILL)
            kill_at = (time.monotonic(), datetime.now(UTC))
            victim.killed, killed_pid = True, victim.pid
        if kill_at is not None and outcome.lease_takeover is None:
            holder = await lease_holder(database)
            if holder is not None and holder[0] != killed_pid:
                outcome.lease_takeover = (holder[1] - kill_at[1]).total_seconds()
                for instance in outcome.instances:
                    instance.took_over = instance.pid == holder[0]
        if received == n:
            return kill_at
        if time.monotonic() - last_check > 1.0:  # chats with a stuck claim won't arrive
            last_check = time.monotonic()
            if outcome.lease_takeover is not None or not kill:
                stuck = await claimed(database) - briefings.chats
                if received + len(stuck) == n:
                    return kill_at
        await asyncio.sleep(POLL)
    outcome.timed_out = True
    return kill_at


def tally(
    fake: FakeBotAPI,
    outcome: Outcome,
    briefings: Briefings,
    readers: list[tuple[int, int]],
    stuck: set[int],
    kill_at: tuple[float, datetime] | None,
) -> None:
    counts = {chat_id: len(fake.sent_messages(chat_id)) for chat_id in briefings.ids}
    outcome.briefings = sum(counts.values())
    outcome.duplicates = sum(1 for count in counts.values() if count > 1)
    lost = {chat_id for chat_id, count in counts.items() if count == 0}
    outcome.lost, outcome.lost_claimed = len(lost), len(lost & stuck)
    answered = {update_id: len(fake.sent_messages(chat_id)) for chat_id, update_id in readers}
    outcome.readers, outcome.replies = len(readers), sum(answered.values())
    outcome.unanswered = sum(1 for count in answered.values() if count == 0)
    for delivery in fake.deliveries:
        if delivery.status == 200 and answered.get(delivery.update_id) == 0:
            outcome.unanswered_at.append(delivery.backend)
    outcome.rate_limit_hits = fake.rate_limit_hits
    calls = fake.calls_to("sendMessage")
    rejected = sum(1 for error in fake.errors if error.method == "sendMessage")
    times = [call.at for call in calls if call.params.get("chat_id") in briefings.ids]
    if not times:
        return
    first, last = min(times), max(times)
    outcome.window = last - first
    # Accepted messages ≈ calls − 429s (the fake does not time its refusals).
    outcome.messages_in_window = sum(1 for c in calls if first <= c.at <= last) - rejected
    if kill_at is not None and outcome.lease_takeover is not None:
        took_over = kill_at[0] + outcome.lease_takeover
        after = [at for at in times if at >= took_over]
        if after:
            outcome.gap = min(after) - kill_at[0]
            resumed = kill_at[0] + outcome.gap
            outcome.messages_in_gap = sum(1 for c in calls if kill_at[0] <= c.at < resumed)
    for instance in outcome.instances:
        instance.accepted = sum(
            1 for d in fake.deliveries if d.backend == instance.backend and d.status == 200
        )


# ---------------------------------------------------------------------------- the table


def print_tables(args: argparse.Namespace, outcome: Outcome) -> None:
    n, rate, o = args.subscribers, args.rate, outcome
    print(
        f"## Failover: {args.instances} instances, webhook, PostgreSQL, {n:,} subscribers, "
        f"R = {rate:g} msg/s{', paid broadcast' if args.paid else ''}, /help {args.chatter:g}/s, "
        f"lease {LEASE_SECONDS} s, concurrency {DeliveryPolicy.for_rate(rate).concurrency}\n"
    )
    print(
        "| run | briefings | replies (unanswered) | fan-out | takeover: lease / first briefing "
        "| rate ÷ R (sending) | rate ÷ R (overall) | 429s | duplicates | lost (claimed) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    takeover = f"{o.lease_takeover:.1f} s / {o.gap:.1f} s" if o.lease_takeover is not None else "—"
    late = " (timed out)" if o.timed_out else ""
    print(
        f"| {o.label}{late} | {o.briefings:,} | {o.replies} of {o.readers} ({o.unanswered}) "
        f"| {o.window:.1f} s | {takeover} | {o.rate(sending=True) / rate:.3f} "
        f"| {o.rate(sending=False) / rate:.3f} | {o.rate_limit_hits} | {o.duplicates} "
        f"| {o.lost} ({o.lost_claimed}) |"
    )
    statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(o.statuses.items()))
    print(f"\nDelivery rows: {statuses}.")
    print(f"Load average (1 min) at the start and end: {' / '.join(f'{x:.1f}' for x in o.load)}.")
    if len(o.cpu) == 2 and o.messages_in_window and not any(i.killed for i in o.instances):
        start, end = o.cpu
        seconds = o.window
        used = {
            "bot instances": end.bots - start.bots,
            "fake Bot API and this benchmark": end.here - start.here,
            "PostgreSQL": end.postgres - start.postgres,
        }
        used["everything else"] = max(0.0, end.machine - start.machine - sum(used.values()))
        total = end.machine - start.machine
        print(
            f"CPU during the fan-out ({seconds:.0f} s): the machine was busy "
            f"{total / seconds:.2f} of {end.cores} cores; per message: "
            + ", ".join(
                f"{name} {1000 * cpu / o.messages_in_window:.2f} ms" for name, cpu in used.items()
            )
            + f"; {1000 * total / o.messages_in_window:.2f} ms in all."
        )
    if o.unanswered:
        where = {i.backend: i.index for i in o.instances}
        takers = ", ".join(str(where.get(backend, backend)) for backend in o.unanswered_at)
        print(f"Unanswered /help: {o.unanswered}; accepted (200) by instance {takers or '—'}.")
    print()
    print("| instance | role | updates accepted (200) | updates counted | 429s seen | peak RSS |")
    print("|---|---|---:|---:|---:|---:|")
    for i in o.instances:
        role = "killed (held the lease)" if i.killed else "took over" if i.took_over else ""
        print(
            f"| {i.index} | {role} | {i.accepted} | {i.updates:.0f} "
            f"| {i.rate_limited:.0f} | {i.peak_rss_mib:.0f} MiB |"
        )


async def parent(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as directory:
        outcome = await scenario(args, Path(directory), kill=not args.no_kill)
    print_tables(args, outcome)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0, help="R, messages per second")
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument(
        "--database",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="PostgreSQL URL (a temporary schema is made in it)",
    )
    parser.add_argument("--no-kill", action="store_true", help="the straight run, no kill")
    parser.add_argument(
        "--paid", action="store_true", help="TELEGRAM_PAID_BROADCAST (R up to 1,000)"
    )
    parser.add_argument("--chatter", type=float, default=3.0, help="/help a second (0: none)")
    parser.add_argument(
        "--settle", type=float, default=65.0, help="seconds to wait after the fan-out"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    asyncio.run(parent(args))
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
