"""Another chat's experience while a stranger attacks: the real bot, the fake Bot API, a
local page server, and three loads — none (the baseline, same run), four links to pages
labelled ``charset=punycode`` (640 KB each), and a burst of 60 links from one chat.

    python -m benchmarks.hostile [--repeats 5]

For each load it reports, for a second chat: ``/help`` latency (median and max of
``--repeats``), the time to its own article's summary, and for the attacking chat how
many links were fetched and how many "please wait" notices it got. A last table times
decoding one such page with Python's ``punycode`` codec (what the bot did before it
accepted only WHATWG labels) against the bot's ``decode_document``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path

from bot.articles.charset import decode_document
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.pageserver import PageServer
from tests.support.paths import PAGES

ATTACKER = 9001
NEIGHBOUR = 9002
ARTICLE = "/boilerplate_missile_en.html"
PUNYCODE_BYTES = 640_000


def punycode_page() -> bytes:
    """A page Python's punycode codec takes quadratic time over: one hyphen, then a long
    run of letters (the codec reads everything after the last hyphen as insertions)."""
    run = b"ab" * (PUNYCODE_BYTES // 2)
    return b"<html><head><title>Launch</title></head><body><p>-" + run + b"</p></body></html>"


async def neighbour_round(
    api: FakeBotAPI, server: PageServer, tag: str, repeats: int
) -> dict[str, float]:
    helps = []
    for _ in range(repeats):
        before = len(api.sent_messages(NEIGHBOUR))
        started = time.perf_counter()
        api.user_says(NEIGHBOUR, "/help")
        await api.wait_for_messages(NEIGHBOUR, count=before + 1, timeout=120)
        helps.append(time.perf_counter() - started)
    before = len(api.sent_messages(NEIGHBOUR))
    started = time.perf_counter()
    api.user_says(NEIGHBOUR, server.url_for(f"{ARTICLE}?neighbour={tag}"))
    await api.wait_for_messages(NEIGHBOUR, count=before + 1, timeout=120)
    article = time.perf_counter() - started
    return {"help_p50": statistics.median(helps), "help_max": max(helps), "article": article}


async def scenario(name: str, repeats: int, server: PageServer) -> dict[str, object]:
    with FakeBotAPI() as api, tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(
            api, f"sqlite:///{Path(tmp) / 'bench.db'}", log_level="WARNING", worker_processes=0
        )
        async with running_bot(settings):
            # Warm the worker pool, as a bot that has been running a while would be.
            api.user_says(NEIGHBOUR, server.url_for(f"{ARTICLE}?warm={name}"))
            await api.wait_for_messages(NEIGHBOUR, count=1, timeout=120)
            expected = 0
            if name == "punycode":
                links = [server.url_for(f"/punycode?n={n}") for n in range(4)]
                api.user_says(ATTACKER, " ".join(links[:3]))
                api.user_says(ATTACKER, links[3])
                expected = 4
            elif name == "flood":
                for m in range(20):
                    links = [server.url_for(f"{ARTICLE}?flood={m}-{n}") for n in range(3)]
                    api.user_says(ATTACKER, " ".join(links))
                expected = 21
            result = await neighbour_round(api, server, name, repeats)
            if expected:
                await api.wait_for_messages(ATTACKER, count=expected, timeout=300)
            sent = api.sent_messages(ATTACKER)
    fetched = sum(
        1
        for r in server.requests
        if (r.path == "/punycode" and name == "punycode")
        or (r.path == ARTICLE and "flood=" in r.query and name == "flood")
    )
    notices = sum("wait a minute" in m.plain_text for m in sent)
    return {"name": name, **result, "fetched": fetched, "notices": notices}


def codec_table() -> list[str]:
    page = punycode_page()[: PUNYCODE_BYTES // 4]
    started = time.perf_counter()
    with contextlib.suppress(UnicodeError):
        page.decode("punycode")
    python_codec = time.perf_counter() - started
    started = time.perf_counter()
    decode_document(page, "punycode", "text/html")
    ours = time.perf_counter() - started
    return [
        "| 160 KB page labelled punycode | seconds |",
        "|---|---:|",
        f"| Python's punycode codec (before) | {python_codec:.2f} |",
        f"| `decode_document` (WHATWG labels only) | {ours:.3f} |",
    ]


async def run(repeats: int) -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    with PageServer(PAGES) as server:
        server.add_page("/punycode", punycode_page(), "text/html", charset="punycode")
        rows = [await scenario(name, repeats, server) for name in ("quiet", "punycode", "flood")]
    print(f"Another chat's experience (median of {repeats} /help; one article), 2-worker pool")
    print()
    print(
        "| load on the bot | /help p50 s | /help max s | article s "
        "| attacker links fetched | notices |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    labels = {
        "quiet": "none (baseline)",
        "punycode": "4 links to 640 KB punycode pages",
        "flood": "60 links in one burst from one chat",
    }
    for row in rows:
        print(
            f"| {labels[str(row['name'])]} | {row['help_p50']:.3f} | {row['help_max']:.3f} "
            f"| {row['article']:.2f} | {row['fetched']} | {row['notices']} |"
        )
    print()
    print("\n".join(codec_table()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.repeats))


if __name__ == "__main__":
    main()
