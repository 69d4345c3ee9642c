"""The real recordings of ../shared/data with the labels of its README."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncd.classify import classify
from tests.classify.workouts import macro_f1, real_activities

DATA = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="module")
def real():
    if not DATA.is_dir():
        pytest.skip("real test data (../shared/data) not present")
    return [(name, inp, ok, classify(inp)) for name, inp, ok in real_activities(DATA)]


def test_real_files_macro_f1(real) -> None:
    pairs = [(res.label if res.label in ok else sorted(ok)[0], res.label)
             for _, _, ok, res in real]
    wrong = [(name, res.label, res.reasons) for name, _, ok, res in real if res.label not in ok]
    assert macro_f1(pairs) >= 0.95, wrong


def test_strava_workout_tag_does_not_force_interval(real) -> None:
    res = next(res for name, _, _, res in real if name == "strava activity+streams")
    assert res.label == "easy"
    assert any("tagged as a workout" in r for r in res.reasons)


def test_long_real_run(real) -> None:
    res = next(res for name, _, _, res in real if "2020-12-20" in name)
    assert res.label == "long" and any("1 h 54 min" in r for r in res.reasons)
