"""The pull job against a local stand-in of Strava's API (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from syncd.errors import AuthError
from syncd.jobs.pull import PullOptions, pull_strava
from syncd.sources.strava.api import StravaAPI
from syncd.sources.strava.ratelimit import RateBudget

NOW = datetime.now(UTC).replace(microsecond=0)


def api_for(fake, *, waiter=None, token=None, clock=None):
    def no_sleep(_s):
        return None

    budget = RateBudget(clock=clock) if clock else RateBudget()
    return StravaAPI(lambda: token or fake.access_token, budget, api_host=fake.url,
                     waiter=waiter, sleep=no_sleep, max_retries=2, timeout=5)


def seed(fake, n, *, days_back=60):
    for i in range(n):
        fake.add_activity(i, NOW - timedelta(days=days_back) + timedelta(days=i * days_back / n),
                          seconds=120)


def run(store, fake, athlete, **kw):
    api = kw.pop("api", None) or api_for(fake)
    opts = PullOptions(per_page=kw.pop("per_page", 200), default_tz="Europe/Paris", **kw)
    return pull_strava(store, athlete, api, opts)


def calls(fake, prefix):
    return sum(1 for c in fake.calls if c.startswith(prefix))


def test_first_pull_then_nothing_new_costs_one_list_call(store, fake):
    seed(fake, 25)
    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete, per_page=10)
    assert report.new == 25 and report.streams == 25 and report.stopped is None
    # first pull pages until an empty page: 3 full/short pages + 1 empty
    assert calls(fake, "GET /api/v3/athlete/activities") == 4
    assert calls(fake, "GET /api/v3/activities/") == 25
    assert report.api_calls == 29  # <= 1.01 per activity + list pages
    fake.calls.clear()
    again = run(store, fake, athlete, per_page=10)
    assert (again.new, again.updated, again.deleted) == (0, 0, 0)
    assert fake.calls == ["GET /api/v3/athlete/activities"]
    assert again.api_calls == 1
    assert len(store.activities(athlete.id)) == 25


def test_short_page_is_not_trusted_without_read_all(store, fake):
    seed(fake, 5)
    athlete = store.ensure_athlete(strava_id=1)
    run(store, fake, athlete)
    fake.calls.clear()
    run(store, fake, athlete, trust_short_page=False)
    assert calls(fake, "GET /api/v3/athlete/activities") == 2


def test_edits_and_deletions_in_the_overlap_window(store, fake):
    seed(fake, 10, days_back=20)
    athlete = store.ensure_athlete(strava_id=1)
    run(store, fake, athlete)
    recent = [a for a in fake.activities if a["start_date"] > (NOW - timedelta(days=5)).isoformat()]
    old = fake.activities[0]
    recent[-1]["name"] = "8x200m"
    recent[-1]["workout_type"] = 3
    fake.remove(recent[0]["id"])
    fake.remove(old["id"])  # outside the 7-day window: only --full sees it
    report = run(store, fake, athlete)
    assert (report.new, report.updated, report.deleted) == (0, 1, 1)
    names = {r.activity.name for r in store.activities(athlete.id)}
    assert "8x200m" in names
    assert len(store.activities(athlete.id)) == 9
    full = run(store, fake, athlete, full=True)
    assert full.deleted == 1
    assert len(store.activities(athlete.id)) == 8
    assert len(store.activities(athlete.id, deleted=True)) == 2


def test_manual_activity_and_missing_streams(store, fake):
    fake.add_activity(1, NOW - timedelta(days=2), manual=True)
    fake.add_activity(2, NOW - timedelta(days=1))
    del fake.streams[fake.activities[1]["id"]]  # Strava answers 404
    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete)
    assert report.new == 2 and report.streams == 0
    assert report.skipped["manual (no streams)"] == 1
    assert report.skipped["no streams (404)"] == 1
    assert calls(fake, "GET /api/v3/activities/") == 1  # no call for the manual one
    assert store.pending_streams(athlete.id, "strava") == []


def test_server_errors_leave_the_activity_for_the_next_pull(store, fake):
    seed(fake, 3)
    bad = fake.activities[1]["id"]
    fake.fail_streams.add(bad)
    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete)
    assert report.streams == 2 and report.remaining == 1
    assert report.skipped["server error, left for next pull"] == 1
    assert calls(fake, f"GET /api/v3/activities/{bad}/streams") == 3  # 1 + 2 retries, bounded
    fake.fail_streams.clear()
    again = run(store, fake, athlete)
    assert again.streams == 1 and again.remaining == 0


def test_fifteen_minute_window_waits_then_goes_on(store, fake):
    seed(fake, 6)
    fake.limit_15, fake.usage_15 = 200, 195  # 5 calls left in this window
    waits = []
    now = [time.time()]

    def waiter(seconds, reason):
        waits.append(seconds)
        assert len(waits) < 5, "waited again and again"
        now[0] += seconds + 1  # the next quarter hour has come
        fake.usage_15 = fake.read_15 = 0

    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete, api=api_for(fake, waiter=waiter, clock=lambda: now[0]))
    assert waits and 0 < waits[0] <= 900
    assert report.streams == 6 and report.stopped is None
    assert not any("429" in c for c in fake.calls)


def test_no_wait_stops_and_the_next_pull_resumes(store, fake):
    from syncd.errors import RateLimitStop

    seed(fake, 6)
    fake.usage_15 = fake.limit_15 - 4

    def refuse(seconds, reason):
        raise RateLimitStop(reason)

    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete, api=api_for(fake, waiter=refuse))
    # 4 calls: two list pages (the second empty), then two streams
    assert report.stopped and report.new == 6 and report.remaining == 4
    fake.usage_15 = fake.read_15 = 0
    again = run(store, fake, athlete)
    assert again.remaining == 0 and again.streams == 4
    assert len(store.activities(athlete.id)) == 6


def test_429_storm_is_respected_not_retried(store, fake):
    seed(fake, 3)
    fake.usage_day = fake.limit_day  # every call now answers 429
    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete)
    assert report.stopped
    assert calls(fake, "GET") == 1  # one 429, then the daily window is known to be spent
    fake.calls.clear()
    second = run(store, fake, athlete)
    assert second.stopped and calls(fake, "GET") == 1


def test_daily_window_stops_the_pull(store, fake):
    seed(fake, 5)
    fake.usage_day = fake.limit_day - 3
    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete)
    assert report.stopped and "daily" in report.stopped
    assert report.remaining == 4  # two list pages and one streams call fitted
    assert calls(fake, "GET") == 3  # never over the window


def test_revoked_access_token_is_an_auth_error(store, fake):
    seed(fake, 1)
    athlete = store.ensure_athlete(strava_id=1)
    with pytest.raises(AuthError) as info:
        run(store, fake, athlete, api=api_for(fake, token="revoked-token-zzzzzzzz"))
    assert info.value.exit_code == 3
    assert "revoked-token" not in str(info.value)


def test_malformed_and_misaligned_payloads(store, fake):
    seed(fake, 2)
    a, b = (x["id"] for x in fake.activities)
    fake.streams[a]["heartrate"]["data"] = fake.streams[a]["heartrate"]["data"][:-10]
    fake.streams[b] = ["not", "a", "streamset"]
    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete)
    assert report.new == 2
    assert report.streams == 1 and report.skipped["malformed streams"] == 1
    row = next(r for r in store.activities(athlete.id) if r.public_id == str(a))
    hr = store.streams(row.activity.id).columns["heartrate"]
    assert hr[-1] is None and hr[0] is not None


def test_activity_exactly_on_the_window_edge_is_not_deleted(store, fake):
    # Strava's `after` is exclusive: an activity starting exactly at cursor - overlap is not
    # listed again, and must not be taken for deleted.
    base = NOW.replace(hour=6, minute=0, second=0)
    for i in range(10):
        fake.add_activity(i, base - timedelta(days=9 - i), seconds=120)
    athlete = store.ensure_athlete(strava_id=1)
    run(store, fake, athlete)
    again = run(store, fake, athlete)
    assert again.deleted == 0
    assert len(store.activities(athlete.id)) == 10


def test_since_limits_the_first_backfill(store, fake):
    for i in range(10):
        fake.add_activity(i, NOW - timedelta(days=100 - 10 * i), seconds=120)
    athlete = store.ensure_athlete(strava_id=1)
    since = (NOW - timedelta(days=45)).date()
    report = run(store, fake, athlete, since=since)
    assert report.new == 4  # 40, 30, 20 and 10 days ago
    assert all(r.activity.start_utc.date() >= since for r in store.activities(athlete.id))


def test_fetch_details_adds_two_calls_and_stores_laps(store, fake):
    seed(fake, 3)
    athlete = store.ensure_athlete(strava_id=1)
    report = run(store, fake, athlete, fetch_details=True)
    assert report.api_calls == 2 + 3 * 3  # two list pages, then streams + detail + laps each
    row = store.activities(athlete.id)[0]
    laps = store.laps(row.activity.id)
    assert len(laps) == 2 and laps[1].start_offset_s > 0
    link = store.sources_of(row.activity.id)[0]
    assert link.raw["detail"]["description"] == "detail"
