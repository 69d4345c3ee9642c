"""Matching rules one at a time, on hand-written days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from syncd.plan.matching import judge, match_week
from syncd.plan.model import PlannedSession
from syncd.plan.workouts import parse_workout
from tests.plan.blocks import TRACK_TIMES, make_run, reps

MON = date(2025, 3, 10)
D = [MON + timedelta(days=i) for i in range(7)]


def at(day: date, h: int = 7, m: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, h, m)


def interval(day: date, workout: str = "8x200m", minutes: float | None = 50) -> PlannedSession:
    return PlannedSession(day=day, type="interval", workout=parse_workout(workout),
                          minutes=minutes)


def track(i: int, day: date, times=TRACK_TIMES, dist: float = 200.0, minutes: float = 50):
    return make_run(i, at(day), "interval", 10, minutes, warmup_s=1080.0, cooldown_s=720.0,
                    reps=reps(times, dist, start_s=1080, recovery_s=75))


def test_volume_bands():
    easy = PlannedSession(day=D[2], type="easy", minutes=60)
    cases = [(48, "done", []), (72, "done", []), (45, "partial", ["short: 75 % of the plan"]),
             (25, "partial", ["well short: 42 % of the planned volume"]),
             (80, "partial", ["long: 133 % of the plan"]),
             (100, "partial", ["well over: 167 % of the planned volume"])]
    for minutes, status, flags in cases:
        res = judge(easy, make_run(1, at(D[2]), "easy", 10, minutes))
        assert (res.status, res.flags) == (status, flags), minutes


def test_km_and_minutes_the_closer_one_counts():
    s = PlannedSession(day=D[6], type="long", minutes=150, km=25)
    res = judge(s, make_run(1, at(D[6]), "long", 24, 120))  # 80 % by time, 96 % by km
    assert (res.status, res.volume_pct) == ("done", 96.0)


def test_reps_count_within_one_and_length_within_15_pct():
    s = interval(D[1])
    assert judge(s, track(1, D[1], TRACK_TIMES[:7])).status == "done"  # 7 of 8
    res = judge(s, track(1, D[1], TRACK_TIMES[:6]))
    assert (res.status, res.reps, res.flags) == ("partial", "6 of 8", ["6 of 8 reps"])
    res = judge(s, track(1, D[1], TRACK_TIMES, dist=240.0))  # 20 % long reps
    assert (res.status, res.flags) == ("partial", ["reps of 240 m, planned 200 m"])
    assert judge(s, track(1, D[1], TRACK_TIMES, dist=225.0)).status == "done"  # 12.5 %
    # NxTIME compares durations, not distances
    hills = PlannedSession(day=D[3], type="hill", workout=parse_workout("6x3min"))
    run = make_run(2, at(D[3]), "hill", 10, 55,
                   reps=reps((178.0, 181.0, 183.0, 179.0, 180.0, 176.0), 600.0, start_s=900,
                             recovery_s=120))
    assert judge(hills, run).status == "done"
    short = make_run(3, at(D[3]), "hill", 10, 55,
                     reps=reps((120.0,) * 6, 600.0, start_s=900, recovery_s=120))
    assert judge(hills, short).flags == ["reps of 120 s, planned 180 s"]


def test_pyramid_uses_the_median_rep():
    s = interval(D[1], "100-200-300-200-100", None)
    run = make_run(1, at(D[1]), "interval", 8, 45,
                   reps=reps((17.0, 36.0, 55.0, 36.0, 17.0), (100.0, 200.0, 300.0, 200.0, 100.0),
                             start_s=900, recovery_s=90))
    assert (judge(s, run).status, judge(s, run).reps) == ("done", "5 of 5")


def test_moved_only_to_a_free_day_and_never_twice():
    sessions = [PlannedSession(D[0], "rest"), interval(D[1]),
                PlannedSession(D[2], "easy", minutes=45), PlannedSession(D[3], "interval"),
                PlannedSession(D[4], "rest")]
    # the intervals of Tue were run Mon (rest: free); Thu's were run Wed (not free)
    runs = [track(1, D[0]), track(2, D[2])]
    got = match_week(sessions, runs)
    status = {s.planned.day: s.status for s in got.sessions}
    assert status == {D[1]: "moved", D[2]: "substituted", D[3]: "missed"}
    # one run on the free Friday, two sessions either side wanting it: the earlier wins
    sessions = [PlannedSession(D[3], "interval"), PlannedSession(D[5], "interval")]
    got = match_week(sessions, [track(3, D[4])])
    assert [s.status for s in got.sessions] == ["moved", "missed"]
    assert got.extra == []


def test_a_move_beats_a_substitution():
    sessions = [PlannedSession(D[1], "interval"), PlannedSession(D[2], "rest")]
    runs = [make_run(1, at(D[1]), "easy", 8, 45), track(2, D[2])]
    got = match_week(sessions, runs)
    assert got.sessions[0].status == "moved"
    assert [r.local_id for r in got.extra] == [1]


def test_two_runs_one_day_best_candidate_then_extra():
    s = [PlannedSession(D[2], "easy", minutes=45)]
    runs = [make_run(1, at(D[2], 6), "easy", 4, 24), make_run(2, at(D[2], 18), "easy", 8, 44),
            make_run(3, at(D[2], 12), "interval", 10, 45)]
    got = match_week(s, runs)
    assert got.sessions[0].activity_ids == ["a2"]
    assert [r.local_id for r in got.extra] == [1, 3]


def test_non_runs_never_match_and_are_never_extra():
    s = [PlannedSession(D[2], "easy", minutes=45)]
    ride = make_run(1, at(D[2]), "easy", 30, 45, is_run=False)
    got = match_week(s, [ride, make_run(2, at(D[0]), "other", 1, 5, is_run=False)])
    assert got.sessions[0].status == "missed" and got.extra == []


def test_just_after_midnight_is_the_new_day():
    sessions = [PlannedSession(D[1], "easy", minutes=45), PlannedSession(D[2], "easy", minutes=45)]
    got = match_week(sessions, [make_run(1, at(D[2], 0, 5), "easy", 8, 45)])
    assert [s.status for s in got.sessions] == ["missed", "done"]


def test_pins_win_and_are_judged_as_usual():
    sessions = [interval(D[1]), PlannedSession(D[3], "hill", minutes=55)]
    runs = [track(1, D[1]), make_run(2, at(D[3]), "hill", 10, 55)]
    # the Tuesday intervals pinned to Thursday's hills: substituted there, Tuesday missed
    got = match_week(sessions, runs, pins={1: D[3]})
    by_day = {s.planned.day: s for s in got.sessions}
    assert (by_day[D[3]].status, by_day[D[3]].pinned) == ("substituted", True)
    assert by_day[D[3]].activity_ids == ["a1"]
    assert by_day[D[1]].status == "missed"  # the pinned run is used nowhere else
    assert [r.local_id for r in got.extra] == [2]


def test_stale_and_foreign_pins():
    sessions = [PlannedSession(D[0], "rest"), PlannedSession(D[2], "easy", minutes=45)]
    run = make_run(1, at(D[2]), "easy", 8, 45)
    # pinned to a rest day: the pin is stale, the run competes as usual
    assert match_week(sessions, [run], pins={1: D[0]}).sessions[0].status == "done"
    # pinned to a session in another week: reported there, neither done here nor extra
    far = date(2025, 2, 4)
    got = match_week(sessions, [run], pins={1: far},
                     session_on=lambda d: interval(d) if d == far else None)
    assert got.sessions[0].status == "missed" and got.extra == [] and got.withheld == {1}
