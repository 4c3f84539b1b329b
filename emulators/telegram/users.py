"""What users do: the updates a user's actions in a Telegram client would produce."""

from __future__ import annotations

import re
import time
from typing import Any

from emulators.telegram.entities import _u16
from emulators.telegram.models import SentMessage, TgGroup, TgUser
from emulators.telegram.protocol import MAX_CAPTION, MAX_TEXT

_BOT_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{1,64})?$")
_OWN: Any = object()  # user_contact's default: the user's own contact


class UserActions:
    """``user_*`` builders and blocking; ``deliver`` (updates.py) hands the updates to the bot.

    Part of TelegramEmulator (server.py): the state it uses is set up in
    ``TelegramEmulator.__init__`` and the shared helpers (``_known_chat``,
    ``_message_json``, ...) live there too.
    """

    def user_message(
        self,
        user: TgUser,
        text: str,
        *,
        group: TgGroup | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict:
        """A text message from the user (in `group` when given, in its forum topic `thread_id`, replying to
        `reply_to`); a leading command gets its bot_command entity."""
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        if _u16(text) > MAX_TEXT:
            raise ValueError("Telegram clients split texts longer than 4096 characters")
        message = self._in_topic(self._user_message_base(user, group), group, thread_id, reply_to)
        message["text"] = text
        command = text.split(maxsplit=1)[0]
        if text.startswith("/") and _BOT_COMMAND_RE.match(command):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": _u16(command)}]
        return self._new_update("message", message)

    def user_contact(
        self,
        user: TgUser,
        phone_number: str,
        *,
        contact_user_id: int | None = _OWN,  # type: ignore[assignment]
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> dict:
        """A shared contact; by default the user's own (user_id = user.id, as request_contact sends)."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name or user.first_name}
        if last_name is not None or (first_name is None and user.last_name):
            contact["last_name"] = last_name if last_name is not None else user.last_name
        user_id = user.id if contact_user_id is _OWN else contact_user_id
        if user_id is not None:
            contact["user_id"] = user_id
        message = self._user_message_base(user)
        message["contact"] = contact
        return self._new_update("message", message)

    def user_document(
        self,
        user: TgUser,
        filename: str,
        content: bytes,
        mime_type: str = "text/csv",
        caption: str | None = None,
        *,
        group: TgGroup | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict:
        """A file sent by the user; the bot can getFile and download it."""
        if not content:
            raise ValueError("Telegram does not accept empty files")
        if caption is not None and _u16(caption) > MAX_CAPTION:
            raise ValueError("caption is longer than 1024 characters")
        stored = self._store_file(filename, content, mime_type)
        message = self._in_topic(self._user_message_base(user, group), group, thread_id, reply_to)
        message["document"] = stored.document_json()
        if caption:
            message["caption"] = caption
        return self._new_update("message", message)

    def user_photo(
        self,
        user: TgUser,
        content: bytes,
        *,
        width: int = 640,
        height: int = 480,
        caption: str | None = None,
        group: TgGroup | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict:
        """A picture sent by the user (Telegram sends it as a `photo`: sizes of one image, not a document)."""
        if not content:
            raise ValueError("Telegram does not accept empty files")
        if caption is not None and _u16(caption) > MAX_CAPTION:
            raise ValueError("caption is longer than 1024 characters")
        stored = self._store_file("photo.jpg", content, "image/jpeg")
        message = self._in_topic(self._user_message_base(user, group), group, thread_id, reply_to)
        message["photo"] = stored.photo_json(width, height)
        if caption:
            message["caption"] = caption
        return self._new_update("message", message)

    def user_location(self, user: TgUser, latitude: float, longitude: float) -> dict:
        """The user shares a location (the "Share my location" button of a reply keyboard)."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueError("a latitude is within ±90 and a longitude within ±180")
        message = self._user_message_base(user)
        message["location"] = {"latitude": latitude, "longitude": longitude}
        return self._new_update("message", message)

    def user_press(
        self,
        user: TgUser,
        message_id: int,
        callback_data: str,
        *,
        forged: bool = False,
        group: TgGroup | None = None,
        inaccessible: bool = False,
    ) -> dict:
        """The user presses an inline button with callback_data under the bot's message (in `group` when given).

        `forged`: a modified client sends data no button carries (ownership tests need that), or a message
        of the chat the bot did not send (its `message_id` is then any of the chat's messages).
        `inaccessible`: the message is more than 48 hours old (or gone), and Telegram sends only its chat and
        id with date 0, an InaccessibleMessage; any `message_id` then, with any data.
        """
        chat_id = user.id if group is None else group.id
        chat = self._chat_for(user) if group is None else self._group_chat(group)
        if inaccessible:
            shown: dict[str, Any] = {"chat": chat.chat_json(), "message_id": message_id, "date": 0}
        else:
            message = self._find_message(chat_id, message_id)
            if message is None or message.deleted:
                raise LookupError(f"chat {chat_id} has no message {message_id} from the bot (or it was deleted)")
            datas = [button.get("callback_data") for button in message.buttons()] if message.inline_markup else []
            if callback_data not in datas and not forged:
                raise LookupError(
                    f"message {message_id} in chat {chat_id} has no inline button with callback_data "
                    f"{callback_data!r}; it has {[d for d in datas if d is not None]}"
                )
            shown = self._message_json(message)
        query_id = str(4_400_000_000_000_000_000 + next(self._callback_seq))
        self._callbacks[query_id] = {"at": time.monotonic(), "answered": False, "user_id": user.id}
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": shown,
            "chat_instance": str(-(abs(user.id) * 7919 + 17)),
            "data": callback_data,
        }
        return self._new_update("callback_query", query)

    def answered(self, update: dict) -> bool:
        """Whether the bot answered the callback query of `update` (Telegram shows a spinner until it does)."""
        return self._callbacks[update["callback_query"]["id"]]["answered"]

    def group_joined(
        self, group: TgGroup, by: TgUser, *, status: str = "member", can_restrict_members: bool = False
    ) -> dict:
        """`by` adds the bot to `group` (status `member`, or `administrator` when made an admin at once: it may
        manage topics, and ban members when `can_restrict_members`)."""
        chat = self._chats.get(group.id)
        if chat is not None:
            chat.left = False
        chat = self._group_chat(group)
        bot = self._bot_json(self.bot_id or 0)
        joined: dict[str, Any] = {"status": status, "user": bot}
        if status == "administrator":
            joined.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=False,
                can_manage_video_chats=False,
                can_restrict_members=False,
                can_promote_members=False,
                can_change_info=False,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
                can_send_welcome_messages=False,
                can_manage_topics=True,
            )
            joined["can_restrict_members"] = can_restrict_members
        chat.rights = frozenset(key for key, value in joined.items() if key.startswith("can_") and value is True)
        return self._new_update(
            "my_chat_member",
            {
                "chat": group.chat_json(),
                "from": by.to_json(),
                "date": int(time.time()),
                "old_chat_member": {"status": "left", "user": bot},
                "new_chat_member": joined,
            },
        )

    def topics(self, group_id: int) -> dict[int, str]:
        """The group's forum topics the bot created: message_thread_id → name."""
        return dict(self._chats[group_id].topics)

    def removed_from(self, group_id: int) -> list[int]:
        """Users the bot banned from the group, in order (whether unbanned since or not)."""
        return list(self._chats[group_id].removed)

    def banned_in(self, group_id: int) -> set[int]:
        return set(self._chats[group_id].banned)

    def in_topic(self, group_id: int, thread_id: int) -> list[SentMessage]:
        """The bot's messages in one forum topic, in order."""
        return [m for m in self._messages.get(group_id, ()) if m.thread_id == thread_id and not m.deleted]

    def is_member(self, group_id: int) -> bool:
        """Whether the bot is (still) in the group."""
        chat = self._chats.get(group_id)
        return chat is not None and chat.group is not None and not chat.left

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sends and chat actions to their chat get 403."""
        chat = self._chats.get(user_id)
        if chat is None:
            raise LookupError(f"user {user_id} never wrote to the bot")
        chat.blocked = True

    def unblock(self, user_id: int) -> None:
        self._chats[user_id].blocked = False
