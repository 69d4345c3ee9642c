"""Calendar import from the three exports coaches use, and the TOML it renders."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from syncd.plan.errors import PlanError
from syncd.plan.ics import classify_summary, import_ics, sessions_to_toml
from syncd.plan.planfile import parse_plan


def _crlf(text: str) -> str:
    return "\r\n".join(text.strip("\n").splitlines()) + "\r\n"


# TrainingPeaks: all-day events, "Run: ..." summaries, the plan in the description.
TRAININGPEAKS = _crlf("""
BEGIN:VCALENDAR
PRODID:-//TrainingPeaks//TrainingPeaks Calendar//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:TrainingPeaks - Athlete
BEGIN:VEVENT
UID:tp-2025011401@trainingpeaks.com
DTSTAMP:20250101T080000Z
DTSTART;VALUE=DATE:20250114
DTEND;VALUE=DATE:20250115
SUMMARY:Run: Track Intervals
DESCRIPTION:Planned Duration: 0:50:00\\nWarm up 20 min easy\\, then 8x200m @ 3k
  pace with 200 m walks\\, cool down 10 min.
END:VEVENT
BEGIN:VEVENT
UID:tp-2025011501@trainingpeaks.com
DTSTAMP:20250101T080000Z
DTSTART;VALUE=DATE:20250115
DTEND;VALUE=DATE:20250116
SUMMARY:Run: Easy 45 min
DESCRIPTION:Conversational pace\\, Z2.
END:VEVENT
BEGIN:VEVENT
UID:tp-2025011601@trainingpeaks.com
DTSTAMP:20250101T080000Z
DTSTART;VALUE=DATE:20250116
DTEND;VALUE=DATE:20250117
SUMMARY:Strength: Core circuit
END:VEVENT
BEGIN:VEVENT
UID:tp-2025011801@trainingpeaks.com
DTSTAMP:20250101T080000Z
DTSTART;VALUE=DATE:20250118
DTEND;VALUE=DATE:20250119
SUMMARY:Run: Long Run 25 km
DESCRIPTION:Hilly route\\, fuel every 30 min.
END:VEVENT
END:VCALENDAR
""")

# intervals.icu: timed events in UTC with DTEND; one starts 23:30Z = 00:30 in Paris.
INTERVALS_ICU = _crlf("""
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//intervals.icu//Calendar//EN
X-WR-CALNAME:intervals.icu
BEGIN:VEVENT
UID:123456-workout@intervals.icu
DTSTAMP:20250110T101500Z
DTSTART:20250121T170000Z
DTEND:20250121T180000Z
SUMMARY:VO2max 5x1km
DESCRIPTION:- 15m Z2\\n- 5x 1km Z5 2m rest\\n- 10m Z1
END:VEVENT
BEGIN:VEVENT
UID:123457-workout@intervals.icu
DTSTAMP:20250110T101500Z
DTSTART:20250122T233000Z
DTEND:20250123T001500Z
SUMMARY:Recovery run
END:VEVENT
BEGIN:VEVENT
UID:123458-workout@intervals.icu
DTSTAMP:20250110T101500Z
DTSTART:20250123T063000Z
DURATION:PT55M
SUMMARY:Hill repeats 10x30s
DESCRIPTION:Walk down.
END:VEVENT
BEGIN:VEVENT
UID:123459-note@intervals.icu
DTSTAMP:20250110T101500Z
DTSTART;VALUE=DATE:20250124
SUMMARY:Tempo 20'
END:VEVENT
END:VCALENDAR
""")

# Final Surge: all-day events, "Run - ..." summaries, a double on one day, a rest day.
FINAL_SURGE = _crlf("""
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Final Surge//Final Surge Calendar//EN
X-WR-CALNAME:Final Surge Training Calendar
BEGIN:VEVENT
UID:fs-9f1c2a@finalsurge.com
DTSTART;VALUE=DATE:20250127
SUMMARY:Rest Day
END:VEVENT
BEGIN:VEVENT
UID:fs-9f1c2b@finalsurge.com
DTSTART;VALUE=DATE:20250128
SUMMARY:Run - 6x800m
DESCRIPTION:6 x 800m at 5k pace\\, 400m jog recoveries. Total 10 km.
END:VEVENT
BEGIN:VEVENT
UID:fs-9f1c2c@finalsurge.com
DTSTART;VALUE=DATE:20250129
SUMMARY:Run - Easy Aerobic 1h
END:VEVENT
BEGIN:VEVENT
UID:fs-9f1c2d@finalsurge.com
DTSTART;VALUE=DATE:20250129
SUMMARY:Run - Recovery 20 min
END:VEVENT
BEGIN:VEVENT
UID:fs-9f1c2e@finalsurge.com
DTSTART;VALUE=DATE:20250130
SUMMARY:Strength & Mobility
END:VEVENT
BEGIN:VEVENT
UID:fs-9f1c2f@finalsurge.com
DTSTART;VALUE=DATE:20250202
SUMMARY:Run - Race: Cross des Vosges 10 km
END:VEVENT
END:VCALENDAR
""")


def _by_day(sessions):
    return {s.day: s for s in sessions}


def test_trainingpeaks():
    got = import_ics(TRAININGPEAKS.encode())
    s = _by_day(got)
    assert sorted(s) == [date(2025, 1, 14), date(2025, 1, 15), date(2025, 1, 18)]
    tue = s[date(2025, 1, 14)]
    assert (tue.type, tue.workout.text, tue.workout.reps, tue.minutes) == (
        "interval", "8x200m", 8, 50.0)
    assert "200 m walks" in tue.note  # the folded description line is unfolded
    assert (s[date(2025, 1, 15)].type, s[date(2025, 1, 15)].minutes) == ("easy", 45.0)
    long = s[date(2025, 1, 18)]
    assert (long.type, long.km, long.minutes) == ("long", 25.0, None)
    assert got.events == 4
    assert [(k.day, k.summary) for k in got.skipped] == [
        (date(2025, 1, 16), "Strength: Core circuit")]


def test_intervals_icu_timed_events_in_the_athletes_zone():
    got = import_ics(INTERVALS_ICU, tz=ZoneInfo("Europe/Paris"))
    s = _by_day(got)
    vo2 = s[date(2025, 1, 21)]
    assert (vo2.type, vo2.workout.distances_m, vo2.minutes) == ("interval", (1000.0,) * 5, 60.0)
    assert vo2.km is None  # the 1 km of "5x1km" is a rep, not the session
    # 23:30 UTC on the 22nd is 00:30 on the 23rd in Paris: the athlete's day
    rec = s[date(2025, 1, 23)]
    assert (rec.type, rec.minutes) == ("easy", 45.0)
    assert date(2025, 1, 22) not in s
    # "hill repeats" is a hill session, not intervals; the second session that day is skipped
    assert [(k.summary, k.reason) for k in got.skipped] == [
        ("Hill repeats 10x30s", "another session that day"),
        ("Tempo 20'", "no session type in the summary")]
    # without a zone the event's own (UTC) date is used
    assert date(2025, 1, 22) in _by_day(import_ics(INTERVALS_ICU))


def test_final_surge_and_custom_mapping(tmp_path):
    path = tmp_path / "finalsurge.ics"
    path.write_text(FINAL_SURGE, newline="")
    s = _by_day(import_ics(path))
    assert s[date(2025, 1, 27)].type == "rest"
    six = s[date(2025, 1, 28)]
    assert (six.type, six.workout.reps, six.km) == ("interval", 6, 10.0)  # reps, no keyword
    assert (s[date(2025, 1, 29)].type, s[date(2025, 1, 29)].minutes) == ("easy", 60.0)
    assert (s[date(2025, 2, 2)].type, s[date(2025, 2, 2)].km) == ("race", 10.0)
    tempo = _by_day(import_ics(INTERVALS_ICU, {"tempo|threshold": "interval"}))
    assert tempo[date(2025, 1, 24)].type == "interval"
    assert classify_summary("Long run", {"long": "easy"}) == "easy"  # overrides the default
    assert classify_summary("Hill repeats") == "hill"
    assert classify_summary("8x400m w/ 90s rest") == "interval"
    assert classify_summary("Day off") == "rest"
    assert classify_summary("Offroad shoes review") is None
    with pytest.raises(PlanError, match="expected one of"):
        import_ics(FINAL_SURGE, {"tempo": "threshold"})


def test_sessions_to_toml_round_trips_through_the_plan_file():
    sessions = [*import_ics(TRAININGPEAKS), *import_ics(FINAL_SURGE)]
    text = sessions_to_toml(sessions)
    assert text.startswith("[[session]]\ndate = 2025-01-14\ntype = \"interval\"\n")
    plan = parse_plan('name = "imported"\nstart = 2025-01-13\nend = 2025-02-02\n\n' + text)
    for s in sessions:
        assert plan.session_on(s.day) == s


def test_garbage_is_a_plan_error():
    with pytest.raises(PlanError):
        import_ics(b"this is not a calendar")
