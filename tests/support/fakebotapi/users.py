"""What users do: the updates a test queues for the bot to receive."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator

from tests.support.fakebotapi.errors import JSONDict
from tests.support.fakebotapi.markup import callback_data_of
from tests.support.fakebotapi.records import Stored, admin_fields
from tests.support.fakebotapi.state import BotState

DEFAULT_GROUP_USER_ID = 424242


class UserActions(BotState):
    """Update builders (thread-safe): a user's message, a button press, a channel post."""

    def user_says(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str = "en",
        first_name: str = "Test",
        username: str | None = None,
        title: str | None = None,
        entities: list[JSONDict] | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> JSONDict:
        """Queue a user's text message; return the update.

        ``entities``: exactly these (see ``entity_for``) instead of the bot_command and
        ``http(s)://`` url entities detected by default. ``reply_to``: the id of a message
        in the chat this one replies to. ``thread_id``: an open topic of a forum
        (``add_forum``) the message is posted in.
        """
        return self._user_posts(
            chat_id,
            text,
            entities,
            None,
            reply_to,
            user_id=user_id,
            chat_type=chat_type,
            language_code=language_code,
            first_name=first_name,
            username=username,
            title=title,
            thread_id=thread_id,
        )

    def user_sends_photo(
        self,
        chat_id: int,
        caption: str = "",
        *,
        caption_entities: list[JSONDict] | None = None,
        language_code: str = "en",
    ) -> JSONDict:
        """Queue a photo from a user in a private chat, with a caption; return the update."""
        photo = {
            "photo": [
                {"file_id": "AgAD-photo", "file_unique_id": "AQAD", "width": 90, "height": 60}
            ]
        }
        return self._user_posts(
            chat_id, caption, caption_entities, photo, None, language_code=language_code
        )

    def _user_posts(
        self,
        chat_id: int,
        text: str,
        entities: list[JSONDict] | None,
        caption_of: JSONDict | None,
        reply_to: int | None,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str = "en",
        first_name: str = "Test",
        username: str | None = None,
        title: str | None = None,
        thread_id: int | None = None,
    ) -> JSONDict:
        if chat_type == "private" and user_id not in (None, chat_id):
            raise ValueError("in a private chat the user id is the chat id")
        user_id = user_id or (chat_id if chat_type == "private" else DEFAULT_GROUP_USER_ID)
        if chat_type != "private":
            title = title or "Test Group"
        with self._lock:
            user = self._remember_user(user_id, first_name, language_code, username)
            if chat_type == "private":
                chat = self._remember_chat(chat_id, chat_type, None, username, first_name)
            else:
                chat = self._remember_chat(chat_id, chat_type, title, None, None)
            replied = None
            if reply_to is not None:
                stored = self._messages.get(chat_id, {}).get(reply_to)
                if stored is None:
                    raise AssertionError(f"chat {chat_id} has no message {reply_to} to reply to")
                replied = {k: v for k, v in stored.payload.items() if k != "reply_to_message"}
            if thread_id is not None and not (chat.is_forum and thread_id in chat.topics):
                raise AssertionError(f"chat {chat_id} has no open topic {thread_id}")
            message = self._user_message(chat, text, entities, caption_of=caption_of)
            message["from"] = user
            if thread_id is not None:
                message["message_thread_id"] = thread_id
                message["is_topic_message"] = True
            if replied is not None:
                message["reply_to_message"] = replied
            if thread_id is not None:
                message["message_thread_id"] = thread_id
                message["is_topic_message"] = True
            return self._enqueue({"message": message})

    def channel_posts(
        self, chat_id: int, text: str, *, title: str = "Test Channel", username: str | None = None
    ) -> JSONDict:
        """Queue a post in a channel where the bot is an admin; return the update."""
        with self._lock:
            chat = self._remember_chat(chat_id, "channel", title, username, None)
            message = self._user_message(chat, text)
            message["sender_chat"] = chat.to_json()
            return self._enqueue({"channel_post": message})

    def user_presses(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        forged: bool = False,
    ) -> JSONDict:
        """Queue a callback_query for a button the bot's message currently shows.

        ``forged``: any ``data`` at all, as a modified client can send.
        """
        with self._lock:
            stored = self._messages.get(chat_id, {}).get(message_id)
            if stored is None or stored.record is None or stored.record.deleted:
                raise AssertionError(f"the bot has no message {message_id} in chat {chat_id}")
            buttons = callback_data_of(stored.record.reply_markup)
            if data not in buttons and not forged:
                raise AssertionError(
                    f"message {message_id} has no button with callback_data {data!r}; "
                    f"it has {buttons}"
                )
            chat = self._chats[chat_id]
            user_id = user_id or (chat_id if chat.type == "private" else DEFAULT_GROUP_USER_ID)
            user = self._users.get(user_id) or self._remember_user(user_id, "Test", "en", None)
            self._last_query_id += 1
            query_id = str(self._last_query_id)
            self._open_queries.add(query_id)
            query = {
                "id": query_id,
                "from": user,
                "message": copy.deepcopy(stored.payload),
                "chat_instance": str(abs(chat_id) * 7919),
                "data": data,
            }
            return self._enqueue({"callback_query": query})

    def user_adds_bot(
        self,
        chat_id: int,
        *,
        user_id: int,
        chat_type: str = "group",
        title: str = "Test Group",
        language_code: str = "en",
        first_name: str = "Test",
    ) -> list[JSONDict]:
        """Queue what Telegram sends when a user adds the bot to a group or a channel.

        A group gets ``my_chat_member`` (left → member) and a service message with
        ``new_chat_members``; a channel, where bots can only be administrators, gets
        ``my_chat_member`` (left → administrator) alone. Returns the updates.
        """
        if chat_type not in ("group", "supergroup", "channel"):
            raise ValueError("bots are added to groups, supergroups and channels")
        with self._lock:
            user = self._remember_user(user_id, first_name, language_code, None)
            chat = self._remember_chat(chat_id, chat_type, title, None, None)
            chat.members[user_id] = chat.members.get(user_id, "administrator")
            bot = dict(self.bot_user)
            if chat_type == "channel":
                chat.members[bot["id"]] = "administrator"
                joined: JSONDict = {
                    "status": "administrator",
                    "user": bot,
                    **admin_fields(creator=False),
                    "can_post_messages": True,
                    "can_edit_messages": True,
                }
            else:
                chat.members[bot["id"]] = "member"
                joined = {"status": "member", "user": bot}
            updates = [
                self._enqueue(
                    {
                        "my_chat_member": {
                            "chat": chat.to_json(),
                            "from": user,
                            "date": int(time.time()),
                            "old_chat_member": {"status": "left", "user": bot},
                            "new_chat_member": joined,
                        }
                    }
                )
            ]
            if chat_type != "channel":
                message = self._user_message(chat, "")
                del message["text"]
                message["from"] = user
                message["new_chat_members"] = [bot]
                updates.append(self._enqueue({"message": message}))
            return updates

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue a raw update (update_id is added if missing); chats in it become known."""
        update = copy.deepcopy(update)
        with self._lock:
            for chat in chats_in(update):
                self._remember_chat(
                    chat["id"],
                    chat["type"],
                    chat.get("title"),
                    chat.get("username"),
                    chat.get("first_name"),
                )
            for kind in ("message", "edited_message", "channel_post"):
                message = update.get(kind)
                if isinstance(message, dict) and "message_id" in message:
                    chat_id = message["chat"]["id"]
                    self._messages.setdefault(chat_id, {})[message["message_id"]] = Stored(message)
                    last = self._last_message_id.get(chat_id, 0)
                    self._last_message_id[chat_id] = max(last, message["message_id"])
            if "update_id" not in update:
                return self._enqueue(update)
            self._last_update_id = max(self._last_update_id, update["update_id"])
            self._updates.append(update)
        self._notify()
        return copy.deepcopy(update)


def chats_in(value: object) -> Iterator[JSONDict]:
    """Every Chat object nested in an update, so pushed updates make their chats known."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("chat", "sender_chat") and isinstance(item, dict) and "type" in item:
                yield item
            yield from chats_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from chats_in(item)
