"""The coach's plan: which file, importing a training calendar into it, and pinning a run to
a planned session by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncd.errors import ConfigError, SyncdError

if TYPE_CHECKING:
    from syncd.app.context import App
    from syncd.plan import Plan
    from syncd.store.tables import Activity


def plan_path(app: App, given: Path | None) -> Path:
    """The plan file given, else `plan.file`; a ConfigError naming the key without either."""
    path = given or app.config.plan.file
    if path is None:
        raise ConfigError(
            f"Config file {app.config.source}: key 'plan.file' is missing: expected the path of "
            "the coach's plan (see config/plan.example.toml), or give the file on the command "
            "line."
        )
    return path


def load(app: App, given: Path | None = None) -> Plan:
    """The plan, validated (a PlanError names the file, the line and what was expected)."""
    from syncd.plan import load_plan

    return load_plan(plan_path(app, given))


def sessions_from_calendar(app: App, ics: Path) -> tuple[list[Any], str, list[Any]]:
    """A calendar's events as [[session]] entries: (sessions, their TOML, the events skipped
    for having no session type), with `plan.ics_mapping`'s extra rules."""
    from syncd.plan import import_ics, sessions_to_toml

    sessions = import_ics(ics, app.config.plan.ics_mapping or None)
    return list(sessions), sessions_to_toml(list(sessions)), getattr(sessions, "skipped", [])


def append_to_plan(app: App, toml_text: str) -> Path:
    """Append entries to `plan.file`; a plan they would break is put back as it was."""
    from syncd.plan import load_plan

    path = plan_path(app, None)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before.rstrip("\n") + "\n\n" + toml_text, encoding="utf-8")
    try:
        load_plan(path)
    except SyncdError:
        path.write_text(before, encoding="utf-8")  # never leave a broken plan behind
        raise
    return path


def pin(app: App, activity: Activity, day: date) -> None:
    """This run counts for the session planned on `day`; automatic matching never undoes it."""
    app.store.pin_match(activity.id, day)


def unpin(app: App, activity: Activity) -> bool:
    """Forget the hand-made match of this run; False when it had none."""
    return app.store.unpin_match(activity.id)
