"""Discovery: folders, .gz, Strava and Garmin zip exports, junk, and broken containers."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import synth

from syncd.errors import FileImportError
from syncd.sources.files import FileItem, discover, import_paths, read_activity
from syncd.sources.records import ActivityRecord

START = datetime(2024, 3, 2, 7, 0, tzinfo=UTC)  # as in conftest

CSV = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Filename,Distance\n"
    '101,"Mar 2, 2024, 7:00:00 AM",Sunday hills,Trail Run,,300,1.0,activities/101.gpx,1000\n'
    '102,"Mar 3, 2024, 7:00:00 AM",Tempo,Run,,300,1.0,activities/102.fit.gz,1000\n'
    '103,"Mar 4, 2024, 7:00:00 AM",Gym,Weight Training,,3600,0,,0\n'
)


def _gpx_without_type(run: dict) -> bytes:
    text = synth.write_gpx(run, every=5)
    return text.replace("<type>running</type>", "").replace("<name>Easy run</name>", "").encode()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _records(results: list) -> list[ActivityRecord]:
    return [r for r in results if isinstance(r, ActivityRecord)]


def _errors(results: list) -> list[FileImportError]:
    return [r for r in results if isinstance(r, FileImportError)]


@pytest.fixture
def strava_entries(short_run: dict, short_fit: bytes) -> dict[str, bytes]:
    return {
        "activities.csv": CSV.encode(),
        "activities/101.gpx": _gpx_without_type(short_run),
        "activities/102.fit.gz": gzip.compress(short_fit, mtime=0),
        "media/photo.jpg": b"\xff\xd8\xff\xe0 not really",
        "profile.csv": b"a,b\n",
    }


def test_strava_export_zip_uses_hints(tmp_path: Path, strava_entries: dict[str, bytes]) -> None:
    export = tmp_path / "export_123.zip"
    export.write_bytes(_zip(strava_entries))
    items = list(discover([export]))
    assert [i.display for i in items] == [
        f"{export}!activities/101.gpx",
        f"{export}!activities/102.fit.gz",
    ]
    gpx, fit = (read_activity(i) for i in items)  # type: ignore[arg-type]
    # The GPX says neither its name nor its sport: both come from activities.csv.
    assert (gpx.name, gpx.sport_type, gpx.other_ids) == (
        "Sunday hills",
        "TrailRun",
        {"strava": "101"},
    )
    # The FIT knows its sport; the name and the Strava id come from the export.
    assert (fit.name, fit.sport_type, fit.other_ids) == ("Tempo", "Run", {"strava": "102"})
    assert fit.raw["hints"]["strava_id"] == "102"
    assert fit.origin == f"{export}!activities/102.fit.gz"


def test_unpacked_strava_export_folder(tmp_path: Path, strava_entries: dict[str, bytes]) -> None:
    for name, data in strava_entries.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    records = _records(list(import_paths([tmp_path])))
    assert [r.other_ids for r in records] == [{"strava": "101"}, {"strava": "102"}]


def test_garmin_export_nested_zip(tmp_path: Path, short_fit: bytes) -> None:
    inner = _zip({"user@example.com_1.fit": short_fit, "user@example.com_2.fit": short_fit[:500]})
    outer = _zip(
        {
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner,
            "DI_CONNECT/DI-Connect-User/user_profile.json": b"{}",
        }
    )
    (tmp_path / "garmin.zip").write_bytes(outer)
    results = list(import_paths([tmp_path / "garmin.zip"]))
    assert len(_records(results)) == 1
    (err,) = _errors(results)
    assert err.path.endswith("UploadedFiles_0-_Part1.zip!user@example.com_2.fit")
    assert err.reason.startswith("truncated FIT file")


def test_gz_and_plain_give_the_same_id(tmp_path: Path, short_fit: bytes) -> None:
    (tmp_path / "a.fit").write_bytes(short_fit)
    (tmp_path / "b.FIT.gz").write_bytes(gzip.compress(short_fit))
    a, b = _records(list(import_paths([tmp_path])))
    assert a.source_id == b.source_id
    assert a.origin != b.origin


def test_folder_walk_skips_junk_and_is_sorted(tmp_path: Path, short_fit: bytes) -> None:
    watch = tmp_path / "GARMIN" / "Activity"
    watch.mkdir(parents=True)
    (watch / "B2.FIT").write_bytes(short_fit)
    (watch / "A1.FIT").write_bytes(short_fit)
    (tmp_path / "GARMIN" / "settings.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "summary.csv.gz").write_bytes(gzip.compress(b"a,b"))
    (tmp_path / "._A1.FIT").write_bytes(b"\x00\x05\x16\x07 resource fork")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.fit").write_bytes(b"junk")
    items = list(discover([tmp_path]))
    assert [Path(i.display).name for i in items] == ["A1.FIT", "B2.FIT"]
    assert all(isinstance(i, FileItem) and i.kind == "fit" for i in items)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.fit", b"", "empty file"),
        ("empty.gpx", b"  \n", "empty file"),
        ("zero.fit.gz", b"", "empty file"),
        ("notgz.tcx.gz", b"plain text", "corrupt gzip file"),
        ("text.fit", b"hello, this is not a FIT file at all", "not a FIT file (corrupt header)"),
    ],
)
def test_broken_files(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    (err,) = list(import_paths([tmp_path / name]))
    assert isinstance(err, FileImportError)
    assert err.reason.startswith(reason)
    assert "\n" not in err.reason


def test_truncated_gz(tmp_path: Path, short_fit: bytes) -> None:
    data = gzip.compress(short_fit)
    (tmp_path / "cut.fit.gz").write_bytes(data[: len(data) // 2])
    (err,) = list(import_paths([tmp_path]))
    assert isinstance(err, FileImportError)
    assert err.reason == "truncated gzip file (compressed stream ends early)"


def test_explicit_paths_that_are_not_activities(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    results = list(discover([tmp_path / "notes.txt", tmp_path / "broken.zip", tmp_path / "nope"]))
    assert [type(r) for r in results] == [FileImportError] * 3
    reasons = [r.reason for r in results]  # type: ignore[union-attr]
    assert reasons[0].startswith("unsupported file type")
    assert reasons[1].startswith("not a readable zip archive")
    assert reasons[2] == "no such file or directory"


def test_broken_zip_inside_folder_is_reported_and_rest_goes_on(
    tmp_path: Path, short_fit: bytes
) -> None:
    (tmp_path / "a.fit").write_bytes(short_fit)
    (tmp_path / "bad.zip").write_bytes(b"garbage")
    results = list(import_paths([tmp_path]))
    assert [type(r) for r in results] == [ActivityRecord, FileImportError]


def test_gpx_with_no_points(tmp_path: Path) -> None:
    (tmp_path / "empty.gpx").write_text(
        '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        "<trk><name>x</name><trkseg></trkseg></trk></gpx>"
    )
    (err,) = list(import_paths([tmp_path]))
    assert isinstance(err, FileImportError)
    assert err.reason == "GPX file has no track points (empty track)"


def test_items_survive_the_generator(tmp_path: Path, short_fit: bytes) -> None:
    """Items from a zip stay readable after discovery has finished."""
    (tmp_path / "x.zip").write_bytes(_zip({"a.fit": short_fit}))
    items = list(discover([tmp_path / "x.zip"]))
    assert read_activity(items[0]).start_utc == START  # type: ignore[arg-type]
