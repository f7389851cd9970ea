"""What Telegram shows about the bot before anyone talks to it: the command menus, one per
kind of viewer and language, and the descriptions (the empty chat's "What can this bot
do?" and the profile's short line).

Everything here is a nicety: a failed call only warns, and the bot runs on.
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.error import TelegramError

from bot.formatting import plain_text
from bot.i18n import Catalog
from bot.models import DEFAULT_LANGUAGE, Language
from handlers import COMMANDS, Command, CommandMenu

log = logging.getLogger(__name__)

_SCOPES: dict[CommandMenu, BotCommandScope] = {
    CommandMenu.PRIVATE: BotCommandScopeAllPrivateChats(),
    CommandMenu.GROUP: BotCommandScopeAllGroupChats(),
    CommandMenu.GROUP_ADMIN: BotCommandScopeAllChatAdministrators(),
}


def menu_commands(menu: CommandMenu, language: str, catalog: Catalog) -> list[BotCommand]:
    """The commands ``menu`` lists, in table order, described in ``language``."""
    return [
        BotCommand(command.name, catalog.text(language, _description_key(command, menu)))
        for command in COMMANDS
        if menu in command.menus
    ]


def _description_key(command: Command, menu: CommandMenu) -> str:
    if menu is not CommandMenu.PRIVATE and command.group_description is not None:
        return command.group_description
    return command.description


async def register_profile(bot: Bot, catalog: Catalog) -> None:
    """setMyCommands for every menu and language, then the descriptions in each language.

    English is also the default for every other app language.
    """
    for language in Language:
        code = None if language == DEFAULT_LANGUAGE else language.value
        for menu, scope in _SCOPES.items():
            try:
                await bot.set_my_commands(
                    menu_commands(menu, language, catalog), scope=scope, language_code=code
                )
            except TelegramError as exc:
                log.warning("could not register the %s %s command menu: %s", language, menu, exc)
        try:
            await bot.set_my_description(
                plain_text(catalog.text(language, "bot_description")), language_code=code
            )
            await bot.set_my_short_description(
                plain_text(catalog.text(language, "bot_short_description")), language_code=code
            )
        except TelegramError as exc:
            log.warning("could not set the %s descriptions: %s", language, exc)
