"""Request parameters: PTB sends every value as a string; they are decoded by name."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from tests.support.fakebotapi.errors import JSONDict, bad_request

_JSON_FIELDS = frozenset(
    [
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "entities",
        "reply_parameters",
        "menu_button",
        "caption_entities",
    ]
)
_INT_FIELDS = frozenset(
    [
        "message_id",
        "offset",
        "limit",
        "user_id",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
    ]
)
_BOOL_FIELDS = frozenset(
    [
        "disable_web_page_preview",
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "show_alert",
        "drop_pending_updates",
        "allow_paid_broadcast",
    ]
)
_INTEGER = re.compile(r"-?[0-9]+")


def _decode_value(name: str, value: str) -> Any:
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if name == "reply_markup" else name
            raise bad_request(f"can't parse {what} JSON object") from None
    if name in _INT_FIELDS or (name == "chat_id" and _INTEGER.fullmatch(value)):
        if not _INTEGER.fullmatch(value):
            raise bad_request(f'invalid "{name}" specified: expected an Integer')
        return int(value)
    if name == "timeout":  # PTB sends a fractional timedelta as a float
        try:
            return float(value)
        except ValueError:
            raise bad_request('invalid "timeout" specified') from None
    if name in _BOOL_FIELDS:
        if value.lower() not in ("true", "false", "1", "0"):
            raise bad_request(f'can\'t parse "{name}" as a Boolean')
        return value.lower() in ("true", "1")
    return value


def decode_params(raw: dict[str, Any]) -> JSONDict:
    """Typed parameters from form or query strings, decoded by name as Telegram does."""
    return {
        name: _decode_value(name, value) if isinstance(value, str) else value
        for name, value in raw.items()
    }


async def read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("JSON request body must be an Object")
        params.update(body)
        return params
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            with value.file as upload:
                params[name] = {"filename": value.filename, "size": len(upload.read())}
        else:
            params[name] = value
    return params


def integer_param(params: JSONDict, name: str, default: int | None = None) -> int | None:
    value = params.get(name, default)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise bad_request(f'invalid "{name}" specified: expected an Integer')
