"""`syncd run` as systemd runs it: a real subprocess, NOTIFY_SOCKET pointed at a socket this
test owns, a local Strava stand-in, a short schedule."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakestrava import CLIENT_ID, CLIENT_SECRET

NOW = datetime.now(UTC).replace(microsecond=0)


class NotifySocket:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.messages: list[str] = []

    def drain(self):
        while True:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except TimeoutError:
                return

    def wait_for(self, predicate, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.drain()
            for m in self.messages:
                if predicate(m):
                    return m
        raise AssertionError(f"no such notify message; got {self.messages[-10:]}")


@pytest.fixture
def env_cfg(tmp_path, fake):
    out = tmp_path / "digests"
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n'
        f'[strava]\nclient_id = {CLIENT_ID}\napi_host = "{fake.url}"\n'
        f'[secrets]\nbackend = "file"\npath = "{tmp_path}/secrets.json"\n'
        '[athlete]\ntimezone = "Europe/Paris"\n'
        '[schedule]\npull_every = "30m"\ndigest = "mon 00:00"\n'
        f'[digest]\npost_to = ["file://{out}"]\n'
    )
    env = {**os.environ, "SYNCD_STRAVA_CLIENT_SECRET": CLIENT_SECRET,
           "STATE_DIRECTORY": str(tmp_path / "state"),
           "NOTIFY_SOCKET": str(tmp_path / "notify.sock"), "WATCHDOG_USEC": "2000000"}
    r = subprocess.run(
        [sys.executable, "-m", "syncd", "--config", str(cfg), "auth", "strava", "--code",
         "http://127.0.0.1:1/?state=x&code=good-code&scope=read,activity:read_all"],
        env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return cfg, env, tmp_path


def start(cfg, env):
    return subprocess.Popen([sys.executable, "-m", "syncd", "--config", str(cfg), "run"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_ready_watchdog_status_digest_and_sigterm_mid_pull(env_cfg, fake):
    cfg, env, tmp = env_cfg
    n = 30
    for i in range(n):
        fake.add_activity(i, NOW - timedelta(days=20) + timedelta(hours=12 * i), seconds=300)
    fake.delay_s = 0.25
    notify = NotifySocket(tmp / "notify.sock")
    proc = start(cfg, env)
    try:
        notify.wait_for(lambda m: "READY=1" in m)
        # the missed digest (last week, due Monday 00:00) is caught up at start
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list((tmp / "digests").glob("week-*.html")):
            time.sleep(0.2)
        assert list((tmp / "digests").glob("week-*.html"))
        notify.wait_for(lambda m: "WATCHDOG=1" in m)
        # the first pull starts right away; stop it in the middle
        while sum(c.endswith("/streams") for c in fake.calls) < 5:
            time.sleep(0.05)
        t = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert time.monotonic() - t < 5
        assert proc.returncode == 0, proc.stderr.read()
        notify.wait_for(lambda m: "STOPPING=1" in m)
    finally:
        if proc.poll() is None:
            proc.kill()
    con = sqlite3.connect(tmp / "syncd.db")
    stored = con.execute("select count(*) from stream_set").fetchone()[0]
    assert 0 < stored < n
    con.close()

    # Next start: the pull carries on, no duplicates, STATUS says what happened.
    fake.delay_s = 0
    notify.messages.clear()
    proc = start(cfg, env)
    try:
        # (READY carries the previous run's status; wait for the one after this pull)
        status = notify.wait_for(lambda m: "STATUS=last pull" in m and "READY=1" not in m)
        assert "0 new" in status
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    con = sqlite3.connect(tmp / "syncd.db")
    assert con.execute("select count(*) from stream_set").fetchone()[0] == n
    assert con.execute("select count(*) from activity").fetchone()[0] == n
    con.close()
    r = subprocess.run([sys.executable, "-m", "syncd", "--config", str(cfg), "status",
                        "--format", "json"], env=env, capture_output=True, text=True, timeout=60)
    data = json.loads(r.stdout)
    assert r.returncode == 0, data["problems"]
    assert data["jobs"]["pull"]["ok"] and data["counts"]["1"]["activities"] == n
    assert data["digest_posts"]


def test_starts_before_authorisation_and_says_so(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n'
                   f'[secrets]\nbackend = "file"\npath = "{tmp_path}/secrets.json"\n'
                   '[strava]\nclient_id = 1\nclient_secret = "abcdefghijkl"\n')
    env = {**os.environ, "STATE_DIRECTORY": str(tmp_path / "state"),
           "NOTIFY_SOCKET": str(tmp_path / "notify.sock")}
    notify = NotifySocket(tmp_path / "notify.sock")
    proc = start(cfg, env)
    try:
        notify.wait_for(lambda m: "READY=1" in m and "not authorised" in m)
        notify.wait_for(lambda m: "STATUS=" in m and "last pull" in m and "failed" in m)
        r = subprocess.run([sys.executable, "-m", "syncd", "--config", str(cfg), "status"],
                           env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "syncd auth strava" in r.stdout
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_bad_config_exits_non_zero_at_start(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[schedule]\npull_every = \"often\"\n")
    r = subprocess.run([sys.executable, "-m", "syncd", "--config", str(cfg), "run"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "schedule.pull_every" in r.stderr


def test_digest_is_posted_at_its_time(tmp_path):
    from zoneinfo import ZoneInfo

    due = datetime.now(ZoneInfo("Europe/Paris")) + timedelta(seconds=12)
    when = due.strftime("%a %H:%M:%S").lower()
    out = tmp_path / "digests"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/syncd.db"\n'
                   '[athlete]\ntimezone = "Europe/Paris"\n'
                   f'[schedule]\ndigest = "{when}"\n[digest]\npost_to = ["file://{out}"]\n')
    env = {**os.environ, "STATE_DIRECTORY": str(tmp_path / "state"),
           "NOTIFY_SOCKET": str(tmp_path / "notify.sock")}
    samples = Path(__file__).resolve().parents[1] / "samples"
    subprocess.run([sys.executable, "-m", "syncd", "--config", str(cfg), "import", str(samples)],
                   env={**env, "NOTIFY_SOCKET": ""}, check=True, capture_output=True, timeout=60)
    notify = NotifySocket(tmp_path / "notify.sock")
    proc = start(cfg, env)
    try:
        notify.wait_for(lambda m: "READY=1" in m)
        assert not out.exists()  # not before its time
        notify.wait_for(lambda m: "STATUS=" in m and "READY=1" not in m, timeout=60)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not list(out.glob("week-*.html")):
            time.sleep(0.2)
        posted_at = datetime.now(ZoneInfo("Europe/Paris"))
        assert list(out.glob("week-*.html")), "no digest after its time"
        assert posted_at >= due - timedelta(seconds=1)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
