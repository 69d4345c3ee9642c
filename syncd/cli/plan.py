"""`syncd plan check`, `syncd plan import` (a training calendar to [[session]] entries) and
`syncd match` (a run pinned to a planned session by hand)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from syncd.app import views
from syncd.cli.common import (
    ActivityId,
    AthleteOption,
    app_of,
    command_group,
    err,
    out,
    parse_date,
)
from syncd.errors import UsageError

group = command_group("Check the coach's plan, or import one from a calendar.")


@group.command("check")
def plan_check(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(
        help="Plan file (default: plan.file from the config).")] = None,
) -> None:
    """Validate the plan file and print the weeks it describes."""
    from syncd.app.plan import load
    from syncd.plan import describe_plan

    plan = load(app_of(ctx), file)
    race = f"; race: {plan.race.name} on {plan.race.date}" if plan.race else ""
    out.print(f"{plan.name}: {plan.start} to {plan.end}{race}", soft_wrap=True)
    for line in describe_plan(plan):
        out.print(line, soft_wrap=True, highlight=False)


@group.command("import")
def plan_import(
    ctx: typer.Context,
    ics: Annotated[Path, typer.Argument(
        help="Calendar (.ics) exported from TrainingPeaks, intervals.icu or Final Surge.")],
    append: Annotated[bool, typer.Option(
        "--append", help="Append the sessions to plan.file instead of printing them.")] = False,
) -> None:
    """Turn a training calendar into dated [[session]] entries of a plan file."""
    from syncd.app.plan import append_to_plan, sessions_from_calendar

    c = app_of(ctx)
    if not ics.is_file():
        raise UsageError(f"{ics}: no such file.")
    sessions, text, skipped = sessions_from_calendar(c, ics)
    if append:
        path = append_to_plan(c, text)
        out.print(f"appended {len(sessions)} sessions to {path}")
    else:
        sys.stdout.write(text)
    for event in skipped:
        err.print(f"skipped (no session type in its summary): {event}", soft_wrap=True,
                  highlight=False)


def match(
    ctx: typer.Context,
    activity_id: ActivityId,
    day: Annotated[str | None, typer.Argument(
        help="The planned session's date (YYYY-MM-DD) this run counts for.")] = None,
    remove: Annotated[bool, typer.Option(
        "--remove", help="Forget the hand-made match of this activity.")] = False,
    athlete: AthleteOption = None,
) -> None:
    """Pin a run to a planned session by hand; automatic matching never undoes it."""
    from syncd.app.plan import pin, unpin

    c = app_of(ctx)
    activity = views.find_activity(c, activity_id, athlete)
    if remove:
        out.print(f"{activity_id}: hand-made match removed" if unpin(c, activity)
                  else f"{activity_id} had no hand-made match")
        return
    if day is None:
        raise UsageError("Give the DATE of the planned session (or --remove).")
    d = parse_date(day, "DATE")
    pin(c, activity, d)
    out.print(f"{activity_id} now counts for the session planned on {d}")


def register(app: typer.Typer) -> None:
    app.command()(match)
