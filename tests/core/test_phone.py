import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from core.errors import InputError
from core.normalize import phone as phone_module
from core.normalize.phone import mask_phone, normalize_phone


def reference(text: str) -> str:
    """The definition, written independently of the module: phonenumbers per
    number (every Unicode whitespace read as a space first). Returns the E.164
    form or the error code."""
    text = "".join(" " if ch.isspace() else ch for ch in text)
    if not text.strip():
        return "phone.empty"
    try:
        number = phonenumbers.parse(text, "RU")
    except NumberParseException:
        return "phone.invalid"
    if phonenumbers.is_valid_number_for_region(number, "RU"):
        if phonenumbers.number_type(number) in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
            return phonenumbers.format_number(number, PhoneNumberFormat.E164)
        return "phone.not_mobile"
    return "phone.foreign" if phonenumbers.is_valid_number(number) else "phone.invalid"


def outcome(text: str) -> str:
    try:
        return normalize_phone(text)
    except InputError as error:
        assert error.field == "phone"
        return error.code


@pytest.mark.parametrize(
    "text",
    [
        "8 (916) 123-45-67",
        "+7 916 1234567",
        "9161234567",
        "79161234567",
        "7 916 123 45 67",
        "+7(916)123-45-67",
        "8-916-123-45-67",
        "8.916.123.45.67",
        "+7\u00a0916\u00a0123\u00a045\u00a067",
        "  +7 916 123 45 67  ",
        "8 916 123–45–67",
        "+7 (916) 123 45 67",
        "tel:+7-916-123-45-67",
        "+7\u202f916\t123\u200945 67",
        "８ ９１６ １２３ ４５ ６７",
    ],
)
def test_the_same_mobile_in_every_usual_form(text):
    assert normalize_phone(text) == "+79161234567"


@pytest.mark.parametrize(
    "text, expected",
    [
        # the samples' registry
        ("+7 916 100-00-01", "+79161000001"),
        ("89161000002", "+79161000002"),
        ("8916 100 00 02", "+79161000002"),
        ("9161000003", "+79161000003"),
        ("+79161000004", "+79161000004"),
        ("+7 916 100 00 06", "+79161000006"),
        ("+7 (495) 100-00-12", "phone.not_mobile"),  # Moscow landline
        ("+7 701 555 01 02", "phone.foreign"),  # Kazakhstan
        ("8-800-555-35-35", "phone.not_mobile"),  # toll-free
        ("8 (800) 100-00-00", "phone.not_mobile"),
        ("+7 (812) 123-45-67", "phone.not_mobile"),  # St Petersburg landline
        ("+375 29 123 45 67", "phone.foreign"),  # Belarus
        ("+380 50 123 4567", "phone.foreign"),  # Ukraine
        ("810 683 4002", "phone.foreign"),  # dialled abroad from Russia (810): Niue
        ("", "phone.empty"),
        (" \u00a0\t", "phone.empty"),
        ("abc", "phone.invalid"),
        ("12345", "phone.invalid"),
        ("8916123456", "phone.invalid"),  # one digit short
        ("891612345678", "phone.invalid"),  # one digit too many
        ("+7 930 000 0000", "phone.invalid"),  # unallocated mobile range
        ("+7 916 123 45 67 89 00", "phone.invalid"),
        ("8+9161234567", "phone.invalid"),
        ("1" * 300, "phone.invalid"),
    ],
)
def test_samples_and_refusals(text, expected):
    assert outcome(text) == expected


def test_e164_is_a_fixed_point():
    assert normalize_phone("+79161234567") == "+79161234567"


def test_mask():
    assert mask_phone("+79161234567") == "+7 916 ***-**-67"
    assert mask_phone("+375291234567") == "***********67"
    assert mask_phone("") == ""


