"""Operators hear about failures nobody expected: the traceback in their admin chat, the
token redacted, the same error at most once per ten minutes (by the bot's clock)."""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import CommandHandler

from bot.alerts import REPEAT_AFTER, ErrorThrottle
from handlers.context import BotContext
from tests.support.app import Clock, make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI

ADMIN = 9001
READER = 4242
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
APOLOGY = "Something went wrong"


async def explode(update: Update, context: BotContext) -> None:
    """A handler with a bug: its message quotes the Bot API URL, token and all."""
    raise RuntimeError(f"could not reach https://api.telegram.org/bot{context.bot.token}/x")


async def apologies(api: FakeBotAPI, count: int) -> None:
    """Await the reader's ``count``-th apology (the command is also answered as unknown)."""

    def enough() -> bool:
        said = [m for m in api.sent_messages(READER) if APOLOGY in m.plain_text]
        return len(said) >= count

    await api.wait_for(enough, what=f"{count} apologies")


async def test_an_unexpected_error_reaches_the_admin_chat_once_per_ten_minutes(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    fake_api.add_chat(ADMIN, "private", first_name="Operator")
    clock = Clock()
    clock.set(NOW)
    settings = make_settings(fake_api, sqlite_url, admin_chat_ids=[ADMIN])
    async with running_bot(settings, clock=clock) as application:
        application.add_handler(CommandHandler("explode", explode), group=-1)

        fake_api.user_says(READER, "/explode")
        await apologies(fake_api, 1)  # each apology comes after its error's report, if any
        fake_api.user_says(READER, "/explode")
        await apologies(fake_api, 2)
        reports_at_once = fake_api.sent_messages(ADMIN)
        clock.set(NOW + REPEAT_AFTER)
        fake_api.user_says(READER, "/explode")
        await apologies(fake_api, 3)
        reports = fake_api.sent_messages(ADMIN)

    assert len(reports_at_once) == 1
    report = reports_at_once[0]
    assert report.plain_text.startswith("🛑 Unexpected error: RuntimeError")
    assert [e["type"] for e in report.entities if e["type"] == "pre"] == ["pre"]
    assert 'in explode\n    raise RuntimeError(f"could not reach' in report.plain_text
    assert fake_api.token not in report.text and "bot<redacted>/x" in report.plain_text
    assert len(reports) == 2  # ten minutes later, the same error is news again


def test_errors_raised_at_different_places_are_reported_separately() -> None:
    throttle = ErrorThrottle()

    def first() -> ValueError:
        try:
            raise ValueError("chat 1")
        except ValueError as exc:
            return exc

    def second() -> ValueError:
        try:
            raise ValueError("chat 1")
        except ValueError as exc:
            return exc

    assert throttle.should_report(first(), NOW)
    assert not throttle.should_report(first(), NOW + dt.timedelta(minutes=9))
    assert throttle.should_report(second(), NOW + dt.timedelta(minutes=9))
    assert throttle.should_report(first(), NOW + dt.timedelta(minutes=10))


async def test_the_apology_is_in_the_language_the_chat_chose(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    """A reader whose Telegram is in English but who chose Korean gets a Korean apology."""
    settings = make_settings(fake_api, sqlite_url)
    async with running_bot(settings) as application:
        application.add_handler(CommandHandler("explode", explode), group=-1)
        before = len(fake_api.sent_messages(READER))
        fake_api.user_says(READER, "/language ko")
        await fake_api.wait_for_messages(READER, count=before + 1)
        fake_api.user_says(READER, "/explode")

        def apologised() -> bool:
            return any("문제가 생겼습니다" in m.plain_text for m in fake_api.sent_messages(READER))

        await fake_api.wait_for(apologised, what="a Korean apology")

    assert not any(APOLOGY in m.plain_text for m in fake_api.sent_messages(READER))
