"""A strict Telegram Bot API emulator on loopback, for tests, the chat sandbox and benchmarks.

A real aiogram ``Bot`` talks to it through
``AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))``. The emulator plays
Telegram and every user: ``user_message`` / ``user_press`` / ... build the updates a user's
actions would produce, ``deliver`` hands them to the bot (getUpdates or webhook), and
``messages`` / ``last`` show what the bot put into each chat.

It refuses what real Telegram refuses, with the same HTTP codes and descriptions (taken from
tdlib/telegram-bot-api and tdlib's HTML parser), so that a flow which passes here does not fail
against the real server. Where it is stricter than Telegram it says so in the description.
Only aiohttp and the standard library are used.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import math
import mimetypes
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
from aiohttp import web

log = logging.getLogger(__name__)

__all__ = ["SentMessage", "TelegramEmulator", "TgUser", "parse_html"]

_TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]*$")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_BOT_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{1,64})?$")

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_UPLOAD = 50 * 1024 * 1024  # bots upload at most 50 MB ...
MAX_DOWNLOAD = 20 * 1024 * 1024  # ... and download at most 20 MB
LONG_POLL_MAX_TIMEOUT = 50  # telegram-bot-api clamps getUpdates timeout to this
# Delivered unless the bot asks otherwise (Bot API docs, allowed_updates).
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})  # fmt: skip
# Request fields that hold JSON; decoded only for the `calls` log.
_JSON_FIELDS = frozenset({
    "reply_markup", "entities", "caption_entities", "commands", "scope", "allowed_updates",
    "link_preview_options", "reply_parameters", "message_ids",
})  # fmt: skip
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same"
    " as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_BLOCKED = "Forbidden: bot was blocked by the user"
_OWN: Any = object()  # user_contact's default: the user's own contact


class ApiError(Exception):
    """A Bot API error answer: HTTP status = error_code, plus the description."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _flood(retry_after: float) -> ApiError:
    seconds = max(1, math.ceil(retry_after))
    return ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)


