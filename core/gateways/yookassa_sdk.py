"""What the official `yookassa` SDK does well, used without its HTTP client (synchronous, with no timeout: never
called here): its request models check the bodies we send, its notification factory reads what YooKassa
posts, and its security helper knows YooKassa's published networks.

Importing the SDK costs 130–270 ms (it brings `requests`; a quiet machine, a loaded one), so only the processes that talk to YooKassa pay it:
the bot and the worker import this module at start (`bot/web/yookassa.py`, through the web composer), anything
else on its first payment or notification (`core.gateways.payments` imports it then); an import or an export
from the command line never does.
"""

from __future__ import annotations

from typing import Any

from yookassa.domain.common import SecurityHelper
from yookassa.domain.notification import WebhookNotificationFactory
from yookassa.domain.request import PaymentRequest, RefundRequest

# What the SDK's models raise on a value of the wrong shape: they convert and build as they go.
_MODEL_ERRORS = (TypeError, ValueError, KeyError, AttributeError, ArithmeticError, RecursionError)

_security = SecurityHelper()


def check_payment(body: dict[str, Any]) -> None:
    """ValueError unless the SDK's PaymentRequest accepts `body` (amount, receipt's customer and VAT codes…)."""
    try:
        PaymentRequest(body).validate()
    except _MODEL_ERRORS as refused:
        raise ValueError(f"payment request refused by the SDK's model: {refused}") from None


def check_refund(body: dict[str, Any]) -> None:
    """ValueError unless the SDK's RefundRequest accepts `body` (the payment's id in YooKassa's 36-character
    form, a positive amount, the receipt)."""
    try:
        RefundRequest(body).validate()
    except _MODEL_ERRORS as refused:
        raise ValueError(f"refund request refused by the SDK's model: {refused}") from None


def notification_object(data: dict[str, Any]) -> tuple[Any, Any, Any]:
    """A notification's event, and its object's id and status, as the SDK's factory reads them; ValueError for
    what it cannot read."""
    try:
        notification = WebhookNotificationFactory().create(data)
        obj = notification.object
        return notification.event, getattr(obj, "id", None), getattr(obj, "status", None)
    except _MODEL_ERRORS:
        raise ValueError("not a notification the SDK can read") from None


def published_network(address: str) -> bool:
    """Whether `address` (a valid IP address) is in YooKassa's published notification networks."""
    return _security.is_ip_trusted(address)
