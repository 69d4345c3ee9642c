"""The easy effort a run is measured against: the athlete's history, else the run itself.

A run's own easy effort is the slow end of its steady running (a low percentile of the
half-minute mean effort while running): warm-up, cool-down and jogs, not the reps, even when the
warm-up is five minutes and the reps are half the session. It depends on the run alone, so the
history built from it (the median over the runs before a date) depends only on which runs came
before, never on their labels or on the order they were imported in.
"""

from __future__ import annotations

import numpy as np

from syncd.classify.features import Track, _moving_average
from syncd.classify.model import AthleteProfile
from syncd.classify.thresholds import Thresholds


def own_easy_effort(track: Track, th: Thresholds) -> float | None:
    """The run's own easy effort (m/s, grade-adjusted); None with under 5 min of running."""
    running = track.speed >= th.walk_speed
    if running.sum() * track.step < th.own_easy_min_s:
        return None
    smooth = _moving_average(track.effort, max(1, int(round(th.own_easy_window_s / track.step))))
    return float(np.percentile(smooth[running], th.own_easy_percentile))


def reference_effort(
    track: Track, profile: AthleteProfile, th: Thresholds
) -> tuple[float | None, str]:
    """(easy effort, where it came from): the lower of the athlete's and the run's own.

    The lower one, because each fails upwards: a run's own is the reps' pace when there is no
    easy running in it (3 x 10 min with walks), the history is too fast on a tired week.
    """
    own = own_easy_effort(track, th)
    hist = profile.easy_speed if profile.easy_speed and profile.easy_speed > 0 else None
    if hist is not None and (own is None or hist <= own):
        return float(hist), "the athlete's easy pace"
    if own is not None:
        return own, "its own easy running"
    return None, ""
