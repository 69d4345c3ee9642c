"""The plan stage: the coach's plan (TOML or calendar import) held against what was run.

Pure code, no I/O beyond reading the plan/calendar file: the caller loads RunFacts from the
store and hands the WeekReport to the digest.
"""

from __future__ import annotations

from syncd.plan.errors import PlanError
from syncd.plan.execution import describe_execution
from syncd.plan.load import load_warnings
from syncd.plan.matching import MatchResult, judge, match_week
from syncd.plan.model import (
    SESSION_TYPES,
    STATUSES,
    Execution,
    PlannedSession,
    RepFact,
    RunFact,
    SessionResult,
    Warning,
    WeekReport,
    WeekTotals,
    Workout,
)
from syncd.plan.planfile import Plan, PlanWeek, Race, describe_plan, load_plan, parse_plan
from syncd.plan.week import build_week
from syncd.plan.workouts import find_workout, parse_workout, workout_text

_ICS = ("IcsImport", "SkippedEvent", "import_ics", "sessions_to_toml")


def __getattr__(name: str) -> object:
    # icalendar is only needed by `syncd plan import`: load it on first use.
    if name in _ICS:
        from syncd.plan import ics

        return getattr(ics, name)
    raise AttributeError(f"module 'syncd.plan' has no attribute {name!r}")


__all__ = [
    "SESSION_TYPES", "STATUSES", "Execution", "IcsImport", "MatchResult", "Plan", "PlanError",
    "PlanWeek", "PlannedSession", "Race", "RepFact", "RunFact", "SessionResult", "SkippedEvent",
    "Warning", "WeekReport", "WeekTotals", "Workout", "build_week", "describe_execution",
    "describe_plan", "find_workout", "import_ics", "judge", "load_plan", "load_warnings",
    "match_week", "parse_plan", "parse_workout", "sessions_to_toml", "workout_text",
]
