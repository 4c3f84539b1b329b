"""Today's date and the Russian production calendar (working days)."""

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

log = logging.getLogger(__name__)

# The government publishes each year's transfer decree (which weekends swap with
# which days) in the autumn before; `holidays` 0.108 carries them through 2027
# and says nothing about later years (it just returns the fixed holidays). Raise
# this when a `holidays` upgrade brings the next decree.
LAST_DECREE_YEAR = 2027

_warned_past_decree = False


class Clock:
    """The one source of "now" and "today" for the code base.

    `today()` is the date in `timezone`, or `fixed_today` (BOT_TODAY: tests and
    demos). With a fixed day, `now()` is that day at the current time of day in
    `timezone`, so every date a user sees comes from the same clock. `now_fn`
    returns the current aware instant; tests inject it.
    """

    def __init__(
        self,
        timezone: str = "Europe/Moscow",
        fixed_today: date | None = None,
        now_fn: Callable[[], datetime] | None = None,
    ):
        self.zone = ZoneInfo(timezone)
        self.fixed_today = fixed_today
        self._now_fn = now_fn or _utc_now

    def now(self) -> datetime:
        """The current instant, aware, in UTC (moved to the fixed day when there is one)."""
        real = self._now_fn().astimezone(self.zone)
        if self.fixed_today is not None:
            real = datetime.combine(self.fixed_today, real.timetz())
        return real.astimezone(UTC)

    def local(self, at: datetime) -> datetime:
        """A stored instant (UTC; naive as SQLite hands it back) as the operator's clock shows it."""
        return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(self.zone)

    def today(self) -> date:
        if self.fixed_today is not None:
            return self.fixed_today
        return self.now().astimezone(self.zone).date()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def is_working_day(d: date) -> bool:
    """A weekday that is not a holiday, or a weekend day the decree made a working one."""
    return _calendar_of(d.year).is_working_day(d)


def next_working_day(d: date) -> date:
    """The first working day strictly after `d`."""
    d += timedelta(days=1)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after `d` (`d` itself when n is 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    for _ in range(n):
        d = next_working_day(d)
    return d


def add_calendar_days(d: date, n: int) -> date:
    return d + timedelta(days=n)


@lru_cache(maxsize=16)
def _calendar_of(year: int) -> holidays.HolidayBase:
    # One small calendar per year, built on first use; expand=False keeps it
    # from growing when asked about another year.
    global _warned_past_decree
    if year > LAST_DECREE_YEAR and not _warned_past_decree:
        _warned_past_decree = True
        log.warning(
            "no transfer decree known for %d (last: %d): working days use weekends and fixed holidays only",
            year,
            LAST_DECREE_YEAR,
        )
    return holidays.country_holidays("RU", years=year, expand=False)
