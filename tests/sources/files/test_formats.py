"""FIT/GPX/TCX parsing details on synthetic files, and the sport mapping."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime

import pytest
import synth
from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.errors import FileImportError
from syncd.sources.files import parse
from syncd.sources.files.sports import fit_sport, gpx_sport, strava_export_sport, tcx_sport

START = datetime(2024, 3, 2, 7, 0, tzinfo=UTC)


def test_fit_streams_and_summary(short_run: dict, short_fit: bytes) -> None:
    rec = parse(short_fit, "fit", "easy.fit")
    cols = rec.streams.columns
    assert rec.start_utc == START and rec.sport_type == "Run" and not rec.trainer
    assert set(cols) == {
        "time",
        "distance",
        "lat",
        "lng",
        "altitude",
        "velocity_smooth",
        "heartrate",
        "cadence",
    }
    assert cols["time"][:3] == [0.0, 1.0, 2.0] and len(cols["time"]) == 300
    assert cols["lat"][10] == pytest.approx(short_run["lat"][10], abs=1e-6)
    assert cols["altitude"][10] == pytest.approx(short_run["altitude"][10], abs=0.2)
    assert cols["velocity_smooth"][10] == pytest.approx(short_run["speed"][10], abs=0.002)
    assert rec.distance_m == pytest.approx(short_run["distance"][-1], abs=0.01)
    assert rec.moving_s == rec.elapsed_s == 300
    assert rec.max_hr == max(short_run["heartrate"])
    assert rec.raw["utc_offset_s"] == 3600 and rec.timezone is None


def test_fit_laps_and_workout_steps(intervals_fit: bytes) -> None:
    rec = parse(intervals_fit, "fit", "intervals.fit")
    assert len(rec.laps) == 18
    assert [lap.intensity for lap in rec.laps[:4]] == ["warmup", "active", "rest", "active"]
    assert [lap.workout_step for lap in rec.laps[:3]] == [0, 1, 2]
    fast = rec.laps[1]
    assert fast.start_offset_s == 900 and fast.distance_m == pytest.approx(200, abs=10)
    assert fast.avg_speed and fast.avg_speed > 4.5
    assert rec.laps[-1].intensity == "cooldown"
    assert len(rec.workout_steps) == 18
    step = rec.workout_steps[1]
    assert step["wkt_step_name"] == "200 m fast" and step["duration_type"] == "distance"
    assert step["duration_value"] == 200 and step["intensity"] == "active"
    text = json.dumps({"raw": rec.raw, "steps": rec.workout_steps})
    assert len(text) < 4000  # a summary, not the streams
    assert pickle.loads(pickle.dumps(rec)) == rec  # crosses the worker pool


def _fit_from_rows(rows: list[tuple[int | None, int | None]], sub_sport: str = "generic") -> bytes:
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

    ms = int(START.timestamp()) * 1000
    b = FitFileBuilder(auto_define=True)
    fid = FileIdMessage()
    fid.type = FileType.ACTIVITY
    fid.manufacturer = Manufacturer.DEVELOPMENT.value
    fid.time_created = ms
    b.add(fid)
    for t, hr in rows:
        r = RecordMessage()
        if t is not None:
            r.timestamp = ms + t * 1000
        if hr is not None:
            r.heart_rate = hr
        b.add(r)
    s = SessionMessage()
    s.start_time = ms
    s.sport = Sport.RUNNING
    s.sub_sport = SubSport[sub_sport.upper()]
    b.add(s)
    return b.build_bytes()


def test_fit_drops_untimed_and_out_of_order_samples() -> None:
    data = _fit_from_rows(
        [(0, 100), (1, 101), (2, None), (1, 150), (2, 102), (None, 160), (3, 103)]
    )
    rec = parse(data, "fit", "x.fit")
    assert rec.streams.columns["time"] == [0.0, 1.0, 2.0, 3.0]
    assert rec.streams.columns["heartrate"] == [100, 101, 102, 103]  # same second merged
    assert set(rec.streams.columns) == {"time", "heartrate"}
    assert rec.moving_s is None  # nothing tells us whether they moved


def test_fit_treadmill_is_a_trainer_run() -> None:
    rec = parse(_fit_from_rows([(0, 100), (1, 100)], "treadmill"), "fit", "x.fit")
    assert (rec.sport_type, rec.trainer) == ("Run", True)


@settings(max_examples=25, deadline=None)
@given(cut=st.integers(min_value=1, max_value=2000))
def test_fit_cut_anywhere_is_a_clean_error(short_fit: bytes, cut: int) -> None:
    data = short_fit[: len(short_fit) - cut]
    with pytest.raises(FileImportError) as err:
        parse(data, "fit", "cut.fit")
    assert "\n" not in err.value.reason
    assert err.value.reason.startswith(("truncated FIT file", "not a FIT file", "corrupt FIT"))


def test_fit_that_is_not_an_activity() -> None:
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer

    b = FitFileBuilder(auto_define=True)
    fid = FileIdMessage()
    fid.type = FileType.SETTINGS
    fid.manufacturer = Manufacturer.DEVELOPMENT.value
    b.add(fid)
    with pytest.raises(FileImportError, match="not an activity FIT file .file type 'settings'"):
        parse(b.build_bytes(), "fit", "settings.fit")


def test_gpx_derives_distance_speed_and_moving(short_run: dict) -> None:
    rec = parse(synth.write_gpx(short_run).encode(), "gpx", "run.gpx")
    cols = rec.streams.columns
    assert rec.sport_type == "Run" and rec.name == "Easy run"
    assert {"heartrate", "cadence", "distance", "velocity_smooth"} <= set(cols)
    assert rec.distance_m == pytest.approx(short_run["distance"][-1], rel=0.01)
    assert cols["velocity_smooth"][100] == pytest.approx(short_run["speed"][100], abs=0.3)
    assert rec.moving_s == pytest.approx(299, abs=3)
    assert rec.elevation_gain_m is not None and rec.avg_hr is not None
    assert rec.laps == [] and rec.raw["points"] == 300


def test_gpx_without_times_is_rejected() -> None:
    gpx = (
        '<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        '<trkpt lat="1" lon="2"/><trkpt lat="1.001" lon="2"/></trkseg></trk></gpx>'
    )
    with pytest.raises(FileImportError, match="GPX track has no timestamps .2 points"):
        parse(gpx.encode(), "gpx", "route.gpx")


def test_tcx_laps_and_strava_leading_spaces(short_run: dict) -> None:
    text = "          " + synth.write_tcx(short_run, every=5)  # as Strava exports them
    rec = parse(text.encode(), "tcx", "x.tcx")
    assert rec.start_utc == START and rec.sport_type == "Run"
    assert len(rec.streams) == 61 and rec.streams.columns["time"][-1] == 299
    assert rec.laps[0].distance_m == pytest.approx(short_run["distance"][-1], abs=0.01)
    assert rec.streams.columns["cadence"][1] == short_run["cadence"][5]


def test_tcx_naive_times_are_utc_and_errors_are_one_line() -> None:
    tcx = (
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        '<Activities><Activity Sport="Other"><Id>2024-03-02T07:00:00</Id><Lap>'
        "<Track><Trackpoint><Time>2024-03-02T07:00:05</Time></Trackpoint></Track>"
        "</Lap></Activity></Activities></TrainingCenterDatabase>"
    )
    rec = parse(tcx.encode(), "tcx", "x.tcx")
    assert rec.start_utc == START and rec.sport_type == "Workout"
    with pytest.raises(FileImportError) as err:
        parse(tcx.replace("</Lap>", "").encode(), "tcx", "x.tcx")
    assert err.value.reason.startswith("malformed TCX (XML error at line 1:")
    with pytest.raises(FileImportError, match="TCX file has no activity"):
        parse(
            tcx.replace("Activities", "Courses").replace("Activity", "Course").encode(),
            "tcx",
            "x.tcx",
        )


@pytest.mark.parametrize(
    ("sport", "sub", "expected"),
    [
        ("running", "generic", ("Run", False)),
        ("running", "trail", ("TrailRun", False)),
        ("running", "treadmill", ("Run", True)),
        ("running", "indoor_running", ("Run", True)),
        ("running", "virtual_activity", ("VirtualRun", False)),
        ("cycling", "indoor_cycling", ("Ride", True)),
        ("cycling", "virtual_activity", ("VirtualRide", False)),
        ("cycling", None, ("Ride", False)),
        ("swimming", "lap_swimming", ("Swim", False)),
        ("walking", None, ("Walk", False)),
        ("hiking", None, ("Hike", False)),
        (254, None, (None, False)),
    ],
)
def test_fit_sport_mapping(sport: object, sub: object, expected: tuple) -> None:
    assert fit_sport(sport, sub) == expected


def test_other_sport_mappings() -> None:
    assert [tcx_sport(s) for s in ("Running", "Biking", "Other", None)] == [
        "Run",
        "Ride",
        None,
        None,
    ]
    assert [gpx_sport(t) for t in ("running", "9", "run", "cycling", "1", "ride")] == [
        "Run",
        "Run",
        "Run",
        "Ride",
        "Ride",
        "Ride",
    ]
    assert gpx_sport(None, "Evening Ride") == "Ride" and gpx_sport("kitesurf") is None
    assert strava_export_sport("Virtual Ride") == "VirtualRide"
    assert strava_export_sport("E-Bike Ride") == "EBikeRide"
