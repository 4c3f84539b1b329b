"""The YooKassa emulator's HTTP server, state and notifications (see the package docstring)."""

from __future__ import annotations

import asyncio
import base64
import copy
import html
import json
import secrets
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

from emulators.faults import reset_connection
from emulators.yookassa.validation import ApiError, amount, invalid, money, payment_request, refund_request

KEY_HEADER = "Idempotence-Key"
MAX_KEY = 64
KEY_LIFETIME = timedelta(hours=24)
HOLD_LIFETIME = timedelta(days=7)  # a waiting_for_capture payment's expires_at (bank cards)
OPERATIONS = (
    "create_payment",
    "get_payment",
    "capture_payment",
    "cancel_payment",
    "create_refund",
    "get_refund",
    "list_refunds",
)
# Who declines: YooMoney's antifraud for these reasons, the card's bank or network for the rest.
_YOO_MONEY_REASONS = frozenset({"fraud_suspected", "permission_revoked", "expired_on_confirmation"})


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: CIMultiDict[str]  # a Mapping with case-insensitive keys
    body: dict[str, Any] | None  # the JSON object sent (floats as Decimal); None if none or not an object
    idempotence_key: str | None


@dataclass
class _Kept:
    """What a POST with an idempotence key did, for repeats within 24 h."""

    fingerprint: str
    at: datetime
    status: int
    error: dict[str, str] | None  # the error answered, replayed as is
    ref: tuple[str, str] | None  # ("payments" | "refunds", id): a success replays the object as it is now


@dataclass
class _Charge:
    """What the payment's answer does not show but its later steps need."""

    capture: bool
    save_method: bool
    return_url: str | None
    has_receipt: bool


_Perform = Callable[[Mapping[str, str], dict[str, Any]], dict[str, Any]]
_Handler = Callable[[web.Request], Coroutine[Any, Any, web.Response]]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _fingerprint(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)


class YooKassaEmulator:
    def __init__(
        self,
        shop_id: str = "100500",
        secret_key: str = "test_secret_key",
        *,
        notify_url: str | None = None,
        notify_from: str = "127.0.0.2",
    ) -> None:
        self.shop_id = shop_id
        self.secret_key = secret_key
        self.gateway_id = "1" + shop_id
        self.notify_url = notify_url
        self.notify_from = notify_from
        self.notify_timeout = 10.0
        self.delay = 0.0
        self.delay_next: dict[str, float] = {}
        self.fail_next: dict[str, int | str] = {}
        self.receipts_required = False
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.card = {
            "first6": "555555",
            "last4": "4444",
            "expiry_month": "12",
            "expiry_year": "2030",
            "card_type": "MasterCard",
        }
        self.base_url = ""
        self.requests: list[Recorded] = []
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.saved_methods: dict[str, dict[str, Any]] = {}
        self.notifications: list[tuple[str, str, int]] = []
        self._declined_methods: dict[str, str] = {}
        self._charges: dict[str, _Charge] = {}
        self._kept: dict[tuple[str, str], _Kept] = {}
        self._root = ""
        self._tasks: set[asyncio.Task[int]] = set()
        self._runner: web.AppRunner | None = None

    # --- lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application()
        api = [
            ("POST", "/v3/payments", "create_payment", self._create_payment),
            ("GET", "/v3/payments/{id}", "get_payment", self._get_payment),
            ("POST", "/v3/payments/{id}/capture", "capture_payment", self._capture_payment),
            ("POST", "/v3/payments/{id}/cancel", "cancel_payment", self._cancel_payment),
            ("POST", "/v3/refunds", "create_refund", self._create_refund),
            ("GET", "/v3/refunds/{id}", "get_refund", self._get_refund),
            ("GET", "/v3/refunds", "list_refunds", self._list_refunds),
        ]
        for method, path, operation, perform in api:
            app.router.add_route(method, path, self._endpoint(operation, perform))
        app.router.add_route("*", "/v3/{tail:.*}", self._unknown)
        app.router.add_get("/checkout/{id}", self._checkout_page)
        app.router.add_post("/checkout/{id}/pay", self._checkout_pay)
        app.router.add_post("/checkout/{id}/decline", self._checkout_decline)
        # handler_cancellation: stopping must not wait for an answer held by `delay` or `delay_next`.
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self._root = f"http://{host}:{self._runner.addresses[0][1]}"
        self.base_url = f"{self._root}/v3"

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> YooKassaEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- the payer and the tests

    def confirmation_url(self, payment_id: str) -> str:
        return f"{self._root}/checkout/{payment_id}"

    async def pay(self, payment_id: str) -> dict[str, Any]:
        """The payer pays with `card`: succeeded (capture) or waiting_for_capture; notified at once."""
        payment = self._pending(payment_id)
        charge = self._charges[payment_id]
        method = self._card_method(payment_id, saved=charge.save_method)
        self._paid(payment, method, charge)
        if charge.save_method:
            self.saved_methods[payment_id] = copy.deepcopy(method)
        await self._notify_if_set(f"payment.{payment['status']}", payment_id)
        return copy.deepcopy(payment)

    async def decline(self, payment_id: str, reason: str = "insufficient_funds") -> dict[str, Any]:
        """The payer's card is declined: canceled by the payment network; notified at once."""
        payment = self._pending(payment_id)
        payment["payment_method"] = self._card_method(payment_id, saved=False)
        self._canceled(payment, reason)
        await self._notify_if_set("payment.canceled", payment_id)
        return copy.deepcopy(payment)

    def saves_method(self, payment_id: str) -> bool:
        """Whether the payment was asked to save the payer's method (a card check)."""
        charge = self._charges.get(payment_id)
        return bool(charge and charge.save_method)

    def decline_method(self, payment_method_id: str, reason: str = "insufficient_funds") -> None:
        """From now on, charges with this saved method are canceled for `reason`."""
        self._declined_methods[payment_method_id] = reason

    async def notify(
        self, event: str, object_id: str, *, source: str | None = None, body: dict[str, Any] | bytes | None = None
    ) -> int:
        """Posts a notification now (the object as it is, or a forged `body`: an object, or bytes sent as
        they are) from `source` (default `notify_from`); returns the bot's HTTP status, 0 when it could not
        be reached or timed out."""
        if self.notify_url is None:
            raise RuntimeError("notify_url is not set")
        if body is None:
            objects = self.refunds if event.startswith("refund.") else self.payments
            body = {"type": "notification", "event": event, "object": copy.deepcopy(objects[object_id])}
        connector = aiohttp.TCPConnector(local_addr=(source or self.notify_from, 0), force_close=True)
        timeout = aiohttp.ClientTimeout(total=self.notify_timeout)
        try:
            async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
                headers = {"Content-Type": "application/json"}
                data = body if isinstance(body, bytes) else _dumps(body)
                async with session.post(self.notify_url, data=data, headers=headers) as answer:
                    await answer.read()
                    status = answer.status
        except (TimeoutError, aiohttp.ClientError, OSError):
            status = 0
        self.notifications.append((event, object_id, status))
        return status

    async def flush(self) -> None:
        """Waits for the notifications that API calls started in the background."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- the API

    def _endpoint(self, operation: str, perform: _Perform) -> _Handler:
        async def handler(request: web.Request) -> web.Response:
            await asyncio.sleep(self.delay)
            raw = await request.read()
            body, parsed = self._parse(raw)
            key = request.headers.get(KEY_HEADER)
            headers = CIMultiDict(request.headers)
            recorded_body = body if isinstance(body, dict) and raw.strip() else None
            self.requests.append(Recorded(request.method, request.path, headers, recorded_body, key))
            if self.fail_next.get(operation) == "reset":  # the connection dropped: nothing performed or kept
                del self.fail_next[operation]
                return reset_connection(request)
            dropped = self.fail_next.get(operation) == "reset_after"
            if dropped:
                del self.fail_next[operation]
            try:
                status, payload = self._answer(request, operation, perform, raw, body, parsed, key)
            except ApiError as error:  # refused before anything was kept: nothing to replay
                status, payload = error.status, error.body()
            if dropped:  # performed and kept, then the connection dropped: the answer is lost
                return reset_connection(request)
            # The operation is done and kept: holding the answer plays an answer lost to a client timeout.
            await asyncio.sleep(self.delay_next.pop(operation, 0.0))
            return web.json_response(payload, status=status, dumps=_dumps)

        return handler

    def _answer(
        self,
        request: web.Request,
        operation: str,
        perform: _Perform,
        raw: bytes,
        body: Any,
        parsed: bool,
        key: str | None,
    ) -> tuple[int, dict[str, Any]]:
        self._authenticate(request.headers.get("Authorization"))
        post = request.method == "POST"
        if post:
            if not key:
                raise invalid(KEY_HEADER, "Idempotence key is missing: the Idempotence-Key header is required")
            if len(key) > MAX_KEY:
                raise invalid(KEY_HEADER, f"Idempotence key is longer than {MAX_KEY} characters")
            if raw and request.content_type != "application/json":
                raise ApiError(415, "Content-Type must be application/json", code="invalid_request")
            if not parsed or not isinstance(body, dict):
                raise invalid(None, "Request body must be a JSON object")
        if operation in self.fail_next:  # an outage: nothing performed, the key not kept
            status = self.fail_next.pop(operation)
            description = "Internal server error" if status >= 500 else "Refused by the emulator"
            return status, ApiError(status, description).body()
        if not post:  # a GET's filters come as its body
            return 200, perform(request.match_info, dict(request.query))
        slot = (request.path, key)
        kept = self._kept.get(slot)
        if kept is not None and self.now() - kept.at >= KEY_LIFETIME:
            kept = None
        if kept is not None:
            if kept.fingerprint != _fingerprint(body):
                raise invalid(KEY_HEADER, "Idempotence key duplicated")
            if kept.ref is None:
                return kept.status, dict(kept.error or {})
            kind, object_id = kept.ref
            return kept.status, copy.deepcopy(getattr(self, kind)[object_id])
        try:
            result = perform(request.match_info, body)
        except ApiError as error:
            refusal = error.body()
            self._kept[slot] = _Kept(_fingerprint(body), self.now(), error.status, refusal, None)
            return error.status, dict(refusal)
        kind = "refunds" if operation == "create_refund" else "payments"
        self._kept[slot] = _Kept(_fingerprint(body), self.now(), 200, None, (kind, result["id"]))
        return 200, result

    def _authenticate(self, header: str | None) -> None:
        expected = base64.b64encode(f"{self.shop_id}:{self.secret_key}".encode()).decode()
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "basic" or not secrets.compare_digest(token.strip().encode(), expected.encode()):
            raise ApiError(401, "Login fails: check the shop id and the secret key", "Authorization")

    @staticmethod
    def _parse(raw: bytes) -> tuple[Any, bool]:
        if not raw.strip():
            return {}, True
        try:
            return json.loads(raw, parse_float=Decimal), True
        except ValueError:
            return None, False

    async def _unknown(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, "Resource not found").body(), status=404)

    def _create_payment(self, _match: Mapping[str, str], body: dict[str, Any]) -> dict[str, Any]:
        asked = payment_request(body, receipt_required=self.receipts_required)
        saved = None
        if asked.payment_method_id is not None:
            saved = self.saved_methods.get(asked.payment_method_id)
            if saved is None:
                raise invalid("payment_method_id", "Payment method is not found or is not saved")
        payment_id = self._new_id(self.payments, "000f")
        payment: dict[str, Any] = {"id": payment_id, "status": "pending", "paid": False, "amount": money(asked.amount)}
        if asked.description is not None:
            payment["description"] = asked.description
        payment.update(
            recipient={"account_id": self.shop_id, "gateway_id": self.gateway_id},
            created_at=_stamp(self.now()),
            test=True,
            refundable=False,
            metadata=asked.metadata,
        )
        if asked.return_url is not None and saved is None:
            payment["confirmation"] = {"type": "redirect", "confirmation_url": self.confirmation_url(payment_id)}
        if asked.receipt is not None:
            payment["receipt_registration"] = "pending"
        charge = _Charge(asked.capture, asked.save_payment_method, asked.return_url, asked.receipt is not None)
        self.payments[payment_id] = payment
        self._charges[payment_id] = charge
        if saved is not None:  # a saved method is charged at once, without the payer
            if (reason := self._declined_methods.get(saved["id"])) is not None:
                payment["payment_method"] = copy.deepcopy(saved)
                self._canceled(payment, reason)
            else:
                self._paid(payment, copy.deepcopy(saved), charge)
            self._spawn(f"payment.{payment['status']}", payment_id)
        return copy.deepcopy(payment)

    def _get_payment(self, match: Mapping[str, str], _body: dict[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(self._payment(match["id"]))

    def _capture_payment(self, match: Mapping[str, str], body: dict[str, Any]) -> dict[str, Any]:
        payment = self._payment(match["id"])
        if payment["status"] != "waiting_for_capture":
            raise invalid(None, f"Payment is {payment['status']}: only waiting_for_capture can be captured")
        if "amount" in body:
            captured = amount(body["amount"], "amount")
            if captured > Decimal(payment["amount"]["value"]):
                raise invalid("amount.value", "Capture amount exceeds the payment amount")
            payment["amount"] = money(captured)
        self._succeeded(payment)
        self._spawn("payment.succeeded", payment["id"])
        return copy.deepcopy(payment)

    def _cancel_payment(self, match: Mapping[str, str], _body: dict[str, Any]) -> dict[str, Any]:
        payment = self._payment(match["id"])
        if payment["status"] not in ("pending", "waiting_for_capture"):
            raise invalid(None, f"Payment is {payment['status']}: only pending or waiting_for_capture can be canceled")
        self._canceled(payment, "canceled_by_merchant", party="merchant")
        self._spawn("payment.canceled", payment["id"])
        return copy.deepcopy(payment)

    def _create_refund(self, _match: Mapping[str, str], body: dict[str, Any]) -> dict[str, Any]:
        asked = refund_request(body, receipt_required=self.receipts_required)
        payment = self.payments.get(asked.payment_id)
        if payment is None:
            raise invalid("payment_id", "Payment not found or forbidden")
        if payment["status"] != "succeeded":
            raise invalid("payment_id", f"Payment is {payment['status']}: only succeeded can be refunded")
        paid = Decimal(payment["amount"]["value"])
        refunded = Decimal(payment.get("refunded_amount", {}).get("value", "0"))
        if asked.amount > paid - refunded:
            raise invalid("amount.value", f"Refund amount exceeds what is left to refund ({paid - refunded:.2f})")
        refund_id = self._new_id(self.refunds, "0015")
        refund: dict[str, Any] = {
            "id": refund_id,
            "payment_id": asked.payment_id,
            "status": "succeeded",
            "created_at": _stamp(self.now()),
            "amount": money(asked.amount),
        }
        if asked.description is not None:
            refund["description"] = asked.description
        if asked.receipt is not None:
            refund["receipt_registration"] = "succeeded"
        self.refunds[refund_id] = refund
        payment["refunded_amount"] = money(refunded + asked.amount)
        payment["refundable"] = refunded + asked.amount < paid
        self._spawn("refund.succeeded", refund_id)
        return copy.deepcopy(refund)

    def _get_refund(self, match: Mapping[str, str], _body: dict[str, Any]) -> dict[str, Any]:
        refund = self.refunds.get(match["id"])
        if refund is None:
            raise ApiError(404, "Refund not found", "refund_id")
        return copy.deepcopy(refund)

    def _list_refunds(self, _match: Mapping[str, str], query: dict[str, Any]) -> dict[str, Any]:
        """YooKassa's list: newest first, filtered by `payment_id` and `status`, at most `limit` (1..100,
        default 10). One page: the emulator gives no `next_cursor`."""
        limit = query.get("limit", "10")
        if not limit.isdigit() or not 1 <= int(limit) <= 100:
            raise invalid("limit", "limit must be an integer from 1 to 100")
        found = [
            refund
            for refund in reversed(self.refunds.values())
            if all(refund[name] == query[name] for name in ("payment_id", "status") if name in query)
        ]
        return {"type": "list", "items": copy.deepcopy(found[: int(limit)])}

    # --- state changes

    def _payment(self, payment_id: str) -> dict[str, Any]:
        payment = self.payments.get(payment_id)
        if payment is None:
            raise ApiError(404, "Payment not found or forbidden", "payment_id")
        return payment

    def _pending(self, payment_id: str) -> dict[str, Any]:
        payment = self.payments[payment_id]
        if payment["status"] != "pending":
            raise ValueError(f"payment {payment_id} is {payment['status']}, not pending")
        return payment

    def _paid(self, payment: dict[str, Any], method: dict[str, Any], charge: _Charge) -> None:
        payment.pop("confirmation", None)
        payment["paid"] = True
        payment["payment_method"] = method
        if charge.capture:
            self._succeeded(payment)
        else:
            payment["status"] = "waiting_for_capture"
            payment["expires_at"] = _stamp(self.now() + HOLD_LIFETIME)

    def _succeeded(self, payment: dict[str, Any]) -> None:
        payment.pop("expires_at", None)
        payment["status"] = "succeeded"
        payment["captured_at"] = _stamp(self.now())
        payment["refundable"] = True
        payment["refunded_amount"] = money(Decimal(0))
        if self._charges[payment["id"]].has_receipt:
            payment["receipt_registration"] = "succeeded"

    def _canceled(self, payment: dict[str, Any], reason: str, party: str | None = None) -> None:
        payment.pop("confirmation", None)
        payment.pop("expires_at", None)
        payment["status"] = "canceled"
        payment["paid"] = False
        payment["refundable"] = False
        party = party or ("yoo_money" if reason in _YOO_MONEY_REASONS else "payment_network")
        payment["cancellation_details"] = {"party": party, "reason": reason}
        if self._charges[payment["id"]].has_receipt:
            payment["receipt_registration"] = "canceled"

    def _card_method(self, payment_id: str, *, saved: bool) -> dict[str, Any]:
        last4 = self.card["last4"]
        card = dict(self.card)
        return {"type": "bank_card", "id": payment_id, "saved": saved, "title": f"Bank card *{last4}", "card": card}

    def _new_id(self, taken: Mapping[str, object], kind: str) -> str:
        # The real ids' shape: a time part, the object kind, a version and random hex.
        while True:
            stamp = int(self.now().timestamp()) & 0xFFFFFFFF
            candidate = f"{stamp:08x}-{kind}-5000-{secrets.choice('89ab')}000-{secrets.token_hex(6)}"
            if candidate not in taken:
                return candidate

    # --- notifications

    async def _notify_if_set(self, event: str, object_id: str) -> None:
        if self.notify_url is not None:
            await self.notify(event, object_id)

    def _spawn(self, event: str, object_id: str) -> None:
        """Notifies in the background, as the real service does: the API answer does not wait for it."""
        if self.notify_url is None:
            return
        task: asyncio.Task[int] = asyncio.get_running_loop().create_task(self.notify(event, object_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- the checkout page (the payer's browser: no auth)

    async def _checkout_page(self, request: web.Request) -> web.Response:
        payment = self.payments.get(request.match_info["id"])
        if payment is None:
            return web.Response(status=404, text="No such payment")
        pid = html.escape(payment["id"])
        title = f"Payment {pid}: {html.escape(payment['amount']['value'])} {html.escape(payment['amount']['currency'])}"
        if payment["status"] == "pending":
            what = html.escape(payment.get("description", ""))
            forms = (
                f'<form method="post" action="/checkout/{pid}/pay"><button type="submit">Pay</button></form>'
                f'<form method="post" action="/checkout/{pid}/decline"><button type="submit">Decline</button></form>'
            )
            return _page(title, f"<p>{what}</p>{forms}")
        return _page(title, f"<p>This payment is {html.escape(payment['status'])}.</p>")

    async def _checkout_pay(self, request: web.Request) -> web.Response:
        return await self._checkout_step(request, self.pay)

    async def _checkout_decline(self, request: web.Request) -> web.Response:
        return await self._checkout_step(request, self.decline)

    async def _checkout_step(
        self, request: web.Request, step: Callable[[str], Coroutine[Any, Any, dict[str, Any]]]
    ) -> web.Response:
        payment_id = request.match_info["id"]
        if payment_id not in self.payments:
            return web.Response(status=404, text="No such payment")
        try:
            payment = await step(payment_id)
        except ValueError as refused:
            return _page("Not possible", f"<p>{html.escape(str(refused))}</p>", status=409)
        return_url = self._charges[payment_id].return_url
        if return_url:
            raise web.HTTPSeeOther(return_url)
        return _page("Done", f"<p>done: the payment is {html.escape(payment['status'])}</p>")


def _page(title: str, body: str, status: int = 200) -> web.Response:
    head = f'<head><meta charset="utf-8"><title>{title}</title></head>'
    text = f"<!doctype html><html>{head}<body><h1>{title}</h1>{body}</body></html>"
    return web.Response(status=status, text=text, content_type="text/html")
