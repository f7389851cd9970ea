"""The Bot API methods the fake implements, as Telegram answers them."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import re
import time
from collections.abc import Callable
from typing import Any

from tests.support.fakebotapi.errors import (
    CONFLICT,
    FORBIDDEN,
    NOT_MODIFIED,
    ApiError,
    JSONDict,
    bad_request,
)
from tests.support.fakebotapi.html import format_text, utf16_len
from tests.support.fakebotapi.markup import scope_key, validate_commands, validate_reply_markup
from tests.support.fakebotapi.params import integer_param
from tests.support.fakebotapi.records import Chat, SentMessage, Stored, admin_fields
from tests.support.fakebotapi.webhook import WebhookDelivery

MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 512
MAX_SHORT_DESCRIPTION_LENGTH = 120
MAX_QUOTE_LENGTH = 1024
_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_SCOPES = frozenset(
    [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ]
)


class BotApiMethods(WebhookDelivery):
    """The handlers behind ``/bot<token>/<method>``; sync ones run with the lock held."""

    def _get_me(self, params: JSONDict) -> JSONDict:
        return dict(self.bot_user)

    def _true(self, params: JSONDict) -> bool:
        return True

    async def _get_updates(
        self, params: JSONDict, disconnected: Callable[[], bool]
    ) -> list[JSONDict]:
        """Long polling; a newer poll ends this one with 409 unless its client already left."""
        limit = integer_param(params, "limit", 100) or 100
        timeout = params.get("timeout", 0)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool):
            raise bad_request('invalid "timeout" specified')
        with self._lock:
            self._refuse_polling_with_webhook()
            if self._conflict:
                raise ApiError(409, CONFLICT)
            self._poll_generation += 1
            generation = self._poll_generation
            self._confirm(integer_param(params, "offset", 0) or 0)
            allowed = params.get("allowed_updates")
            if allowed is not None:
                if not isinstance(allowed, list):
                    raise bad_request("can't parse allowed_updates JSON object")
                self._allowed_updates = list(allowed)
        self._wake()  # an older pending poll now ends with 409, as in Telegram
        deadline = time.monotonic() + max(0.0, float(timeout))
        while True:
            with self._lock:
                if generation != self._poll_generation:
                    if disconnected():  # e.g. PTB cancelled it on stop: nobody to tell
                        return []
                    raise ApiError(409, CONFLICT)
                batch = self._take_updates(max(1, min(limit, 100)))
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing or self._wakeup is None:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _set_my_commands(self, params: JSONDict) -> bool:
        if "commands" not in params:
            raise bad_request('parameter "commands" is required')
        commands = validate_commands(params["commands"])
        self._commands[self._command_key(params)] = commands
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return copy.deepcopy(self._commands.get(self._command_key(params), []))

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self._commands.pop(self._command_key(params), None)
        return True

    def _command_key(self, params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise bad_request("can't parse BotCommandScope: unsupported type")
        if scope["type"].startswith("chat"):
            chat = self._resolve_chat(scope)
            if scope["type"] != "chat" and chat.type == "private":
                raise bad_request("there are no administrators in the private chat")
        if scope["type"] == "chat_member" and not isinstance(scope.get("user_id"), int):
            raise bad_request("user not found")
        # Only the fields of the scope's type count, as in Telegram: extras are ignored.
        fields = {"chat": ("chat_id",), "chat_administrators": ("chat_id",)}.get(
            scope["type"], ("chat_id", "user_id") if scope["type"] == "chat_member" else ()
        )
        scope = {"type": scope["type"], **{name: scope[name] for name in fields}}
        return scope_key(scope, language_code(params))

    def _set_my_description(self, params: JSONDict) -> bool:
        self._descriptions[language_code(params)] = description_param(
            params, "description", MAX_DESCRIPTION_LENGTH
        )
        return True

    def _get_my_description(self, params: JSONDict) -> JSONDict:
        return {"description": self._descriptions.get(language_code(params), "")}

    def _set_my_short_description(self, params: JSONDict) -> bool:
        self._short_descriptions[language_code(params)] = description_param(
            params, "short_description", MAX_SHORT_DESCRIPTION_LENGTH
        )
        return True

    def _get_my_short_description(self, params: JSONDict) -> JSONDict:
        text = self._short_descriptions.get(language_code(params), "")
        return {"short_description": text}

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        text, parse_mode = params.get("text"), params.get("parse_mode")
        if text is None:
            raise bad_request("message text is empty")
        plain, entities = format_text(str(text), parse_mode, params.get("entities"))
        markup = params.get("reply_markup")
        if markup is not None:
            validate_reply_markup(markup, inline_only=False)
        reply_to = self._reply_target(chat, params)
        quote = quote_in(reply_to, params.get("reply_parameters") or {})
        check_reachable(chat)
        paid = params.get("allow_paid_broadcast") is True
        self._check_rate(chat, paid=paid)
        message_id = self._next_message_id(chat.id)
        record = SentMessage(
            chat_id=chat.id,
            message_id=message_id,
            text=str(text),
            plain_text=plain,
            entities=entities,
            parse_mode=parse_mode,
            reply_markup=markup,
            link_preview_options=params.get("link_preview_options"),
            disable_web_page_preview=params.get("disable_web_page_preview"),
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            date=int(time.time()),
            quote=quote,
            allow_paid_broadcast=paid,
            message_thread_id=params.get("message_thread_id"),
        )
        payload = self._bot_message(chat, record)
        if reply_to:
            payload["reply_to_message"] = {
                k: v for k, v in reply_to.items() if k != "reply_to_message"
            }
        if quote:
            payload["quote"] = copy.deepcopy(quote)
        self._messages.setdefault(chat.id, {})[message_id] = Stored(payload, record)
        return copy.deepcopy(payload)

    def _reply_target(self, chat: Chat, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters") or {}
        if not isinstance(reply, dict):
            raise bad_request("can't parse reply parameters JSON object")
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        stored = self._messages.get(chat.id, {}).get(message_id)
        if stored is None or (stored.record is not None and stored.record.deleted):
            if reply.get("allow_sending_without_reply") or params.get(
                "allow_sending_without_reply"
            ):
                return None
            raise bad_request("message to be replied not found")
        return copy.deepcopy(stored.payload)

    def _bot_message(self, chat: Chat, record: SentMessage) -> JSONDict:
        payload: JSONDict = {
            "message_id": record.message_id,
            "date": record.date,
            "chat": chat.to_json(),
            "text": record.plain_text,
        }
        if chat.type == "channel":
            payload["sender_chat"] = chat.to_json()
        else:
            payload["from"] = dict(self.bot_user)
        self._apply_content(payload, record)
        return payload

    @staticmethod
    def _apply_content(payload: JSONDict, record: SentMessage) -> None:
        payload["text"] = record.plain_text
        payload.pop("entities", None)
        payload.pop("reply_markup", None)
        if record.entities:
            payload["entities"] = copy.deepcopy(record.entities)
        if record.reply_markup and "inline_keyboard" in record.reply_markup:
            payload["reply_markup"] = copy.deepcopy(record.reply_markup)

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        stored = self._editable_message(chat, params)
        record = stored.record
        assert record is not None
        text, parse_mode = params.get("text"), params.get("parse_mode")
        if text is None:
            raise bad_request("message text is empty")
        plain, entities = format_text(str(text), parse_mode, params.get("entities"))
        markup = params.get("reply_markup")  # absent: Telegram removes the keyboard
        if markup is not None:
            validate_reply_markup(markup, inline_only=True)
        if (plain, entities, markup) == (record.plain_text, record.entities, record.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        check_reachable(chat)
        self._check_rate(chat)
        record.text, record.plain_text, record.entities = str(text), plain, entities
        record.parse_mode, record.reply_markup = parse_mode, markup
        if "link_preview_options" in params:
            record.link_preview_options = params["link_preview_options"]
        record.edits.append({"text": str(text), "parse_mode": parse_mode, "reply_markup": markup})
        return self._after_edit(stored, record)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        stored = self._editable_message(chat, params)
        record = stored.record
        assert record is not None
        markup = params.get("reply_markup")
        if markup is not None:
            validate_reply_markup(markup, inline_only=True)
        if markup == record.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        check_reachable(chat)
        record.reply_markup = markup
        record.edits.append({"reply_markup": markup})
        return self._after_edit(stored, record)

    def _after_edit(self, stored: Stored, record: SentMessage) -> JSONDict:
        self._apply_content(stored.payload, record)
        stored.payload["edit_date"] = int(time.time())
        return copy.deepcopy(stored.payload)

    def _delete_message(self, params: JSONDict) -> bool:
        chat = self._resolve_chat(params)
        check_reachable(chat)
        message_id = integer_param(params, "message_id")
        stored = self._messages.get(chat.id, {}).get(message_id or 0)
        if stored is None or (stored.record is not None and stored.record.deleted):
            raise bad_request("message to delete not found")
        if stored.record is None:
            del self._messages[chat.id][message_id or 0]
        else:
            stored.record.deleted = True
        return True

    def _send_chat_action(self, params: JSONDict) -> bool:
        chat = self._resolve_chat(params)
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        check_reachable(chat)
        self._chat_actions.setdefault(chat.id, []).append(str(action))
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and utf16_len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        self._callback_answers.append(copy.deepcopy(params))
        return True

    def _get_chat(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {
            **chat.to_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def _member(self, chat: Chat, user_id: int) -> JSONDict:
        fallback = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if user_id == self.bot_user["id"]:
            fallback = self.bot_user
        user = copy.deepcopy(self._users.get(user_id, fallback))
        status = chat.members.get(user_id, "member")
        member: JSONDict = {"status": status, "user": user}
        if status in ("creator", "administrator"):
            member.update(admin_fields(creator=status == "creator"))
        if status == "kicked":
            member["until_date"] = 0
        return member

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat = self._resolve_chat(params)
        user_id = integer_param(params, "user_id")
        if user_id is None:
            raise bad_request("user_id is empty")
        return self._member(chat, user_id)

    def _get_chat_administrators(self, params: JSONDict) -> list[JSONDict]:
        chat = self._resolve_chat(params)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        admins = [uid for uid, s in chat.members.items() if s in ("creator", "administrator")]
        return [self._member(chat, uid) for uid in admins]

    def _set_chat_menu_button(self, params: JSONDict) -> bool:
        chat_id = None
        if params.get("chat_id") is not None:
            chat_id = self._resolve_chat(params).id
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise bad_request("can't parse menu button JSON object")
        self._menu_buttons[chat_id] = button
        return True


def quote_in(replied: JSONDict | None, reply: JSONDict) -> JSONDict | None:
    """The TextQuote of a reply's ``quote``, checked as Telegram does, or None without one.

    The quote (after its own parse mode) must occur in the replied-to text or caption,
    at most 1024 characters long; among several occurrences the one nearest to
    ``quote_position`` is taken. Otherwise: ``QUOTE_TEXT_INVALID``. Stricter than
    Telegram on purpose: formatting entities of the quoted part are not compared.
    """
    if not isinstance(reply, dict) or reply.get("quote") is None:
        return None
    if replied is None:
        return None  # sent without a reply (allow_sending_without_reply): nothing to quote
    quote, _ = format_text(
        str(reply["quote"]), reply.get("quote_parse_mode"), reply.get("quote_entities")
    )
    if utf16_len(quote) > MAX_QUOTE_LENGTH:
        raise bad_request("QUOTE_TEXT_INVALID")
    text = str(replied.get("text", replied.get("caption", "")))
    wanted = reply.get("quote_position", 0)
    if not isinstance(wanted, int) or isinstance(wanted, bool) or wanted < 0:
        raise bad_request('invalid "quote_position" specified: expected an Integer')
    positions = [utf16_len(text[: m.start()]) for m in re.finditer(re.escape(quote), text)]
    if not positions:
        raise bad_request("QUOTE_TEXT_INVALID")
    position = min(positions, key=lambda p: abs(p - wanted))
    return {"text": quote, "position": position, "is_manual": True}


def language_code(params: JSONDict) -> str:
    """A two-letter ISO 639-1 code, or "" for every language without its own."""
    language = params.get("language_code") or ""
    if not isinstance(language, str) or (language and not re.fullmatch(r"[a-z]{2}", language)):
        raise bad_request("LANG_CODE_INVALID")
    return language


def description_param(params: JSONDict, name: str, limit: int) -> str:
    """A bot description of at most ``limit`` characters; empty removes it."""
    text = params.get(name, "")
    if not isinstance(text, str):
        raise bad_request(f"can't parse {name}")
    if utf16_len(text) > limit:
        raise bad_request(f"{name.upper()}_INVALID")
    return text


def check_reachable(chat: Chat) -> None:
    if chat.blocked:
        raise ApiError(403, FORBIDDEN.get(chat.type, FORBIDDEN["group"]))


_Handler = Callable[..., Any]  # (api, params) -> result; getUpdates is awaited instead


# Method names are case-insensitive in Telegram; keys are lower case.
METHODS: dict[str, tuple[str, _Handler]] = {
    name.lower(): (name, handler)
    for name, handler in (
        ("getMe", BotApiMethods._get_me),
        ("logOut", BotApiMethods._true),
        ("close", BotApiMethods._true),
        ("setWebhook", BotApiMethods._set_webhook),
        ("deleteWebhook", BotApiMethods._delete_webhook),
        ("getWebhookInfo", BotApiMethods._get_webhook_info),
        ("getUpdates", BotApiMethods._get_updates),  # awaited in _handle
        ("setMyCommands", BotApiMethods._set_my_commands),
        ("getMyCommands", BotApiMethods._get_my_commands),
        ("deleteMyCommands", BotApiMethods._delete_my_commands),
        ("setMyDescription", BotApiMethods._set_my_description),
        ("getMyDescription", BotApiMethods._get_my_description),
        ("setMyShortDescription", BotApiMethods._set_my_short_description),
        ("getMyShortDescription", BotApiMethods._get_my_short_description),
        ("sendMessage", BotApiMethods._send_message),
        ("sendChatAction", BotApiMethods._send_chat_action),
        ("editMessageText", BotApiMethods._edit_message_text),
        ("editMessageReplyMarkup", BotApiMethods._edit_message_reply_markup),
        ("deleteMessage", BotApiMethods._delete_message),
        ("answerCallbackQuery", BotApiMethods._answer_callback_query),
        ("getChat", BotApiMethods._get_chat),
        ("getChatMember", BotApiMethods._get_chat_member),
        ("getChatAdministrators", BotApiMethods._get_chat_administrators),
        ("setChatMenuButton", BotApiMethods._set_chat_menu_button),
    )
}