def _u16(text: str) -> int:
    """Length in UTF-16 code units: Telegram measures entity offsets (and we limits) in them."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML parse mode
# A port of tdlib's parse_html (td/telegram/MessageEntity.cpp) so errors read like Telegram's.

_HTML_TAGS = frozenset({
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
    "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
})  # fmt: skip
_HTML_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "code": "code", "pre": "pre",
}  # fmt: skip
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = " \t\r\n\0\v\f"  # tdlib's is_space; "\0" doubles as the end-of-text sentinel
_TRIM = " \t\r\n\v\f"


def _decode_entity(s: str, pos: int) -> tuple[str | None, int]:
    """Decode the HTML entity at s[pos] == "&" as tdlib does; (None, pos) when it is not one."""
    end = pos + 1
    if s[end] == "#":
        end += 1
        code = 0
        if s[end] == "x":
            end += 1
            while s[end] in "0123456789abcdefABCDEF":
                code = code * 16 + int(s[end], 16)
                end += 1
        else:
            while s[end] in "0123456789":
                code = code * 10 + int(s[end])
                end += 1
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF or end - pos >= 10:
            return None, pos
        char = chr(code)
    else:
        while s[end].isascii() and s[end].isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(s[pos + 1 : end])
        if char is None:
            return None, pos
    if s[end] == ";":
        end += 1
    return char, end


def _html_link(url: str) -> str | None:
    """URL of an <a> entity, or None when tdlib would drop the link silently."""
    url = url.strip()
    scheme = urlsplit(url).scheme.lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) else ""
    if scheme in ("tg", "ton", "mailto"):
        return url
    if not scheme:
        url, scheme = "http://" + url, "http"
    if scheme not in ("http", "https"):
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return url if host else None


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of an HTML-formatted text; raises ApiError 400 like Telegram.

    With strict_ampersand a "&" that starts no entity is refused: the Bot API docs require it
    escaped, but tdlib keeps it literally, so that error exists only in the emulator.
    """
    src = text
    s = text + "\0"
    out: list[str] = []
    u16 = 0
    stack: list[tuple[str, str, int, int]] = []  # tag, argument, utf-16 offset, len(out)
    entities: list[dict[str, Any]] = []

    def fail(message: str) -> ApiError:
        return _bad(f"can't parse entities: {message}")

    def byte_offset(index: int) -> int:
        return len(src[:index].encode("utf-8", "surrogatepass"))

    def entity_or_literal(i: int, sink: list[str]) -> int:
        char, after = _decode_entity(s, i)
        if char is None:
            if strict_ampersand:
                raise fail(
                    f'Character "&" must be escaped as "&amp;" at byte offset {byte_offset(i)}'
                    " (the emulator is stricter than Telegram here)"
                )
            char, after = "&", i + 1
        sink.append(char)
        return after

    i = 0
    while i < len(src):
        c = s[i]
        if c == "&":
            before = len(out)
            i = entity_or_literal(i, out)
            u16 += _u16("".join(out[before:]))
            continue
        if c != "<":
            out.append(c)
            u16 += _u16(c)
            i += 1
            continue
        begin = i
        i += 1
        if s[i] != "/":
            i, tag, argument = _parse_start_tag(s, begin, i, fail, byte_offset, entity_or_literal)
            stack.append((tag, argument, u16, len(out)))
            continue
        if not stack:
            raise fail(f"Unexpected end tag at byte offset {byte_offset(begin)}")
        while s[i] not in _SPACE and s[i] != ">":
            i += 1
        end_name = s[begin + 2 : i]
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        if s[i] != ">":
            raise fail(f"Unclosed end tag at byte offset {byte_offset(begin)}")
        i += 1
        tag, argument, start, out_start = stack.pop()
        if end_name and end_name != tag:
            raise fail(
                f'Unmatched end tag at byte offset {byte_offset(begin)}, expected "</{tag}>", found "</{end_name}>"'
            )
        if u16 > start:
            _add_html_entity(entities, tag, argument, start, u16 - start, "".join(out[out_start:]))
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        entity.pop("_language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_start_tag(s, begin, i, fail, byte_offset, entity_or_literal) -> tuple[int, str, str]:
    """Parse "<tag attr=...>" from s[i] (just after "<"); returns (index after ">", tag, argument)."""
    while s[i] not in _SPACE and s[i] != ">":
        i += 1
    if s[i] == "\0":
        raise fail(f"Unclosed start tag at byte offset {byte_offset(begin)}")
    tag = s[begin + 1 : i].lower()
    if tag not in _HTML_TAGS:
        raise fail(f'Unsupported start tag "{tag}" at byte offset {byte_offset(begin)}')
    argument = ""
    while s[i] != ">":
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        if s[i] == ">":
            break
        name_start = i
        while s[i] not in _SPACE and s[i] != "=":
            i += 1
        name = s[name_start:i]
        if not name:
            raise fail(f'Empty attribute name in the tag "{tag}" at byte offset {byte_offset(begin)}')
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        if s[i] != "=":
            if tag == "blockquote" and name == "expandable":
                argument = "1"
                continue
            raise fail(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {byte_offset(begin)}"
            )
        i += 1
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        if s[i] == "\0":
            raise fail(f'Unclosed start tag "{tag}" at byte offset {byte_offset(begin)}')
        if s[i] not in "'\"":
            token_start = i
            while (s[i].isascii() and s[i].isalnum()) or s[i] in ".-":
                i += 1
            value = s[token_start:i].lower()
            if s[i] not in _SPACE and s[i] != ">":
                raise fail(f"Unexpected end of name token at byte offset {byte_offset(token_start)}")
        else:
            quote = s[i]
            i += 1
            chars: list[str] = []
            while s[i] != quote and s[i] != "\0":
                if s[i] == "&":
                    i = entity_or_literal(i, chars)
                else:
                    chars.append(s[i])
                    i += 1
            if s[i] == quote:
                i += 1
            value = "".join(chars)
        if s[i] == "\0":
            raise fail(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
        elif tag == "blockquote" and name == "expandable":
            argument = "1"
    if tag == "span" and argument != "spoiler":
        raise fail(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}')
    return i + 1, tag, argument


def _add_html_entity(entities: list[dict], tag: str, argument: str, offset: int, length: int, inner: str) -> None:
    entity: dict[str, Any] = {"offset": offset, "length": length}
    if tag == "a":
        url = _html_link(argument or inner)
        if url is None:
            return
        entity.update(type="text_link", url=url)
    elif tag == "tg-emoji":
        if not argument.isdigit():
            return
        entity.update(type="custom_emoji", custom_emoji_id=argument)
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if argument else "blockquote"
    elif tag == "pre":
        entity["type"] = "pre"
        last = entities[-1] if entities else None
        # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
        if last and last["type"] == "code" and (last["offset"], last["length"]) == (offset, length):
            entities.pop()
            if last.get("_language"):
                entity["language"] = last["_language"]
    else:
        entity["type"] = _HTML_ENTITY_TYPES[tag]
        if tag == "code" and argument:
            entity["_language"] = argument
    entities.append(entity)


def _trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip surrounding whitespace as Telegram does, keeping entities on the same characters."""
    stripped = text.strip(_TRIM)
    if stripped == text:
        return text, entities
    shift = _u16(text[: len(text) - len(text.lstrip(_TRIM))])
    limit = _u16(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(limit, entity["offset"] - shift + entity["length"])
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


# --------------------------------------------------------------------------- public data types


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
class SentMessage:
    """One message the bot sent into a chat, in its current state."""

    chat_id: int
    message_id: int
    kind: str  # "text" | "document" | "venue" | "location"
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
    file_info: dict | None = field(default=None, repr=False)  # the Bot API Document object

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


@dataclass
class _Chat:
    user: TgUser
    next_message_id: int = 1
    user_message_ids: set[int] = field(default_factory=set)
    blocked: bool = False

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class _Bucket:
    """Token bucket: `capacity` sends at once, refilled at `rate` per second."""

    rate: float
    capacity: float
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class _Ok:
    """A successful answer that also carries a description (setWebhook does this)."""

    result: Any
    description: str


class _Args:
    """Request parameters as the Bot API server sees them: strings, plus uploaded files."""

    def __init__(self, values: dict[str, str], files: dict[str, tuple[str, bytes]]) -> None:
        self.values = values
        self.files = files

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def flag(self, name: str) -> bool:
        return self.get(name).strip().lower() in ("true", "1")

    def integer(self, name: str, default: int = 0, lo: int | None = None, hi: int | None = None) -> int:
        try:
            value = int(self.get(name).strip())
        except ValueError:
            return default
        if lo is not None:
            value = max(lo, value)
        if hi is not None:
            value = min(hi, value)
        return value

    def number(self, name: str, empty_error: str) -> float:
        raw = self.get(name).strip()
        if not raw:
            raise _bad(empty_error)
        try:
            return float(raw)
        except ValueError:
            return 0.0  # tdlib's to_double reads garbage as 0

    def parsed(self, name: str, error: str) -> Any:
        raw = self.get(name)
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise _bad(error) from None

    def for_log(self) -> dict[str, Any]:
        logged: dict[str, Any] = {}
        for key, value in self.values.items():
            if key in _JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            logged[key] = value
        logged.update(self.files)
        return logged


def _to_arg(value: Any) -> str | None:
    """A JSON body value the way the Bot API server turns it into a query argument."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------- reply markup


def _parse_reply_markup(args: _Args) -> dict | None:
    """Validate reply_markup like telegram-bot-api + Telegram; the normalized JSON or None."""
    markup = args.parsed("reply_markup", "can't parse reply keyboard markup JSON object")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("object expected as reply markup")
    keyboard = markup.get("keyboard")
    if keyboard is not None:
        rows = _rows(keyboard, 'Field "keyboard" must be an Array of Arrays')
        if any(rows):
            normalized = [[_keyboard_button(button) for button in row] for row in rows]
            extra = {k: markup[k] for k in ("resize_keyboard", "one_time_keyboard", "is_persistent",
                                             "input_field_placeholder", "selective") if k in markup}  # fmt: skip
            return {"keyboard": normalized, **extra}
    inline = markup.get("inline_keyboard")
    if inline is not None:
        rows = _rows(inline, 'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
        if any(rows):
            return {"inline_keyboard": [[_inline_button(button) for button in row] for row in rows]}
    if markup.get("remove_keyboard") or markup.get("hide_keyboard"):
        return {"remove_keyboard": True, **({"selective": markup["selective"]} if "selective" in markup else {})}
    if markup.get("force_reply"):
        return {"force_reply": True}
    return None  # e.g. {"inline_keyboard": []}: Telegram sends the message without markup


def _rows(value: Any, error: str) -> list[list]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise _bad(error)
    return value


def _button_text(button: Any, what: str) -> str:
    if not isinstance(button, dict):
        raise _bad(f"can't parse {what}: {'InlineKeyboardButton' if 'inline' in what else 'KeyboardButton'} must be an Object")
    if "text" not in button:
        raise _bad(f'can\'t parse {what}: Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _bad(f'can\'t parse {what}: Field "text" must be of type String')
    return button["text"]


def _keyboard_button(button: Any) -> dict:
    if isinstance(button, str):
        button = {"text": button}
    text = _button_text(button, "keyboard button")
    if not text.strip():
        raise _bad("BUTTON_TEXT_INVALID")
    return button


# Inline button kinds in the order telegram-bot-api looks for them.
_INLINE_KINDS = ("url", "callback_data", "callback_game", "pay", "switch_inline_query",
                 "switch_inline_query_chosen_chat", "switch_inline_query_current_chat",
                 "login_url", "web_app", "copy_text")  # fmt: skip


def _inline_button(button: Any) -> dict:
    text = _button_text(button, "inline keyboard button")
    kinds = [k for k in _INLINE_KINDS if k in button and (k not in ("url", "callback_data") or button[k] != "")]
    if not kinds:
        raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if len(kinds) > 1:
        # Telegram silently keeps the first; a button meant as both is a bug worth reporting.
        raise _bad(f"can't parse inline keyboard button: exactly one of {kinds} must be used (emulator check)")
    kind = kinds[0]
    value = button[kind]
    if kind in ("url", "callback_data") and not isinstance(value, str):
        raise _bad(f'can\'t parse inline keyboard button: Field "{kind}" must be of type String')
    if not text.strip():
        raise _bad("BUTTON_TEXT_INVALID")
    if kind == "callback_data" and not 1 <= len(value.encode("utf-8")) <= 64:
        raise _bad("BUTTON_DATA_INVALID")
    if kind == "url":
        _check_button_url(value)
    if kind == "web_app":
        url = value.get("url", "") if isinstance(value, dict) else ""
        if urlsplit(url).scheme.lower() != "https":
            raise _bad(f"inline keyboard button Web App URL '{url}' is invalid: Only HTTPS links are allowed")
    return {"text": text, kind: value}


def _check_button_url(url: str) -> None:
    def invalid(reason: str) -> ApiError:
        return _bad(f"inline keyboard button URL '{url}' is invalid: {reason}")

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise invalid("Wrong port number specified in the URL") from None
    scheme = parts.scheme.lower()
    if scheme == "tg":
        if not (parts.netloc or parts.path):
            raise invalid("Wrong tg URL")
        return
    if scheme not in ("http", "https"):
        raise invalid("Unsupported URL protocol")
    host = parts.hostname or ""
    # Telegram refuses hosts that cannot be public (no dot: localhost, intranet names).
    if not host or ("." not in host and ":" not in host) or host.endswith("."):
        raise invalid("Wrong HTTP URL")


# --------------------------------------------------------------------------- the emulator


class TelegramEmulator:
    """A Bot API server for one (any-token) bot and any number of private chats.

    Attributes for inspection: ``calls`` (every request, in order), ``callback_answers``,
    ``commands`` ({(scope JSON, language_code): [BotCommand JSON]}), ``webhook`` (setWebhook
    parameters or None), ``updates`` (every update built), ``on_change`` (callbacks
    ``f(message, "new" | "edit" | "delete")``). Tunables: ``webhook_retry_delay``,
    ``webhook_timeout``, ``callback_query_ttl``, ``set_webhook_interval``, ``strict_html_entities``.

    Everything runs on the event loop that called ``start``; ``deliver`` may also be called
    from another thread (a terminal UI), the other user_* builders should run on the loop.
    """

    def __init__(self, *, bot_username: str = "dms_sandbox_bot", bot_first_name: str = "DMS") -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.base_url = ""
        self.bot_id: int | None = None  # the token digits of the last request
        self.calls: list[tuple[str, dict]] = []
        self.callback_answers: list[dict] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.webhook: dict | None = None
        self.updates: list[dict] = []
        self.on_change: list[Callable[[SentMessage, str], None]] = []
        self.webhook_retry_delay = 1.0
        self.webhook_timeout = 10.0
        self.callback_query_ttl = 15 * 60.0
        self.set_webhook_interval = 1.0  # telegram-bot-api allows one setWebhook a second
        self.strict_html_entities = True
        self._chats: dict[int, _Chat] = {}
        self._messages: dict[int, list[SentMessage]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_seq = itertools.count(1)
        self._update_seq = itertools.count(1)
        self._callback_seq = itertools.count(1)
        self._callbacks: dict[str, dict] = {}  # id -> {"at": monotonic, "answered": bool}
        self._delivered: set[int] = set()
        self._queue: list[dict] = []  # updates not yet confirmed by getUpdates / the webhook
        self._allowed_updates: frozenset[str] | None = None  # None: the default set
        self._poll: asyncio.Future[str] | None = None  # the pending long poll
        self._waiters: list[asyncio.Future[None]] = []
        self._webhook_task: asyncio.Task[None] | None = None
        self._stopping: set[asyncio.Task[None]] = set()
        self._webhook_error: tuple[int, str] | None = None
        self._last_set_webhook = -math.inf
        self._chat_buckets: dict[int, _Bucket] = {}
        self._global_bucket: _Bucket | None = None
        self._flood: tuple[float | None, float | None, int] | None = None
        self._started_at = time.monotonic()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._methods: dict[str, Callable[[_Args, int], Any]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": self._send_document,
            "sendvenue": self._send_venue,
            "sendlocation": self._send_location,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "getfile": self._get_file,
            "sendchataction": self._send_chat_action,
            "close": self._close,
            "logout": self._log_out,
        }

    # ----------------------------------------------------------------- server lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._loop = asyncio.get_running_loop()
        self._closing = False
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a poller that goes away must not leave its long poll hanging.
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.base_url = f"http://[{host}]:{bound_port}" if ":" in host else f"http://{host}:{bound_port}"

    async def stop(self) -> None:
        self._closing = True
        self._end_long_poll("closing")
        self._stop_webhook_task()
        await asyncio.gather(*self._stopping, return_exceptions=True)
        self._notify()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------- what users do

    def user_message(self, user: TgUser, text: str) -> dict:
        """A text message from the user; a leading command gets its bot_command entity."""
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        if _u16(text) > MAX_TEXT:
            raise ValueError("Telegram clients split texts longer than 4096 characters")
        message = self._user_message_base(user)
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
        self, user: TgUser, filename: str, content: bytes, mime_type: str = "text/csv", caption: str | None = None
    ) -> dict:
        """A file sent by the user; the bot can getFile and download it."""
        if not content:
            raise ValueError("Telegram does not accept empty files")
        if caption is not None and _u16(caption) > MAX_CAPTION:
            raise ValueError("caption is longer than 1024 characters")
        stored = self._store_file(filename, content, mime_type)
        message = self._user_message_base(user)
        message["document"] = stored.document_json()
        if caption:
            message["caption"] = caption
        return self._new_update("message", message)

    def user_press(self, user: TgUser, message_id: int, callback_data: str, *, forged: bool = False) -> dict:
        """The user presses an inline button with callback_data under the bot's message.

        `forged`: a modified client sends data no button carries (ownership tests need that).
        """
        message = self._find_message(user.id, message_id)
        if message is None or message.deleted:
            raise LookupError(f"chat {user.id} has no message {message_id} from the bot (or it was deleted)")
        datas = [button.get("callback_data") for button in message.buttons()] if message.inline_markup else []
        if callback_data not in datas and not forged:
            raise LookupError(
                f"message {message_id} in chat {user.id} has no inline button with callback_data "
                f"{callback_data!r}; it has {[d for d in datas if d is not None]}"
            )
        self._chat_for(user)
        query_id = str(4_400_000_000_000_000_000 + next(self._callback_seq))
        self._callbacks[query_id] = {"at": time.monotonic(), "answered": False}
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": self._message_json(message),
            "chat_instance": str(-(abs(user.id) * 7919 + 17)),
            "data": callback_data,
        }
        return self._new_update("callback_query", query)

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sends and chat actions to their chat get 403."""
        chat = self._chats.get(user_id)
        if chat is None:
            raise LookupError(f"user {user_id} never wrote to the bot")
        chat.blocked = True

    def unblock(self, user_id: int) -> None:
        self._chats[user_id].blocked = False

    def deliver(self, update: dict) -> None:
        """Queue an update for getUpdates, or for the webhook when one is set (in order, with retries)."""
        if self._loop is not None and self._loop.is_running() and not self._on_loop():
            self._loop.call_soon_threadsafe(self.deliver, update)
            return
        update.setdefault("update_id", next(self._update_seq))
        if update["update_id"] in self._delivered:
            raise ValueError(f"update {update['update_id']} was delivered already; Telegram sends each once")
        self._delivered.add(update["update_id"])
        kind = next(key for key in update if key != "update_id")
        allowed = self._allowed_updates
        if (kind in _DEFAULT_EXCLUDED_UPDATES) if allowed is None else (kind not in allowed):
            log.debug("update %s of type %s is not in allowed_updates: dropped", update["update_id"], kind)
            return
        self._queue.append(update)
        if self._poll and not self._poll.done():
            self._poll.set_result("update")
        self._notify()

    # ----------------------------------------------------------------- what the bot did

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to the chat, in send order (deleted ones with deleted=True)."""
        return list(self._messages.get(chat_id, ()))

    def last(self, chat_id: int) -> SentMessage:
        """The last message in the chat that is not deleted."""
        for message in reversed(self._messages.get(chat_id, ())):
            if not message.deleted:
                return message
        raise LookupError(f"the bot has no (undeleted) messages in chat {chat_id}")

    def reply_keyboard(self, chat_id: int) -> dict | None:
        """The reply keyboard the user currently sees (the last keyboard not removed since)."""
        current = None
        for message in self._messages.get(chat_id, ()):
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                current = markup
            elif "remove_keyboard" in markup:
                current = None
        return current

    def transcript(self, chat_id: int) -> str:
        """A readable dump of the chat, for failure messages and the terminal sandbox."""
        lines = []
        for m in self._messages.get(chat_id, ()):
            flags = (" [deleted]" if m.deleted else "") + (f" [edited x{m.edits}]" if m.edits else "")
            body = m.text if m.kind == "text" else f"<{m.kind}> {m.document[0] if m.document else ''} {m.text}"
            buttons = " | ".join(b.get("text", "") for b in m.buttons())
            lines.append(f"#{m.message_id}{flags}: {body}" + (f"  [{buttons}]" if buttons else ""))
        return "\n".join(lines)

    @property
    def pending_updates(self) -> list[dict]:
        return list(self._queue)

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """Wait until the bot has sent at least `count` messages to the chat.

        Deleted messages count too (it is the number of sends); the full list is returned.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self._messages.get(chat_id, ())) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                have = len(self._messages.get(chat_id, ()))
                raise TimeoutError(
                    f"chat {chat_id}: waited {timeout}s for {count} messages, have {have}:\n{self.transcript(chat_id)}"
                )
            waiter = loop.create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                pass
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        return self.messages(chat_id)

    def set_flood_limits(
        self, *, per_chat_per_second: float | None = 1.0, global_per_second: float | None = 30.0, burst: int = 3
    ) -> None:
        """Turn flood control on for send* methods (off by default; None disables one limit).

        Telegram allows short bursts, so a chat may take `burst` messages at once, then
        `per_chat_per_second`; the whole bot may take `global_per_second` at once and per second.
        """
        self._flood = (per_chat_per_second, global_per_second, burst)
        self._chat_buckets.clear()
        now = time.monotonic()
        self._global_bucket = (
            _Bucket(global_per_second, max(1.0, global_per_second), max(1.0, global_per_second), now)
            if global_per_second
            else None
        )

    def clear_flood_limits(self) -> None:
        self._flood = None
        self._global_bucket = None
        self._chat_buckets.clear()

    # ----------------------------------------------------------------- HTTP layer

    async def _handle_api(self, request: web.Request) -> web.Response:
        match = _TOKEN_RE.match(request.match_info["token"])
        if not match:
            return self._response(ApiError(401, "Unauthorized"))
        try:
            args = await self._read_args(request)
        except ApiError as error:
            return self._response(error)
        return self._response(await self._call(request.match_info["method"], args, int(match.group(1))))

    async def _handle_file(self, request: web.Request) -> web.Response:
        if not _TOKEN_RE.match(request.match_info["token"]):
            return self._response(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for stored in self._files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return self._response(ApiError(404, "Not Found"))

    @staticmethod
    async def _read_args(request: web.Request) -> _Args:
        values: dict[str, str] = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if not request.body_exists:
            return _Args(values, files)
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise _bad("can't parse JSON encoded request body") from None
            if not isinstance(body, dict):
                raise _bad("JSON object expected as request body")
            values.update({k: v for k, v in ((k, _to_arg(v)) for k, v in body.items()) if v is not None})
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                else:
                    values[key] = str(value)
        return _Args(values, files)

    @staticmethod
    def _response(outcome: Any) -> web.Response:
        if isinstance(outcome, ApiError):
            return web.json_response(outcome.body(), status=outcome.code)
        if isinstance(outcome, _Ok):
            return web.json_response({"ok": True, "result": outcome.result, "description": outcome.description})
        return web.json_response({"ok": True, "result": outcome})

    async def _call(self, method: str, args: _Args, bot_id: int) -> Any:
        """Run one Bot API method; the result, an _Ok, or the ApiError to answer with."""
        self.calls.append((method, args.for_log()))
        self.bot_id = bot_id
        handler = self._methods.get(method.lower())
        if handler is None:
            log.warning("Bot API method %s is not emulated", method)
            return ApiError(404, "Not Found: method not found")
        try:
            result = handler(args, bot_id)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            log.debug("%s -> %s %s", method, error.code, error.description)
            return error
        except Exception as exc:  # an emulator bug: answer like Telegram's 500, keep the traceback
            log.exception("emulator failed on %s", method)
            return ApiError(500, f"Internal Server Error: emulator bug: {type(exc).__name__}: {exc}")
        return result

    # ----------------------------------------------------------------- updates: polling and webhook

    def _get_me(self, args: _Args, bot_id: int) -> dict:
        return {
            **self._bot_json(bot_id),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, args: _Args, bot_id: int) -> list[dict]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        offset = args.integer("offset")
        limit = args.integer("limit", 100, 1, 100)
        timeout = args.integer("timeout", 0, 0, LONG_POLL_MAX_TIMEOUT)
        self._update_allowed(args)
        # A newer getUpdates ends the older one, as on the real server (two pollers fight).
        self._end_long_poll("conflict")
        self._confirm(offset)
        if not self._queue and timeout > 0 and not self._closing:
            poll = asyncio.get_running_loop().create_future()
            self._poll = poll
            try:
                reason = await asyncio.wait_for(asyncio.shield(poll), timeout)
            except TimeoutError:
                reason = "timeout"
            finally:
                if self._poll is poll:
                    self._poll = None
            if reason == "conflict":
                raise ApiError(
                    409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
                )
            if reason == "webhook":
                raise ApiError(409, "Conflict: terminated by setWebhook request")
        return list(self._queue[:limit])

    def _confirm(self, offset: int) -> None:
        if offset < 0:  # keep only the last -offset updates
            del self._queue[: max(0, len(self._queue) + offset)]
        elif offset > 0:
            self._queue = [u for u in self._queue if u["update_id"] >= offset]

    def _end_long_poll(self, reason: str) -> None:
        if self._poll and not self._poll.done():
            self._poll.set_result(reason)

    def _update_allowed(self, args: _Args) -> None:
        if "allowed_updates" not in args.values:
            return
        allowed = args.parsed("allowed_updates", "can't parse allowed_updates JSON object")
        if allowed is not None and not isinstance(allowed, list):
            raise _bad("allowed_updates must be an Array of String")
        self._allowed_updates = frozenset(allowed) if allowed else None

    def _set_webhook(self, args: _Args, bot_id: int) -> Any:
        url = args.get("url")
        if not url:
            return self._delete_webhook(args, bot_id)
        now = time.monotonic()
        if now - self._last_set_webhook < self.set_webhook_interval:
            raise _flood(1)
        secret = args.get("secret_token")
        settings = {
            "url": url,
            "secret_token": secret or None,
            "max_connections": args.integer("max_connections", 40, 1, 100),
            "ip_address": args.get("ip_address") or None,
            "allowed_updates": args.parsed("allowed_updates", "can't parse allowed_updates JSON object"),
            "drop_pending_updates": args.flag("drop_pending_updates"),
        }
        current = {k: v for k, v in (self.webhook or {}).items() if k not in ("bot_id", "drop_pending_updates")}
        new = {k: v for k, v in settings.items() if k != "drop_pending_updates"}
        if current == new and not settings["drop_pending_updates"]:
            return _Ok(True, "Webhook is already set")
        self._last_set_webhook = now
        self._check_webhook_url(url)
        if len(secret) > 256:
            raise _bad("secret token is too long")
        if not _SECRET_RE.match(secret):
            raise _bad("secret token contains unallowed characters")
        self._update_allowed(args)
        if settings["drop_pending_updates"]:
            self._queue.clear()
        self._end_long_poll("webhook")
        self._stop_webhook_task()
        self.webhook = {**settings, "bot_id": bot_id}
        self._webhook_error = None
        self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_loop(self.webhook))
        return _Ok(True, "Webhook was set")

    @staticmethod
    def _check_webhook_url(url: str) -> None:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise _bad("invalid webhook URL specified") from None
        host = parts.hostname or ""
        if not host or parts.scheme.lower() not in ("http", "https"):
            raise _bad("invalid webhook URL specified")
        # Loopback is the emulator's own allowance: real Telegram needs a public HTTPS endpoint.
        if host in ("127.0.0.1", "localhost", "::1"):
            return
        if parts.scheme.lower() != "https":
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        if port not in (None, 80, 88, 443, 8443):
            raise _bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")

    def _delete_webhook(self, args: _Args, bot_id: int) -> _Ok:
        if args.flag("drop_pending_updates"):
            self._queue.clear()
        if self.webhook is None:
            return _Ok(True, "Webhook is already deleted")
        self.webhook = None
        self._stop_webhook_task()
        return _Ok(True, "Webhook was deleted")

    def _get_webhook_info(self, args: _Args, bot_id: int) -> dict:
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            info["ip_address"] = "127.0.0.1"
            if self.webhook["allowed_updates"]:
                info["allowed_updates"] = self.webhook["allowed_updates"]
            if self._webhook_error:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task and not task.done():
            task.cancel()
            self._stopping.add(task)  # keep it referenced until its session is closed
            task.add_done_callback(self._stopping.discard)

    async def _webhook_loop(self, hook: dict) -> None:
        """POST queued updates one at a time, in order; an update leaves the queue on a 2xx answer."""
        timeout = aiohttp.ClientTimeout(total=self.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            while self.webhook is hook and not self._closing:
                if not self._queue:
                    await self._next_change()
                    continue
                update = self._queue[0]
                error, reply = await self._post_update(http, hook, update)
                if error:
                    self._webhook_error = (int(time.time()), error)
                    log.info("webhook delivery of update %s failed: %s", update["update_id"], error)
                    await asyncio.sleep(self.webhook_retry_delay)
                    continue
                if self._queue and self._queue[0] is update:
                    self._queue.pop(0)
                if reply:
                    await self._run_webhook_reply(reply, hook["bot_id"])
                self._notify()

    async def _post_update(self, http: aiohttp.ClientSession, hook: dict, update: dict) -> tuple[str | None, Any]:
        headers = {"Content-Type": "application/json"}
        if hook["secret_token"]:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        body = json.dumps(update, ensure_ascii=False).encode()
        try:
            async with http.post(hook["url"], data=body, headers=headers, allow_redirects=False) as response:
                if not 200 <= response.status < 300:
                    return f"Wrong response from the webhook: {response.status} {response.reason}", None
                return None, await self._read_webhook_reply(response)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return f"Connection failed: {type(exc).__name__}: {exc}", None

    @staticmethod
    async def _read_webhook_reply(response: aiohttp.ClientResponse) -> _Args | None:
        """A Bot API call made in the webhook answer (JSON, urlencoded or multipart), if any."""
        values: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        try:
            if response.content_type == "application/json":
                body = await response.json(content_type=None)
                if isinstance(body, dict):
                    values = {k: v for k, v in ((k, _to_arg(v)) for k, v in body.items()) if v is not None}
            elif response.content_type == "application/x-www-form-urlencoded":
                values = dict(parse_qsl(await response.text()))
            elif response.content_type == "multipart/form-data":
                reader = aiohttp.MultipartReader(response.headers, response.content)
                while (part := await reader.next()) is not None:
                    if part.filename:
                        files[part.name] = (part.filename, await part.read(decode=False))
                    else:
                        values[part.name] = await part.text()
        except (ValueError, aiohttp.ClientError) as exc:
            log.warning("unreadable webhook answer ignored: %s", exc)
            return None
        return _Args(values, files) if "method" in values else None

    async def _run_webhook_reply(self, args: _Args, bot_id: int) -> None:
        method = args.values.pop("method")
        outcome = await self._call(method, args, bot_id)
        if isinstance(outcome, ApiError):  # Telegram drops these silently; say it in the log
            log.warning("webhook reply %s failed: %s", method, outcome.description)

    # ----------------------------------------------------------------- sending

    async def _send_message(self, args: _Args, bot_id: int) -> dict:
        text, entities, html = self._formatted_text(args, "text", "entities", required=True)
        markup = _parse_reply_markup(args)
        self._check_reply_to(args)
        chat = self._writable_chat(args)
        if _u16(text) > MAX_TEXT:
            raise _bad("message is too long")
        self._take_flood(chat.user.id)
        message = self._add_message(chat, bot_id, "text", text=text, html=html, entities=entities, markup=markup)
        return self._message_json(message)

    async def _send_document(self, args: _Args, bot_id: int) -> dict:
        stored = self._input_document(args)
        caption, entities, html = self._formatted_text(args, "caption", "caption_entities", required=False)
        markup = _parse_reply_markup(args)
        self._check_reply_to(args)
        chat = self._writable_chat(args)
        if _u16(caption) > MAX_CAPTION:
            raise _bad("message caption is too long")
        self._take_flood(chat.user.id)
        message = self._add_message(
            chat, bot_id, "document", text=caption, html=html, entities=entities, markup=markup,
            document=(stored.file_name, stored.content), file_info=stored.document_json(),
        )  # fmt: skip
        return self._message_json(message)

    async def _send_venue(self, args: _Args, bot_id: int) -> dict:
        latitude, longitude = self._location(args)
        title, address = args.get("title"), args.get("address")
        if not title.strip():
            raise _bad("VENUE_TITLE_INVALID")  # emulator guess at the server's code for an empty title
        markup = _parse_reply_markup(args)
        chat = self._writable_chat(args)
        self._take_flood(chat.user.id)
        venue = {"latitude": latitude, "longitude": longitude, "title": title, "address": address}
        message = self._add_message(chat, bot_id, "venue", markup=markup, venue=venue)
        return self._message_json(message)

    async def _send_location(self, args: _Args, bot_id: int) -> dict:
        latitude, longitude = self._location(args)
        markup = _parse_reply_markup(args)
        chat = self._writable_chat(args)
        self._take_flood(chat.user.id)
        message = self._add_message(chat, bot_id, "location", markup=markup,
                                    venue={"latitude": latitude, "longitude": longitude})  # fmt: skip
        return self._message_json(message)

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

    def _input_document(self, args: _Args) -> _StoredFile:
        value = args.get("document")
        upload = None
        if value.startswith("attach://"):
            upload = args.files.get(value[len("attach://") :])
        elif not value:
            upload = args.files.get("document")
        if upload is not None:
            name, content = upload
            if not content:
                raise _bad("file must be non-empty")
            if len(content) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            mime = mimetypes.guess_type(name or "")[0] or "application/octet-stream"
            return self._store_file(name or "document", content, mime)
        if not value or value.startswith("attach://"):
            raise _bad("there is no document in the request")
        if value in self._files:
            return self._files[value]
        if re.match(r"^https?://", value):
            raise _bad("failed to get HTTP URL content (the emulator does not download URLs)")
        raise _bad("wrong file identifier/HTTP URL specified")

    def _add_message(self, chat: _Chat, bot_id: int, kind: str, *, text: str = "", html: str | None = None,
                     entities: list[dict] | None = None, markup: dict | None = None, **extra: Any) -> SentMessage:  # fmt: skip
        message = SentMessage(
            chat_id=chat.user.id, message_id=chat.take_message_id(), kind=kind, text=text, html=html,
            reply_markup=markup, entities=entities or [], date=int(time.time()), bot_id=bot_id, **extra,
        )  # fmt: skip
        self._messages.setdefault(chat.user.id, []).append(message)
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
        message = self._find_message(chat.user.id, reply_to)
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
        message = self._find_message(chat.user.id, message_id)
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
        message = self._find_message(chat.user.id, message_id)
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
        self.callback_answers.append({
            "callback_query_id": query_id,
            "text": text or None,
            "show_alert": args.flag("show_alert"),
            "url": args.get("url") or None,
            "cache_time": args.integer("cache_time", 0),
        })  # fmt: skip
        return True

    def _commands_key(self, args: _Args) -> tuple[str, str]:
        scope = args.parsed("scope", "can't parse BotCommandScope JSON object") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise _bad("can't parse BotCommandScope: Can't find field \"type\"")
        language = args.get("language_code")
        if language and not re.match(r"^[a-z]{2}$", language):
            raise _bad("invalid language code specified")
        return json.dumps(scope, sort_keys=True, separators=(",", ":")), language

    def _set_my_commands(self, args: _Args, bot_id: int) -> bool:
        commands = args.parsed("commands", "can't parse commands JSON object") or []
        if not isinstance(commands, list):
            raise _bad("expected an Array of BotCommand")
        if len(commands) > 100:
            raise _bad("too many commands specified")
        for command in commands:
            if not isinstance(command, dict) or not {"command", "description"} <= command.keys():
                raise _bad("can't parse BotCommand: Can't find field \"command\" or \"description\"")
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

    # ----------------------------------------------------------------- helpers

    def _on_loop(self) -> bool:
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:
            return False

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _next_change(self) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def _changed(self, message: SentMessage, change: str) -> None:
        for callback in list(self.on_change):
            try:
                callback(message, change)
            except Exception:  # a broken observer must not break the bot's request
                log.exception("on_change callback failed")
        self._notify()

    def _chat_for(self, user: TgUser) -> _Chat:
        chat = self._chats.get(user.id)
        if chat is None:
            chat = self._chats[user.id] = _Chat(user)
        else:
            chat.user = user  # names may change between updates
        if chat.blocked:
            raise RuntimeError(f"user {user.id} blocked the bot; call unblock({user.id}) first")
        return chat

    def _known_chat(self, args: _Args) -> _Chat:
        raw = args.get("chat_id").strip()
        if not raw:
            raise _bad("chat_id is empty")
        try:
            chat = self._chats.get(int(raw))
        except ValueError:
            chat = None  # "@username" cannot address a private chat
        if chat is None:
            raise _bad("chat not found")
        return chat

    def _writable_chat(self, args: _Args) -> _Chat:
        chat = self._known_chat(args)
        if chat.blocked:
            raise ApiError(403, _BLOCKED)
        return chat

    def _take_flood(self, chat_id: int) -> None:
        if self._flood is None:
            return
        per_chat, _, burst = self._flood
        now = time.monotonic()
        buckets = [self._global_bucket] if self._global_bucket else []
        if per_chat:
            bucket = self._chat_buckets.get(chat_id)
            if bucket is None:
                bucket = self._chat_buckets[chat_id] = _Bucket(per_chat, float(burst), float(burst), now)
            buckets.append(bucket)
        wait = max((bucket.wait(now) for bucket in buckets), default=0.0)
        if wait > 0:
            raise _flood(wait)
        for bucket in buckets:
            bucket.tokens -= 1

    def _find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        for message in self._messages.get(chat_id, ()):
            if message.message_id == message_id:
                return message
        return None

    def _store_file(self, name: str, content: bytes, mime_type: str) -> _StoredFile:
        seq = next(self._file_seq)
        extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
        stored = _StoredFile(
            file_id=f"BQACAgIAAxkBAAE{seq:06d}{secrets.token_urlsafe(24)}",
            file_unique_id=f"AgAD{seq:04d}{secrets.token_urlsafe(6)}",
            file_name=name,
            mime_type=mime_type,
            content=content,
            file_path=f"documents/file_{seq}.{extension}",
        )
        self._files[stored.file_id] = stored
        return stored

    def _user_message_base(self, user: TgUser) -> dict:
        chat = self._chat_for(user)
        message_id = chat.take_message_id()
        chat.user_message_ids.add(message_id)
        return {"message_id": message_id, "from": user.to_json(), "chat": user.chat_json(), "date": int(time.time())}

    def _new_update(self, kind: str, payload: dict) -> dict:
        update = {"update_id": next(self._update_seq), kind: payload}
        self.updates.append(update)
        return update

    def _bot_json(self, bot_id: int) -> dict:
        return {"id": bot_id, "is_bot": True, "first_name": self.bot_first_name, "username": self.bot_username}

    def _message_json(self, message: SentMessage) -> dict:
        """The Bot API Message object for a bot message as it is now."""
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self._bot_json(message.bot_id),
            "chat": self._chats[message.chat_id].user.chat_json(),
            "date": message.date,
        }
        if message.edit_date:
            data["edit_date"] = message.edit_date
        if message.kind == "text":
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        elif message.kind == "document":
            data["document"] = message.file_info
            if message.text:
                data["caption"] = message.text
                if message.entities:
                    data["caption_entities"] = message.entities
        elif message.venue is not None:
            location = {"latitude": message.venue["latitude"], "longitude": message.venue["longitude"]}
            data["location"] = location
            if message.kind == "venue":
                data["venue"] = {"location": location, "title": message.venue["title"], "address": message.venue["address"]}
        if message.inline_markup:
            data["reply_markup"] = message.inline_markup
        return data
