"""A YooKassa API v3 emulator on loopback, for tests and the offline sandbox: one test shop.

`base_url` (``http://127.0.0.1:PORT/v3``) is what YOOKASSA_API_URL is set to. Endpoints: ``POST /payments``,
``GET /payments/{id}``, ``POST /payments/{id}/capture``, ``POST /payments/{id}/cancel``, ``POST /refunds``,
``GET /refunds/{id}``, ``GET /refunds?payment_id=…&status=…&limit=…`` (``{"type": "list", "items": [...]}``,
newest first). Objects have the real shapes (ids like ``2c4f…-000f-5000-8000-…``, ISO times with
``Z``, amounts as ``{"value": "1234.50", "currency": "RUB"}``, Decimal inside, never float).

Strict where the real API is:
- HTTP Basic auth ``shop_id:secret_key`` on every /v3 call, else 401 ``invalid_credentials``. Errors are
  ``{"type": "error", "id", "code", "description", "parameter"?}``.
- Every POST needs ``Idempotence-Key`` (at most 64 characters), else 400 ``invalid_request``. Keys are
  kept 24 h (by `now`) per endpoint path. A repeat with the same body answers as the first did: an error
  is replayed as it was; a success gives the object *as it is now* (the API reference: a 200 answer holds
  the object "in its current status", and the response-handling guide tells to repeat a pending or 500
  request with the same key to learn the outcome: yookassa.ru/developers/using-api/response-handling).
  The same key with a different body: HTTP 400 ``{"code": "invalid_request", "description":
  "Idempotence key duplicated", "parameter": "Idempotence-Key"}``, the error example of the API reference
  (reproduced in SDKs' mocks "from official documentation", e.g. a2seven/yoo-checkout's README and the
  yandex-checkout Scala client's MockData). A 500 (`fail_next`) keeps nothing: a retry performs it.
- Payments: amount > 0 in RUB; ``confirmation {"type": "redirect", "return_url"}`` unless
  ``payment_method_id`` (a method saved by an earlier payment: charged at once, no payer); description
  ≤ 128; metadata ≤ 16 string values (keys ≤ 32, values ≤ 512); ``capture`` defaults to false as in the
  API (the payer's payment then waits for capture). A receipt (54-FZ): customer phone (E.164 digits, no
  "+") or email; 1..80 items with description ≤ 128, quantity (≤ 3 decimals), amount, vat_code 1..12,
  payment_subject and payment_mode from the API's lists; the items' price × quantity adds up to the
  amount. Errors name the parameter (``receipt.items[3].vat_code``).
- Cancel: a pending or waiting_for_capture payment → canceled by the merchant; otherwise 400. Refunds:
  only of a succeeded payment, at most what is left (else 400); succeeded at once, the payment's
  ``refunded_amount`` grows.

Switches (attributes): `delay` seconds before every API answer; `delay_next[operation]` one-shot: the
operation is performed and kept, its answer held that long (a client timeout: "outcome unknown");
`fail_next[operation]` one-shot HTTP status answered instead of performing, ``"reset"`` (the connection
dropped before anything is performed) or ``"reset_after"`` (performed and kept, then the connection dropped:
the answer lost) (operations: create_payment,
get_payment, capture_payment, cancel_payment, create_refund, get_refund, list_refunds); `receipts_required` (a shop with
receipts on: a payment or refund without one is refused, "Receipt is missing or illegal"); `card` (the
card the payer pays with); `now` (the clock); `notify_url`, `notify_from` (the local address notifications
come from, e.g. 127.0.0.3 to play a foreign network), `notify_timeout`.

Notifications ``{"type": "notification", "event", "object"}``: `pay` and `decline` post theirs before
returning; ones caused by API calls (a saved method charged, a capture, a cancel, a refund) are posted in
the background like the real service's — `flush()` waits for them. A bot that cannot be reached is
recorded with status 0 in `notifications`; nothing is retried (call `notify` again).

The checkout page ``confirmation_url(id)`` (``/checkout/{id}``, no auth: the payer's browser) has two
forms, Pay and Decline; after either it redirects to the payment's return_url.
"""

from emulators.yookassa.server import OPERATIONS, Recorded, YooKassaEmulator
from emulators.yookassa.validation import ApiError

__all__ = ["OPERATIONS", "ApiError", "Recorded", "YooKassaEmulator"]
