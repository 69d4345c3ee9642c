"""Find activity files in what a user points us at: files, folders, .gz, zip exports.

Handles a mounted watch (GARMIN/Activity/*.fit), a Strava bulk export (activities.csv plus
activities/*.fit.gz|gpx|tcx.gz, zipped or unpacked) and a Garmin data export (zips nested in a
zip). Reading is deferred: each `FileItem.read` decompresses on demand, so discovery of a large
export is quick and memory stays flat.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from syncd.errors import FileImportError
from syncd.sources.files.sports import strava_export_sport

KINDS = {".fit": "fit", ".gpx": "gpx", ".tcx": "tcx"}
SUPPORTED = ".fit, .gpx, .tcx (optionally .gz) or a .zip archive"
STRAVA_INDEX = "activities.csv"


@dataclass
class FileItem:
    """One activity file found by `discover`, not yet read."""

    display: str  # human path, e.g. "export.zip!activities/123.fit.gz"
    read: Callable[[], bytes]  # returns the decompressed bytes; raises FileImportError
    kind: str  # "fit" | "gpx" | "tcx"
    hints: dict[str, Any] = field(default_factory=dict)  # from a Strava export's activities.csv


def classify(name: str) -> tuple[str | None, bool, bool]:
    """(activity kind or None, gzipped?, zip archive?) from a file name."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    if lower.endswith(".zip") and not gz:
        return None, False, True
    return KINDS.get(os.path.splitext(lower)[1]), gz, False


def _ignored(name: str) -> bool:
    """Hidden files and macOS resource forks ("._x.fit") look like activities but are not."""
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return base.startswith(".") or name.startswith("__MACOSX/") or "/__MACOSX/" in name


def decompress(raw: bytes, gz: bool, display: str) -> bytes:
    """Gunzip when asked; map gzip's failures onto one-line import errors."""
    if not gz:
        return raw
    try:
        return gzip.decompress(raw)
    except EOFError:
        raise FileImportError(
            display, "truncated gzip file (compressed stream ends early)"
        ) from None
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise FileImportError(display, f"corrupt gzip file ({exc})") from None


@dataclass(frozen=True)
class _PathReader:
    path: str
    gz: bool
    display: str

    def __call__(self) -> bytes:
        try:
            raw = Path(self.path).read_bytes()
        except OSError as exc:
            raise FileImportError(self.display, f"cannot read file ({exc.strerror})") from None
        return decompress(raw, self.gz, self.display)


@dataclass(frozen=True)
class _ZipReader:
    archive: zipfile.ZipFile
    member: str
    gz: bool
    display: str

    def __call__(self) -> bytes:
        try:
            raw = self.archive.read(self.member)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise FileImportError(self.display, f"cannot read archive member ({exc})") from None
        return decompress(raw, self.gz, self.display)


def parse_strava_index(text: str) -> dict[str, dict[str, Any]]:
    """activities.csv of a Strava bulk export -> {"activities/123.gpx": hints}.

    Only the columns we need are read; the export repeats some column names, which is harmless
    here. Rows without a file (manual activities) are skipped.
    """
    hints: dict[str, dict[str, Any]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        filename = (row.get("Filename") or "").strip()
        if not filename:
            continue
        hint = {
            "strava_id": (row.get("Activity ID") or "").strip(),
            "name": (row.get("Activity Name") or "").strip(),
            "sport_type": strava_export_sport(row.get("Activity Type")),
            "activity_date": (row.get("Activity Date") or "").strip(),
        }
        hints[str(PurePosixPath(filename))] = {k: v for k, v in hint.items() if v}
    return hints


def _decode_csv(raw: bytes) -> str:
    return raw.decode("utf-8-sig", errors="replace")


def discover(paths: Iterable[Path | str]) -> Iterator[FileItem | FileImportError]:
    """Every activity file under `paths`, in a stable order; problems come back as errors.

    Files named explicitly must be activities or zips; inside folders and archives anything
    else (photos, csv, json) is skipped silently.
    """
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield from _file(path, str(path), explicit=True, hints={})
        else:
            yield FileImportError(str(path), "no such file or directory")


def _walk(root: Path) -> Iterator[FileItem | FileImportError]:
    hints_by_path: dict[str, dict[str, Any]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if STRAVA_INDEX in filenames:
            try:
                index = parse_strava_index(_decode_csv(Path(dirpath, STRAVA_INDEX).read_bytes()))
            except (OSError, csv.Error):
                index = {}
            for rel, hint in index.items():
                hints_by_path[os.path.normpath(os.path.join(dirpath, rel))] = hint
        for name in sorted(filenames):
            if _ignored(name):
                continue
            full = os.path.join(dirpath, name)
            hint = hints_by_path.get(os.path.normpath(full), {})
            yield from _file(Path(full), full, explicit=False, hints=hint)


def _file(
    path: Path, display: str, *, explicit: bool, hints: dict[str, Any]
) -> Iterator[FileItem | FileImportError]:
    kind, gz, is_zip = classify(path.name)
    if is_zip:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            yield FileImportError(display, f"not a readable zip archive ({_one_line(exc)})")
            return
        yield from _zip(archive, display)
    elif kind is not None:
        yield FileItem(
            display=display, read=_PathReader(str(path), gz, display), kind=kind, hints=hints
        )
    elif explicit:
        yield FileImportError(display, f"unsupported file type (expected {SUPPORTED})")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _zip(archive: zipfile.ZipFile, display: str) -> Iterator[FileItem | FileImportError]:
    """Members of a zip, nested zips expanded in place (Garmin exports nest them)."""
    infos = sorted(
        (i for i in archive.infolist() if not i.is_dir() and not _ignored(i.filename)),
        key=lambda i: i.filename,
    )
    hints: dict[str, dict[str, Any]] = {}
    for info in infos:
        if PurePosixPath(info.filename).name == STRAVA_INDEX:
            prefix = PurePosixPath(info.filename).parent
            try:
                index = parse_strava_index(_decode_csv(archive.read(info)))
            except (zipfile.BadZipFile, zlib.error, OSError, csv.Error):
                continue
            for rel, hint in index.items():
                hints[str(prefix / rel) if str(prefix) != "." else rel] = hint
    for info in infos:
        name = info.filename
        member_display = f"{display}!{name}"
        kind, gz, is_zip = classify(name)
        if is_zip:
            try:
                inner = zipfile.ZipFile(io.BytesIO(archive.read(info)))
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
                yield FileImportError(
                    member_display, f"not a readable zip archive ({_one_line(exc)})"
                )
                continue
            yield from _zip(inner, member_display)
        elif kind is not None:
            yield FileItem(
                display=member_display,
                read=_ZipReader(archive, name, gz, member_display),
                kind=kind,
                hints=hints.get(str(PurePosixPath(name)), {}),
            )
