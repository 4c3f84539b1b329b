"""The one fault every emulator plays the same way: the connection dropped without an answer."""

from __future__ import annotations

from aiohttp import web


def reset_connection(request: web.Request) -> web.Response:
    """Aborts the request's connection (the client sees it reset before any answer); the response returned is
    never written, it only ends the handler."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=500)
