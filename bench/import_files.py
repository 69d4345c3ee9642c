"""Import 3,000 one-hour 1 Hz activity files (a ten-year history) into SQLite and report.

Files are generated once into var/bench/files/ (70 % FIT, 15 % GPX, 15 % gzipped TCX, like a
Garmin user's Strava export) and reused. Prints files/s, seconds of local work per activity,
DB bytes per activity-hour and peak RSS. Usage: python bench/import_files.py [N] [--workers K]
"""

from __future__ import annotations

import argparse
import gzip
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

from common import WORK, db_bytes, machine, peak_rss_mb

from syncd.jobs.importer import import_files
from syncd.logs import configure_logging
from syncd.store.db import open_store
from syncd.store.repo import Store

FILES = WORK / "files"


def _smart(run: dict, seed: int) -> dict:
    """Garmin 'smart recording': keep a sample every 1-7 s (about every 3 s on average)."""
    import random

    rnd = random.Random(seed)
    keep, t = [], 0
    n = len(run["time"])
    while t < n:
        keep.append(t)
        t += rnd.choice((1, 2, 3, 3, 4, 5, 7))
    if keep[-1] != n - 1:
        keep.append(n - 1)
    out = {k: [v[j] for j in keep] for k, v in run.items() if k != "meta"}
    # lap boundaries are sample indices: move them onto the kept samples
    import bisect

    laps = [{**lap, "start": bisect.bisect_left(keep, lap["start"]),
             "end": max(bisect.bisect_left(keep, lap["end"]), 1)} for lap in run["meta"]["laps"]]
    out["meta"] = {**run["meta"], "laps": laps}
    return out


def _make(i: int, smart: bool = False) -> None:
    from fitwriter import write_fit_fast
    from synth import synth_run, write_gpx, write_tcx

    start = datetime(2016, 1, 1, 6, 30, tzinfo=UTC) + timedelta(days=i * 1.2)
    kind = ("easy", "long", "intervals", "hills")[i % 4]
    run = synth_run(i, start, 3600, kind=kind)
    if smart:
        run = _smart(run, i)
    slot = i % 20
    if slot < 14:
        (FILES / f"{i:05d}.fit").write_bytes(write_fit_fast(run))
    elif slot < 17:
        (FILES / f"{i:05d}.gpx").write_text(write_gpx(run))
    else:
        (FILES / f"{i:05d}.tcx.gz").write_bytes(gzip.compress(write_tcx(run).encode(), 6))


def ensure_files(n: int, smart: bool = False) -> None:
    FILES.mkdir(parents=True, exist_ok=True)
    have = {p.name.split(".")[0] for p in FILES.iterdir()}
    todo = [i for i in range(n) if f"{i:05d}" not in have]
    if todo:
        print(f"generating {len(todo)} files into {FILES} (once) ...", flush=True)
        with ProcessPoolExecutor() as pool:
            list(pool.map(_make, todo, [smart] * len(todo), chunksize=20))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--smart", action="store_true",
                    help="smart recording (a sample every 1-7 s) instead of 1 Hz")
    args = ap.parse_args()
    configure_logging(level="warning")
    global FILES
    if args.smart:
        FILES = WORK / "files-smart"
    ensure_files(args.n, args.smart)
    paths = sorted(FILES.iterdir())[: args.n]
    db = WORK / "import.db"
    for p in db.parent.glob("import.db*"):
        p.unlink()
    store = Store(open_store(f"sqlite:///{db}"))
    athlete = store.ensure_athlete()
    cpu0, t0 = time.process_time(), time.perf_counter()
    report = import_files(store, athlete, paths, default_tz="Europe/Paris", workers=args.workers)
    wall = time.perf_counter() - t0
    cpu_main = time.process_time() - cpu0
    kids = os.times()
    cpu_children = kids.children_user + kids.children_system
    n = report.new
    hours = n  # one-hour activities
    print(f"machine: {machine()}")
    print(f"imported {n} of {len(paths)} files ({report.summary_line()})")
    print(f"wall time: {wall:.1f} s ({len(paths) / wall:.0f} files/s) with {args.workers} workers")
    print(f"local work per activity: {(cpu_main + cpu_children) / n * 1000:.0f} ms CPU "
          f"({cpu_main / n * 1000:.0f} ms main process, {cpu_children / n * 1000:.0f} ms parsers)")
    print(f"DB bytes per activity-hour: {db_bytes(db) / hours / 1024:.1f} KiB")
    print(f"API calls: 0; peak RSS (main process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
