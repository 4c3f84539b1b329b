"""Which failures are a server away (the user told to try again in a minute) and which stay incidents."""

from __future__ import annotations

import pytest
from asyncpg.exceptions import (
    AdminShutdownError,
    CannotConnectNowError,
    ConnectionDoesNotExistError,
    QueryCanceledError,
)
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from core.infra.outages import is_outage


def wrapped(inner: BaseException, *, invalidated: bool = False) -> DBAPIError:
    return DBAPIError("SELECT 1", None, inner, connection_invalidated=invalidated)


def caused_by(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "refused"),
        ConnectionResetError(104, "reset"),
        TimeoutError(),
        ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        AdminShutdownError("terminating connection due to administrator command"),
        CannotConnectNowError("the database system is starting up"),
        RedisConnectionError("Error 111 connecting"),
        wrapped(Exception("connection is closed"), invalidated=True),
        caused_by(RuntimeError("while reading the viewer"), ConnectionRefusedError(111, "refused")),
    ],
)
def test_a_server_away(exc: BaseException) -> None:
    assert is_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError("SELECT 1", None, Exception("no such table: user_requests")),
        ProgrammingError("SELECT 1", None, Exception("syntax error")),
        QueryCanceledError("canceling statement due to statement timeout"),
        ValueError("a bug"),
        KeyError("viewer"),
        FileNotFoundError(2, "missing"),
    ],
)
def test_not_a_server_away(exc: BaseException) -> None:
    assert not is_outage(exc)


def test_a_cycle_of_causes_ends() -> None:
    a, b = ValueError("a"), ValueError("b")
    a.__context__, b.__context__ = b, a
    assert not is_outage(a)
