"""Classify stored activities: read from the store, call the pure classifier, store the result.

The athlete's easy effort at a date is the median of the own easy efforts of the runs before it
(whatever their labels), so a label depends only on the activity and the runs before it: never
on the order they were imported in. Activities are classified oldest first; a run classified
for the first time (or again) changes the history of the runs after it, and those are
re-classified too.
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
    todo = _oldest_first(store, ids)
    window = thresholds.easy_history_runs
    done: set[int] = set()
    for activity in todo:
        _classify_one(store, athlete.id, activity, profile, thresholds, report)
        done.add(activity.id)  # type: ignore[arg-type]
    # The runs whose history now holds a run classified above: the next `window` runs.
    later: set[int] = set()
    for activity in todo:
        later.update(store.later_runs(athlete.id, activity.start_utc, window))
    for activity in _oldest_first(store, later - done):
        _classify_one(store, athlete.id, activity, profile, thresholds, report)
    return report


def _oldest_first(store: Store, ids: Iterable[int]) -> list[Activity]:
    rows = [store.activity(i) for i in set(ids)]
    live = [a for a in rows if a is not None and a.deleted_at is None]
    return sorted(live, key=lambda a: (a.start_utc, a.id))


def _classify_one(store: Store, athlete_id: int, activity: Activity, profile: AthleteProfile,
                  thresholds: Thresholds, report: ClassifyReport) -> None:
    """Classify and commit one activity; a failure is counted and logged, never raised."""
    assert activity.id is not None
    try:
        inp = classify_input(store, activity)
        efforts = store.easy_efforts_before(athlete_id, activity.start_utc,
                                            thresholds.easy_history_runs)
        who = replace(profile, easy_speed=easy_speed_from_history(efforts, thresholds))
        result = classify(inp, who, thresholds)
    except Exception:  # a classifier bug must not stop a pull or an import
        report.failed += 1
        log.exception("classify.failed", activity=activity.id)
        return
    data = result.to_dict()
    data["label_source"] = label_source(result.label, activity, inp)
    row = store.save_classification(activity.id, data)
    report.classified += 1
    report.labels[row.label] += 1
    log.info("classify.done", activity=activity.id, label=row.label,
             source=row.label_source, confidence=round(result.confidence, 2))
