"""The desk's pure rules: masks (property tests), reading a /find query (table and property tests), and
which account actions a role may take on a record."""

import string
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from core.actors import Role
from core.desk.actions import AccountAction, RecordState, actions_for, may
from core.desk.masks import mask_email, mask_name, mask_phone, mask_policy
from core.desk.query import Form, read_query

TODAY = date(2026, 11, 21)
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
word = st.text(alphabet=CYRILLIC, min_size=1, max_size=12).map(str.capitalize)


# --- masks


def test_masks_as_the_spec_shows() -> None:
    assert mask_name("Ёлкина-Петрова", "Анна", "Сергеевна") == "Ёлкина-Петрова А. С."
    assert mask_name("Салтыков-Щедрин", "Михаил", "") == "Салтыков-Щедрин М."
    assert mask_phone("+79031234534") == "+7 903 ***-**-34"
    assert mask_email("anna.petrova@corp.example") == "a***@corp.example"
    assert mask_policy("AM012345678/13") == "**********8/13"
    assert mask_policy("123/14") == "**3/14"


@given(word, word, st.one_of(st.just(""), word))
def test_a_masked_name_keeps_the_surname_and_initials_only(last: str, first: str, patronymic: str) -> None:
    masked = mask_name(last, first, patronymic)
    initials = [f"{first[0].upper()}."] + ([f"{patronymic[0].upper()}."] if patronymic else [])
    assert masked == " ".join([last, *initials])
    assert first[1:] not in masked[len(last) :] or len(first) == 1


@given(st.from_regex(r"\+79[0-9]{9}", fullmatch=True))
def test_a_masked_phone_shows_the_code_and_the_last_two_digits(e164: str) -> None:
    masked = mask_phone(e164)
    assert masked == f"+7 {e164[2:5]} ***-**-{e164[-2:]}"
    assert e164[5:10] not in masked.replace(" ", "")


@given(
    st.text(alphabet=string.ascii_letters + string.digits + "._-", min_size=1, max_size=30),
    st.from_regex(r"[a-z]{1,10}\.[a-z]{2,5}", fullmatch=True),
)
def test_a_masked_email_keeps_one_letter_and_the_domain(local: str, domain: str) -> None:
    masked = mask_email(f"{local}@{domain}")
    assert masked == f"{local[0]}***@{domain}"


@given(st.text(min_size=0, max_size=60))
def test_a_masked_policy_shows_at_most_its_last_four(number: str) -> None:
    masked = mask_policy(number)
    assert len(masked) == len(number)
    hidden = max(len(number) - 4, 0) if len(number) > 4 else len(number)
    assert masked[:hidden] == "*" * hidden and masked[hidden:] == number[hidden:]


# --- queries


def _forms(text: str) -> list[tuple[Form, str]]:
    return [(lookup.form, lookup.key) for lookup in read_query(text, TODAY)]


def test_each_form_is_read() -> None:
    assert _forms("+7 (903) 123-45-34") == [(Form.PHONE, "+79031234534")]
    assert _forms("89031234534")[0] == (Form.PHONE, "+79031234534")
    assert (Form.TELEGRAM_ID, "89031234534") in _forms("89031234534")  # all read, the search unites them
    assert _forms("АМ 012345678-13") == [(Form.NUMBER, "AM01234567813")]
    assert _forms("T-1001") == [(Form.NUMBER, "T1001")]
    assert _forms("Anna@Corp.Example") == [(Form.EMAIL, "anna@corp.example")]
    assert _forms("id 5001")[0] == (Form.TELEGRAM_ID, "5001")
    assert _forms("2026/11/3")[0] == (Form.INVOICE, "2026/11/3")
    assert _forms("2026 / 1 / 12")[0] == (Form.INVOICE, "2026/01/12")
    payment = "2FF1D1C5-000F-5000-8000-1A2B3C4D5E6F"
    assert _forms(payment) == [(Form.PAYMENT, payment.lower())]
    [name] = read_query("Ёлкина-Петрова  Анна Сергеевна 05.06.1990", TODAY)
    assert (name.form, name.key, name.first, name.patronymic, name.born) == (
        Form.NAME,
        "елкина-петрова",
        "анна",
        "сергеевна",
        date(1990, 6, 5),
    )
    [latin] = read_query("Semenova Alena", TODAY)
    assert (latin.form, latin.key, latin.first, latin.born) == (Form.NAME, "semenova", "alena", None)


def test_what_is_no_form_reads_as_nothing() -> None:
    for text in ("", "   ", "!!!", "@", "x" * 201, "Иванов 31.02.1985", "Иванов 01.01.2030"):
        assert read_query(text, TODAY) == (), text


@given(
    st.sampled_from(["903", "915", "916", "926", "977", "999"]),  # allocated mobile codes (not every 9xx is)
    st.from_regex(r"[0-9]{7}", fullmatch=True),
    st.sampled_from(["+7{}", "8{}", "{}", "+7 ({}", "8-{}"]),
)
def test_a_mobile_in_any_usual_form_is_found_as_one_number(code: str, rest: str, shape: str) -> None:
    national = code + rest
    text = shape.format(national)
    if "(" in text:
        text = f"{text[:-7]}) {text[-7:-4]}-{text[-4:-2]}-{text[-2:]}"
    assert (Form.PHONE, "+7" + national) in _forms(text)


@given(word, word, st.dates(date(1920, 1, 1), date(2008, 1, 1)))
def test_a_name_with_a_birth_date_is_one_name_lookup(last: str, first: str, born: date) -> None:
    [lookup] = read_query(f"{last} {first} {born:%d.%m.%Y}", TODAY)
    assert lookup.form is Form.NAME and lookup.born == born


@given(st.text(max_size=80))
def test_any_text_reads_without_error(text: str) -> None:
    for lookup in read_query(text, TODAY):
        assert lookup.key


# --- actions


def test_support_may_take_only_the_support_actions() -> None:
    support = {a for a in AccountAction if may(Role.SUPPORT, a)}
    assert support == {AccountAction.RESEND_INVITE, AccountAction.RESET_DIALOG, AccountAction.LIFT_LOCK}
    assert all(may(Role.ADMIN, a) for a in AccountAction)
    assert not any(may(Role.USER, a) for a in AccountAction)


def test_the_buttons_follow_the_record() -> None:
    linked = RecordState(telegram_id=5001, blocked=False, locked=False, adult=True)
    assert actions_for(Role.ADMIN, linked) == (
        AccountAction.RESET_DIALOG,
        AccountAction.UNLINK,
        AccountAction.BLOCK,
        AccountAction.ERASE,
    )
    assert actions_for(Role.SUPPORT, linked) == (AccountAction.RESET_DIALOG,)
    unregistered = RecordState(telegram_id=None, blocked=True, locked=True, adult=True)
    assert actions_for(Role.ADMIN, unregistered) == (
        AccountAction.RESEND_INVITE,
        AccountAction.LIFT_LOCK,
        AccountAction.UNBLOCK,
    )
    child = RecordState(telegram_id=None, blocked=False, locked=False, adult=False)
    assert actions_for(Role.ADMIN, child) == ()
    registering = RecordState(telegram_id=None, blocked=False, locked=False, adult=True, registering=True)
    assert actions_for(Role.SUPPORT, registering) == (AccountAction.RESEND_INVITE, AccountAction.RESET_DIALOG)
