"""Classification rows, the easy-effort history, and finding activities to (re)classify."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from syncd.store.base import (
    StoreBase,
)
from syncd.store.tables import (
    Activity,
    ActivitySource,
    Classification,
    utcnow,
)


class LabelsMixin(StoreBase):
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
                .where(*_live_runs_with_effort(athlete_id), Activity.start_utc < before)
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
                .where(*_live_runs_with_effort(athlete_id), Activity.start_utc > after)
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



def _live_runs_with_effort(athlete_id: int) -> tuple[Any, ...]:
    """The runs that make up the easy-effort history: live, with an own easy effort."""
    return (Activity.athlete_id == athlete_id, col(Activity.deleted_at).is_(None),
            col(Classification.easy_effort).is_not(None))
