"""`syncd digest`: a week held against the plan, in the terminal or as Markdown, HTML or JSON,
and posted to `digest.post_to` once per week and sink."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from syncd.cli.common import AthleteOption, app_of, err, out, waiter
from syncd.errors import SyncdError, UsageError


def digest(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option(
        help="ISO week, e.g. 2025-W11 (default: the last complete week).")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="text, markdown, html or json.")] = "text",
    post: Annotated[bool, typer.Option(
        "--post", help="Post to the sinks in digest.post_to (once per week and sink).")
    ] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="With --post: post again to sinks that already have this week.")
    ] = False,
    athlete: AthleteOption = None,
) -> None:
    """The weekly adherence digest: planned sessions against what was run."""
    from syncd.app import digest as digests
    from syncd.digest import FORMATS, render
    from syncd.digest.text import print_text

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    c = app_of(ctx)
    who = c.athlete(athlete)
    report = digests.week(c, who, week)
    if fmt == "text" and out.is_terminal:
        print_text(report, out)
    else:
        sys.stdout.write(render(report, fmt).rstrip("\n") + "\n")
    if not post:
        return
    digests.check_sinks(c)
    results = digests.post(c, who, report, force=force, waiter=waiter(no_wait=False))
    for r in results:
        state = "already posted" if r.skipped else ("posted" if r.ok else f"FAILED: {r.error}")
        err.print(f"{r.sink}: {state}", soft_wrap=True, highlight=False)
    failed = [r for r in results if not r.ok]
    if failed:
        raise SyncdError(f"{len(failed)} of {len(results)} digest sinks failed; "
                         "they are tried again on the next post.")


def register(app: typer.Typer) -> None:
    app.command()(digest)
