"""Activity files (FIT, GPX, TCX; plain, gzipped or in zip exports) as `ActivityRecord`s.

    for result in import_paths([Path("export.zip"), Path("/media/GARMIN/Activity")]):
        if isinstance(result, FileImportError): report(result) else: store(result)

A bad file never stops an import: it comes back as a `FileImportError` in the stream of results,
in the position the file had, and the import goes on.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from syncd.errors import FileImportError
from syncd.sources.files.archive import FileItem, discover
from syncd.sources.files.fit import fields_from_raw as fit_fields
from syncd.sources.files.fit import read_fit
from syncd.sources.files.gpx import fields_from_raw as gpx_fields
from syncd.sources.files.gpx import read_gpx
from syncd.sources.files.tcx import fields_from_raw as tcx_fields
from syncd.sources.files.tcx import read_tcx
from syncd.sources.records import ActivityRecord

__all__ = ["FileItem", "FileImportError", "discover", "fields_from_raw", "import_paths",
           "read_activity", "parse"]

_READERS = {"fit": read_fit, "gpx": read_gpx, "tcx": read_tcx}
_RAW_FIELDS = {"fit": fit_fields, "gpx": gpx_fields, "tcx": tcx_fields}


def fields_from_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """The activity columns a stored file's raw JSON gives (see each reader's own function).

    Only what the raw JSON determines; {} for a raw JSON of no known format.
    """
    reader = _RAW_FIELDS.get(str(raw.get("format")))
    return reader(raw) if reader is not None else {}


def parse(
    data: bytes, kind: str, display: str, hints: dict[str, Any] | None = None
) -> ActivityRecord:
    """Parse already-read bytes; raises FileImportError with a one-line reason."""
    hints = hints or {}
    reader = _READERS.get(kind)
    if reader is None:
        raise FileImportError(display, f"unsupported file kind '{kind}'")
    if not data.strip():
        raise FileImportError(display, "empty file")
    try:
        return reader(data, display, hints)
    except FileImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd input must not stop an import
        text = " ".join(str(exc).split())
        raise FileImportError(
            display, f"cannot read {kind.upper()} file ({type(exc).__name__}: {text})"
        ) from None


def read_activity(item: FileItem) -> ActivityRecord:
    """Read, decompress and parse one discovered file."""
    return parse(_read(item), item.kind, item.display, item.hints)


def _read(item: FileItem) -> bytes:
    try:
        return item.read()
    except FileImportError:
        raise
    except OSError as exc:
        raise FileImportError(item.display, f"cannot read file ({exc})") from None


def import_paths(
    paths: Iterable[Path | str], *, workers: int = 1
) -> Iterator[ActivityRecord | FileImportError]:
    """Discover and parse, in discovery order; `workers > 1` parses in a process pool.

    The parent reads and decompresses (I/O, cheap), workers parse (CPU, the slow part). At most
    a few files per worker are in flight, so a large export never sits in memory at once.
    """
    items = discover(paths)
    if workers <= 1:
        for item in items:
            if isinstance(item, FileImportError):
                yield item
                continue
            try:
                yield read_activity(item)
            except FileImportError as exc:
                yield exc
        return

    # spawn: safe whatever threads the calling service runs (fork is not)
    ctx = multiprocessing.get_context("spawn")
    window = workers * 4
    with ctx.Pool(workers) as pool:
        pending: deque[Any] = deque()
        for item in items:
            if isinstance(item, FileImportError):
                pending.append(item)
            else:
                try:
                    data = _read(item)
                except FileImportError as exc:
                    pending.append(exc)
                else:
                    args = (data, item.kind, item.display, item.hints)
                    pending.append(pool.apply_async(_parse_in_worker, args))
            while len(pending) > window or (pending and _ready(pending[0])):
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())


def _ready(entry: Any) -> bool:
    return isinstance(entry, FileImportError) or entry.ready()


def _result(entry: Any) -> ActivityRecord | FileImportError:
    if isinstance(entry, FileImportError):
        return entry
    outcome = entry.get()
    if isinstance(outcome, tuple):  # ("error", path, reason): see _parse_in_worker
        return FileImportError(outcome[1], outcome[2])
    return outcome


def _parse_in_worker(
    data: bytes, kind: str, display: str, hints: dict[str, Any]
) -> ActivityRecord | tuple[str, str, str]:
    """Errors travel as tuples: FileImportError's constructor does not survive pickling."""
    try:
        return parse(data, kind, display, hints)
    except FileImportError as exc:
        return ("error", exc.path, exc.reason)
