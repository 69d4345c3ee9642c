"""Hill sessions: reps that climb.

A session is a hill session when most of its reps go uphill: repeats of one slope, clusters on
two or three slopes, or surges up a long climb. The effort is grade-adjusted, so an uphill rep
at only ~15 % above easy speed still counts as a rep; a climb run at easy effort does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncd.classify.features import Track
from syncd.classify.model import Rep
from syncd.classify.thresholds import Thresholds


@dataclass
class HillCheck:
    uphill: int
    hill: bool
    why: str


def hill_check(track: Track | None, reps: list[Rep], th: Thresholds) -> HillCheck:
    """hill when at least `hill_share` of the reps climb `hill_grade_pct` and
    `hill_min_climb_m`."""
    if track is None or track.alt is None or not reps:
        return HillCheck(0, False, "no altitude")
    up = [r for r in reps if r.mean_grade is not None and r.mean_grade >= th.hill_grade_pct
          and r.mean_grade * r.distance_m / 100.0 >= th.hill_min_climb_m]
    if len(up) < th.hill_share * len(reps):
        return HillCheck(len(up), False, f"{len(up)} of {len(reps)} reps uphill")
    return HillCheck(len(up), True, f"{len(up)} of {len(reps)} reps uphill")
