"""Pages of a list, and long texts in message-sized pieces (core.cabinet.paging)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cabinet.paging import Page, page_of, text_chunks


@pytest.mark.parametrize(
    "total, requested, size, page",
    [
        (0, 0, 6, Page(0, 1, 0, 0)),  # an empty list is one empty page
        (6, 0, 6, Page(0, 1, 0, 6)),
        (7, 1, 6, Page(1, 2, 6, 7)),
        (14, 2, 6, Page(2, 3, 12, 14)),
        (14, 9, 6, Page(2, 3, 12, 14)),  # a page past the end (the list shrank): the last one
        (14, -1, 6, Page(0, 3, 0, 6)),
    ],
)
def test_page_of(total, requested, size, page) -> None:
    assert page_of(total, requested, size) == page


def test_neighbours() -> None:
    first, middle, last = (page_of(14, n, 6) for n in range(3))
    assert (first.has_previous, first.has_next) == (False, True)
    assert (middle.has_previous, middle.has_next) == (True, True)
    assert (last.has_previous, last.has_next) == (True, False)
    assert not page_of(3, 0, 6).has_next


@given(st.integers(0, 500), st.integers(1, 20))
def test_pages_cover_the_list_once(total: int, size: int) -> None:
    pages = [page_of(total, n, size) for n in range(page_of(total, 0, size).count)]
    assert [i for p in pages for i in range(p.start, p.end)] == list(range(total))
    assert all(p.end - p.start <= size for p in pages)


def test_text_chunks_cut_at_lines_then_spaces_then_anywhere() -> None:
    assert text_chunks("short", 10) == ["short"]
    assert text_chunks("line one\nline two", 12) == ["line one", "line two"]
    assert text_chunks("word word word", 10) == ["word word", "word"]
    assert text_chunks("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert text_chunks("   ", 10) == []


@given(st.text(min_size=1, max_size=400), st.integers(5, 50))
def test_text_chunks_fit_and_keep_every_visible_character(text: str, size: int) -> None:
    chunks = text_chunks(text, size)
    assert all(0 < len(chunk) <= size for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())  # only whitespace is lost at the cuts
