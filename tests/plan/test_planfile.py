"""The plan file: the example loads; every kind of bad input names file, line and key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from syncd.plan.errors import PlanError
from syncd.plan.planfile import describe_plan, key_line, load_plan, parse_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "plan.example.toml"

GOOD = """\
name = "Block"
start = 2025-01-06
end = 2025-01-22
race = { name = "Race", date = 2025-01-25 }

[week]
mon = "rest"
tue = { type = "interval", workout = "8x200m", minutes = 50 }
wed = { type = "easy", minutes = 45 }
thu = { type = "hill", workout = "10x30s", minutes = 55 }
fri = "rest"
sat = { type = "long", minutes = 150 }
sun = { type = "easy", km = 8 }

[volume]
km = [50, 54]

[[session]]
date = 2025-01-15
type = "interval"
workout = "100-200-300-200-100"

[[session]]
date = 2025-01-17
type = "easy"
note = "shakeout, legs only"
"""


def test_example_plan_loads():
    plan = load_plan(EXAMPLE)
    assert plan.name == "UTMB Alsace 100M - speed block"
    assert (plan.start, plan.end) == (date(2025, 1, 6), date(2025, 5, 11))
    assert plan.race is not None and plan.race.date == date(2025, 5, 16)
    tue = plan.session_on(date(2025, 1, 7))
    assert tue is not None and tue.workout is not None
    assert (tue.type, tue.minutes, tue.workout.reps) == ("interval", 50.0, 8)
    dated = plan.session_on(date(2025, 2, 12))  # replaces Wednesday's easy run
    assert dated.type == "interval" and dated.workout.distances_m == (100, 200, 300, 200, 100)
    assert plan.session_on(date(2025, 2, 14)).type == "rest"
    assert plan.session_on(date(2025, 1, 5)) is None  # before the plan
    assert plan.session_on(date(2025, 5, 12)) is None  # after it
    assert plan.volume_km(date(2025, 1, 8)) == 50.0  # any day of week 1
    assert plan.volume_km(date(2025, 2, 17)) is None  # no target given for week 7
    weeks = list(plan.weeks())
    assert len(weeks) == 18 and weeks[-1].start == date(2025, 5, 5)
    lines = describe_plan(plan)
    assert lines[0] == ("W1 2025-01-06: interval 8x200m (Tue), easy 45 min (Wed), hill 10x30s "
                        "(Thu), long 150 min (Sat), easy 8 km (Sun) — 50 km")
    assert "interval 100-200-300-200-100 (Wed)" in lines[5] and "(Fri)" not in lines[5]


def test_plan_ending_mid_week_and_rest_days():
    plan = parse_plan(GOOD)
    last = list(plan.weeks())[-1]
    assert [s.day.isoformat() for s in last.sessions] == ["2025-01-20", "2025-01-21",
                                                          "2025-01-22"]
    assert last.volume_km is None
    assert plan.session_on(date(2025, 1, 17)).note == "shakeout, legs only"
    assert plan.session_on(date(2025, 1, 6)).type == "rest"
    lines = describe_plan(plan)
    assert "easy shakeout, legs only (Fri)" in lines[1]
    assert lines[2] == ("W3 2025-01-20: interval 8x200m (Tue), easy 45 min (Wed) "
                        "(race: Race, Sat)")


def test_day_left_out_means_nothing_planned():
    plan = parse_plan('name = "x"\nstart = 2025-01-06\nend = 2025-01-12\n[week]\ntue = "easy"\n')
    assert plan.session_on(date(2025, 1, 7)).type == "easy"
    assert plan.session_on(date(2025, 1, 8)) is None


def _bad(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


BAD = [
    # (source, line, key, expected text)
    (_bad('type = "interval", workout = "8x200m"', 'type = "tempo", workout = "8x200m"'), 8,
     "week.tue.type",
     "expected one of easy, hill, interval, long, race, rest, got 'tempo'"),
    (_bad('mon = "rest"', 'mon = "off"'), 7, "week.mon",
     "expected one of easy, hill, interval, long, race, rest, got 'off'"),
    (_bad("wed = { type", "wednesday = { type"), 9, "week.wednesday", "unknown key"),
    (_bad("minutes = 45 }", "minutes = 45, pace = 5 }"), 9, "week.wed.pace", "unknown key"),
    (_bad("minutes = 45 }", "minutes = -45 }"), 9, "week.wed.minutes",
     "expected a positive number, got -45"),
    (_bad("km = 8 }", 'km = "8" }'), 13, "week.sun.km", "expected a positive number, got '8'"),
    (_bad('mon = "rest"', 'mon = { type = "rest", minutes = 20 }'), 7, "week.mon.minutes",
     "a rest day takes no workout"),
    (_bad('name = "Block"', 'name = "Block"\ncoach = "Jo"'), 2, "coach", "unknown key"),
    (_bad("start = 2025-01-06", "start = 2025-01-07"), 2, "start",
     "expected a Monday (week 1 starts on it), got 2025-01-07, a Tuesday"),
    (_bad("start = 2025-01-06", 'start = "next monday"'), 2, "start",
     "expected a date like 2025-01-06, got 'next monday'"),
    (_bad("end = 2025-01-22", "end = 2025-01-01"), 3, "end",
     "expected a date on or after start 2025-01-06, got 2025-01-01"),
    (_bad("race = { name = \"Race\", date = 2025-01-25 }", "race = { name = \"Race\" }"), 4,
     "race.date", "missing"),
    (_bad("km = [50, 54]", "km = [50, 0]"), 16, "volume.km", "expected a positive number, got 0"),
    (_bad("km = [50, 54]", "km = 50"), 16, "volume.km", "expected a list of weekly km"),
    (_bad("km = [50, 54]", "km = [50, 54, 58, 60]"), 16, "volume.km",
     "expected at most 3 weekly targets"),
    (_bad("date = 2025-01-17", "date = 2025-02-17"), 24, "session[2].date",
     "expected a date within the plan (2025-01-06 to 2025-01-22), got 2025-02-17"),
    (_bad("date = 2025-01-17", "date = 2025-01-15"), 24, "session[2].date",
     "expected one session per day, 2025-01-15 already has one"),
    (_bad('date = 2025-01-17\ntype = "easy"', 'type = "easy"'), 23, "session[2]",
     "missing key date"),
    (_bad('type = "interval"\nworkout = "100', 'type = "intervals"\nworkout = "100'), 20,
     "session[1].type", "got 'intervals'"),
    (_bad('note = "shakeout', 'notes = "shakeout'), 26, "session[2].notes", "unknown key"),
]


@pytest.mark.parametrize(("source", "line", "key", "expected"), BAD,
                         ids=[f"{b[2]}:{b[3][:30]}" for b in BAD])
def test_bad_plan_names_file_line_and_key(tmp_path, source, line, key, expected):
    path = tmp_path / "plan.toml"
    path.write_text(source)
    with pytest.raises(PlanError) as exc:
        load_plan(path)
    msg = str(exc.value)
    assert msg.startswith(f"{path} line {line}, key {key}: "), msg
    assert expected in msg
    assert exc.value.exit_code == 2


def test_toml_syntax_error_carries_its_line(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(_bad("wed = { type", "wed = { type = = "))
    with pytest.raises(PlanError, match=rf"^{path} line 9: not valid TOML: "):
        load_plan(path)


def test_missing_keys_and_files(tmp_path):
    with pytest.raises(PlanError, match=r"plan.toml line 1, key end: missing"):
        parse_plan('name = "x"\nstart = 2025-01-06\n')
    with pytest.raises(PlanError, match="does not exist"):
        load_plan(tmp_path / "nope.toml")


def test_key_line_finds_dotted_tables_and_arrays():
    src = ('name = "x"  # [week]\n[week.tue]\ntype = "interval"\n\n[[session]]\ndate = 1\n'
           '[[session]]\n"date" = 2\ntype = "easy"\n')
    assert key_line(src, ["week", "tue", "type"]) == 3
    assert key_line(src, ["week", "tue", "minutes"]) == 2  # absent: its table
    assert key_line(src, ["session", 1, "date"]) == 8
    assert key_line(src, ["session", 1, "km"]) == 7
    assert key_line(src, ["race"]) == 1  # nowhere: the top of the file


def test_dotted_table_layout_parses():
    plan = parse_plan('name = "x"\nstart = 2025-01-06\nend = 2025-01-12\n'
                      '[week.tue]\ntype = "interval"\nworkout = "6x800m"\nminutes = 60\n')
    s = plan.session_on(date(2025, 1, 7))
    assert s.workout.distances_m == (800.0,) * 6 and s.minutes == 60
    with pytest.raises(PlanError, match=r"line 5, key week.tue.type: expected one of"):
        parse_plan('name = "x"\nstart = 2025-01-06\nend = 2025-01-12\n'
                   '[week.tue]\ntype = "speed"\n')
