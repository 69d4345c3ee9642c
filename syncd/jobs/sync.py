"""One sync loop for every source: list incrementally, store summaries, then fetch details.

Listing goes first (cheap: a page of summaries a call), so a first sync of a ten-year history
shows every activity at once; details follow oldest first and, when a rate-limit window is
spent or the source keeps failing, the next sync resumes with the activities still `pending`.
The cursor (the newest start seen) moves only after a page is committed; each sync re-lists an
overlap before it, so edits and late uploads are seen. Activities missing from a listing are
deleted only when the source says the listing was complete.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import structlog

from syncd.errors import RateLimitStop, SourceError, SourceUnavailable, SyncdError
from syncd.sources.base import Source
from syncd.store.repo import Store
from syncd.store.tables import Athlete, utcnow

log = structlog.get_logger("syncd.pull")

# After this many transient failures in a row, the source is having a bad day: stop for now.
MAX_CONSECUTIVE_TRANSIENT = 3


@dataclass
class SyncOptions:
    since: date | None = None
    full: bool = False
    overlap_days: int = 7
    default_tz: str = "UTC"


@dataclass
class SyncReport:
    new: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    streams: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    api_calls: int = 0
    budget: dict[str, Any] = field(default_factory=dict)
    remaining: int = 0  # activities still waiting for details
    stopped: str | None = None  # why the sync stopped early, if it did
    changed_ids: list[int] = field(default_factory=list)

    def summary_line(self) -> str:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items())) or "none"
        parts = [
            f"{self.new} new", f"{self.updated} updated", f"{self.deleted} deleted",
            f"skipped: {skipped}", f"API calls: {self.api_calls}",
        ]
        if self.budget:
            parts.append(_budget_text(self.budget))
        if self.remaining:
            parts.append(f"{self.remaining} activities still waiting for streams")
        return "; ".join(parts)


def _budget_text(b: dict[str, Any]) -> str:
    def pair(kind: str) -> str:
        return f"{b.get(kind + '_15min', '?')}/15 min, {b.get(kind + '_daily', '?')}/day"

    return f"budget left: overall {pair('overall')}, read {pair('read')}"


def sync(
    store: Store,
    athlete: Athlete,
    source: Source,
    opts: SyncOptions,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    clock: Callable[[], datetime] = utcnow,
    should_stop: Callable[[], bool] = lambda: False,
) -> SyncReport:
    """Run one sync of one source for one athlete. Progress is committed per activity.

    `should_stop` is asked between activities (the daemon's SIGTERM): the sync then ends after
    the current activity's transaction, and the next sync carries on.
    """
    assert athlete.id is not None
    report = SyncReport()
    try:
        _list(store, athlete.id, source, opts, report, progress, clock, should_stop)
        if source.needs_fetch and not should_stop():
            _fetch(store, athlete.id, source, report, progress, should_stop)
        if should_stop():
            report.stopped = "stopping"
    except RateLimitStop as stop:
        report.stopped = str(stop)
        log.warning("pull.stopped", reason="rate_limit", detail=str(stop))
    except KeyboardInterrupt:
        report.stopped = "interrupted"
        log.warning("pull.stopped", reason="interrupted")
    finally:
        budget = dict(source.budget())
        report.api_calls = int(budget.pop("calls", 0))
        report.budget = budget
        report.remaining = len(store.pending_streams(athlete.id, source.name))
    return report


def _list(
    store: Store, athlete_id: int, source: Source, opts: SyncOptions, report: SyncReport,
    progress: Callable[[str, int, int], None] | None, clock: Callable[[], datetime],
    should_stop: Callable[[], bool],
) -> None:
    state = store.sync_state(athlete_id, source.name)
    since = (datetime(opts.since.year, opts.since.month, opts.since.day, tzinfo=UTC)
             if opts.since else datetime.fromtimestamp(0, UTC))
    first = state.cursor is None or not state.backfill_done
    if opts.full or state.cursor is None:
        after = since
    else:
        after = max(datetime.fromtimestamp(state.cursor, UTC)
                    - timedelta(days=opts.overlap_days), since)
    log.info("pull.listing", source=source.name, after=int(after.timestamp()), full=opts.full,
             first=first)
    seen: set[str] = set()
    complete = False
    newest = state.cursor or 0
    for n, page in enumerate(source.pages(after, full=opts.full or first), start=1):
        if page.unreadable:
            report.skipped["unreadable summary"] += page.unreadable
        for rec in page.records:
            seen.add(rec.source_id)
            result = store.save_activity(athlete_id, rec, default_tz=opts.default_tz)
            if result.status == "new":
                report.new += 1
                if rec.manual:
                    report.skipped["manual (no streams)"] += 1
            elif result.status in ("updated", "restored", "merged"):
                report.updated += 1
            else:
                report.unchanged += 1
            if result.status != "unchanged":
                report.changed_ids.append(result.activity_id)
            newest = max(newest, int(rec.start_utc.timestamp()))
        if page.records and progress:
            progress("list", n, 0)
        if page.records:  # the page is committed: the cursor may move past it
            state.cursor = newest
            store.save_sync_state(state)
            state = store.sync_state(athlete_id, source.name)
        if page.complete:
            complete = True
            break
        if should_stop():
            break
    if complete:
        report.deleted = store.soft_delete_missing(
            athlete_id, source.name, seen, after=after, before=clock())
        state.backfill_done = True
        if opts.full:
            state.last_full_at = clock()
    state.last_pull_at = clock()
    store.save_sync_state(state)


def _fetch(
    store: Store, athlete_id: int, source: Source, report: SyncReport,
    progress: Callable[[str, int, int], None] | None, should_stop: Callable[[], bool],
) -> None:
    pending = store.pending_streams(athlete_id, source.name)
    failures_in_row = 0
    for done, (source_id, manual) in enumerate(pending, start=1):
        if should_stop():
            return
        if manual:
            store.mark_streams(athlete_id, source.name, source_id, "none")
            report.skipped["manual (no streams)"] += 1
            continue
        try:
            got = source.fetch(source_id)
        except SourceUnavailable as exc:
            failures_in_row += 1
            report.skipped["server error, left for next pull"] += 1
            log.warning("pull.skip", activity=source_id, reason="transient", detail=str(exc))
            if failures_in_row >= MAX_CONSECUTIVE_TRANSIENT:
                report.stopped = (f"{source.name} keeps failing; the rest is left for the "
                                  "next pull")
                return
            continue
        except SourceError as exc:
            report.skipped["malformed streams"] += 1
            store.mark_streams(athlete_id, source.name, source_id, "failed")
            log.warning("pull.skip", activity=source_id, reason="malformed", detail=str(exc))
            continue
        except SyncdError:  # auth, subscription, rate limit: this source stops here
            raise
        failures_in_row = 0
        if got.streams is None:
            report.skipped["no streams (404)"] += 1
        status = store.attach_streams(athlete_id, source.name, source_id, got.streams,
                                      laps=got.laps or (), detail=got.detail)
        if status == "stored":
            report.streams += 1
            # Its label was made from the summary alone (streams came in a later sync than
            # the listing, after a rate limit or an outage): it must be classified again.
            activity_id = store.activity_id_for(athlete_id, source.name, source_id)
            if activity_id is not None and activity_id not in report.changed_ids:
                report.changed_ids.append(activity_id)
        if progress:
            progress("streams", done, len(pending))
