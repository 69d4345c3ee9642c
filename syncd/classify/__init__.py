"""Run classification for the coach's plan (issue 3): pure functions, no I/O, no database.

    result = classify(ClassifyInput.from_record(rec), AthleteProfile(easy_speed=2.9))
    result.label        # "easy" | "hill" | "interval" | "long" | "race" | "other"
    result.reasons      # ["9 fast reps of 16-38 s at 5.9-6.8 m/s with walked recoveries", ...]
    result.reps         # the reps of a quality session, with their recoveries

Every threshold lives in `Thresholds`; bump CLASSIFIER_VERSION when rules or defaults change so
stored labels can be recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from syncd.classify.model import AthleteProfile, Classification, ClassifyInput, Rep
from syncd.classify.rules import VERSION, classify_input
from syncd.classify.thresholds import Thresholds

CLASSIFIER_VERSION = VERSION
LABELS: tuple[str, ...] = ("easy", "hill", "interval", "long", "race", "other")

__all__ = [
    "CLASSIFIER_VERSION",
    "LABELS",
    "AthleteProfile",
    "Classification",
    "ClassifyInput",
    "Rep",
    "Thresholds",
    "classify",
    "easy_speed_from_history",
]

_DEFAULT_PROFILE = AthleteProfile()
_DEFAULT_THRESHOLDS = Thresholds()


def classify(
    inp: ClassifyInput,
    profile: AthleteProfile = _DEFAULT_PROFILE,
    thresholds: Thresholds = _DEFAULT_THRESHOLDS,
) -> Classification:
    """Label one activity, with reasons and the reps of a quality session."""
    return classify_input(inp, profile, thresholds)


def easy_speed_from_history(
    own_easy_efforts: Sequence[float], thresholds: Thresholds = _DEFAULT_THRESHOLDS
) -> float | None:
    """The athlete's easy effort (m/s): the median of the own easy efforts
    (`Classification.easy_effort`) of their latest runs; None if too few.

    A median, not a mean: one race, one run with a dropped GPS or a walk with the dog must not
    move it. Every run counts, whatever its label, so no label feeds back into the history.
    """
    arr = np.array([s for s in own_easy_efforts if s is not None], dtype=float)
    arr = arr[np.isfinite(arr) & (arr > 0.5) & (arr < thresholds.max_speed)]
    if len(arr) < thresholds.easy_history_min_runs:
        return None
    return float(np.median(arr))
