from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.normalize.dates import age_on, parse_birth_date, parse_date, read_birth_date, read_date

TODAY = date(2026, 5, 20)


def code_of(function, *args):
    try:
        function(*args)
    except InputError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    "text",
    [
        "15.03.1985",
        "15/03/1985",
        "15-03-1985",
        "1985-03-15",
        " 15.03.1985 ",
        "\u00a015.03.1985\t",
        "１５.０３.１９８５",
    ],
)
def test_formats(text):
    assert parse_date(text) == date(1985, 3, 15)


@pytest.mark.parametrize(
    "text, day",
    [
        ("1.2.1990", date(1990, 2, 1)),
        ("01.02.1990", date(1990, 2, 1)),
        ("1990-2-1", date(1990, 2, 1)),
        ("29.02.2024", date(2024, 2, 29)),
    ],
)
def test_short_forms(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "date.empty"),
        ("  ", "date.empty"),
        ("15.03.85", "date.short_year"),
        ("30/05/92", "date.short_year"),
        ("15.03/1985", "date.format"),
        ("1985/03/15", "date.format"),
        ("15 марта 1985", "date.format"),
        ("15031985", "date.format"),
        ("15..03.1985", "date.format"),
        ("31.02.1980", "date.impossible"),
        ("29.02.2023", "date.impossible"),
        ("00.01.2000", "date.impossible"),
        ("01.13.2000", "date.impossible"),
        ("2000-00-10", "date.impossible"),
        ("01.01.0000", "date.impossible"),
    ],
)
def test_refusals(text, code):
    assert code_of(parse_date, text) == code


def test_field_is_carried():
    with pytest.raises(InputError) as caught:
        parse_date("x", "valid_from")
    assert caught.value.field == "valid_from"
    with pytest.raises(InputError) as caught:
        parse_birth_date("x", TODAY)
    assert caught.value.field == "birth_date"


@pytest.mark.parametrize(
    "text, code",
    [
        ("20.05.2026", None),
        ("21.05.2026", "date.future"),
        ("01.01.1900", None),
        ("31.12.1899", "date.too_old"),
        ("31.02.1980", "date.impossible"),
    ],
)
def test_birth_dates(text, code):
    assert code_of(parse_birth_date, text, TODAY) == code


@pytest.mark.parametrize(
    "birth, day, age",
    [
        (date(2008, 5, 20), date(2026, 5, 20), 18),
        (date(2008, 5, 21), date(2026, 5, 20), 17),
        (date(2008, 2, 29), date(2026, 2, 27), 17),
        (date(2008, 2, 29), date(2026, 2, 28), 18),  # common year: 28 Feb
        (date(2008, 2, 29), date(2028, 2, 28), 19),
        (date(2008, 2, 29), date(2028, 2, 29), 20),  # leap year: 29 Feb
        (date(1990, 1, 1), date(1990, 1, 1), 0),
        (date(1990, 12, 31), date(2026, 1, 1), 35),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age


def test_age_before_birth_is_a_bug():
    with pytest.raises(ValueError):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(["%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]))
def test_round_trip(day, pattern):
    text = (
        f"{day.day:02d}{pattern[2]}{day.month:02d}{pattern[2]}{day.year:04d}" if pattern[1] == "d" else day.isoformat()
    )
    assert parse_date(text) == day
    assert parse_date(f"{day.day}.{day.month}.{day.year:04d}") == day


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_date_or_an_input_error(text):
    try:
        parse_birth_date(text, TODAY)
    except InputError as error:
        assert error.code.startswith("date.")


@settings(max_examples=200, deadline=None)
@given(st.dates(), st.dates())
def test_age_properties(birth, day):
    if day < birth:
        birth, day = day, birth
    age = age_on(birth, day)
    assert 0 <= age <= day.year - birth.year
    assert age >= day.year - birth.year - 1


# --- dates as people type them in the chat (read_date); import files keep parse_date

RU_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
               "ноября", "декабря")  # fmt: skip
RU_SHORT = ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "15031985",
        "15/03/1985",
        "15.03.1985",
        "15 03 1985",
        "15.03/1985",
        "1985-03-15",
        "15 марта 1985",
        "15 Марта 1985 г.",
        "15 марта 1985 года",
        "15 мар 1985",
        "15 мар. 1985",
        "15-мар-1985",
        "March 15, 1985",
        "march 15 1985",
        "Mar 15th, 1985",
        "15 March 1985",
        "15 Mar 1985",
        "03/15/1985",  # month first: the one possible reading
        " １５ марта １９８５ ",
    ],
)
def test_typed_forms(text):
    assert read_date(text) == date(1985, 3, 15)


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "date.empty"),
        ("150385", "date.short_year"),
        ("15.03.85", "date.short_year"),
        ("15 марта 85", "date.short_year"),
        ("15 мартобря 1985", "date.format"),
        ("15 ма 1985", "date.format"),  # май or март: not ours to guess
        ("1503198", "date.format"),
        ("31 февраля 1980", "date.impossible"),
        ("31021980", "date.impossible"),
        ("13/13/1985", "date.impossible"),
        ("hello", "date.format"),
    ],
)
def test_typed_refusals(text, code):
    assert code_of(read_date, text) == code


def test_ambiguous_numbers_are_read_day_first():
    assert read_date("01/02/1990") == date(1990, 2, 1)
    assert read_date("05061990") == date(1990, 6, 5)


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=date(1000, 1, 1)),
    st.sampled_from(["digits", "dots", "slashes", "spaces", "ru", "ru-short", "en", "en-day-first", "iso"]),
)
def test_typed_round_trip(day, form):
    d, m, y = day.day, day.month, f"{day.year:04d}"
    text = {
        "digits": f"{d:02d}{m:02d}{y}",
        "dots": f"{d}.{m}.{y}",
        "slashes": f"{d:02d}/{m:02d}/{y}",
        "spaces": f"{d} {m:02d} {y}",
        "ru": f"{d} {RU_GENITIVE[m - 1]} {y}",
        "ru-short": f"{d} {RU_SHORT[m - 1]} {y} г.",
        "en": f"{EN_MONTHS[m - 1]} {d}, {y}",
        "en-day-first": f"{d} {EN_MONTHS[m - 1][:3]} {y}",
        "iso": day.isoformat(),
    }[form]
    assert read_date(text) == day


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1)))
def test_typed_reads_what_parse_date_reads(day):
    for text in (day.strftime("%d.%m.") + f"{day.year:04d}", day.isoformat()):
        assert read_date(text) == parse_date(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(1000, 9999))
def test_typed_ambiguity_goes_day_first(first, second, year):
    text = f"{first:02d}/{second:02d}/{year}"
    try:
        expected = date(year, second, first)
    except ValueError:
        assert code_of(read_date, text) == "date.impossible"
    else:
        assert read_date(text) == expected


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_typed_any_text_gives_a_date_or_an_input_error(text):
    try:
        read_birth_date(text, TODAY)
    except InputError as error:
        assert error.code.startswith("date.")
