"""A broadcast's rules: the text as typed (bounded, in Telegram's units), the value a segment needs, the
month a policy ends in, when a broadcast is over."""

from __future__ import annotations

from datetime import date

import pytest

from core.desk.broadcasts import (
    MAX_TEXT,
    Counts,
    Segment,
    broadcast_text,
    finished,
    month_of,
    segment_value,
)
from core.errors import InputError


def test_the_text_is_kept_as_typed_trimmed_and_bounded() -> None:
    assert broadcast_text("  <b>News</b> & more\n\nline two \x00") == "<b>News</b> & more\n\nline two"
    assert broadcast_text("😀" * (MAX_TEXT // 2)) == "😀" * (MAX_TEXT // 2)  # two units each, as Telegram counts
    with pytest.raises(InputError) as error:
        broadcast_text("😀" * (MAX_TEXT // 2 + 1))
    assert error.value.code == "request.too_long" and error.value.details["length"] == MAX_TEXT + 2
    for blank in ("", "   ", "\u200b\u2060"):
        with pytest.raises(InputError, match=r"request\.empty"):
            broadcast_text(blank)


@pytest.mark.parametrize(
    ("segment", "typed", "kept"),
    [
        (Segment.ALL, "whatever", None),
        (Segment.UNPAID, None, None),
        (Segment.ENDING, None, None),
        (Segment.CONTRACT, "  Д-2026/001 ", "Д-2026/001"),
        (Segment.EMPLOYER, "ООО «Ромашка»", "ООО «Ромашка»"),
    ],
)
def test_only_a_contract_or_an_employer_takes_a_value(segment: Segment, typed: str | None, kept: str | None) -> None:
    assert segment_value(segment, typed) == kept


@pytest.mark.parametrize("typed", ["", "two\nlines", "x" * 201])
def test_a_value_is_one_short_line(typed: str) -> None:
    with pytest.raises(InputError):
        segment_value(Segment.EMPLOYER, typed)


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (date(2026, 11, 21), date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2028, 2, 1), date(2028, 2, 1), date(2028, 2, 29)),
        (date(2027, 2, 28), date(2027, 2, 1), date(2027, 2, 28)),
    ],
)
def test_this_month_runs_from_its_first_to_its_last_day(today: date, first: date, last: date) -> None:
    assert month_of(today) == (first, last)


def test_a_broadcast_is_over_once_queued_and_every_row_settled() -> None:
    assert not finished(Counts(total=3, sent=3), queued=False)  # more may still be queued
    assert not finished(Counts(total=3, sent=1, blocked=1), queued=True)
    assert finished(Counts(total=3, sent=1, blocked=1, failed=1), queued=True)
    assert finished(Counts(total=0), queued=True)
