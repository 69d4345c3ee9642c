"""Pull 2,000 synthetic one-hour activities with 1 Hz streams through a local stand-in of
Strava's API into SQLite, and report API calls per activity, seconds of local work per
activity, DB bytes per activity-hour and peak RSS.

The stand-in (tests/fakestrava.py) runs in its own process so its CPU is not counted; its rate
limits are raised so the bench measures syncd's work, not Strava's quarter-hour windows.
Usage: python bench/pull.py [N]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from datetime import UTC, datetime, timedelta

from common import WORK, db_bytes, machine, peak_rss_mb

from syncd.jobs.pull import PullOptions, pull_strava
from syncd.logs import configure_logging
from syncd.sources.strava.api import StravaAPI
from syncd.sources.strava.ratelimit import RateBudget
from syncd.store.db import open_store
from syncd.store.repo import Store


def serve(n: int, q: mp.Queue) -> None:
    from tests.fakestrava import FakeStrava

    fake = FakeStrava(limit_15=10**6, limit_day=10**7, read_limit_15=10**6, read_limit_day=10**7)
    start = datetime(2020, 1, 1, 6, 0, tzinfo=UTC)
    for i in range(n):
        fake.add_activity(i, start + timedelta(hours=20 * i), seconds=3600)
    _server, url = fake.serve()
    q.put((url, fake.access_token))
    while True:
        time.sleep(3600)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=2000)
    args = ap.parse_args()
    configure_logging(level="warning")
    q: mp.Queue = mp.Queue()
    proc = mp.Process(target=serve, args=(args.n, q), daemon=True)
    proc.start()
    url, token = q.get(timeout=600)
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / "pull.db"
    for p in db.parent.glob("pull.db*"):
        p.unlink()
    store = Store(open_store(f"sqlite:///{db}"))
    athlete = store.ensure_athlete(strava_id=34874817)
    api = StravaAPI(lambda: token, RateBudget(), api_host=url)
    cpu0, t0 = time.process_time(), time.perf_counter()
    report = pull_strava(store, athlete, api, PullOptions(default_tz="Europe/Paris"))
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    proc.terminate()
    n = report.new
    print(f"machine: {machine()}")
    print(f"pulled {n} activities, {report.streams} with streams: {report.summary_line()}")
    print(f"API calls per activity: {report.api_calls / n:.4f} ({report.api_calls} calls)")
    print(f"wall time: {wall:.1f} s (the stand-in server shares the 2 cores)")
    print(f"local work per activity: {cpu / n * 1000:.1f} ms CPU in syncd's process")
    print(f"DB bytes per activity-hour: {db_bytes(db) / n / 1024:.1f} KiB")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
