"""One ISO week of the athlete's local calendar against the plan -> `WeekReport`.

Matching looks one day past each end of the week (sessions) and two days past (runs), so a
Sunday long run done on Monday shows as `moved` in its own week and is not also an extra in the
next one; a run is reported in the week of the session it served.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from syncd.plan.load import load_warnings, week_km
from syncd.plan.matching import match_week
from syncd.plan.model import (
    STATUSES,
    PlannedSession,
    RunFact,
    SessionResult,
    WeekReport,
    WeekTotals,
)
from syncd.plan.planfile import Plan, iso_week, monday

EASY_LABELS = ("easy", "long", "recovery", "other")
HARD_LABELS = ("interval", "hill", "race")
HISTORY_WEEKS = 12


def split_easy_hard(run: RunFact) -> tuple[float, float]:
    """(easy, hard) minutes of one run, for the 80/20 balance.

    Most of a week's running should be easy (about 80 % of the time) and a little hard. Easy and
    long runs count as easy; races as hard; in an interval or hill session only the work counts
    as hard: its warm-up and cool-down are easy running (recoveries between reps stay in the hard
    block, as the session's stress). Without a known warm-up/cool-down the whole session is hard.
    """
    minutes = run.moving_s / 60.0
    if run.label not in HARD_LABELS:
        return minutes, 0.0
    if run.label == "race":
        return 0.0, minutes
    easy = ((run.warmup_s or 0.0) + (run.cooldown_s or 0.0)) / 60.0
    easy = min(easy, minutes)
    return easy, minutes - easy


def planned_km(plan: Plan | None, week_start: date) -> float | None:
    """The week's [volume] target, else the sum of the sessions' km where given."""
    if plan is None:
        return None
    target = plan.volume_km(week_start)
    if target is not None:
        return target
    kms = [s.km for s in _sessions(plan, week_start, 0, 6) if s.km and s.type != "rest"]
    return float(sum(kms)) if kms else None


def _sessions(plan: Plan | None, week_start: date, first: int,
              last: int) -> list[PlannedSession]:
    if plan is None:
        return []
    days = (week_start + timedelta(days=i) for i in range(first, last + 1))
    return [s for s in map(plan.session_on, days) if s is not None]


def adherence(sessions: list[SessionResult]) -> float | None:
    """(done + moved + 0.5 x partial) / planned, in %; None when nothing was planned."""
    if not sessions:
        return None
    score = sum(1.0 if s.status in ("done", "moved") else 0.5 if s.status == "partial" else 0.0
                for s in sessions)
    return round(score / len(sessions) * 100.0, 1)


def build_week(
    plan: Plan | None,
    runs: list[RunFact],
    week_start: date,
    *,
    pins: Mapping[int, date] | None = None,
    history_runs: Iterable[RunFact] = (),
) -> WeekReport:
    """The week report for the ISO week holding `week_start` (any day of it will do).

    `runs` are the week's activities, `history_runs` at least the 12 weeks (and 58 days) before
    it for the chart and the load warnings; the two may overlap.
    """
    week_start = monday(week_start)
    week_end = week_start + timedelta(days=6)
    seen: dict[tuple[int, str], RunFact] = {}
    for r in (*history_runs, *runs):
        seen[(r.local_id, r.activity_id)] = r
    everything = sorted(seen.values(), key=lambda r: r.start_local.replace(tzinfo=None))

    window = [r for r in everything
              if week_start - timedelta(days=2) <= r.day <= week_end + timedelta(days=2)]
    # Pinned runs live wherever they were run; bring them to their session.
    if pins:
        window += [r for r in everything if r.local_id in pins and r not in window
                   and week_start <= pins[r.local_id] <= week_end]
    matched = match_week(_sessions(plan, week_start, -1, 7), window, pins=pins,
                         session_on=plan.session_on if plan is not None else None)
    sessions = [s for s in matched.sessions if week_start <= s.planned.day <= week_end]
    extra = [r for r in matched.extra if week_start <= r.day <= week_end]

    week_runs = [r for r in everything if r.is_run and week_start <= r.day <= week_end]
    by_status = {k: sum(s.status == k for s in sessions) for k in STATUSES}
    minutes = [s.planned.minutes for s in sessions if s.planned.minutes]
    easy = hard = 0.0
    for r in week_runs:
        e, h = split_easy_hard(r)
        easy, hard = easy + e, hard + h
    longs = [s for s in sessions if s.planned.type == "long"]
    totals = WeekTotals(
        planned_sessions=len(sessions),
        by_status=by_status,
        planned_km=planned_km(plan, week_start),
        run_km=week_km(week_runs, week_start),
        planned_min=float(sum(minutes)) if minutes else None,
        run_min=sum(r.moving_s for r in week_runs) / 60.0,
        easy_min=round(easy, 1),
        hard_min=round(hard, 1),
        easy_pct=round(easy / (easy + hard) * 100.0, 1) if easy + hard > 0 else None,
        long_run_done=(any(s.status in ("done", "moved", "partial") for s in longs)
                       if longs else None),
    )

    race = plan.race if plan is not None else None
    weeks_to_race = None
    if race is not None and race.date >= week_start:
        weeks_to_race = (monday(race.date) - week_start).days // 7

    history = []
    for i in range(HISTORY_WEEKS - 1, -1, -1):
        ws = week_start - timedelta(days=7 * i)
        history.append((iso_week(ws), planned_km(plan, ws), week_km(everything, ws)))

    return WeekReport(
        week=iso_week(week_start),
        start=week_start,
        end=week_end,
        plan_name=plan.name if plan is not None else None,
        sessions=sessions,
        extra=extra,
        totals=totals,
        adherence_pct=adherence(sessions),
        warnings=load_warnings(everything, week_start),
        weeks_to_race=weeks_to_race,
        race_name=race.name if race is not None else None,
        history=history,
    )
