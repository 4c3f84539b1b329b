"""Splitting a list into pages that each fit one Telegram message."""

from __future__ import annotations

from dataclasses import dataclass


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
    """A long text as pieces of at most `size` characters, cut at a line break, else at a space,
    else (one endless word) anywhere."""
    if size < 1:
        raise ValueError("chunk size must be positive")
    chunks = []
    text = text.strip()
    while len(text) > size:
        cut = text.rfind("\n", 0, size + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, size + 1)
        if cut <= 0:
            cut = size
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks
