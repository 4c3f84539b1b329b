"""Payments: the gateway interface and the YooKassa adapter (API v3, spoken directly over aiohttp).

The `yookassa` SDK's HTTP client is synchronous, has no timeout and would block the event loop, so the
adapter sends the requests itself; the SDK checks every body before it goes (its request models) and reads
notifications (`yookassa_sdk`). The requests: `POST /payments`, `GET /payments/{id}`,
`POST /payments/{id}/cancel`, `POST /refunds`, `GET /refunds/{id}`, `GET /refunds?payment_id=`, with Basic auth
(shop id, secret key), `Content-Type: application/json` and, on every POST, an
`Idempotence-Key` (at most 64 characters; YooKassa honours one for 24 hours).

Money is integer kopecks in our types, a string with two decimals on the wire
(`"1234.50"`), parsed back through Decimal, never float.

Errors are data types: `OutcomeUnknown` when the operation may or may not have happened
(timeout, connection error, HTTP 5xx, 202 "still processing", a body that cannot be
read): repeat it with the same key or read the object back; `Rejected` for HTTP 4xx: it
did not happen, and the next attempt takes a new key — except "idempotence key duplicated"
(`Rejected.key_reused`: the key was used with another body, so the first request may well have
happened: read it back). Messages carry statuses, error
codes and parameter names only; bodies (which hold phones and e-mails) are never logged.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import ModuleType
from typing import Any, Protocol

import aiohttp

from core.money import to_kopecks

log = logging.getLogger(__name__)

CURRENCY = "RUB"
DESCRIPTION_MAX = 128  # a payment's description and a receipt item's, characters
REFUND_DESCRIPTION_MAX = 250
IDEMPOTENCE_KEY_MAX = 64
NOTIFICATION_MAX_BYTES = 64 * 1024
RESPONSE_MAX_BYTES = 1024 * 1024
METADATA_MAX_KEYS = 16
METADATA_KEY_MAX = 32
METADATA_VALUE_MAX = 512
DEFAULT_PAYMENT_TIMEOUT = aiohttp.ClientTimeout(total=20, connect=5, sock_read=15)

_KEY_SEPARATOR = "\x1f"  # ASCII unit separator: never part of an id or a code
_OBJECT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # YooKassa's ids are UUID-like; this keeps URLs safe
_IDEMPOTENCE_KEY = re.compile(r"[\x21-\x7e]{1,64}")  # printable ASCII, fit for a header
_EVENT = re.compile(r"[a-z_]{1,32}\.[a-z_]{1,32}")
_STATUS = re.compile(r"[a-z_]{1,32}")
_AMOUNT_VALUE = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,6})?")
_E164_DIGITS = re.compile(r"[1-9][0-9]{0,14}")  # ITU-T E.164: at most 15 digits, no leading zero
_MAX_KOPECKS = 10**15  # far above any real payment; keeps the string form within YooKassa's limits


class PaymentStatus(StrEnum):
    PENDING = "pending"
    WAITING_FOR_CAPTURE = "waiting_for_capture"
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"


@dataclass(frozen=True)
class ReceiptItem:
    description: str
    amount: int  # kopecks, quantity 1


@dataclass(frozen=True)
class Receipt:
    """The customer's receipt (54-FZ). `phone` in E.164 (`+79161234567`, sent without the plus)
    or `email`, at least one. VAT code, payment subject and payment mode come from the gateway.

    YooKassa's own receipt service ("receipts from YooKassa") delivers by e-mail only;
    a phone alone is enough only with a third-party online cash register.
    """

    items: tuple[ReceiptItem, ...]
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class PaymentRequest:
    amount: int  # kopecks
    description: str
    metadata: Mapping[str, str]
    receipt: Receipt | None
    return_url: str | None = None  # a redirect confirmation when set
    capture: bool = True
    save_payment_method: bool = False
    payment_method_id: str | None = None  # charge a saved method (no confirmation needed)


@dataclass(frozen=True)
class Card:
    last4: str
    card_type: str
    expiry_month: int
    expiry_year: int
    first6: str | None


@dataclass(frozen=True)
class PaymentMethod:
    id: str
    saved: bool
    type: str
    title: str | None
    card: Card | None


@dataclass(frozen=True)
class RemotePayment:
    id: str
    status: PaymentStatus
    amount: int
    paid: bool
    metadata: Mapping[str, str]
    confirmation_url: str | None
    cancellation_party: str | None
    cancellation_reason: str | None
    payment_method: PaymentMethod | None
    refunded_amount: int
    receipt_registration: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class RemoteRefund:
    id: str
    payment_id: str
    status: str
    amount: int


class GatewayError(Exception):
    """A payment operation failed. The message never carries personal data."""


class OutcomeUnknown(GatewayError):
    """The operation may or may not have happened: repeat it with the same idempotence key,
    or read the object back. `status` is the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self):
        return OutcomeUnknown, (str(self), self.status)


