"""The load bench's step search: a side's rates offered in turn with the other side's, each step printed."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from load_deployment import Server
from load_generator import QUANTILE, Generator, Outcome

CLOSE_ENOUGH = 1.15  # the search stops when the first failure is within 15 % of the best pass
MAX_STEPS = 9


def search_line(side: str, outcome: Outcome, cpu: dict[str, float]) -> str:
    achieved = len(outcome.latencies) / max(outcome.seconds, outcome.planned)
    answered = max(1, len(outcome.latencies))
    per_update = " ".join(f"{name} {seconds * 1000 / answered:.1f}" for name, seconds in cpu.items())
    return (
        f"  {side}: offered {outcome.rate:7.1f}/s answered {achieved:7.1f}/s  "
        f"p50 {outcome.quantile(0.5) * 1000:6.1f} ms p99 {outcome.quantile(QUANTILE) * 1000:7.1f} ms  "
        f"errors {len(outcome.errors):3d}  cpu ms/update: {per_update}  generator lag max "
        f"{outcome.lag * 1000:.0f} ms  {'pass' if outcome.passed else 'FAIL'}"
    )


async def measured_step(
    side: str,
    generator: Generator,
    servers: Sequence[Server],
    rate: float,
    seconds: float,
    observe: Callable[[Outcome], Awaitable[None]] | None,
) -> Outcome:
    """One step, printed with the CPU each process took and the ERROR lines they wrote meanwhile."""
    cpu_before = {s.name: s.cpu_seconds() for s in servers} | {"generator": time.process_time()}
    errors_before = sum(len(s.errors) for s in servers)
    outcome = await generator.step(rate, seconds)
    outcome.errors += [line for s in servers for line in s.errors][errors_before:]
    cpu_after = {s.name: s.cpu_seconds() for s in servers} | {"generator": time.process_time()}
    print(search_line(side, outcome, {k: cpu_after[k] - cpu_before[k] for k in cpu_before}), flush=True)
    for error in sorted(set(outcome.errors))[:3]:
        print(f"    {error[:200]}", flush=True)
    if observe is not None:
        await observe(outcome)
    return outcome


@dataclass
class Search:
    """One side's step search: the rate to offer next, the best that passed, the lowest that failed."""

    side: str
    generator: Generator
    servers: Sequence[Server]
    rate: float
    observe: Callable[[Outcome], Awaitable[None]] | None = None
    best: float = 0.0
    failed: float = math.inf
    steps: int = 0

    @property
    def done(self) -> bool:
        return self.failed <= self.best * CLOSE_ENOUGH or self.rate < 1 or self.steps >= MAX_STEPS

    async def step(self, seconds: float) -> None:
        """Offers the rate (a failure once more: the machine is shared), then picks the next rate."""
        self.steps += 1
        for attempt in range(2):
            if attempt:
                await asyncio.sleep(1.0)
            outcome = await measured_step(self.side, self.generator, self.servers, self.rate, seconds, self.observe)
            if outcome.passed:
                break
        if outcome.passed:
            self.best = self.rate
        else:
            self.failed = self.rate
        if self.failed == math.inf:
            self.rate *= 2
        else:
            self.rate = math.sqrt(self.best * self.failed) if self.best else self.rate / 2


async def search(searches: Sequence[Search], seconds: float) -> None:
    """The searches' steps taken in turn, so that every side meets the same load from outside."""
    while not all(s.done for s in searches):
        for search_ in searches:
            if not search_.done:
                await search_.step(seconds)
                await asyncio.sleep(1.0)  # the step's background work settles
