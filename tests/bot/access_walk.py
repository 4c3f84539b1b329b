"""What the access table is measured with: the handlers and routes discovered from the real dispatcher and
aiohttp application, a well-formed forged value for every callback data class, and what a user saw reduced
to one outcome word. The table itself is in tests/bot/access_table.py."""

from __future__ import annotations

import importlib
import pkgutil
import types
import typing
from enum import Enum

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiohttp import web

import bot.callbacks

NOBODY = 987_654  # an id no row of the test's database has: a forged one


def routers(root: Router) -> list[Router]:
    found, queue = [], [root]
    while queue:
        router = queue.pop(0)
        found.append(router)
        queue.extend(router.sub_routers)
    return found


def registered_commands(root: Router) -> set[str]:
    """Every command a message handler of the tree takes by a `Command` filter (`CommandStart` included)."""
    commands: set[str] = set()
    for router in routers(root):
        for handler in router.message.handlers:
            for f in handler.filters or ():
                if isinstance(f.callback, Command):
                    commands.update(str(c) for c in f.callback.commands)
    return commands


def registered_prefixes(root: Router) -> set[str]:
    """The prefix of every callback data class a press handler of the tree takes by its `.filter()`."""
    prefixes: set[str] = set()
    for router in routers(root):
        for handler in router.callback_query.handlers:
            for f in handler.filters or ():
                if isinstance(f.callback, CallbackQueryFilter):
                    prefixes.add(f.callback.callback_data.__prefix__)
    return prefixes


def callback_classes() -> dict[str, type[CallbackData]]:
    """Every CallbackData class of bot/callbacks/, by prefix."""
    for module in pkgutil.iter_modules(bot.callbacks.__path__):
        importlib.import_module(f"bot.callbacks.{module.name}")
    found: dict[str, type[CallbackData]] = {}
    queue = list(CallbackData.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.startswith("bot.callbacks"):
            found[cls.__prefix__] = cls
    return found


def _plain(annotation: object) -> object:
    """The type under `Annotated[...]` and `X | None`."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


def forged(cls: type[CallbackData], person_id: int) -> str:
    """Well-formed data of `cls` no button showed: `person_id` where it names a policy (the parent's child's,
    so its owner is told apart from everyone else), a nobody id for every other number, the first member of
    an enum or a literal, `False` for a flag (never a confirmation), a field's default where it has one."""
    values: dict[str, object] = {}
    for name, info in cls.model_fields.items():
        kind = _plain(info.annotation)
        if name == "person_id":
            values[name] = person_id
        elif not info.is_required():
            values[name] = info.get_default()
        elif typing.get_origin(kind) is typing.Literal:
            values[name] = typing.get_args(kind)[0]
        elif isinstance(kind, type) and issubclass(kind, Enum):
            values[name] = next(iter(kind))
        elif kind is bool:
            values[name] = False
        elif kind is int:
            values[name] = min(NOBODY, _bound(info))
        else:
            values[name] = "x"
    return cls(**values).pack()


def _bound(info) -> int:
    """A bounded int field's largest value (a record section's index, say), else no bound."""
    for meta in info.metadata:
        if getattr(meta, "le", None) is not None:
            return meta.le
    return NOBODY


def web_routes(app: web.Application) -> set[str]:
    """`METHOD /path` of every route of the aiohttp application."""
    return {f"{route.method} {route.resource.canonical}" for route in app.router.routes()}
