"""One behavioural contract, every pullable source, through the one sync loop.

test_contract.py checks the records a source makes; this checks how a source behaves over
time: incremental listing, the overlap re-listing that catches edits, deletions seen only on a
complete listing, and a source that is down (the store keeps everything it had). A new source
adds a harness below and passes the same class.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from syncd.errors import AuthError, SourceUnavailable
from syncd.jobs.sync import SyncOptions, sync
from syncd.sources.base import Source
from syncd.sources.memory import MemorySource
from tests.conftest import make_record

NOW = datetime.now(UTC).replace(microsecond=0)


class MemoryHarness:
    """The reference implementation."""

    def __init__(self) -> None:
        self.src = MemorySource("memory", page_size=3)

    def add(self, i: int, start: datetime) -> None:
        self.src.activities[str(i)] = make_record("memory", str(i), start=start, samples=120,
                                                  name=f"Run {i}")

    def rename(self, i: int, name: str) -> None:
        self.src.activities[str(i)].name = name

    def delete(self, i: int) -> None:
        del self.src.activities[str(i)]

    def go_down(self, exc: Exception) -> None:
        self.src.fail = exc  # type: ignore[assignment]

    def source(self) -> Source:
        return self.src


class StravaHarness:
    """Strava through its API client against the local stand-in (real HTTP)."""

    def __init__(self, fake) -> None:  # noqa: ANN001 - tests.fakestrava.FakeStrava
        self.fake = fake
        self.down: Exception | None = None

    def add(self, i: int, start: datetime) -> None:
        self.fake.add_activity(i, start, seconds=120)

    def _find(self, i: int) -> dict:
        return next(a for a in self.fake.activities if a["id"] == 10_000_000_000 + i)

    def rename(self, i: int, name: str) -> None:
        self._find(i)["name"] = name

    def delete(self, i: int) -> None:
        self.fake.remove(10_000_000_000 + i)

    def go_down(self, exc: Exception) -> None:
        if isinstance(exc, AuthError):
            self.fake.access_token = "revoked-token-000000000000"
        else:
            self.fake.fail_streams.update(int(a["id"]) for a in self.fake.activities)
        self.down = exc

    def source(self) -> Source:
        from syncd.sources.strava.api import StravaAPI
        from syncd.sources.strava.ratelimit import RateBudget
        from syncd.sources.strava.source import StravaSource

        token = self.fake.access_token if not isinstance(self.down, AuthError) else "stale"
        api = StravaAPI(lambda: "stale" if token == "stale" else self.fake.access_token,
                        RateBudget(), api_host=self.fake.url, sleep=lambda _s: None,
                        max_retries=1, timeout=5)
        return StravaSource(api, per_page=3, trust_short_page=True)


@pytest.fixture(params=["memory", "strava"])
def harness(request):
    if request.param == "memory":
        return MemoryHarness()
    return StravaHarness(request.getfixturevalue("fake"))


def _sync(store, athlete, harness, **kw):
    source = harness.source()
    return sync(store, athlete, source, SyncOptions(default_tz="UTC", **kw)), source


class TestSourceBehaviour:
    def test_first_sync_gets_everything_then_nothing_new(self, store, harness):
        for i in range(7):
            harness.add(i, NOW - timedelta(days=30 - i))
        athlete = store.ensure_athlete(strava_id=1)
        first, source = _sync(store, athlete, harness)
        assert (first.new, first.streams, first.stopped) == (7, 7, None)
        assert len(store.activities(athlete.id)) == 7
        again, _ = _sync(store, athlete, harness)
        assert (again.new, again.updated, again.deleted, again.streams) == (0, 0, 0, 0)

    def test_incremental_listing_sees_only_what_is_new(self, store, harness):
        for i in range(4):
            harness.add(i, NOW - timedelta(days=40 - i))
        athlete = store.ensure_athlete(strava_id=1)
        _sync(store, athlete, harness)
        harness.add(10, NOW - timedelta(days=1))
        report, _ = _sync(store, athlete, harness)
        assert (report.new, report.streams) == (1, 1)
        assert len(store.activities(athlete.id)) == 5

    def test_edits_inside_the_overlap_are_seen(self, store, harness):
        harness.add(0, NOW - timedelta(days=20))
        harness.add(1, NOW - timedelta(days=2))
        athlete = store.ensure_athlete(strava_id=1)
        _sync(store, athlete, harness)
        harness.rename(1, "Hill reps 10x30s")
        harness.rename(0, "too old for the overlap")
        report, _ = _sync(store, athlete, harness, overlap_days=7)
        assert report.updated == 1
        names = sorted(a.activity.name for a in store.activities(athlete.id))
        assert names == ["Hill reps 10x30s", "Run 0"]

    def test_a_deletion_is_seen_on_a_complete_listing(self, store, harness):
        for i in range(5):
            harness.add(i, NOW - timedelta(days=5 - i))
        athlete = store.ensure_athlete(strava_id=1)
        _sync(store, athlete, harness)
        harness.delete(3)
        report, _ = _sync(store, athlete, harness, full=True)
        assert report.deleted == 1
        assert len(store.activities(athlete.id)) == 4

    def test_a_source_that_is_down_loses_nothing_and_resumes(self, store, harness):
        for i in range(3):
            harness.add(i, NOW - timedelta(days=3 - i))
        athlete = store.ensure_athlete(strava_id=1)
        _sync(store, athlete, harness)
        harness.add(9, NOW - timedelta(hours=5))
        harness.go_down(AuthError("revoked"))
        with pytest.raises(AuthError):
            _sync(store, athlete, harness)
        assert len(store.activities(athlete.id)) == 3  # nothing stored is lost

    def test_fetch_failures_leave_the_activity_for_the_next_sync(self, store, harness):
        athlete = store.ensure_athlete(strava_id=1)
        harness.add(0, NOW - timedelta(days=1))
        if isinstance(harness, MemoryHarness):
            real = harness.src.fetch
            harness.src.fetch = lambda sid: (_ for _ in ()).throw(SourceUnavailable("5xx"))
        else:
            harness.go_down(SourceUnavailable("5xx"))
        report, _ = _sync(store, athlete, harness)
        assert report.new == 1 and report.streams == 0 and report.remaining == 1
        if isinstance(harness, MemoryHarness):
            harness.src.fetch = real
        else:
            harness.fake.fail_streams.clear()
        again, _ = _sync(store, athlete, harness)
        assert again.streams == 1 and again.remaining == 0


def test_streams_that_come_a_sync_later_make_the_activity_change(store):
    """A run listed while its streams could not be fetched is classified from its summary;
    when the streams come, the next sync reports it changed, so it is classified again."""
    h = MemoryHarness()
    h.add(0, NOW - timedelta(days=1))
    athlete = store.ensure_athlete()
    real = h.src.fetch
    h.src.fetch = lambda sid: (_ for _ in ()).throw(SourceUnavailable("5xx"))
    first, _ = _sync(store, athlete, h)
    (aid,) = first.changed_ids
    h.src.fetch = real
    again, _ = _sync(store, athlete, h)
    assert again.streams == 1 and again.changed_ids == [aid]


def test_an_unreadable_summary_is_skipped_and_counted(store):
    """One summary Strava sends that cannot be read: the rest of the page is stored."""
    from syncd.sources.strava.source import StravaSource

    good = {"id": 5, "name": "Run", "sport_type": "Run", "type": "Run",
            "start_date": (NOW - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "distance": 5000.0, "moving_time": 1800, "elapsed_time": 1850,
            "timezone": "(GMT+00:00) UTC", "manual": True}

    class Api:
        class budget:  # noqa: N801 - stands in for RateBudget
            calls = 0

            @staticmethod
            def summary() -> dict:
                return {}

        def list_activities(self, *, after, page, per_page):  # noqa: ANN001, ANN201
            return [good, {"id": "not an activity"}] if page == 1 else []

    athlete = store.ensure_athlete(strava_id=1)
    report = sync(store, athlete, StravaSource(Api(), per_page=2), SyncOptions())
    assert report.new == 1 and report.skipped["unreadable summary"] == 1
