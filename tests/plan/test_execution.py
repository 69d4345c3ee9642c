"""Execution lines: warm-up/cool-down guidance, fade vs build, recoveries, hill evenness."""

from __future__ import annotations

from datetime import date, datetime

from syncd.plan.execution import describe_execution, fade_pct, recovery_majority
from syncd.plan.model import PlannedSession
from syncd.plan.workouts import parse_workout
from tests.plan.blocks import make_run, reps

DAY = date(2025, 3, 11)


def session(workout: str, kind: str = "interval", note: str | None = None) -> PlannedSession:
    return PlannedSession(day=DAY, type=kind, workout=parse_workout(workout), note=note)


def run(times, dist, *, kind="walk", wu=18.0, cd=12.0, label="interval", grade=None):
    return make_run(1, datetime(2025, 3, 11, 18), label, 9, 50, warmup_s=wu * 60,
                    cooldown_s=cd * 60, reps=reps(tuple(times), dist, start_s=wu * 60,
                                                  recovery_s=60, kind=kind, grade=grade))


def test_strides_that_build_are_praised_not_flagged():
    times = (19.5, 19.2, 19.0, 18.8, 18.6, 18.5, 18.3, 18.0, 17.8, 17.6)
    ex = describe_execution(session("10x100m"), run(times, 100.0))
    assert ex.flags == []
    assert ex.praise == ["built through the reps (7 % faster at the end)"]
    assert ex.line == ("10x100m: 10/10 reps, 17.6-19.5 s, built 7 %, walked recoveries, "
                       "WU 18 min, CD 12 min")
    # the same speeding up over 400s is fine too, but it is not a "build"
    ex = describe_execution(session("10x400m"), run([t * 4 for t in times], 400.0))
    assert ex.flags == [] and ex.praise == ["finished faster than you started (7 %)"]
    assert "fade -7 %" in ex.line and "1:10-1:18" in ex.line


def test_fade_over_five_percent_is_flagged():
    times = (36.0, 36.2, 36.5, 37.0, 37.5, 38.0, 38.5, 38.9)  # 38.7 vs 36.1: 7.2 %
    ex = describe_execution(session("8x200m"), run(times, 200.0))
    assert ex.fade_pct == 7.2 and ex.flags == ["fade 7 %"]
    assert ex.rep_times_s == list(times)
    assert ex.rep_paces_s_per_km == [round(t * 5, 1) for t in times]
    even = describe_execution(session("8x200m"), run((36.0,) * 8, 200.0))
    assert even.flags == [] and even.fade_pct == 0.0 and "36.0 s," in even.line


def test_warmup_and_cooldown_guidance():
    ex = describe_execution(session("6x800m"), run((160.0,) * 6, 800.0, wu=9, cd=20))
    assert ex.flags == ["warm-up short (9 min)", "cool-down long (20 min)"]
    ex = describe_execution(session("6x800m"), run((160.0,) * 6, 800.0, wu=30, cd=5))
    assert ex.flags == ["warm-up long (30 min)", "cool-down short (5 min)"]
    assert (ex.warmup_min, ex.cooldown_min) == (30.0, 5.0)
    ok = describe_execution(session("6x800m"), run((160.0,) * 6, 800.0, wu=15, cd=10))
    assert ok.flags == []


def test_recoveries_against_the_plan():
    jog = run((36.0,) * 8, 200.0, kind="jog")
    ex = describe_execution(session("8x200m with 100 m walks"), jog)
    assert ex.recoveries == "jogged" and ex.flags == ["jogged recoveries, plan said walk"]
    assert ex.line.startswith("8x200m: 8/8 reps")  # the plan's note is not in the title
    ex = describe_execution(session("8x200m", note="jog 200 m between"), jog)
    assert ex.flags == []
    assert recovery_majority(reps((30.0,) * 4, 100.0, start_s=0, recovery_s=60,
                                  kind="stand")) == "stood"
    mixed = reps((30.0,) * 5, 100.0, start_s=0, recovery_s=60)
    mixed = tuple(r.__class__(**{**r.__dict__, "recovery_kind": k})
                  for r, k in zip(mixed, ("walk", "jog", "walk", "jog", None), strict=True))
    assert recovery_majority(mixed) == "mixed"


def test_hills_evenness():
    even = describe_execution(session("10x30s", "hill"),
                              run((30, 31, 29, 30, 32, 28, 30, 33, 31, 30), 110.0, wu=20, cd=10,
                                  label="hill", grade=8.0))
    assert even.line == ("10x30s: 10/10 reps, 28-33 s, even (CV 4 %), walked down, WU 20 min, "
                         "CD 10 min")
    uneven = describe_execution(session("10x30s", "hill"),
                                run((24, 30, 36, 25, 35, 26, 34, 30, 24, 36), 110.0, kind="jog",
                                    label="hill"))
    assert "uneven (CV 16 %)" in uneven.line and "jogged down" in uneven.line
    assert uneven.flags == ["uneven reps (CV 16 %)"]


def test_no_reps_found_and_fade_needs_three():
    ex = describe_execution(session("8x200m"), make_run(1, datetime(2025, 3, 11, 7), "interval",
                                                        10, 50))
    assert ex.line == "8x200m: 0/8 reps" and ex.flags == ["no reps found"]
    assert fade_pct([200.0, 210.0]) is None
