"""Load warnings carry the numbers behind them, and stay quiet when they cannot know."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from syncd.plan.load import load_warnings
from tests.plan.blocks import make_run

WEEK = date(2025, 3, 10)
FIRST = WEEK - timedelta(days=35)  # five weeks of history before WEEK


def weeks(kms: list[float]) -> list:
    """Each week's km as one 15 km Sunday run and 10 km runs (or less) from Monday, so the
    longest run never changes and only the weekly totals matter."""
    runs, n = [], 0
    for i, km in enumerate(kms):
        ws = FIRST + timedelta(days=7 * i)
        chunks = [15.0] if km >= 15 else []
        left = km - sum(chunks)
        day = 0
        while left > 1e-9:
            chunks.append(min(10.0, left))
            left -= chunks[-1]
        for c in chunks:
            n += 1
            d = ws + timedelta(days=6 if c == 15.0 else day)
            day += 0 if c == 15.0 else 1
            runs.append(make_run(n, datetime.combine(d, time(7)), "easy", c, c * 6))
    return runs


def kinds(warnings) -> list[str]:
    return sorted(w.kind for w in warnings)


def test_weekly_jump_with_its_numbers():
    warnings = load_warnings(weeks([50, 50, 50, 50, 54, 60]), WEEK)
    assert kinds(warnings) == ["weekly_jump"]
    w = warnings[0]
    assert w.numbers == {"km": 60.0, "previous_km": 54.0, "change_pct": 11.1}
    assert "up 11 % on last week (54.0 -> 60.0 km)" in w.text


def test_two_week_jump_without_a_weekly_one():
    warnings = load_warnings(weeks([40, 40, 40, 40, 52, 57]), WEEK)  # +9.6 %, +42.5 %
    assert kinds(warnings) == ["two_week_jump"]
    assert warnings[0].numbers == {"km": 57.0, "two_weeks_ago_km": 40.0, "change_pct": 42.5}


def test_gentle_build_is_quiet():
    assert load_warnings(weeks([50, 50, 50, 50, 54.5, 59.4]), WEEK) == []  # +9 %, +19 %


def test_no_jump_after_empty_weeks_but_acwr_still_speaks():
    warnings = load_warnings(weeks([50, 50, 50, 0, 0, 30]), WEEK)
    assert kinds(warnings) == ["acwr"]
    assert warnings[0].numbers == {"ratio": 1.5, "acute_km": 30.0, "chronic_km": 20.0}
    assert warnings[0].text.endswith("(a rough guide).")


def test_acwr_low_and_needs_28_days():
    low = load_warnings(weeks([60, 60, 60, 60, 60, 30]), WEEK)
    assert kinds(low) == ["acwr"] and low[0].numbers["ratio"] == pytest.approx(0.57, abs=0.01)
    assert "is low" in low[0].text
    # three weeks of history are not enough: no ratio, whatever it would say
    short = [r for r in weeks([60, 60, 60, 60, 60, 30]) if r.day >= WEEK - timedelta(days=20)]
    assert load_warnings(short, WEEK) == []
    assert kinds(load_warnings(short, WEEK, history_start=WEEK - timedelta(days=30))) == ["acwr"]


def test_single_run_spike_against_the_previous_30_days():
    def at(d: date, km: float, i: int, h: int = 7):
        return make_run(i, datetime.combine(d, time(h)), "long", km, km * 6)

    # the 30 km run is 35 days before Saturday 15 March: out of the window
    base = [at(WEEK - timedelta(days=20), 20, 1), at(WEEK - timedelta(days=30), 30, 2)]
    # exactly 10 % longer is not a spike; 12.5 % is
    assert [w for w in load_warnings([*base, at(WEEK + timedelta(days=5), 22, 3)], WEEK)
            if w.kind == "single_run_spike"] == []
    got = [w for w in load_warnings([*base, at(WEEK + timedelta(days=5), 22.5, 3)], WEEK)
           if w.kind == "single_run_spike"]
    assert [w.numbers for w in got] == [{"km": 22.5, "longest_30d_km": 20.0, "over_pct": 12.5}]
    assert "2025-03-15 run (22.5 km) was 12 % longer" in got[0].text
    # an earlier run the same week raises the bar for a later one
    runs = [*base, at(WEEK + timedelta(days=1), 23, 3), at(WEEK + timedelta(days=6), 24, 4)]
    spikes = [w for w in load_warnings(runs, WEEK) if w.kind == "single_run_spike"]
    assert [w.numbers["km"] for w in spikes] == [23.0]
    # non-runs do not count, neither as spikes nor as the longest run
    ride = make_run(9, datetime.combine(WEEK, time(7)), "other", 80, 180, is_run=False)
    assert load_warnings([ride], WEEK) == []
