"""`syncd db rederive`'s store half: columns rebuilt from the raw JSON, on every backend."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from syncd.sources.files import discover, parse
from syncd.sources.strava.convert import activity_from_summary
from syncd.store.rederive import DERIVED_COLUMNS, rederive_activities
from syncd.store.tables import Activity
from tests.conftest import make_record

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _summary(aid: int, start: str, **kw) -> dict:
    """A Strava list summary as the API sends it."""
    return {
        "resource_state": 2, "athlete": {"id": 42, "resource_state": 1}, "id": aid,
        "name": "Tempo by the river", "distance": 10012.4, "moving_time": 2950,
        "elapsed_time": 3010, "total_elevation_gain": 41.2, "type": "Run", "sport_type": "Run",
        "workout_type": 3, "start_date": start, "start_date_local": start,
        "timezone": "(GMT+01:00) Europe/Paris", "utc_offset": 3600.0, "trainer": False,
        "manual": False, "average_heartrate": 151.3, "max_heartrate": 176.0, **kw,
    }


def _file(name: str, hints: dict | None = None):
    """A sample file as `syncd import` reads it; `hints` as a Strava export's index gives them."""
    (item,) = discover([SAMPLES / name])
    return parse(item.read(), item.kind, item.display, hints or item.hints)


def _columns(store, activity_id: int) -> dict:
    a = store.activity(activity_id)
    return {c: getattr(a, c) for c in DERIVED_COLUMNS}


def _corrupt(store, activity_id: int, **values) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.update(Activity).where(Activity.id == activity_id).values(**values))


def test_corrupted_columns_are_restored_and_only_those_activities_reported(store):
    a = store.ensure_athlete()
    strava = store.save_activity(
        a.id, activity_from_summary(_summary(13001, "2025-03-11T06:30:00Z")), default_tz="UTC"
    ).activity_id
    # A watch file from a Strava export: the export's name, and a placeholder Strava link.
    fit = store.save_activity(
        a.id, _file("2024-03-04-easy-run.fit", {"name": "Easy loop", "strava_id": "12999"}),
        default_tz="Europe/Paris",
    ).activity_id
    untouched = store.save_activity(
        a.id, activity_from_summary(_summary(13002, "2025-03-13T17:00:00Z", name="Easy")),
        default_tz="UTC",
    ).activity_id
    before = {i: _columns(store, i) for i in (strava, fit, untouched)}
    assert before[strava]["start_local"] == datetime(2025, 3, 11, 7, 30)
    assert before[fit]["name"] == "Easy loop" and before[fit]["distance_m"] == 6844.1

    _corrupt(store, strava, name="", distance_m=1.0, avg_hr=None, workout_type=None,
             start_utc=datetime(2025, 3, 11, 9, 0, tzinfo=UTC), start_local=datetime(2025, 3, 11),
             sport_type="Ride", trainer=True)
    _corrupt(store, fit, sport_type="Walk", name="Morning Walk", moving_s=12.0, max_hr=250.0,
             elevation_gain_m=0.0)
    report = rederive_activities(store, a.id, default_tz="UTC")

    assert report.activities == 3 and report.unreadable == 0
    assert report.changed_ids == [fit, strava]  # oldest first
    for i in (strava, fit, untouched):
        assert _columns(store, i) == before[i]
    # ids are not the rederivation's business
    assert {lk.source: lk.source_id for lk in store.sources_of(fit)}["strava"] == "12999"
    again = rederive_activities(store, a.id, default_tz="UTC")
    assert again.activities == 3 and again.changed_ids == []


def test_columns_the_raw_json_cannot_give_are_left_as_they_are(store):
    a = store.ensure_athlete()
    gpx = store.save_activity(a.id, _file("2024-03-08-hill-repeats.gpx"), default_tz="UTC")
    _corrupt(store, gpx.activity_id, name="x", distance_m=1.0, avg_hr=1.0,
             start_utc=datetime(2024, 3, 8, 12, 0, tzinfo=UTC))
    report = rederive_activities(store, a.id, default_tz="UTC")
    assert report.changed_ids == [gpx.activity_id]
    after = store.activity(gpx.activity_id)
    assert after.name == "Hill repeats" and after.sport_type == "Run"  # in the raw JSON
    # from the track points, which the raw JSON does not keep: as they were
    assert after.distance_m == 1.0 and after.avg_hr == 1.0
    assert after.start_utc == datetime(2024, 3, 8, 12, 0, tzinfo=UTC)


def test_strava_sets_the_columns_and_a_file_fills_what_it_lacks(store):
    a = store.ensure_athlete()
    summary = _summary(13003, "2024-03-04T06:30:04Z", distance=6850.0, moving_time=2395,
                       elapsed_time=2401, name="Easy with Paul")
    del summary["average_heartrate"], summary["max_heartrate"]  # HR hidden on Strava
    sid = store.save_activity(a.id, activity_from_summary(summary), default_tz="UTC").activity_id
    merged = store.save_activity(a.id, _file("2024-03-04-easy-run.fit"), default_tz="UTC")
    assert merged.status == "merged" and merged.activity_id == sid
    before = _columns(store, sid)
    assert before["name"] == "Easy with Paul" and before["avg_hr"] == 118.0  # from the FIT

    assert rederive_activities(store, a.id, default_tz="UTC").changed_ids == []
    _corrupt(store, sid, name="Ride", distance_m=6844.1, avg_hr=None)
    assert rederive_activities(store, a.id, default_tz="UTC").changed_ids == [sid]
    assert _columns(store, sid) == before


def test_raw_json_the_converter_rejects_is_counted_and_left_alone(store):
    a = store.ensure_athlete()
    bad = store.save_activity(a.id, make_record("strava", "13004", name="Kept",
                                                raw={"id": 13004}), default_tz="UTC")
    _corrupt(store, bad.activity_id, distance_m=5.0)
    report = rederive_activities(store, a.id, default_tz="UTC")
    assert report.unreadable == 1 and report.changed_ids == []
    assert store.activity(bad.activity_id).distance_m == 5.0
    assert "1 sources' raw JSON could not be read" in report.summary_line()


def test_deleted_activities_and_other_athletes_are_not_touched(store):
    a = store.ensure_athlete(strava_id=1)
    b = store.ensure_athlete(strava_id=2)
    summary = _summary(13005, "2025-03-11T06:30:00Z")
    mine = store.save_activity(a.id, activity_from_summary(summary), default_tz="UTC")
    theirs = store.save_activity(b.id, activity_from_summary(copy.deepcopy(summary)),
                                 default_tz="UTC")
    _corrupt(store, mine.activity_id, name="x", deleted_at=datetime(2025, 4, 1, tzinfo=UTC))
    _corrupt(store, theirs.activity_id, name="y")
    assert rederive_activities(store, a.id, default_tz="UTC").activities == 0
    assert store.activity(mine.activity_id).name == "x"
    report = rederive_activities(store, b.id, default_tz="UTC")
    assert report.changed_ids == [theirs.activity_id]


@pytest.mark.parametrize("name", ["2024-03-09-ride.gpx", "2024-03-10-long-run.tcx.gz"])
def test_a_fresh_import_is_unchanged(store, name):
    a = store.ensure_athlete()
    store.save_activity(a.id, _file(name), default_tz="Europe/Paris")
    report = rederive_activities(store, a.id, default_tz="Europe/Paris")
    assert report.activities == 1 and report.changed_ids == []
