"""Splitting a list into pages that each fit one Telegram message."""

from __future__ import annotations

from dataclasses import dataclass

from core.free_text import cut_utf16, utf16_len


@dataclass(frozen=True)
class Page:
    number: int  # 0-based
    count: int  # pages in all; 1 for an empty list
    start: int  # slice of the list shown on this page
    end: int

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.count - 1


def page_of(total: int, requested: int, size: int) -> Page:
    """The requested page, clamped into range: an old button after the list shrank shows the last page."""
    if size < 1:
        raise ValueError("page size must be positive")
    count = max(1, -(-total // size))
    number = min(max(requested, 0), count - 1)
    start = number * size
    return Page(number, count, start, min(start + size, total))


def text_chunks(text: str, size: int) -> list[str]:
    """A long text as pieces of at most `size` UTF-16 units (as Telegram counts a message), cut at a line
    break, else at a space, else (one endless word) anywhere but inside a surrogate pair."""
    if size < 2:
        raise ValueError("chunk size must be at least 2 (a character may take two units)")
    chunks = []
    text = text.strip()
    while utf16_len(text) > size:
        window = cut_utf16(text, size)
        cut = window.rfind("\n")
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = len(window)
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks
