"""GET /metrics: the process's metrics (core/infra/metrics.py) in the Prometheus text format.

Mounted only when METRICS_TOKEN is set (404 otherwise); then `Authorization: Bearer <token>` is required,
401 without it or with another token (compared in constant time). The database's series are read at
scrape time within a timeout; a database that does not answer leaves them out (`dmsbot_database_up 0`)
and the scrape still succeeds.
"""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import web
from prometheus_client.exposition import choose_encoder

from core.infra.metrics import Metrics

METRICS_PATH = "/metrics"


def _digest(token: str) -> bytes:
    # Digests of equal length, so the comparison does not even tell the token's length.
    return hashlib.sha256(token.encode("utf-8", "replace")).digest()


def metrics_handler(metrics: Metrics, token: str):
    expected = _digest(token)

    def authorized(header: str | None) -> bool:
        scheme, _, given = (header or "").strip().partition(" ")
        same = hmac.compare_digest(_digest(given.strip()), expected)
        return same and scheme.lower() == "bearer"

    async def serve(request: web.Request) -> web.Response:
        if not authorized(request.headers.get("Authorization")):
            return web.Response(status=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        body = encode(await metrics.scrape())
        return web.Response(body=body, headers={"Content-Type": content_type, "Cache-Control": "no-store"})

    return serve
