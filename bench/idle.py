"""Idle daemon: resident memory and CPU of `syncd run` over a quiet stretch.

Starts the real daemon (its first pull runs against a local Strava stand-in with a handful
of activities, then nothing is due for the rest of the window), samples RSS and CPU time with
psutil, prints them. Targets: RSS under 80 MB, CPU under 0.1 %. Usage:
python bench/idle.py [SECONDS]   (default 600)
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

import psutil
from common import authorised_daemon, machine


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("seconds", nargs="?", type=float, default=600)
    args = ap.parse_args()
    now = datetime.now(UTC)
    fake, proc, syncd, env, tmp = authorised_daemon(
        "syncd-idle-", "6h", [(now - timedelta(days=10 - i), 1800) for i in range(10)]
    )
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
