"""The Strava pull: list incrementally, store summaries, then fetch streams one call each.

Listing is cheap (200 activities a call) and goes first, so a first pull of a ten-year history
shows every activity at once; streams follow oldest first and, when a rate-limit window is
spent, the next pull resumes with the activities still marked `pending`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import structlog

from syncd.errors import AuthError, RateLimitStop, SourceError
from syncd.sources.strava.api import StravaAPI, TransientError
from syncd.sources.strava.convert import (
    activity_from_summary,
    laps_from_strava,
    streams_from_strava,
)
from syncd.store.repo import Store
from syncd.store.tables import Athlete, utcnow

log = structlog.get_logger("syncd.pull")

# After this many transient failures in a row, Strava is having a bad day: stop for now.
MAX_CONSECUTIVE_TRANSIENT = 3


@dataclass
class PullOptions:
    since: date | None = None
    full: bool = False
    overlap_days: int = 7
    per_page: int = 200
    fetch_details: bool = False
    # A short page ends a listing only when nothing can have been filtered out of it:
    # with activity:read_all granted, on an incremental pull. Otherwise page to an empty page.
    trust_short_page: bool = True
    default_tz: str = "UTC"


@dataclass
class PullReport:
    new: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    streams: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    api_calls: int = 0
    budget: dict[str, Any] = field(default_factory=dict)
    remaining: int = 0  # activities still waiting for streams
    stopped: str | None = None  # why the pull stopped early, if it did
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


def pull_strava(
    store: Store,
    athlete: Athlete,
    api: StravaAPI,
    opts: PullOptions,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    clock: Callable[[], datetime] = utcnow,
    should_stop: Callable[[], bool] = lambda: False,
) -> PullReport:
    """Run one pull for one athlete. Progress is committed per activity throughout.

    `should_stop` is asked between activities (the daemon's SIGTERM): the pull then ends after
    the current activity's transaction, and the next pull carries on.
    """
    assert athlete.id is not None
    report = PullReport()
    try:
        _list(store, athlete.id, api, opts, report, progress, clock, should_stop)
        if not should_stop():
            _fetch_streams(store, athlete.id, api, opts, report, progress, should_stop)
        if should_stop():
            report.stopped = "stopping"
    except RateLimitStop as stop:
        report.stopped = str(stop)
        log.warning("pull.stopped", reason="rate_limit", detail=str(stop))
    except KeyboardInterrupt:
        report.stopped = "interrupted"
        log.warning("pull.stopped", reason="interrupted")
    finally:
        report.api_calls = api.budget.calls
        report.budget = api.budget.summary()
        report.remaining = len(store.pending_streams(athlete.id, "strava"))
    return report


def _list(
    store: Store, athlete_id: int, api: StravaAPI, opts: PullOptions, report: PullReport,
    progress: Callable[[str, int, int], None] | None, clock: Callable[[], datetime],
    should_stop: Callable[[], bool],
) -> None:
    state = store.sync_state(athlete_id, "strava")
    since_epoch = (
        int(datetime(opts.since.year, opts.since.month, opts.since.day, tzinfo=UTC).timestamp())
        if opts.since else 0
    )
    first = state.cursor is None or not state.backfill_done
    if opts.full or state.cursor is None:
        after = since_epoch
    else:
        after = max(state.cursor - opts.overlap_days * 86400, since_epoch)
    trust_short = opts.trust_short_page and not first and not opts.full
    log.info("pull.listing", after=after, full=opts.full, first=first)

    seen: set[str] = set()
    page = 1
    complete = False
    newest = state.cursor or 0
    while not should_stop():
        items = api.list_activities(after=after, page=page, per_page=opts.per_page)
        if not items:
            complete = True
            break
        for summary in items:
            try:
                rec = activity_from_summary(summary)
            except SourceError as exc:
                report.skipped["unreadable summary"] += 1
                log.warning("pull.skip", reason="unreadable summary", detail=str(exc))
                continue
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
        if progress:
            progress("list", page, 0)
        # The page is committed: the cursor may move past it.
        state.cursor = newest
        store.save_sync_state(state)
        state = store.sync_state(athlete_id, "strava")
        if trust_short and len(items) < opts.per_page:
            complete = True
            break
        page += 1

    if complete:
        # Strava's `after` is exclusive: only activities strictly after it were listed.
        report.deleted = store.soft_delete_missing(
            athlete_id, "strava", seen, after=datetime.fromtimestamp(after, UTC), before=clock(),
        )
        state.backfill_done = True
        if opts.full:
            state.last_full_at = clock()
    state.last_pull_at = clock()
    store.save_sync_state(state)


def _fetch_streams(
    store: Store, athlete_id: int, api: StravaAPI, opts: PullOptions, report: PullReport,
    progress: Callable[[str, int, int], None] | None, should_stop: Callable[[], bool],
) -> None:
    pending = store.pending_streams(athlete_id, "strava")
    failures_in_row = 0
    for done, (source_id, manual) in enumerate(pending, start=1):
        if should_stop():
            return
        if manual:
            store.mark_streams(athlete_id, "strava", source_id, "none")
            report.skipped["manual (no streams)"] += 1
            continue
        try:
            raw = api.get_streams(int(source_id))
            detail = laps = None
            if opts.fetch_details:
                detail = api.get_activity(int(source_id))
                laps = laps_from_strava(api.get_laps(int(source_id)))
        except TransientError as exc:
            failures_in_row += 1
            report.skipped["server error, left for next pull"] += 1
            log.warning("pull.skip", activity=source_id, reason="transient", detail=str(exc))
            if failures_in_row >= MAX_CONSECUTIVE_TRANSIENT:
                report.stopped = "Strava keeps failing; the rest is left for the next pull"
                return
            continue
        except (AuthError, RateLimitStop):
            raise
        except SourceError as exc:
            report.skipped["malformed streams"] += 1
            store.mark_streams(athlete_id, "strava", source_id, "failed")
            log.warning("pull.skip", activity=source_id, reason="malformed", detail=str(exc))
            continue
        failures_in_row = 0
        streams = streams_from_strava(raw) if raw else None
        if raw is None:
            report.skipped["no streams (404)"] += 1
        status = store.attach_streams(
            athlete_id, "strava", source_id, streams, laps=laps or (), detail=detail
        )
        if status == "stored":
            report.streams += 1
        if progress:
            progress("streams", done, len(pending))
