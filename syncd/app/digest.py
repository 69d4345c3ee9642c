"""The weekly digest: one week's report for an athlete, and posting it to `digest.post_to`
(once per week and sink, recorded in the store)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from syncd.app.context import App
    from syncd.digest.sinks import PostResult
    from syncd.plan import Plan, WeekReport
    from syncd.store.tables import Athlete


def last_week(app: App) -> date:
    """The Monday of the last complete week, in the athlete's time zone."""
    from syncd.jobs.digest import last_complete_week

    return last_complete_week(datetime.now(ZoneInfo(app.config.athlete.timezone)).date())


def plan(app: App) -> Plan | None:
    """The plan `plan.file` names, checked; None without one."""
    from syncd.plan import load_plan

    return load_plan(app.config.plan.file) if app.config.plan.file else None


def week(app: App, who: Athlete, iso_week: str | None = None) -> WeekReport:
    """`who`'s week (`2025-W11` or a date inside it; default: the last complete week) held
    against the configured plan."""
    from syncd.jobs.digest import parse_week, week_report

    start = parse_week(iso_week) if iso_week else last_week(app)
    return week_report(app.store, who, start, plan(app))


def check_sinks(app: App) -> None:
    """A ConfigError when `digest.post_to` names no sink to post to."""
    from syncd.errors import ConfigError

    cfg = app.config
    if not cfg.digest.post_to:
        raise ConfigError(f"Config file {cfg.source}: key 'digest.post_to' is empty: "
                          "expected Apprise URLs, file:///dir or \"strava\".")


def post(app: App, who: Athlete, report: WeekReport, *, force: bool = False,
         waiter: Callable[[float, str], None] | None = None,
         skip_unlinked: bool = False) -> list[PostResult]:
    """Post the week to every sink that does not have it yet (all of them with `force`)."""
    from syncd.digest.strava_sink import sinks_and_poster
    from syncd.jobs.digest import post_week

    sinks, poster = sinks_and_poster(app.config, app.secrets, who, waiter=waiter,
                                     skip_unlinked=skip_unlinked)
    return post_week(app.store, who, report, sinks, force=force, strava_poster=poster)


def post_last_week(app: App, *, on_athlete: Callable[[], Any] = lambda: None,
                   ) -> tuple[str, int]:
    """The last complete week posted for every athlete (an athlete without a Strava link just
    has no `strava` sink): (the ISO week, how many sinks failed)."""
    from syncd.jobs.digest import iso_week_of, week_report

    store = app.store
    start = last_week(app)
    the_plan = plan(app)
    failed = 0
    for who in store.athletes():
        report = week_report(store, who, start, the_plan)
        failed += sum(1 for r in post(app, who, report, skip_unlinked=True) if not r.ok)
        on_athlete()
    return iso_week_of(start), failed
