"""What Telegram shows about the bot, as the fake Bot API recorded it at start-up: a command
menu per kind of viewer and language, and the descriptions in both languages."""

from __future__ import annotations

import pytest

from handlers import COMMANDS, CommandMenu
from tests.support.fakebotapi import FakeBotAPI

PRIVATE = {"type": "all_private_chats"}
GROUP = {"type": "all_group_chats"}
ADMINS = {"type": "all_chat_administrators"}
SETTINGS = {"subscribe", "unsubscribe", "settings", "time", "timezone", "topics", "language"}


def names(api: FakeBotAPI, scope: dict[str, str], language_code: str = "") -> list[str]:
    return [c["command"] for c in api.commands(scope, language_code)]


@pytest.mark.parametrize("language_code", ["", "ko"])
async def test_a_private_chat_menu_lists_every_command(bot: FakeBotAPI, language_code: str) -> None:
    assert names(bot, PRIVATE, language_code) == [c.name for c in COMMANDS]


@pytest.mark.parametrize("language_code", ["", "ko"])
async def test_group_members_see_no_settings_and_no_forget(
    bot: FakeBotAPI, language_code: str
) -> None:
    members = names(bot, GROUP, language_code)
    assert members[:3] == ["start", "help", "summarize"]
    assert {"brief", "latest", "sources", "status"} <= set(members)
    assert not (SETTINGS | {"forget"}) & set(members)


@pytest.mark.parametrize("language_code", ["", "ko"])
async def test_group_administrators_see_the_settings_too(
    bot: FakeBotAPI, language_code: str
) -> None:
    admins = names(bot, ADMINS, language_code)
    assert set(names(bot, GROUP, language_code)) < set(admins)
    assert SETTINGS | {"forget", "status"} <= set(admins)


async def test_menus_are_described_in_each_language_and_summarize_by_reply_in_groups(
    bot: FakeBotAPI,
) -> None:
    def summarize(scope: dict[str, str], language_code: str) -> str:
        [line] = [c for c in bot.commands(scope, language_code) if c["command"] == "summarize"]
        return str(line["description"])

    assert "<link>" in summarize(PRIVATE, "")
    assert "Reply" in summarize(GROUP, "") and "Reply" in summarize(ADMINS, "")
    assert "답장" in summarize(GROUP, "ko") and "링크" in summarize(PRIVATE, "ko")
    for scope in (PRIVATE, GROUP, ADMINS):
        korean = [c["description"] for c in bot.commands(scope, "ko")]
        english = [c["description"] for c in bot.commands(scope, "")]
        assert len(korean) == len(english) and not set(korean) & set(english)


async def test_descriptions_are_set_in_english_for_everyone_and_in_korean(
    bot: FakeBotAPI,
) -> None:
    assert "Korean Peninsula" in bot.description()
    assert "한반도" in bot.description("ko")
    assert "Korean Peninsula" in bot.short_description()
    assert "한반도" in bot.short_description("ko")
    for text in (bot.description(), bot.description("ko")):
        assert "<" not in text and "&" not in text, "descriptions are plain text"


def test_commands_only_managers_may_use_are_only_in_managers_menus() -> None:
    for command in COMMANDS:
        if command.changes_chat:
            assert CommandMenu.GROUP not in command.menus, command.name
        else:
            assert command.menus == frozenset(CommandMenu), command.name
