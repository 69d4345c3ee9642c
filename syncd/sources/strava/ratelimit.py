"""Strava's rate-limit budget, kept from response headers and our own call count.

Strava limits an application per 15 minutes and per day, once for all requests and once more
for reads (every GET counts against both). The windows reset at the natural quarter hours
(00/15/30/45 UTC) and at midnight UTC. We never spend past a limit: going over gets 429s
and, repeated, the application flagged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from syncd.errors import RateLimitStop

WINDOW_S = 15 * 60
DAY_S = 24 * 60 * 60

# Strava's default limits for a new application, used until the first response tells us.
DEFAULT_LIMITS = (200, 2000)
DEFAULT_READ_LIMITS = (100, 1000)


class DailyLimitReached(RateLimitStop):
    """The daily window is spent: waiting minutes will not help, the next pull resumes."""

    def __init__(self, which: str = "overall") -> None:
        super().__init__(
            f"Strava's daily API limit ({which}) is spent; "
            "the next pull resumes after midnight UTC."
        )


@dataclass
class _Window:
    """Limit and usage of one pair of windows (15-minute, daily)."""

    limit_short: int
    limit_daily: int
    used_short: int = 0
    used_daily: int = 0


def _parse_pair(value: str | None) -> tuple[int, int] | None:
    """'200,2000' -> (200, 2000); anything garbled -> None (keep what we knew)."""
    if value is None:
        return None
    parts = [p.strip() for p in str(value).split(",")]
    if len(parts) != 2:
        return None
    try:
        short, daily = int(parts[0]), int(parts[1])
    except ValueError:
        return None
    if short < 0 or daily < 0:
        return None
    return short, daily


def window_start(t: float) -> float:
    """Start (epoch seconds) of the 15-minute window holding `t`."""
    return (t // WINDOW_S) * WINDOW_S


def day_start(t: float) -> float:
    """Start (epoch seconds) of the UTC day holding `t`."""
    return (t // DAY_S) * DAY_S


class RateBudget:
    """What is left of Strava's rate limits, and whether a call may be made now.

    `update` learns from the headers of every response (errors and 429s included);
    `before_call` also counts our own calls since the last update, so stale or missing
    headers never let us overshoot.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self.all = _Window(*DEFAULT_LIMITS)
        self.read = _Window(*DEFAULT_READ_LIMITS)
        self.calls = 0  # calls made through this budget (for the pull summary)
        self._pending_all = 0  # calls since the last header update
        self._pending_read = 0
        now = clock()
        self._window = window_start(now)
        self._day = day_start(now)

    # -- learning -----------------------------------------------------------------------------

    def update(self, headers: Mapping[str, str]) -> None:
        """Learn limits and usage from a response's headers (names are case-insensitive)."""
        self._roll()
        lower = {str(k).lower(): v for k, v in headers.items()}
        for window, prefix in ((self.all, "x-ratelimit"), (self.read, "x-readratelimit")):
            limit = _parse_pair(lower.get(f"{prefix}-limit"))
            if limit is not None:
                window.limit_short, window.limit_daily = limit
            usage = _parse_pair(lower.get(f"{prefix}-usage"))
            if usage is not None:
                window.used_short, window.used_daily = usage
                if window is self.all:
                    self._pending_all = 0
                else:
                    self._pending_read = 0

    # -- deciding -----------------------------------------------------------------------------

    def _roll(self) -> None:
        """Reset usage when the clock has passed into a new window or day."""
        now = self._clock()
        day = day_start(now)
        window = window_start(now)
        if day > self._day:
            for w in (self.all, self.read):
                w.used_daily = 0
                w.used_short = 0
            self._pending_all = self._pending_read = 0
            self._day = day
        if window > self._window:
            for w in (self.all, self.read):
                w.used_short = 0
            # Calls counted locally belonged to the old window's short count but still count
            # for the day: fold them into the daily usage before forgetting them.
            self.all.used_daily += self._pending_all
            self.read.used_daily += self._pending_read
            self._pending_all = self._pending_read = 0
            self._window = window

    def _used(self) -> tuple[int, int, int, int]:
        """(all short, all daily, read short, read daily) including calls not yet in headers."""
        return (
            self.all.used_short + self._pending_all,
            self.all.used_daily + self._pending_all,
            self.read.used_short + self._pending_read,
            self.read.used_daily + self._pending_read,
        )

    def seconds_to_next_window(self) -> float:
        """Seconds until the next quarter hour (UTC)."""
        now = self._clock()
        return max(0.0, window_start(now) + WINDOW_S - now)

    def next_window_at(self) -> datetime:
        """When the current 15-minute window ends, as an aware UTC datetime."""
        return datetime.fromtimestamp(window_start(self._clock()) + WINDOW_S, tz=UTC)

    def daily_spent(self, read: bool = True) -> bool:
        """Whether the daily window (overall, or read for a GET) is used up."""
        self._roll()
        _, all_daily, _, read_daily = self._used()
        return all_daily >= self.all.limit_daily or (read and read_daily >= self.read.limit_daily)

    def before_call(self, read: bool = True) -> float:
        """0.0 and the call is counted if it may be made now; else seconds to wait.

        Raises `DailyLimitReached` when the daily window is spent (waiting would take hours).
        A GET (`read=True`) must fit both the overall and the read windows.
        """
        self._roll()
        all_short, all_daily, read_short, read_daily = self._used()
        if all_daily >= self.all.limit_daily:
            raise DailyLimitReached("overall")
        if read and read_daily >= self.read.limit_daily:
            raise DailyLimitReached("read")
        if all_short >= self.all.limit_short or (read and read_short >= self.read.limit_short):
            return self.seconds_to_next_window()
        self.calls += 1
        self._pending_all += 1
        if read:
            self._pending_read += 1
        return 0.0

    def summary(self) -> dict[str, int]:
        """Remaining calls in every window (keys `<overall|read>_<15min|daily>`) and `calls`."""
        self._roll()
        all_short, all_daily, read_short, read_daily = self._used()
        return {
            "calls": self.calls,
            "overall_15min": max(0, self.all.limit_short - all_short),
            "overall_daily": max(0, self.all.limit_daily - all_daily),
            "read_15min": max(0, self.read.limit_short - read_short),
            "read_daily": max(0, self.read.limit_daily - read_daily),
        }

    def usage_str(self) -> str:
        """Compact usage for log events: 'all 31/200 1200/2000, read 10/100 300/1000'."""
        a_s, a_d, r_s, r_d = self._used()
        return (
            f"all {a_s}/{self.all.limit_short} {a_d}/{self.all.limit_daily}, "
            f"read {r_s}/{self.read.limit_short} {r_d}/{self.read.limit_daily}"
        )
