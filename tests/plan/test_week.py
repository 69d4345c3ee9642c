"""Week reports at the edges: DST, midnight, plan boundaries, no plan, pins across weeks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from syncd.plan.planfile import parse_plan
from syncd.plan.week import build_week, split_easy_hard
from tests.plan.blocks import make_run

PLAN = """\
name = "Autumn"
start = 2025-10-13
end = {end}
race = {{ name = "Saintelyon", date = 2025-11-29 }}

[week]
tue = {{ type = "interval", workout = "6x800m", minutes = 60 }}
wed = {{ type = "easy", km = 8 }}
thu = "rest"
sat = {{ type = "easy", km = 10 }}
sun = {{ type = "long", minutes = 120 }}
"""
DST_WEEK = date(2025, 10, 20)  # Paris leaves summer time at 03:00 on Sunday 26 October


def plan(end: str = "2025-11-30"):
    return parse_plan(PLAN.format(end=end))


def test_dst_week_uses_local_days_only():
    runs = [
        # 02:30 happens twice that night; both are Sunday 26 October on the wall clock
        make_run(1, datetime(2025, 10, 26, 2, 30), "long", 20, 120),
        # 00:05 Monday: next week, even though it is still Sunday 23:05 in UTC
        make_run(2, datetime(2025, 10, 27, 0, 5), "easy", 6, 35),
        # 23:55 Saturday (21:55 UTC): Saturday
        make_run(3, datetime(2025, 10, 25, 23, 55), "easy", 10, 58),
    ]
    report = build_week(plan(), runs, DST_WEEK, history_runs=runs)
    status = {s.planned.day.isoformat(): s.status for s in report.sessions}
    assert status == {"2025-10-21": "missed", "2025-10-22": "missed", "2025-10-25": "done",
                      "2025-10-26": "done"}
    assert (report.start, report.end, report.week) == (DST_WEEK, date(2025, 10, 26), "2025-W43")
    assert report.totals.run_km == 30.0
    nxt = build_week(plan(), runs, date(2025, 10, 27), history_runs=runs)
    assert [r.local_id for r in nxt.extra] == [2]  # Monday (nothing planned): an extra


def test_any_day_of_the_week_names_the_week():
    assert build_week(plan(), [], date(2025, 10, 23)).start == DST_WEEK


def test_sunday_long_run_moved_to_monday_is_reported_once():
    runs = [make_run(1, datetime(2025, 10, 27, 9, 0), "long", 20, 125)]
    this = build_week(plan(), runs, DST_WEEK, history_runs=runs)
    assert this.sessions[-1].status == "moved"
    nxt = build_week(plan(), runs, date(2025, 10, 27), history_runs=runs)
    assert nxt.extra == []


def test_plan_ending_mid_week():
    p = plan(end="2025-10-22")
    runs = [make_run(1, datetime(2025, 10, 22, 7), "easy", 8, 45),
            make_run(2, datetime(2025, 10, 25, 7), "easy", 10, 58)]
    report = build_week(p, runs, DST_WEEK, history_runs=runs)
    assert [s.planned.day for s in report.sessions] == [date(2025, 10, 21), date(2025, 10, 22)]
    assert [r.local_id for r in report.extra] == [2]
    assert report.adherence_pct == 50.0
    assert report.totals.planned_km == 8.0  # no [volume]: the sessions' km
    assert report.totals.long_run_done is None  # the long run falls after the plan


def test_no_plan_at_all():
    runs = [make_run(1, datetime(2025, 10, 21, 7), "interval", 10, 50),
            make_run(2, datetime(2025, 10, 22, 7), "other", 30, 60, is_run=False)]
    report = build_week(None, runs, DST_WEEK, history_runs=runs)
    assert report.sessions == [] and report.adherence_pct is None
    assert [r.local_id for r in report.extra] == [1]
    assert (report.plan_name, report.weeks_to_race, report.totals.planned_km) == (None, None,
                                                                                  None)
    assert report.history[-1] == ("2025-W43", None, 10.0)
    assert report.to_json()["extra"][0]["km"] == 10.0


def test_pin_to_another_week_wins_over_automatic_matching():
    # a long run on Sunday 19 Oct that the athlete pins to the next Sunday's long run
    runs = [make_run(1, datetime(2025, 10, 19, 8), "long", 20, 120)]
    pins = {1: date(2025, 10, 26)}
    before = build_week(plan(), runs, date(2025, 10, 13), history_runs=runs)
    assert before.sessions[-1].status == "done"  # automatically: that week's long run
    pinned = build_week(plan(), runs, date(2025, 10, 13), pins=pins, history_runs=runs)
    assert pinned.sessions[-1].status == "missed" and pinned.extra == []
    target = build_week(plan(), [], DST_WEEK, pins=pins, history_runs=runs)
    long = target.sessions[-1]
    assert (long.status, long.pinned, long.activity_ids) == ("moved", True, ["a1"])


def test_weeks_to_race_and_totals():
    report = build_week(plan(), [], date(2025, 11, 24))
    assert (report.weeks_to_race, report.race_name) == (0, "Saintelyon")
    assert build_week(plan(), [], date(2025, 11, 3)).weeks_to_race == 3
    assert build_week(plan(), [], date(2025, 12, 1)).weeks_to_race is None  # race is past
    t = build_week(plan(), [], DST_WEEK).totals
    assert (t.planned_sessions, t.planned_min, t.planned_km, t.long_run_done) == (4, 180.0, 18.0,
                                                                                 False)
    assert t.by_status["missed"] == 4 and t.easy_pct is None


def test_easy_hard_split():
    ints = make_run(1, datetime(2025, 10, 21, 7), "interval", 10, 60, warmup_s=1200.0,
                    cooldown_s=600.0)
    assert split_easy_hard(ints) == (30.0, 30.0)
    assert split_easy_hard(make_run(2, datetime(2025, 10, 21, 7), "hill", 8, 50)) == (0.0, 50.0)
    assert split_easy_hard(make_run(3, datetime(2025, 10, 21, 7), "race", 10, 40)) == (0.0, 40.0)
    assert split_easy_hard(make_run(4, datetime(2025, 10, 21, 7), "long", 20, 120)) == (120.0,
                                                                                        0.0)
    report = build_week(plan(), [ints], DST_WEEK, history_runs=[ints])
    assert report.totals.easy_pct == pytest.approx(50.0)


def test_history_is_twelve_weeks_ending_with_this_one():
    runs = [make_run(i, datetime(2025, 10, 26, 7) - timedelta(days=7 * i), "easy", 10 + i, 60)
            for i in range(14)]
    report = build_week(plan(), runs[:1], DST_WEEK, history_runs=runs)
    assert len(report.history) == 12
    assert [h[2] for h in report.history] == [float(10 + i) for i in range(11, -1, -1)]
    assert report.history[-2][1] == 18.0  # week of 13 Oct: the sessions' km (Wed 8 + Sat 10)
    assert report.history[-3][1] is None  # before the plan
