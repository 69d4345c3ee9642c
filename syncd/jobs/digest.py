"""Build a week's digest from the store and the plan, and post it to the configured sinks.

Store rows become RunFacts here (the store knows nothing of plans, the plan stage nothing of
the store); each post is recorded per (week, sink) so a digest goes out once per sink.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import structlog

from syncd.digest.sinks import PostResult, post_digest
from syncd.plan import Plan, RepFact, RunFact, WeekReport, build_week
from syncd.plan.planfile import iso_week, monday
from syncd.sources.records import RUN_SPORTS
from syncd.store.repo import ActivityRow, Store
from syncd.store.tables import Athlete

log = structlog.get_logger("syncd.digest")

# History the week report needs: 12 weeks for the chart, 28 + 30 days for the load warnings.
HISTORY_DAYS = 12 * 7 + 7


def run_fact(row: ActivityRow) -> RunFact:
    a = row.activity
    cl = row.classification
    reps = tuple(
        RepFact(start_s=r["start_s"], duration_s=r["duration_s"], distance_m=r["distance_m"],
                mean_speed=r["mean_speed"], mean_grade=r.get("mean_grade"),
                recovery_s=r.get("recovery_s"), recovery_kind=r.get("recovery_kind"))
        for r in (cl.reps if cl else [])
    )
    return RunFact(
        activity_id=row.public_id, local_id=a.id or 0, start_local=a.start_local,
        label=cl.label if cl else "unclassified", distance_m=a.distance_m or 0.0,
        moving_s=a.moving_s or a.elapsed_s or 0.0, is_run=a.sport_type in RUN_SPORTS,
        reps=reps, warmup_s=cl.warmup_s if cl else None,
        cooldown_s=cl.cooldown_s if cl else None, name=a.name,
    )


def parse_week(text: str) -> date:
    """`2025-W11` (or any date inside the week) -> that week's Monday."""
    try:
        if "W" in text.upper():
            year, week = text.upper().split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        return monday(date.fromisoformat(text))
    except ValueError:
        from syncd.errors import UsageError

        raise UsageError(f"--week expects an ISO week such as 2025-W11, not {text!r}.") from None


def last_complete_week(today: date) -> date:
    return monday(today) - timedelta(days=7)


def week_report(
    store: Store, athlete: Athlete, week_start: date, plan: Plan | None
) -> WeekReport:
    assert athlete.id is not None
    start = monday(week_start)
    first = datetime.combine(start - timedelta(days=HISTORY_DAYS), datetime.min.time())
    end = datetime.combine(start + timedelta(days=9), datetime.min.time())
    rows = store.activities(athlete.id, since=first, until=end)
    facts = [run_fact(r) for r in rows]
    week = [f for f in facts if start <= f.day <= start + timedelta(days=6)]
    return build_week(plan, week, start, pins=store.pins(athlete.id), history_runs=facts)


def post_week(
    store: Store,
    athlete: Athlete,
    report: WeekReport,
    sinks: list[str],
    *,
    force: bool = False,
    strava_poster: Callable[[WeekReport], bool] | None = None,
) -> list[PostResult]:
    """Post to every sink not yet posted for this week (all with `force`); record successes."""
    assert athlete.id is not None
    done = store.posted_sinks(athlete.id, report.week)
    results = post_digest(report, sinks, already_posted=done, force=force,
                          strava_poster=strava_poster)
    for r in results:
        if r.ok and not r.skipped:
            store.record_post(athlete.id, report.week, r.key)
        log.info("digest.post", week=report.week, sink=r.sink, ok=r.ok, skipped=r.skipped,
                 error=r.error)
    return results


def iso_week_of(day: date) -> str:
    return iso_week(day)
