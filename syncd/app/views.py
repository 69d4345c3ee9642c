"""Read-only views of the store as every shell shows them: an activity as JSON, the list of
activities, one activity with its label, reasons and reps."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from syncd.errors import UsageError

if TYPE_CHECKING:
    from syncd.app.context import App
    from syncd.store.repo import ActivityRow
    from syncd.store.tables import Activity


def activity_json(row: ActivityRow, *, full: bool = False) -> dict[str, Any]:
    """One activity as `syncd activities --format json` prints it; `full` adds the reps and
    what `syncd show` needs."""
    a = row.activity
    cl = row.classification
    data = {
        "id": row.public_id,
        "source": a.primary_source,
        "sources": row.sources,
        "local_id": a.id,
        "start_local": a.start_local.isoformat(),
        "start_utc": a.start_utc.isoformat().replace("+00:00", "Z"),
        "timezone": a.timezone,
        "sport_type": a.sport_type,
        "name": a.name,
        "distance_m": _r(a.distance_m, 1),
        "moving_s": _r(a.moving_s, 0),
        "elapsed_s": _r(a.elapsed_s, 0),
        "elevation_gain_m": _r(a.elevation_gain_m, 1),
        "avg_hr": _r(a.avg_hr, 1),
        "max_hr": _r(a.max_hr, 1),
        "workout_type": a.workout_type,
        "trainer": a.trainer,
        "manual": a.manual,
        "has_streams": a.streams_source is not None,
        "label": cl.label if cl else None,
        "label_source": cl.label_source if cl else None,
        "confidence": round(cl.confidence, 2) if cl else None,
        "reasons": list(cl.reasons) if cl else [],
        "reps": len(cl.reps) if cl else 0,
        "deleted": a.deleted_at is not None,
    }
    if full:
        data["reps_detail"] = list(cl.reps) if cl else []
        data["warmup_s"] = cl.warmup_s if cl else None
        data["cooldown_s"] = cl.cooldown_s if cl else None
        data["classifier_version"] = cl.version if cl else None
    return data


def _r(v: float | None, nd: int) -> float | None:
    if v is None:
        return None
    return round(v, nd) if nd else int(round(v))


def activities(app: App, athlete: str | None, *, since: date | None = None,
               until: date | None = None, deleted: bool = False) -> list[dict[str, Any]]:
    """Stored activities as JSON records, oldest first, between two athlete-local dates
    (both included); an empty store has none."""
    store = app.store
    if not store.athletes():
        return []
    who = app.athlete(athlete)
    rows = store.activities(
        who.id,
        since=datetime.combine(since, datetime.min.time()) if since else None,
        until=datetime.combine(until + timedelta(days=1), datetime.min.time()) if until else None,
        deleted=deleted,
    )
    return [activity_json(r) for r in rows]


def find_activity(app: App, ident: str, athlete: str | None) -> Activity:
    """The activity `ident` names (the id `syncd activities` prints, or the store's own id),
    or a UsageError."""
    who = app.athlete(athlete)
    activity = app.store.find_activity(who.id, ident)
    if activity is None:
        raise UsageError(f"No stored activity has the id {ident!r}.",
                         hint="`syncd activities` lists the ids.")
    return activity


def show(app: App, ident: str, athlete: str | None) -> tuple[ActivityRow, dict[str, Any]]:
    """One activity, fetched alone: its row (for a text view) and its full JSON record."""
    activity = find_activity(app, ident, athlete)
    assert activity.id is not None
    row = app.store.activity_row(activity.id)
    assert row is not None
    return row, activity_json(row, full=True)


def status(app: App) -> dict[str, Any]:
    """Health for people and monitoring (see `syncd.status.collect`): what the daemon last
    did, from the store alone; secrets are opened only when an athlete is linked."""
    from syncd.status import collect

    return collect(app.config, app.store, app.secrets)
