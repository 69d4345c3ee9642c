"""Hand-built WeekReports for the digest tests (the plan stage is written elsewhere).

`rich_report()` has one of everything: a rest day, every status, two quality sessions with
execution lines, an extra run, warnings and 12 weeks of history. `no_plan_report()` is a week
without a plan. `hostile_report()` carries markup and script in every user-text slot.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from syncd.plan.model import (
    Execution,
    PlannedSession,
    RunFact,
    SessionResult,
    Warning,
    WeekReport,
    WeekTotals,
    Workout,
)

MON = date(2025, 3, 10)  # 2025-W11
INTERVAL_LINE = "8x200m: 8/8 reps, 36.1-37.4 s, fade 2 %, walked recoveries, WU 18 min, CD 12 min"
HILL_LINE = ("10x60s hills: 10/10 reps, 58.2-61.0 s, fade 4 %, jogged recoveries, WU 9 min, "
             "CD 10 min")
EXTRA_NAME = "Lunch jog with Sam"
WARNING_TEXTS = (
    "Weekly distance up 32 % on last week (58.4 km vs 44.2 km)",
    "Acute:chronic load ratio 1.48 (above 1.30)",
)
# The week strip the rich report must produce, Mon..Sun.
RICH_STRIP = ("grey", "green", "yellow", "yellow", "red", "red", "green")


def _day(i: int) -> date:
    return MON + timedelta(days=i)


def _history(weeks: int = 12) -> list[tuple[str, float | None, float]]:
    out: list[tuple[str, float | None, float]] = []
    for k in range(weeks - 1, -1, -1):
        iso = (MON - timedelta(weeks=k)).isocalendar()
        planned = None if k == 7 else 40.0 + (11 - k) * 1.5
        run = 36.0 + (11 - k) * 1.7 if k != 4 else 12.0
        out.append((f"{iso.year}-W{iso.week:02d}", planned, run))
    return out


def _run(activity_id: str, day: int, label: str, km: float, minutes: float,
         name: str = "") -> RunFact:
    return RunFact(
        activity_id=activity_id, local_id=int(activity_id), label=label,
        start_local=datetime.combine(_day(day), datetime.min.time()) + timedelta(hours=12),
        distance_m=km * 1000, moving_s=minutes * 60, is_run=True, name=name,
    )


def rich_report(*, plan_name: str = "Spring 10k block", extra_name: str = EXTRA_NAME,
                note: str = "keep it conversational", race_name: str = "City 10k") -> WeekReport:
    sessions = [
        SessionResult(PlannedSession(_day(0), "rest"), "done"),
        SessionResult(
            PlannedSession(_day(1), "interval", workout=Workout("8x200m", reps=8,
                                                                distances_m=(200.0,) * 8)),
            "done", activity_ids=["101"], actual="interval", reps="8 of 8", volume_pct=102.0,
            execution=Execution(line=INTERVAL_LINE, warmup_min=18, cooldown_min=12,
                                fade_pct=2.0, recoveries="walked", reps_done=8, reps_planned=8,
                                praise=["built through the reps"]),
        ),
        SessionResult(PlannedSession(_day(2), "easy", minutes=45, note=note), "partial",
                      activity_ids=["102"], actual="easy", volume_pct=60.0),
        SessionResult(
            PlannedSession(_day(3), "hill", workout=Workout("10x60s", reps=10,
                                                            durations_s=(60.0,) * 10)),
            "moved", activity_ids=["103"], actual="hill", reps="10 of 10", volume_pct=98.0,
            pinned=True,
            execution=Execution(line=HILL_LINE, warmup_min=9, cooldown_min=10, fade_pct=4.0,
                                recoveries="jogged", reps_done=10, reps_planned=10,
                                flags=["warm-up short (9 min)"]),
        ),
        SessionResult(PlannedSession(_day(4), "easy", minutes=40), "substituted",
                      activity_ids=["104"], actual="interval", volume_pct=110.0),
        SessionResult(PlannedSession(_day(5), "easy", minutes=30), "missed"),
        SessionResult(PlannedSession(_day(6), "long", km=24.0), "done", activity_ids=["105"],
                      actual="long", volume_pct=96.0),
    ]
    totals = WeekTotals(
        planned_sessions=6,
        by_status={"done": 2, "partial": 1, "moved": 1, "substituted": 1, "missed": 1},
        planned_km=52.0, run_km=47.35, planned_min=290.0, run_min=262.0,
        easy_min=205.0, hard_min=57.0, easy_pct=78.2, long_run_done=True,
    )
    return WeekReport(
        week="2025-W11", start=MON, end=_day(6), plan_name=plan_name, sessions=sessions,
        extra=[_run("201", 2, "easy", 5.2, 31, extra_name)], totals=totals,
        adherence_pct=71.0,
        warnings=[Warning("weekly_jump", WARNING_TEXTS[0], {"pct": 32.0, "this_km": 58.4,
                                                            "last_km": 44.2}),
                  Warning("acwr", WARNING_TEXTS[1], {"ratio": 1.48})],
        weeks_to_race=5, race_name=race_name, history=_history(),
    )


def no_plan_report() -> WeekReport:
    totals = WeekTotals(planned_sessions=0, by_status={}, planned_km=None, run_km=21.0,
                        planned_min=None, run_min=125.0, easy_min=125.0, hard_min=0.0,
                        easy_pct=100.0, long_run_done=None)
    return WeekReport(
        week="2025-W11", start=MON, end=_day(6), plan_name=None, sessions=[],
        extra=[_run("301", 1, "easy", 10.0, 60, "Tuesday easy"),
               _run("302", 5, "easy", 11.0, 65, "Saturday easy")],
        totals=totals, adherence_pct=None, warnings=[], weeks_to_race=None, race_name=None,
        history=_history(3),
    )


SCRIPT = "<script>alert('x')</script>"


def hostile_report() -> WeekReport:
    """User text that would run, restyle or break a table if not escaped."""
    return rich_report(plan_name=f"{SCRIPT} plan", extra_name=f"{SCRIPT} [red]run[/red] | x",
                       note='<img src="http://evil.example/p.png" onerror="alert(1)">',
                       race_name="Race & <b>bold</b>")