class Rejected(GatewayError):
    """HTTP 4xx: the operation did not happen; the next attempt takes a new key.

    `code` is YooKassa's error code (`invalid_request`, `invalid_credentials`, `forbidden`,
    `not_found`, `too_many_requests`...), `parameter` the name of the offending field,
    `error_id` YooKassa's id of the error (for its support). The error's free-text
    description is dropped: it may quote the request.
    """

    def __init__(
        self,
        status: int,
        code: str | None = None,
        parameter: str | None = None,
        *,
        operation: str = "request",
        error_id: str | None = None,
    ) -> None:
        details = " ".join(part for part in (code, f"parameter={parameter}" if parameter else None) if part)
        super().__init__(f"YooKassa refused {operation}: HTTP {status}{' ' + details if details else ''}")
        self.status = status
        self.code = code
        self.parameter = parameter
        self.operation = operation
        self.error_id = error_id

    @property
    def key_reused(self) -> bool:
        """YooKassa's "Idempotence key duplicated": the key is known with another body. Nothing about the
        first request follows from it — the outcome is unknown."""
        return self.status == 400 and self.parameter == "Idempotence-Key"

    def __reduce__(self):
        # Keyword arguments would be lost by the default pickling of exceptions.
        return _rebuild_rejected, (self.status, self.code, self.parameter, self.operation, self.error_id)


def _rebuild_rejected(status, code, parameter, operation, error_id) -> Rejected:
    return Rejected(status, code, parameter, operation=operation, error_id=error_id)


class PaymentGateway(Protocol):
    async def create_payment(self, request: PaymentRequest, idempotence_key: str) -> RemotePayment: ...

    async def get_payment(self, payment_id: str) -> RemotePayment: ...

    async def cancel_payment(self, payment_id: str, idempotence_key: str) -> RemotePayment: ...

    async def create_refund(
        self,
        payment_id: str,
        amount: int,
        idempotence_key: str,
        *,
        receipt: Receipt | None = None,
        description: str | None = None,
    ) -> RemoteRefund: ...

    async def get_refund(self, refund_id: str) -> RemoteRefund: ...

    async def refunds_of(self, payment_id: str) -> tuple[RemoteRefund, ...]: ...


# --- pure helpers


def request_data(request: PaymentRequest) -> dict[str, Any]:
    """A payment request as JSON-safe data, to be stored with its key and sent again unchanged."""
    return dataclasses.asdict(request)


def request_from_data(data: Mapping[str, Any]) -> PaymentRequest:
    receipt = data.get("receipt")
    return PaymentRequest(
        **{
            **data,
            "metadata": dict(data["metadata"]),
            "receipt": receipt_from_data(receipt) if receipt is not None else None,
        }
    )


def receipt_data(receipt: Receipt) -> dict[str, Any]:
    return dataclasses.asdict(receipt)


def receipt_from_data(data: Mapping[str, Any]) -> Receipt:
    return Receipt(
        items=tuple(ReceiptItem(**item) for item in data["items"]), phone=data.get("phone"), email=data.get("email")
    )


