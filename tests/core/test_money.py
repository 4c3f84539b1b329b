from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.money import from_kopecks, parse_money, to_kopecks
from tests.core.billing_oracles import percent_of


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1999.99", "1999.99"),
        ("4333,33", "4333.33"),
        ("5", "5.00"),
        ("0,5", "0.50"),
        ("0", "0.00"),
        (" 2500.00 ", "2500.00"),
        ("007.10", "7.10"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_parse(text, amount):
    parsed = parse_money(text)
    assert parsed == Decimal(amount) and str(parsed) == amount


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "money.empty"),
        ("  ", "money.empty"),
        ("2 600,00", "money.invalid"),
        ("2,600.00", "money.invalid"),
        ("1.000,00", "money.invalid"),
        ("12.", "money.invalid"),
        (".5", "money.invalid"),
        ("1e3", "money.invalid"),
        ("+5", "money.invalid"),
        ("5 ₽", "money.invalid"),
        ("NaN", "money.invalid"),
        ("١٢", "money.invalid"),
        ("1.234", "money.too_many_decimals"),
        ("4333,333", "money.too_many_decimals"),
        ("-5", "money.negative"),
        ("-0,01", "money.negative"),
        ("1000000000000", "money.too_large"),
    ],
)
def test_refused(text, code):
    with pytest.raises(InputError) as caught:
        parse_money(text, "unit_price")
    assert (caught.value.field, caught.value.code) == ("unit_price", code)


def test_kopecks():
    assert to_kopecks(Decimal("4333.33")) == 433333
    assert to_kopecks(Decimal("1.230")) == 123  # exact, whatever the exponent
    assert to_kopecks(Decimal("-0.05")) == -5
    assert to_kopecks(Decimal("1E+3")) == 100000
    assert str(from_kopecks(260000)) == "2600.00"
    assert str(from_kopecks(0)) == "0.00"
    assert str(from_kopecks(-5)) == "-0.05"
    for bad in ("1.234", "0.001", "NaN", "Infinity"):
        with pytest.raises(ValueError):
            to_kopecks(Decimal(bad))


def test_percent_of():
    line = 3 * to_kopecks(Decimal("4333.33"))
    assert line == 1299999
    assert percent_of(line, 20) == 260000  # 2599.998 → 2600.00
    assert percent_of(250000, Decimal(20)) == 50000
    assert percent_of(199999, 20) == 40000
    assert percent_of(5, 50) == 3  # 2.5 → 3: half up
    assert percent_of(-5, 50) == -3
    assert percent_of(100, Decimal("12.5")) == 13
    assert percent_of(12345, 0) == 0 and percent_of(12345, 100) == 12345
    with pytest.raises(TypeError):
        percent_of(100, 20.0)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_kopecks_round_trip(kopecks):
    assert to_kopecks(from_kopecks(kopecks)) == kopecks


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**14 - 1), st.sampled_from([".", ","]))
def test_parse_round_trip(kopecks, separator):
    rubles, rest = divmod(kopecks, 100)
    assert to_kopecks(parse_money(f"{rubles}{separator}{rest:02d}")) == kopecks


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.one_of(
        st.integers(min_value=0, max_value=100),
        st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    ),
)
def test_percent_of_is_decimal_half_up(kopecks, percent):
    expected = (Decimal(kopecks) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert percent_of(kopecks, percent) == int(expected)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_an_amount_or_an_input_error(text):
    try:
        amount = parse_money(text)
    except InputError as error:
        assert error.code.startswith("money.")
        return
    assert amount >= 0 and amount == parse_money(str(amount))
