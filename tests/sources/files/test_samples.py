"""scripts/make_samples.py is deterministic, its output is what samples/ holds, and it imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from syncd.sources.files import import_paths
from syncd.sources.records import ActivityRecord

REPO = Path(__file__).resolve().parents[3]


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_make_samples_is_deterministic_and_committed(tmp_path: Path) -> None:
    script = str(REPO / "scripts" / "make_samples.py")
    outs = [tmp_path / "a", tmp_path / "b"]
    procs = [  # two runs side by side: the script is CPU-bound, the test should not be slow
        subprocess.Popen([sys.executable, script, str(out)], stdout=subprocess.DEVNULL)
        for out in outs
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    first, second = (_contents(out) for out in outs)
    assert first == second
    assert len(first) >= 4
    assert first == _contents(REPO / "samples"), "samples/ is stale: run `make samples`"


def test_every_sample_imports() -> None:
    results = list(import_paths([REPO / "samples"]))
    assert results and all(isinstance(r, ActivityRecord) for r in results)
    sports = sorted(r.sport_type for r in results)  # type: ignore[union-attr]
    assert sports.count("Run") >= 3 and "Ride" in sports
    intervals = next(r for r in results if "intervals" in (r.origin or ""))
    assert len(intervals.laps) == 18 and intervals.workout_steps  # type: ignore[union-attr]
    assert sum(p.stat().st_size for p in (REPO / "samples").iterdir()) < 600_000
