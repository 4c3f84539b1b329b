"""Logging: ids only. Loggers that print SQL parameters are capped so personal data never reaches a log."""

from __future__ import annotations

import logging
import os

# These print bound SQL parameters (names, phones) at INFO/DEBUG.
_CHATTY_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg")


def setup_logging(level: str | None = None) -> None:
    level = (level or os.environ.get("LOG_LEVEL") or "INFO").upper()
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # aiogram logs every update's handling time with the user id only; keep it, it is useful.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
