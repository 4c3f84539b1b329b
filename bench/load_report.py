"""The load bench's report of where a replica's time goes, from the timing spans `bench/spans.py` writes."""

from __future__ import annotations

import asyncio
import json
import math
import signal
from collections.abc import Sequence
from pathlib import Path

from load_deployment import Server
from load_generator import Outcome


class Spans:
    """The replicas' timing spans (`bench/spans.py`): each step's, and the best passing step's."""

    def __init__(self, replicas: Sequence[Server], files: Sequence[Path]) -> None:
        self.replicas, self.files = replicas, files
        self.best: tuple[Outcome, dict[str, list[float]]] | None = None

    async def read(self) -> dict[str, list[float]]:
        """The totals since the last read, summed over the replicas (each writes its file on SIGUSR1)."""
        for path in self.files:
            path.unlink(missing_ok=True)
        for replica in self.replicas:
            replica.process.send_signal(signal.SIGUSR1)
        totals: dict[str, list[float]] = {}
        for path in self.files:
            for _ in range(200):
                if path.exists():
                    break
                await asyncio.sleep(0.01)
            for name, (seconds, count) in json.loads(path.read_text()).items():
                total = totals.setdefault(name, [0.0, 0])
                total[0] += seconds
                total[1] += count
        return totals

    async def observe(self, outcome: Outcome) -> None:
        totals = await self.read()
        if outcome.passed and (self.best is None or outcome.rate > self.best[0].rate):
            self.best = (outcome, totals)

    def report(self) -> list[str]:
        if self.best is None:
            return ["where the time goes: no project step passed"]
        outcome, totals = self.best

        def per_update(name: str) -> tuple[float, float]:
            seconds, count = totals.get(name, (0.0, 0))
            return seconds / updates, count / updates

        updates = totals.get("update", (0.0, 0))[1] or 1
        handling = per_update("update")[0]
        claim = per_update("claim")[0]
        redis, redis_calls = per_update("redis")
        latency = sum(outcome.latencies) / max(1, len(outcome.latencies))
        lines = [
            f"where the time goes at {outcome.rate:.1f} updates/s, the best project step (wall-clock spans in the "
            f"replicas, means per update): answered in {latency * 1000:.1f} ms at the generator, "
            f"claimed in Redis {claim * 1000:.1f} ms, handled in {handling * 1000:.1f} ms, of which:"
        ]
        inside = 0.0
        parts = [
            ("database (PostgreSQL: statements, BEGIN, COMMIT)", *per_update("database")),
            ("Redis (FSM state and data, event isolation)", redis - claim, redis_calls - 1),
            ("Telegram calls (Bot API requests)", *per_update("telegram")),
            ("YooKassa calls", *per_update("yookassa")),
            ("rendering: Fluent texts", *per_update("fluent")),
        ]
        for label, seconds, calls in parts:
            inside += seconds
            lines.append(
                f"  {label:52s} {seconds * 1000:7.2f} ms {calls:5.1f} calls {seconds / (handling or math.inf):5.0%}"
            )
        rest = handling - inside
        label = "the rest: aiogram, middlewares, handlers, views (*)"
        lines.append(f"  {label:52s} {rest * 1000:7.2f} ms {'':11s} {rest / (handling or math.inf):5.0%}")
        seconds, count = totals.get("gc", (0.0, 0))
        lines.append(
            f"  garbage collector's pauses (the replicas', all told)  {seconds / updates * 1000:7.2f} ms "
            f"{count / updates:5.1f} runs, {count} in all"
        )
        lines.append(
            "  (*) the handling less the spans; the spans also count what runs beside the updates (YooKassa's "
            "notifications, the viewer channel), so near or below zero means the handling is all waiting"
        )
        return lines
