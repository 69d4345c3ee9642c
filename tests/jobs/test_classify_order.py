"""Labels do not depend on import order: the easy-effort history is the runs before a date."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.classify import AthleteProfile, Thresholds
from syncd.jobs.classify import classify_activities
from syncd.sources.records import ActivityRecord
from syncd.store.db import open_store
from syncd.store.repo import Store
from tests.classify.workouts import generate

T0 = datetime(2025, 5, 5, 6, 0, tzinfo=UTC)
# One athlete (easy 3.0 m/s): easy runs build the history; the 3 x 10 min with short walks and
# a short warm-up is a session only against that history (its own easy running is its reps).
KINDS = ["easy", "easy", "easy_strides", "3x10_walks", "easy", "3x10_walks", "easy"]
SEEDS = [40, 41, 44, 38, 43, 39, 46]


@cache
def records() -> tuple[ActivityRecord, ...]:
    out = []
    for i, kind in enumerate(KINDS):
        inp, _, _ = generate(kind, SEEDS[i], easy_speed=3.0, smart=False, laps="none")
        out.append(ActivityRecord(
            source="file", source_id=f"gen-{i}", start_utc=T0 + timedelta(days=i),
            sport_type=inp.sport_type, name="", distance_m=inp.distance_m,
            moving_s=inp.moving_s, elapsed_s=inp.elapsed_s, trainer=inp.trainer,
            elevation_gain_m=inp.elevation_gain_m, streams=inp.streams, laps=inp.laps))
    return tuple(out)


def _labels(order: list[int], *, one_by_one: bool, again: bool = False,
            db_url: str | None = None) -> list[str]:
    """Labels (in date order) after importing in `order`, classifying after each import or
    once at the end, and optionally `classify --all` again."""
    if db_url is None:
        with tempfile.TemporaryDirectory() as tmp:
            return _labels(order, one_by_one=one_by_one, again=again,
                           db_url=f"sqlite:///{Path(tmp) / 'syncd.db'}")
    engine = open_store(db_url)
    try:
        store = Store(engine)
        athlete = store.ensure_athlete()
        ids: dict[int, int] = {}
        for i in order:
            ids[i] = store.save_activity(athlete.id, records()[i], default_tz="UTC").activity_id
            if one_by_one:
                classify_activities(store, athlete, [ids[i]], profile=AthleteProfile(),
                                    thresholds=Thresholds())
        if not one_by_one or again:
            classify_activities(store, athlete, list(ids.values()), profile=AthleteProfile(),
                                thresholds=Thresholds())
        return [store.classification(ids[i]).label for i in sorted(ids)]
    finally:
        engine.dispose()


@cache
def _chronological() -> tuple[str, ...]:
    return tuple(_labels(list(range(len(KINDS))), one_by_one=True))


def test_history_makes_the_short_warm_up_session_an_interval(db_url):
    labels = _labels(list(range(len(KINDS))), one_by_one=True, db_url=db_url)
    assert labels == list(_chronological())
    assert labels[0] == "easy" and labels[3] == "interval" and labels[5] == "interval", labels


def test_a_late_import_of_older_runs_relabels_what_it_affects():
    # The sessions first, alone: no history, their own running is their reps -> not sessions.
    alone = _labels([3, 5], one_by_one=True)
    assert "interval" not in alone, alone
    assert _labels([3, 5, 0, 1, 2, 4, 6], one_by_one=True) == list(_chronological())


@settings(max_examples=8, deadline=None)
@given(order=st.permutations(list(range(len(KINDS)))), one_by_one=st.booleans(),
       again=st.booleans())
def test_any_import_order_gives_the_same_labels(order, one_by_one, again):
    got = _labels(list(order), one_by_one=one_by_one, again=again)
    assert got == list(_chronological())
