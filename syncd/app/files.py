"""Activity files: an import (each file committed on its own, then what changed classified),
the daemon's watched folder, and the offline rederive of stored activities."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from syncd.errors import UsageError

if TYPE_CHECKING:
    from syncd.app.context import App
    from syncd.jobs.classify import ClassifyReport
    from syncd.jobs.importer import ImportReport
    from syncd.store.rederive import RederiveReport
    from syncd.store.tables import Athlete


def check_paths(paths: Iterable[Path]) -> None:
    """A UsageError for the first path that does not exist."""
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder.")


def worker_count(app: App, workers: int | None) -> int:
    """Parallel parsers: as given, else `import.workers`; 0 means one per CPU."""
    n = app.config.imports.workers if workers is None else workers
    return n or (os.cpu_count() or 1)


def import_files(
    app: App, who: Athlete, paths: Iterable[Path], *, workers: int = 1,
    on_item: Callable[[str, str], None] | None = None,
) -> tuple[ImportReport, ClassifyReport | None]:
    """Import files for `who`, then classify the activities they added or changed."""
    from syncd.app.classify import classify_changed
    from syncd.jobs.importer import import_files as import_

    report = import_(app.store, who, paths, default_tz=app.config.athlete.timezone,
                     workers=workers, on_item=on_item)
    return report, classify_changed(app, who, report.changed_ids)


def new_watched_files(app: App, seen: Iterable[str]) -> list[Path] | None:
    """The files in `import.watch` not in `seen`, oldest name first; None when the folder is
    not configured or not mounted."""
    folder = app.config.imports.watch
    if folder is None or not folder.is_dir():
        return None
    known = set(seen)
    return sorted(p for p in folder.iterdir() if p.is_file() and str(p) not in known)


def rederive(app: App, who: Athlete) -> tuple[RederiveReport, ClassifyReport | None]:
    """Rebuild `who`'s activity columns from the stored raw JSON, then classify the activities
    whose columns changed."""
    from syncd.app.classify import classify_changed
    from syncd.store.rederive import rederive_activities

    report = rederive_activities(app.store, who.id, default_tz=app.config.athlete.timezone)
    return report, classify_changed(app, who, report.changed_ids)
