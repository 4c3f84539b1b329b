"""Request checking as YooKassa's API v3 does it, and the error objects it answers with.

Every refusal is HTTP 400 `{"type": "error", "id": …, "code": "invalid_request", "description": …,
"parameter": …}` where `parameter` is a dotted path with list indexes (`receipt.items[3].vat_code`),
the form the real API uses. Where the real API's limit is documented it is applied as is; the few places
where the emulator is stricter on purpose say so.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CURRENCY = "RUB"
CENT = Decimal("0.01")
MAX_ITEMS = 80  # receipt items in one receipt
MAX_METADATA_KEYS = 16
MAX_METADATA_KEY = 32
MAX_METADATA_VALUE = 512
MAX_DESCRIPTION = 128  # a payment's and a receipt item's
MAX_REFUND_DESCRIPTION = 250
MAX_RETURN_URL = 2048
# Strings only, at most two decimals: JSON numbers are refused on purpose (stricter than the real API,
# which parses them) because a float amount is exactly the bug the emulator should catch.
_AMOUNT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")
_QUANTITY = re.compile(r"[0-9]{1,9}(\.[0-9]{1,3})?")
# ITU-T E.164 digits without "+", as the API reference writes it (79000000000).
_PHONE = re.compile(r"[1-9][0-9]{10,14}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

PAYMENT_SUBJECTS = frozenset(
    [
        "commodity",
        "excise",
        "job",
        "service",
        "gambling_bet",
        "gambling_prize",
        "lottery",
        "lottery_prize",
        "intellectual_activity",
        "payment",
        "agent_commission",
        "property_right",
        "non_operating_gain",
        "insurance_premium",
        "sales_tax",
        "resort_fee",
        "composite",
        "another",
        "fine",
        "tax",
        "lien",
        "cost",
        "pension_insurance_without_payouts",
        "pension_insurance_with_payouts",
        "health_insurance_without_payouts",
        "health_insurance_with_payouts",
        "health_insurance",
        "casino",
        "agent_withdrawals",
        "non_marked_excise",
        "marked_excise",
        "marked",
        "non_marked",
    ]
)
PAYMENT_MODES = frozenset(
    ["full_prepayment", "partial_prepayment", "advance", "full_payment", "partial_payment", "credit", "credit_payment"]
)

_CODES = {
    400: "invalid_request",
    401: "invalid_credentials",
    403: "forbidden",
    404: "not_found",
    429: "too_many_requests",
    500: "internal_server_error",
}


class ApiError(Exception):
    """An error answer: HTTP `status` and the API's error object."""

    def __init__(self, status: int, description: str, parameter: str | None = None, code: str | None = None):
        super().__init__(description)
        self.status = status
        self.code = code or _CODES.get(status, "internal_server_error")
        self.description = description
        self.parameter = parameter

    def body(self) -> dict[str, str]:
        body = {"type": "error", "id": str(uuid.uuid4()), "code": self.code, "description": self.description}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


def invalid(parameter: str | None, description: str) -> ApiError:
    return ApiError(400, description, parameter)


def money(value: Decimal, currency: str = CURRENCY) -> dict[str, str]:
    """The API's amount object: the value always with two decimals."""
    return {"value": f"{value.quantize(CENT):.2f}", "currency": currency}


@dataclass(frozen=True)
class PaymentRequest:
    amount: Decimal
    description: str | None
    metadata: dict[str, str]
    capture: bool
    save_payment_method: bool
    payment_method_id: str | None
    return_url: str | None  # None: no confirmation asked (a saved method is charged at once)
    receipt: dict[str, Any] | None


@dataclass(frozen=True)
class RefundRequest:
    payment_id: str
    amount: Decimal
    description: str | None
    receipt: dict[str, Any] | None


def amount(raw: object, where: str, *, positive: bool = True) -> Decimal:
    if not isinstance(raw, dict):
        raise invalid(where, f"{where} is missing or is not an object")
    value = raw.get("value")
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value):
        raise invalid(f"{where}.value", 'Amount value must be a string like "1234.50"')
    if raw.get("currency") != CURRENCY:
        raise invalid(f"{where}.currency", f"Currency must be {CURRENCY}")
    parsed = Decimal(value)
    if positive and parsed <= 0:
        raise invalid(f"{where}.value", "Amount value must be greater than 0")
    return parsed


def _string(raw: object, where: str, limit: int, *, required: bool = False) -> str | None:
    if raw is None and not required:
        return None
    if not isinstance(raw, str) or not raw or len(raw) > limit:
        raise invalid(where, f"{where} must be a non-empty string of at most {limit} characters")
    return raw


def _flag(raw: object, where: str) -> bool:
    if raw is None:
        return False
    if not isinstance(raw, bool):
        raise invalid(where, f"{where} must be true or false")
    return raw


def _metadata(raw: object) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > MAX_METADATA_KEYS:
        raise invalid("metadata", f"metadata must be an object of at most {MAX_METADATA_KEYS} keys")
    for key, value in raw.items():
        if len(key) > MAX_METADATA_KEY:
            raise invalid(f"metadata.{key}", f"A metadata key is at most {MAX_METADATA_KEY} characters")
        if not isinstance(value, str) or len(value) > MAX_METADATA_VALUE:
            raise invalid(f"metadata.{key}", f"A metadata value is a string of at most {MAX_METADATA_VALUE} characters")
    return dict(raw)


