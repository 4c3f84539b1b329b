"""A photo or a document support sends a person with an answer or a message: copied into the person's chat
as it is (the chat mode), and kept by its Telegram `file_id` with the conversation's message, so the
person's page (the Mini App mode, where nothing personal goes to the chat) fetches it through the bot."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FileKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Attachment:
    chat_id: int  # where staff sent it (the item's topic in the staff group)
    message_id: int
    kind: FileKind
    file_id: str  # Telegram's, for this bot: getFile fetches it
    name: str | None = None  # a document's file name as sent (may be personal: never logged)


@dataclass(frozen=True)
class KeptFile:
    """An attachment as a page shows and serves it."""

    kind: FileKind
    file_id: str
    name: str | None
