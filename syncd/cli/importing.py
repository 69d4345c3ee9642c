"""`syncd import`: activity files, folders and export archives, without any API call."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from syncd.cli.common import AthleteOption, app_of, out, print_classified
from syncd.logs import redact


def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(
        help="FIT/GPX/TCX files (optionally .gz), folders of them, or Strava/Garmin "
        "export ZIP archives.")],
    athlete: AthleteOption = None,
    workers: Annotated[int | None, typer.Option(
        help="Parallel parsers (default: import.workers, 0 = one per CPU).")] = None,
) -> None:
    """Import activity files without spending any API budget."""
    from syncd.app import files

    c = app_of(ctx)
    n = files.worker_count(c, workers)  # reads the config: a bad one is the first thing to say
    files.check_paths(paths)
    who = c.athlete(athlete, create=True)
    with c.writer_lock("syncd import"):
        report, classified = files.import_files(c, who, paths, workers=n)
    print_classified(classified)
    for e in report.errors:
        # One line per bad file in the command's output; the log has the structured event.
        out.print(f"[red]skipped[/] {redact(str(e))}", soft_wrap=True, highlight=False)
    out.print(report.summary_line(), soft_wrap=True)
    if report.errors and report.files == len(report.errors):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
