"""Store contract: the same tests run on every backend (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from syncd.errors import UsageError
from tests.conftest import make_record

T0 = datetime(2025, 3, 11, 6, 30, tzinfo=UTC)


def test_schema_is_migrated_with_wal_and_foreign_keys(store):
    tables = set(inspect(store.engine).get_table_names())
    assert {"athlete", "activity", "activity_source", "stream_set", "lap", "sync_state",
            "alembic_version"} <= tables
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_new_then_unchanged_then_updated(store):
    a = store.ensure_athlete()
    r1 = store.save_activity(a.id, make_record("strava", "1", raw={"name": "x"}),
                             default_tz="Europe/Paris")
    assert r1.status == "new" and r1.needs_streams
    r2 = store.save_activity(a.id, make_record("strava", "1", raw={"name": "x"}),
                             default_tz="Europe/Paris")
    assert r2.status == "unchanged" and r2.activity_id == r1.activity_id
    r3 = store.save_activity(a.id, make_record("strava", "1", name="Hills", raw={"name": "Hills"}),
                             default_tz="Europe/Paris")
    assert r3.status == "updated"
    rows = store.activities(a.id)
    assert len(rows) == 1 and rows[0].activity.name == "Hills"


def test_64_bit_strava_ids(store):
    a = store.ensure_athlete(strava_id=9_876_543_210_123)
    big = "12345678901234567"
    store.save_activity(a.id, make_record("strava", big), default_tz="UTC")
    row = store.activities(a.id)[0]
    assert row.sources["strava"] == big and row.public_id == big
    assert store.find_activity(a.id, big).id == row.activity.id


def test_local_time_uses_the_activity_zone_then_the_athlete_zone(store):
    a = store.ensure_athlete()
    store.save_activity(a.id, make_record("strava", "1", timezone="America/Recife"),
                        default_tz="Europe/Paris")
    store.save_activity(a.id, make_record("file", "f", start=T0 + timedelta(days=1)),
                        default_tz="Europe/Paris")
    first, second = store.activities(a.id)
    assert first.activity.start_local == datetime(2025, 3, 11, 3, 30)
    assert first.activity.timezone == "America/Recife"
    assert second.activity.start_local == datetime(2025, 3, 12, 7, 30)


def test_same_run_from_two_sources_is_stored_once_with_both_ids(store):
    a = store.ensure_athlete()
    strava = make_record("strava", "4437021783", distance=12019.7, name="Orla Olinda")
    fit = make_record("file", "abc", start=T0 - timedelta(seconds=6), distance=12025.8,
                      samples=600, name="")
    assert store.save_activity(a.id, strava, default_tz="UTC").status == "new"
    res = store.save_activity(a.id, fit, default_tz="UTC")
    assert res.status == "merged"
    rows = store.activities(a.id)
    assert len(rows) == 1
    assert rows[0].sources == {"strava": "4437021783", "file": "abc"}
    assert rows[0].activity.name == "Orla Olinda"  # Strava's summary wins
    assert rows[0].activity.streams_source == "file"
    # Strava no longer needs its own streams call for this activity.
    assert store.pending_streams(a.id, "strava") == []


def test_no_merge_when_distance_disagrees_or_start_too_far(store):
    a = store.ensure_athlete()
    store.save_activity(a.id, make_record("strava", "1", distance=10000), default_tz="UTC")
    store.save_activity(a.id, make_record("file", "x", distance=10500), default_tz="UTC")
    store.save_activity(a.id, make_record("file", "y", start=T0 + timedelta(seconds=61)),
                        default_tz="UTC")
    assert len(store.activities(a.id)) == 3


def test_two_activities_of_one_source_never_merge(store):
    a = store.ensure_athlete()
    store.save_activity(a.id, make_record("strava", "1"), default_tz="UTC")
    store.save_activity(a.id, make_record("strava", "2"), default_tz="UTC")
    assert len(store.activities(a.id)) == 2


def test_richer_streams_are_preferred(store):
    a = store.ensure_athlete()
    store.save_activity(a.id, make_record("file", "poor", samples=100, hr=False),
                        default_tz="UTC")
    store.save_activity(a.id, make_record("strava", "1"), default_tz="UTC")
    status = store.attach_streams(a.id, "strava", "1", make_record(samples=300).streams)
    assert status == "stored"
    row = store.activities(a.id)[0]
    assert row.activity.streams_source == "strava"
    assert len(store.streams(row.activity.id)) == 300
    # A poorer set from another source does not replace it.
    again = store.save_activity(a.id, make_record("garmin", "poorer", samples=50, hr=False),
                                default_tz="UTC")
    assert again.status == "merged"
    assert store.streams(row.activity.id).richness() == (2, 300)


def test_export_placeholder_link_saves_the_streams_call(store):
    a = store.ensure_athlete()
    rec = make_record("file", "h1", samples=60, other_ids={"strava": "77"})
    store.save_activity(a.id, rec, default_tz="UTC")
    res = store.save_activity(a.id, make_record("strava", "77", distance=10100), default_tz="UTC")
    assert res.status == "merged" and not res.needs_streams
    assert len(store.activities(a.id)) == 1


def test_soft_delete_and_restore(store):
    a = store.ensure_athlete()
    for i in range(3):
        store.save_activity(a.id, make_record("strava", str(i), start=T0 + timedelta(days=i)),
                            default_tz="UTC")
    n = store.soft_delete_missing(a.id, "strava", {"0", "2"}, after=T0 - timedelta(days=1))
    assert n == 1
    assert [r.public_id for r in store.activities(a.id)] == ["0", "2"]
    assert [r.public_id for r in store.activities(a.id, deleted=True)] == ["1"]
    res = store.save_activity(a.id, make_record("strava", "1", start=T0 + timedelta(days=1)),
                              default_tz="UTC")
    assert res.status == "restored"
    assert len(store.activities(a.id)) == 3


def test_deletion_outside_window_is_not_decided(store):
    a = store.ensure_athlete()
    store.save_activity(a.id, make_record("strava", "5", start=T0 - timedelta(days=30)),
                        default_tz="UTC")
    assert store.soft_delete_missing(a.id, "strava", set(), after=T0 - timedelta(days=7)) == 0


def test_athletes_are_separate(store):
    a = store.ensure_athlete(strava_id=1, name="Ana")
    b = store.ensure_athlete(strava_id=2, name="Ben")
    assert a.id != b.id
    store.save_activity(a.id, make_record("strava", "1"), default_tz="UTC")
    store.save_activity(b.id, make_record("strava", "1"), default_tz="UTC")
    assert len(store.activities(a.id)) == 1 and len(store.activities(b.id)) == 1
    with pytest.raises(UsageError, match="--athlete"):
        store.resolve_athlete(None)
    assert store.resolve_athlete("Ben").id == b.id
    assert store.resolve_athlete("2").id in (a.id, b.id)


def test_file_athlete_is_adopted_by_strava_auth(store):
    local = store.ensure_athlete()
    linked = store.ensure_athlete(strava_id=34874817, name="Runner")
    assert linked.id == local.id and linked.strava_id == 34874817


def test_sync_state_round_trip(store):
    a = store.ensure_athlete()
    st = store.sync_state(a.id, "strava")
    assert st.cursor is None
    st.cursor = 1_700_000_000
    store.save_sync_state(st)
    assert store.sync_state(a.id, "strava").cursor == 1_700_000_000


def test_since_until_filter_on_local_dates(store):
    a = store.ensure_athlete()
    for d in range(5):
        store.save_activity(a.id, make_record("strava", str(d), start=T0 + timedelta(days=d)),
                            default_tz="UTC")
    rows = store.activities(a.id, since=datetime(2025, 3, 12), until=datetime(2025, 3, 14))
    assert [r.public_id for r in rows] == ["1", "2"]


def test_pins_and_digest_posts(store):
    from datetime import date

    a = store.ensure_athlete()
    r = store.save_activity(a.id, make_record("strava", "1"), default_tz="UTC")
    store.pin_match(r.activity_id, date(2025, 3, 12))
    store.pin_match(r.activity_id, date(2025, 3, 13))
    assert store.pins(a.id) == {r.activity_id: date(2025, 3, 13)}
    assert store.unpin_match(r.activity_id) and store.pins(a.id) == {}
    assert store.posted_sinks(a.id, "2025-W11") == set()
    store.record_post(a.id, "2025-W11", "json:abc")
    store.record_post(a.id, "2025-W11", "json:abc")
    store.record_post(a.id, "2025-W11", "file:def")
    assert store.posted_sinks(a.id, "2025-W11") == {"json:abc", "file:def"}
    assert store.posted_sinks(a.id, "2025-W12") == set()
    assert {p.sink for p in store.last_posts(a.id)} == {"json:abc", "file:def"}


def test_unnamed_file_activities_get_a_strava_like_name(store):
    a = store.ensure_athlete()
    store.save_activity(a.id, make_record("file", "f1", name=""), default_tz="Europe/Paris")
    store.save_activity(a.id, make_record("file", "f2", name="", sport="Ride",
                                          start=T0 + timedelta(days=1, hours=11)),
                        default_tz="Europe/Paris")
    names = [r.activity.name for r in store.activities(a.id)]
    assert names == ["Morning Run", "Evening Ride"]
    # Strava's own name replaces it when the same run arrives from Strava
    store.save_activity(a.id, make_record("strava", "9", name="8x200m"), default_tz="UTC")
    assert store.activities(a.id)[0].activity.name == "8x200m"
