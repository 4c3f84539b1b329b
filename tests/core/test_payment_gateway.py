"""The YooKassa payment gateway: pure parts, then real HTTP against the YooKassa emulator."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import logging
import pickle
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.gateways.payments import (
    IDEMPOTENCE_KEY_MAX,
    NOTIFICATION_MAX_BYTES,
    Card,
    Notification,
    OutcomeUnknown,
    PaymentRequest,
    PaymentStatus,
    Receipt,
    ReceiptItem,
    Rejected,
    RemoteRefund,
    YooKassaGateway,
    format_amount,
    idempotence_key,
    parse_amount,
    parse_notification,
    receipt_data,
    receipt_from_data,
    request_data,
    request_from_data,
)
from emulators.yookassa import YooKassaEmulator

PAYMENT_ID = "2f3a1c9e-000f-5000-9000-1b2c3d4e5f60"


# --- amounts


@pytest.mark.parametrize(
    ("kopecks", "text"),
    [
        (1, "0.01"),
        (10, "0.10"),
        (100, "1.00"),
        (123450, "1234.50"),
        (260000, "2600.00"),
        (99_999_999_999, "999999999.99"),
    ],
)
def test_amount_formatting(kopecks: int, text: str) -> None:
    assert format_amount(kopecks) == text
    assert parse_amount({"value": text, "currency": "RUB"}) == kopecks


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, Decimal("1.00"), "100", 10**16])
def test_amount_formatting_refuses_what_is_not_positive_kopecks(bad: object) -> None:
    with pytest.raises(ValueError):
        format_amount(bad)  # type: ignore[arg-type]


@given(st.integers(min_value=1, max_value=10**14))
def test_amount_round_trip(kopecks: int) -> None:
    text = format_amount(kopecks)
    assert Decimal(text) * 100 == kopecks and text.count(".") == 1 and len(text.split(".")[1]) == 2
    assert parse_amount({"value": text, "currency": "RUB"}) == kopecks


@pytest.mark.parametrize(
    "bad",
    [
        {"value": "1.005", "currency": "RUB"},  # a fraction of a kopeck
        {"value": "1.00", "currency": "USD"},
        {"value": "1.00"},
        {"value": 1.0, "currency": "RUB"},  # a float never passes
        {"value": "-1.00", "currency": "RUB"},
        {"value": "1e3", "currency": "RUB"},
        {"value": "NaN", "currency": "RUB"},
        "1.00",
        None,
    ],
)
def test_amount_parsing_refuses_anything_odd(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_amount(bad)


def test_amount_parsing_accepts_more_zero_decimals() -> None:
    assert parse_amount({"value": "5.000", "currency": "RUB"}) == 500
    assert parse_amount({"value": "5", "currency": "RUB"}) == 500


# --- idempotence keys


def test_idempotence_key_is_deterministic_and_short() -> None:
    key = idempotence_key("invoice", "42", "attempt", "1")
    assert key == idempotence_key("invoice", "42", "attempt", "1")
    assert len(key) == 64 <= IDEMPOTENCE_KEY_MAX and all(ch in "0123456789abcdef" for ch in key)
    assert key != idempotence_key("invoice", "42", "attempt", "2")


def test_idempotence_key_parts_cannot_run_together() -> None:
    assert idempotence_key("ab", "c") != idempotence_key("a", "bc")
    assert idempotence_key("a", "") != idempotence_key("a")
    with pytest.raises(ValueError):
        idempotence_key("a\x1fb")
    with pytest.raises(ValueError):
        idempotence_key()


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\x1f")), min_size=1, max_size=6))
def test_idempotence_key_always_fits(parts: list[str]) -> None:
    key = idempotence_key(*parts)
    assert len(key) <= IDEMPOTENCE_KEY_MAX and key == idempotence_key(*parts)


@given(
    st.lists(st.text(alphabet=st.characters(blacklist_characters="\x1f"), max_size=5), min_size=1, max_size=4),
    st.lists(st.text(alphabet=st.characters(blacklist_characters="\x1f"), max_size=5), min_size=1, max_size=4),
)
def test_idempotence_key_different_parts_different_keys(a: list[str], b: list[str]) -> None:
    if a != b:
        assert idempotence_key(*a) != idempotence_key(*b)


# --- notifications


def notification(event: str = "payment.succeeded", **obj: object) -> bytes:
    body = {"type": "notification", "event": event, "object": {"id": PAYMENT_ID, "status": "succeeded", **obj}}
    return json.dumps(body).encode()


def test_notification_is_parsed_to_event_and_id() -> None:
    assert parse_notification(notification(phone="79161234567", amount={"value": "1.00"})) == Notification(
        event="payment.succeeded", object_id=PAYMENT_ID, object_status="succeeded"
    )
    refund = {"type": "notification", "event": "refund.succeeded", "object": {"id": "r-1"}}
    assert parse_notification(json.dumps(refund).encode()) == Notification("refund.succeeded", "r-1", None)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b"null",
        b'"notification"',
        b'{"type": "notification"}',
        b'{"type": "error", "event": "payment.succeeded", "object": {"id": "a"}}',
        b'{"type": "notification", "event": "payment.succeeded", "object": {}}',
        b'{"type": "notification", "event": "payment.succeeded", "object": []}',
        b'{"type": "notification", "event": "payment.succeeded", "object": {"id": 5}}',
        b'{"type": "notification", "event": "payment.succeeded", "object": {"id": "../refunds"}}',
        b'{"type": "notification", "event": "payment.succeeded", "object": {"id": "a", "status": 1}}',
        b'{"type": "notification", "event": "succeeded", "object": {"id": "a"}}',
        b'{"type": "notification", "event": ["payment.succeeded"], "object": {"id": "a"}}',
        b'{"type": "notification", "event": "payment.succeeded", "object": {"id": "a"}, "x": NaN}',
        b"[" * 50_000,
        b'{"a":' * 20_000,
        b'{"type": "notification", "n": ' + b"9" * 10_000 + b"}",
    ],
)
def test_malformed_notification_is_a_value_error(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_notification(body)


def test_oversized_notification_is_refused() -> None:
    padding = "x" * NOTIFICATION_MAX_BYTES
    with pytest.raises(ValueError, match="too large"):
        parse_notification(notification(padding=padding))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512))
def test_garbage_bytes_never_raise_anything_but_value_error(body: bytes) -> None:
    with contextlib.suppress(ValueError):
        parse_notification(body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["notification", "error"]) | _json_values,
            "event": st.sampled_from(["payment.succeeded", "refund.succeeded"]) | _json_values,
            "object": st.fixed_dictionaries(
                {}, optional={"id": st.just(PAYMENT_ID) | _json_values, "status": _json_values}
            )
            | _json_values,
        },
    )
)
def test_garbage_shapes_never_raise_anything_but_value_error(body: dict) -> None:
    try:
        result = parse_notification(json.dumps(body).encode())
    except ValueError:
        return
    assert isinstance(result, Notification)
    assert result.object_id == body["object"]["id"] and result.event == body["event"]


# --- errors


def test_errors_carry_no_body_and_survive_pickling() -> None:
    error = Rejected(400, "invalid_request", "receipt.customer.phone", operation="create_payment", error_id="e1")
    assert str(error) == "YooKassa refused create_payment: HTTP 400 invalid_request parameter=receipt.customer.phone"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.status, copy.code, copy.parameter, copy.error_id, str(copy)) == (
        400,
        "invalid_request",
        "receipt.customer.phone",
        "e1",
        str(error),
    )
    unknown = pickle.loads(pickle.dumps(OutcomeUnknown("YooKassa get_payment: HTTP 502", 502)))
    assert unknown.status == 502 and str(unknown) == "YooKassa get_payment: HTTP 502"


# --- over real HTTP, against the YooKassa emulator

SHOP_ID = "100500"
SECRET_KEY = "test_secret_key"
PHONE = "+79161234567"
EMAIL = "ivan.petrov@example.com"
RETURN_URL = "https://t.me/dms_cabinet_bot"
SHORT_TIMEOUT = aiohttp.ClientTimeout(total=0.5)


@pytest.fixture
async def yookassa() -> AsyncIterator[YooKassaEmulator]:
    emulator = YooKassaEmulator(SHOP_ID, SECRET_KEY)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def make_gateway(
    http: aiohttp.ClientSession, api_url: str, *, secret_key: str = SECRET_KEY, **options: Any
) -> YooKassaGateway:
    return YooKassaGateway(http, api_url=api_url, shop_id=SHOP_ID, secret_key=secret_key, **options)


@pytest.fixture
def gateway(yookassa: YooKassaEmulator, http: aiohttp.ClientSession) -> YooKassaGateway:
    return make_gateway(http, yookassa.base_url, vat_code=4, payment_subject="service", payment_mode="full_payment")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def invoice_request(**changes: Any) -> PaymentRequest:
    request = PaymentRequest(
        amount=1_234_550,
        description="Invoice 42 for the policy holder " + "x" * 200,
        metadata={"invoice_id": "42", "attempt": "1"},
        receipt=Receipt(
            items=(ReceiptItem("Medical services: " + "y" * 200, 1_000_000), ReceiptItem("Dentistry", 234_550)),
            phone=PHONE,
        ),
        return_url=RETURN_URL,
    )
    return dataclasses.replace(request, **changes)


def no_floats(body: object) -> bool:
    """The recorded body parses floats as Decimal: none may appear."""
    if isinstance(body, dict):
        return all(no_floats(value) for value in body.values())
    if isinstance(body, list):
        return all(no_floats(value) for value in body)
    return not isinstance(body, (float, Decimal))


async def test_create_payment_with_receipt(yookassa: YooKassaEmulator, gateway: YooKassaGateway) -> None:
    key = idempotence_key("invoice", "42", "1")
    payment = await gateway.create_payment(invoice_request(), key)

    assert payment.status is PaymentStatus.PENDING and not payment.paid
    assert payment.amount == 1_234_550 and payment.refunded_amount == 0
    assert payment.metadata == {"invoice_id": "42", "attempt": "1"}
    assert payment.confirmation_url == yookassa.confirmation_url(payment.id)
    assert payment.receipt_registration == "pending" and payment.payment_method is None
    assert payment.created_at is not None and payment.created_at.tzinfo is not None
    assert list(yookassa.payments) == [payment.id]

    [sent] = yookassa.requests
    assert (sent.method, sent.path, sent.idempotence_key) == ("POST", "/v3/payments", key)
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(b"100500:test_secret_key").decode()
    body = sent.body
    assert body is not None and no_floats(body)
    assert body["amount"] == {"value": "12345.50", "currency": "RUB"}
    assert body["description"] == invoice_request().description[:128]
    assert body["capture"] is True and "save_payment_method" not in body and "payment_method_id" not in body
    assert body["confirmation"] == {"type": "redirect", "return_url": RETURN_URL}
    assert body["metadata"] == {"invoice_id": "42", "attempt": "1"}
    assert body["receipt"] == {
        "customer": {"phone": "79161234567"},
        "items": [
            {
                "description": ("Medical services: " + "y" * 200)[:128],
                "quantity": "1.00",
                "amount": {"value": "10000.00", "currency": "RUB"},
                "vat_code": 4,
                "payment_subject": "service",
                "payment_mode": "full_payment",
            },
            {
                "description": "Dentistry",
                "quantity": "1.00",
                "amount": {"value": "2345.50", "currency": "RUB"},
                "vat_code": 4,
                "payment_subject": "service",
                "payment_mode": "full_payment",
            },
        ],
    }


async def test_receipt_by_email_and_defaults(yookassa: YooKassaEmulator, http: aiohttp.ClientSession) -> None:
    gateway = make_gateway(http, yookassa.base_url)
    receipt = Receipt(items=(ReceiptItem("Policy", 500_000),), email=EMAIL)
    await gateway.create_payment(invoice_request(amount=500_000, receipt=receipt), idempotence_key("e"))
    [item] = yookassa.requests[0].body["receipt"]["items"]
    assert yookassa.requests[0].body["receipt"]["customer"] == {"email": EMAIL}
    assert (item["vat_code"], item["payment_subject"], item["payment_mode"]) == (1, "service", "full_payment")


async def test_get_payment_follows_the_payer(yookassa: YooKassaEmulator, gateway: YooKassaGateway) -> None:
    created = await gateway.create_payment(invoice_request(), idempotence_key("get"))
    assert await gateway.get_payment(created.id) == created
    assert yookassa.requests[-1].method == "GET" and yookassa.requests[-1].idempotence_key is None

    await yookassa.pay(created.id)
    paid = await gateway.get_payment(created.id)
    assert paid.status is PaymentStatus.SUCCEEDED and paid.paid and paid.confirmation_url is None
    assert paid.receipt_registration == "succeeded" and paid.refunded_amount == 0
    method = paid.payment_method
    assert method is not None and method.type == "bank_card" and not method.saved
    assert method.card == Card(last4="4444", card_type="MasterCard", expiry_month=12, expiry_year=2030, first6="555555")


async def test_declined_payment_is_canceled(yookassa: YooKassaEmulator, gateway: YooKassaGateway) -> None:
    created = await gateway.create_payment(invoice_request(), idempotence_key("decline"))
    await yookassa.decline(created.id, "insufficient_funds")
    payment = await gateway.get_payment(created.id)
    assert payment.status is PaymentStatus.CANCELED and not payment.paid
    assert (payment.cancellation_party, payment.cancellation_reason) == ("payment_network", "insufficient_funds")


async def test_retry_with_the_same_key_is_the_same_payment(
    yookassa: YooKassaEmulator, gateway: YooKassaGateway
) -> None:
    key = idempotence_key("invoice", "7", "1")
    first = await gateway.create_payment(invoice_request(), key)
    second = await gateway.create_payment(invoice_request(), key)
    assert second.id == first.id and len(yookassa.payments) == 1
    assert [r.idempotence_key for r in yookassa.requests] == [key, key]
    other = await gateway.create_payment(invoice_request(), idempotence_key("invoice", "7", "2"))
    assert other.id != first.id and len(yookassa.payments) == 2


async def test_lost_answer_is_outcome_unknown_and_the_retry_finds_the_payment(
    yookassa: YooKassaEmulator, http: aiohttp.ClientSession
) -> None:
    gateway = make_gateway(http, yookassa.base_url, timeout=SHORT_TIMEOUT)
    key = idempotence_key("invoice", "8", "1")
    yookassa.delay_next["create_payment"] = 3.0
    with pytest.raises(OutcomeUnknown) as lost:
        await gateway.create_payment(invoice_request(), key)
    assert lost.value.status is None and "Timeout" in str(lost.value)
    [stored] = yookassa.payments  # it did happen

    again = await gateway.create_payment(invoice_request(), key)
    assert again.id == stored and list(yookassa.payments) == [stored]


async def test_slow_read_is_outcome_unknown(yookassa: YooKassaEmulator, http: aiohttp.ClientSession) -> None:
    gateway = make_gateway(http, yookassa.base_url, timeout=SHORT_TIMEOUT)
    created = await gateway.create_payment(invoice_request(), idempotence_key("slow"))
    yookassa.delay = 2.0
    with pytest.raises(OutcomeUnknown):
        await gateway.get_payment(created.id)


@pytest.mark.parametrize("status", [500, 502, 503, 202])
async def test_server_failure_is_outcome_unknown(
    yookassa: YooKassaEmulator, gateway: YooKassaGateway, status: int
) -> None:
    key = idempotence_key("invoice", "9")
    yookassa.fail_next["create_payment"] = status
    with pytest.raises(OutcomeUnknown) as failed:
        await gateway.create_payment(invoice_request(), key)
    assert failed.value.status == status and not yookassa.payments

    payment = await gateway.create_payment(invoice_request(), key)  # the same key, performed now
    assert list(yookassa.payments) == [payment.id]

    yookassa.fail_next["get_payment"] = status
    with pytest.raises(OutcomeUnknown):
        await gateway.get_payment(payment.id)


async def test_client_error_is_rejected_with_code_and_parameter(
    yookassa: YooKassaEmulator, gateway: YooKassaGateway
) -> None:
    with pytest.raises(Rejected) as missing:
        await gateway.get_payment("2f3a1c9e-000f-5000-9000-000000000000")
    assert (missing.value.status, missing.value.code, missing.value.parameter) == (404, "not_found", "payment_id")

    # A phone the gateway passes (E.164 allows 1 to 15 digits) but a receipt refuses.
    receipt = Receipt(items=(ReceiptItem("Policy", 1_234_550),), phone="+7916")
    with pytest.raises(Rejected) as refused:
        await gateway.create_payment(invoice_request(receipt=receipt), idempotence_key("bad phone"))
    error = refused.value
    assert (error.status, error.code, error.parameter) == (400, "invalid_request", "receipt.customer.phone")
    assert error.error_id and "7916" not in str(error) and "create_payment" in str(error)
    assert not yookassa.payments

    yookassa.fail_next["create_payment"] = 429
    with pytest.raises(Rejected) as throttled:
        await gateway.create_payment(invoice_request(), idempotence_key("throttled"))
    assert (throttled.value.status, throttled.value.code) == (429, "too_many_requests")


async def test_same_key_other_body_is_rejected(yookassa: YooKassaEmulator, gateway: YooKassaGateway) -> None:
    key = idempotence_key("invoice", "10")
    await gateway.create_payment(invoice_request(), key)
    with pytest.raises(Rejected) as duplicated:
        await gateway.create_payment(invoice_request(metadata={"invoice_id": "11"}), key)
    assert (duplicated.value.status, duplicated.value.parameter) == (400, "Idempotence-Key")
    assert duplicated.value.key_reused  # an unknown outcome to its caller, not a refusal
    assert len(yookassa.payments) == 1


async def test_a_stored_request_is_sent_again_byte_for_byte(
    yookassa: YooKassaEmulator, gateway: YooKassaGateway
) -> None:
    request = invoice_request(save_payment_method=True)
    stored = json.loads(json.dumps(request_data(request)))  # as the database gives it back
    assert request_from_data(stored) == request
    key = idempotence_key("stored")
    first = await gateway.create_payment(request, key)
    again = await gateway.create_payment(request_from_data(stored), key)
    assert again.id == first.id and yookassa.requests[-1].body == yookassa.requests[-2].body
    receipt = Receipt(items=(ReceiptItem("Refund", 150),), email="ivan@example.ru")
    assert receipt_from_data(json.loads(json.dumps(receipt_data(receipt)))) == receipt


async def test_refunds_of_a_payment_are_read_from_the_list(
    yookassa: YooKassaEmulator, gateway: YooKassaGateway
) -> None:
    created = await gateway.create_payment(invoice_request(), idempotence_key("listed"))
    assert await gateway.refunds_of(created.id) == ()
    await yookassa.pay(created.id)
    first = await gateway.create_refund(created.id, 100, idempotence_key("listed", "1"))
    second = await gateway.create_refund(created.id, 200, idempotence_key("listed", "2"))
    assert await gateway.refunds_of(created.id) == (second, first)
    assert yookassa.requests[-1].path == "/v3/refunds" and yookassa.requests[-1].method == "GET"
    yookassa.fail_next["list_refunds"] = 500
    with pytest.raises(OutcomeUnknown):
        await gateway.refunds_of(created.id)


async def test_wrong_credentials_are_rejected(yookassa: YooKassaEmulator, http: aiohttp.ClientSession) -> None:
    gateway = make_gateway(http, yookassa.base_url, secret_key="wrong")
    with pytest.raises(Rejected) as denied:
        await gateway.create_payment(invoice_request(), idempotence_key("creds"))
    assert (denied.value.status, denied.value.code) == (401, "invalid_credentials")
    assert "wrong" not in str(denied.value) and "wrong" not in repr(gateway)
    with pytest.raises(Rejected) as denied_get:
        await gateway.get_payment("2f3a1c9e-000f-5000-9000-000000000000")
    assert denied_get.value.status == 401
    assert not yookassa.payments


async def test_connection_refused_is_outcome_unknown(http: aiohttp.ClientSession) -> None:
    gateway = make_gateway(http, f"http://127.0.0.1:{free_port()}/v3")
    with pytest.raises(OutcomeUnknown) as refused:
        await gateway.create_payment(invoice_request(), idempotence_key("closed"))
    assert refused.value.status is None
    with pytest.raises(OutcomeUnknown):
        await gateway.get_refund("2f3a1c9e-0015-5000-9000-000000000000")


async def test_cancel(yookassa: YooKassaEmulator, gateway: YooKassaGateway) -> None:
    created = await gateway.create_payment(invoice_request(capture=False), idempotence_key("hold"))
    await yookassa.pay(created.id)
    held = await gateway.get_payment(created.id)
    assert held.status is PaymentStatus.WAITING_FOR_CAPTURE and held.paid

    key = idempotence_key("cancel", created.id)
    canceled = await gateway.cancel_payment(created.id, key)
    assert canceled.status is PaymentStatus.CANCELED and not canceled.paid
    assert (canceled.cancellation_party, canceled.cancellation_reason) == ("merchant", "canceled_by_merchant")
    sent = yookassa.requests[-1]
    assert (sent.method, sent.path, sent.idempotence_key) == ("POST", f"/v3/payments/{created.id}/cancel", key)
    assert sent.headers["Content-Type"] == "application/json"

    again = await gateway.cancel_payment(created.id, key)  # a repeat with the same key: the same answer
    assert again.id == created.id and again.status is PaymentStatus.CANCELED

    with pytest.raises(Rejected) as too_late:  # a new attempt at a canceled payment
        await gateway.cancel_payment(created.id, idempotence_key("cancel", created.id, "2"))
    assert too_late.value.status == 400


async def test_partial_refund_with_receipt(yookassa: YooKassaEmulator, gateway: YooKassaGateway) -> None:
    created = await gateway.create_payment(invoice_request(), idempotence_key("refund me"))
    await yookassa.pay(created.id)

    receipt = Receipt(items=(ReceiptItem("Dentistry (refund)", 234_550),), phone=PHONE)
    key = idempotence_key("refund", created.id, "1")
    refund = await gateway.create_refund(created.id, 234_550, key, receipt=receipt, description="Not used " * 40)
    assert refund == RemoteRefund(id=refund.id, payment_id=created.id, status="succeeded", amount=234_550)
    sent = yookassa.requests[-1]
    assert (sent.method, sent.path, sent.idempotence_key) == ("POST", "/v3/refunds", key)
    assert sent.body is not None and no_floats(sent.body)
    assert sent.body["payment_id"] == created.id
    assert sent.body["amount"] == {"value": "2345.50", "currency": "RUB"}
    assert sent.body["description"] == ("Not used " * 40)[:250]
    assert sent.body["receipt"]["customer"] == {"phone": "79161234567"}
    assert sent.body["receipt"]["items"] == [
        {
            "description": "Dentistry (refund)",
            "quantity": "1.00",
            "amount": {"value": "2345.50", "currency": "RUB"},
            "vat_code": 4,
            "payment_subject": "service",
            "payment_mode": "full_payment",
        }
    ]

    repeat = await gateway.create_refund(created.id, 234_550, key, receipt=receipt, description="Not used " * 40)
    assert repeat == refund
    assert len(yookassa.refunds) == 1
    assert await gateway.get_refund(refund.id) == refund
    assert (await gateway.get_payment(created.id)).refunded_amount == 234_550

    with pytest.raises(Rejected) as too_much:
        await gateway.create_refund(created.id, 1_000_001, idempotence_key("refund", created.id, "2"))
    assert (too_much.value.status, too_much.value.parameter) == (400, "amount.value")
    with pytest.raises(Rejected) as unknown:
        await gateway.get_refund("2f3a1c9e-0015-5000-9000-000000000000")
    assert unknown.value.status == 404


async def test_saved_payment_method_is_charged_without_the_payer(
    yookassa: YooKassaEmulator, gateway: YooKassaGateway
) -> None:
    first = await gateway.create_payment(invoice_request(save_payment_method=True), idempotence_key("first"))
    assert yookassa.requests[-1].body["save_payment_method"] is True
    await yookassa.pay(first.id)
    method = (await gateway.get_payment(first.id)).payment_method
    assert method is not None and method.saved and method.card is not None and method.card.last4 == "4444"

    charge = invoice_request(return_url=None, payment_method_id=method.id, metadata={"invoice_id": "43"})
    charged = await gateway.create_payment(charge, idempotence_key("autopay", "43"))
    assert charged.status is PaymentStatus.SUCCEEDED and charged.paid and charged.confirmation_url is None
    assert charged.payment_method is not None and charged.payment_method.id == method.id
    body = yookassa.requests[-1].body
    assert body["payment_method_id"] == method.id and "confirmation" not in body

    yookassa.decline_method(method.id, "card_expired")
    declined = await gateway.create_payment(
        dataclasses.replace(charge, metadata={"invoice_id": "44"}), idempotence_key("autopay", "44")
    )
    assert declined.status is PaymentStatus.CANCELED
    assert (declined.cancellation_party, declined.cancellation_reason) == ("payment_network", "card_expired")

    with pytest.raises(Rejected) as not_saved:
        await gateway.create_payment(
            dataclasses.replace(charge, payment_method_id="2f3a1c9e-000f-5000-9000-0000000000aa"),
            idempotence_key("autopay", "45"),
        )
    assert not_saved.value.parameter == "payment_method_id"


async def test_checks_before_sending(yookassa: YooKassaEmulator, gateway: YooKassaGateway) -> None:
    with pytest.raises(ValueError):  # longer than YooKassa's 64 characters
        await gateway.create_payment(invoice_request(), "k" * 65)
    with pytest.raises(ValueError):
        await gateway.cancel_payment(PAYMENT_ID, "")
    with pytest.raises(ValueError):  # an id that would change the URL
        await gateway.get_payment("../refunds/x")
    receipt_without_customer = Receipt(items=(ReceiptItem("Policy", 1_234_550),))
    with pytest.raises(ValueError):
        await gateway.create_payment(invoice_request(receipt=receipt_without_customer), idempotence_key("c"))
    wrong_sum = Receipt(items=(ReceiptItem("Policy", 1_000_000),), phone=PHONE)
    with pytest.raises(ValueError):
        await gateway.create_payment(invoice_request(receipt=wrong_sum), idempotence_key("s"))
    with pytest.raises(ValueError):
        await gateway.create_payment(invoice_request(receipt=None, amount=0), idempotence_key("z"))
    with pytest.raises(ValueError):
        await gateway.create_payment(invoice_request(metadata={str(n): "v" for n in range(17)}), idempotence_key("m"))
    bad_phone = Receipt(items=(ReceiptItem("Policy", 1_234_550),), phone="8 916 123-45-67")
    with pytest.raises(ValueError):
        await gateway.create_payment(invoice_request(receipt=bad_phone), idempotence_key("p"))
    assert not yookassa.requests


async def test_bodies_stay_out_of_the_log(
    yookassa: YooKassaEmulator, gateway: YooKassaGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = await gateway.create_payment(invoice_request(), idempotence_key("log"))
    await gateway.get_payment(created.id)
    yookassa.fail_next["get_payment"] = 500
    with pytest.raises(OutcomeUnknown):
        await gateway.get_payment(created.id)
    bad = Receipt(items=(ReceiptItem("Policy", 1_234_550),), phone="+7916")
    with pytest.raises(Rejected):
        await gateway.create_payment(invoice_request(receipt=bad), idempotence_key("log", "2"))
    text = caplog.text
    assert "9161234567" not in text and "7916" not in text and SECRET_KEY not in text and "Medical" not in text


async def test_unreadable_answer_is_outcome_unknown(http: aiohttp.ClientSession) -> None:
    """A 200 whose body is not a payment: the operation may have happened."""

    async def answer(request: web.Request) -> web.Response:
        if request.path.endswith("/refunds"):
            return web.json_response({"id": "r1", "status": "succeeded", "amount": {"value": 1.5, "currency": "RUB"}})
        if request.method == "GET":
            return web.Response(text="<html>gateway timeout</html>", content_type="text/html")
        amount = {"value": "1.00", "currency": "RUB"}
        return web.json_response({"id": PAYMENT_ID, "status": "mystery", "paid": False, "amount": amount})

    app = web.Application()
    app.router.add_route("*", "/v3/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        gateway = make_gateway(http, f"http://127.0.0.1:{runner.addresses[0][1]}/v3")
        with pytest.raises(OutcomeUnknown):
            await gateway.get_payment(PAYMENT_ID)
        with pytest.raises(OutcomeUnknown):
            await gateway.create_payment(invoice_request(), idempotence_key("odd"))
        with pytest.raises(OutcomeUnknown):
            await gateway.create_refund(PAYMENT_ID, 150, idempotence_key("odd refund"))
    finally:
        await runner.cleanup()


def test_the_sdk_is_imported_by_the_bot_and_the_worker_and_never_by_the_command_line() -> None:
    """Its import costs 130–270 ms: an import or an export from the command line does not pay it."""
    probe = (
        "import sys, bot.cli, bot.factory.cli, bot.commands.importing, bot.commands.export, core.bootstrap\n"
        "print('yookassa' in sys.modules)\n"
        "import bot.factory.app, bot.factory.worker\n"
        "print('yookassa' in sys.modules)\n"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert found.stdout.split() == ["False", "True"]
