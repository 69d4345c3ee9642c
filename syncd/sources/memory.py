"""A source held in memory: the reference implementation of `Source`, used by the contract
tests and the sync property test, and a template for a new source."""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from datetime import datetime
from typing import Any

from syncd.errors import SourceError, SyncdError
from syncd.sources.base import Fetched, Health, Page
from syncd.sources.records import ActivityRecord


class MemorySource:
    """Activities by source id; `fail` makes every call raise that error (a source down)."""

    needs_fetch = True

    def __init__(self, name: str = "memory", *, page_size: int = 3) -> None:
        self.name = name
        self.page_size = page_size
        self.activities: dict[str, ActivityRecord] = {}
        self.fail: SyncdError | None = None
        self.calls = 0

    def _call(self) -> None:
        self.calls += 1
        if self.fail is not None:
            raise self.fail

    def pages(self, after: datetime | None, *, full: bool) -> Iterator[Page]:
        self._call()
        live = sorted((r for r in self.activities.values()
                       if after is None or r.start_utc > after), key=lambda r: r.start_utc)
        for i in range(0, max(len(live), 1), self.page_size):
            chunk = live[i:i + self.page_size]
            summaries = [_summary(r) for r in chunk]
            yield Page(summaries, complete=i + self.page_size >= len(live))
            if i + self.page_size < len(live):
                self._call()

    def fetch(self, source_id: str) -> Fetched:
        self._call()
        rec = self.activities.get(source_id)
        if rec is None:
            raise SourceError(f"{self.name}: activity {source_id} is gone")
        return Fetched(deepcopy(rec.streams), deepcopy(rec.laps))

    def budget(self) -> dict[str, Any]:
        return {"calls": self.calls}

    def health(self) -> Health:
        if self.fail is not None:
            return Health(ok=False, kind=self.fail.kind, message=self.fail.message)
        return Health(ok=True)


def _summary(rec: ActivityRecord) -> ActivityRecord:
    """What a listing says of an activity: everything but the streams and laps, with its
    summary as the raw JSON (what the store compares to see an edit)."""
    out = deepcopy(rec)
    out.streams = None
    out.laps = []
    out.raw = {"id": rec.source_id, "start": rec.start_utc.isoformat(), "name": rec.name,
               "sport_type": rec.sport_type, "distance_m": rec.distance_m,
               "moving_s": rec.moving_s, "elapsed_s": rec.elapsed_s}
    return out
