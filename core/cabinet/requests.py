"""Requests to the insurer from the cabinet (SOGAZ "обратный звонок", "врач-куратор", "добавить
клинику", change of personal data): what may be written, and how a request moves."""

from __future__ import annotations

from enum import StrEnum

from core.errors import InputError

MAX_TEXT = 2000
MAX_PREFERRED_TIME = 100


class RequestKind(StrEnum):
    CALLBACK = "callback"  # the user gives a preferred time; staff call the account's phone
    CURATOR = "curator"  # a question to the curator doctor
    ADD_CLINIC = "add_clinic"
    PERSONAL_DATA = "personal_data"


class RequestStatus(StrEnum):
    NEW = "new"
    ANSWERED = "answered"  # staff replied
    CLOSED = "closed"


def request_text(text: str, field: str = "text", limit: int = MAX_TEXT) -> str:
    """The user's text, trimmed. Raises InputError `request.empty`, `request.too_long`."""
    text = text.strip()
    if not text:
        raise InputError(field, "request.empty")
    if len(text) > limit:
        raise InputError(field, "request.too_long", max=limit)
    return text


def preferred_time(text: str) -> str:
    """When to call back, as the user puts it ("завтра с 10 до 12"): free text, but short."""
    return request_text(text, "preferred_time", MAX_PREFERRED_TIME)


def can_close(status: RequestStatus) -> bool:
    """The user closes a request that is settled for them (or no longer needed)."""
    return status != RequestStatus.CLOSED
