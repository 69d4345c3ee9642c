"""Workout texts -> rep structure; NxDIST / NxTIME round trips (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.plan.workouts import find_workout, is_build, parse_workout, workout_text


@pytest.mark.parametrize(("text", "reps", "dist", "dur"), [
    ("10x100m", 10, 100, None),
    ("8x200m", 8, 200, None),
    ("6x800m", 6, 800, None),
    ("5x1km", 5, 1000, None),
    ("3x1.6km", 3, 1600, None),
    ("8 x 400", 8, 400, None),
    ("4×1k", 4, 1000, None),
    ("10x30s", 10, None, 30),
    ("6x3min", 6, None, 180),
    ("4x6min", 4, None, 360),
    ("5x2'30\"", 5, None, 150),
    ("5x2:30", 5, None, 150),
    ("8x90sec", 8, None, 90),
])
def test_even_workouts(text, reps, dist, dur):
    w = parse_workout(text)
    assert w.reps == reps and w.note is None and w.text == text
    assert w.distances_m == ((float(dist),) * reps if dist else ())
    assert w.durations_s == ((float(dur),) * reps if dur else ())


def test_pyramids_and_notes():
    w = parse_workout("100-200-300-200-100")
    assert (w.reps, w.distances_m) == (5, (100, 200, 300, 200, 100))
    assert parse_workout("1-2-3-2-1 min").durations_s == (60, 120, 180, 120, 60)
    w = parse_workout("8x200m with 100 m walks")
    assert (w.reps, w.note) == (8, "with 100 m walks")
    for text in ("fartlek, by feel", "5x1", "10-20-30", "tempo 20'"):
        w = parse_workout(text)
        assert (w.reps, w.distances_m, w.durations_s, w.note) == (None, (), (), text)


def test_find_workout_in_free_text():
    assert find_workout("Track: 8x200m @ 3k pace").distances_m == (200.0,) * 8
    assert find_workout("on 2025-01-06 run 200-400-200").distances_m == (200, 400, 200)
    assert find_workout("Long run 25 km") is None
    assert find_workout("Warm up 15 min then 6x3min").durations_s == (180.0,) * 6


def test_build_sessions_are_strides():
    assert is_build(parse_workout("10x100m")) and is_build(parse_workout("6x150m"))
    assert not is_build(parse_workout("8x200m")) and not is_build(parse_workout("10x30s"))


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 40),
       metres=st.one_of(st.integers(1, 99).map(lambda k: k * 50),
                        st.integers(10, 99).map(lambda k: k * 100)))
def test_nxdist_round_trip(n, metres):
    text = workout_text(n, distance_m=metres)
    w = parse_workout(text)
    assert w.reps == n and w.note is None
    assert w.distances_m == pytest.approx((float(metres),) * n)
    assert workout_text(n, distance_m=w.distances_m[0]) == text


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 40), seconds=st.integers(5, 3600))
def test_nxtime_round_trip(n, seconds):
    text = workout_text(n, duration_s=seconds)
    w = parse_workout(text)
    assert w.reps == n and w.note is None
    assert w.durations_s == (float(seconds),) * n
    assert workout_text(n, duration_s=w.durations_s[0]) == text
