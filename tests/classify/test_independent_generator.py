"""Fast checks of the independent session generator itself (not of the classifier)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from syncd.sources.records import ActivityRecord, Streams


def _load():
    try:
        from tests.classify import independent
    except ImportError:
        path = Path(__file__).with_name("independent.py")
        spec = importlib.util.spec_from_file_location("tests.classify.independent", path)
        independent = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = independent
        spec.loader.exec_module(independent)
    return independent


gen = _load()

MOVING = {"easy": (25, 85), "hill": (40, 85), "interval": (40, 85), "long": (95, 240),
          "other": (60, 120)}


@pytest.fixture(scope="module")
def every_kind():
    return {kind: gen.generate(kind, 7) for kind in gen.KINDS}


def test_deterministic_for_a_seed():
    a = gen.generate("hills_two_slopes", 3)
    b = gen.generate("hills_two_slopes", 3)
    assert a.smart == b.smart
    assert a.reps == b.reps
    assert a.record.streams.columns == b.record.streams.columns
    assert a.record.laps == b.record.laps
    c = gen.generate("hills_two_slopes", 4)
    assert c.record.streams.columns != a.record.streams.columns


def test_smart_flag_changes_only_the_sampling():
    one_hz = gen.generate("ladder", 5, smart=False)
    smart = gen.generate("ladder", 5, smart=True)
    assert one_hz.reps == smart.reps
    assert one_hz.record.distance_m == smart.record.distance_m
    assert len(smart.record.streams) < len(one_hz.record.streams)


def test_every_kind_constructs(every_kind):
    assert set(every_kind) == set(gen.KINDS)
    for kind, s in every_kind.items():
        rec = s.record
        assert isinstance(rec, ActivityRecord)
        assert isinstance(rec.streams, Streams)
        assert s.kind == kind and s.label == gen.KINDS[kind]
        assert rec.name == ""
        assert rec.source == "file" and rec.source_id == f"indep-{kind}-7"
        assert rec.start_utc.utcoffset().total_seconds() == 0
        cols = rec.streams.columns
        assert {"time", "distance", "cadence"} <= set(cols)
        assert all(isinstance(v, list) for v in cols.values())
        t = cols["time"]
        assert t[0] == 0.0 and t[-1] == rec.elapsed_s
        assert all(b > a for a, b in zip(t, t[1:], strict=False))
        d = cols["distance"]
        assert all(b >= a for a, b in zip(d, d[1:], strict=False))
        assert abs(d[-1] - rec.distance_m) < 1e-6
        lo, hi = MOVING[s.label]
        assert lo <= rec.moving_s / 60 <= hi, (kind, rec.moving_s / 60)
        assert rec.moving_s <= rec.elapsed_s
        for lap in rec.laps:
            assert 0 <= lap.start_offset_s < rec.elapsed_s
        expected = {"nonrun_ride": "Ride", "trail_long_hilly": "TrailRun",
                    "treadmill_intervals": "VirtualRun", "treadmill_easy": "VirtualRun"}
        assert rec.sport_type == expected.get(kind, "Run")


def test_rep_truth_inside_the_streams(every_kind):
    for kind, s in every_kind.items():
        t = s.record.streams.columns["time"]
        if s.label in ("easy", "long", "other"):
            assert s.reps == [], kind
            continue
        assert s.reps, kind
        for start, end, dist in s.reps:
            assert t[0] <= start < end <= t[-1], (kind, start, end)
            assert dist > 0
        starts = [r[0] for r in s.reps]
        assert starts == sorted(starts)


def test_rep_counts_follow_the_kinds(every_kind):
    assert len(every_kind["hills_10x30"].reps) == 10
    assert len(every_kind["sprints_10x100"].reps) == 10
    pyramid = [r[2] for r in every_kind["pyramid"].reps]
    nominal = [100, 200, 300, 200, 100]
    assert all(abs(d - w) < 0.1 * w for d, w in zip(pyramid, nominal, strict=True))
    assert len(every_kind["track_8x200"].reps) == 8
    assert len(every_kind["tempo_3x10"].reps) == 3
    assert all(abs(r[1] - r[0] - 600) < 1e-6 for r in every_kind["tempo_3x10"].reps)


def test_treadmill_has_no_position():
    for kind in ("treadmill_intervals", "treadmill_easy"):
        s = gen.generate(kind, 11)
        cols = s.record.streams.columns
        assert "lat" not in cols and "lng" not in cols and "altitude" not in cols
        assert s.record.trainer is True
        assert s.record.elevation_gain_m is None
        assert s.record.distance_m > 0


def test_smart_recording_has_irregular_steps():
    s = gen.generate("easy_plain", 2, smart=True)
    t = s.record.streams.columns["time"]
    steps = [b - a for a, b in zip(t, t[1:], strict=False)]
    assert s.smart
    assert len(set(steps)) >= 4
    assert 2.0 <= sorted(steps)[len(steps) // 2] <= 7.0
    regular = gen.generate("easy_plain", 2, smart=False)
    rt = regular.record.streams.columns["time"]
    rsteps = [b - a for a, b in zip(rt, rt[1:], strict=False)]
    assert sum(1 for x in rsteps if x == 1.0) / len(rsteps) > 0.95


def test_autolap_laps_every_400m():
    s = gen.generate("track_autolap", 1)
    laps = s.record.laps
    assert len(laps) > 10
    assert all(abs(lap.distance_m - 400) < 15 for lap in laps[:-1])
    assert all(lap.intensity is None for lap in laps)


def test_sessions_mixture():
    ss = gen.sessions(26, 2)
    assert len(ss) == 26
    assert {s.kind for s in ss} == set(gen.KINDS)
    small = gen.sessions(5, 2)
    assert len(small) == 5 and len({s.kind for s in small}) == 5
    again = gen.sessions(5, 2)
    assert [s.kind for s in small] == [s.kind for s in again]
    assert [s.record.distance_m for s in small] == [s.record.distance_m for s in again]


def test_label_quotas():
    q = gen._quotas(200)
    assert sum(q.values()) == 200
    for label in ("easy", "hill", "interval", "long"):
        assert q[label] >= 30
