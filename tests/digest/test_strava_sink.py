"""The Strava description line: right words, appended once, never twice."""

from __future__ import annotations

from datetime import date

from syncd.digest.strava_sink import append_line, description_line
from syncd.plan.model import PlannedSession, SessionResult, Workout
from tests.digest.fixtures import rich_report


def test_description_lines():
    s = rich_report().sessions
    assert description_line(s[1]) == "syncd: interval - planned 8x200m, 8 of 8 reps"
    assert description_line(s[2]) == "syncd: easy - planned easy 45 min, partial"
    assert description_line(s[3]) == "syncd: hill - planned 10x60s, 10 of 10 reps (moved)"
    assert description_line(s[4]) == "syncd: interval - planned easy 40 min, substituted"
    assert description_line(s[6]) == "syncd: long - planned long 24 km, done"
    partial = SessionResult(
        PlannedSession(date(2025, 3, 11), "interval", workout=Workout("6x800m\nfast", reps=6)),
        "partial", actual="interval", reps="4 of 6")
    line = description_line(partial)
    assert line == "syncd: interval - planned 6x800m fast, 4 of 6 reps (partial)"
    assert "\n" not in line


def test_append_once():
    line = "syncd: interval - planned 8x200m, 8 of 8 reps"
    assert append_line(None, line) == line
    assert append_line("   ", line) == line
    first = append_line("Windy on the track.\n", line)
    assert first == f"Windy on the track.\n{line}"
    assert append_line(first, line) is None
    # Any earlier syncd line counts, even an older wording or different case.
    assert append_line("Nice.\nSyncd: easy - planned easy 45 min, done", line) is None
    # "syncd:" inside a sentence is not our line.
    assert append_line("I love syncd: it works", line) == f"I love syncd: it works\n{line}"
