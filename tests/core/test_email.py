import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.normalize.email import MAX_LENGTH, email_key, email_with_key, normalize_email


@pytest.mark.parametrize(
    "text, email",
    [
        ("ivanov@EXAMPLE.RU", "ivanov@example.ru"),
        ("  Ivanov.I@Example.Ru\u00a0", "Ivanov.I@example.ru"),
        ("a+tag@sub.example.com", "a+tag@sub.example.com"),
        ("иван@почта.рф", "иван@почта.рф"),
        ("a@xn--80a1acny.xn--p1ai", "a@xn--80a1acny.xn--p1ai"),
        ("o'neil@my-mail.ru", "o'neil@my-mail.ru"),
    ],
)
def test_accepted(text, email):
    assert normalize_email(text) == email


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "email.empty"),
        ("   ", "email.empty"),
        ("kovaleva(at)example.ru", "email.invalid"),  # the samples' malformed address
        ("ivanov", "email.invalid"),
        ("@example.ru", "email.invalid"),
        ("ivanov@", "email.invalid"),
        ("ivanov@example", "email.invalid"),
        ("a@@example.ru", "email.invalid"),
        ("a@b@example.ru", "email.invalid"),
        ("iva nov@example.ru", "email.invalid"),
        ("ivanov@exa mple.ru", "email.invalid"),
        (".ivanov@example.ru", "email.invalid"),
        ("iva..nov@example.ru", "email.invalid"),
        ("ivanov@example..ru", "email.invalid"),
        ("ivanov@.example.ru", "email.invalid"),
        ("ivanov@example.ru.", "email.invalid"),
        ("ivanov@-example.ru", "email.invalid"),
        ("ivanov@ex_ample.ru", "email.invalid"),
        ("ivanov@10.0.0.1", "email.invalid"),
        ("ivanov@example.r", "email.invalid"),
        ("a" * 65 + "@example.ru", "email.invalid"),
        ("a@" + "b" * 250 + ".ru", "email.invalid"),
        ("<ivanov@example.ru>", "email.invalid"),
        ("ivanov@example.ru, petrov@example.ru", "email.invalid"),
    ],
)
def test_refused(text, code):
    with pytest.raises(InputError) as caught:
        normalize_email(text)
    assert (caught.value.field, caught.value.code) == ("email", code)


def test_keys_ignore_case():
    assert email_key("Ivanov@EXAMPLE.ru") == email_key("ivanov@example.RU") == "ivanov@example.ru"
    assert normalize_email("Ivanov@EXAMPLE.ru") != normalize_email("ivanov@example.RU")  # the local part is kept


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_an_address_or_an_input_error(text):
    try:
        email = normalize_email(text)
    except InputError as error:
        assert error.code in {"email.empty", "email.invalid"}
        return
    assert normalize_email(email) == email
    assert email_key(email_key(email)) == email_key(email) == email_key(text)


@settings(max_examples=100, deadline=None)
@given(st.emails())
def test_ordinary_addresses(address):
    email = normalize_email(address)
    assert normalize_email(email) == email
    assert email.lower() == address.lower()


def _both(text: str) -> tuple[str, str] | str:
    """The slow path: normalised, then keyed by normalising again (or the error's code)."""
    try:
        email = normalize_email(text)
        return email, email_key(email)
    except InputError as error:
        return error.code


def _once(text: str) -> tuple[str, str] | str:
    try:
        return email_with_key(text)
    except InputError as error:
        return error.code


# Addresses up to the length limit, some with the one letter lower-casing lengthens (İ → i + a dot).
_EDGES = st.builds(
    lambda local, label, pad: f"{local}@{'a' * pad}{label}.ru",
    st.text(st.sampled_from("aZ.+'_-Ё"), min_size=1, max_size=64),
    st.text(st.sampled_from("İKaЁ-"), min_size=1, max_size=8),
    st.integers(0, MAX_LENGTH),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.emails(), _EDGES))
def test_the_address_and_its_key_in_one_pass_equal_the_two_passes(text):
    assert _once(text) == _both(text)


def test_the_one_letter_lower_casing_lengthens_makes_no_address():
    text = "a@" + "b" * (MAX_LENGTH - 7) + "İ.ru"
    assert _once(text) == _both(text) == "email.invalid"
