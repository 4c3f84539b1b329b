"""Telegram-side records: users and their chats, the messages the bot sent, stored files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TgUser:
    id: int
    first_name: str = "Test"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "ru"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def chat_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        for key in ("last_name", "username"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class TgGroup:
    """A group the bot was added to: `supergroup` (ids start with -100; forums are supergroups) or `group`."""

    id: int
    title: str = "Team"
    type: str = "supergroup"
    is_forum: bool = False

    def chat_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type, "title": self.title}
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass
class SentMessage:
    """One message the bot sent into a chat, in its current state."""

    chat_id: int
    message_id: int
    kind: str  # "text" | "document" | "photo" | "venue" | "location"
    text: str  # plain text after entity parsing (the caption for documents; "" for venue/location)
    html: str | None  # the raw text as sent when parse_mode was HTML, else None
    reply_markup: dict | None  # inline_keyboard / keyboard / remove_keyboard / force_reply, as JSON
    document: tuple[str, bytes] | None = None  # (filename, content)
    venue: dict | None = None  # latitude, longitude (+ title, address for a venue)
    edits: int = 0
    deleted: bool = False
    entities: list[dict] = field(default_factory=list, repr=False)
    date: int = field(default=0, repr=False)
    edit_date: int | None = field(default=None, repr=False)
    bot_id: int = field(default=0, repr=False)
    file_info: dict | None = field(default=None, repr=False)  # the Bot API Document object (PhotoSize list for a photo)
    thread_id: int | None = None  # the forum topic the message is in
    reply_to: int | None = field(default=None, repr=False)  # the message it replies to

    @property
    def inline_markup(self) -> dict | None:
        """The inline keyboard attached to the message (the only markup a Message carries)."""
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            return self.reply_markup
        return None

    def buttons(self) -> list[dict]:
        """Inline keyboard buttons (text + callback_data/url/...) or reply keyboard buttons, flattened."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [button if isinstance(button, dict) else {"text": button} for row in rows for button in row]

    def button(self, text_part: str) -> dict:
        """The first button whose text contains text_part."""
        for button in self.buttons():
            if text_part in button.get("text", ""):
                return button
        texts = [button.get("text") for button in self.buttons()]
        raise LookupError(f"no button containing {text_part!r} in message {self.message_id}; buttons: {texts}")


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    content: bytes
    file_path: str

    def document_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }

    def photo_json(self, width: int = 640, height: int = 480) -> list[dict[str, Any]]:
        """The PhotoSize list Telegram gives for a picture: a thumbnail and the picture itself."""
        size = {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": len(self.content)}
        return [
            {**size, "width": max(1, width // 4), "height": max(1, height // 4)},
            {**size, "width": width, "height": height},
        ]


@dataclass
class _Chat:
    """A private chat with `user`, or a `group` the bot is in (until it leaves: `left`)."""

    user: TgUser | None
    group: TgGroup | None = None
    next_message_id: int = 1
    user_message_ids: set[int] = field(default_factory=set)
    blocked: bool = False
    left: bool = False
    rights: frozenset[str] = frozenset()  # the bot's admin rights in a group (`can_manage_topics`, ...)
    topics: dict[int, str] = field(default_factory=dict)  # forum topics: message_thread_id → name
    banned: set[int] = field(default_factory=set)  # users banned from the group (until unbanned)
    removed: list[int] = field(default_factory=list)  # every user banned, in order (kept after an unban)
    user_messages: dict[int, dict] = field(default_factory=dict)  # message_id → the Message JSON users sent

    @property
    def id(self) -> int:
        return self.group.id if self.group is not None else self.user.id

    def chat_json(self) -> dict[str, Any]:
        return self.group.chat_json() if self.group is not None else self.user.chat_json()

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id
