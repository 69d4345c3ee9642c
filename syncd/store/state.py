"""Small state the jobs keep: pinned matches, digest posts, daemon job state, sync cursors."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from syncd.store.base import (
    StoreBase,
)
from syncd.store.tables import (
    Activity,
    Classification,
    DigestPost,
    JobState,
    PinnedMatch,
    SyncState,
    utcnow,
)


class StateMixin(StoreBase):
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

