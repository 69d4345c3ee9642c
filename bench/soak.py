"""Soak: `syncd run` pulling every minute for a while against a local Strava stand-in that keeps
getting new, edited and deleted activities. Checks the end state and prints memory over time.

Usage: python bench/soak.py [MINUTES]   (default 15). Exits non-zero if anything is off: a pull
that failed, activities missing or duplicated, deletions not honoured, memory growing.
"""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import psutil
from common import REPO, authorised_daemon, machine


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("minutes", nargs="?", type=float, default=15)
    args = ap.parse_args()
    start = datetime.now(UTC) - timedelta(days=3)
    fake, proc, syncd, env, tmp = authorised_daemon(
        "syncd-soak-", "1m", [(start + timedelta(hours=3 * i), 1200) for i in range(20)]
    )
    p = psutil.Process(proc.pid)
    rss: list[float] = []
    t0 = time.monotonic()
    i = 20
    deleted: list[int] = []
    try:
        while time.monotonic() - t0 < args.minutes * 60:
            time.sleep(20)
            fake.add_activity(i, datetime.now(UTC) - timedelta(minutes=30), seconds=1200)
            i += 1
            if i % 5 == 0:  # the athlete deletes a recent activity
                victim = fake.activities[-3]["id"]
                fake.remove(victim)
                deleted.append(victim)
            if i % 7 == 0:  # ... and renames one
                fake.activities[-2]["name"] = f"renamed {i}"
            rss.append(p.memory_info().rss / 2**20)
        time.sleep(75)  # one more pull after the last change
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    con = sqlite3.connect(tmp / "syncd.db")
    live = {int(r[0]) for r in con.execute(
        "select strava_id from activity where deleted_at is null")}
    dupes = con.execute("select count(*) - count(distinct strava_id) from activity").fetchone()[0]
    con.close()
    want = {a["id"] for a in fake.activities}
    status = json.loads(subprocess.run([*syncd, "status", "--format", "json"], env=env,
                                       capture_output=True, text=True, cwd=REPO).stdout)
    pulls = sum(c == "GET /api/v3/athlete/activities" for c in fake.calls)
    print(f"machine: {machine()}")
    print(f"{args.minutes:.0f} min, {pulls} list calls, {i - 20} new activities, "
          f"{len(deleted)} deleted upstream")
    print(f"daemon RSS: first {rss[0]:.1f} MB, last {rss[-1]:.1f} MB, max {max(rss):.1f} MB")
    problems = []
    if live != want:
        problems.append(f"store differs from Strava: missing {sorted(want - live)[:5]}, "
                        f"extra {sorted(live - want)[:5]}")
    if dupes:
        problems.append(f"{dupes} duplicated activities")
    if status["exit_code"] != 0:
        problems.append(f"status not healthy: {status['problems']}")
    if rss[-1] - rss[0] > 10:
        problems.append(f"memory grew by {rss[-1] - rss[0]:.1f} MB")
    print("OK: store matches Strava, no duplicates, healthy, memory flat" if not problems
          else "PROBLEMS:\n  " + "\n  ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
