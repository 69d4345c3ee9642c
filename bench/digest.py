"""Digest for one week over a store holding ten years (3,650 activities): time it.

Builds the store once in var/bench/digest.db (activities with classifications and reps, no
streams: the digest never reads streams), then times building the week report and rendering
every format. Usage: python bench/digest.py [N_ACTIVITIES]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

from common import WORK, machine, peak_rss_mb

from syncd.digest import FORMATS, render
from syncd.jobs.digest import week_report
from syncd.logs import configure_logging
from syncd.plan import load_plan
from syncd.sources.records import ActivityRecord
from syncd.store.db import open_store
from syncd.store.repo import Store

LABELS = ("easy", "interval", "easy", "hill", "easy", "long", "easy")


def build(store: Store, n: int) -> None:
    athlete = store.ensure_athlete()
    start = datetime(2015, 3, 2, 6, 30, tzinfo=UTC)
    for i in range(n):
        day = start + timedelta(days=i)
        label = LABELS[i % 7]
        minutes = {"long": 130, "interval": 50, "hill": 55}.get(label, 45)
        rec = ActivityRecord(source="strava", source_id=str(10**10 + i), start_utc=day,
                             sport_type="Run", name=f"{label} run", distance_m=minutes * 170.0,
                             moving_s=minutes * 60.0, elapsed_s=minutes * 62.0,
                             raw={"id": 10**10 + i})
        res = store.save_activity(athlete.id, rec, default_tz="Europe/Paris")
        reps = []
        if label in ("interval", "hill"):
            reps = [{"start_s": 900 + k * 130, "end_s": 937 + k * 130, "distance_m": 200.0,
                     "duration_s": 37.0, "mean_speed": 5.4, "mean_hr": 165.0, "mean_grade": 0.0,
                     "recovery_s": 90.0, "recovery_distance_m": 120.0, "recovery_kind": "walk"}
                    for k in range(8)]
        store.save_classification(res.activity_id, {
            "label": label, "confidence": 0.9, "reasons": ["bench"], "reps": reps,
            "warmup_s": 900.0 if reps else None, "cooldown_s": 700.0 if reps else None,
            "version": "bench"})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=3650)
    args = ap.parse_args()
    configure_logging(level="warning")
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / f"digest-{args.n}.db"
    fresh = not db.exists()
    store = Store(open_store(f"sqlite:///{db}"))
    if fresh:
        t = time.perf_counter()
        build(store, args.n)
        print(f"built {args.n} activities in {time.perf_counter() - t:.0f} s")
    athlete = store.resolve_athlete(None)
    plan = load_plan(WORK.parents[1] / "config" / "plan.example.toml")
    week = date(2025, 3, 10)
    timings: dict[str, list[float]] = {"report": [], **{f: [] for f in FORMATS}}
    for _ in range(5):
        t = time.perf_counter()
        report = week_report(store, athlete, week, plan)
        timings["report"].append(time.perf_counter() - t)
        for fmt in FORMATS:
            t = time.perf_counter()
            render(report, fmt)
            timings[fmt].append(time.perf_counter() - t)
    total = statistics.median(timings["report"]) + sum(
        statistics.median(timings[f]) for f in FORMATS)
    print(f"machine: {machine()}")
    print(f"store: {len(store.activities(athlete.id))} activities over ten years")
    print("median over 5 runs: " + ", ".join(
        f"{k} {statistics.median(v) * 1000:.0f} ms" for k, v in timings.items()))
    print(f"week report + all four formats: {total * 1000:.0f} ms (target: under 1 s)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    cfg = WORK / "digest-bench.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{db}"\n[athlete]\ntimezone = "Europe/Paris"\n'
                   f'[plan]\nfile = "{WORK.parents[1] / "config" / "plan.example.toml"}"\n'
                   '[logging]\nlevel = "warning"\n')
    walls = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "syncd", "--config", str(cfg), "digest", "--week",
                        "2025-W11", "--format", "html"], check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
    print(f"whole command `syncd digest --week 2025-W11 --format html` (start-up included): "
          f"{statistics.median(walls) * 1000:.0f} ms median of 3")


if __name__ == "__main__":
    main()
