"""Every real file in ../shared/data imports as labelled; the bad ones fail with one clear line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncd.errors import FileImportError
from syncd.sources.files import FileItem, discover, import_paths, read_activity
from syncd.sources.records import RUN_SPORTS, ActivityRecord

ACTIVITY_EXT = (".fit", ".tcx", ".gpx")


def _files(data_dir: Path, sub: str) -> list[Path]:
    return sorted(p for p in (data_dir / sub).iterdir() if p.suffix in ACTIVITY_EXT)


def _read(path: Path) -> ActivityRecord:
    (item,) = list(discover([path]))
    assert isinstance(item, FileItem)
    return read_activity(item)


def _check_record(rec: ActivityRecord) -> None:
    assert rec.source == "file" and len(rec.source_id) == 20
    assert rec.start_utc.tzinfo is not None and rec.start_utc.utcoffset().total_seconds() == 0
    json.dumps(rec.raw)  # must be storable as JSON
    assert rec.streams is not None and len(rec.streams) > 0
    t = rec.streams.columns["time"]
    assert all(b > a for a, b in zip(t, t[1:], strict=False)), "time must be increasing"
    for key, col in rec.streams.columns.items():
        assert any(v is not None for v in col), f"all-None column {key} kept"


def test_every_run_imports_as_a_run(data_dir: Path) -> None:
    files = _files(data_dir, "runs")
    assert len(files) >= 10  # the shared data only grows
    for path in files:
        rec = _read(path)
        _check_record(rec)
        assert rec.sport_type in {"Run", "TrailRun"}, path.name
        assert rec.distance_m and rec.distance_m > 4000
        assert rec.elapsed_s and rec.moving_s and rec.moving_s <= rec.elapsed_s + 1


def test_other_files_are_not_runs(data_dir: Path) -> None:
    sports = {p.name: _read(p) for p in _files(data_dir, "other")}
    assert {n: r.sport_type for n, r in sports.items()} == {
        "fitdecode-garmin-fr935-cr.fit": "Swim",
        "garmin-fenix-5-bike.fit": "Ride",
        "sample-activity-indoor-trainer.fit": "Ride",
        "stravalib-sample.tcx": "Ride",
    }
    assert not any(r.is_run for r in sports.values())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("activity-unexpected-eof.fit", "truncated FIT file (unexpected end of file at byte 768)"),
        ("activity-settings-corruptheader.fit", "corrupt FIT file (bad header"),
        ("runpandas-malformed.tcx", "malformed TCX (XML error at line 4653:"),
    ],
)
def test_bad_files_give_one_clear_line(data_dir: Path, name: str, expected: str) -> None:
    with pytest.raises(FileImportError) as err:
        _read(data_dir / "bad" / name)
    assert err.value.reason.startswith(expected)
    assert "\n" not in str(err.value)
    assert err.value.path.endswith(name)


def test_whole_folder_imports_around_the_bad_files(data_dir: Path) -> None:
    results = list(import_paths([data_dir]))
    errors = [r for r in results if isinstance(r, FileImportError)]
    records = [r for r in results if isinstance(r, ActivityRecord)]
    assert len(errors) == 3
    assert {Path(e.path).parent.name for e in errors} == {"bad"}
    runs, others = len(_files(data_dir, "runs")), len(_files(data_dir, "other"))
    assert len(records) == runs + others  # the JSON files are not activity files
    assert sum(r.sport_type in RUN_SPORTS for r in records) == runs


def test_workers_give_the_same_results_in_the_same_order(data_dir: Path) -> None:
    one = list(import_paths([data_dir / "runs", data_dir / "bad"], workers=1))
    two = list(import_paths([data_dir / "runs", data_dir / "bad"], workers=2))
    assert [type(r) for r in one] == [type(r) for r in two]
    for a, b in zip(one, two, strict=True):
        if isinstance(a, FileImportError):
            assert (a.path, a.reason) == (b.path, b.reason)
        else:
            assert a == b


def test_tcx_start_and_distance(data_dir: Path) -> None:
    rec = _read(data_dir / "runs" / "runpandas-2020-12-06T06_36_21-300_Running.tcx")
    assert rec.start_utc == datetime(2020, 12, 6, 9, 36, 21, tzinfo=UTC)
    assert rec.distance_m == pytest.approx(12025, abs=5)
    assert len(rec.laps) == 13 and rec.laps[0].start_offset_s == 0
    assert rec.timezone is None
    # Strava's own numbers for the same run: 4783 s moving, 5145 s elapsed.
    assert rec.moving_s == pytest.approx(4783, rel=0.03)
    assert rec.elapsed_s == pytest.approx(5145, rel=0.01)


def test_fit_positions_are_degrees_and_summary_comes_from_session(data_dir: Path) -> None:
    rec = _read(data_dir / "runs" / "fitparse-2013-02-06-12-11-14.fit")
    lat = [v for v in rec.streams.columns["lat"] if v is not None]
    assert 57 < lat[0] < 58  # 684625100 semicircles
    assert rec.distance_m == pytest.approx(4835.38)
    assert rec.moving_s == pytest.approx(2625.14)
    assert rec.elevation_gain_m == 168
    assert (rec.avg_hr, rec.max_hr) == (147, 171)
    assert rec.raw["session"]["sport"] == "running"
    assert len(rec.laps) == 5


def test_fit_absent_column_is_omitted_and_offset_kept(data_dir: Path) -> None:
    rec = _read(data_dir / "runs" / "fitparse-activity-small-fenix2-run.fit")
    assert rec.streams is not None
    assert "watts" not in rec.streams.columns
    assert rec.raw["utc_offset_s"] == 7200  # from the activity message's local_timestamp