def receipt(raw: object, total: Decimal) -> dict[str, Any]:
    """A 54-FZ receipt: a customer to send it to, 1..80 items, and items adding up to `total`."""
    if not isinstance(raw, dict):
        raise invalid("receipt", "Receipt is missing or illegal")
    customer = raw.get("customer")
    if not isinstance(customer, dict) or not (customer.get("phone") or customer.get("email")):
        raise invalid("receipt.customer", "Receipt customer must have a phone or an email")
    phone, email = customer.get("phone"), customer.get("email")
    if phone is not None and not (isinstance(phone, str) and _PHONE.fullmatch(phone)):
        raise invalid("receipt.customer.phone", "Phone must be in ITU-T E.164 format, like 79000000000")
    if email is not None and not (isinstance(email, str) and _EMAIL.fullmatch(email)):
        raise invalid("receipt.customer.email", "Email is illegal")
    items = raw.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise invalid("receipt.items", f"A receipt has 1 to {MAX_ITEMS} items")
    tax_system = raw.get("tax_system_code")
    if tax_system is not None and (type(tax_system) is not int or not 1 <= tax_system <= 6):
        raise invalid("receipt.tax_system_code", "tax_system_code must be an integer from 1 to 6")
    items_total = sum((_item(item, f"receipt.items[{i}]") for i, item in enumerate(items)), Decimal(0))
    if items_total != total:
        raise invalid(
            "receipt.items",
            f"Sum of receipt items ({items_total:.2f}) does not equal the amount ({total.quantize(CENT):.2f})",
        )
    return raw


def _item(raw: object, where: str) -> Decimal:
    """Checks one receipt item; its price times quantity, in kopecks."""
    if not isinstance(raw, dict):
        raise invalid(where, "A receipt item must be an object")
    _string(raw.get("description"), f"{where}.description", MAX_DESCRIPTION, required=True)
    quantity = raw.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, (int, str, Decimal)):
        raise invalid(f"{where}.quantity", "Quantity must be a number")
    if isinstance(quantity, str) and not _QUANTITY.fullmatch(quantity):
        raise invalid(f"{where}.quantity", "Quantity must be a number with at most 3 decimals")
    count = Decimal(quantity)
    if count <= 0 or count.as_tuple().exponent < -3:  # type: ignore[operator]
        raise invalid(f"{where}.quantity", "Quantity must be greater than 0, with at most 3 decimals")
    price = amount(raw.get("amount"), f"{where}.amount", positive=False)
    vat = raw.get("vat_code")
    if type(vat) is not int or not 1 <= vat <= 12:
        raise invalid(f"{where}.vat_code", "vat_code must be an integer from 1 to 12")
    if raw.get("payment_subject") not in PAYMENT_SUBJECTS:
        raise invalid(f"{where}.payment_subject", "payment_subject is missing or illegal")
    if raw.get("payment_mode") not in PAYMENT_MODES:
        raise invalid(f"{where}.payment_mode", "payment_mode is missing or illegal")
    return (price * count).quantize(CENT, rounding=ROUND_HALF_UP)


def payment_request(body: dict[str, Any], *, receipt_required: bool) -> PaymentRequest:
    total = amount(body.get("amount"), "amount")
    method_id = body.get("payment_method_id")
    if method_id is not None and (not isinstance(method_id, str) or not method_id):
        raise invalid("payment_method_id", "payment_method_id must be a string")
    confirmation = body.get("confirmation")
    return_url = None
    if confirmation is not None or method_id is None:
        if not isinstance(confirmation, dict):
            raise invalid("confirmation", 'Confirmation is required: {"type": "redirect", "return_url": …}')
        if confirmation.get("type") != "redirect":
            raise invalid("confirmation.type", "Only the redirect confirmation is supported here")
        return_url = _string(confirmation.get("return_url"), "confirmation.return_url", MAX_RETURN_URL, required=True)
    raw_receipt = body.get("receipt")
    if raw_receipt is None and receipt_required:
        raise invalid("receipt", "Receipt is missing or illegal")
    return PaymentRequest(
        amount=total,
        description=_string(body.get("description"), "description", MAX_DESCRIPTION),
        metadata=_metadata(body.get("metadata")),
        capture=_flag(body.get("capture"), "capture"),
        save_payment_method=_flag(body.get("save_payment_method"), "save_payment_method"),
        payment_method_id=method_id,
        return_url=return_url,
        receipt=None if raw_receipt is None else receipt(raw_receipt, total),
    )


def refund_request(body: dict[str, Any], *, receipt_required: bool) -> RefundRequest:
    payment_id = body.get("payment_id")
    if not isinstance(payment_id, str) or not payment_id:
        raise invalid("payment_id", "payment_id is required")
    total = amount(body.get("amount"), "amount")
    raw_receipt = body.get("receipt")
    if raw_receipt is None and receipt_required:
        raise invalid("receipt", "Receipt is missing or illegal")
    return RefundRequest(
        payment_id=payment_id,
        amount=total,
        description=_string(body.get("description"), "description", MAX_REFUND_DESCRIPTION),
        receipt=None if raw_receipt is None else receipt(raw_receipt, total),
    )
