"""The daemon's job wrapper and reload, in-process: back-off, alert once, isolation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from syncd.daemon import AUTH_BACKOFF_CAP_S, BACKOFF_BASE_S, Daemon
from syncd.errors import AuthError, SyncdError
from syncd.jobs.isolated import run_isolated
from syncd.store.tables import utcnow


@pytest.fixture
def daemon(tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n'
                   '[digest]\npost_to = ["json://127.0.0.1:9/x"]\n')
    d = Daemon(cfg)
    d.alerts = []
    monkeypatch.setattr("syncd.digest.sinks.send_alert",
                        lambda sinks, title, body: d.alerts.append((title, body)) or True)
    return d


def test_failures_back_off_exponentially_and_alert_once(daemon):
    calls = []

    def fail():
        calls.append(1)
        raise AuthError("Strava rejected the refresh token", hint="run `syncd auth strava`")

    daemon._job("pull", fail)
    st = daemon.store.job_state("pull")
    assert st.ok is False and st.failures == 1 and "refresh token" in st.summary
    assert abs((st.retry_at - utcnow()).total_seconds() - BACKOFF_BASE_S) < 5
    assert len(daemon.alerts) == 1
    daemon._job("pull", fail)  # still backing off: not run
    assert len(calls) == 1
    for n in range(2, 12):
        st = daemon.store.job_state("pull")
        st.retry_at = utcnow() - timedelta(seconds=1)
        daemon.store.save_job_state(st)
        daemon._job("pull", fail)
        st = daemon.store.job_state("pull")
        assert st.failures == n
    wait = (st.retry_at - utcnow()).total_seconds()
    assert AUTH_BACKOFF_CAP_S - 5 < wait <= AUTH_BACKOFF_CAP_S  # capped at 6 h
    assert len(daemon.alerts) == 1  # once, not every tick
    st.retry_at = None
    daemon.store.save_job_state(st)
    daemon._job("pull", lambda: ("3 new", {"new": 3}))
    st = daemon.store.job_state("pull")
    assert st.ok and st.failures == 0 and not st.alerted and st.summary == "3 new"


def test_a_crashing_job_never_kills_the_daemon(daemon):
    def crash():
        raise ZeroDivisionError("bug")

    daemon._job("digest", crash)
    st = daemon.store.job_state("digest")
    assert st.ok is False and st.summary == "failed: ZeroDivisionError"
    assert daemon.alerts == []  # not an auth problem: no alert


def test_reload_keeps_the_old_config_when_the_new_one_is_bad(daemon, tmp_path):
    daemon.scheduler = daemon._schedule(daemon.cfg)
    old = daemon.cfg
    (tmp_path / "config.toml").write_text("[schedule]\npull_every = \"sometimes\"\n")
    daemon._reload()
    assert daemon.cfg is old
    (tmp_path / "config.toml").write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n[schedule]\npull_every = "2h"\n')
    daemon._reload()
    assert daemon.cfg.schedule.pull_every == "2h"
    job = daemon.scheduler.get_job("pull")
    assert job.trigger.interval.total_seconds() == 7200


def test_user_errors_cross_the_process_boundary_with_their_class(tmp_path):
    import multiprocessing

    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n')
    stop = multiprocessing.get_context("spawn").Event()
    with pytest.raises(AuthError, match="not authorised"):
        run_isolated("pull", cfg, {}, stop=stop, on_progress=lambda: None)
    summary, result = run_isolated("watch", cfg, {}, stop=stop, on_progress=lambda: None)
    assert summary == "watch folder not mounted"
    assert issubclass(AuthError, SyncdError)


def test_status_exit_codes(daemon, tmp_path):
    from syncd.secrets import FileSecretStore, strava_token_key
    from syncd.status import collect

    secrets = FileSecretStore(tmp_path / "secrets.json")
    assert collect(daemon.cfg, daemon.store, lambda: secrets)["exit_code"] == 2  # no Strava
    athlete = daemon.store.ensure_athlete(strava_id=77)
    secrets.set(strava_token_key(77), {"access_token": "a" * 20, "refresh_token": "r" * 20,
                                       "expires_at": 2_000_000_000, "scopes": ["read"]})
    report = collect(daemon.cfg, daemon.store, lambda: secrets)
    assert report["exit_code"] == 0 and report["counts"][str(athlete.id)]["activities"] == 0
    daemon._job("pull", lambda: (_ for _ in ()).throw(SyncdError("Strava kept failing (5xx)")))
    report = collect(daemon.cfg, daemon.store, lambda: secrets)
    assert report["exit_code"] == 1 and "kept failing" in report["problems"][0]
    assert report["jobs"]["pull"]["retry_at"]
    assert "a" * 20 not in str(report)


def test_status_judges_by_the_error_kind_not_its_words(daemon, tmp_path):
    from syncd.secrets import FileSecretStore, strava_token_key
    from syncd.status import collect

    secrets = FileSecretStore(tmp_path / "secrets.json")
    daemon.store.ensure_athlete(strava_id=78)
    secrets.set(strava_token_key(78), {"access_token": "a" * 20, "refresh_token": "r" * 20,
                                       "expires_at": 2_000_000_000, "scopes": ["read"]})
    # A transient failure whose message happens to say "authorise": degraded, not broken.
    daemon._job("pull", lambda: (_ for _ in ()).throw(
        SyncdError("the server said: please authorise later (503)")))
    assert daemon.store.job_state("pull").error_kind == "transient"
    assert collect(daemon.cfg, daemon.store, lambda: secrets)["exit_code"] == 1
    # An auth failure in words that never say so: broken.
    st = daemon.store.job_state("pull")
    st.retry_at = None
    daemon.store.save_job_state(st)
    daemon._job("pull", lambda: (_ for _ in ()).throw(AuthError("token refused")))
    report = collect(daemon.cfg, daemon.store, lambda: secrets)
    assert report["exit_code"] == 2 and report["jobs"]["pull"]["error_kind"] == "auth"
    # A bug (not a SyncdError) is a crash; success clears the kind.
    st = daemon.store.job_state("pull")
    st.retry_at = None
    daemon.store.save_job_state(st)
    daemon._job("pull", lambda: (_ for _ in ()).throw(KeyError("x")))
    assert daemon.store.job_state("pull").error_kind == "crash"
    st = daemon.store.job_state("pull")
    st.retry_at = None
    daemon.store.save_job_state(st)
    daemon._job("pull", lambda: ("ok", {}))
    assert daemon.store.job_state("pull").error_kind is None


def test_digest_is_scheduled_monday_morning_in_the_athletes_zone(tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n'
                   '[athlete]\ntimezone = "Europe/Paris"\n')
    d = Daemon(cfg)
    scheduler = d._schedule(d.cfg)
    scheduler.start(paused=True)  # job defaults apply once the scheduler has started
    paris = ZoneInfo("Europe/Paris")
    # across the spring DST change: still 07:00 local
    start = datetime(2025, 3, 26, 12, 0, tzinfo=paris)
    first = scheduler.get_job("digest").trigger.get_next_fire_time(None, start)
    second = scheduler.get_job("digest").trigger.get_next_fire_time(first, first)
    assert first.astimezone(paris).isoformat() == "2025-03-31T07:00:00+02:00"
    assert second.astimezone(paris).isoformat() == "2025-04-07T07:00:00+02:00"
    pull = scheduler.get_job("pull")
    assert pull.misfire_grace_time == 900 and pull.coalesce and pull.max_instances == 1
    assert scheduler.get_job("digest").misfire_grace_time >= 3600
    scheduler.shutdown(wait=False)


def test_watch_imports_new_files_when_the_folder_appears(tmp_path):
    import multiprocessing
    import shutil

    watch = tmp_path / "GARMIN" / "Activity"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n'
                   f'[import]\nwatch = "{watch}"\n')
    stop = multiprocessing.get_context("spawn").Event()
    assert run_isolated("watch", cfg, {}, stop=stop, on_progress=lambda: None)[0] == (
        "watch folder not mounted")
    watch.mkdir(parents=True)
    samples = Path(__file__).resolve().parents[1] / "samples"
    for p in sorted(samples.glob("*.fit")):
        shutil.copy(p, watch / p.name)
    progress = []
    summary, result = run_isolated("watch", cfg, {}, stop=stop,
                                   on_progress=lambda: progress.append(1))
    assert "2 new" in summary and len(result["files"]) == 2 and progress
    summary, _ = run_isolated("watch", cfg, {"seen": result["files"]}, stop=stop,
                              on_progress=lambda: None)
    assert summary == "no new files"
