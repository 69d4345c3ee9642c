from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import stravalib
from structlog.testing import capture_logs

from syncd.errors import SourceError
from syncd.sources.strava.convert import (
    activity_from_summary,
    laps_from_strava,
    parse_timezone,
    streams_from_strava,
)

STRAVALIB_RESOURCES = Path(stravalib.__file__).parent / "tests" / "resources"

SUMMARY = {
    "id": 12345678901234,
    "name": "Morning padel",
    "sport_type": "Padel",
    "type": "Workout",
    "start_date": "2024-05-01T09:36:27Z",
    "start_date_local": "2024-05-01T06:36:27Z",
    "timezone": "(GMT-03:00) America/Recife",
    "distance": 0.0,
    "moving_time": 3600,
    "elapsed_time": 3700,
    "total_elevation_gain": 0,
    "average_heartrate": 131.2,
    "max_heartrate": 171.0,
    "workout_type": None,
    "trainer": False,
    "manual": True,
}


def test_summary_keeps_raw_sport_type_and_64bit_id():
    raw = copy.deepcopy(SUMMARY)
    rec = activity_from_summary(raw)
    assert rec.source == "strava"
    assert rec.source_id == "12345678901234"
    assert rec.sport_type == "Padel"  # stravalib's model would say "Workout"
    assert rec.raw is raw and raw == SUMMARY
    assert rec.start_utc == datetime(2024, 5, 1, 9, 36, 27, tzinfo=UTC)
    assert rec.timezone == "America/Recife"
    assert (rec.moving_s, rec.elapsed_s, rec.elevation_gain_m) == (3600.0, 3700.0, 0.0)
    assert (rec.avg_hr, rec.max_hr) == (131.2, 171.0)
    assert rec.workout_type is None and rec.trainer is False and rec.manual is True
    assert rec.name == "Morning padel"


def test_sport_type_falls_back_to_type():
    s = {k: v for k, v in SUMMARY.items() if k != "sport_type"}
    assert activity_from_summary(s).sport_type == "Workout"


def test_start_date_local_z_is_ignored():
    rec = activity_from_summary({**SUMMARY, "start_date_local": "2030-01-01T00:00:00Z"})
    assert rec.start_utc == datetime(2024, 5, 1, 9, 36, 27, tzinfo=UTC)


@pytest.mark.parametrize("missing", ["id", "start_date"])
def test_missing_required_field_names_it(missing):
    s = {k: v for k, v in SUMMARY.items() if k != missing}
    with pytest.raises(SourceError) as info:
        activity_from_summary(s)
    assert f"'{missing}'" in str(info.value)


def test_missing_sport_and_bad_values():
    s = {k: v for k, v in SUMMARY.items() if k not in ("sport_type", "type")}
    with pytest.raises(SourceError, match="sport_type"):
        activity_from_summary(s)
    with pytest.raises(SourceError, match="start_date"):
        activity_from_summary({**SUMMARY, "start_date": "yesterday"})
    with pytest.raises(SourceError, match="distance"):
        activity_from_summary({**SUMMARY, "distance": "far"})


@pytest.mark.parametrize(
    ("value", "zone"),
    [
        ("(GMT-03:00) America/Recife", "America/Recife"),
        ("(GMT+01:00) Europe/Paris", "Europe/Paris"),
        ("Europe/Paris", "Europe/Paris"),
        ("(GMT+00:00) Atlantis/Lost", None),
        ("(GMT+00:00) ", None),
        ("", None),
        (None, None),
        ("(GMT+00:00) ../../etc/passwd", None),
    ],
)
def test_parse_timezone(value, zone):
    assert parse_timezone(value) == zone


# -- streams ---------------------------------------------------------------------------------


def test_streams_dict_form():
    streams = streams_from_strava(
        {
            "time": {"data": [0, 1, 2], "series_type": "time", "resolution": "high"},
            "latlng": {"data": [[-8.01, -34.84], [-8.02, -34.85], [-8.03, -34.86]]},
            "moving": {"data": [False, True, True]},
            "heartrate": {"data": [100, None, 102]},
            "watts": {"data": [None, 200, 210]},
        }
    )
    assert streams is not None
    assert streams.columns == {
        "time": [0.0, 1.0, 2.0],
        "lat": [-8.01, -8.02, -8.03],
        "lng": [-34.84, -34.85, -34.86],
        "moving": [0.0, 1.0, 1.0],
        "heartrate": [100.0, None, 102.0],
        "watts": [None, 200.0, 210.0],
    }


def test_streams_list_form_equals_dict_form():
    as_dict = {
        "time": {"data": [0, 5]},
        "distance": {"data": [0.0, 12.5]},
        "grade_smooth": {"data": [1.1, 1.2]},
        "temp": {"data": [21, 21]},
    }
    as_list = [{"type": k, **v} for k, v in as_dict.items()]
    assert streams_from_strava(as_list).columns == streams_from_strava(as_dict).columns


