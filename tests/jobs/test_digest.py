"""The digest job: store rows to the week report, local days, posting once, Strava lines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from syncd.digest.strava_sink import strava_description_poster
from syncd.jobs.digest import last_complete_week, parse_week, post_week, week_report
from syncd.plan import parse_plan
from tests.conftest import make_record

PLAN = parse_plan('''
name = "test"
start = 2025-03-03
end = 2025-04-27
[week]
mon = { type = "easy", minutes = 50 }
tue = { type = "interval", workout = "8x200m" }
''', "plan.toml")


def _store_run(store, athlete, sid, start, label, reps=()):
    res = store.save_activity(athlete.id, make_record("strava", sid, start=start),
                              default_tz="Europe/Paris")
    store.save_classification(res.activity_id, {
        "label": label, "confidence": 0.9, "reasons": [], "reps": list(reps),
        "version": "t"})
    return res.activity_id


def test_local_midnight_decides_the_day_and_the_week(store):
    athlete = store.ensure_athlete()
    # Sunday 23:30 UTC is Monday 00:30 in Paris: Monday's easy run of the NEXT week.
    _store_run(store, athlete, "1", datetime(2025, 3, 16, 23, 30, tzinfo=UTC), "easy")
    w11 = week_report(store, athlete, date(2025, 3, 10), PLAN)
    w12 = week_report(store, athlete, date(2025, 3, 17), PLAN)
    assert [s.status for s in w11.sessions if s.planned.type == "easy"] == ["missed"]
    easy12 = next(s for s in w12.sessions if s.planned.type == "easy")
    assert easy12.activity_ids == ["1"]
    assert not w11.extra


def test_reps_reach_the_session(store):
    athlete = store.ensure_athlete()
    reps = [{"start_s": 900 + 130 * k, "end_s": 937 + 130 * k, "duration_s": 37.0,
             "distance_m": 201.0, "mean_speed": 5.4, "recovery_s": 90.0,
             "recovery_kind": "walk"} for k in range(8)]
    _store_run(store, athlete, "2", datetime(2025, 3, 11, 17, 0, tzinfo=UTC), "interval", reps)
    report = week_report(store, athlete, date(2025, 3, 10), PLAN)
    session = next(s for s in report.sessions if s.planned.type == "interval")
    assert session.status == "done" and session.reps == "8 of 8"
    assert session.execution and "walked" in session.execution.line


def test_week_parsing():
    assert parse_week("2025-W11") == date(2025, 3, 10)
    assert parse_week("2025-03-13") == date(2025, 3, 10)
    assert last_complete_week(date(2025, 3, 12)) == date(2025, 3, 3)


def test_posting_is_recorded_per_sink_and_failures_retry(store, tmp_path):
    athlete = store.ensure_athlete()
    report = week_report(store, athlete, date(2025, 3, 10), PLAN)
    good = f"file://{tmp_path}/out"
    bad = "json://127.0.0.1:9/nothing-listens-here"
    first = post_week(store, athlete, report, [good, bad])
    assert [r.ok for r in first] == [True, False]
    again = post_week(store, athlete, report, [good, bad])
    assert again[0].skipped and not again[1].skipped  # the failed sink is tried again
    assert len(store.posted_sinks(athlete.id, report.week)) == 1
    assert not any(bad in k for k in store.posted_sinks(athlete.id, report.week))


class FakeStravaAPI:
    def __init__(self, descriptions):
        self.descriptions = descriptions
        self.updates = []

    def get_activity(self, activity_id):
        return {"id": activity_id, "description": self.descriptions.get(activity_id)}

    def update_description(self, activity_id, description):
        self.updates.append((activity_id, description))
        self.descriptions[activity_id] = description
        return {"id": activity_id}


def test_strava_description_line_is_appended_once(store):
    athlete = store.ensure_athlete()
    _store_run(store, athlete, "12345678901", datetime(2025, 3, 10, 6, 0, tzinfo=UTC), "easy")
    report = week_report(store, athlete, date(2025, 3, 10), PLAN)
    api = FakeStravaAPI({12345678901: "Nice morning"})
    poster = strava_description_poster(api)
    assert poster(report) is True
    assert len(api.updates) == 1
    text = api.descriptions[12345678901]
    assert text.startswith("Nice morning\n") and "syncd: easy" in text
    poster(report)
    assert len(api.updates) == 1  # never twice
