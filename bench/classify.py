"""Classifier bench: confusion matrices and macro-F1 on generated and real activities, rep-count
accuracy, and classification time per activity-hour of 1 Hz streams.

    .venv/bin/python bench/classify.py [--n 300] [--seed 7] [--errors]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from syncd.classify import LABELS, classify  # noqa: E402
from tests.classify.workouts import (  # noqa: E402
    dataset,
    generate,
    macro_f1,
    real_activities,
)


def confusion(pairs: list[tuple[str, str]]) -> str:
    counts = Counter(pairs)
    head = "truth \\ pred".ljust(13) + "".join(lab[:8].rjust(9) for lab in LABELS)
    rows = [head]
    for t in LABELS:
        if not any(tt == t for tt, _ in pairs):
            continue
        rows.append(t.ljust(13) + "".join(str(counts[(t, p)]).rjust(9) for p in LABELS))
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--errors", action="store_true", help="list misclassified activities")
    args = ap.parse_args()

    t0 = time.perf_counter()
    items = dataset(args.n, args.seed)
    gen_s = time.perf_counter() - t0
    pairs: list[tuple[str, str]] = []
    rep_ok = rep_total = 0
    errors = []
    for inp, label, truth in items:
        res = classify(inp)
        pairs.append((label, res.label))
        if truth.get("reps") and label in ("interval", "hill"):
            rep_total += 1
            rep_ok += abs(len(res.reps) - truth["reps"]) <= 1
        if res.label != label or (truth.get("reps") and abs(len(res.reps) - truth["reps"]) > 1):
            errors.append((truth["kind"], label, res.label, len(res.reps), truth.get("reps"),
                           res.reasons[:3]))
    kinds = Counter(t["kind"] for _, _, t in items)
    print(f"== generated: {len(items)} activities, seed {args.seed} "
          f"({len(kinds)} kinds, generated in {gen_s:.1f} s)")
    print(confusion(pairs))
    print(f"macro-F1 generated: {macro_f1(pairs):.3f}   accuracy: "
          f"{sum(t == p for t, p in pairs) / len(pairs):.3f}")
    if rep_total:
        print(f"rep count within +-1 of truth: {rep_ok}/{rep_total} = {rep_ok / rep_total:.1%}")
    if args.errors:
        for e in errors:
            print("  ", e)

    data = (REPO / ".." / "shared" / "data").resolve()
    if data.is_dir():
        real = real_activities(data)
        rpairs = []
        print(f"\n== real files: {len(real)} activities from {data}")
        for name, inp, ok in real:
            res = classify(inp)
            truth = res.label if res.label in ok else sorted(ok)[0]
            rpairs.append((truth, res.label))
            mark = "ok " if res.label in ok else "BAD"
            print(f"  {mark} {name:52s} {res.label:8s} {res.confidence:.2f}  "
                  f"{'; '.join(res.reasons[:2])}")
        print(confusion(rpairs))
        print(f"macro-F1 real: {macro_f1(rpairs):.3f}")
    else:
        print(f"\n(real files not found at {data})")

    # Speed: classification time per activity-hour of 1 Hz streams.
    timing = [generate(k, s, smart=False) for k in ("easy", "long_road", "8x200", "long_trail",
                                                     "hills_10x30") for s in range(4)]
    hours = sum(len(inp.streams) for inp, _, _ in timing) / 3600.0  # type: ignore[arg-type]
    for inp, _, _ in timing[:3]:
        classify(inp)  # warm-up
    t0 = time.perf_counter()
    reps = 5
    for _ in range(reps):
        for inp, _, _ in timing:
            classify(inp)
    dt = (time.perf_counter() - t0) / reps
    print(f"\n== speed: {len(timing)} activities, {hours:.1f} h of 1 Hz streams: "
          f"{1000 * dt / hours:.2f} ms per activity-hour (includes list->numpy conversion)")


if __name__ == "__main__":
    main()
