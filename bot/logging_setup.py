"""Logging: ids only. Loggers that print SQL parameters are capped so personal data never reaches a log."""

from __future__ import annotations

import logging

# These print bound SQL parameters (names, phones) at INFO/DEBUG.
_CHATTY_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg", "alembic")


def cap_chatty_loggers() -> None:
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # aiogram's per-update and per-callback lines carry nothing useful beyond our own logs.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("aiogram.middlewares").setLevel(logging.WARNING)


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    cap_chatty_loggers()
