"""The store's API: the only code that reads or writes rows. Every write commits on its own,
so a killed process loses at most the activity it was working on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from syncd.errors import UsageError
from syncd.sources.records import ActivityRecord, LapRecord, Streams
from syncd.store.tables import (
    Activity,
    ActivitySource,
    Athlete,
    Classification,
    DigestPost,
    JobState,
    Lap,
    PinnedMatch,
    StreamSet,
    SyncState,
    utcnow,
)

# Two sources describe the same run when they start within a minute and agree on distance.
MATCH_START_S = 60
MATCH_DISTANCE_FRACTION = 0.03

# Summary fields whose change upstream means the activity changed (and must be re-derived).
_TRACKED_FIELDS = (
    "name", "sport_type", "type", "workout_type", "distance", "moving_time", "elapsed_time",
    "total_elevation_gain", "trainer", "manual", "start_date", "timezone", "average_heartrate",
)


@dataclass(frozen=True)
class SaveResult:
    activity_id: int
    status: str  # new | updated | unchanged | merged | restored
    needs_streams: bool  # this source's streams should be fetched


@dataclass(frozen=True)
class ActivityRow:
    """What readers get: an activity with the ids its sources know it by."""

    activity: Activity
    sources: dict[str, str]  # source -> source_id (first link of each source)
    classification: Classification | None = None

    @property
    def public_id(self) -> str:
        if self.activity.strava_id is not None:
            return str(self.activity.strava_id)
        return self.sources.get(self.activity.primary_source) or str(self.activity.id)


def local_wallclock(start_utc: datetime, zone: str) -> datetime:
    return start_utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


class Store:
    """Thin repository over an engine; sessions are short and commits per activity."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # -- athletes ---------------------------------------------------------------------------
    def athletes(self) -> list[Athlete]:
        with self.session() as s:
            return list(s.exec(select(Athlete).order_by(Athlete.id)))

    def ensure_athlete(self, *, strava_id: int | None = None, name: str = "") -> Athlete:
        """The athlete with this Strava id, else the only athlete not linked yet, else a new one."""
        with self.session() as s:
            everyone = list(s.exec(select(Athlete).order_by(Athlete.id)))
            athlete = None
            if strava_id is not None:
                athlete = next((a for a in everyone if a.strava_id == strava_id), None)
                if athlete is None and len(everyone) == 1 and everyone[0].strava_id is None:
                    athlete = everyone[0]
                    athlete.strava_id = strava_id
            elif len(everyone) == 1:
                athlete = everyone[0]
            if athlete is None:
                athlete = Athlete(strava_id=strava_id, name=name)
            if name:
                athlete.name = name
            s.add(athlete)
            s.commit()
            s.refresh(athlete)
            return athlete

    def resolve_athlete(self, selector: str | None, *, create: bool = False) -> Athlete:
        """`--athlete` by store id, Strava id or name; default: the only athlete."""
        people = self.athletes()
        if selector is None:
            if len(people) == 1:
                return people[0]
            if not people:
                if create:
                    return self.ensure_athlete()
                raise UsageError(
                    "No athlete in the store yet.",
                    hint="Run `syncd auth strava` or `syncd import FILES` first.",
                )
            names = ", ".join(f"{a.id} ({a.name or a.strava_id})" for a in people)
            raise UsageError(f"Several athletes are stored ({names}): choose one with --athlete.")
        for a in people:
            if selector in (str(a.id), str(a.strava_id), a.name):
                return a
        raise UsageError(f"No athlete matches --athlete {selector!r}.")

    # -- activities -------------------------------------------------------------------------
    def save_activity(
        self, athlete_id: int, rec: ActivityRecord, *, default_tz: str
    ) -> SaveResult:
        """Insert or update one source's view of an activity, merging duplicates across sources.

        Streams in `rec` are stored when they are richer than what is stored already.
        """
        with self.session() as s:
            link = self._link(s, athlete_id, rec.source, rec.source_id)
            if link is not None:
                result = self._update_existing(s, link, rec, default_tz)
            else:
                activity = self._find_same(s, athlete_id, rec)
                if activity is None:
                    activity = self._new_activity(athlete_id, rec, default_tz)
                    s.add(activity)
                    s.flush()
                    status = "new"
                else:
                    self._merge_summary(activity, rec, default_tz)
                    status = "merged"
                link = ActivitySource(
                    activity_id=activity.id, athlete_id=athlete_id, source=rec.source,
                    source_id=rec.source_id, origin=rec.origin, raw=_raw_of(rec),
                )
                s.add(link)
                for other, other_id in rec.other_ids.items():
                    if self._link(s, athlete_id, other, other_id) is None:
                        s.add(ActivitySource(
                            activity_id=activity.id, athlete_id=athlete_id, source=other,
                            source_id=other_id, raw={}, streams_status="have",
                        ))
                result = SaveResult(activity.id, status, False)
            activity = s.get(Activity, result.activity_id)
            assert activity is not None
            link.streams_status = self._store_streams(s, activity, rec, link.streams_status)
            if rec.laps and (activity.streams_source in (None, rec.source) or not self._has_laps(
                s, activity.id
            )):
                self._replace_laps(s, activity.id, rec.laps)
            s.add(link)
            s.add(activity)
            try:
                s.commit()
            except IntegrityError:
                # A concurrent writer stored the same source id first: theirs stands.
                s.rollback()
                again = self._link(s, athlete_id, rec.source, rec.source_id)
                if again is None:
                    raise
                return SaveResult(again.activity_id, "unchanged", False)
            needs = link.streams_status == "pending"
            return SaveResult(result.activity_id, result.status, needs)

    def _link(
        self, s: Session, athlete_id: int, source: str, source_id: str
    ) -> ActivitySource | None:
        return s.exec(
            select(ActivitySource).where(
                ActivitySource.athlete_id == athlete_id,
                ActivitySource.source == source,
                ActivitySource.source_id == source_id,
            )
        ).first()

    def _update_existing(
        self, s: Session, link: ActivitySource, rec: ActivityRecord, default_tz: str
    ) -> SaveResult:
        activity = s.get(Activity, link.activity_id)
        assert activity is not None
        changed = _tracked(link.raw) != _tracked(rec.raw)
        status = "updated" if changed and link.raw else "unchanged"
        if link.deleted_at is not None or activity.deleted_at is not None:
            link.deleted_at = None
            activity.deleted_at = None
            status = "restored"
        if not link.raw and rec.raw:
            status = "merged"  # a placeholder link (from a Strava export) now has its summary
        link.raw = _raw_of(rec)
        link.fetched_at = utcnow()
        link.origin = rec.origin or link.origin
        if status != "unchanged" or activity.primary_source == rec.source:
            self._merge_summary(activity, rec, default_tz)
        return SaveResult(activity.id, status, False)

    def _find_same(self, s: Session, athlete_id: int, rec: ActivityRecord) -> Activity | None:
        for other, other_id in rec.other_ids.items():
            link = self._link(s, athlete_id, other, other_id)
            if link is not None:
                return s.get(Activity, link.activity_id)
        window = timedelta(seconds=MATCH_START_S)
        candidates = s.exec(
            select(Activity).where(
                Activity.athlete_id == athlete_id,
                col(Activity.deleted_at).is_(None),
                Activity.start_utc >= rec.start_utc - window,
                Activity.start_utc <= rec.start_utc + window,
            )
        ).all()
        best: tuple[float, Activity] | None = None
        for cand in candidates:
            if not _distance_agrees(cand.distance_m, rec.distance_m):
                continue
            taken = s.exec(
                select(ActivitySource.id).where(
                    ActivitySource.activity_id == cand.id, ActivitySource.source == rec.source
                )
            ).first()
            if taken is not None:
                continue  # two different activities of one source are never merged
            gap = abs((_aware(cand.start_utc) - rec.start_utc).total_seconds())
            if best is None or gap < best[0]:
                best = (gap, cand)
        return best[1] if best else None

    def _new_activity(self, athlete_id: int, rec: ActivityRecord, default_tz: str) -> Activity:
        activity = Activity(
            athlete_id=athlete_id, start_utc=rec.start_utc, start_local=rec.start_utc.replace(
                tzinfo=None
            ), sport_type=rec.sport_type, primary_source=rec.source,
        )
        self._fill(activity, rec, default_tz)
        return activity

    def _merge_summary(self, activity: Activity, rec: ActivityRecord, default_tz: str) -> None:
        """Strava's summary (the athlete's own edits) wins; files only fill what is missing."""
        if rec.source == "strava" or activity.primary_source == rec.source:
            activity.primary_source = rec.source
            self._fill(activity, rec, default_tz)
        else:
            for name, value in _summary_values(rec).items():
                if getattr(activity, name) in (None, "") and value not in (None, ""):
                    setattr(activity, name, value)
        if rec.source == "strava":
            activity.strava_id = int(rec.source_id)
        elif "strava" in rec.other_ids and activity.strava_id is None:
            activity.strava_id = int(rec.other_ids["strava"])
        activity.updated_at = utcnow()

    def _fill(self, activity: Activity, rec: ActivityRecord, default_tz: str) -> None:
        zone = rec.timezone or activity.timezone or default_tz
        activity.timezone = zone
        activity.start_utc = rec.start_utc
        activity.start_local = local_wallclock(rec.start_utc, zone)
        activity.sport_type = rec.sport_type
        for name, value in _summary_values(rec).items():
            setattr(activity, name, value)
        if not activity.name:  # FIT files carry no name: name it as Strava would
            activity.name = default_name(activity.start_local, activity.sport_type)
        if rec.source == "strava":
            activity.strava_id = int(rec.source_id)
        elif "strava" in rec.other_ids:
            activity.strava_id = int(rec.other_ids["strava"])

    def _store_streams(
        self, s: Session, activity: Activity, rec: ActivityRecord, status: str
    ) -> str:
        if rec.streams is None or len(rec.streams) == 0:
            if rec.manual:
                return "none"
            if activity.streams_source is not None and activity.streams_source != rec.source:
                return "have"  # another source already gave us samples: save the API call
            return status
        existing = s.get(StreamSet, activity.id)
        if existing is not None and existing.source != rec.source:
            current = decode_streams(existing.data).richness()
            if current >= rec.streams.richness():
                return "have"
        self._put_streams(s, activity, rec.source, rec.streams)
        return "stored"

    def _put_streams(self, s: Session, activity: Activity, source: str, streams: Streams) -> None:
        blob = encode_streams(streams)
        row = s.get(StreamSet, activity.id) or StreamSet(
            activity_id=activity.id, source=source, keys="", samples=0, data=b""
        )
        row.source = source
        row.keys = ",".join(streams.keys)
        row.samples = len(streams)
        row.data = blob
        activity.streams_source = source
        s.add(row)

    def _has_laps(self, s: Session, activity_id: int) -> bool:
        return s.exec(select(Lap.id).where(Lap.activity_id == activity_id)).first() is not None

    def _replace_laps(self, s: Session, activity_id: int, laps: Sequence[LapRecord]) -> None:
        for old in s.exec(select(Lap).where(Lap.activity_id == activity_id)):
            s.delete(old)
        for lap in laps:
            s.add(Lap(activity_id=activity_id, idx=lap.index, start_offset_s=lap.start_offset_s,
                      elapsed_s=lap.elapsed_s, moving_s=lap.moving_s, distance_m=lap.distance_m,
                      avg_hr=lap.avg_hr, max_hr=lap.max_hr, avg_speed=lap.avg_speed,
                      intensity=lap.intensity, workout_step=lap.workout_step, name=lap.name))

    def attach_streams(
        self, athlete_id: int, source: str, source_id: str, streams: Streams | None,
        *, laps: Sequence[LapRecord] = (), detail: dict[str, Any] | None = None,
    ) -> str:
        """Store streams fetched after the summary; `None` means the source has none."""
        with self.session() as s:
            link = self._link(s, athlete_id, source, source_id)
            if link is None:
                raise KeyError(f"{source}:{source_id} is not stored")
            activity = s.get(Activity, link.activity_id)
            assert activity is not None
            if streams is None or len(streams) == 0:
                link.streams_status = "none"
            else:
                existing = s.get(StreamSet, activity.id)
                if existing is not None and existing.source != source and (
                    decode_streams(existing.data).richness() >= streams.richness()
                ):
                    link.streams_status = "have"
                else:
                    self._put_streams(s, activity, source, streams)
                    link.streams_status = "stored"
            if laps:
                self._replace_laps(s, activity.id, laps)
            if detail is not None:
                link.raw = {**link.raw, "detail": detail}
            s.add(link)
            s.add(activity)
            s.commit()
            return link.streams_status

    def pending_streams(self, athlete_id: int, source: str) -> list[tuple[str, bool]]:
        """Source ids still waiting for streams, oldest first, with their `manual` flag."""
        with self.session() as s:
            rows = s.exec(
                select(ActivitySource.source_id, Activity.manual)
                .join(Activity, col(Activity.id) == ActivitySource.activity_id)
                .where(
                    ActivitySource.athlete_id == athlete_id,
                    ActivitySource.source == source,
                    ActivitySource.streams_status == "pending",
                    col(ActivitySource.deleted_at).is_(None),
                    col(Activity.streams_source).is_(None),
                )
                .order_by(Activity.start_utc)
            ).all()
            return [(r[0], bool(r[1])) for r in rows]

    def mark_streams(self, athlete_id: int, source: str, source_id: str, status: str) -> None:
        with self.session() as s:
            link = self._link(s, athlete_id, source, source_id)
            if link is not None:
                link.streams_status = status
                s.add(link)
                s.commit()

    def soft_delete_missing(
        self, athlete_id: int, source: str, seen: set[str], *, after: datetime,
        before: datetime | None = None,
    ) -> int:
        """Mark links of `source` started in the listed window but not listed as deleted.

        The activity itself is hidden once no live source knows it any more.
        """
        now = utcnow()
        deleted = 0
        with self.session() as s:
            q = (
                select(ActivitySource, Activity)
                .join(Activity, col(Activity.id) == ActivitySource.activity_id)
                .where(
                    ActivitySource.athlete_id == athlete_id,
                    ActivitySource.source == source,
                    col(ActivitySource.deleted_at).is_(None),
                    Activity.start_utc > after,
                )
            )
            if before is not None:
                q = q.where(Activity.start_utc <= before)
            for link, activity in s.exec(q).all():
                if link.source_id in seen or not link.raw:
                    continue  # placeholders from an export were never listed by the API
                link.deleted_at = now
                s.add(link)
                live = s.exec(
                    select(func.count()).select_from(ActivitySource).where(
                        ActivitySource.activity_id == activity.id,
                        col(ActivitySource.deleted_at).is_(None),
                        ActivitySource.id != link.id,
                        ActivitySource.source != "strava",
                    )
                ).one()
                if not live and activity.deleted_at is None:
                    activity.deleted_at = now
                    s.add(activity)
                    deleted += 1
            s.commit()
        return deleted

    # -- classification ---------------------------------------------------------------------
    def activity(self, activity_id: int) -> Activity | None:
        with self.session() as s:
            return s.get(Activity, activity_id)

    def find_activity(self, athlete_id: int, ident: str) -> Activity | None:
        """By the id `syncd activities` prints (Strava id, file id) or the store's own id."""
        with self.session() as s:
            link = s.exec(
                select(ActivitySource).where(
                    ActivitySource.athlete_id == athlete_id, ActivitySource.source_id == ident
                )
            ).first()
            if link is not None:
                return s.get(Activity, link.activity_id)
            if ident.isdigit():
                by_strava = s.exec(
                    select(Activity).where(
                        Activity.athlete_id == athlete_id, Activity.strava_id == int(ident)
                    )
                ).first()
                if by_strava is not None:
                    return by_strava
                local = s.get(Activity, int(ident))
                if local is not None and local.athlete_id == athlete_id:
                    return local
            return None

    def workout_steps(self, activity_id: int) -> list[dict[str, Any]]:
        for link in self.sources_of(activity_id):
            steps = link.raw.get("workout_steps") if link.raw else None
            if steps:
                return list(steps)
        return []

    def classification(self, activity_id: int) -> Classification | None:
        with self.session() as s:
            return s.get(Classification, activity_id)

    def save_classification(self, activity_id: int, result: dict[str, Any]) -> Classification:
        """Store a classifier result; a label the user set stays (its reps are refreshed)."""
        with self.session() as s:
            row = s.get(Classification, activity_id)
            user_label = row.label if row is not None and row.label_source == "user" else None
            row = row or Classification(
                activity_id=activity_id, label="", label_source="auto", confidence=0.0,
                auto_label="", version="",
            )
            row.auto_label = result["label"]
            row.label = user_label or result["label"]
            row.label_source = "user" if user_label else result.get("label_source", "auto")
            row.confidence = 1.0 if user_label else float(result["confidence"])
            row.reasons = list(result["reasons"])
            row.reps = list(result["reps"])
            row.warmup_s = result.get("warmup_s")
            row.cooldown_s = result.get("cooldown_s")
            row.version = result["version"]
            row.easy_effort = result.get("easy_effort")
            row.classified_at = utcnow()
            s.add(row)
            s.commit()
            return row

    def set_user_label(self, activity_id: int, label: str) -> Classification:
        with self.session() as s:
            row = s.get(Classification, activity_id) or Classification(
                activity_id=activity_id, label=label, label_source="user", confidence=1.0,
                auto_label="", version="",
            )
            row.label = label
            row.label_source = "user"
            row.confidence = 1.0
            row.classified_at = utcnow()
            s.add(row)
            s.commit()
            return row

    def easy_efforts_before(self, athlete_id: int, before: datetime, n: int = 20) -> list[float]:
        """The own easy efforts of the athlete's latest `n` runs before `before`, newest first.

        Any label: the history must not depend on how earlier runs were labelled, or the
        labels would depend on the order activities arrived in."""
        with self.session() as s:
            rows = s.exec(
                select(Classification.easy_effort)
                .join(Activity, col(Classification.activity_id) == Activity.id)
                .where(
                    Activity.athlete_id == athlete_id,
                    col(Activity.deleted_at).is_(None),
                    col(Classification.easy_effort).is_not(None),
                    Activity.start_utc < before,
                )
                .order_by(col(Activity.start_utc).desc(), col(Activity.id).desc())
                .limit(n)
            ).all()
            return [float(v) for v in rows]

    def later_runs(self, athlete_id: int, after: datetime, n: int) -> list[int]:
        """Ids of the next `n` classified runs after `after` (those whose history it is in)."""
        with self.session() as s:
            rows = s.exec(
                select(Activity.id)
                .join(Classification, col(Classification.activity_id) == Activity.id)
                .where(
                    Activity.athlete_id == athlete_id,
                    col(Activity.deleted_at).is_(None),
                    col(Classification.easy_effort).is_not(None),
                    Activity.start_utc > after,
                )
                .order_by(col(Activity.start_utc), col(Activity.id))
                .limit(n)
            ).all()
            return [int(v) for v in rows if v is not None]

    def activity_ids_to_classify(
        self, athlete_id: int, *, since: datetime | None = None, only_missing: bool = False,
        version: str | None = None,
    ) -> list[int]:
        """Live activities oldest first; `only_missing` skips those done by `version`."""
        with self.session() as s:
            q = (
                select(Activity.id, Classification.version)
                .join(Classification, col(Classification.activity_id) == Activity.id,
                      isouter=True)
                .where(Activity.athlete_id == athlete_id, col(Activity.deleted_at).is_(None))
            )
            if since is not None:
                q = q.where(Activity.start_local >= since)
            rows = s.exec(q.order_by(Activity.start_utc, Activity.id)).all()
            return [
                i for i, v in rows
                if i is not None and not (only_missing and v is not None and v == version)
            ]

    # -- plan matching and digests -----------------------------------------------------------
    def pin_match(self, activity_id: int, day: date) -> None:
        with self.session() as s:
            row = s.get(PinnedMatch, activity_id) or PinnedMatch(activity_id=activity_id, day=day)
            row.day = day
            s.add(row)
            s.commit()

    def unpin_match(self, activity_id: int) -> bool:
        with self.session() as s:
            row = s.get(PinnedMatch, activity_id)
            if row is None:
                return False
            s.delete(row)
            s.commit()
            return True

    def pins(self, athlete_id: int) -> dict[int, date]:
        with self.session() as s:
            rows = s.exec(
                select(PinnedMatch)
                .join(Activity, col(Activity.id) == PinnedMatch.activity_id)
                .where(Activity.athlete_id == athlete_id)
            ).all()
            return {r.activity_id: r.day for r in rows}

    def posted_sinks(self, athlete_id: int, week: str) -> set[str]:
        with self.session() as s:
            rows = s.exec(
                select(DigestPost.sink).where(
                    DigestPost.athlete_id == athlete_id, DigestPost.week == week
                )
            ).all()
            return set(rows)

    def record_post(self, athlete_id: int, week: str, sink: str) -> None:
        with self.session() as s:
            exists = s.exec(
                select(DigestPost).where(
                    DigestPost.athlete_id == athlete_id, DigestPost.week == week,
                    DigestPost.sink == sink,
                )
            ).first()
            row = exists or DigestPost(athlete_id=athlete_id, week=week, sink=sink)
            row.posted_at = utcnow()
            s.add(row)
            s.commit()

    def last_posts(self, athlete_id: int) -> list[DigestPost]:
        """The newest post per sink, for `syncd status`."""
        with self.session() as s:
            rows = s.exec(
                select(DigestPost).where(DigestPost.athlete_id == athlete_id)
                .order_by(col(DigestPost.posted_at).desc())
            ).all()
            seen: dict[str, DigestPost] = {}
            for r in rows:
                seen.setdefault(r.sink, r)
            return list(seen.values())

    # -- daemon jobs --------------------------------------------------------------------------
    def job_state(self, name: str) -> JobState:
        with self.session() as s:
            return s.get(JobState, name) or JobState(name=name)

    def save_job_state(self, state: JobState) -> None:
        with self.session() as s:
            s.merge(state)
            s.commit()

    def job_states(self) -> list[JobState]:
        with self.session() as s:
            return list(s.exec(select(JobState).order_by(JobState.name)))

    def counts(self, athlete_id: int) -> dict[str, int]:
        """Activities stored and how many still wait for classification, for `syncd status`."""
        with self.session() as s:
            live = s.exec(
                select(func.count()).select_from(Activity).where(
                    Activity.athlete_id == athlete_id, col(Activity.deleted_at).is_(None)
                )
            ).one()
            classified = s.exec(
                select(func.count()).select_from(Classification)
                .join(Activity, col(Activity.id) == Classification.activity_id)
                .where(Activity.athlete_id == athlete_id, col(Activity.deleted_at).is_(None))
            ).one()
            return {"activities": int(live), "unclassified": int(live) - int(classified)}

    # -- sync state -------------------------------------------------------------------------
    def sync_state(self, athlete_id: int, source: str) -> SyncState:
        with self.session() as s:
            state = s.exec(
                select(SyncState).where(
                    SyncState.athlete_id == athlete_id, SyncState.source == source
                )
            ).first()
            return state or SyncState(athlete_id=athlete_id, source=source)

    def save_sync_state(self, state: SyncState) -> None:
        with self.session() as s:
            s.add(state)
            s.commit()
            s.refresh(state)

    # -- reading ----------------------------------------------------------------------------
    def activities(
        self, athlete_id: int, *, since: datetime | None = None, until: datetime | None = None,
        deleted: bool = False,
    ) -> list[ActivityRow]:
        """Stored activities oldest first; `since`/`until` compare athlete-local start times."""
        with self.session() as s:
            q = select(Activity).where(Activity.athlete_id == athlete_id)
            q = q.where(
                col(Activity.deleted_at).is_not(None) if deleted
                else col(Activity.deleted_at).is_(None)
            )
            if since is not None:
                q = q.where(Activity.start_local >= since)
            if until is not None:
                q = q.where(Activity.start_local < until)
            acts = list(s.exec(q.order_by(Activity.start_utc, Activity.id)))
            ids = [a.id for a in acts]
            links: dict[int, dict[str, str]] = {i: {} for i in ids if i is not None}
            labels: dict[int, Classification] = {}
            for chunk in _chunks(ids, 500):
                for link in s.exec(
                    select(ActivitySource).where(col(ActivitySource.activity_id).in_(chunk))
                    .order_by(ActivitySource.id)
                ):
                    links[link.activity_id].setdefault(link.source, link.source_id)
                for c in s.exec(
                    select(Classification).where(col(Classification.activity_id).in_(chunk))
                ):
                    labels[c.activity_id] = c
            return [
                ActivityRow(a, links.get(a.id or 0, {}), labels.get(a.id or 0)) for a in acts
            ]

    def activity_row(self, activity_id: int) -> ActivityRow | None:
        """One activity as `activities` lists it (deleted or not), without listing the rest."""
        with self.session() as s:
            activity = s.get(Activity, activity_id)
            if activity is None:
                return None
            links: dict[str, str] = {}
            for link in s.exec(select(ActivitySource).where(
                    ActivitySource.activity_id == activity_id).order_by(ActivitySource.id)):
                links.setdefault(link.source, link.source_id)
            return ActivityRow(activity, links, s.get(Classification, activity_id))

    def streams(self, activity_id: int) -> Streams | None:
        with self.session() as s:
            row = s.get(StreamSet, activity_id)
            return decode_streams(row.data) if row else None

    def laps(self, activity_id: int) -> list[Lap]:
        with self.session() as s:
            return list(s.exec(select(Lap).where(Lap.activity_id == activity_id).order_by(Lap.idx)))

    def sources_of(self, activity_id: int) -> list[ActivitySource]:
        with self.session() as s:
            return list(s.exec(
                select(ActivitySource).where(ActivitySource.activity_id == activity_id)
                .order_by(ActivitySource.id)
            ))

    def count_links(self, athlete_id: int, source: str) -> int:
        with self.session() as s:
            return s.exec(
                select(func.count()).select_from(ActivitySource).where(
                    ActivitySource.athlete_id == athlete_id, ActivitySource.source == source
                )
            ).one()


