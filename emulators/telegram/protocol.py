"""The Bot API as the emulator speaks it: limits, error answers and request arguments."""

from __future__ import annotations

import contextlib
import json
import math
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_UPLOAD = 50 * 1024 * 1024  # bots upload at most 50 MB ...
MAX_DOWNLOAD = 20 * 1024 * 1024  # ... and download at most 20 MB
LONG_POLL_MAX_TIMEOUT = 50  # telegram-bot-api clamps getUpdates timeout to this
# Request fields that hold JSON; decoded only for the `calls` log.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "message_ids",
    }
)


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
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
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