@pytest.mark.parametrize(
    "empty", [None, {}, [], {"heartrate": {"data": [1, 2]}}, {"time": {"data": []}}, "garbage"]
)
def test_no_streams(empty):
    assert streams_from_strava(empty) is None


def test_misaligned_streams_padded_or_truncated_with_warning():
    with capture_logs() as events:
        streams = streams_from_strava(
            {
                "time": {"data": [0, 1, 2, 3]},
                "heartrate": {"data": [100, 101]},
                "cadence": {"data": [80, 81, 82, 83, 84, 85]},
                "latlng": {"data": [[1.0, 2.0]]},
                "altitude": {"data": [5, 6, 7, 8]},
            },
            activity_id=42,
        )
    assert streams.columns["heartrate"] == [100.0, 101.0, None, None]
    assert streams.columns["cadence"] == [80.0, 81.0, 82.0, 83.0]
    assert streams.columns["lat"] == [1.0, None, None, None]
    assert streams.columns["lng"] == [2.0, None, None, None]
    warned = {e["stream"]: e for e in events if e["event"] == "strava.streams.misaligned"}
    assert set(warned) == {"heartrate", "cadence", "latlng"}
    assert warned["heartrate"]["log_level"] == "warning"
    assert warned["cadence"]["samples"] == 6 and warned["cadence"]["time_samples"] == 4
    assert warned["heartrate"]["activity_id"] == 42


# -- laps ------------------------------------------------------------------------------------


def test_laps_from_strava_offsets_and_order():
    laps = [
        {
            "lap_index": 2,
            "start_date": "2024-05-01T09:43:33Z",
            "elapsed_time": 400,
            "moving_time": 390,
            "distance": 1000.0,
            "average_speed": 2.5,
            "name": "Lap 2",
        },
        {
            "lap_index": 1,
            "start_date": "2024-05-01T09:36:27Z",
            "elapsed_time": 425,
            "moving_time": 413,
            "distance": 1005.34,
            "average_heartrate": 135.9,
            "max_heartrate": 147.0,
            "name": "Lap 1",
        },
    ]
    recs = laps_from_strava(laps)
    assert [r.index for r in recs] == [0, 1]
    assert [r.name for r in recs] == ["Lap 1", "Lap 2"]
    assert [r.start_offset_s for r in recs] == [0.0, 426.0]
    assert (recs[0].elapsed_s, recs[0].moving_s, recs[0].distance_m) == (425.0, 413.0, 1005.34)
    assert (recs[0].avg_hr, recs[0].max_hr, recs[1].avg_speed) == (135.9, 147.0, 2.5)
    start = datetime(2024, 5, 1, 9, 36, 0, tzinfo=UTC)
    assert laps_from_strava(laps, start_utc=start)[0].start_offset_s == 27.0


def test_laps_without_start_dates_are_cumulative():
    recs = laps_from_strava([{"elapsed_time": 100}, {"elapsed_time": 50}, {"elapsed_time": 10}])
    assert [r.start_offset_s for r in recs] == [0.0, 100.0, 150.0]
    assert laps_from_strava([]) == []


# -- real responses --------------------------------------------------------------------------


def test_stravalib_fixture_activity():
    raw = json.loads((STRAVALIB_RESOURCES / "activity.3.json").read_text())
    rec = activity_from_summary(raw)
    assert rec.source_id == "99895560"
    assert rec.start_utc == datetime(2013, 12, 12, 19, 36, 41, tzinfo=UTC)
    assert rec.timezone == "America/Los_Angeles"
    assert rec.sport_type == "Run" and rec.is_run
    assert rec.distance_m == 5781.1


def test_real_strava_activity_and_streams(shared_runs):
    activity = json.loads((shared_runs / "runpandas-strava-activity.json").read_text())
    streamset = json.loads((shared_runs / "runpandas-strava-streams.json").read_text())
    rec = activity_from_summary(activity)
    assert rec.source_id == "4437021783"
    assert rec.start_utc == datetime(2020, 12, 6, 9, 36, 27, tzinfo=UTC)
    assert rec.timezone == "America/Recife"
    assert rec.distance_m == 12019.7
    assert rec.sport_type == "Run" and rec.workout_type == 3
    assert (rec.avg_hr, rec.max_hr) == (148.5, 163.0)

    streams = streams_from_strava(streamset, activity_id=4437021783)
    assert len(streams) == 1747
    assert streams.keys == [
        "time",
        "distance",
        "lat",
        "lng",
        "altitude",
        "velocity_smooth",
        "heartrate",
        "cadence",
        "moving",
        "grade_smooth",
    ]
    assert (streams.columns["lat"][0], streams.columns["lng"][0]) == (-8.016994, -34.847439)
    assert set(streams.columns["moving"]) <= {0.0, 1.0}
    assert streams.columns["time"][:2] == [0.0, 4.0]

    laps = laps_from_strava(activity["laps"], start_utc=rec.start_utc)
    assert len(laps) == 13
    assert laps[0].start_offset_s == 0.0 and laps[1].start_offset_s == 426.0
    assert laps[0].distance_m == 1005.34
