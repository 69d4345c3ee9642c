"""Import activity files into the store: each file commits on its own, bad files are reported
one line each and the rest goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from syncd.errors import FileImportError
from syncd.sources.files import import_paths
from syncd.store.repo import Store
from syncd.store.tables import Athlete

log = structlog.get_logger("syncd.import")


@dataclass
class ImportReport:
    new: int = 0
    merged: int = 0  # the same activity already came from another source
    unchanged: int = 0  # this very file was imported before
    errors: list[FileImportError] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.new + self.merged + self.unchanged + len(self.errors)

    def summary_line(self) -> str:
        return (
            f"{self.files} files: {self.new} new, {self.merged} merged with an activity already "
            f"stored, {self.unchanged} already imported, {len(self.errors)} unreadable"
        )


def import_files(
    store: Store,
    athlete: Athlete,
    paths: Iterable[Path],
    *,
    default_tz: str,
    workers: int = 1,
    on_item: Callable[[str, str], None] | None = None,
) -> ImportReport:
    assert athlete.id is not None
    report = ImportReport()
    for item in import_paths(list(paths), workers=workers):
        if isinstance(item, FileImportError):
            report.errors.append(item)
            log.warning("import.skip", path=item.path, reason=item.reason)
            if on_item:
                on_item(item.path, "error")
            continue
        result = store.save_activity(athlete.id, item, default_tz=default_tz)
        if result.status == "new":
            report.new += 1
        elif result.status in ("merged", "updated", "restored"):
            report.merged += 1
        else:
            report.unchanged += 1
        if result.status != "unchanged":
            report.changed_ids.append(result.activity_id)
        log.info("import.file", path=item.origin, status=result.status,
                 activity=result.activity_id)
        if on_item:
            on_item(item.origin or "", result.status)
    return report