def test_common_forms_do_not_touch_phonenumbers(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("phonenumbers called on the fast path")

    monkeypatch.setattr(phone_module.phonenumbers, "parse", refuse)
    for text in ("8 (916) 123-45-67", "+7 916 1234567", "9161234567", "79161000002", "+7 930 000 0000"):
        outcome(text)
    # the usual refusals: landlines, toll-free numbers, Kazakh numbers
    for text in ("+7 (495) 100-00-12", "8 800 555-35-35", "4951000012", "+7 701 555 01 02", "8 (343) 310-00-00"):
        outcome(text)


def test_ru_has_no_fixed_line_or_mobile_numbers():
    # If RU ever mixed the two, FIXED_LINE_OR_MOBILE would have to count as mobile
    # on the fast path too; today the patterns are disjoint (mobile: 9…, fixed: 3/4/8…).
    for prefix in range(300, 1000):
        number = phonenumbers.parse(f"+7{prefix}1234567")
        assert phonenumbers.number_type(number) != PhoneNumberType.FIXED_LINE_OR_MOBILE


# --- the fast path agrees with phonenumbers -------------------------------------

FORMATS = [
    "{n}",
    "8{n}",
    "7{n}",
    "+7{n}",
    "8 ({a}) {b}-{c}-{d}",
    "+7 ({a}) {b}-{c}-{d}",
    "+7 {a} {b} {c} {d}",
    "8-{a}-{b}-{c}-{d}",
    "7 {a} {b}{c}{d}",
    "8.{a}.{b}.{c}.{d}",
    "+7\u00a0{a}\u00a0{b}\u00a0{c}{d}",
    "(8{a}){b}{c}{d}",
    "+ 7 {a}{b}{c}{d}",
    "+7 ({a}) {b}–{c}–{d}",
]


def render(template: str, national: str) -> str:
    return template.format(n=national, a=national[:3], b=national[3:6], c=national[6:8], d=national[8:])


@pytest.mark.parametrize("template", FORMATS)
def test_every_three_digit_prefix_in_every_format(template):
    for prefix in range(1000):
        for tail in ("0000000", "1234567", "9999999") if prefix >= 900 else ("1234567",):
            text = render(template, f"{prefix:03d}{tail}")
            assert outcome(text) == reference(text), text


def test_the_irregular_930_ranges():
    # 930 is the one mobile code whose allocation goes down to 7 digits.
    for prefix in range(9300000, 9300100):
        for tail in ("000", "555", "999"):
            text = f"8 {prefix}{tail}"
            assert outcome(text) == reference(text), text


@pytest.mark.parametrize("form", ["+7 {n}", "8 {n}", "{n}", "7{n}"])
def test_landlines_and_kazakh_numbers_on_every_four_digit_prefix(form):
    # RU's and KZ's type patterns decide on up to the first five or six digits.
    for prefix in range(3000, 9000):
        if str(prefix)[0] in "3478":
            for tail in ("000000", "123456", "555555", "999999"):
                text = form.format(n=f"{prefix}{tail}")
                assert outcome(text) == reference(text), text


separators = st.sampled_from(
    ["", "", "", " ", "-", "(", ")", ".", "\u00a0", "–", "\u2212", "  ", "\t", "/", "x", "+", "*"]
)


@st.composite
def phone_like(draw):
    national = draw(
        st.one_of(
            st.from_regex(r"9[0-9]{9}", fullmatch=True),
            st.from_regex(r"9300[0-9]{6}", fullmatch=True),
            st.from_regex(r"[0-9]{8,12}", fullmatch=True),
            st.from_regex(r"[3478][0-9]{9}", fullmatch=True),
            st.from_regex(r"(?:7[0-8]|80|81|49|34)[0-9]{8}", fullmatch=True),
        )
    )
    trunk = draw(st.sampled_from(["", "8", "7", "+7", "+8", "+", "+77", "78", "87", "007", "+375", "0", "810"]))
    digits = trunk + national
    pieces = []
    for ch in digits:
        pieces.append(draw(separators))
        pieces.append(ch)
    pieces.append(draw(separators))
    return "".join(pieces)


@settings(max_examples=1500, deadline=None)
@given(phone_like())
def test_fast_path_equals_phonenumbers_and_is_idempotent(text):
    result = outcome(text)
    assert result == reference(text)
    if result.startswith("+"):
        assert normalize_phone(result) == result


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_gives_a_number_or_an_input_error(text):
    assert outcome(text) == reference(text)


@pytest.mark.parametrize("text", ["+7 916 123 45 6\u0667", "8\u0669161234567", "\uff19161234567"])
def test_other_scripts_digits_are_left_to_phonenumbers(text):
    assert outcome(text) == reference(text)
