"""Strava as a `Source`: its paging rules and its one-call-per-activity fetch.

Strava lists 200 summaries a call, newest first unless `after` (exclusive) is given. A short
page ends a listing only when nothing can have been filtered out of it: with activity:read_all
granted, on an incremental listing; otherwise it pages on to an empty page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import structlog

from syncd.errors import SourceError
from syncd.sources.base import Fetched, Health, Page
from syncd.sources.strava.api import StravaAPI
from syncd.sources.strava.convert import (
    activity_from_summary,
    laps_from_strava,
    streams_from_strava,
)

log = structlog.get_logger("syncd.pull")


class StravaSource:
    """One athlete's Strava account through `StravaAPI` (rate budget, retries, tokens)."""

    name = "strava"
    needs_fetch = True

    def __init__(self, api: StravaAPI, *, per_page: int = 200, trust_short_page: bool = True,
                 fetch_details: bool = False) -> None:
        self.api = api
        self.per_page = per_page
        self.trust_short_page = trust_short_page
        self.fetch_details = fetch_details

    def pages(self, after: datetime | None, *, full: bool) -> Iterator[Page]:
        epoch = int(after.timestamp()) if after else 0
        trust_short = self.trust_short_page and not full
        page = 1
        while True:
            items = self.api.list_activities(after=epoch, page=page, per_page=self.per_page)
            if not items:
                yield Page([], complete=True)
                return
            records = []
            for summary in items:
                try:
                    records.append(activity_from_summary(summary))
                except SourceError as exc:
                    log.warning("pull.skip", reason="unreadable summary", detail=str(exc))
            last = trust_short and len(items) < self.per_page
            yield Page(records, complete=last, unreadable=len(items) - len(records))
            if last:
                return
            page += 1

    def fetch(self, source_id: str) -> Fetched:
        raw = self.api.get_streams(int(source_id))
        detail = None
        laps = []
        if self.fetch_details:
            detail = self.api.get_activity(int(source_id))
            laps = laps_from_strava(self.api.get_laps(int(source_id)))
        return Fetched(streams_from_strava(raw) if raw else None, laps, detail)

    def budget(self) -> dict[str, Any]:
        return {"calls": self.api.budget.calls, **self.api.budget.summary()}

    def health(self) -> Health:
        return Health(ok=True)
