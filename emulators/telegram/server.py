"""The Telegram emulator: an aiohttp Bot API server on loopback, its state, inspection and flood limits.

The Bot API methods come from the mixins: ``users`` (what users do), ``updates`` (getUpdates
and the webhook), ``methods`` (everything else).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from emulators.faults import reset_connection
from emulators.telegram.flood import FloodControl, FloodStats
from emulators.telegram.methods import BotApiMethods
from emulators.telegram.models import SentMessage, TgGroup, TgUser, _Chat, _StoredFile
from emulators.telegram.protocol import MAX_UPLOAD, ApiError, _Args, _bad, _Ok, _to_arg
from emulators.telegram.updates import UpdateDelivery
from emulators.telegram.users import UserActions

log = logging.getLogger(__name__)

_TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")


class _Reset(ApiError):
    """Not an answer: the request's connection is dropped (`reset_sends`)."""

    def __init__(self) -> None:
        super().__init__(0, "connection reset")


_BLOCKED = "Forbidden: bot was blocked by the user"


class TelegramEmulator(UserActions, UpdateDelivery, BotApiMethods):
    """A Bot API server for one (any-token) bot and any number of private chats.

    Attributes for inspection: ``calls`` (every request, in order), ``refused`` (each request answered
    with an error: (method, arguments, description)), ``callback_answers``,
    ``commands`` ({(scope JSON, language_code): [BotCommand JSON]}; one chat's: ``chat_commands``), ``webhook`` (setWebhook
    parameters or None), ``updates`` (every update built), ``on_change`` (callbacks
    ``f(message, "new" | "edit" | "delete")``), ``on_answer`` (callbacks ``f(answer)`` for each
    callback query answered: its text, ``show_alert`` and the ``user_id`` who pressed). Tunables: ``webhook_retry_delay``,
    ``webhook_timeout``, ``callback_query_ttl``, ``set_webhook_interval``, ``strict_html_entities``.
    ``flood_limits=True`` turns Telegram's flood control on (``set_flood_limits``; ``flood.py``).

    Everything runs on the event loop that called ``start``; ``deliver`` may also be called
    from another thread (a terminal UI), the other user_* builders should run on the loop.
    """

    def __init__(
        self, *, bot_username: str = "dms_sandbox_bot", bot_first_name: str = "DMS", flood_limits: bool = False
    ) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.base_url = ""
        self.bot_id: int | None = None  # the token digits of the last request
        self.calls: list[tuple[str, dict]] = []
        self.refused: list[tuple[str, dict, str]] = []
        self.callback_answers: list[dict] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.webhook: dict | None = None
        self.updates: list[dict] = []
        self.on_change: list[Callable[[SentMessage, str], None]] = []
        self.on_answer: list[Callable[[dict], None]] = []  # each answerCallbackQuery, as in callback_answers
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
        self._flood: FloodControl | None = None
        self._failing_sends: list[ApiError] = []  # errors the next send* requests answer with
        self._started_at = time.monotonic()
        if flood_limits:
            self.set_flood_limits()
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
            "sendphoto": self._send_photo,
            "copymessage": self._copy_message,
            "createforumtopic": self._create_forum_topic,
            "banchatmember": self._ban_chat_member,
            "unbanchatmember": self._unban_chat_member,
            "sendvenue": self._send_venue,
            "sendlocation": self._send_location,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "getfile": self._get_file,
            "sendchataction": self._send_chat_action,
            "leavechat": self._leave_chat,
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
        self,
        *,
        per_chat_per_second: float | None = 1.0,
        global_per_second: float | None = 30.0,
        burst: int = 3,
        group_per_minute: int | None = 20,
    ) -> None:
        """Turn flood control on for send* methods (off by default; None disables one limit), counting afresh.

        Telegram's limits as `emulators.telegram.flood` models them: at most `global_per_second` sends in
        any one second, all chats together; a chat may take `burst` messages at once, then
        `per_chat_per_second`; a group at most `group_per_minute` in any minute; over any, 429 with `parameters.retry_after` (whole seconds), and that
        scope stays refused until then.
        """
        self._flood = FloodControl(per_chat_per_second, global_per_second, burst, group_per_minute)

    def clear_flood_limits(self) -> None:
        self._flood = None

    def fail_sends(
        self, count: int = 1, *, status: int = 502, description: str = "Bad Gateway", retry_after: int | None = None
    ) -> None:
        """The next `count` send* requests (valid ones, to a writable chat) fail with `status` and send
        nothing, as Telegram does when it is overloaded or restarting (5xx), or with 429 and `retry_after`
        seconds; also before flood control."""
        self._failing_sends.extend([ApiError(status, description, retry_after) for _ in range(count)])

    def reset_sends(self, count: int = 1) -> None:
        """The next `count` send* requests send nothing and have their connection dropped without an answer."""
        self._failing_sends.extend([_Reset() for _ in range(count)])

    def flood_stats(self) -> FloodStats:
        """What flood control saw since it was turned on: sends accepted, 429s answered, retry_afters not
        honoured, the busiest second overall and in one chat."""
        if self._flood is None:
            raise RuntimeError("flood control is off")
        return self._flood.stats()

    # ----------------------------------------------------------------- HTTP layer

    async def _handle_api(self, request: web.Request) -> web.Response:
        match = _TOKEN_RE.match(request.match_info["token"])
        if not match:
            return self._response(ApiError(401, "Unauthorized"))
        try:
            args = await self._read_args(request)
        except ApiError as error:
            return self._response(error)
        outcome = await self._call(request.match_info["method"], args, int(match.group(1)))
        if isinstance(outcome, _Reset):
            return reset_connection(request)
        return self._response(outcome)

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
        """Run one Bot API method; the result, an _Ok, or the ApiError to answer with (kept in `refused`)."""
        self.calls.append((method, args.for_log()))
        self.bot_id = bot_id
        outcome = await self._outcome(method, args, bot_id)
        if isinstance(outcome, ApiError):
            self.refused.append((method, self.calls[-1][1], outcome.description))
        return outcome

    async def _outcome(self, method: str, args: _Args, bot_id: int) -> Any:
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

    # ----------------------------------------------------------------- helpers, used by the mixins too

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
        if chat.left:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.group.type} chat")
        return chat

    def _group_chat(self, group: TgGroup) -> _Chat:
        chat = self._chats.get(group.id)
        if chat is None:
            chat = self._chats[group.id] = _Chat(None, group)
        if chat.left:
            raise RuntimeError(f"the bot left group {group.id}; add it again with group_joined first")
        return chat

    def _take_flood(self, chat_id: int) -> None:
        if self._failing_sends:
            raise self._failing_sends.pop(0)
        if self._flood is not None:
            self._flood.take(chat_id, time.monotonic())

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

    def _user_message_base(self, user: TgUser, group: TgGroup | None = None) -> dict:
        chat = self._chat_for(user) if group is None else self._group_chat(group)
        message_id = chat.take_message_id()
        chat.user_message_ids.add(message_id)
        return {"message_id": message_id, "from": user.to_json(), "chat": chat.chat_json(), "date": int(time.time())}

    def _in_topic(self, message: dict, group: TgGroup | None, thread_id: int | None, reply_to: int | None) -> dict:
        """A user's message placed in a forum topic and/or as a reply, as a client sends it."""
        if thread_id is None and reply_to is None:
            return message
        if group is None:
            raise ValueError("topics and replies are built here for group messages only")
        chat = self._group_chat(group)
        if thread_id is not None:
            if thread_id not in chat.topics:
                raise LookupError(f"group {group.id} has no topic {thread_id}")
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            replied = self._find_message(group.id, reply_to)
            if replied is not None and not replied.deleted:
                message["reply_to_message"] = self._message_json(replied)
            elif reply_to in chat.user_messages:
                message["reply_to_message"] = chat.user_messages[reply_to]
            else:
                raise LookupError(f"group {group.id} has no message {reply_to}")
        elif thread_id is not None:  # in a topic, a message that replies to nothing replies to its start
            message["reply_to_message"] = {
                "message_id": thread_id,
                "from": self._bot_json(self.bot_id or 0),
                "chat": chat.chat_json(),
                "date": message["date"],
                "message_thread_id": thread_id,
                "is_topic_message": True,
                "forum_topic_created": {"name": chat.topics[thread_id], "icon_color": 0x6FB9F0},
            }
        return message

    def _new_update(self, kind: str, payload: dict) -> dict:
        update = {"update_id": next(self._update_seq), kind: payload}
        if kind == "message" and payload["chat"]["id"] in self._chats:  # copyMessage may send it again
            self._chats[payload["chat"]["id"]].user_messages[payload["message_id"]] = payload
        self.updates.append(update)
        return update

    def _bot_json(self, bot_id: int) -> dict:
        return {"id": bot_id, "is_bot": True, "first_name": self.bot_first_name, "username": self.bot_username}

    def _message_json(self, message: SentMessage) -> dict:
        """The Bot API Message object for a bot message as it is now."""
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self._bot_json(message.bot_id),
            "chat": self._chats[message.chat_id].chat_json(),
            "date": message.date,
        }
        if message.edit_date:
            data["edit_date"] = message.edit_date
        if message.thread_id is not None:
            data["message_thread_id"] = message.thread_id
            data["is_topic_message"] = True
        if message.kind == "text":
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        elif message.kind in ("document", "photo"):
            data[message.kind] = message.file_info
            if message.text:
                data["caption"] = message.text
                if message.entities:
                    data["caption_entities"] = message.entities
        elif message.venue is not None:
            location = {"latitude": message.venue["latitude"], "longitude": message.venue["longitude"]}
            data["location"] = location
            if message.kind == "venue":
                data["venue"] = {
                    "location": location,
                    "title": message.venue["title"],
                    "address": message.venue["address"],
                }
        if message.inline_markup:
            data["reply_markup"] = message.inline_markup
        return data
