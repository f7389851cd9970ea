"""Links as people send them: Telegram's entities, several links in order, broken links."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI, SentMessage, entity_for, utf16_len
from tests.support.pageserver import PageServer
from tests.support.paths import PAGES

ALICE = 1001
GROUP = -100777
MISSILE_TITLE = "North Korea fires ballistic missile"
YONHAP_TITLE = "N. Korea slams S. Korea"


def bare(page_server: PageServer, path: str) -> str:
    """A page's address as people often type it: no scheme (``127.0.0.1:PORT/path``)."""
    return page_server.url_for(path).removeprefix("http://")


def quote_of(reply: SentMessage) -> str | None:
    return reply.quote["text"] if reply.quote else None


async def test_a_link_without_a_scheme_marked_by_telegram_is_summarized(
    bot: FakeBotAPI, page_server: PageServer, caplog: pytest.LogCaptureFixture
) -> None:
    """https:// first; the loopback server speaks only http, so the TLS handshake fails and
    the same address is fetched over http://."""
    caplog.set_level(logging.INFO, logger="bot.articles.service")
    link = bare(page_server, "/boilerplate_missile_en.html")
    text = f"worth reading {link} today"
    sent = bot.user_says(ALICE, text, entities=[entity_for(text, link)])
    [reply] = await bot.wait_for_messages(ALICE)
    assert reply.plain_text.startswith(MISSILE_TITLE)
    assert f'href="http://{link}"' in reply.text
    assert reply.reply_to_message_id == sent["message"]["message_id"]
    assert quote_of(reply) == link
    assert any("trying http" in r.getMessage() for r in caplog.records)


async def test_words_that_hide_a_link_are_summarized_and_quoted(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    text = "어제 나온 이 기사 한번 보세요"
    url = page_server.url_for("/newspaper4k_yna_co_kr.html")
    bot.user_says(
        ALICE,
        text,
        entities=[entity_for(text, "이 기사", "text_link", url=url)],
        language_code="ko",
    )
    [reply] = await bot.wait_for_messages(ALICE)
    assert reply.plain_text.startswith(YONHAP_TITLE)
    assert quote_of(reply) == "이 기사"


async def test_a_link_after_korean_and_emoji_is_found_at_its_utf16_offset(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    """Emoji outside the BMP count twice in Telegram's offsets: a Python index would cut
    the link short or quote the wrong text."""
    link = bare(page_server, "/newspaper4k_yna_co_kr.html")
    text = f"북한 관련 기사 👀🇰🇷 {link} 읽어 보셨나요?"
    entity = entity_for(text, link)
    assert entity["offset"] > text.index(link)  # the emoji really are counted twice
    bot.user_says(ALICE, text, entities=[entity], language_code="ko")
    [reply] = await bot.wait_for_messages(ALICE)
    assert reply.plain_text.startswith(YONHAP_TITLE)
    assert reply.quote == {"text": link, "position": entity["offset"], "is_manual": True}


async def test_a_photo_caption_with_a_link_is_summarized(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    url = page_server.url_for("/boilerplate_missile_en.html")
    bot.user_sends_photo(ALICE, f"📸 from {url}")
    [reply] = await bot.wait_for_messages(ALICE)
    assert reply.plain_text.startswith(MISSILE_TITLE)
    assert quote_of(reply) == url


@pytest.fixture
async def roomy_bot(fake_api: FakeBotAPI, sqlite_url: str) -> AsyncIterator[FakeBotAPI]:
    """Four workers, so one chat's lane holds two links at once and a later link can
    finish before an earlier one."""
    async with running_bot(make_settings(fake_api, sqlite_url, worker_processes=4)):
        yield fake_api


async def test_three_links_are_answered_in_the_order_sent_each_quoting_its_link(
    roomy_bot: FakeBotAPI, page_server: PageServer
) -> None:
    bot = roomy_bot
    gate = page_server.hold_page(
        "/held-missile.html", (PAGES / "boilerplate_missile_en.html").read_bytes()
    )
    links = [
        page_server.url_for("/held-missile.html"),
        page_server.url_for("/newspaper4k_yna_co_kr.html?order=2"),
        page_server.url_for("/korean_euckr.html?order=3"),
    ]
    text = f"첫째 {links[0]}\n둘째 {links[1]}\n셋째 {links[2]}"
    sent = bot.user_says(ALICE, text)
    # The third is fetched only when the second has left the chat's two-wide lane: the
    # second is summarized while the first is still held back.
    await bot.wait_for(
        lambda: any(r.query == "order=3" for r in page_server.requests),
        what="the third link to be fetched",
    )
    assert bot.sent_messages(ALICE) == []
    gate.release()
    replies = await bot.wait_for_messages(ALICE, count=3)
    assert replies[0].plain_text.startswith(MISSILE_TITLE)
    assert replies[1].plain_text.startswith(YONHAP_TITLE)
    assert "남북" in replies[2].plain_text
    assert [quote_of(r) for r in replies] == links
    assert [r.quote["position"] for r in replies if r.quote] == [
        utf16_len(text[: text.index(link)]) for link in links
    ]
    assert {r.reply_to_message_id for r in replies} == {sent["message"]["message_id"]}


@pytest.mark.parametrize(
    ("text", "marked", "language", "expected"),
    [
        ("https://exa mple.com", None, "en", "This link looks broken"),
        # Telegram marks "mple.com" alone as a link; the bot must not fetch it.
        ("exa mple.com", "mple.com", "en", "This link looks broken"),
        ("http://", None, "en", "This link looks broken"),
        ("https://.com", None, "en", "This link looks broken"),
        ("https://exa mple.com", None, "ko", "깨진 링크로 보입니다"),
        ("이 링크 봐 주세요 http:// ", None, "ko", "깨진 링크로 보입니다"),
    ],
)
async def test_a_broken_link_is_called_broken(
    bot: FakeBotAPI, text: str, marked: str | None, language: str, expected: str
) -> None:
    entities = [entity_for(text, marked)] if marked else None
    bot.user_says(ALICE, text, language_code=language, entities=entities)
    [reply] = await bot.wait_for_messages(ALICE)
    assert expected in reply.plain_text
    assert "href" not in reply.text  # the broken address is shown, not linked
    assert quote_of(reply) == text.strip().removeprefix("이 링크 봐 주세요 ")


async def test_a_broken_link_among_good_ones_keeps_its_place(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    good = page_server.url_for("/boilerplate_missile_en.html")
    bot.user_says(ALICE, f"https://exa mple.com and {good}")
    first, second = await bot.wait_for_messages(ALICE, count=2)
    assert "This link looks broken" in first.plain_text
    assert quote_of(first) == "https://exa mple.com"
    assert second.plain_text.startswith(MISSILE_TITLE)


async def test_summarize_in_reply_to_a_group_message_summarizes_its_link(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    link = bare(page_server, "/newspaper4k_yna_co_kr.html")
    text = f"다들 이거 보셨어요? {link}"
    shared = bot.user_says(
        GROUP, text, chat_type="group", user_id=5001, entities=[entity_for(text, link)]
    )
    shared_id = shared["message"]["message_id"]
    bot.user_says(GROUP, "/summarize", chat_type="group", user_id=5002, reply_to=shared_id)
    [reply] = await bot.wait_for_messages(GROUP)
    assert reply.plain_text.startswith(YONHAP_TITLE)
    assert reply.reply_to_message_id == shared_id
    assert quote_of(reply) == link
