"""The application jobs the shells call: pull through the registry and the one sync loop, with
what changed classified; import and watch; the digest posted for every athlete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syncd.app import App
from syncd.app import files as app_files
from syncd.app import pull as app_pull
from syncd.app.digest import post_last_week
from syncd.errors import AuthError, ConfigError, UsageError
from syncd.sources import registry
from syncd.sources.memory import MemorySource
from tests.conftest import make_record

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 3, 3, 6, 30, tzinfo=UTC)


@pytest.fixture
def app(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n'
                   f'[secrets]\nbackend = "file"\npath = "{tmp_path}/secrets.json"\n'
                   f'[digest]\npost_to = ["file://{tmp_path}/out"]\n')
    return App(cfg)


@pytest.fixture
def memory(monkeypatch):
    """A registered source in memory that serves every athlete named 'mem*'."""
    source = MemorySource("memory")
    for i in range(4):
        rec = make_record("memory", f"m{i}", start=T0 + timedelta(days=i), samples=600)
        source.activities[rec.source_id] = rec
    built: list[tuple[str, object]] = []
    state = {"check": None}

    def build(cfg, secrets, who, waiter):
        built.append((who.name, waiter))
        if not who.name.startswith("mem"):
            raise AuthError(f"Athlete {who.id} is not linked to memory yet.")
        return source

    def check(cfg):
        if state["check"]:
            raise ConfigError(state["check"])

    kind = registry.SourceKind(
        name="memory", build=build, overlap_days=lambda cfg: 7, check=check,
        athletes=lambda store: [a for a in store.athletes() if a.name.startswith("mem")])
    monkeypatch.setattr(registry, "_FACTORIES", {"memory": lambda: kind})
    return source, built, state


def test_pull_syncs_then_classifies_what_changed(app, memory):
    source, built, _ = memory
    who = app.store.ensure_athlete(name="mem1")
    seen = []
    work = app_pull.sources_for(app, None, waiter_for=lambda kind, w: f"wait-{kind.name}")
    assert built == [("mem1", "wait-memory")]
    outcome = app_pull.pull(app, work, synced=lambda p: seen.append(
        (p.kind, p.report.new, p.classified, app.store.classification(p.report.changed_ids[0]))))
    assert seen == [("memory", 4, None, None)]  # heard of before anything is classified
    assert outcome.totals()["new"] == 4 and outcome.stopped is None
    assert outcome.pulls[0].classified.classified == 4
    assert all(r.classification for r in app.store.activities(who.id))
    again = app_pull.pull(app, app_pull.sources_for(app, "mem1"))
    assert again.totals()["new"] == 0 and again.pulls[0].classified is None


def test_one_athletes_sources_say_the_config_first_then_the_athlete(app, memory):
    _, built, state = memory
    state["check"] = "key 'memory.id' is missing"
    with pytest.raises(ConfigError, match="memory.id"):
        app_pull.sources_for(app, None)  # before the (empty) store is asked for an athlete
    state["check"] = None
    with pytest.raises(UsageError, match="No athlete"):
        app_pull.sources_for(app, None)
    app.store.ensure_athlete(name="files only")
    with pytest.raises(AuthError, match="not linked to memory"):
        app_pull.sources_for(app, None)  # no source serves them: building one says why
    assert built == [("files only", None)]


def test_every_source_for_every_linked_athlete_each_built_in_turn(app, memory):
    _, built, _ = memory
    with pytest.raises(AuthError, match=r"run `syncd auth memory`\."):
        app_pull.every_source(app)
    for n, name in enumerate(("files only", "mem1", "mem2")):
        app.store.ensure_athlete(strava_id=n, name=name)
    work = app_pull.every_source(app)
    assert built == []  # built when the pull reaches them
    outcome = app_pull.pull(app, work)
    assert [(p.athlete.name, p.report.new) for p in outcome.pulls] == [("mem1", 4), ("mem2", 4)]
    assert [name for name, _ in built] == ["mem1", "mem2"]


def test_import_then_watch_classify_what_they_add(app, tmp_path):
    app_files.check_paths([REPO / "samples"])
    with pytest.raises(UsageError, match="no such file"):
        app_files.check_paths([tmp_path / "nope"])
    who = app.athlete(None, create=True)
    ride = REPO / "samples" / "2024-03-09-ride.gpx"
    report, classified = app_files.import_files(app, who, [ride])
    assert report.new == 1 and classified.labels["other"] == 1
    report, classified = app_files.import_files(app, who, [ride])
    assert report.unchanged == 1 and classified is None
    assert app_files.new_watched_files(app, []) is None  # no import.watch


def test_digest_is_posted_for_every_athlete(app, tmp_path):
    app.store.ensure_athlete(strava_id=1, name="a")  # not linked to a digest sink's Strava:
    app.store.ensure_athlete(strava_id=2, name="b")  # no 'strava' sink configured
    progress = []
    week, failed = post_last_week(app, on_athlete=lambda: progress.append(1))
    assert failed == 0 and len(progress) == 2
    assert (tmp_path / "out" / f"week-{week}.html").exists()
