"""What the fake records: calls, failures, the bot's messages, and its chats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from tests.support.fakebotapi.errors import JSONDict


class ApiCall(NamedTuple):
    """One request the bot made; ``at`` is ``time.monotonic()`` on arrival."""

    method: str
    params: JSONDict
    at: float


class FailedCall(NamedTuple):
    """A request answered with an error, kept so timeouts can explain what went wrong."""

    method: str
    status: int
    description: str


@dataclass
class SentMessage:
    """A message the bot sent, in its current state; ``edits`` lists each applied edit."""

    chat_id: int
    message_id: int
    text: str  # as the bot sent it (e.g. with HTML tags)
    plain_text: str  # what the user sees
    entities: list[JSONDict]
    parse_mode: str | None
    reply_markup: JSONDict | None
    link_preview_options: JSONDict | None
    disable_web_page_preview: bool | None
    reply_to_message_id: int | None
    date: int
    edits: list[JSONDict] = field(default_factory=list)
    deleted: bool = False
    quote: JSONDict | None = None
    """The TextQuote of a reply that quotes part of its message: text and UTF-16 position."""
    allow_paid_broadcast: bool = False
    """Sent as a paid broadcast (up to 1,000 messages a second, billed in Stars)."""
    message_thread_id: int | None = None
    """The forum topic it was posted in."""


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    blocked: bool = False
    members: dict[int, str] = field(default_factory=dict)

    def to_json(self) -> JSONDict:
        chat: JSONDict = {"id": self.id, "type": self.type}
        for name in ("title", "username", "first_name"):
            if getattr(self, name) is not None:
                chat[name] = getattr(self, name)
        return chat


@dataclass
class Stored:
    payload: JSONDict  # the Message object as Telegram would return it
    record: SentMessage | None = None  # set for the bot's own messages


@dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None


_ADMIN_RIGHTS = [
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
]


def admin_fields(creator: bool) -> JSONDict:
    """The fields PTB requires of ChatMemberOwner / ChatMemberAdministrator."""
    if creator:
        return {"is_anonymous": False}
    return {"can_be_edited": False, "is_anonymous": False, **dict.fromkeys(_ADMIN_RIGHTS, True)}


MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "left", "kicked"})
