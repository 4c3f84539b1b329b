"""How dates, moments, amounts and percents read in each language (`core.readable`)."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import readable
from core.normalize.dates import read_date

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "d, ru, en",
    [
        (date(2026, 10, 1), "01.10.2026", "1 Oct 2026"),
        (date(2026, 1, 31), "31.01.2026", "31 Jan 2026"),
        (date(1985, 3, 15), "15.03.1985", "15 Mar 1985"),
        (date(2024, 2, 29), "29.02.2024", "29 Feb 2024"),
        (date(2026, 5, 9), "09.05.2026", "9 May 2026"),
        (date(2026, 12, 25), "25.12.2026", "25 Dec 2026"),
    ],
)
def test_day(d, ru, en):
    assert readable.day(d, "ru") == ru
    assert readable.day(d, "en") == en
    assert readable.day(d, "en-GB") == en


@pytest.mark.parametrize(
    "at, ru, en",
    [
        (datetime(2026, 10, 1, 14, 5), "01.10.2026 14:05", "1 Oct 2026, 14:05"),
        (datetime(2026, 6, 30, 0, 0, 59), "30.06.2026 00:00", "30 Jun 2026, 00:00"),
    ],
)
def test_moment(at, ru, en):
    assert readable.moment(at, "ru") == ru
    assert readable.moment(at, "en") == en


@pytest.mark.parametrize(
    "kopecks, ru, en",
    [
        (260000, f"2{NBSP}600,00{NBSP}₽", "₽2,600.00"),
        (0, f"0,00{NBSP}₽", "₽0.00"),
        (5, f"0,05{NBSP}₽", "₽0.05"),
        (10000, f"100,00{NBSP}₽", "₽100.00"),
        (123456789, f"1{NBSP}234{NBSP}567,89{NBSP}₽", "₽1,234,567.89"),
        (-50000, f"-500,00{NBSP}₽", "-₽500.00"),
    ],
)
def test_rub(kopecks, ru, en):
    assert readable.rub(kopecks, "ru") == ru
    assert readable.rub(kopecks, "en") == en
    assert readable.rub(kopecks, "en-US") == en


@pytest.mark.parametrize(
    "basis_points, ru, en",
    [(2000, "20", "20"), (2050, "20,5", "20.5"), (1234, "12,34", "12.34"), (5, "0,05", "0.05"), (0, "0", "0")],
)
def test_percent(basis_points, ru, en):
    assert readable.percent(basis_points, "ru") == ru
    assert readable.percent(basis_points, "en") == en


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(["ru", "en"]))
def test_a_date_shown_is_read_back(d, language):
    """What the bot shows, a person may copy into a prompt: the chat's date reader reads it as the same day."""
    assert read_date(readable.day(d, language)) == d


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_an_amount_is_one_word(kopecks):
    """No plain space: a message never wraps an amount."""
    for language in ("ru", "en"):
        assert " " not in readable.rub(kopecks, language)
