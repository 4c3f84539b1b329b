"""`worker`: the scheduled jobs and the outbox sender (bot/worker.py). Run one or more: one is active,
the others take over when it stops. On the embedded default `run` does this in-process.

It serves `/healthz` and `/metrics` (with METRICS_TOKEN: its jobs' counts are only here) on HTTP_HOST and
HTTP_PORT; when that port is taken (a `run` on the same host), it says so and works on without them."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from bot.commands.base import command_parser
from core.settings import Settings

log = logging.getLogger(__name__)

DESCRIPTION = """\
Run the scheduled jobs and send the notices (the outbox) until SIGTERM or SIGINT.

Jobs: the daily billing job (00:05 in TIMEZONE), reminders (within REMINDER_HOURS), stale payments
read back, queued automatic charges, card expiry notices, expiry of codes and unused invites.
Start one or more: one is active (a PostgreSQL advisory lock), the others take over when it stops.
On SQLite `run` does all this itself and no worker is needed.

Serves /healthz (and /metrics with METRICS_TOKEN) on HTTP_HOST:HTTP_PORT when the port is free.
Needs BOT_TOKEN (to send) and DATABASE_URL."""


def add_parser(subparsers) -> None:
    parser = command_parser(
        subparsers,
        "worker",
        help="run the scheduled jobs and send the notices (one active at a time)",
        description=DESCRIPTION,
    )
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:
    from bot.factory.worker import build_worker  # aiogram takes seconds to import: only when needed

    settings.require_token()
    app = await build_worker(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    status = web.AppRunner(app.web, access_log=None)
    await status.setup()
    try:
        await web.TCPSite(status, settings.http_host, settings.http_port).start()
    except OSError as error:
        log.warning("worker: /healthz and /metrics not served, port %s: %s", settings.http_port, error.strerror)
    app.worker.start()
    try:
        await stop.wait()
    finally:
        await status.cleanup()
        await app.close()
    return 0
