"""The application layer's views: one activity is fetched alone, and looks as it does in the
list (deleted or not)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from syncd.app import App, views
from syncd.errors import UsageError
from tests.conftest import make_record

T0 = datetime(2025, 3, 3, 6, 30, tzinfo=UTC)


@pytest.fixture
def app(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n')
    return App(cfg)


def test_activity_row_is_the_listed_row(store):
    who = store.ensure_athlete()
    ids = [store.save_activity(who.id, make_record("file", f"f{i}", start=T0 + timedelta(days=i)),
                               default_tz="UTC").activity_id for i in range(3)]
    merged = store.save_activity(who.id, make_record("strava", "123", start=T0 + timedelta(days=1)),
                                 default_tz="UTC")
    assert merged.activity_id == ids[1]  # one activity, two sources
    store.soft_delete_missing(who.id, "file", {"f0", "f2"}, after=T0 - timedelta(days=1),
                              before=T0 + timedelta(days=9))
    listed = {r.activity.id: r for d in (False, True) for r in store.activities(who.id, deleted=d)}
    for i in ids:
        row = store.activity_row(i)
        assert row == listed[i] and row.public_id == listed[i].public_id
    assert store.activity_row(ids[1]).sources == {"file": "f1", "strava": "123"}
    assert store.activity_row(ids[1]).public_id == "123"
    assert store.activity_row(999) is None


def test_show_fetches_one_activity_without_listing(app, monkeypatch):
    who = app.store.ensure_athlete()
    res = app.store.save_activity(who.id, make_record("file", "abc"), default_tz="UTC")
    monkeypatch.setattr(type(app.store), "activities", lambda *a, **k: pytest.fail("listed"))
    for ident in ("abc", str(res.activity_id)):
        row, data = views.show(app, ident, None)
        assert row.activity.id == res.activity_id
        assert data["id"] == "abc" and data["reps_detail"] == [] and data["label"] is None
    with pytest.raises(UsageError, match="no-such"):
        views.show(app, "no-such", None)


def test_activities_of_an_empty_store_is_empty(app):
    assert views.activities(app, None) == []
    assert views.activities(app, "someone") == []  # no athlete to resolve: nothing listed
