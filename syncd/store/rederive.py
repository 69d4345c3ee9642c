"""Re-derive activity columns from the raw JSON the store keeps (`syncd db rederive`).

Every source link keeps its source's raw JSON, so a fix in a converter (syncd/sources/) can
reach the activities already stored without pulling or importing again, as strava-offline
does. Nothing is classified here: the caller classifies the activities reported as changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlmodel import Session, col, select

from syncd.sources import fields_from_raw
from syncd.sources.merge import default_name
from syncd.store.repo import SUMMARY_COLUMNS, Store, local_wallclock
from syncd.store.tables import Activity, ActivitySource, utcnow

log = structlog.get_logger("syncd.store")

# The columns the converters fill; start_local follows from start_utc and timezone.
DERIVED_COLUMNS = ("start_utc", "timezone", "start_local", "sport_type", *SUMMARY_COLUMNS)
_FROM_RAW = frozenset(DERIVED_COLUMNS) - {"start_local"}
_CHUNK = 200


@dataclass
class RederiveReport:
    activities: int = 0  # live activities looked at
    changed_ids: list[int] = field(default_factory=list)  # oldest first
    unreadable: int = 0  # source links whose raw JSON their converter rejected

    def summary_line(self) -> str:
        line = f"rederived {self.activities} activities: {len(self.changed_ids)} changed"
        if self.unreadable:
            line += (f"; {self.unreadable} sources' raw JSON could not be read (their columns "
                     "left as they were, see the log)")
        return line


def rederive_activities(store: Store, athlete_id: int, *, default_tz: str) -> RederiveReport:
    """Rebuild the derived columns of the athlete's live activities from the stored raw JSON.

    Each activity is rebuilt as the store's merge rule says: its primary source's converter
    sets the columns (`syncd.sources.fields_from_raw`), then the other sources fill those
    still empty. That rule is applied whatever order the sources arrived in, so an activity
    whose file came before its Strava copy may get a gap filled from the file the first time.

    Columns a source's raw JSON cannot give are left as they are: for Strava an unknown time
    zone; for files the start time and zone (from the records and the config, not the raw
    JSON), and the summary values the reader computed from the samples (GPX: all of them; TCX:
    all but the laps' distance; FIT: those a one-session file's session lacked, and all of a
    multi-session file's). A column another source filled from such data keeps its value too.
    Ids, streams, laps, labels and deletions are not touched; a link whose raw JSON its
    converter rejects is counted, logged and leaves its columns as they were.

    Commits a chunk of activities at a time (rerunning is harmless); returns the ids whose
    columns changed, for the caller to classify again.
    """
    report = RederiveReport()
    with store.session() as s:
        ids = [
            i for i in s.exec(
                select(Activity.id)
                .where(Activity.athlete_id == athlete_id, col(Activity.deleted_at).is_(None))
                .order_by(Activity.start_utc, Activity.id)
            ) if i is not None
        ]
    for start in range(0, len(ids), _CHUNK):
        with store.session() as s:
            _rederive_chunk(s, ids[start : start + _CHUNK], default_tz, report)
            s.commit()
    return report


def _rederive_chunk(
    s: Session, ids: Sequence[int], default_tz: str, report: RederiveReport
) -> None:
    links: dict[int, list[ActivitySource]] = {i: [] for i in ids}
    for link in s.exec(
        select(ActivitySource).where(col(ActivitySource.activity_id).in_(ids))
        .order_by(ActivitySource.id)
    ):
        links[link.activity_id].append(link)
    activities = s.exec(
        select(Activity).where(col(Activity.id).in_(ids))
        .order_by(Activity.start_utc, Activity.id)
    ).all()
    for activity in activities:
        assert activity.id is not None
        report.activities += 1
        current = {c: getattr(activity, c) for c in DERIVED_COLUMNS}
        target = _target(activity, current, links[activity.id], default_tz, report)
        changed = [c for c in DERIVED_COLUMNS if target[c] != current[c]]
        if not changed:
            continue
        for c in changed:
            setattr(activity, c, target[c])
        activity.updated_at = utcnow()
        s.add(activity)
        report.changed_ids.append(activity.id)
        log.info("rederive.changed", activity=activity.id, columns=changed)


def _target(
    activity: Activity, current: dict[str, Any], links: list[ActivitySource], default_tz: str,
    report: RederiveReport,
) -> dict[str, Any]:
    """The derived columns as the sources' raw JSON gives them (see rederive_activities)."""
    target = dict(current)
    with_raw = [link for link in links if link.raw]  # a Strava export's placeholders have none
    primary = next((lk for lk in with_raw if lk.source == activity.primary_source), None)
    if primary is not None:
        got = _fields(primary, report)
        target.update({k: v for k, v in got.items() if k in _FROM_RAW})
        if "start_utc" in got or "timezone" in got:
            target["timezone"] = target["timezone"] or default_tz
            target["start_local"] = local_wallclock(target["start_utc"], target["timezone"])
        if not target["name"]:  # as a save names it: FIT files carry no name
            target["name"] = default_name(target["start_local"], target["sport_type"])
    for link in with_raw:
        if link is primary:
            continue
        got = _fields(link, report)
        for c in SUMMARY_COLUMNS:
            if target[c] not in (None, ""):
                continue
            if got.get(c) not in (None, ""):
                target[c] = got[c]
            elif c not in got:  # this source may have filled it from data not in its raw JSON
                target[c] = current[c]
    return target


def _fields(link: ActivitySource, report: RederiveReport) -> dict[str, Any]:
    try:
        return fields_from_raw(link.source, dict(link.raw))
    except Exception as exc:  # noqa: BLE001 - one odd raw JSON must not stop the others
        report.unreadable += 1
        log.warning("rederive.unreadable", activity=link.activity_id, source=link.source,
                    source_id=link.source_id, reason=" ".join(str(exc).split()))
        return {}
