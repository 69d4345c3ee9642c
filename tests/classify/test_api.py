"""Public API: labels for non-runs, races, manual entries, structured laps; JSON round trips."""

from __future__ import annotations

import json

import pytest

from syncd.classify import (
    CLASSIFIER_VERSION,
    LABELS,
    AthleteProfile,
    Classification,
    ClassifyInput,
    Rep,
    Thresholds,
    classify,
    easy_speed_from_history,
)
from syncd.classify.names import read_name
from syncd.classify.rules import hr_zone
from syncd.sources.records import LapRecord
from tests.classify.workouts import generate


def test_non_run_is_other_with_certainty() -> None:
    res = classify(ClassifyInput(sport_type="Ride", moving_s=3600))
    assert (res.label, res.confidence) == ("other", 1.0)
    assert res.reasons == ["Ride is not a run"]
    assert res.version == CLASSIFIER_VERSION


def test_race_tag_wins_over_streams() -> None:
    inp, label, _ = generate("race", 1)
    assert label == "race"
    res = classify(inp)
    assert res.label == "race" and "workout_type 1" in res.reasons[0]


@pytest.mark.parametrize(
    ("name", "workout_type", "minutes", "expected"),
    [
        ("8x200m track", None, 50, "interval"),
        ("10x100m", None, 45, "interval"),
        ("Pyramid session", None, 55, "interval"),
        ("Hill reps", None, 45, "hill"),
        ("10x30s hill sprints", None, 40, "hill"),
        ("Long run", None, 80, "long"),
        ("LR", None, 100, "long"),
        ("Afternoon Run", 2, 80, "long"),
        ("Morning Run", 3, 50, "interval"),  # workout_type 3 can tip a manual entry
        ("Morning Run", None, 40, "easy"),
        ("Morning Run", None, 100, "long"),
        ("Easy 8k", None, 50, "easy"),
    ],
)
def test_manual_entries_use_name_and_tag(name, workout_type, minutes, expected) -> None:
    inp = ClassifyInput(sport_type="Run", manual=True, name=name, workout_type=workout_type,
                        moving_s=minutes * 60.0, distance_m=minutes * 60 * 2.8)
    res = classify(inp)
    assert res.label == expected
    assert res.confidence <= 0.6  # summary-only labels are less sure
    assert any("manual entry" in r for r in res.reasons)


def test_names() -> None:
    assert read_name("8x200").reps == 8 and read_name("8x200").label == "interval"
    assert read_name("6 x 3 min").reps == 6
    assert read_name("Hill repeats").label == "hill"
    assert read_name("Sunday LR").label == "long"
    assert read_name("Clr run").label is None  # "lr" inside a word is not a long run
    assert read_name("Tempo").weak
    assert read_name("Hilly long run").label == "long"
    assert read_name("").label is None


def test_structured_workout_laps_give_reps() -> None:
    laps = [LapRecord(0, 0.0, 900.0, distance_m=2500, avg_speed=2.8, intensity="warmup")]
    t = 900.0
    for i in range(6):
        laps.append(LapRecord(len(laps), t, 180.0, distance_m=700, avg_speed=3.9,
                              intensity="active", workout_step=1))
        t += 180
        if i < 5:
            laps.append(LapRecord(len(laps), t, 90.0, distance_m=150, avg_speed=1.6,
                                  intensity="rest", workout_step=2))
            t += 90
    laps.append(LapRecord(len(laps), t, 600.0, distance_m=1600, intensity="cooldown"))
    res = classify(ClassifyInput(sport_type="Run", laps=laps, moving_s=t + 600,
                                 elapsed_s=t + 600))
    assert res.label == "interval" and len(res.reps) == 6
    assert res.warmup_s == 900.0 and res.cooldown_s == 600.0
    assert res.reps[0].recovery_s == 90.0


def test_to_dict_is_json_and_round_trips() -> None:
    inp, _, _ = generate("8x200", 2)
    res = classify(inp)
    assert res.reps
    d = json.loads(json.dumps(res.to_dict()))
    back = Classification.from_dict(d)
    assert back.label == res.label and len(back.reps) == len(res.reps)
    assert back.reps[0].recovery_kind == res.reps[0].recovery_kind
    assert Rep.from_dict(res.reps[0].to_dict()).start_s == pytest.approx(res.reps[0].start_s)
    assert d["warmup_s"] is not None and d["cooldown_s"] is not None


def test_easy_speed_from_history() -> None:
    assert easy_speed_from_history([]) is None
    assert easy_speed_from_history([2.8, 2.9]) is None  # too few
    assert easy_speed_from_history([2.8, 2.9, 3.0, float("nan"), 40.0]) == pytest.approx(2.9)


def test_profile_easy_speed_is_used() -> None:
    inp, _, truth = generate("4x6min", 4)
    # The lower of the history and the run's own easy running is the reference.
    res = classify(inp, AthleteProfile(easy_speed=0.9 * truth["easy_speed"]))
    assert res.label == "interval"
    assert any("the athlete's easy pace" in r for r in res.reasons)


def test_hr_zones() -> None:
    assert hr_zone(150, AthleteProfile()) is None
    assert hr_zone(150, AthleteProfile(max_hr=190, resting_hr=50)) == "zone 3"  # 71 % HRR
    assert hr_zone(175, AthleteProfile(threshold_hr=170)) == "zone 5"


def test_thresholds_are_frozen_and_used() -> None:
    th = Thresholds()
    with pytest.raises(AttributeError):
        th.long_run_minutes = 60  # type: ignore[misc]
    inp = ClassifyInput(sport_type="Run", manual=True, name="Morning Run", moving_s=70 * 60)
    assert classify(inp).label == "easy"
    assert classify(inp, thresholds=Thresholds(long_run_minutes=60)).label == "long"
    assert set(LABELS) == {"easy", "hill", "interval", "long", "race", "other"}
