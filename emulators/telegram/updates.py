"""Updates reach the bot: the queue, getUpdates long polling, and the webhook with its retries."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp

from emulators.telegram.protocol import LONG_POLL_MAX_TIMEOUT, ApiError, _Args, _bad, _flood, _Ok, _to_arg

log = logging.getLogger(__name__)

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]*$")
# Delivered unless the bot asks otherwise (Bot API docs, allowed_updates).
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateDelivery:
    """``deliver`` and the getUpdates / setWebhook / deleteWebhook / getWebhookInfo methods.

    Part of TelegramEmulator (server.py): the state it uses is set up in
    ``TelegramEmulator.__init__`` and the shared helpers (``_known_chat``,
    ``_message_json``, ...) live there too.
    """

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
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
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

    async def perform(self, answer: dict, bot_id: int) -> None:
        """What Telegram does with a webhook's JSON answer, for a test or a bench that posts updates itself:
        the Bot API call in it is made."""
        values = {k: v for k, v in ((k, _to_arg(v)) for k, v in answer.items()) if v is not None}
        if "method" in values:
            await self._run_webhook_reply(_Args(values, {}), bot_id)

    async def _run_webhook_reply(self, args: _Args, bot_id: int) -> None:
        method = args.values.pop("method")
        outcome = await self._call(method, args, bot_id)
        if isinstance(outcome, ApiError):  # Telegram drops these silently; say it in the log
            log.warning("webhook reply %s failed: %s", method, outcome.description)
