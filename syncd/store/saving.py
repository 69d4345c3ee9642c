"""Writing what sources bring: one source's view of an activity at a time, merged with what
other sources said of the same run (policy in syncd.sources.merge), streams kept when richer,
deletions only of what a complete listing no longer has."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from syncd.sources import merge
from syncd.sources.records import ActivityRecord, LapRecord, Streams
from syncd.store.base import (
    SaveResult,
    StoreBase,
    _aware,
    _raw_of,
    _summary_values,
    decode_streams,
    encode_streams,
    local_wallclock,
)
from syncd.store.tables import (
    Activity,
    ActivitySource,
    Lap,
    StreamSet,
    utcnow,
)


class SavingMixin(StoreBase):
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
                    if activity.deleted_at is not None:  # a live source knows it again
                        activity.deleted_at = None
                        status = "restored"
                link = ActivitySource(
                    activity_id=activity.id, athlete_id=athlete_id, source=rec.source,
                    source_id=rec.source_id, origin=rec.origin, raw=_raw_of(rec),
                )
                s.add(link)
                s.flush()
                result = SaveResult(activity.id, status, False)
            activity = s.get(Activity, result.activity_id)
            assert activity is not None
            self._link_others(s, athlete_id, activity.id, rec)
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
        changed = merge.edit_fingerprint(rec.source, link.raw) != merge.edit_fingerprint(
            rec.source, rec.raw)
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

    def _link_others(self, s: Session, athlete_id: int, activity_id: int | None,
                     rec: ActivityRecord) -> None:
        """The ids the record says other sources know it by (a Strava export's activity id)
        become placeholder links, without raw JSON until that source lists it."""
        for other, other_id in rec.other_ids.items():
            if self._link(s, athlete_id, other, other_id) is None:
                s.add(ActivitySource(
                    activity_id=activity_id, athlete_id=athlete_id, source=other,
                    source_id=other_id, raw={}, streams_status="have",
                ))

    def _find_same(self, s: Session, athlete_id: int, rec: ActivityRecord) -> Activity | None:
        for other, other_id in rec.other_ids.items():
            link = self._link(s, athlete_id, other, other_id)
            if link is not None:
                return s.get(Activity, link.activity_id)
        window = merge.MATCH_WINDOW
        # Hidden activities too: a run one source deleted is still that run when another
        # source brings it (else a later re-listing would restore a duplicate).
        candidates = s.exec(
            select(Activity).where(
                Activity.athlete_id == athlete_id,
                Activity.start_utc >= rec.start_utc - window,
                Activity.start_utc <= rec.start_utc + window,
            )
        ).all()
        best: tuple[tuple[bool, float], Activity] | None = None
        for cand in candidates:
            if not merge.same_run(_aware(cand.start_utc), cand.distance_m, rec.start_utc,
                                  rec.distance_m):
                continue
            taken = s.exec(
                select(ActivitySource.id).where(
                    ActivitySource.activity_id == cand.id, ActivitySource.source == rec.source
                )
            ).first()
            if taken is not None:
                continue  # two different activities of one source are never merged
            key = (cand.deleted_at is not None,
                   abs((_aware(cand.start_utc) - rec.start_utc).total_seconds()))
            if best is None or key < best[0]:
                best = (key, cand)
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
        """The best-ranked source's summary wins (Strava: the athlete's own edits); the others
        only fill what is missing (syncd.sources.merge)."""
        if merge.takes_summary(rec.source, activity.primary_source):
            activity.primary_source = rec.source
            self._fill(activity, rec, default_tz)
        else:
            for name, value in _summary_values(rec).items():
                if getattr(activity, name) in (None, "") and value not in (None, ""):
                    setattr(activity, name, value)
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
            activity.name = merge.default_name(activity.start_local, activity.sport_type)

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
        if existing is not None and existing.source != rec.source and \
                merge.keep_current_streams(decode_streams(existing.data), rec.streams):
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
                    merge.keep_current_streams(decode_streams(existing.data), streams)
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

    def activity_id_for(self, athlete_id: int, source: str, source_id: str) -> int | None:
        """The store's id of the activity a source's id is linked to."""
        with self.session() as s:
            link = self._link(s, athlete_id, source, source_id)
            return None if link is None else link.activity_id

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
                # Hidden once no other live source knows it (an export's placeholder link,
                # with no raw JSON, is no source's knowledge).
                others = s.exec(
                    select(ActivitySource.raw).where(
                        ActivitySource.activity_id == activity.id,
                        col(ActivitySource.deleted_at).is_(None),
                        ActivitySource.id != link.id,
                    )
                ).all()
                live = sum(1 for raw in others if raw)
                if not live and activity.deleted_at is None:
                    activity.deleted_at = now
                    s.add(activity)
                    deleted += 1
            s.commit()
        return deleted

