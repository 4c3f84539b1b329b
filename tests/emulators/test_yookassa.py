"""The YooKassa emulator over real HTTP on loopback: auth, idempotence, validation, the payer's steps,
notifications (from the address it is told to use), refunds, saved methods, switches, the checkout page."""

from __future__ import annotations

import asyncio
import base64
import copy
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from emulators.yookassa import YooKassaEmulator

SHOP_ID = "100500"
SECRET = "test_secret_key"
RETURN_URL = "https://bot.example/paid"


def basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


class BotStub:
    """A tiny notification receiver: what arrived, and from which address."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.status = 200
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/yookassa", self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/yookassa"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        self.received.append((request.remote or "", await request.json()))
        return web.Response(status=self.status)


@pytest.fixture
async def bot() -> AsyncIterator[BotStub]:
    stub = BotStub()
    await stub.start()
    yield stub
    await stub.stop()


@pytest.fixture
async def kassa(bot: BotStub) -> AsyncIterator[YooKassaEmulator]:
    async with YooKassaEmulator(SHOP_ID, SECRET, notify_url=bot.url) as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": basic(SHOP_ID, SECRET)}) as session:
        yield session


class Api:
    def __init__(self, http: aiohttp.ClientSession, kassa: YooKassaEmulator) -> None:
        self.http, self.kassa = http, kassa
        self._keys = 0

    def key(self) -> str:
        self._keys += 1
        return f"key-{self._keys}"

    async def post(
        self, path: str, body: dict[str, Any] | None, key: str | None = "auto", **kw: Any
    ) -> tuple[int, dict]:
        headers = {} if key is None else {"Idempotence-Key": self.key() if key == "auto" else key}
        async with self.http.post(self.kassa.base_url + path, json=body, headers=headers, **kw) as answer:
            return answer.status, await answer.json()

    async def get(self, path: str) -> tuple[int, dict]:
        async with self.http.get(self.kassa.base_url + path) as answer:
            return answer.status, await answer.json()

    async def create(self, body: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        status, payment = await self.post("/payments", body or payment_body(**fields))
        assert status == 200, payment
        return payment


@pytest.fixture
def api(http: aiohttp.ClientSession, kassa: YooKassaEmulator) -> Api:
    return Api(http, kassa)


def item(value: str = "1234.50", quantity: Any = 1, **over: Any) -> dict[str, Any]:
    line = {
        "description": "Invoice 2026-000001",
        "quantity": quantity,
        "amount": {"value": value, "currency": "RUB"},
        "vat_code": 1,
        "payment_subject": "service",
        "payment_mode": "full_payment",
    }
    return {**line, **over}


def payment_body(value: str = "1234.50", *, receipt: bool = True, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "amount": {"value": value, "currency": "RUB"},
        "capture": True,
        "confirmation": {"type": "redirect", "return_url": RETURN_URL},
        "description": "DMS invoices",
        "metadata": {"payment": "17"},
    }
    if receipt:
        body["receipt"] = {"customer": {"phone": "79161234567"}, "items": [item(value)]}
    return {**body, **over}


def assert_error(status: int, body: dict, expected_status: int, code: str, parameter: str | None = None) -> None:
    assert status == expected_status, body
    assert body["type"] == "error" and body["code"] == code and body["id"] and body["description"]
    assert body.get("parameter") == parameter


# --- auth and the idempotence key


async def test_auth_is_checked_on_every_call(kassa: YooKassaEmulator, api: Api) -> None:
    wrong = [{"Authorization": basic(*pair)} for pair in ((SHOP_ID, "wrong"), ("999", SECRET))]
    for headers in (*wrong, {}):
        async with aiohttp.ClientSession(headers=headers) as stranger:
            create = stranger.post(kassa.base_url + "/payments", json=payment_body(), headers={"Idempotence-Key": "k"})
            async with create as answer:
                assert_error(answer.status, await answer.json(), 401, "invalid_credentials", "Authorization")
            async with stranger.get(kassa.base_url + "/payments/whatever") as answer:
                assert answer.status == 401
    assert kassa.payments == {}
    assert len(kassa.requests) == 6  # refused calls are recorded too
    payment = await api.create()
    assert await api.get(f"/payments/{payment['id']}") == (200, payment)


async def test_post_needs_an_idempotence_key_of_at_most_64(kassa: YooKassaEmulator, api: Api) -> None:
    assert_error(*await api.post("/payments", payment_body(), key=None), 400, "invalid_request", "Idempotence-Key")
    assert_error(*await api.post("/payments", payment_body(), key="k" * 65), 400, "invalid_request", "Idempotence-Key")
    assert kassa.payments == {}
    status, _ = await api.post("/payments", payment_body(), key="k" * 64)
    assert status == 200


async def test_create_gives_a_pending_payment_with_a_checkout_url(kassa: YooKassaEmulator, api: Api) -> None:
    payment = await api.create()
    assert payment["status"] == "pending" and payment["paid"] is False and payment["test"] is True
    assert payment["amount"] == {"value": "1234.50", "currency": "RUB"}
    assert payment["confirmation"] == {"type": "redirect", "confirmation_url": kassa.confirmation_url(payment["id"])}
    assert payment["metadata"] == {"payment": "17"} and payment["description"] == "DMS invoices"
    assert payment["recipient"]["account_id"] == SHOP_ID and payment["refundable"] is False
    assert payment["created_at"].endswith("Z") and payment["receipt_registration"] == "pending"
    parts = payment["id"].split("-")
    assert [len(p) for p in parts] == [8, 4, 4, 4, 12] and parts[1] == "000f"
    assert kassa.payments == {payment["id"]: payment}
    assert_error(*await api.get("/payments/nope"), 404, "not_found", "payment_id")


async def test_a_repeat_with_the_same_key_gives_the_payment_as_it_is_now(kassa: YooKassaEmulator, api: Api) -> None:
    first = await api.post("/payments", payment_body(), key="same")
    assert await api.post("/payments", payment_body(), key="same") == first
    assert len(kassa.payments) == 1
    await kassa.pay(first[1]["id"])
    status, again = await api.post("/payments", payment_body(), key="same")
    assert (status, again["id"], again["status"]) == (200, first[1]["id"], "succeeded")
    assert len(kassa.payments) == 1
    # Keys are per endpoint: the same key on another path is another request.
    refund_body = {"payment_id": again["id"], "amount": {"value": "1.00", "currency": "RUB"}}
    status, refund = await api.post("/refunds", refund_body, key="same")
    assert status == 200 and refund["status"] == "succeeded"


async def test_the_same_key_with_another_body_is_refused(kassa: YooKassaEmulator, api: Api) -> None:
    await api.post("/payments", payment_body(), key="same")
    status, body = await api.post("/payments", payment_body("99.00"), key="same")
    assert_error(status, body, 400, "invalid_request", "Idempotence-Key")
    assert body["description"] == "Idempotence key duplicated"
    assert len(kassa.payments) == 1


async def test_keys_are_kept_24_hours(kassa: YooKassaEmulator, api: Api) -> None:
    start = kassa.now()
    _, first = await api.post("/payments", payment_body(), key="daily")
    kassa.now = lambda: start + timedelta(hours=23, minutes=59)
    assert (await api.post("/payments", payment_body(), key="daily"))[1]["id"] == first["id"]
    kassa.now = lambda: start + timedelta(hours=24, seconds=1)
    status, second = await api.post("/payments", payment_body("99.00"), key="daily")
    assert status == 200 and second["id"] != first["id"] and len(kassa.payments) == 2


async def test_a_refused_request_is_replayed_as_refused(kassa: YooKassaEmulator, api: Api) -> None:
    body = payment_body(metadata={"k": 1})
    first = await api.post("/payments", body, key="bad")
    assert_error(*first, 400, "invalid_request", "metadata.k")
    assert await api.post("/payments", body, key="bad") == first
    assert kassa.payments == {}


# --- validation


def _without_customer(body: dict) -> None:
    del body["receipt"]["customer"]


def _items(count: int) -> Callable[[dict], None]:
    def change(body: dict) -> None:
        body["amount"]["value"] = f"{count}.00"
        body["receipt"]["items"] = [item("1.00") for _ in range(count)]

    return change


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def change(body: dict) -> None:
        *parents, last = path.split(".")
        node = body
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return change


_DELETE = object()


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        (_without_customer, "receipt.customer"),
        (_set("receipt.customer", {"phone": "+79161234567"}), "receipt.customer.phone"),
        (_items(81), "receipt.items"),
        (_set("receipt.items", []), "receipt.items"),
        (_set("receipt.items.0.amount.value", "1234.49"), "receipt.items"),
        (_set("receipt.items.0.quantity", 2), "receipt.items"),
        (_set("receipt.items.0.vat_code", 13), "receipt.items[0].vat_code"),
        (_set("receipt.items.0.description", "x" * 129), "receipt.items[0].description"),
        (_set("receipt.items.0.payment_subject", _DELETE), "receipt.items[0].payment_subject"),
        (_set("receipt.items.0.payment_mode", "whatever"), "receipt.items[0].payment_mode"),
        (_set("amount.value", "0.00"), "amount.value"),
        (_set("amount.value", "12.345"), "amount.value"),
        (_set("amount.currency", "USD"), "amount.currency"),
        (_set("confirmation", _DELETE), "confirmation"),
        (_set("description", "x" * 129), "description"),
        (_set("metadata", {f"k{i}": "v" for i in range(17)}), "metadata"),
        (_set("capture", "yes"), "capture"),
    ],
)
async def test_payment_requests_are_checked_like_the_real_api(
    kassa: YooKassaEmulator, api: Api, change: Callable[[dict], None], parameter: str
) -> None:
    body = copy.deepcopy(payment_body())
    change(body)
    assert_error(*await api.post("/payments", body), 400, "invalid_request", parameter)
    assert kassa.payments == {}


async def test_a_float_amount_is_refused_and_fractional_quantities_add_up(kassa: YooKassaEmulator, api: Api) -> None:
    body = payment_body()
    body["amount"]["value"] = 1234.5
    assert_error(*await api.post("/payments", body), 400, "invalid_request", "amount.value")
    body = payment_body("100.00")
    body["receipt"]["items"] = [item("33.33", 3), item("0.01", "1.000"), item("0.00")]
    payment = await api.create(body)
    assert payment["amount"]["value"] == "100.00"


# --- the payer, notifications


async def test_pay_succeeds_and_notifies_from_notify_from(kassa: YooKassaEmulator, api: Api, bot: BotStub) -> None:
    payment = await api.create(save_payment_method=True)
    paid = await kassa.pay(payment["id"])
    assert paid["status"] == "succeeded" and paid["paid"] is True and paid["refundable"] is True
    assert "confirmation" not in paid and paid["captured_at"].endswith("Z")
    assert paid["receipt_registration"] == "succeeded"
    assert paid["refunded_amount"] == {"value": "0.00", "currency": "RUB"}
    method = paid["payment_method"]
    assert method["type"] == "bank_card" and method["saved"] is True and method["title"] == "Bank card *4444"
    assert method["card"]["last4"] == "4444" and method["card"]["card_type"] == "MasterCard"
    assert kassa.notifications == [("payment.succeeded", payment["id"], 200)]
    [(remote, note)] = bot.received
    assert remote == "127.0.0.2"
    assert note == {"type": "notification", "event": "payment.succeeded", "object": paid}
    assert (await api.get(f"/payments/{payment['id']}"))[1] == paid
    with pytest.raises(ValueError):
        await kassa.pay(payment["id"])


async def test_two_stage_payment_waits_for_capture(kassa: YooKassaEmulator, api: Api, bot: BotStub) -> None:
    payment = await api.create(capture=False)
    held = await kassa.pay(payment["id"])
    assert held["status"] == "waiting_for_capture" and held["paid"] is True and held["expires_at"].endswith("Z")
    status, captured = await api.post(f"/payments/{payment['id']}/capture", {})
    assert status == 200 and captured["status"] == "succeeded"
    await kassa.flush()
    assert [event for event, _, _ in kassa.notifications] == ["payment.waiting_for_capture", "payment.succeeded"]


async def test_decline_cancels_and_notifies(kassa: YooKassaEmulator, api: Api, bot: BotStub) -> None:
    payment = await api.create()
    declined = await kassa.decline(payment["id"])
    assert declined["status"] == "canceled" and declined["paid"] is False
    assert declined["cancellation_details"] == {"party": "payment_network", "reason": "insufficient_funds"}
    assert kassa.notifications == [("payment.canceled", payment["id"], 200)]
    assert bot.received[0][1]["event"] == "payment.canceled"


async def test_notify_again_from_a_foreign_network_or_to_a_bot_that_is_down(
    kassa: YooKassaEmulator, api: Api, bot: BotStub
) -> None:
    payment = await api.create()
    await kassa.pay(payment["id"])
    bot.status = 403
    assert await kassa.notify("payment.succeeded", payment["id"], source="127.0.0.3") == 403
    assert bot.received[-1][0] == "127.0.0.3"
    forged = {"type": "notification", "event": "payment.succeeded", "object": {"id": "forged", "status": "succeeded"}}
    assert await kassa.notify("payment.succeeded", "forged", body=forged) == 403
    assert bot.received[-1][1] == forged
    await bot.stop()
    assert await kassa.notify("payment.succeeded", payment["id"]) == 0
    assert kassa.notifications[-1] == ("payment.succeeded", payment["id"], 0)


# --- switches


async def test_delay_next_performs_and_holds_the_answer(kassa: YooKassaEmulator, api: Api) -> None:
    kassa.delay_next["create_payment"] = 0.6
    with pytest.raises(asyncio.TimeoutError):
        await api.post("/payments", payment_body(), key="slow", timeout=aiohttp.ClientTimeout(total=0.2))
    [stored] = kassa.payments.values()  # performed although the client gave up
    status, again = await api.post("/payments", payment_body(), key="slow")  # the one-shot delay is spent
    assert status == 200 and again["id"] == stored["id"] and len(kassa.payments) == 1


async def test_fail_next_answers_instead_of_performing(kassa: YooKassaEmulator, api: Api) -> None:
    kassa.fail_next["create_payment"] = 500
    assert_error(*await api.post("/payments", payment_body(), key="retry"), 500, "internal_server_error")
    assert kassa.payments == {}
    status, payment = await api.post("/payments", payment_body(), key="retry")  # nothing was kept for the key
    assert status == 200 and len(kassa.payments) == 1
    kassa.fail_next["get_payment"] = 500
    assert (await api.get(f"/payments/{payment['id']}"))[0] == 500
    assert (await api.get(f"/payments/{payment['id']}"))[0] == 200


async def test_fail_next_reset_drops_the_connection_before_or_after_performing(
    kassa: YooKassaEmulator, api: Api
) -> None:
    kassa.fail_next["create_payment"] = "reset"
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.post("/payments", payment_body(), key="dropped")
    assert kassa.payments == {}  # nothing performed, nothing kept
    kassa.fail_next["create_payment"] = "reset_after"
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.post("/payments", payment_body(), key="dropped")
    [made] = kassa.payments.values()  # performed and kept: the repeat answers with it
    status, again = await api.post("/payments", payment_body(), key="dropped")
    assert status == 200 and again["id"] == made["id"] and len(kassa.payments) == 1


# --- cancel, refunds, saved methods


async def test_cancel(kassa: YooKassaEmulator, api: Api) -> None:
    payment = await api.create()
    status, canceled = await api.post(f"/payments/{payment['id']}/cancel", None)
    assert status == 200 and canceled["status"] == "canceled"
    assert canceled["cancellation_details"] == {"party": "merchant", "reason": "canceled_by_merchant"}
    paid = await api.create()
    await kassa.pay(paid["id"])
    assert_error(*await api.post(f"/payments/{paid['id']}/cancel", None), 400, "invalid_request")
    await kassa.flush()
    assert ("payment.canceled", payment["id"], 200) in kassa.notifications


async def test_refunds_up_to_what_was_paid(kassa: YooKassaEmulator, api: Api) -> None:
    payment = await api.create()
    refund = {"payment_id": payment["id"], "amount": {"value": "1000.00", "currency": "RUB"}}
    assert_error(*await api.post("/refunds", refund), 400, "invalid_request", "payment_id")  # still pending
    await kassa.pay(payment["id"])
    receipt = {"customer": {"email": "ivan@example.com"}, "items": [item("999.00")]}
    assert_error(*await api.post("/refunds", {**refund, "receipt": receipt}), 400, "invalid_request", "receipt.items")
    receipt["items"] = [item("1000.00")]
    status, first = await api.post("/refunds", {**refund, "receipt": receipt, "description": "Requested"})
    assert status == 200 and first["status"] == "succeeded" and first["payment_id"] == payment["id"]
    assert first["amount"] == {"value": "1000.00", "currency": "RUB"} and first["receipt_registration"] == "succeeded"
    assert kassa.payments[payment["id"]]["refunded_amount"]["value"] == "1000.00"
    too_much = {"payment_id": payment["id"], "amount": {"value": "234.51", "currency": "RUB"}}
    assert_error(*await api.post("/refunds", too_much), 400, "invalid_request", "amount.value")
    status, rest = await api.post("/refunds", {**too_much, "amount": {"value": "234.50", "currency": "RUB"}})
    assert status == 200
    assert kassa.payments[payment["id"]]["refunded_amount"]["value"] == "1234.50"
    assert kassa.payments[payment["id"]]["refundable"] is False
    assert await api.get(f"/refunds/{rest['id']}") == (200, rest)
    assert_error(*await api.get("/refunds/nope"), 404, "not_found", "refund_id")
    await kassa.flush()
    assert [n for n in kassa.notifications if n[0] == "refund.succeeded"] == [
        ("refund.succeeded", first["id"], 200),
        ("refund.succeeded", rest["id"], 200),
    ]


async def test_refunds_are_listed_by_their_payment(kassa: YooKassaEmulator, api: Api) -> None:
    payments = [await api.create(), await api.create()]
    for payment in payments:
        await kassa.pay(payment["id"])
    made = []
    for payment, value in ((payments[0], "100.00"), (payments[0], "200.00"), (payments[1], "300.00")):
        status, refund = await api.post(
            "/refunds", {"payment_id": payment["id"], "amount": {"value": value, "currency": "RUB"}}
        )
        assert status == 200
        made.append(refund)
    status, listed = await api.get(f"/refunds?payment_id={payments[0]['id']}")
    assert status == 200 and listed == {"type": "list", "items": [made[1], made[0]]}  # newest first
    assert (await api.get("/refunds?limit=1"))[1]["items"] == [made[2]]
    assert (await api.get("/refunds?payment_id=none"))[1] == {"type": "list", "items": []}
    assert_error(*await api.get("/refunds?limit=101"), 400, "invalid_request", "limit")
    await kassa.flush()


async def test_a_saved_method_is_charged_at_once_until_declined(
    kassa: YooKassaEmulator, api: Api, bot: BotStub
) -> None:
    first = await api.create(save_payment_method=True)
    method_id = (await kassa.pay(first["id"]))["payment_method"]["id"]
    body = payment_body("500.00", payment_method_id=method_id)
    del body["confirmation"]
    charged = await api.create(body)
    assert charged["status"] == "succeeded" and charged["paid"] is True and "confirmation" not in charged
    assert charged["payment_method"]["id"] == method_id and charged["payment_method"]["saved"] is True
    kassa.decline_method(method_id, "card_expired")
    refused = await api.create({**body, "amount": {"value": "500.00", "currency": "RUB"}})
    assert refused["status"] == "canceled"
    assert refused["cancellation_details"] == {"party": "payment_network", "reason": "card_expired"}
    await kassa.flush()
    assert kassa.notifications[1:] == [
        ("payment.succeeded", charged["id"], 200),
        ("payment.canceled", refused["id"], 200),
    ]
    assert bot.received[-1][1]["object"]["status"] == "canceled"
    unknown = {**body, "payment_method_id": "not-saved"}
    assert_error(*await api.post("/payments", unknown), 400, "invalid_request", "payment_method_id")


async def test_requests_are_recorded(kassa: YooKassaEmulator, api: Api) -> None:
    payment = await api.create()
    await api.get(f"/payments/{payment['id']}")
    create, read = kassa.requests
    assert (create.method, create.path, create.idempotence_key) == ("POST", "/v3/payments", "key-1")
    assert create.headers["idempotence-key"] == "key-1" and create.body == payment_body()
    assert (read.method, read.path, read.body) == ("GET", f"/v3/payments/{payment['id']}", None)
    assert read.idempotence_key is None


# --- the checkout page


async def test_checkout_page_pays_or_declines_and_returns(kassa: YooKassaEmulator, api: Api) -> None:
    paid, declined = await api.create(), await api.create()
    async with aiohttp.ClientSession() as browser:  # no auth: the payer's browser
        async with browser.get(paid["confirmation"]["confirmation_url"]) as page:
            text = await page.text()
            assert page.status == 200
            assert f'action="/checkout/{paid["id"]}/pay"' in text and f'action="/checkout/{paid["id"]}/decline"' in text
        for payment, step in ((paid, "pay"), (declined, "decline")):
            async with browser.post(f"{kassa.confirmation_url(payment['id'])}/{step}", allow_redirects=False) as answer:
                assert answer.status == 303 and answer.headers["Location"] == RETURN_URL
        async with browser.post(f"{kassa.confirmation_url(paid['id'])}/pay", allow_redirects=False) as again:
            assert again.status == 409
        async with browser.get(kassa.confirmation_url(paid["id"])) as page:
            assert "succeeded" in await page.text() and "<form" not in await page.text()
    assert kassa.payments[paid["id"]]["status"] == "succeeded"
    assert kassa.payments[declined["id"]]["status"] == "canceled"
    assert [event for event, _, _ in kassa.notifications] == ["payment.succeeded", "payment.canceled"]
