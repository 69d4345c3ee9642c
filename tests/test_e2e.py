"""End to end: the real CLI in its own process against a local stand-in of Strava.

auth with --code, pull, pull again (one list call, no duplicates), kill -9 in the middle of a
pull and resume, and no token anywhere in the output or the database.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakestrava import ATHLETE_ID, CLIENT_ID, CLIENT_SECRET

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def setup(tmp_path, fake):
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n'
        f'[strava]\nclient_id = {CLIENT_ID}\napi_host = "{fake.url}"\n'
        f'[secrets]\nbackend = "file"\npath = "{tmp_path}/secrets.json"\n'
        '[athlete]\ntimezone = "Europe/Paris"\n'
    )
    env = {**os.environ, "SYNCD_STRAVA_CLIENT_SECRET": CLIENT_SECRET,
           "STATE_DIRECTORY": str(tmp_path / "state")}
    return cfg, env, tmp_path


def syncd(cfg, env, *args, **kw):
    return subprocess.run([sys.executable, "-m", "syncd", "--config", str(cfg), *args],
                          capture_output=True, text=True, env=env, timeout=120, **kw)


def authorise(cfg, env):
    redirect = "http://127.0.0.1:8721/?state=x&code=good-code&scope=read,activity:read_all"
    r = syncd(cfg, env, "auth", "strava", "--code", redirect)
    assert r.returncode == 0, r.stderr
    assert str(ATHLETE_ID) in r.stdout
    return r


def listed(cfg, env):
    r = syncd(cfg, env, "activities", "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_auth_pull_pull_again(setup, fake):
    cfg, env, tmp = setup
    for i in range(12):
        fake.add_activity(i, NOW - timedelta(days=30) + timedelta(days=2 * i), seconds=300)
    a = authorise(cfg, env)
    first = syncd(cfg, env, "pull")
    assert first.returncode == 0, first.stderr
    assert "12 new" in first.stdout and "API calls: 14" in first.stdout
    fake.calls.clear()
    second = syncd(cfg, env, "pull")
    assert second.returncode == 0, second.stderr
    assert "0 new" in second.stdout and "API calls: 1" in second.stdout
    assert fake.calls == ["GET /api/v3/athlete/activities"]
    rows = listed(cfg, env)
    assert len(rows) == 12 and len({r["id"] for r in rows}) == 12
    assert rows[0]["id"] == "10000000000" and rows[0]["source"] == "strava"
    assert "+" not in rows[0]["start_local"]  # athlete-local wall-clock time
    assert rows[0]["timezone"] == "Europe/Paris"

    # Secrets: in the 0600 file only, never in output, logs or the database.
    secrets = tmp / "secrets.json"
    assert oct(secrets.stat().st_mode & 0o777) == "0o600"
    everything = a.stdout + a.stderr + first.stdout + first.stderr + second.stdout + second.stderr
    db = (tmp / "syncd.db").read_bytes() + b"".join(
        p.read_bytes() for p in tmp.glob("syncd.db*"))
    for secret in (fake.access_token, fake.refresh_token, CLIENT_SECRET, "good-code"):
        assert secret not in everything
        assert secret.encode() not in db


def test_kill_in_the_middle_of_a_pull_and_resume(setup, fake):
    cfg, env, tmp = setup
    n = 30
    for i in range(n):
        fake.add_activity(i, NOW - timedelta(days=40) + timedelta(days=i), seconds=300)
    authorise(cfg, env)
    fake.delay_s = 0.15
    proc = subprocess.Popen([sys.executable, "-m", "syncd", "--config", str(cfg), "pull"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        if sum(c.endswith("/streams") for c in fake.calls) >= 8:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    con = sqlite3.connect(tmp / "syncd.db")
    stored_streams = con.execute("select count(*) from stream_set").fetchone()[0]
    assert 0 < stored_streams < n
    con.close()

    fake.delay_s = 0
    resumed = syncd(cfg, env, "pull")
    assert resumed.returncode == 0, resumed.stderr
    rows = listed(cfg, env)
    assert len(rows) == n and len({r["id"] for r in rows}) == n
    assert all(r["has_streams"] for r in rows)
    con = sqlite3.connect(tmp / "syncd.db")
    assert con.execute("select count(*) from stream_set").fetchone()[0] == n
    assert con.execute("select count(*) from activity_source").fetchone()[0] == n
    con.close()
    # Each activity's streams were fetched once, plus at most the one in flight at the kill.
    fetched = sum(c.endswith("/streams") for c in fake.calls)
    assert n <= fetched <= n + 1


def test_expired_token_is_refreshed_and_persisted(setup, fake):
    cfg, env, tmp = setup
    fake.add_activity(1, NOW - timedelta(days=1), seconds=300)
    authorise(cfg, env)
    stored = json.loads((tmp / "secrets.json").read_text())
    (key,) = stored
    stored[key]["expires_at"] = int(time.time()) + 600  # under the one-hour margin
    (tmp / "secrets.json").write_text(json.dumps(stored))
    old_refresh = fake.refresh_token
    r = syncd(cfg, env, "pull")
    assert r.returncode == 0, r.stderr
    assert "POST /oauth/token" in fake.calls
    now_stored = json.loads((tmp / "secrets.json").read_text())[key]
    assert now_stored["refresh_token"] == fake.refresh_token != old_refresh
    assert now_stored["access_token"] == fake.access_token


def test_revoked_refresh_token_is_exit_3(setup, fake):
    cfg, env, tmp = setup
    authorise(cfg, env)
    stored = json.loads((tmp / "secrets.json").read_text())
    (key,) = stored
    stored[key]["expires_at"] = 0
    (tmp / "secrets.json").write_text(json.dumps(stored))
    fake.refresh_token = "revoked-by-the-athlete"
    r = syncd(cfg, env, "pull")
    assert r.returncode == 3
    assert "syncd auth strava" in r.stderr and "Traceback" not in r.stderr


def test_bad_code_is_exit_3(setup, fake):
    cfg, env, _ = setup
    r = syncd(cfg, env, "auth", "strava", "--code", "not-a-valid-code")
    assert r.returncode == 3
    assert "not-a-valid-code" not in r.stderr


def test_missing_read_all_scope_is_said(setup, fake):
    cfg, env, _ = setup
    r = syncd(cfg, env, "auth", "strava", "--code",
              "http://127.0.0.1:8721/?state=x&code=good-code&scope=read,activity:read")
    assert r.returncode == 0
    assert "private activities" in r.stderr


def test_no_wait_exit_code_and_remaining(setup, fake):
    cfg, env, _ = setup
    for i in range(5):
        fake.add_activity(i, NOW - timedelta(days=5 - i), seconds=120)
    authorise(cfg, env)
    fake.usage_15 = fake.limit_15 - 3
    r = syncd(cfg, env, "pull", "--no-wait")
    assert r.returncode == 4
    assert "remain" in r.stderr or "remain" in r.stdout
    fake.usage_15 = fake.read_15 = 0
    again = syncd(cfg, env, "pull", "--no-wait")
    assert again.returncode == 0, again.stderr
    assert all(r["has_streams"] for r in listed(cfg, env))


def test_ctrl_c_stops_cleanly_and_the_next_pull_resumes(setup, fake):
    cfg, env, tmp = setup
    n = 20
    for i in range(n):
        fake.add_activity(i, NOW - timedelta(days=30) + timedelta(days=i), seconds=300)
    authorise(cfg, env)
    fake.delay_s = 0.15
    proc = subprocess.Popen([sys.executable, "-m", "syncd", "--config", str(cfg), "pull"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and sum(c.endswith("/streams") for c in fake.calls) < 5:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "20 new" in out  # the summary line is still printed
    fake.delay_s = 0
    again = syncd(cfg, env, "pull")
    assert again.returncode == 0, again.stderr
    rows = listed(cfg, env)
    assert len(rows) == n and all(r["has_streams"] for r in rows)


def test_digest_appends_one_line_to_strava_descriptions(setup, fake):
    cfg, env, tmp = setup
    monday = (NOW - timedelta(days=NOW.weekday() + 7)).replace(hour=6, minute=0, second=0)
    fake.add_activity(1, monday, seconds=2700)
    plan = tmp / "plan.toml"
    end = (monday + timedelta(days=27)).date()
    plan.write_text(f'name = "p"\nstart = {monday.date()}\nend = {end}\n'
                    '[week]\nmon = { type = "easy", minutes = 45 }\n')
    cfg.write_text(cfg.read_text() + f'[plan]\nfile = "{plan}"\n[digest]\npost_to = ["strava"]\n')
    r = subprocess.run(
        [sys.executable, "-m", "syncd", "--config", str(cfg), "auth", "strava", "--code",
         "http://127.0.0.1:8721/?code=good-code&scope=read,activity:read_all,activity:write"],
        capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert syncd(cfg, env, "pull").returncode == 0
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    first = syncd(cfg, env, "digest", "--week", week, "--post")
    assert first.returncode == 0, first.stderr
    aid = fake.activities[0]["id"]
    assert fake.descriptions[aid].startswith("detail\nsyncd: easy")
    puts = sum(c.startswith("PUT") for c in fake.calls)
    again = syncd(cfg, env, "digest", "--week", week, "--post", "--force")
    assert again.returncode == 0, again.stderr
    assert sum(c.startswith("PUT") for c in fake.calls) == puts  # never twice
