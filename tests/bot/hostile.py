"""What the hostile-update tests generate and check (tests/bot/test_hostile_updates.py).

Updates are built by the Telegram emulator as a client would send them (or as a modified client would),
fed to the real dispatcher through the harness, and every call the bot made because of one is checked:
nothing refused by the emulator (which refuses what Telegram refuses), every press answered once, no
text a seeded person owns shown to anyone else.
"""

from __future__ import annotations

import copy
import functools
import inspect
import pkgutil
import time
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from importlib import import_module

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.storage.base import StorageKey
from hypothesis import strategies as st

import bot.callbacks
from bot.callbacks.common import DeleteMeCb
from bot.command_lists import USER_COMMANDS
from core.actors import STAFF_COMMANDS
from emulators.telegram import SentMessage, TgGroup, TgUser
from tests.harness import BotHarness

MAX_TEXT = 4096
# Refused by the emulator as by Telegram, and expected: `show` edits a screen in place and reads this answer
# as "nothing changed" (bot/screens.py).
EXPECTED_REFUSALS = ("message is not modified",)

# Every command of the bot and of the desk, from the product's own lists.
COMMANDS = tuple(f"/{name}" for name in (*USER_COMMANDS, "admin", *(name for name, _ in STAFF_COMMANDS)))
# Characters a careless renderer trips on: RTL and bidi marks, zero-width joiners, combining marks, emoji
# (astral, two UTF-16 units each), a BOM, HTML's own characters, the separator of callback data.
EXOTIC = (
    "\u202e",
    "\u202d",
    "\u2066",
    "\u200f",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u0301",
    "\u0336",
    "\x00",
    "\x07",
    "\x1b",
    "\r",
    "\n",
    "\t",
    "👨‍👩‍👧",
    "🏳️‍🌈",
    "😀",
    "𝕏",
    "ﷺ",
    "שלום",
    "مرحبا",
    "<",
    ">",
    "&",
    '"',
    "'",
    ":",
    "/",
    "@",
    "Ё",
    "й",
)
# Values that look like what the dialogs ask for, right and nearly right.
LOOKALIKES = (
    "123/14",
    "АМ012345679/13",
    "AM 0123 45679-13",
    "Иванов",
    "Алиев",
    "Рашид",
    "Гасан оглы",
    "15.03.1985",
    "31.02.2000",
    "01.01.1900",
    "11.11.2099",
    "+7 916 100-00-03",
    "89161000003",
    "+1 202 555 0100",
    "aliev@example.ru",
    "a@b",
    "000000",
    "123456",
    "2026/10/1",
    "-1",
    "99999999999999999999",
    "0",
    "1e308",
    "NaN",
    "<b>",
    "</i>",
    "&amp",
    "%s %d {0}",
    "' OR 1=1 --",
    '=HYPERLINK("x")',
)


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _clip(text: str, units: int = MAX_TEXT) -> str:
    while u16(text) > units:
        text = text[: -max(1, (u16(text) - units) // 2)]
    return text


def _huge(unit: str, repeat: int) -> str:
    return _clip(unit * repeat)


_any_text = st.text(max_size=60)
_exotic_text = st.lists(st.sampled_from(EXOTIC), min_size=1, max_size=40).map("".join)
_huge_text = st.builds(_huge, st.one_of(st.sampled_from(EXOTIC), st.text(min_size=1, max_size=8)), st.integers(1, 5000))
_command = st.builds(
    lambda command, mention, argument: command + mention + argument,
    st.one_of(st.sampled_from(COMMANDS), st.from_regex(r"/[A-Za-z0-9_]{1,40}", fullmatch=True)),
    st.sampled_from(("", "@dms_sandbox_bot", "@other_bot")),
    st.one_of(st.just(""), st.builds(" {}".format, st.one_of(st.sampled_from(LOOKALIKES), _any_text))),
)
# What Telegram delivers: trimmed, not empty, at most 4096 UTF-16 units.
TEXT = (
    st.one_of(_any_text, _exotic_text, _huge_text, _command, st.sampled_from(LOOKALIKES), st.sampled_from(COMMANDS))
    .map(lambda text: _clip(text.strip()))
    .filter(bool)
)
CAPTION = st.one_of(st.none(), TEXT.map(lambda text: _clip(text, 1024)))


# ----------------------------------------------------------------------- callback data


@functools.cache
def callback_classes() -> list[type[CallbackData]]:
    """Every CallbackData the bot packs: each class of every module of bot/callbacks."""
    found: list[type[CallbackData]] = []
    for module in pkgutil.iter_modules(bot.callbacks.__path__):
        loaded = import_module(f"bot.callbacks.{module.name}")
        for _, value in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(value, CallbackData) and value is not CallbackData and value.__module__ == loaded.__name__:
                found.append(value)
    return sorted(found, key=lambda cls: cls.__prefix__)


ABSURD = ("-1", "2147483647", "2147483648", "9223372036854775808", "1" * 40, "1.5", "1e3", "", "0x10", "٣")


def _field_values(annotation: object, ids: tuple[int, ...]) -> st.SearchStrategy[str]:
    """The packed forms a field may take: its own values, others' ids, absurd numbers and text."""
    junk = st.one_of(st.sampled_from(ABSURD), st.text(max_size=6).map(lambda text: text.replace(":", "")))
    base = (typing.get_origin(annotation) is typing.Annotated and typing.get_args(annotation)[0]) or annotation
    for arg in typing.get_args(base) or (base,):
        if isinstance(arg, type) and issubclass(arg, Enum):
            return st.one_of(st.sampled_from([member.value for member in arg]), junk)
    if typing.get_origin(base) is typing.Literal:
        return st.one_of(st.sampled_from([str(value) for value in typing.get_args(base)]), junk)
    if base is bool:
        return st.one_of(st.sampled_from(("1", "0", "true", "")), junk)
    if base is int or int in typing.get_args(base):
        return st.one_of(st.sampled_from([str(i) for i in ids]), st.integers(-5, 10**6).map(str), junk)
    return st.one_of(st.sampled_from(("", "ru", "en", "ask", "send", "change", "policy", "back")), junk)


def forged_data(ids: tuple[int, ...]) -> st.SearchStrategy[str]:
    """Callback data for every prefix the bot packs, its fields filled from `ids` (the caller's and others')
    and absurd values, at most 64 bytes as Telegram lets through; and data no button has."""
    per_class = []
    for cls in callback_classes():
        fields = [_field_values(info.annotation, ids) for info in cls.model_fields.values()]
        per_class.append(
            st.tuples(st.just(cls.__prefix__), *fields, st.sampled_from(("", "", ":x"))).map(
                lambda parts: ":".join(parts[:-1]) + parts[-1]
            )
        )
    raw = st.text(min_size=1, max_size=64)
    return st.one_of(*per_class, raw).map(_fit_data).filter(bool)


def _fit_data(data: str) -> str:
    while len(data.encode()) > 64:
        data = data[:-1]
    return data


# ----------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Place:
    """Where a user acts: their private chat, or a group (a forum topic of it)."""

    group: TgGroup | None = None
    thread_id: int | None = None


@functools.cache
def actions(ids: tuple[int, ...]) -> st.SearchStrategy[tuple]:
    """One thing a user (or a modified client) does; `press` picks among the chat's buttons or forges."""
    return st.one_of(
        st.tuples(st.just("text"), TEXT),
        st.tuples(st.just("text"), TEXT),
        st.tuples(st.just("press"), st.integers(0, 10**6), st.one_of(st.none(), forged_data(ids)), st.booleans()),
        st.tuples(st.just("press"), st.integers(0, 10**6), st.one_of(st.none(), forged_data(ids)), st.just(False)),
        st.tuples(
            st.just("contact"),
            st.one_of(st.sampled_from(LOOKALIKES), st.from_regex(r"\+?[0-9 ()-]{1,20}", fullmatch=True), TEXT),
            st.sampled_from(("own", "other", "none")),
        ),
        st.tuples(st.just("document"), st.text(min_size=1, max_size=30), st.binary(min_size=1, max_size=64), CAPTION),
        st.tuples(st.just("photo"), CAPTION),
        st.tuples(st.just("location"), st.floats(-90, 90), st.floats(-180, 180)),
        st.tuples(st.just("odd"), st.sampled_from(ODD_KINDS), TEXT),
    )


ODD_KINDS = (
    "edited",
    "sticker",
    "voice",
    "dice",
    "venue",
    "reply",
    "forwarded",
    "inline_query",
    "chosen_inline",
    "blocked",
    "anonymous",
    "channel_post",
)


@dataclass(repr=False)
class Fuzzer:
    """Feeds actions to the harness and checks every call the bot made because of each."""

    h: BotHarness
    ids: tuple[int, ...] = ()  # what forged callback data names
    watched: tuple[int, ...] = ()  # chats whose messages must not change (other users')
    silent: tuple[int, ...] = ()  # chats no call may name at all (a group not the staff's)
    fed: int = 0
    handling: float = 0.0  # seconds in the dispatcher (and the emulator's answers), of the whole run
    deleting: bool = False  # a press of /delete_me's buttons was fed (the account may be gone)
    kinds: dict[str, int] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Fuzzer(fed={self.fed}, handling={self.handling:.1f} s, kinds={self.kinds})"

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # hypothesis prints a failing example's arguments
        printer.text(repr(self))

    def update(self, user: TgUser, place: Place, action: tuple) -> dict | None:
        """The update of `action` by `user` at `place`, as the emulator builds it; None when there is nothing
        to press."""
        emulator, group, thread = self.h.emulator, place.group, place.thread_id
        chat_id = group.id if group else user.id
        kind = action[0]
        if kind == "text":
            return emulator.user_message(user, action[1], group=group, thread_id=thread)
        if kind == "press":
            _, pick, data, inaccessible = action
            buttons = [
                (message.message_id, button["callback_data"])
                for message in emulator.messages(chat_id)[-20:]
                if not message.deleted and message.inline_markup
                for button in message.buttons()
                if "callback_data" in button
            ]
            sent = [m for m in emulator.messages(chat_id) if not m.deleted]
            if inaccessible:
                return emulator.user_press(user, pick % 50 + 1, data or "home", group=group, inaccessible=True)
            if data is None:
                if not buttons:
                    return None
                message_id, data = buttons[pick % len(buttons)]
                return emulator.user_press(user, message_id, data, group=group)
            if not sent:
                return None
            return emulator.user_press(user, sent[pick % len(sent)].message_id, data, forged=True, group=group)
        if kind == "contact":
            if group:
                return emulator.user_message(user, action[1].strip() or "+7", group=group, thread_id=thread)
            owner = {"own": user.id, "other": user.id + 1, "none": None}[action[2]]
            return emulator.user_contact(user, action[1], contact_user_id=owner)
        if kind == "document":
            _, name, content, caption = action
            return emulator.user_document(user, name, content, caption=caption, group=group, thread_id=thread)
        if kind == "photo":
            return emulator.user_photo(user, b"\xff\xd8\xff\xe0", caption=action[1], group=group, thread_id=thread)
        if kind == "location":
            if group:
                return emulator.user_message(user, "📍", group=group, thread_id=thread)
            return emulator.user_location(user, action[1], action[2])
        return self._odd(user, place, action[1], action[2])

    def _odd(self, user: TgUser, place: Place, kind: str, text: str) -> dict:
        """Updates of kinds and shapes the bot does not ask for."""
        base = self.h.emulator.user_message(user, text, group=place.group, thread_id=place.thread_id)
        message = base["message"]
        update_id = base["update_id"]
        if kind == "edited":
            return {"update_id": update_id, "edited_message": {**message, "edit_date": message["date"] + 1}}
        if kind == "inline_query":
            return {
                "update_id": update_id,
                "inline_query": {"id": str(update_id), "from": message["from"], "query": text[:256], "offset": ""},
            }
        if kind == "chosen_inline":
            return {
                "update_id": update_id,
                "chosen_inline_result": {"result_id": "1", "from": message["from"], "query": text[:256]},
            }
        if kind == "blocked":
            status = {"user": message["from"], "status": "kicked", "until_date": 0}
            return {
                "update_id": update_id,
                "my_chat_member": {
                    "chat": message["chat"],
                    "from": message["from"],
                    "date": message["date"],
                    "old_chat_member": {"user": message["from"], "status": "member"},
                    "new_chat_member": status,
                },
            }
        del message["text"]
        message.pop("entities", None)
        if kind == "sticker":
            message["sticker"] = {
                "file_id": "CAACAgIAAxkBAAE",
                "file_unique_id": "AgADs",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        elif kind == "voice":
            message["voice"] = {"file_id": "AwACAgIAAxkBAAE", "file_unique_id": "AgADv", "duration": 3}
        elif kind == "dice":
            message["dice"] = {"emoji": "🎲", "value": 6}
        elif kind == "venue":
            location = {"latitude": 55.75, "longitude": 37.62}
            message["venue"] = {"location": location, "title": text[:64], "address": text[:128]}
            message["location"] = location
        elif kind == "reply":
            message["text"] = text
            mine = [m for m in self.h.emulator.messages(message["chat"]["id"]) if not m.deleted]
            if mine:
                message["reply_to_message"] = self.h.emulator._message_json(mine[-1])
        elif kind == "forwarded":
            message["text"] = text
            message["forward_origin"] = {"type": "hidden_user", "sender_user_name": "Шмолина Е. В.", "date": 1}
        elif kind == "anonymous":  # an anonymous group admin (Telegram names its bot as the sender)
            message["text"] = text
            message["sender_chat"] = message["chat"]
            message["from"] = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
        elif kind == "channel_post":  # the bot added to a channel: posts come with no sender
            channel = {"id": -1001000000001, "type": "channel", "title": "Канал"}
            message.update(text=text, chat=channel, sender_chat=channel)
            del message["from"]
            return {"update_id": update_id, "channel_post": message}
        return base

    async def feed(self, user: TgUser, place: Place, action: tuple, *, secrets: Iterable[str] = ()) -> None:
        """Feed one action and check what the bot did: `secrets`, texts of others the user must not see."""
        update = self.update(user, place, action)
        if update is None:
            return
        emulator = self.h.emulator
        self.deleting |= update.get("callback_query", {}).get("data", "").startswith(DeleteMeCb.__prefix__)
        chat_id = place.group.id if place.group else user.id
        calls, refused, answers = len(emulator.calls), len(emulator.refused), len(emulator.callback_answers)
        watched = {c: _state(emulator.messages(c)) for c in self.watched}
        started = time.perf_counter()
        shown = await self.h.feed(update, chat_id)
        self.handling += time.perf_counter() - started
        self.fed += 1
        self.kinds[action[0]] = self.kinds.get(action[0], 0) + 1
        context = f"{action!r} from {user.id} in {chat_id}"
        wrong = [r for r in emulator.refused[refused:] if not any(e in r[2] for e in EXPECTED_REFUSALS)]
        assert not wrong, f"Telegram would refuse {wrong[0][0]} ({wrong[0][2]}) after {context}: {wrong[0][1]}"
        if "callback_query" in update:
            assert emulator.answered(update), f"the press was left spinning: {context}"
        named = [method for method, args in emulator.calls[calls:] if str(args.get("chat_id")) in map(str, self.silent)]
        assert not named, f"{named} in a group after {context}"
        for chat, before in watched.items():
            assert _state(emulator.messages(chat)) == before, f"chat {chat} was written to after {context}"
        typed = _typed(action).casefold()
        seen = [_visible(m) for m in shown] + [a["text"] or "" for a in emulator.callback_answers[answers:]]
        seen += [str(args.get("text", "")) for _, args in emulator.calls[calls:] if "text" in args]
        for secret in secrets:
            if secret.casefold() in typed:
                continue  # the user's own words, said back
            leaked = [text for text in seen if secret.casefold() in text.casefold()]
            assert not leaked, f"{secret!r} shown after {context}: {leaked[0][:300]}"


def _state(messages: list[SentMessage]) -> list[tuple]:
    return [(m.message_id, m.edits, m.deleted) for m in messages]


def _typed(action: tuple) -> str:
    return " ".join(str(part) for part in action[1:] if isinstance(part, str))


def _visible(message: SentMessage) -> str:
    """What a person sees of a message: its text, its buttons, a text document's content."""
    parts = [message.text, *(button.get("text", "") for button in message.buttons())]
    if message.document and message.document[0].endswith(".csv"):
        parts.append(message.document[1].decode("utf-8", "replace"))
    return "\n".join(parts)


# ----------------------------------------------------------------------- dialog states


class Snapshots:
    """The dialog states of a user (FSM state and data, in their own and their desk storage), saved once
    and put back before each example, so one seeded world serves them all."""

    def __init__(self, h: BotHarness) -> None:
        self.h = h
        self.saved: list[tuple[str, int, dict]] = []

    def __repr__(self) -> str:
        return f"Snapshots({[label for label, _, _ in self.saved]})"

    def _keys(self, user_id: int) -> list[StorageKey]:
        bot_id = self.h.bot.id
        return [StorageKey(bot_id, user_id, user_id), StorageKey(bot_id, user_id, user_id, destiny="desk")]

    async def save(self, label: str, user_id: int) -> None:
        storage = self.h.dp.storage
        stored = {key: (await storage.get_state(key), await storage.get_data(key)) for key in self._keys(user_id)}
        self.saved.append((label, user_id, copy.deepcopy(stored)))

    async def restore(self, index: int) -> tuple[str, int]:
        label, user_id, stored = self.saved[index]
        storage = self.h.dp.storage
        for key, (state, data) in stored.items():
            await storage.set_state(key, state)
            await storage.set_data(key, copy.deepcopy(data))
        return label, user_id