def idempotence_key(*parts: str) -> str:
    """A stable key for one operation: sha256 hex (64 characters) of the parts joined by a
    separator that cannot occur in them. The same parts give the same key, so a retry after
    `OutcomeUnknown` repeats the operation instead of making a second one."""
    if not parts:
        raise ValueError("an idempotence key needs at least one part")
    for part in parts:
        if not isinstance(part, str):
            raise ValueError("idempotence key parts must be strings")
        if _KEY_SEPARATOR in part:
            raise ValueError("an idempotence key part contains the separator")
    return hashlib.sha256(_KEY_SEPARATOR.join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def format_amount(kopecks: int) -> str:
    """Kopecks → YooKassa's string: 123450 → "1234.50". Positive whole kopecks only."""
    if isinstance(kopecks, bool) or not isinstance(kopecks, int):
        raise ValueError("an amount is an int of kopecks")
    if not 0 < kopecks < _MAX_KOPECKS:
        raise ValueError("an amount must be positive and within limits")
    rubles, rest = divmod(kopecks, 100)
    return f"{rubles}.{rest:02d}"


def parse_amount(value: object) -> int:
    """YooKassa's `{"value": "1234.50", "currency": "RUB"}` → 123450; ValueError otherwise."""
    if not isinstance(value, Mapping):
        raise ValueError("amount is not an object")
    if value.get("currency") != CURRENCY:
        raise ValueError("amount is not in roubles")
    text = value.get("value")
    if not isinstance(text, str) or not _AMOUNT_VALUE.fullmatch(text):
        raise ValueError("amount value is not a decimal string")
    try:
        return to_kopecks(Decimal(text))
    except InvalidOperation:  # cannot happen after the pattern; kept for safety
        raise ValueError("amount value is not a decimal") from None


def _receipt_phone(phone: str) -> str:
    """E.164 (`+79161234567`) → YooKassa's receipt phone, ITU-T E.164 digits without the plus."""
    digits = phone[1:] if phone.startswith("+") else phone
    if not _E164_DIGITS.fullmatch(digits):
        raise ValueError("receipt phone is not an E.164 number")
    return digits


# --- notifications


@dataclass(frozen=True)
class Notification:
    """What an incoming notification names. It is unsigned: read the object back
    (`get_payment` / `get_refund`) before acting on it."""

    event: str  # "payment.succeeded", "payment.canceled", "payment.waiting_for_capture", "refund.succeeded"...
    object_id: str
    object_status: str | None


def parse_notification(body: bytes) -> Notification:
    """A YooKassa notification body → its event and object id. ValueError on anything
    malformed: over 64 KiB, not UTF-8 JSON, not `{"type": "notification", "event": ...,
    "object": {"id": ...}}`. Nothing else of the body is trusted or returned."""
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise ValueError("notification body must be bytes")
    if len(body) > NOTIFICATION_MAX_BYTES:
        raise ValueError("notification body is too large")
    try:
        data = json.loads(bytes(body).decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ValueError("notification body is not JSON") from None
    if not isinstance(data, dict) or data.get("type") != "notification" or not isinstance(data.get("object"), dict):
        raise ValueError("not a notification")
    event, object_id, status = _sdk().notification_object(data)
    # The SDK reads the shape; what reaches a log, a URL or the database is held to our own patterns.
    if not isinstance(event, str) or not _EVENT.fullmatch(event):
        raise ValueError("notification has no valid event")
    if not isinstance(object_id, str) or not _OBJECT_ID.fullmatch(object_id):
        raise ValueError("notification object has no valid id")
    if status is not None and (not isinstance(status, str) or not _STATUS.fullmatch(status)):
        raise ValueError("notification object has an invalid status")
    return Notification(event=event, object_id=object_id, object_status=status)


def _sdk() -> ModuleType:
    """The SDK's helpers, imported on first use: a process that never pays or hears from YooKassa (an import
    from the command line) does not pay for the SDK's import."""
    from core.gateways import yookassa_sdk

    return yookassa_sdk


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# --- the adapter


class YooKassaGateway:
    """PaymentGateway over YooKassa's HTTP API v3 (or an emulator at `api_url`)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        api_url: str,
        shop_id: str,
        secret_key: str,
        vat_code: int = 1,
        payment_subject: str = "service",
        payment_mode: str = "full_payment",
        timeout: aiohttp.ClientTimeout = DEFAULT_PAYMENT_TIMEOUT,
    ) -> None:
        self.session = session
        self.api_url = api_url.rstrip("/")
        token = base64.b64encode(f"{shop_id}:{secret_key}".encode()).decode("ascii")
        self._authorization = f"Basic {token}"
        self.vat_code = vat_code
        self.payment_subject = payment_subject
        self.payment_mode = payment_mode
        self.timeout = timeout

    def __repr__(self) -> str:  # the secret key stays out of reprs and tracebacks
        return f"YooKassaGateway(api_url={self.api_url!r})"

    async def create_payment(self, request: PaymentRequest, idempotence_key: str) -> RemotePayment:
        body: dict[str, Any] = {"amount": _money(request.amount)}
        if request.description:  # YooKassa refuses an empty one
            body["description"] = _truncate(request.description, DESCRIPTION_MAX)
        body["capture"] = bool(request.capture)
        body["metadata"] = _metadata(request.metadata)
        if request.return_url is not None:
            body["confirmation"] = {"type": "redirect", "return_url": request.return_url}
        if request.save_payment_method:
            body["save_payment_method"] = True
        if request.payment_method_id is not None:
            body["payment_method_id"] = _object_id(request.payment_method_id)
        if request.receipt is not None:
            body["receipt"] = self._receipt(request.receipt, request.amount)
        _sdk().check_payment(body)
        data = await self._call("POST", "/payments", "create_payment", body=body, key=idempotence_key)
        return _payment(data)

    async def get_payment(self, payment_id: str) -> RemotePayment:
        data = await self._call("GET", f"/payments/{_object_id(payment_id)}", "get_payment")
        return _payment(data)

    async def cancel_payment(self, payment_id: str, idempotence_key: str) -> RemotePayment:
        path = f"/payments/{_object_id(payment_id)}/cancel"
        data = await self._call("POST", path, "cancel_payment", key=idempotence_key)
        return _payment(data)

    async def create_refund(
        self,
        payment_id: str,
        amount: int,
        idempotence_key: str,
        *,
        receipt: Receipt | None = None,
        description: str | None = None,
    ) -> RemoteRefund:
        body: dict[str, Any] = {"payment_id": _object_id(payment_id), "amount": _money(amount)}
        if description:
            body["description"] = _truncate(description, REFUND_DESCRIPTION_MAX)
        if receipt is not None:
            body["receipt"] = self._receipt(receipt, amount)
        _sdk().check_refund(body)
        data = await self._call("POST", "/refunds", "create_refund", body=body, key=idempotence_key)
        return _refund(data)

    async def get_refund(self, refund_id: str) -> RemoteRefund:
        data = await self._call("GET", f"/refunds/{_object_id(refund_id)}", "get_refund")
        return _refund(data)

    async def refunds_of(self, payment_id: str) -> tuple[RemoteRefund, ...]:
        """The payment's refunds (`{"type": "list", "items": [...]}`); a shop makes few per payment, so the
        first page (YooKassa's maximum of 100) holds them all."""
        data = await self._call("GET", f"/refunds?payment_id={_object_id(payment_id)}&limit=100", "list_refunds")
        items = data.get("items")
        if data.get("type") != "list" or not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise OutcomeUnknown("YooKassa answered a list of refunds that cannot be read")
        return tuple(_refund(item) for item in items)

    # --- internals

    def _receipt(self, receipt: Receipt, total: int) -> dict[str, Any]:
        if not receipt.items:
            raise ValueError("a receipt needs at least one item")
        customer: dict[str, str] = {}
        if receipt.phone is not None:
            customer["phone"] = _receipt_phone(receipt.phone)
        if receipt.email is not None:
            if not isinstance(receipt.email, str) or "@" not in receipt.email or len(receipt.email) > 256:
                raise ValueError("receipt e-mail is not an address")
            customer["email"] = receipt.email
        if not customer:
            raise ValueError("a receipt needs the customer's phone or e-mail")
        if not all(isinstance(item.description, str) and item.description.strip() for item in receipt.items):
            raise ValueError("every receipt item needs a description")
        if sum(item.amount for item in receipt.items) != total:
            raise ValueError("receipt items do not add up to the amount")
        items = [
            {
                "description": _truncate(item.description, DESCRIPTION_MAX),
                "quantity": "1.00",
                "amount": _money(item.amount),
                "vat_code": self.vat_code,
                "payment_subject": self.payment_subject,
                "payment_mode": self.payment_mode,
            }
            for item in receipt.items
        ]
        return {"customer": customer, "items": items}

    async def _call(
        self, method: str, path: str, operation: str, *, body: dict[str, Any] | None = None, key: str | None = None
    ) -> dict[str, Any]:
        headers = {
            "Authorization": self._authorization,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        data: bytes | None = None
        if method == "POST":
            if not isinstance(key, str) or not _IDEMPOTENCE_KEY.fullmatch(key):
                raise ValueError(f"an idempotence key is 1..{IDEMPOTENCE_KEY_MAX} printable ASCII characters")
            headers["Idempotence-Key"] = key
            # A cancel has no body, as in YooKassa's own examples and SDK.
            data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        url = self.api_url + path
        try:
            async with self.session.request(
                method, url, data=data, headers=headers, timeout=self.timeout, allow_redirects=False
            ) as response:
                status = response.status
                raw = await _read_limited(response)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("YooKassa %s: no answer (%s)", operation, type(exc).__name__)
            raise OutcomeUnknown(f"YooKassa {operation}: no answer ({type(exc).__name__})") from None
        except _TooLarge:
            log.warning("YooKassa %s: HTTP %s, answer too large", operation, status)
            raise OutcomeUnknown(f"YooKassa {operation}: answer too large", status) from None

        if status == 200:
            try:
                answer = json.loads(raw.decode("utf-8"))
            except (ValueError, RecursionError):
                answer = None
            if not isinstance(answer, dict):
                log.warning("YooKassa %s: HTTP 200 with an unreadable body", operation)
                raise OutcomeUnknown(f"YooKassa {operation}: unreadable answer", status)
            log.debug("YooKassa %s: HTTP 200", operation)
            return answer
        if 400 <= status < 500:
            code, parameter, error_id = _error_fields(raw)
            log.warning("YooKassa %s: HTTP %s %s %s", operation, status, code, parameter)
            raise Rejected(status, code, parameter, operation=operation, error_id=error_id)
        # 202 "still processing", 5xx and anything unexpected: the outcome is unknown.
        log.warning("YooKassa %s: HTTP %s, outcome unknown", operation, status)
        raise OutcomeUnknown(f"YooKassa {operation}: HTTP {status}", status)


class _TooLarge(Exception):
    pass


async def _read_limited(response: aiohttp.ClientResponse) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > RESPONSE_MAX_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error_fields(raw: bytes) -> tuple[str | None, str | None, str | None]:
    """`{"type": "error", "id": ..., "code": ..., "parameter": ...}`: code, parameter and id
    when they look like identifiers (never free text)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None

    def token(name: str, pattern: str) -> str | None:
        value = data.get(name)
        return value if isinstance(value, str) and re.fullmatch(pattern, value) else None

    code = token("code", r"[a-z_]{1,64}")
    parameter = token("parameter", r"[A-Za-z0-9_.\[\]-]{1,128}")
    return code, parameter, token("id", r"[A-Za-z0-9_-]{1,64}")


def _object_id(value: str) -> str:
    if not isinstance(value, str) or not _OBJECT_ID.fullmatch(value):
        raise ValueError("not a YooKassa object id")
    return value


def _money(kopecks: int) -> dict[str, str]:
    return {"value": format_amount(kopecks), "currency": CURRENCY}


def _truncate(text: str, limit: int) -> str:
    if not isinstance(text, str):
        raise ValueError("a description is a string")
    return text[:limit]


def _metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    if len(metadata) > METADATA_MAX_KEYS:
        raise ValueError(f"metadata holds at most {METADATA_MAX_KEYS} keys")
    result: dict[str, str] = {}
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValueError("metadata keys and values are strings")
        if not 0 < len(key) <= METADATA_KEY_MAX or len(value) > METADATA_VALUE_MAX:
            raise ValueError("metadata key or value too long")
        result[key] = value
    return result


# --- reading answers: the essential fields must be right (else OutcomeUnknown); the rest is best effort


def _payment(data: dict[str, Any]) -> RemotePayment:
    try:
        payment_id = _object_id(data["id"])
        status = PaymentStatus(data["status"])
        amount = parse_amount(data["amount"])
        paid = data["paid"]
        if not isinstance(paid, bool):
            raise ValueError("paid is not a boolean")
        refunded = parse_amount(data["refunded_amount"]) if data.get("refunded_amount") is not None else 0
    except (KeyError, TypeError, ValueError):
        raise OutcomeUnknown("YooKassa answered a payment that cannot be read") from None
    confirmation = data.get("confirmation")
    cancellation = data.get("cancellation_details")
    return RemotePayment(
        id=payment_id,
        status=status,
        amount=amount,
        paid=paid,
        metadata=_read_metadata(data.get("metadata")),
        confirmation_url=_str(confirmation.get("confirmation_url")) if isinstance(confirmation, dict) else None,
        cancellation_party=_str(cancellation.get("party")) if isinstance(cancellation, dict) else None,
        cancellation_reason=_str(cancellation.get("reason")) if isinstance(cancellation, dict) else None,
        payment_method=_payment_method(data.get("payment_method")),
        refunded_amount=refunded,
        receipt_registration=_str(data.get("receipt_registration")),
        created_at=_datetime(data.get("created_at")),
    )


def _refund(data: dict[str, Any]) -> RemoteRefund:
    try:
        status = data["status"]
        if not isinstance(status, str) or not _STATUS.fullmatch(status):
            raise ValueError("bad refund status")
        return RemoteRefund(
            id=_object_id(data["id"]),
            payment_id=_object_id(data["payment_id"]),
            status=status,
            amount=parse_amount(data["amount"]),
        )
    except (KeyError, TypeError, ValueError):
        raise OutcomeUnknown("YooKassa answered a refund that cannot be read") from None


def _payment_method(data: object) -> PaymentMethod | None:
    if not isinstance(data, dict):
        return None
    method_id, method_type = data.get("id"), data.get("type")
    if not isinstance(method_id, str) or not _OBJECT_ID.fullmatch(method_id) or not isinstance(method_type, str):
        return None
    return PaymentMethod(
        id=method_id,
        saved=data.get("saved") is True,
        type=method_type,
        title=_str(data.get("title")),
        card=_card(data.get("card")),
    )


def _card(data: object) -> Card | None:
    if not isinstance(data, dict):
        return None
    last4, card_type = data.get("last4"), data.get("card_type")
    month, year = _int(data.get("expiry_month")), _int(data.get("expiry_year"))
    if not isinstance(last4, str) or not isinstance(card_type, str) or month is None or year is None:
        return None
    return Card(last4=last4, card_type=card_type, expiry_month=month, expiry_year=year, first6=_str(data.get("first6")))


def _read_metadata(data: object) -> dict[str, str]:
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if isinstance(key, str) and isinstance(value, str)}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 4:
        return int(value)
    return None


def _datetime(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
