"""The merge policy, apart from the store that applies it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from syncd.sources import merge

T = datetime(2025, 4, 1, 6, 30, tzinfo=UTC)


def test_same_run_rule() -> None:
    assert merge.same_run(T, 10_000, T + timedelta(seconds=59), 10_290)
    assert not merge.same_run(T, 10_000, T + timedelta(seconds=61), 10_000)  # a minute apart
    assert not merge.same_run(T, 10_000, T, 10_400)  # 4 % apart: another run
    assert merge.same_run(T, None, T, 0) and not merge.same_run(T, None, T, 5000)


def test_whose_summary_wins() -> None:
    assert merge.takes_summary("strava", "file")  # the athlete's own edits live on Strava
    assert not merge.takes_summary("file", "strava")  # a file only fills gaps
    assert merge.takes_summary("file", "file") and merge.takes_summary("garmin", None)
    assert not merge.takes_summary("garmin", "file")  # equal rank: the first one stays


def test_an_edit_is_what_the_source_says_it_is() -> None:
    a = {"name": "Run", "distance": 5000.0, "kudos_count": 1}
    assert merge.edit_fingerprint("strava", a) == merge.edit_fingerprint(
        "strava", {**a, "kudos_count": 9})  # counters are not edits
    assert merge.edit_fingerprint("strava", a) != merge.edit_fingerprint(
        "strava", {**a, "name": "Hill reps"})
    assert merge.edit_fingerprint("memory", {"x": 1}) != merge.edit_fingerprint("memory",
                                                                                {"x": 2})


def test_default_names_follow_the_local_time_of_day() -> None:
    assert merge.default_name(datetime(2025, 1, 1, 7), "Run") == "Morning Run"
    assert merge.default_name(datetime(2025, 1, 1, 12), "TrailRun") == "Lunch Trail Run"
    assert merge.default_name(datetime(2025, 1, 1, 23), "Yoga") == "Night Activity"
