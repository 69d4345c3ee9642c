"""Classify stored activities: read from the store, call the pure classifier, store the result.

The athlete's easy pace is learned from their own history (the rolling median of the easy runs
before each activity), so activities are classified oldest first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import structlog

from syncd.classify import (
    AthleteProfile,
    ClassifyInput,
    Thresholds,
    classify,
    easy_speed_from_history,
)
from syncd.sources.records import LapRecord
from syncd.store.repo import Store
from syncd.store.tables import Activity, Athlete

log = structlog.get_logger("syncd.classify")


@dataclass
class ClassifyReport:
    classified: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    failed: int = 0

    def summary_line(self) -> str:
        counts = ", ".join(f"{n} {label}" for label, n in sorted(self.labels.items()))
        return f"classified {self.classified} activities" + (f": {counts}" if counts else "") + (
            f"; {self.failed} failed (see the log)" if self.failed else ""
        )


def classify_input(store: Store, activity: Activity) -> ClassifyInput:
    assert activity.id is not None
    laps = [
        LapRecord(index=lap.idx, start_offset_s=lap.start_offset_s, elapsed_s=lap.elapsed_s,
                  moving_s=lap.moving_s, distance_m=lap.distance_m, avg_hr=lap.avg_hr,
                  max_hr=lap.max_hr, avg_speed=lap.avg_speed, intensity=lap.intensity,
                  workout_step=lap.workout_step, name=lap.name)
        for lap in store.laps(activity.id)
    ]
    return ClassifyInput(
        sport_type=activity.sport_type, trainer=activity.trainer, manual=activity.manual,
        workout_type=activity.workout_type, name=activity.name, moving_s=activity.moving_s,
        elapsed_s=activity.elapsed_s, distance_m=activity.distance_m,
        elevation_gain_m=activity.elevation_gain_m, avg_hr=activity.avg_hr,
        streams=store.streams(activity.id), laps=laps,
        workout_steps=store.workout_steps(activity.id),
    )


def label_source(label: str, activity: Activity, inp: ClassifyInput) -> str:
    """`strava` when the athlete's own Strava tag decided the label, else `auto`."""
    if label == "race" and activity.workout_type == 1:
        return "strava"
    if inp.streams is None and activity.workout_type in (2, 3) and label in ("long", "interval"):
        return "strava"
    return "auto"


def classify_activities(
    store: Store,
    athlete: Athlete,
    ids: Iterable[int],
    *,
    profile: AthleteProfile,
    thresholds: Thresholds,
) -> ClassifyReport:
    """Classify each activity and commit it on its own; one bad activity never stops the rest."""
    assert athlete.id is not None
    report = ClassifyReport()
    for activity_id in sorted(set(ids)):
        activity = store.activity(activity_id)
        if activity is None or activity.deleted_at is not None:
            continue
        try:
            inp = classify_input(store, activity)
            speeds = store.easy_speeds_before(athlete.id, activity.start_utc)
            who = replace(profile, easy_speed=easy_speed_from_history(speeds))
            result = classify(inp, who, thresholds)
        except Exception:  # a classifier bug must not stop a pull or an import
            report.failed += 1
            log.exception("classify.failed", activity=activity_id)
            continue
        data = result.to_dict()
        data["label_source"] = label_source(result.label, activity, inp)
        row = store.save_classification(activity_id, data)
        report.classified += 1
        report.labels[row.label] += 1
        log.info("classify.done", activity=activity_id, label=row.label,
                 source=row.label_source, confidence=round(result.confidence, 2))
    return report
