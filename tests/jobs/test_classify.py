"""Classification wired to the store: automatic on import, user labels kept, history used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from syncd.classify import AthleteProfile, Thresholds
from syncd.jobs.classify import classify_activities
from syncd.jobs.importer import import_files
from tests.conftest import make_record

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 3, 3, 6, 30, tzinfo=UTC)


def run_classify(store, athlete, ids):
    return classify_activities(store, athlete, ids, profile=AthleteProfile(),
                               thresholds=Thresholds())


def test_samples_get_the_labels_they_were_made_as(store):
    athlete = store.ensure_athlete()
    report = import_files(store, athlete, [REPO / "samples"], default_tz="Europe/Paris")
    run_classify(store, athlete, report.changed_ids)
    labels = [r.classification.label for r in store.activities(athlete.id)]
    assert sorted(labels) == ["easy", "hill", "interval", "long", "other"]
    intervals = next(r for r in store.activities(athlete.id)
                     if r.classification.label == "interval")
    assert len(intervals.classification.reps) == 8
    assert intervals.classification.warmup_s and intervals.classification.cooldown_s


def test_user_label_survives_reclassification(store):
    athlete = store.ensure_athlete()
    res = store.save_activity(athlete.id, make_record("file", "x", samples=1200),
                              default_tz="UTC")
    run_classify(store, athlete, [res.activity_id])
    auto = store.classification(res.activity_id)
    assert auto.label_source == "auto"
    store.set_user_label(res.activity_id, "long")
    run_classify(store, athlete, [res.activity_id])
    row = store.classification(res.activity_id)
    assert (row.label, row.label_source, row.auto_label) == ("long", "user", auto.label)


def test_race_from_strava_workout_type_is_label_source_strava(store):
    athlete = store.ensure_athlete()
    res = store.save_activity(athlete.id, make_record("strava", "9", workout_type=1),
                              default_tz="UTC")
    run_classify(store, athlete, [res.activity_id])
    row = store.classification(res.activity_id)
    assert (row.label, row.label_source) == ("race", "strava")


def test_non_runs_are_other(store):
    athlete = store.ensure_athlete()
    res = store.save_activity(athlete.id, make_record("file", "r", sport="Ride"),
                              default_tz="UTC")
    run_classify(store, athlete, [res.activity_id])
    assert store.classification(res.activity_id).label == "other"


def test_easy_effort_history_is_every_earlier_run_whatever_its_label(store):
    athlete = store.ensure_athlete()
    ids = []
    for i in range(5):
        r = store.save_activity(
            athlete.id, make_record("file", f"e{i}", start=T0 + timedelta(days=i), distance=9000,
                                    samples=600), default_tz="UTC")
        ids.append(r.activity_id)
    run_classify(store, athlete, ids)
    store.set_user_label(ids[0], "interval")  # a label does not take a run out of the history
    efforts = store.easy_efforts_before(athlete.id, T0 + timedelta(days=10))
    assert len(efforts) == 5 and all(abs(s - 3.0) < 0.1 for s in efforts)
    assert len(store.easy_efforts_before(athlete.id, T0 + timedelta(days=2))) == 2
    assert store.later_runs(athlete.id, T0 + timedelta(hours=1), 2) == ids[1:3]


def test_reclassify_only_missing_or_old_versions(store):
    athlete = store.ensure_athlete()
    ids = [store.save_activity(athlete.id, make_record("file", f"a{i}",
                                                       start=T0 + timedelta(days=i)),
                               default_tz="UTC").activity_id for i in range(3)]
    run_classify(store, athlete, ids[:2])
    from syncd.classify import CLASSIFIER_VERSION

    todo = store.activity_ids_to_classify(athlete.id, only_missing=True,
                                          version=CLASSIFIER_VERSION)
    assert todo == ids[2:]
    assert store.activity_ids_to_classify(athlete.id) == ids
