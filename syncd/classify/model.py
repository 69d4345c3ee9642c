"""The classifier's inputs and outputs: plain dataclasses, JSON-ready, no I/O."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from syncd.sources.records import ActivityRecord, LapRecord, Streams


@dataclass(frozen=True)
class AthleteProfile:
    """What the caller knows about the athlete; every field optional.

    easy_speed is the rolling median of the athlete's easy runs (m/s, see
    `easy_speed_from_history`); without it each run is judged against its own warm-up/cool-down.
    """

    max_hr: int | None = None
    resting_hr: int | None = None
    threshold_hr: int | None = None
    easy_speed: float | None = None


@dataclass
class ClassifyInput:
    """One activity as the classifier sees it: summary, streams, laps, workout steps."""

    sport_type: str
    trainer: bool = False
    manual: bool = False
    workout_type: int | None = None
    name: str = ""
    moving_s: float | None = None
    elapsed_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    streams: Streams | None = None
    laps: list[LapRecord] = field(default_factory=list)
    workout_steps: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_record(cls, rec: ActivityRecord) -> ClassifyInput:
        """From a stored/imported record; the name may come from a Strava export hint."""
        return cls(
            sport_type=rec.sport_type,
            trainer=rec.trainer,
            manual=rec.manual,
            workout_type=rec.workout_type,
            name=rec.name or "",
            moving_s=rec.moving_s,
            elapsed_s=rec.elapsed_s,
            distance_m=rec.distance_m,
            elevation_gain_m=rec.elevation_gain_m,
            avg_hr=rec.avg_hr,
            streams=rec.streams,
            laps=list(rec.laps),
            workout_steps=list(rec.workout_steps),
        )


def _num(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return f if math.isfinite(f) else None


@dataclass
class Rep:
    """One fast effort and the recovery after it (None for the last rep)."""

    start_s: float  # offset from the activity start (stream time)
    end_s: float
    distance_m: float
    duration_s: float
    mean_speed: float  # m/s
    mean_hr: float | None = None
    mean_grade: float | None = None  # percent
    recovery_s: float | None = None
    recovery_distance_m: float | None = None
    recovery_kind: str | None = None  # "walk" | "jog" | "stand"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, float):
                d[k] = round(v, 2) if math.isfinite(v) else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Rep:
        return cls(
            start_s=float(d["start_s"]),
            end_s=float(d["end_s"]),
            distance_m=float(d["distance_m"]),
            duration_s=float(d["duration_s"]),
            mean_speed=float(d["mean_speed"]),
            mean_hr=_num(d.get("mean_hr")),
            mean_grade=_num(d.get("mean_grade")),
            recovery_s=_num(d.get("recovery_s")),
            recovery_distance_m=_num(d.get("recovery_distance_m")),
            recovery_kind=d.get("recovery_kind"),
        )


@dataclass
class Classification:
    """The label, how sure, the facts behind it and the reps found."""

    label: str
    confidence: float
    reasons: list[str]
    reps: list[Rep]
    version: str
    warmup_s: float | None = None  # time before the first rep
    cooldown_s: float | None = None  # time after the last rep
    # The run's own easy effort (m/s), from its streams alone: the athlete's history is the
    # median of these over the runs before a date, whatever their labels.
    easy_effort: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "confidence": round(float(self.confidence), 3),
            "reasons": list(self.reasons),
            "reps": [r.to_dict() for r in self.reps],
            "version": self.version,
            "warmup_s": None if self.warmup_s is None else round(float(self.warmup_s), 1),
            "cooldown_s": None if self.cooldown_s is None else round(float(self.cooldown_s), 1),
            "easy_effort": None if self.easy_effort is None else round(float(self.easy_effort), 4),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Classification:
        return cls(
            label=str(d["label"]),
            confidence=float(d["confidence"]),
            reasons=[str(r) for r in d.get("reasons", [])],
            reps=[Rep.from_dict(r) for r in d.get("reps", [])],
            version=str(d.get("version", "")),
            warmup_s=_num(d.get("warmup_s")),
            cooldown_s=_num(d.get("cooldown_s")),
            easy_effort=_num(d.get("easy_effort")),
        )
