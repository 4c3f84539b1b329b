"""The policy rows read lately, per process: a press on a policy card after its list, or on the same
card again, reads nothing from the database.

A row holds what the database says (the person, the program, the debt, the card on file), never what
depends on the day: `core.services.policies` computes the policy from it at each read. Every commit in
this process drops all entries (`core.db.commits.on_commit`: a payment, a franchise activation, an
import, whatever it touched), and a read that started before a drop stores nothing. What another
process commits (the worker on a server database, another replica, a command) shows within `ttl`
seconds.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

from sqlalchemy import Row


class RecentRows:
    def __init__(self, *, ttl: float = 5.0, max_size: int = 20_000) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self._entries: OrderedDict[Hashable, tuple[float, list[Row]]] = OrderedDict()
        self._epoch = 0  # bumped on every drop

    async def get(
        self,
        key: Hashable,
        load: Callable[[], Awaitable[list[Row]]],
        each: Callable[[Row], Hashable] | None = None,
    ) -> list[Row]:
        """The rows stored under `key`, or `load`ed and stored; with `each`, every row loaded is also
        stored alone under `each(row)` (a list's rows are its cards' rows)."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] > time.monotonic():
            return entry[1]
        epoch = self._epoch
        rows = await load()
        if epoch == self._epoch:
            self.put(key, rows)
            for row in rows if each is not None else ():
                self.put(each(row), [row])
        return rows

    def put(self, key: Hashable, rows: list[Row]) -> None:
        self._entries[key] = (time.monotonic() + self.ttl, rows)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_size:
            self._entries.popitem(last=False)

    def forget(self) -> None:
        self._entries.clear()
        self._epoch += 1
