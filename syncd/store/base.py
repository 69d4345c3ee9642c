"""What the store's parts share: the engine and its short sessions, and small helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from syncd.sources import merge
from syncd.sources.records import ActivityRecord, Streams
from syncd.store.tables import (
    Activity,
    Classification,
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
        """The id people know it by: the best-ranked source's (Strava's, when it has one),
        else its primary source's, else the store's own."""
        if not self.sources:
            return str(self.activity.id)
        best = min(self.sources, key=lambda src: (merge.rank(src),
                                                  src != self.activity.primary_source, src))
        return self.sources[best]


def local_wallclock(start_utc: datetime, zone: str) -> datetime:
    return start_utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None)



class StoreBase:
    """Thin repository over an engine; sessions are short and commits per activity."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


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

