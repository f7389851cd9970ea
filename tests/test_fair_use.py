"""Fair use through the fake Bot API: a link flood from one chat is capped, told once, and
never stands in the way of another chat."""

from __future__ import annotations

import datetime as dt

from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.pageserver import PageServer

FLOODER = 3001
NEIGHBOUR = 3002
PAGE = "/boilerplate_missile_en.html"
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)


async def test_a_link_flood_is_capped_and_told_once_while_another_chat_is_served(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer
) -> None:
    settings = make_settings(fake_api, sqlite_url, links_per_chat_per_minute=20)
    # A clock that stands still: the whole flood falls in one minute however slow the machine.
    async with running_bot(settings, clock=lambda: NOW):
        for message in range(20):  # 60 links in one burst, three a message
            links = " ".join(page_server.url_for(f"{PAGE}?flood={message}-{n}") for n in range(3))
            fake_api.user_says(FLOODER, f"read these {links}")
        fake_api.user_says(NEIGHBOUR, "/help")
        fake_api.user_says(NEIGHBOUR, page_server.url_for(f"{PAGE}?neighbour=1"))
        neighbour = await fake_api.wait_for_messages(NEIGHBOUR, count=2, timeout=120)
        flood = await fake_api.wait_for_messages(FLOODER, count=21, timeout=120)

    assert any("/subscribe" in m.plain_text for m in neighbour), "the neighbour's /help"
    assert any(m.plain_text.startswith("North Korea fires") for m in neighbour)
    notices = [m for m in flood if "wait a minute" in m.plain_text]
    summaries = [m for m in flood if m.plain_text.startswith("North Korea fires")]
    assert len(notices) == 1 and len(summaries) == 20
    fetched = [r for r in page_server.requests if r.path == PAGE and "flood=" in r.query]
    assert len(fetched) == 20
    assert len(fake_api.sent_messages(FLOODER)) == 21, "nothing more arrives"


async def test_a_korean_reader_is_told_in_korean(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer
) -> None:
    settings = make_settings(fake_api, sqlite_url, links_per_chat_per_minute=2)
    async with running_bot(settings, clock=lambda: NOW):
        links = " ".join(page_server.url_for(f"{PAGE}?ko={n}") for n in range(3))
        fake_api.user_says(FLOODER, links, language_code="ko")
        replies = await fake_api.wait_for_messages(FLOODER, count=3, timeout=120)
    assert sum("1분쯤 기다려" in m.plain_text for m in replies) == 1
