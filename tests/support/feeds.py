"""News feeds served by the local page server, listed for a bot under test."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from handlers.context import BotApplication
from tests.support.pageserver import PageServer

Item = tuple[str, str, str]
"""``(slug, title, lede)``: the item's link is ``https://<outlet>.example/<slug>``."""


def rss(outlet: str, items: Sequence[Item], now: dt.datetime) -> bytes:
    """An RSS feed of ``items``, the newest first, an hour apart."""
    entries = "".join(
        f"<item><title>{escape(title)}</title>"
        f"<link>https://{outlet}.example/{slug}</link>"
        f"<pubDate>{format_datetime(now - dt.timedelta(hours=n + 1))}</pubDate>"
        f"<description>{escape(lede)}</description></item>"
        for n, (slug, title, lede) in enumerate(items)
    )
    channel = f"<title>{outlet}</title><link>https://{outlet}.example/</link>{entries}"
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}</channel></rss>'.encode()


@dataclass(frozen=True)
class Feed:
    """One outlet's feed and its entry in the feed list."""

    outlet: str
    """The host stem of the items' links, and the feed file's name."""
    name: str
    items: Sequence[Item]
    language: str = "en"
    provenance: str = "wire"
    source: str | None = None
    topical: bool = False


def serve_feeds(server: PageServer, tmp_path: Path, *feeds: Feed) -> Path:
    """Serve each feed (items published in the hours before now) and write the feed list
    that names them; returns the list's path, for ``BRIEFBOT_FEEDS``."""
    prefix = f"/feeds-{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    entries = []
    for feed in feeds:
        path = f"{prefix}/{feed.outlet}.xml"
        server.add_page(path, rss(feed.outlet, feed.items, now), "application/rss+xml")
        entry = (
            f'[[feeds]]\nname = "{feed.name}"\nurl = "{server.url_for(path)}"\n'
            f'language = "{feed.language}"\nprovenance = "{feed.provenance}"\n'
        )
        if feed.source is not None:
            entry += f'source = "{feed.source}"\n'
        if feed.topical:
            entry += "topical = true\n"
        entries.append(entry)
    listing = tmp_path / "feeds.toml"
    listing.write_text("\n".join(entries), encoding="utf-8")
    return listing


async def first_poll_done(application: BotApplication) -> bool:
    """Whether the bot has polled its feeds once (for ``eventually``)."""
    services = application.bot_data.services
    return services is not None and services.last_poll is not None
