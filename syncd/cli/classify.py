"""`syncd classify` (again, after a threshold or classifier change) and `syncd tag` (by hand)."""

from __future__ import annotations

from typing import Annotated

import typer

from syncd.cli.common import ActivityId, AthleteOption, app_of, out, parse_date
from syncd.errors import UsageError


def classify_cmd(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(
        help="Re-classify activities from this local date (YYYY-MM-DD).")] = None,
    all_: Annotated[bool, typer.Option(
        "--all", help="Re-classify every stored activity.")] = False,
    athlete: AthleteOption = None,
) -> None:
    """Classify activities again, after a threshold or classifier version change.

    Without options, only activities never classified by this classifier version.
    User labels (`syncd tag`) are kept.
    """
    from syncd.app.classify import reclassify

    if since and all_:
        raise UsageError("Give --since DATE or --all, not both.")
    c = app_of(ctx)
    who = c.athlete(athlete)
    s = parse_date(since, "--since") if since else None
    report = reclassify(c, who, since=s, everything=all_)
    out.print(report.summary_line(), soft_wrap=True)


def tag(
    ctx: typer.Context,
    activity_id: ActivityId,
    label: Annotated[str, typer.Argument(help="easy, hill, interval, long, race or other.")],
    athlete: AthleteOption = None,
) -> None:
    """Set an activity's label by hand; re-classification never overwrites it."""
    from syncd.app.classify import tag as tag_job

    tag_job(app_of(ctx), activity_id, label, athlete)
    out.print(f"{activity_id}: {label} (set by you)")


def register(app: typer.Typer) -> None:
    app.command("classify")(classify_cmd)
    app.command()(tag)
