"""The Bot API methods other than updates: sending, editing, deleting, callbacks, commands, files."""

from __future__ import annotations

import json
import logging
import mimetypes
import re
import time
from typing import Any

from emulators.telegram.entities import _trim, _u16, parse_html
from emulators.telegram.markup import _parse_reply_markup
from emulators.telegram.models import SentMessage, _Chat, _StoredFile
from emulators.telegram.protocol import (
    MAX_CALLBACK_ANSWER,
    MAX_CAPTION,
    MAX_DOWNLOAD,
    MAX_TEXT,
    MAX_UPLOAD,
    ApiError,
    _Args,
    _bad,
    _flood,
)

log = logging.getLogger(__name__)

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
# BotCommandScope types and the fields each requires.
_SCOPE_FIELDS: dict[str, tuple[str, ...]] = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}
_CHAT_ACTIONS = frozenset(
    {
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
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same"
    " as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class BotApiMethods:
    """Handlers of the Bot API methods named in ``TelegramEmulator._methods``, except updates.

    Each takes the request arguments and the bot id and returns the result,
    raising ApiError with Telegram's code and description when Telegram would refuse.

    Part of TelegramEmulator (server.py): the state it uses is set up in
    ``TelegramEmulator.__init__`` and the shared helpers (``_known_chat``,
    ``_message_json``, ...) live there too.
    """

    def _get_me(self, args: _Args, bot_id: int) -> dict:
        return {
            **self._bot_json(bot_id),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    # ----------------------------------------------------------------- sending

    async def _send_message(self, args: _Args, bot_id: int) -> dict:
        text, entities, html = self._formatted_text(args, "text", "entities", required=True)
        markup = _parse_reply_markup(args)
        self._check_reply_to(args)
        chat = self._writable_chat(args)
        if _u16(text) > MAX_TEXT:
            raise _bad("message is too long")
        thread_id = self._thread(args, chat)
        self._take_flood(chat.id)
        message = self._add_message(
            chat, bot_id, "text", text=text, html=html, entities=entities, markup=markup, **thread_id
        )
        return self._message_json(message)

    async def _send_document(self, args: _Args, bot_id: int) -> dict:
        return self._send_file(args, bot_id, "document")

    async def _send_photo(self, args: _Args, bot_id: int) -> dict:
        return self._send_file(args, bot_id, "photo")

    def _send_file(self, args: _Args, bot_id: int, kind: str) -> dict:
        """sendDocument and sendPhoto: the file in `kind`'s field, with an optional caption under its limit."""
        stored = self._input_file(args, kind)
        caption, entities, html = self._formatted_text(args, "caption", "caption_entities", required=False)
        markup = _parse_reply_markup(args)
        self._check_reply_to(args)
        chat = self._writable_chat(args)
        if _u16(caption) > MAX_CAPTION:
            raise _bad("message caption is too long")
        thread_id = self._thread(args, chat)
        self._take_flood(chat.id)
        message = self._add_message(
            chat,
            bot_id,
            kind,
            **thread_id,
            text=caption,
            html=html,
            entities=entities,
            markup=markup,
            document=(stored.file_name, stored.content),
            file_info=stored.photo_json() if kind == "photo" else stored.document_json(),
        )
        return self._message_json(message)

    async def _copy_message(self, args: _Args, bot_id: int) -> dict:
        """copyMessage: a user's message (text, photo, document) or the bot's own, sent again without a link."""
        source = self._known_chat(_Args({"chat_id": args.get("from_chat_id")}, {}))
        message_id = args.integer("message_id")
        if not message_id:
            raise _bad("message identifier is not specified")
        original = source.user_messages.get(message_id)
        if original is None:
            sent = self._find_message(source.id, message_id)
            if sent is None or sent.deleted:
                raise _bad("message to copy not found")
            original = self._message_json(sent)
        markup = _parse_reply_markup(args)
        chat = self._writable_chat(args)
        thread_id = self._thread(args, chat)
        if "caption" in args.values:
            caption, entities, html = self._formatted_text(args, "caption", "caption_entities", required=False)
        else:
            caption, entities, html = original.get("caption", ""), original.get("caption_entities", []), None
        if "text" in original:
            kind, extra = "text", {}
            caption, entities = original["text"], original.get("entities", [])
        elif "photo" in original:
            stored = self._files[original["photo"][-1]["file_id"]]
            kind, extra = "photo", {"document": (stored.file_name, stored.content), "file_info": original["photo"]}
        elif "document" in original:
            stored = self._files[original["document"]["file_id"]]
            kind, extra = (
                "document",
                {"document": (stored.file_name, stored.content), "file_info": original["document"]},
            )
        else:
            raise _bad("the message can't be copied")  # service messages, contacts, locations: not needed here
        if _u16(caption) > (MAX_TEXT if kind == "text" else MAX_CAPTION):
            raise _bad("message caption is too long")
        self._take_flood(chat.id)
        message = self._add_message(
            chat, bot_id, kind, text=caption, html=html, entities=entities, markup=markup, **extra, **thread_id
        )
        return {"message_id": message.message_id}

    # ----------------------------------------------------------------- forums and members

    def _create_forum_topic(self, args: _Args, bot_id: int) -> dict:
        chat = self._writable_chat(args)
        name = args.get("name")
        if chat.group is None or not chat.group.is_forum:
            raise _bad("the chat is not a forum")
        if "can_manage_topics" not in chat.rights:
            raise _bad("not enough rights to create a topic")
        if not 1 <= len(name) <= 128:
            raise _bad("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        icon_color = args.integer("icon_color", 0x6FB9F0)
        if icon_color not in (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F):
            raise _bad("TOPIC_ICON_COLOR_INVALID")  # emulator guess at the code; the colours are documented
        thread_id = chat.take_message_id()  # the topic's id is its "topic created" service message's
        chat.topics[thread_id] = name
        return {"message_thread_id": thread_id, "name": name, "icon_color": icon_color}

    def _thread(self, args: _Args, chat: _Chat) -> dict[str, int]:
        """`message_thread_id` of a send: a topic of this forum, or refused like Telegram."""
        thread_id = args.integer("message_thread_id")
        if not thread_id:
            return {}
        if chat.group is None or thread_id not in chat.topics:
            raise _bad("message thread not found")
        return {"thread_id": thread_id}

    def _member_change(self, args: _Args) -> tuple[_Chat, int]:
        chat = self._known_chat(args)
        if chat.group is None:
            raise _bad("chat member status can't be changed in private chats")
        user_id = args.integer("user_id")
        if user_id <= 0:
            raise _bad("invalid user_id specified")
        if chat.left:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.group.type} chat")
        if "can_restrict_members" not in chat.rights:
            raise _bad("not enough rights to restrict/unban chat member")
        return chat, user_id

    def _ban_chat_member(self, args: _Args, bot_id: int) -> bool:
        chat, user_id = self._member_change(args)
        chat.banned.add(user_id)
        chat.removed.append(user_id)
        return True

    def _unban_chat_member(self, args: _Args, bot_id: int) -> bool:
        chat, user_id = self._member_change(args)
        chat.banned.discard(user_id)  # only_if_banned or not: nobody is added back, they may join again
        return True

    async def _send_venue(self, args: _Args, bot_id: int) -> dict:
        latitude, longitude = self._location(args)
        title, address = args.get("title"), args.get("address")
        if not title.strip():
            raise _bad("VENUE_TITLE_INVALID")  # emulator guess at the server's code for an empty title
        markup = _parse_reply_markup(args)
        chat = self._writable_chat(args)
        self._take_flood(chat.id)
        venue = {"latitude": latitude, "longitude": longitude, "title": title, "address": address}
        message = self._add_message(chat, bot_id, "venue", markup=markup, venue=venue)
        return self._message_json(message)

    async def _send_location(self, args: _Args, bot_id: int) -> dict:
        latitude, longitude = self._location(args)
        markup = _parse_reply_markup(args)
        chat = self._writable_chat(args)
        self._take_flood(chat.id)
        message = self._add_message(
            chat, bot_id, "location", markup=markup, venue={"latitude": latitude, "longitude": longitude}
        )
        return self._message_json(message)

    def _leave_chat(self, args: _Args, bot_id: int) -> bool:
        chat = self._known_chat(args)
        if chat.group is None:
            raise _bad("chat member status can't be changed in private chats")
        if chat.left:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.group.type} chat")
        chat.left = True
        return True

    def _send_chat_action(self, args: _Args, bot_id: int) -> bool:
        if args.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._writable_chat(args)
        return True

    @staticmethod
    def _location(args: _Args) -> tuple[float, float]:
        latitude = args.number("latitude", "latitude is empty")
        longitude = args.number("longitude", "longitude is empty")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise _bad("wrong location specified")  # emulator wording; tdlib refuses such points
        return latitude, longitude

    def _formatted_text(
        self, args: _Args, field_name: str, entities_field: str, *, required: bool
    ) -> tuple[str, list[dict], str | None]:
        """(plain text, entities, raw HTML or None) of text/caption + parse_mode, trimmed like Telegram."""
        raw = args.get(field_name)
        if required and not raw:
            raise _bad("message text is empty")
        if len(raw.encode()) > 1 << 15:
            raise _bad("text is too long")
        mode = args.get("parse_mode").lower()
        html = None
        if not raw:
            return "", [], None
        if mode in ("", "none"):
            text, entities = raw, self._explicit_entities(args, entities_field)
        elif mode == "html":
            text, entities = parse_html(raw, strict_ampersand=self.strict_html_entities)
            html = raw
        elif mode in ("markdown", "markdownv2"):
            raise _bad(f"can't parse entities: parse_mode {args.get('parse_mode')} is not supported by the emulator")
        else:
            raise _bad("unsupported parse_mode")
        text, entities = _trim(text, entities)
        if required and not text:
            raise _bad("message text is empty")
        return text, entities, html

    @staticmethod
    def _explicit_entities(args: _Args, name: str) -> list[dict]:
        entities = args.parsed(name, f"can't parse {name} JSON object")
        if entities is None:
            return []
        if not isinstance(entities, list) or not all(
            isinstance(e, dict) and {"type", "offset", "length"} <= e.keys() for e in entities
        ):
            raise _bad(f"can't parse {name}: MessageEntity must have type, offset and length")
        return entities

    def _input_file(self, args: _Args, field_name: str) -> _StoredFile:
        value = args.get(field_name)
        upload = None
        if value.startswith("attach://"):
            upload = args.files.get(value[len("attach://") :])
        elif not value:
            upload = args.files.get(field_name)
        if upload is not None:
            name, content = upload
            if not content:
                raise _bad("file must be non-empty")
            if len(content) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            mime = mimetypes.guess_type(name or "")[0] or "application/octet-stream"
            return self._store_file(name or field_name, content, mime)
        if not value or value.startswith("attach://"):
            raise _bad(f"there is no {field_name} in the request")
        if value in self._files:
            return self._files[value]
        if re.match(r"^https?://", value):
            raise _bad("failed to get HTTP URL content (the emulator does not download URLs)")
        raise _bad("wrong file identifier/HTTP URL specified")

    def _add_message(
        self,
        chat: _Chat,
        bot_id: int,
        kind: str,
        *,
        text: str = "",
        html: str | None = None,
        entities: list[dict] | None = None,
        markup: dict | None = None,
        **extra: Any,
    ) -> SentMessage:
        message = SentMessage(
            chat_id=chat.id,
            message_id=chat.take_message_id(),
            kind=kind,
            text=text,
            html=html,
            reply_markup=markup,
            entities=entities or [],
            date=int(time.time()),
            bot_id=bot_id,
            **extra,
        )
        self._messages.setdefault(chat.id, []).append(message)
        self._changed(message, "new")
        return message

    def _check_reply_to(self, args: _Args) -> None:
        params = args.parsed("reply_parameters", "can't parse reply parameters JSON object")
        params = params if isinstance(params, dict) else {}
        reply_to = params.get("message_id") or args.integer("reply_to_message_id")
        if not reply_to or params.get("allow_sending_without_reply") or args.flag("allow_sending_without_reply"):
            return
        chat = self._chats.get(args.integer("chat_id"))
        if chat is None:
            return  # "chat not found" comes next
        message = self._find_message(chat.id, reply_to)
        if reply_to not in chat.user_message_ids and (message is None or message.deleted):
            raise _bad("message to be replied not found")

    # ----------------------------------------------------------------- editing and deleting

    def _edit_message_text(self, args: _Args, bot_id: int) -> dict:
        text, entities, html = self._formatted_text(args, "text", "entities", required=True)
        markup = self._inline_markup_for_edit(args)
        message = self._message_to_edit(args)
        if message.kind != "text":
            raise _bad("there is no text in the message to edit")
        if _u16(text) > MAX_TEXT:
            raise _bad("message is too long")
        if (text, entities, markup) == (message.text, message.entities, message.inline_markup):
            raise _bad(_NOT_MODIFIED)
        message.text, message.entities, message.html = text, entities, html
        # Leaving reply_markup out of an edit removes the inline keyboard, as in Telegram.
        if markup is not None or message.inline_markup is not None:
            message.reply_markup = markup
        message.edit_date = int(time.time())
        message.edits += 1
        self._changed(message, "edit")
        return self._message_json(message)

    def _edit_message_reply_markup(self, args: _Args, bot_id: int) -> dict:
        markup = self._inline_markup_for_edit(args)
        message = self._message_to_edit(args)
        if markup == message.inline_markup:
            raise _bad(_NOT_MODIFIED)
        message.reply_markup = markup
        message.edits += 1
        self._changed(message, "edit")
        return self._message_json(message)

    @staticmethod
    def _inline_markup_for_edit(args: _Args) -> dict | None:
        markup = _parse_reply_markup(args)
        if markup is not None and "inline_keyboard" not in markup:
            raise _bad("inline keyboard expected")  # edits can carry only inline keyboards
        return markup

    def _message_to_edit(self, args: _Args) -> SentMessage:
        if not args.get("chat_id") and not args.get("message_id"):
            if args.get("inline_message_id"):
                raise _bad("MESSAGE_ID_INVALID")  # the emulator sends no inline messages
            raise _bad("message identifier is not specified")
        chat = self._known_chat(args)
        message_id = args.integer("message_id")
        message = self._find_message(chat.id, message_id)
        if message is None or message.deleted:
            if message_id in chat.user_message_ids:
                raise _bad("message can't be edited")
            raise _bad("message to edit not found")
        return message

    def _delete_message(self, args: _Args, bot_id: int) -> bool:
        chat = self._known_chat(args)
        message_id = args.integer("message_id")
        if message_id == 0:
            raise _bad("message identifier is not specified")
        if not self._delete_one(chat, message_id):
            raise _bad("message to delete not found")
        return True

    def _delete_messages(self, args: _Args, bot_id: int) -> bool:
        chat = self._known_chat(args)
        ids = args.parsed("message_ids", "can't parse message identifiers JSON object")
        if not isinstance(ids, list) or not ids:
            raise _bad("message identifiers are not specified")
        if len(ids) > 100:
            raise _bad("too many message identifiers specified")
        if not all(isinstance(message_id, int) for message_id in ids):
            raise _bad("can't parse message identifiers: Integer expected")
        for message_id in ids:  # missing ones are skipped, as documented
            self._delete_one(chat, message_id)
        return True

    def _delete_one(self, chat: _Chat, message_id: int) -> bool:
        if message_id in chat.user_message_ids:  # bots may delete incoming messages in private chats
            chat.user_message_ids.discard(message_id)
            return True
        message = self._find_message(chat.id, message_id)
        if message is None or message.deleted:
            return False
        message.deleted = True
        self._changed(message, "delete")
        return True

    # ----------------------------------------------------------------- callbacks, commands, files

    def _answer_callback_query(self, args: _Args, bot_id: int) -> bool:
        query_id = args.get("callback_query_id")
        text = args.get("text")
        if _u16(text) > MAX_CALLBACK_ANSWER:
            raise _bad("MESSAGE_TOO_LONG")
        query = self._callbacks.get(query_id)
        if query is None or query["answered"] or time.monotonic() - query["at"] > self.callback_query_ttl:
            raise _bad(_QUERY_TOO_OLD)
        query["answered"] = True
        answer = {
            "callback_query_id": query_id,
            "text": text or None,
            "show_alert": args.flag("show_alert"),
            "url": args.get("url") or None,
            "cache_time": args.integer("cache_time", 0),
            "user_id": query.get("user_id"),
        }
        self.callback_answers.append(answer)
        for callback in list(self.on_answer):
            try:
                callback(answer)
            except Exception:
                log.exception("on_answer callback failed")
        return True

    def _commands_key(self, args: _Args) -> tuple[str, str]:
        """The scope (as Telegram reads it: its type and the fields that type takes) and the language."""
        scope = args.parsed("scope", "can't parse BotCommandScope JSON object") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise _bad("can't parse BotCommandScope: Can't find field \"type\"")
        kind = scope["type"]
        if kind not in _SCOPE_FIELDS:
            raise _bad("unsupported bot command scope type specified")
        normalized: dict[str, Any] = {"type": kind}
        for name in _SCOPE_FIELDS[kind]:
            if name not in scope:
                raise _bad(f"can't parse BotCommandScope: Can't find field \"{name}\"")
        if "chat_id" in _SCOPE_FIELDS[kind]:
            chat = self._scope_chat(scope["chat_id"])
            if kind != "chat" and chat.group is None:
                raise _bad("can't use specified scope in private chats")
            normalized["chat_id"] = chat.id
        if "user_id" in _SCOPE_FIELDS[kind]:
            user_id = scope["user_id"]
            if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
                raise _bad("invalid user_id specified")
            normalized["user_id"] = user_id
        language = args.get("language_code")
        if language and not re.match(r"^[a-z]{2}$", language):
            raise _bad("invalid language code specified")
        return json.dumps(normalized, sort_keys=True, separators=(",", ":")), language

    def _scope_chat(self, chat_id: Any) -> _Chat:
        """A scope's chat: a known one by its id (a number, or digits in a string); `@username` names none here."""
        try:
            chat = None if isinstance(chat_id, bool) else self._chats.get(int(chat_id))
        except (TypeError, ValueError):
            chat = None
        if chat is None:
            raise _bad("chat not found")
        return chat

    def chat_commands(self, chat_id: int, language: str = "") -> list[dict] | None:
        """What setMyCommands set for one chat's scope (`BotCommandScopeChat`) in `language`; None: nothing."""
        key = json.dumps({"chat_id": chat_id, "type": "chat"}, sort_keys=True, separators=(",", ":"))
        return self.commands.get((key, language))

    def _set_my_commands(self, args: _Args, bot_id: int) -> bool:
        commands = args.parsed("commands", "can't parse commands JSON object") or []
        if not isinstance(commands, list):
            raise _bad("expected an Array of BotCommand")
        if len(commands) > 100:
            raise _bad("too many commands specified")
        for command in commands:
            if not isinstance(command, dict) or not {"command", "description"} <= command.keys():
                raise _bad('can\'t parse BotCommand: Can\'t find field "command" or "description"')
            if not _COMMAND_RE.match(str(command["command"])):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command["description"]).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(args)
        if commands:
            self.commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        else:
            self.commands.pop(key, None)
        return True

    def _delete_my_commands(self, args: _Args, bot_id: int) -> bool:
        self.commands.pop(self._commands_key(args), None)
        return True

    def _get_my_commands(self, args: _Args, bot_id: int) -> list[dict]:
        return list(self.commands.get(self._commands_key(args), []))

    def _get_file(self, args: _Args, bot_id: int) -> dict:
        file_id = args.get("file_id")
        if not file_id:
            raise _bad("file_id not specified")
        stored = self._files.get(file_id)
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _close(self, args: _Args, bot_id: int) -> bool:
        # Telegram refuses close in the first 10 minutes after the bot was launched.
        left = 600 - (time.monotonic() - self._started_at)
        if left > 0:
            raise _flood(left)
        return True

    def _log_out(self, args: _Args, bot_id: int) -> bool:
        return True
