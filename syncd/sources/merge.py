"""Domain policy for one run seen by several sources: when two records are the same run, whose
summary wins, whose samples are kept, what counts as an edit, and what an unnamed run is called.

Pure functions over records; the store applies them (and is the only code that talks SQL).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from syncd.sources.records import Streams

# Two sources describe the same run when they start within a minute and agree on distance.
MATCH_START_S = 60
MATCH_DISTANCE_FRACTION = 0.03
MATCH_WINDOW = timedelta(seconds=MATCH_START_S)

# Whose summary (name, tags the athlete edits) wins when several sources know a run: the lower
# rank. Strava holds the athlete's own edits; the watch's own data and files fill what it lacks.
SOURCE_RANK: dict[str, int] = {"strava": 0}
_DEFAULT_RANK = 10


def rank(source: str) -> int:
    return SOURCE_RANK.get(source, _DEFAULT_RANK)


def takes_summary(incoming: str, primary: str | None) -> bool:
    """Does a record from `incoming` set the summary of a run whose primary source is
    `primary`? Yes for the primary itself and for a better-ranked source; others fill gaps."""
    return primary is None or incoming == primary or rank(incoming) < rank(primary)


def distance_agrees(a: float | None, b: float | None) -> bool:
    if not a or not b:
        return not a and not b
    return abs(a - b) <= MATCH_DISTANCE_FRACTION * max(a, b)


def same_run(start_a: datetime, dist_a: float | None, start_b: datetime,
             dist_b: float | None) -> bool:
    """The same-run rule: starts within MATCH_START_S, distances within 3 %."""
    return abs((start_a - start_b).total_seconds()) <= MATCH_START_S and distance_agrees(
        dist_a, dist_b)


def keep_current_streams(current: Streams, incoming: Streams) -> bool:
    """Another source's samples are kept unless the incoming ones are richer (more useful
    columns, then more samples)."""
    return current.richness() >= incoming.richness()


def edit_fingerprint(source: str, raw: dict[str, Any]) -> tuple[Any, ...]:
    """What of a source's raw JSON counts as an edit (a change re-derives the activity)."""
    if source == "strava":
        from syncd.sources.strava.convert import TRACKED_FIELDS

        return tuple(raw.get(k) for k in TRACKED_FIELDS)
    return tuple(sorted((k, repr(v)) for k, v in raw.items()))


_SPORT_WORDS = {"Run": "Run", "TrailRun": "Trail Run", "VirtualRun": "Virtual Run",
                "Ride": "Ride", "VirtualRide": "Virtual Ride", "Swim": "Swim", "Walk": "Walk",
                "Hike": "Hike"}


def default_name(start_local: datetime, sport_type: str) -> str:
    """'Morning Run', 'Lunch Ride'...: the athlete-local part of the day, like Strava."""
    h = start_local.hour
    part = ("Night" if h < 5 else "Morning" if h < 11 else "Lunch" if h < 14
            else "Afternoon" if h < 18 else "Evening" if h < 22 else "Night")
    return f"{part} {_SPORT_WORDS.get(sport_type, 'Activity')}"
