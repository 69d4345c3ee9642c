"""The generated 12-week block: every session, extra and warning against its known truth."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from syncd.plan.week import build_week
from tests.plan.blocks import WEEKS, block

B = block()


def _week(ws: date, pins: dict[int, date] | None = B.pins):
    runs = [r for r in B.runs if ws <= r.day <= ws + timedelta(days=6)]
    return build_week(B.plan, runs, ws, pins=pins, history_runs=B.runs)


@pytest.mark.parametrize("ws", WEEKS, ids=[f"W{i + 1}" for i in range(12)])
def test_sessions_session_by_session(ws):
    report = _week(ws)
    got = {s.planned.day: (s.status, s.pinned) for s in report.sessions}
    want = {d: v for d, v in B.status.items() if ws <= d <= ws + timedelta(days=6)}
    assert got == want
    # every matched session names exactly the run that served it
    for s in report.sessions:
        assert (s.status == "missed") == (not s.activity_ids)


@pytest.mark.parametrize("ws", WEEKS, ids=[f"W{i + 1}" for i in range(12)])
def test_extras_warnings_and_km(ws):
    report = _week(ws)
    assert [r.name for r in report.extra] == B.extra.get(ws, [])
    assert sorted(w.kind for w in report.warnings) == sorted(B.warnings.get(ws, []))
    assert report.totals.run_km == pytest.approx(B.week_km[ws])
    assert report.history[-1] == (report.week, B.plan.volume_km(ws), pytest.approx(B.week_km[ws]))


def test_without_pins_the_swapped_week_is_two_substitutions():
    ws = WEEKS[5]
    report = _week(ws, pins=None)
    got = {s.planned.day: s.status for s in report.sessions}
    for day, status in B.status_unpinned.items():
        assert got[day] == status
    assert not any(s.pinned for s in report.sessions)
    # with the pins the intervals run on Wednesday serve Tuesday's session
    pinned = {s.planned.day: s for s in _week(ws).sessions}
    assert pinned[ws + timedelta(days=1)].activity_ids == [B.by_key["w6-wed-int"].activity_id]
    assert pinned[ws + timedelta(days=1)].execution is not None


def test_partial_reasons_are_named():
    by_day = {s.planned.day: s for w in WEEKS for s in _week(w).sessions}
    w2_wed = by_day[WEEKS[1] + timedelta(days=2)]
    assert w2_wed.volume_pct == pytest.approx(66.7)
    assert w2_wed.flags == ["short: 67 % of the plan"]
    w3_tue = by_day[WEEKS[2] + timedelta(days=1)]
    assert (w3_tue.reps, w3_tue.volume_pct) == ("5 of 8", 100.0)
    assert w3_tue.flags == ["5 of 8 reps"]
    w3_thu = by_day[WEEKS[2] + timedelta(days=3)]
    assert (w3_thu.actual, w3_thu.flags) == ("easy", ["easy instead of hill"])
    w4_tue = by_day[WEEKS[3] + timedelta(days=1)]
    assert w4_tue.activity_ids == [B.by_key["w4-mon"].activity_id]


def test_adherence_and_totals():
    assert _week(WEEKS[0]).adherence_pct == 100.0
    assert _week(WEEKS[2]).adherence_pct == 70.0  # 3 done + 0.5 partial of 5
    assert _week(WEEKS[3]).adherence_pct == 80.0  # moved counts as done
    report = _week(WEEKS[8])
    assert report.adherence_pct == 30.0
    t = report.totals
    assert t.by_status == {"done": 1, "partial": 1, "moved": 0, "substituted": 0, "missed": 3}
    assert (t.planned_sessions, t.planned_km, t.planned_min) == (5, 40.0, 300.0)
    assert t.long_run_done is True  # a partial long run still happened
    # W1: 50 + 55 min of quality, of which 30 + 30 min warm-up/cool-down count as easy
    t = _week(WEEKS[0]).totals
    assert (t.hard_min, t.easy_min) == (45.0, 303.0)
    assert t.easy_pct == pytest.approx(87.1)


def test_execution_lines():
    w1 = {s.planned.type: s.execution for s in _week(WEEKS[0]).sessions if s.execution}
    assert w1["interval"].line == (
        "8x200m: 8/8 reps, 36.1-37.4 s, fade 3 %, walked recoveries, WU 18 min, CD 12 min")
    assert w1["interval"].flags == []
    assert w1["hill"].line == (
        "10x30s: 10/10 reps, 28-33 s, even (CV 4 %), walked down, WU 20 min, CD 10 min")
    w5 = next(s.execution for s in _week(WEEKS[4]).sessions if s.planned.type == "interval")
    assert w5.flags == ["fade 10 %", "warm-up short (9 min)"]
    assert w5.fade_pct == 10.0


def test_race_countdown_history_and_json():
    report = _week(WEEKS[11])
    assert (report.weeks_to_race, report.race_name) == (2, "Trail des Vosges")
    assert report.week == "2025-W13"  # 2025-01-06 is ISO week 2
    assert [h[0] for h in report.history][0] == "2025-W02"
    assert [round(h[2]) for h in report.history] == [B.week_km[w] for w in WEEKS]
    doc = json.loads(json.dumps(report.to_json()))
    assert doc["sessions"][-1]["date"] == "2025-03-30"
    assert {e["activity_id"] for e in doc["extra"]} == {
        B.by_key["w12-mon"].activity_id, B.by_key["w12-fri"].activity_id}
    acwr = next(w for w in doc["warnings"] if w["kind"] == "acwr")
    assert acwr["numbers"] == {"ratio": 1.38, "acute_km": 80.0, "chronic_km": 58.0}
    assert "(a rough guide)" in acwr["text"]
