"""The store's API: the only code that reads or writes rows. Every write commits on its own,
so a killed process loses at most the activity it was working on.

`Store` is put together from parts: saving what sources bring (saving.py), labels (labels.py),
jobs' state (state.py); athletes and reading live here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from syncd.errors import UsageError
from syncd.sources.records import Streams
from syncd.store.base import (
    SUMMARY_COLUMNS,
    ActivityRow,
    SaveResult,
    _chunks,
    decode_streams,
    encode_streams,
    local_wallclock,
)
from syncd.store.labels import LabelsMixin
from syncd.store.saving import SavingMixin
from syncd.store.state import StateMixin
from syncd.store.tables import (
    Activity,
    ActivitySource,
    Athlete,
    Classification,
    Lap,
    StreamSet,
)

__all__ = ["SUMMARY_COLUMNS", "ActivityRow", "SaveResult", "Store", "decode_streams",
           "encode_streams", "local_wallclock"]


class Store(SavingMixin, LabelsMixin, StateMixin):
    """Thin repository over an engine; sessions are short and commits per activity."""

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


