"""The normalised records every source produces and the store consumes.

Stream names follow Strava's stream types so Strava data needs no renaming; `latlng` is split
into `lat` and `lng` columns so every column is a flat array of numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

STREAM_KEYS: tuple[str, ...] = (
    "time",  # seconds since the activity start (required when there are streams)
    "distance",  # metres
    "lat",  # degrees
    "lng",  # degrees
    "altitude",  # metres
    "velocity_smooth",  # m/s
    "heartrate",  # bpm
    "cadence",  # as the source reports it (Strava/Garmin: steps per minute per foot)
    "moving",  # 0/1
    "grade_smooth",  # percent
    "watts",
    "temp",  # degrees C
)

# Sport types that are runs for every later stage (Strava's vocabulary).
RUN_SPORTS = frozenset({"Run", "TrailRun", "VirtualRun"})


@dataclass
class Streams:
    """Columnar samples of one activity. Every column has the length of `time`.

    Missing samples inside a column are `None` (files often lack heart rate for a few points).
    """

    columns: dict[str, list[float | None]]

    def __post_init__(self) -> None:
        unknown = set(self.columns) - set(STREAM_KEYS)
        if unknown:
            raise ValueError(f"unknown stream columns: {sorted(unknown)}")
        if "time" not in self.columns:
            raise ValueError("streams need a 'time' column")
        n = len(self.columns["time"])
        for key, values in self.columns.items():
            if len(values) != n:
                raise ValueError(f"stream '{key}' has {len(values)} samples, 'time' has {n}")

    def __len__(self) -> int:
        return len(self.columns["time"])

    @property
    def keys(self) -> list[str]:
        return [k for k in STREAM_KEYS if k in self.columns]

    def richness(self) -> tuple[int, int]:
        """How much a stream set tells us: (useful columns, samples). Used to prefer one source."""
        useful = 0
        for key, values in self.columns.items():
            if key != "time" and any(v is not None and not _isnan(v) for v in values):
                useful += 1
        return useful, len(self)


def _isnan(v: float) -> bool:
    return isinstance(v, float) and math.isnan(v)


@dataclass
class LapRecord:
    """A lap as the device or Strava recorded it; `workout_step` is Garmin's step index."""

    index: int
    start_offset_s: float
    elapsed_s: float
    moving_s: float | None = None
    distance_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_speed: float | None = None
    intensity: str | None = None  # FIT: active/rest/warmup/cooldown
    workout_step: int | None = None
    name: str | None = None


@dataclass
class ActivityRecord:
    """One activity from one source, normalised. `raw` keeps the source's own JSON."""

    source: str  # "strava" | "file" | "garmin"
    source_id: str  # the source's id: Strava activity id, or a content hash for files
    start_utc: datetime  # timezone-aware, UTC
    sport_type: str  # Strava's vocabulary: Run, TrailRun, VirtualRun, Ride, Swim, Walk, ...
    name: str = ""
    timezone: str | None = None  # IANA zone, e.g. "Europe/Paris", when the source knows it
    distance_m: float | None = None
    moving_s: float | None = None
    elapsed_s: float | None = None
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    workout_type: int | None = None  # Strava: 0 default, 1 race, 2 long run, 3 workout
    trainer: bool = False
    manual: bool = False
    raw: dict[str, Any] = field(default_factory=dict)
    streams: Streams | None = None
    laps: list[LapRecord] = field(default_factory=list)
    workout_steps: list[dict[str, Any]] = field(default_factory=list)
    # Ids of the same activity in other sources, e.g. {"strava": "123"} from a Strava export.
    other_ids: dict[str, str] = field(default_factory=dict)
    origin: str | None = None  # where it came from: a file path, an archive member

    def __post_init__(self) -> None:
        if self.start_utc.tzinfo is None or self.start_utc.utcoffset() is None:
            raise ValueError("start_utc must be timezone-aware")

    @property
    def is_run(self) -> bool:
        return self.sport_type in RUN_SPORTS
