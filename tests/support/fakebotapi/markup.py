"""Keyboards and command menus, checked as Telegram checks them."""

from __future__ import annotations

import json
import re

from tests.support.fakebotapi.errors import JSONDict, bad_request

_BUTTON_ACTIONS = tuple(
    [
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ]
)
_BUTTON_URL = re.compile(r"(https?|tg)://\S+")


def _validate_inline_button(button: object) -> None:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    if not isinstance(button.get("text"), str) or not button["text"]:
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            f"can't parse inline keyboard button: exactly one of the fields {actions} must be used"
        )
    data = button.get("callback_data")
    if "callback_data" in button and (
        not isinstance(data, str) or not 1 <= len(data.encode()) <= 64
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if "url" in button and (not isinstance(url, str) or not _BUTTON_URL.fullmatch(url)):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def validate_reply_markup(markup: object, *, inline_only: bool) -> None:
    """Reject keyboards Telegram would reject; edits accept inline keyboards only."""
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                _validate_inline_button(button)
    elif inline_only:
        raise bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if not isinstance(text, str) or not text:
                    raise bad_request(
                        'can\'t parse keyboard button: Field "text" must be of type String'
                    )
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")


def callback_data_of(markup: JSONDict | None) -> list[str]:
    """Every callback_data of an inline keyboard, in reading order."""
    rows = (markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


def validate_commands(commands: object) -> list[JSONDict]:
    """The command list for setMyCommands, or ApiError; an empty list clears, as in Telegram."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND_NAME.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": name, "description": description})
    return checked


def scope_key(scope: JSONDict | None, language_code: str) -> tuple[str, str]:
    """Where a command list is kept: its scope and language."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code
