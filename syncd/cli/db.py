"""`syncd db upgrade` (the schema) and `syncd db rederive` (columns rebuilt from raw JSON)."""

from __future__ import annotations

import typer

from syncd.cli.common import AthleteOption, app_of, command_group, out, print_classified

group = command_group("Look after the database schema.")


@group.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Migrate the database to the newest schema (the other commands also do it at start)."""
    from syncd.store.db import current_revision, make_engine, upgrade

    engine = make_engine(app_of(ctx).config.database_url())
    ran = upgrade(engine)
    out.print(f"schema at revision {current_revision(engine)}"
              f"{' (upgraded)' if ran else ' (already current)'}")


@group.command("rederive")
def db_rederive(ctx: typer.Context, athlete: AthleteOption = None) -> None:
    """Rebuild stored activities' columns from their raw JSON, offline (after a converter fix).

    No API calls and no files needed; activities whose columns changed are classified again.
    """
    from syncd.app.files import rederive

    c = app_of(ctx)
    if not c.store.athletes():
        out.print("rederived 0 activities: 0 changed")
        return
    who = c.athlete(athlete)
    with c.writer_lock("syncd db rederive"):
        report, classified = rederive(c, who)
    out.print(report.summary_line(), soft_wrap=True)
    print_classified(classified)
