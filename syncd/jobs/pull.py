"""The Strava pull: the generic sync loop (`syncd.jobs.sync`) over `StravaSource`.

`PullOptions` carries the generic options and Strava's own knobs (page size, the short-page
rule, details) given by hand; `pull_strava` runs it on a StravaAPI the caller built. The shells
go through the registry instead (`syncd.app.pull`, which takes the knobs from the config);
this is for the Strava pull's tests and benchmark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from syncd.jobs.sync import MAX_CONSECUTIVE_TRANSIENT, SyncOptions, SyncReport, sync
from syncd.sources.strava.api import StravaAPI
from syncd.sources.strava.source import StravaSource
from syncd.store.repo import Store
from syncd.store.tables import Athlete, utcnow

PullReport = SyncReport
__all__ = ["MAX_CONSECUTIVE_TRANSIENT", "PullOptions", "PullReport", "pull_strava"]


@dataclass
class PullOptions(SyncOptions):
    per_page: int = 200
    fetch_details: bool = False
    # A short page ends a listing only when nothing can have been filtered out of it:
    # with activity:read_all granted, on an incremental pull. Otherwise page to an empty page.
    trust_short_page: bool = True


def pull_strava(
    store: Store,
    athlete: Athlete,
    api: StravaAPI,
    opts: PullOptions,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    clock: Callable[[], datetime] = utcnow,
    should_stop: Callable[[], bool] = lambda: False,
) -> SyncReport:
    """Run one Strava pull for one athlete (see `syncd.jobs.sync.sync`)."""
    source = StravaSource(api, per_page=opts.per_page, trust_short_page=opts.trust_short_page,
                          fetch_details=opts.fetch_details)
    return sync(store, athlete, source, opts, progress=progress, clock=clock,
                should_stop=should_stop)
