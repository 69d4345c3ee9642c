"""SQLModel tables. Everything is keyed per athlete so a coach can later sync several.

Raw source JSON is kept (`ActivitySource.raw`) so columns can be re-derived offline after a
schema change without calling the API again. Tokens never live here: see syncd.secrets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, BigInteger, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Athlete(SQLModel, table=True):
    __tablename__ = "athlete"

    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    strava_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, unique=True, nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow)


class Activity(SQLModel, table=True):
    """One real-world activity, however many sources reported it."""

    __tablename__ = "activity"

    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    start_utc: datetime = Field(index=True)
    # Wall-clock time where the athlete was: naive on purpose (days and weeks are local).
    start_local: NaiveDatetime
    timezone: str = ""
    sport_type: str
    name: str = ""
    distance_m: float | None = None
    moving_s: float | None = None
    elapsed_s: float | None = None
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    workout_type: int | None = None
    trainer: bool = False
    manual: bool = False
    # The ids sources know it by are its links (ActivitySource), Strava's among them.
    primary_source: str  # the source whose summary fills the columns above
    streams_source: str | None = None  # the source whose streams are stored
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class ActivitySource(SQLModel, table=True):
    """One source's view of an activity: its id, raw JSON and whether we have its streams."""

    __tablename__ = "activity_source"
    __table_args__ = (UniqueConstraint("athlete_id", "source", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    athlete_id: int = Field(foreign_key="athlete.id")
    source: str
    source_id: str
    origin: str | None = None
    raw: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # pending: not fetched yet; stored; none: the source has none (manual, 404); failed
    streams_status: str = "pending"
    fetched_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class StreamSet(SQLModel, table=True):
    """Compressed columnar samples of one activity (see syncd.store.codec)."""

    __tablename__ = "stream_set"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    source: str
    keys: str  # comma-separated column names, readable without decoding
    samples: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Lap(SQLModel, table=True):
    __tablename__ = "lap"

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    idx: int
    start_offset_s: float
    elapsed_s: float
    moving_s: float | None = None
    distance_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_speed: float | None = None
    intensity: str | None = None
    workout_step: int | None = None
    name: str | None = None


class SyncState(SQLModel, table=True):
    """Per athlete and source: how far listing has got, so the next pull is incremental."""

    __tablename__ = "sync_state"
    __table_args__ = (UniqueConstraint("athlete_id", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id")
    source: str
    # Epoch seconds of the newest activity start whose page is fully committed.
    cursor: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    backfill_done: bool = False
    last_pull_at: datetime | None = None
    last_full_at: datetime | None = None


class Classification(SQLModel, table=True):
    """Derived from an activity by syncd.classify: label, reasons and reps.

    A `user` label is never overwritten by re-classification (reasons and reps still are).
    """

    __tablename__ = "classification"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    label: str = Field(index=True)
    label_source: str  # auto | strava | user
    confidence: float
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reps: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    warmup_s: float | None = None
    cooldown_s: float | None = None
    auto_label: str  # what the classifier said, kept even under a user label
    version: str
    # The run's own easy effort (m/s) from its streams, whatever its label: the athlete's
    # easy effort at a date is the median of these over the runs before it.
    easy_effort: float | None = None
    classified_at: datetime = Field(default_factory=utcnow)


class PinnedMatch(SQLModel, table=True):
    """A match made by hand (`syncd match`): automatic matching never undoes it."""

    __tablename__ = "pinned_match"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    day: date
    created_at: datetime = Field(default_factory=utcnow)


class DigestPost(SQLModel, table=True):
    """A week's digest posted to one sink; `sink` is a non-secret key, never the URL."""

    __tablename__ = "digest_post"
    __table_args__ = (UniqueConstraint("athlete_id", "week", "sink"),)

    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id")
    week: str  # ISO week, e.g. 2025-W11
    sink: str
    posted_at: datetime = Field(default_factory=utcnow)


class JobState(SQLModel, table=True):
    """The daemon's memory of each job, kept in the store (not in APScheduler) so a restart
    catches up and `syncd status`, another process, can read it."""

    __tablename__ = "job_state"

    name: str = Field(primary_key=True)
    last_started_at: datetime | None = None
    last_finished_at: datetime | None = None
    last_ok_at: datetime | None = None
    ok: bool | None = None
    summary: str = ""
    error_kind: str | None = None  # syncd.errors kind of the last failure: status reads it
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    failures: int = 0
    retry_at: datetime | None = None  # backing off after failures until then
    alerted: bool = False  # an alert went out for the current run of failures
    next_run_at: datetime | None = None
