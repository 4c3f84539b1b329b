"""What a user may type into the cabinet's forms, and notification defaults."""

import pytest

from core.cabinet.codes import typed_code
from core.cabinet.notifications import NotificationKind, notification_choices
from core.cabinet.requests import MAX_PREFERRED_TIME, MAX_TEXT, RequestStatus, can_close, preferred_time, request_text
from core.errors import InputError


def test_request_text() -> None:
    assert request_text("  Добавьте клинику «Здоровье», Казань  ") == "Добавьте клинику «Здоровье», Казань"
    assert request_text("x" * MAX_TEXT) == "x" * MAX_TEXT
    for text, code in (("   \n ", "request.empty"), ("x" * (MAX_TEXT + 1), "request.too_long")):
        with pytest.raises(InputError) as error:
            request_text(text)
        assert error.value.code == code


def test_preferred_time_is_short_free_text() -> None:
    assert preferred_time(" завтра с 10 до 12 ") == "завтра с 10 до 12"
    with pytest.raises(InputError) as error:
        preferred_time("x" * (MAX_PREFERRED_TIME + 1))
    assert (error.value.field, error.value.code) == ("preferred_time", "request.too_long")


def test_only_an_open_request_can_be_closed() -> None:
    assert can_close(RequestStatus.NEW) and can_close(RequestStatus.ANSWERED)
    assert not can_close(RequestStatus.CLOSED)


@pytest.mark.parametrize("text, code", [("123456", "123456"), (" 123 456 ", "123456"), ("123-456", "123456")])
def test_typed_code(text, code) -> None:
    assert typed_code(text) == code


@pytest.mark.parametrize("text", ["12345", "1234567", "12345a", "١٢٣٤٥٦", "", "123_456"])
def test_typed_code_refuses_what_is_not_six_digits(text) -> None:
    with pytest.raises(InputError) as error:
        typed_code(text)
    assert error.value.code == "code.format"


def test_notification_choices_fill_in_defaults_in_order() -> None:
    assert notification_choices({}) == {
        NotificationKind.INVOICES: True,
        NotificationKind.REMINDERS: True,
        NotificationKind.NEWS: False,
    }
    chosen = notification_choices({"invoices": False, "news": True, "gone": True})
    assert list(chosen) == list(NotificationKind)
    assert chosen == {NotificationKind.INVOICES: False, NotificationKind.REMINDERS: True, NotificationKind.NEWS: True}


def test_no_to_the_notifications_consent_turns_every_kind_off_until_switched_on() -> None:
    assert notification_choices({}, consented=False) == {
        NotificationKind.INVOICES: False,
        NotificationKind.REMINDERS: False,
        NotificationKind.NEWS: False,
    }
    assert notification_choices({"invoices": True}, consented=False)[NotificationKind.INVOICES] is True
