"""Conversations with the real bot through the fake Bot API and the local page server."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

import pytest

from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.pageserver import PageServer
from tests.support.paths import PAGES

ALICE = 1001


def _load_make_long() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_long", PAGES / "make_long.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_start_welcomes_and_explains_how_to_use_the_bot(bot: FakeBotAPI) -> None:
    bot.user_says(ALICE, "/start")
    [reply] = await bot.wait_for_messages(ALICE)
    assert "Peninsula Brief" in reply.plain_text
    assert "link" in reply.plain_text and "/help" in reply.plain_text


async def test_help_lists_every_command_one_line_each(bot: FakeBotAPI) -> None:
    bot.user_says(ALICE, "/help")
    [reply] = await bot.wait_for_messages(ALICE)
    for command in ("/start", "/help", "/summarize", "/subscribe", "/settings", "/forget"):
        assert sum(line.startswith(command) for line in reply.plain_text.splitlines()) == 1


async def test_command_menu_is_registered_in_english_and_korean(bot: FakeBotAPI) -> None:
    private = {"type": "all_private_chats"}
    english = [c["command"] for c in bot.commands(private)]
    korean = bot.commands(private, language_code="ko")
    assert english[:3] == ["start", "help", "summarize"]
    assert {"subscribe", "settings", "status", "forget"} <= set(english)
    assert [c["command"] for c in korean] == english
    assert any("요약" in c["description"] for c in korean)


async def test_korean_user_gets_korean_replies(bot: FakeBotAPI) -> None:
    bot.user_says(ALICE, "/help", language_code="ko")
    [reply] = await bot.wait_for_messages(ALICE)
    assert "명령어" in reply.plain_text


async def test_message_without_a_link_gets_a_usage_hint(bot: FakeBotAPI) -> None:
    bot.user_says(ALICE, "what happened in Pyongyang today?")
    [reply] = await bot.wait_for_messages(ALICE)
    assert "didn't find a link" in reply.plain_text


async def test_summarize_without_a_link_gets_a_usage_hint(bot: FakeBotAPI) -> None:
    bot.user_says(ALICE, "/summarize not-a-link")
    [reply] = await bot.wait_for_messages(ALICE)
    assert "/summarize https://" in reply.plain_text


async def test_a_4000_character_message_without_a_link_is_answered(bot: FakeBotAPI) -> None:
    bot.user_says(ALICE, "북한 " * 1330)
    [reply] = await bot.wait_for_messages(ALICE)
    assert "link" in reply.plain_text


async def test_english_link_gets_a_summary_with_title_source_and_link(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    url = page_server.url_for("/boilerplate_missile_en.html")
    sent = bot.user_says(ALICE, f"look at this {url}")
    [reply] = await bot.wait_for_messages(ALICE)
    assert reply.parse_mode == "HTML"
    assert reply.text.startswith("<b>North Korea fires ballistic missile")
    assert "The Peninsula Ledger" in reply.plain_text
    assert f'href="{url}"' in reply.text
    assert reply.reply_to_message_id == sent["message"]["message_id"]
    assert reply.link_preview_options == {"is_disabled": True}
    bullets = [line for line in reply.plain_text.splitlines() if line.startswith("• ")]
    assert 3 <= len(bullets) <= 5
    assert "typing" in bot.chat_actions(ALICE)


async def test_sentences_stay_whole_around_abbreviations_and_numbers(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    bot.user_says(ALICE, f"/summarize {page_server.url_for('/boilerplate_missile_en.html')}")
    [reply] = await bot.wait_for_messages(ALICE)
    for line in reply.plain_text.splitlines():
        if line.startswith("• "):
            sentence = line[2:]
            assert sentence[0].isupper() or sentence[0] in "\"'“", sentence
            assert not re.search(r"\b(U\.S|Dr|No|Mr)\.$", sentence), sentence
            assert sentence.endswith((".", '"', "”", "?", "!", "'")), sentence


async def test_korean_euc_kr_page_gets_a_korean_summary(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    bot.user_says(ALICE, page_server.url_for("/korean_euckr.html?charset=euc-kr"))
    [reply] = await bot.wait_for_messages(ALICE)
    assert "남북" in reply.plain_text
    assert "\ufffd" not in reply.plain_text and "Ã" not in reply.plain_text
    bullets = [line[2:] for line in reply.plain_text.splitlines() if line.startswith("• ")]
    assert bullets and all(s.endswith(("다.", '."', "다.”", ".", "?")) for s in bullets)


async def test_korean_page_without_a_charset_header_still_decodes(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    bot.user_says(ALICE, page_server.url_for("/korean_euckr.html"))
    [reply] = await bot.wait_for_messages(ALICE)
    assert "남북" in reply.plain_text and "\ufffd" not in reply.plain_text


async def test_each_link_in_a_message_gets_its_own_summary(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    first = page_server.url_for("/boilerplate_missile_en.html")
    second = page_server.url_for("/newspaper4k_yna_co_kr.html")
    bot.user_says(ALICE, f"{first}\n{second}")
    replies = await bot.wait_for_messages(ALICE, count=2)
    titles = {reply.plain_text.splitlines()[0] for reply in replies}
    assert any(t.startswith("North Korea fires") for t in titles)
    assert any(t.startswith("N. Korea slams S. Korea") for t in titles)


async def test_more_than_three_links_are_capped_with_a_note(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    links = [page_server.url_for(f"/status/404?n={n}") for n in range(5)]
    bot.user_says(ALICE, " ".join(links))
    replies = await bot.wait_for_messages(ALICE, count=4)
    assert "up to 3 links" in replies[0].plain_text
    assert sum("HTTP 404" in r.plain_text for r in replies) == 3


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/status/404", "doesn't exist"),
        ("/status/500", "HTTP 500"),
        ("/pdf", "can't summarize this kind of file"),
        ("/image.png", "can't summarize this kind of file"),
        ("/binary", "can't summarize this kind of file"),
        ("/redirect-loop", "redirects too many times"),
        ("/redirect-chain/9", "redirects too many times"),
        ("/huge", "too large"),
        ("/huge-declared", "too large"),
        ("/gzip-bomb", "too large"),
        ("/nav_only.html", "couldn't find article text"),
        ("/empty", "couldn't find article text"),
    ],
)
async def test_bad_pages_get_a_clear_friendly_reply(
    bot: FakeBotAPI, page_server: PageServer, path: str, expected: str
) -> None:
    bot.user_says(ALICE, page_server.url_for(path))
    [reply] = await bot.wait_for_messages(ALICE)
    assert expected in reply.plain_text
    assert "Traceback" not in reply.plain_text


@pytest.mark.parametrize("path", ["/dribble", "/slow-headers"])
async def test_a_page_that_never_finishes_took_too_long(
    fake_api: FakeBotAPI, page_server: PageServer, sqlite_url: str, path: str
) -> None:
    """Cut off at FETCH_DEADLINE_SECONDS, half a second here; the server would go on for 30 s."""
    settings = make_settings(fake_api, sqlite_url, fetch_deadline_seconds=0.5)
    async with running_bot(settings):
        fake_api.user_says(ALICE, page_server.url_for(path))
        [reply] = await fake_api.wait_for_messages(ALICE)
    assert "took too long" in reply.plain_text
    assert "Traceback" not in reply.plain_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://nonexistent-host.invalid/story", "couldn't find this website"),
        ("http://127.0.0.1:1/story", "couldn't reach this website"),
        ("/summarize https://", "This link looks broken"),
        ("http://exa mple.com", "This link looks broken"),
        ("ftp://example.com/file.txt", "didn't find a link"),
    ],
)
async def test_bad_addresses_get_a_clear_friendly_reply(
    bot: FakeBotAPI, text: str, expected: str
) -> None:
    bot.user_says(ALICE, text)
    [reply] = await bot.wait_for_messages(ALICE)
    assert expected in reply.plain_text


async def test_private_addresses_are_refused_by_default(
    fake_api: FakeBotAPI, page_server: PageServer, sqlite_url: str
) -> None:
    page_server.add_page("/private-check.html", (PAGES / "nav_only.html").read_bytes(), "text/html")
    async with running_bot(make_settings(fake_api, sqlite_url, fetch_allow_private_networks=False)):
        fake_api.user_says(ALICE, page_server.url_for("/private-check.html"))
        [reply] = await fake_api.wait_for_messages(ALICE)
    assert "private or local network" in reply.plain_text
    assert not [r for r in page_server.requests if r.path == "/private-check.html"]


async def test_the_same_article_from_many_readers_is_fetched_once(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    page_server.add_page(
        "/shared-story.html",
        (PAGES / "boilerplate_missile_en.html").read_bytes(),
        "text/html",
    )
    readers = [2001, 2002, 2003]
    for reader in readers:
        bot.user_says(reader, page_server.url_for("/shared-story.html?utm_source=tg"))
    for reader in readers:
        [reply] = await bot.wait_for_messages(reader)
        assert reply.plain_text.startswith("North Korea fires")
    assert len([r for r in page_server.requests if r.path == "/shared-story.html"]) == 1


async def test_help_is_answered_while_long_articles_are_summarized(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    make_long = _load_make_long()
    body = make_long.long_article_html(500_000).encode()
    page_server.add_page("/very-long.html", body, "text/html")
    readers = [3001, 3002, 3003]
    for n, reader in enumerate(readers):
        bot.user_says(reader, page_server.url_for(f"/very-long.html?part={n}"))
    await bot.wait_for(
        lambda: len([r for r in page_server.requests if r.path == "/very-long.html"]) == 3,
        what="the three long pages to be fetched",
    )
    bot.user_says(ALICE, "/help")
    [help_reply] = await bot.wait_for_messages(ALICE)
    summaries = [(await bot.wait_for_messages(r))[0] for r in readers]
    assert "/summarize" in help_reply.plain_text
    assert all("• " in s.plain_text for s in summaries)
    # /help came back before any of the long articles was done.
    first_summary_call = min(
        c.at for c in bot.calls_to("sendMessage") if c.params.get("chat_id") in readers
    )
    help_call = next(c.at for c in bot.calls_to("sendMessage") if c.params.get("chat_id") == ALICE)
    assert help_call < first_summary_call


async def test_bot_runs_on_when_the_command_menu_cannot_be_set(
    fake_api: FakeBotAPI, caplog: pytest.LogCaptureFixture, sqlite_url: str
) -> None:
    fake_api.fail_next("setMyCommands", times=2, status=500, description="Internal Server Error")
    async with running_bot(make_settings(fake_api, sqlite_url)):
        fake_api.user_says(ALICE, "/help")
        [reply] = await fake_api.wait_for_messages(ALICE)
    assert "/summarize" in reply.plain_text
    assert any(
        r.levelname == "WARNING" and "command menu" in r.getMessage() for r in caplog.records
    )


async def test_summary_arrives_even_when_the_typing_indicator_fails(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    bot.fail_next("sendChatAction", times=5, status=400, description="Bad Request: chat not found")
    bot.user_says(ALICE, page_server.url_for("/newspaper4k_yna_co_kr.html"))
    [reply] = await bot.wait_for_messages(ALICE)
    assert reply.plain_text.startswith("N. Korea slams S. Korea")
