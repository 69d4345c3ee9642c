"""Idle daemon: resident memory and CPU of `syncd run` over a quiet stretch.

Starts the real daemon (its first pull runs against a local Strava stand-in with a handful
of activities, then nothing is due for the rest of the window), samples RSS and CPU time with
psutil, prints them. Targets: RSS under 80 MB, CPU under 0.1 %. Usage:
python bench/idle.py [SECONDS]   (default 600)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
from common import REPO, machine

from tests.fakestrava import CLIENT_ID, CLIENT_SECRET, FakeStrava


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("seconds", nargs="?", type=float, default=600)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="syncd-idle-"))
    fake = FakeStrava()
    _server, url = fake.serve()
    now = datetime.now(UTC)
    for i in range(10):
        fake.add_activity(i, now - timedelta(days=10 - i), seconds=1800)
    cfg = tmp / "config.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp}/syncd.db"\n'
        f'[strava]\nclient_id = {CLIENT_ID}\napi_host = "{url}"\n'
        f'[secrets]\nbackend = "file"\npath = "{tmp}/secrets.json"\n'
        '[logging]\nlevel = "warning"\n[schedule]\npull_every = "6h"\n'
    )
    env = {**os.environ, "SYNCD_STRAVA_CLIENT_SECRET": CLIENT_SECRET,
           "STATE_DIRECTORY": str(tmp / "state")}
    syncd = [sys.executable, "-m", "syncd", "--config", str(cfg)]
    subprocess.run([*syncd, "auth", "strava", "--code",
                    "http://127.0.0.1/?code=good-code&scope=read,activity:read_all"],
                   env=env, check=True, capture_output=True, cwd=REPO)
    proc = subprocess.Popen([*syncd, "run"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    p = psutil.Process(proc.pid)
    try:
        # the start-up pull: wait for it to finish
        deadline = time.time() + 120
        while time.time() < deadline and sum(c.endswith("/streams") for c in fake.calls) < 10:
            time.sleep(0.5)
        time.sleep(10)
        cpu0 = p.cpu_times()
        t0 = time.monotonic()
        peak = 0
        while time.monotonic() - t0 < args.seconds:
            peak = max(peak, p.memory_info().rss)
            time.sleep(5)
        cpu1 = p.cpu_times()
        wall = time.monotonic() - t0
        rss = p.memory_info().rss
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    used = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    print(f"machine: {machine()}")
    print(f"idle for {wall:.0f} s after its first pull of 10 activities")
    print(f"resident memory: {rss / 2**20:.1f} MB now, {peak / 2**20:.1f} MB peak while idle "
          "(target: under 80 MB)")
    print(f"CPU: {used:.2f} s over {wall:.0f} s = {100 * used / wall:.3f} % (target: under 0.1 %)")


if __name__ == "__main__":
    main()
