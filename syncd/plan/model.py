"""The data the plan stage produces and the digest stage renders. Plain, JSON-ready dataclasses.

Flow: store -> RunFact (what was run, per activity) -> plan matching -> WeekReport -> digest.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

SESSION_TYPES = ("easy", "hill", "interval", "long", "race", "rest")
STATUSES = ("done", "partial", "moved", "substituted", "missed")


@dataclass(frozen=True)
class RepFact:
    """One rep as the classifier found it (a subset of syncd.classify.Rep)."""

    start_s: float
    duration_s: float
    distance_m: float
    mean_speed: float
    mean_grade: float | None = None
    recovery_s: float | None = None
    recovery_kind: str | None = None  # walk | jog | stand


@dataclass(frozen=True)
class RunFact:
    """One stored, classified activity, seen from the athlete's local calendar."""

    activity_id: str  # the id `syncd activities` prints
    local_id: int  # the store's own id (for pinned matches)
    start_local: datetime  # naive, athlete-local wall clock
    label: str  # easy | hill | interval | long | race | other
    distance_m: float
    moving_s: float
    is_run: bool
    reps: tuple[RepFact, ...] = ()
    warmup_s: float | None = None
    cooldown_s: float | None = None
    name: str = ""

    @property
    def day(self) -> date:
        return self.start_local.date()


@dataclass(frozen=True)
class Workout:
    """A parsed workout text: NxDIST, NxTIME or a pyramid; anything else is a note."""

    text: str
    reps: int | None = None
    distances_m: tuple[float, ...] = ()  # one per rep (a pyramid lists each)
    durations_s: tuple[float, ...] = ()
    note: str | None = None  # unparsed text kept as is


@dataclass(frozen=True)
class PlannedSession:
    day: date
    type: str  # one of SESSION_TYPES
    workout: Workout | None = None
    minutes: float | None = None
    km: float | None = None
    note: str | None = None


@dataclass
class Execution:
    """How a quality session was run (the coach's second question)."""

    # e.g. "8x200m: 8/8 reps, 36.1-37.4 s, fade 2 %, walked recoveries, WU 18 min, CD 12 min"
    line: str
    warmup_min: float | None = None
    cooldown_min: float | None = None
    fade_pct: float | None = None
    recoveries: str | None = None  # walked | jogged | mixed | stood
    reps_done: int | None = None
    reps_planned: int | None = None
    rep_times_s: list[float] = field(default_factory=list)
    rep_paces_s_per_km: list[float] = field(default_factory=list)  # one per rep, as rep_times_s
    flags: list[str] = field(default_factory=list)  # e.g. "warm-up short (9 min)", "fade 8 %"
    praise: list[str] = field(default_factory=list)  # e.g. "built through the reps"


@dataclass
class SessionResult:
    planned: PlannedSession
    status: str  # one of STATUSES
    activity_ids: list[str] = field(default_factory=list)
    actual: str | None = None  # the label that was run
    reps: str | None = None  # "8 of 8"
    volume_pct: float | None = None  # run volume / planned volume
    pinned: bool = False  # matched by hand (`syncd match`)
    execution: Execution | None = None
    flags: list[str] = field(default_factory=list)  # why not done: "5 of 8 reps", "well short"


@dataclass
class Warning:
    kind: str  # weekly_jump | two_week_jump | single_run_spike | acwr
    text: str  # human sentence with the numbers behind it
    numbers: dict[str, float] = field(default_factory=dict)


@dataclass
class WeekTotals:
    planned_sessions: int
    by_status: dict[str, int]
    planned_km: float | None
    run_km: float
    planned_min: float | None
    run_min: float
    easy_min: float
    hard_min: float
    easy_pct: float | None  # easy / (easy + hard) time
    long_run_done: bool | None  # None when no long run was planned


@dataclass
class WeekReport:
    """One ISO week of the athlete's local calendar against the plan."""

    week: str  # "2025-W11"
    start: date
    end: date
    plan_name: str | None
    sessions: list[SessionResult]
    extra: list[RunFact]
    totals: WeekTotals
    adherence_pct: float | None  # None when nothing was planned
    warnings: list[Warning]
    weeks_to_race: int | None
    race_name: str | None
    history: list[tuple[str, float | None, float]]  # last 12 weeks: (week, planned km, run km)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON digest shape (see README)."""

        def session(s: SessionResult) -> dict[str, Any]:
            out: dict[str, Any] = {
                "date": s.planned.day.isoformat(),
                "planned": s.planned.type,
                "workout": s.planned.workout.text if s.planned.workout else None,
                "minutes": s.planned.minutes,
                "km": s.planned.km,
                "status": s.status,
                "activity_ids": list(s.activity_ids),
                "actual": s.actual,
                "reps": s.reps,
                "volume_pct": s.volume_pct,
                "pinned": s.pinned,
            }
            if s.execution is not None:
                e = s.execution
                out["execution"] = {
                    "line": e.line, "warmup_min": e.warmup_min, "cooldown_min": e.cooldown_min,
                    "fade_pct": e.fade_pct, "recoveries": e.recoveries,
                    "reps_done": e.reps_done, "reps_planned": e.reps_planned,
                    "rep_times_s": e.rep_times_s, "flags": e.flags, "praise": e.praise,
                }
            return out

        t = self.totals
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "plan": self.plan_name,
            "sessions": [session(s) for s in self.sessions],
            "extra": [
                {"date": r.day.isoformat(), "activity_id": r.activity_id, "label": r.label,
                 "km": round(r.distance_m / 1000, 2), "minutes": round(r.moving_s / 60, 1)}
                for r in self.extra
            ],
            "totals": {**asdict(t), "planned_km": t.planned_km, "run_km": round(t.run_km, 1)},
            "adherence_pct": self.adherence_pct,
            "warnings": [{"kind": w.kind, "text": w.text, "numbers": w.numbers}
                         for w in self.warnings],
            "weeks_to_race": self.weeks_to_race,
            "race": self.race_name,
            "history": [{"week": w, "planned_km": p, "run_km": round(r, 1)}
                        for w, p, r in self.history],
        }
