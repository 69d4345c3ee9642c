"""`syncd pull`: every source of one athlete, once, with a progress bar on a terminal."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from syncd.cli.common import (
    AthleteOption,
    app_of,
    err,
    out,
    parse_date,
    print_classified,
    waiter,
)
from syncd.errors import RateLimitStop


def pull(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(
        help="Backfill no further back than this date (YYYY-MM-DD).")] = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Re-list the whole history (list pages only) to catch old edits "
        "and deletions.")] = False,
    no_wait: Annotated[bool, typer.Option(
        "--no-wait", help="Stop instead of waiting when the 15-minute rate window is spent.")
    ] = False,
    athlete: AthleteOption = None,
) -> None:
    """Pull new and changed Strava activities into the store (one-shot)."""
    from syncd.app.pull import pull as pull_job
    from syncd.app.pull import sources_for

    c = app_of(ctx)
    c.config  # noqa: B018 - a bad config is the first thing to say
    since_d = parse_date(since, "--since") if since else None
    work = sources_for(c, athlete, waiter_for=lambda kind, who: waiter(
        no_wait, kind.name, lambda: len(c.store.pending_streams(who.id, kind.name))))

    def synced(done: Any) -> None:  # before its changes are classified
        bar.pause()
        out.print(done.report.summary_line(), soft_wrap=True)

    with c.writer_lock("syncd pull"), _Progress() as bar:
        outcome = pull_job(c, work, full=full, since=since_d, progress=bar, synced=synced)
    for done in outcome.pulls:
        print_classified(done.classified)
    for done in outcome.pulls:
        if done.report.stopped == "interrupted":
            raise typer.Exit(130)
        if done.report.stopped:
            raise RateLimitStop(done.report.stopped, hint=f"{done.report.remaining} activities "
                                "remain; the next pull resumes.")


class _Progress:
    """A progress bar on a terminal, nothing otherwise (journald wants events, not bars)."""

    def __enter__(self):  # noqa: ANN204
        self.bar: Progress | None = None
        self._start()
        return self

    def _start(self) -> None:
        if err.is_terminal:
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), console=err, transient=True)
            self.bar.start()
            self.tasks: dict[str, Any] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.bar is None:
            self._start()  # the next source, after a pause
            if self.bar is None:
                return
        if phase not in self.tasks:
            label = "Listing pages" if phase == "list" else "Fetching streams"
            self.tasks[phase] = self.bar.add_task(label, total=total or None)
        self.bar.update(self.tasks[phase], completed=done, total=total or None)

    def pause(self) -> None:
        """Off the screen until the next progress, so that a line can be printed."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self.pause()


def register(app: typer.Typer) -> None:
    app.command()(pull)