_SPORT_WORDS = {"Run": "Run", "TrailRun": "Trail Run", "VirtualRun": "Virtual Run",
                "Ride": "Ride", "VirtualRide": "Virtual Ride", "Swim": "Swim", "Walk": "Walk",
                "Hike": "Hike"}


def default_name(start_local: datetime, sport_type: str) -> str:
    """'Morning Run', 'Lunch Ride'...: the athlete-local part of the day, like Strava."""
    h = start_local.hour
    part = ("Night" if h < 5 else "Morning" if h < 11 else "Lunch" if h < 14
            else "Afternoon" if h < 18 else "Evening" if h < 22 else "Night")
    return f"{part} {_SPORT_WORDS.get(sport_type, 'Activity')}"


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _distance_agrees(a: float | None, b: float | None) -> bool:
    if not a or not b:
        return not a and not b
    return abs(a - b) <= MATCH_DISTANCE_FRACTION * max(a, b)


def _tracked(raw: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(raw.get(k) for k in _TRACKED_FIELDS)


# Summary columns, named as on ActivityRecord: the primary source sets them, others fill gaps.
SUMMARY_COLUMNS = (
    "name", "distance_m", "moving_s", "elapsed_s", "elevation_gain_m", "avg_hr", "max_hr",
    "workout_type", "trainer", "manual",
)


def _summary_values(rec: ActivityRecord) -> dict[str, Any]:
    return {name: getattr(rec, name) for name in SUMMARY_COLUMNS}


def encode_streams(streams: Streams) -> bytes:
    # numpy is imported on first use: commands that never touch samples start faster.
    from syncd.store.codec import encode_streams as encode

    return encode(streams)


def decode_streams(blob: bytes) -> Streams:
    from syncd.store.codec import decode_streams as decode

    return decode(blob)


def _raw_of(rec: ActivityRecord) -> dict[str, Any]:
    """The source's JSON, plus its workout steps (a FIT file's plan) for re-derivation."""
    if rec.workout_steps:
        return {**rec.raw, "workout_steps": rec.workout_steps}
    return rec.raw


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
