"""Tests of the fake Bot API: its HTML rules match Telegram's, and a real PTB Bot works with it.

The conversation tests trust this fake to reject what Telegram rejects, so its rules are
pinned here against Telegram's documented behaviour and error texts.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import Application, CallbackContext, CommandHandler

from tests.support.fakebotapi import (
    NOT_MODIFIED,
    ApiError,
    FakeBotAPI,
    HtmlParseError,
    format_text,
    parse_html,
    utf16_len,
)

CHAT = 4242


# --- HTML validator ---------------------------------------------------------------------


def test_nested_tags_give_visible_text_and_entities() -> None:
    text, entities = parse_html('<b>bold <i>both</i></b> <a href="https://e.org/">link</a>')
    assert text == "bold both link"
    assert entities == [
        {"offset": 0, "length": 9, "type": "bold"},
        {"offset": 5, "length": 4, "type": "italic"},
        {"offset": 10, "length": 4, "type": "text_link", "url": "https://e.org/"},
    ]


def test_crossed_tags_are_rejected_with_telegrams_message() -> None:
    with pytest.raises(HtmlParseError) as err:
        parse_html("<b><i>x</b></i>")
    assert str(err.value) == ('Unmatched end tag at byte offset 7, expected "</i>", found "</b>"')


def test_unclosed_tag_is_rejected() -> None:
    with pytest.raises(HtmlParseError, match=r'Can\'t find end tag corresponding to start tag "b"'):
        parse_html("<b>bold")


def test_end_tag_without_start_is_rejected() -> None:
    with pytest.raises(HtmlParseError, match=r"^Unexpected end tag at byte offset 1$"):
        parse_html("x</b>")


def test_unknown_tag_is_rejected_at_its_byte_offset() -> None:
    with pytest.raises(HtmlParseError, match=r'^Unsupported start tag "foo" at byte offset 3$'):
        parse_html("한<foo>x</foo>")  # "한" is 3 bytes in UTF-8


def test_bare_ampersand_is_rejected() -> None:
    with pytest.raises(HtmlParseError, match=r"^Character entity expected at byte offset 2$"):
        parse_html("AT&T")


def test_bare_less_than_is_rejected() -> None:
    with pytest.raises(HtmlParseError, match=r'^Unsupported start tag "" at byte offset 2$'):
        parse_html("1 < 2")
    with pytest.raises(HtmlParseError, match=r"^Unclosed start tag at byte offset 2$"):
        parse_html("1 <2")


def test_named_and_numeric_entities_are_decoded() -> None:
    text, _ = parse_html("&lt;b&gt; &amp; &quot;q&quot; it&#39;s &#x1F600;")
    assert text == '<b> & "q" it\'s \U0001f600'


def test_href_entities_are_decoded_and_raw_ampersand_rejected() -> None:
    _, entities = parse_html('<a href="https://e.org/?a=1&amp;b=&quot;x&quot;">t</a>')
    assert entities[0]["url"] == 'https://e.org/?a=1&b="x"'
    with pytest.raises(HtmlParseError, match=r"Character entity expected"):
        parse_html('<a href="https://e.org/?a=1&b=2">t</a>')


def test_span_needs_spoiler_class() -> None:
    assert parse_html('<span class="tg-spoiler">x</span>')[1][0]["type"] == "spoiler"
    with pytest.raises(HtmlParseError, match=r'Tag "span" must have class "tg-spoiler"'):
        parse_html("<span>x</span>")


def test_expandable_blockquote_and_pre_with_language() -> None:
    _, quote = parse_html("<blockquote expandable>q</blockquote>")
    _, pre = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert quote == [{"offset": 0, "length": 1, "type": "expandable_blockquote"}]
    assert pre == [{"offset": 0, "length": 5, "type": "pre", "language": "python"}]


def test_utf16_length_counts_emoji_twice_and_korean_once() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("\U0001f600") == 2
    assert utf16_len("한국어") == 3


def test_entity_offsets_are_utf16() -> None:
    _, entities = parse_html("\U0001f600 <b>한국</b>")
    assert entities == [{"offset": 3, "length": 2, "type": "bold"}]


def test_length_limit_counts_utf16_units_of_visible_text() -> None:
    assert format_text("<b>" + "a" * 4096 + "</b>", "HTML")[0] == "a" * 4096
    assert format_text("한" * 4096, None)[0] == "한" * 4096
    assert format_text("\U0001f600" * 2048, None)
    with pytest.raises(ApiError, match=r"^Bad Request: message is too long$"):
        format_text("\U0001f600" * 2048 + "a", None)


def test_length_is_measured_after_entity_decoding() -> None:
    text, _ = format_text("&lt;" * 4096, "HTML")
    assert text == "<" * 4096
    with pytest.raises(ApiError, match=r"message is too long"):
        format_text("&amp;" * 4097, "HTML")


def test_whitespace_only_text_is_empty() -> None:
    with pytest.raises(ApiError, match=r"^Bad Request: message text is empty$"):
        format_text("<b> \n </b>", "HTML")


def test_markup_errors_carry_telegrams_prefix() -> None:
    with pytest.raises(ApiError) as err:
        format_text("<foo>", "HTML")
    assert err.value.payload == {
        "ok": False,
        "error_code": 400,
        "description": 'Bad Request: can\'t parse entities: Unsupported start tag "foo" at '
        "byte offset 0",
    }


# --- the server through a real PTB Bot ----------------------------------------------------


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(api.token, base_url=f"{api.url}/bot") as tg_bot:
        yield tg_bot


async def test_get_me_returns_the_configured_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot) == ("PeninsulaBriefBot", True)


async def test_html_message_is_recorded_and_parsed(api: FakeBotAPI, bot: Bot) -> None:
    api.add_chat(CHAT)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    message = await bot.send_message(
        CHAT, "<b>Brief</b> &amp; more", parse_mode="HTML", reply_markup=keyboard
    )
    assert message.text_html == "<b>Brief</b> &amp; more"
    [sent] = api.sent_messages(CHAT)
    assert (sent.plain_text, sent.parse_mode) == ("Brief & more", "HTML")
    assert sent.reply_markup == keyboard.to_dict()


async def test_broken_html_raises_bad_request(api: FakeBotAPI, bot: Bot) -> None:
    api.add_chat(CHAT)
    # PTB drops "Bad Request: " and capitalize()s the rest, so match case-insensitively.
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "foo" at byte offset 0'):
        await bot.send_message(CHAT, "<foo>x</foo>", parse_mode="HTML")
    assert api.sent_messages(CHAT) == []


async def test_unknown_chat_raises_chat_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hi")


async def test_blocked_chat_raises_forbidden(api: FakeBotAPI, bot: Bot) -> None:
    api.add_chat(CHAT)
    api.block_chat(CHAT)
    with pytest.raises(Forbidden, match=r"bot was blocked by the user"):
        await bot.send_message(CHAT, "hi")


async def test_injected_429_raises_retry_after(
    api: FakeBotAPI, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without it PTB 22 warns when building RetryAfter, and warnings are errors here.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.add_chat(CHAT)
    api.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as err:
        await bot.send_message(CHAT, "hi")
    assert err.value.retry_after == dtm.timedelta(seconds=7)
    assert (await bot.send_message(CHAT, "again")).text == "again"


async def test_injected_500_raises_network_error(api: FakeBotAPI, bot: Bot) -> None:
    api.add_chat(CHAT)
    api.fail_next("sendMessage")
    with pytest.raises(NetworkError, match=r"Internal Server Error"):
        await bot.send_message(CHAT, "hi")


async def test_global_rate_limit_answers_429(
    api: FakeBotAPI, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.add_chat(CHAT)
    api.set_rate_limit(2)
    await bot.send_message(CHAT, "one")
    await bot.send_message(CHAT, "two")
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "three")
    assert api.rate_limit_hits == 1


async def test_private_chat_limit_is_one_message_per_second(
    api: FakeBotAPI, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.add_chat(CHAT)
    api.set_per_chat_limits()
    await bot.send_message(CHAT, "one")
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "two")


async def test_long_poll_returns_update_pushed_while_waiting(api: FakeBotAPI, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await api.wait_for(lambda: api.calls_to("getUpdates"), what="a getUpdates call")
    pushed = api.user_says(CHAT, "/start@PeninsulaBriefBot hi https://e.org/a.")
    [update] = await asyncio.wait_for(poll, 3)
    assert update.update_id == pushed["update_id"]
    assert update.message is not None
    assert [(e.type, e.offset, e.length) for e in update.message.entities] == [
        ("bot_command", 0, 24),
        ("url", 28, 15),
    ]


async def test_long_poll_times_out_with_no_updates(bot: Bot) -> None:
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.2)) == ()


async def test_offset_confirms_earlier_updates(api: FakeBotAPI, bot: Bot) -> None:
    first = api.user_says(CHAT, "one")
    api.user_says(CHAT, "two")
    updates = await bot.get_updates(offset=first["update_id"] + 1)
    assert [u.message.text for u in updates if u.message] == ["two"]


async def test_conflict_mode_raises_conflict(api: FakeBotAPI, bot: Bot) -> None:
    api.set_conflict()
    with pytest.raises(Conflict, match=r"terminated by other getUpdates request"):
        await bot.get_updates()


async def test_identical_edit_is_not_modified(api: FakeBotAPI, bot: Bot) -> None:
    api.add_chat(CHAT)
    message = await bot.send_message(CHAT, "<b>x</b>", parse_mode="HTML")
    with pytest.raises(BadRequest) as err:
        await bot.edit_message_text(
            "<strong>x</strong>", CHAT, message.message_id, parse_mode="HTML"
        )
    assert err.value.message == NOT_MODIFIED.removeprefix("Bad Request: ").capitalize()
    await bot.edit_message_text("y", CHAT, message.message_id)
    assert [m.plain_text for m in api.sent_messages(CHAT)] == ["y"]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("z", CHAT, 999)


async def test_too_long_callback_data_is_rejected(api: FakeBotAPI, bot: Bot) -> None:
    api.add_chat(CHAT)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(CHAT, "hi", reply_markup=keyboard)


async def test_pressed_button_can_be_answered_once(api: FakeBotAPI, bot: Bot) -> None:
    api.add_chat(CHAT)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more")]])
    message = await bot.send_message(CHAT, "hi", reply_markup=keyboard)
    pushed = api.user_presses(CHAT, message.message_id, "more")
    [update] = await bot.get_updates()
    assert update.callback_query is not None
    assert update.callback_query.data == "more"
    await update.callback_query.answer("Loading")
    assert api.callback_answers()[0]["callback_query_id"] == pushed["callback_query"]["id"]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await update.callback_query.answer("again")


async def test_commands_are_validated_and_stored_per_scope(api: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([("brief", "Today's briefing")], language_code="ko")
    assert api.commands(language_code="ko") == [
        {"command": "brief", "description": "Today's briefing"}
    ]
    assert api.commands() == []
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Brief", "Upper case is not allowed")])


async def test_each_scope_keeps_its_own_menu(api: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([("help", "Help")], scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands([("status", "Status")], scope=BotCommandScopeAllGroupChats())
    assert [c["command"] for c in api.commands({"type": "all_private_chats"})] == ["help"]
    assert [c["command"] for c in api.commands({"type": "all_group_chats"})] == ["status"]
    assert api.commands() == [] and api.commands({"type": "all_chat_administrators"}) == []
    got = await bot.get_my_commands(scope=BotCommandScopeAllGroupChats())
    assert [c.command for c in got] == ["status"]


async def test_scopes_are_checked_as_telegram_checks_them(api: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)unsupported type"):
        await bot.set_my_commands([("help", "Help")], scope={"type": "all_channels"})  # type: ignore[arg-type]
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([("help", "Help")], scope=BotCommandScopeChat(-1))
    api.add_chat(CHAT, "private")
    with pytest.raises(BadRequest, match=r"(?i)no administrators in the private chat"):
        await bot.set_my_commands([("help", "Help")], scope=BotCommandScopeChatAdministrators(CHAT))
    with pytest.raises(BadRequest, match=r"(?i)lang_code_invalid"):
        await bot.set_my_commands([("help", "Help")], language_code="kor")


async def test_descriptions_are_kept_per_language_within_telegrams_limits(
    api: FakeBotAPI, bot: Bot
) -> None:
    await bot.set_my_description("d" * 512)
    await bot.set_my_description("한반도 뉴스", language_code="ko")
    await bot.set_my_short_description("s" * 120)
    assert api.description() == "d" * 512 and api.description("ko") == "한반도 뉴스"
    assert (await bot.get_my_description(language_code="ko")).description == "한반도 뉴스"
    assert api.short_description() == "s" * 120 and api.short_description("ko") == ""
    with pytest.raises(BadRequest, match=r"(?i)^description_invalid"):
        await bot.set_my_description("d" * 513)
    with pytest.raises(BadRequest, match=r"(?i)short_description_invalid"):
        await bot.set_my_short_description("s" * 121)
    assert api.description() == "d" * 512, "a refused description changes nothing"
    await bot.set_my_description("")
    assert api.description() == ""


async def test_wrong_token_is_unauthorized(api: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=f"{api.url}/bot"):
            pass


async def test_method_names_are_case_insensitive(bot: Bot) -> None:
    assert (await bot.do_api_request("GETME"))["username"] == "PeninsulaBriefBot"


async def test_unsupported_method_is_not_found(api: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendHologram", {"chat_id": CHAT})
    assert api.errors[-1] == ("sendHologram", 404, "Not Found")


async def test_wait_for_messages_reports_what_arrived(api: FakeBotAPI, bot: Bot) -> None:
    api.add_chat(CHAT)
    await bot.send_message(CHAT, "only one")
    assert [m.text for m in await api.wait_for_messages(CHAT, 1)] == ["only one"]
    with pytest.raises(AssertionError, match=r"(?s)2 message.*'only one'"):
        await api.wait_for_messages(CHAT, 2, timeout=0.1)


async def test_polling_application_answers_a_command(api: FakeBotAPI) -> None:
    async def start(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("<b>Hello</b>", parse_mode="HTML")

    app = Application.builder().token(api.token).base_url(f"{api.url}/bot").build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        assert app.updater is not None
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=10)
        api.user_says(CHAT, "/start")
        [reply] = await api.wait_for_messages(CHAT)
        await app.updater.stop()
        await app.stop()
    assert reply.plain_text == "Hello"
    assert api.errors == []


async def test_a_quote_must_be_part_of_the_replied_message(api: FakeBotAPI, bot: Bot) -> None:
    """Telegram answers QUOTE_TEXT_INVALID otherwise, and takes the occurrence nearest to
    ``quote_position`` (UTF-16 units) when the quoted text appears more than once."""
    text = "북한 👀 en.yna.co.kr/a and en.yna.co.kr/a"
    message_id = api.user_says(CHAT, text)["message"]["message_id"]
    with pytest.raises(BadRequest, match=r"(?i)quote_text_invalid"):
        await bot.send_message(
            CHAT, "x", reply_parameters=ReplyParameters(message_id, quote="en.yna.co.kr/b")
        )
    reply = await bot.send_message(
        CHAT,
        "x",
        reply_parameters=ReplyParameters(message_id, quote="en.yna.co.kr/a", quote_position=30),
    )
    assert reply.quote is not None
    assert (reply.quote.text, reply.quote.position) == ("en.yna.co.kr/a", 25)
    assert utf16_len(text[: text.rindex("en.")]) == 25


# --- webhook mode -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "secret", "error"),
    [
        ("http://bot.example.test/hook", None, "An HTTPS URL must be provided"),
        ("https://bot.example.test:9000/hook", None, "only on ports 80, 88, 443 or 8443"),
        ("https://bot.example.test/hook", "has spaces", "unallowed characters"),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses(
    bot: Bot, url: str, secret: str | None, error: str
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){error}"):  # PTB rewrites the case
        await bot.set_webhook(url, secret_token=secret)
    assert (await bot.get_webhook_info()).url == ""


async def test_get_updates_conflicts_while_a_webhook_is_set(bot: Bot) -> None:
    await bot.set_webhook("https://bot.example.test:8443/hook", secret_token="s3cret")
    info = await bot.get_webhook_info()
    assert (info.url, info.max_connections) == ("https://bot.example.test:8443/hook", 40)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_updates_are_posted_to_the_routed_backend_with_the_secret(
    api: FakeBotAPI, bot: Bot
) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        received.append((secret, await request.json()))
        return web.Response(status=500 if len(received) == 1 else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        api.route_webhook(f"http://127.0.0.1:{port}")
        await bot.set_webhook("https://bot.example.test/hook", secret_token="s3cret")
        update = api.user_says(CHAT, "hello")
        # The first attempt fails (500) and is retried, as Telegram retries.
        await api.wait_for(lambda: len(api.deliveries) == 2, what="a retried delivery")
        assert received == [("s3cret", update), ("s3cret", update)]
        assert [d.status for d in api.deliveries] == [500, 200]
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 0
        assert info.last_error_message == "Wrong response from the webhook: 500"
    finally:
        await runner.cleanup()
