"""POST /yookassa/notifications: YooKassa says a payment or refund changed.

A notification is unsigned, so it is only a signal: its source must be in `YOOKASSA_TRUSTED_NETWORKS`, or when
that is unset in YooKassa's published networks as the `yookassa` SDK knows them (403 otherwise;
`X-Forwarded-For` believed only from `TRUSTED_PROXIES`); the SDK reads the body, and the payment service re-reads
the object from the API before applying anything. Answers: 200 when processed, already processed or not
ours (YooKassa stops retrying); 400 for a body that is not a notification (one nested too deep to parse
included), 413 for one over 64 KiB (not read); 503 when the API could not be asked now (YooKassa retries
for 24 h).
"""

from __future__ import annotations

import logging

from aiohttp import web

from core.gateways.yookassa_sdk import published_network
from core.infra.net import Address, client_address, in_networks, networks
from core.services.payments import NotificationResult, PaymentService

MAX_BODY = 64 * 1024
log = logging.getLogger(__name__)

_STATUS = {
    NotificationResult.APPLIED: 200,
    NotificationResult.DUPLICATE: 200,
    NotificationResult.IGNORED: 200,
    NotificationResult.MALFORMED: 400,
    NotificationResult.RETRY: 503,
}


def notifications_handler(payments: PaymentService, trusted: list[str], proxies: list[str]):
    allowed, our_proxies = networks(tuple(trusted)), networks(tuple(proxies))

    def trusted_source(source: Address | None) -> bool:
        if source is None:
            return False
        return in_networks(source, allowed) if allowed else published_network(str(source))

    async def notifications(request: web.Request) -> web.Response:
        source = client_address(request.remote, request.headers.getall("X-Forwarded-For", []), our_proxies)
        if not trusted_source(source):
            log.warning("yookassa notification from an untrusted address refused")
            return web.Response(status=403)
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413)
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return web.Response(status=413)
        result = await payments.on_notification(body)
        log.info("yookassa notification: %s", result)
        return web.Response(status=_STATUS[result])

    return notifications
