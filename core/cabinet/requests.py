"""Requests to the insurer from the cabinet (SOGAZ "обратный звонок", "врач-куратор", "добавить
клинику", change of personal data), and questions to support that need no registration: what may be
written, and how a request moves.

Lengths are counted as Telegram counts them (UTF-16 units, core.free_text): a text within the limit also
fits the request's card. Control characters are dropped before anything is counted or stored.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from core.errors import InputError
from core.free_text import blank, strip_control, utf16_len

MAX_TEXT = 2000
MAX_PREFERRED_TIME = 100
# The same request sent again this soon (a form submitted twice, a page reloaded) is the first one, not a second.
REPEAT_WINDOW = timedelta(minutes=10)
SUPPORT_QUESTIONS_PER_DAY = 3  # per Telegram user, registered or not: the desk's queue is not a chat


class RequestKind(StrEnum):
    CALLBACK = "callback"  # the user gives a preferred time; staff call the account's phone
    CURATOR = "curator"  # a question to the curator doctor
    ADD_CLINIC = "add_clinic"
    PERSONAL_DATA = "personal_data"
    SUPPORT = "support"  # a question to support; anyone may ask, registered or not (no policy needed)


# The kinds filed from the cabinet's forms, each about a policy the user sees. A question to support has a
# way of its own (core.services.support), open to the unregistered and limited per day.
FORM_KINDS = (RequestKind.CALLBACK, RequestKind.CURATOR, RequestKind.ADD_CLINIC, RequestKind.PERSONAL_DATA)


class RequestStatus(StrEnum):
    NEW = "new"
    ANSWERED = "answered"  # staff replied
    CLOSED = "closed"


def request_text(text: str, field: str = "text", limit: int = MAX_TEXT) -> str:
    """The user's text without control characters, trimmed; at most `limit` UTF-16 units (an emoji counts
    as two, as in Telegram). Raises InputError `request.empty` (for a text that shows nothing, zero-width
    characters and the like included: `core.free_text.blank`), `request.too_long` (with `max` and `length`, to
    tell the user how much to cut)."""
    text = strip_control(text).strip()
    if blank(text):
        raise InputError(field, "request.empty")
    length = utf16_len(text)
    if length > limit:
        raise InputError(field, "request.too_long", max=limit, length=length)
    return text


def preferred_time(text: str) -> str:
    """When to call back, as the user puts it ("завтра с 10 до 12"): free text, but short."""
    return request_text(text, "preferred_time", MAX_PREFERRED_TIME)


def can_close(status: RequestStatus) -> bool:
    """The user closes a request that is settled for them (or no longer needed)."""
    return status != RequestStatus.CLOSED
