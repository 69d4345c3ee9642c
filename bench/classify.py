"""Classifier bench (issue 8): macro-F1 on the independent generator, the real files and the
tuning generator (unseen data first), rep-boundary error, threshold sensitivity, and the time
per activity-hour.

    .venv/bin/python bench/classify.py [--n 300] [--seed 7] [--errors] [--no-sensitivity]

The independent generator (tests/classify/independent.py) was written from a spec by someone
who had not read syncd/classify/; nothing was tuned on it. tests/data/real holds real files
nobody tuned on either (see its README); ../shared/data's files were looked at while tuning.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from syncd.classify import LABELS, AthleteProfile, ClassifyInput, Thresholds, classify  # noqa: E402
from tests.classify.evaluate import (  # noqa: E402
    RepTiming,
    held_out_real,
    independent,
    real_pairs,
    run,
)
from tests.classify.workouts import dataset, generate, macro_f1, real_activities  # noqa: E402


def confusion(pairs: list[tuple[str, str]]) -> str:
    counts = Counter(pairs)
    head = "truth \\ pred".ljust(13) + "".join(lab[:8].rjust(9) for lab in LABELS)
    rows = [head]
    for t in LABELS:
        if any(tt == t for tt, _ in pairs):
            rows.append(t.ljust(13) + "".join(str(counts[(t, p)]).rjust(9) for p in LABELS))
    return "\n".join(rows)


def per_label(pairs: list[tuple[str, str]]) -> str:
    out = []
    for lab in LABELS:
        tp = sum(t == lab and p == lab for t, p in pairs)
        fp = sum(t != lab and p == lab for t, p in pairs)
        fn = sum(t == lab and p != lab for t, p in pairs)
        if tp + fp + fn:
            out.append(f"{lab} {2 * tp / (2 * tp + fp + fn):.2f}")
    return ", ".join(out)


def report(title: str, pairs: list[tuple[str, str]]) -> None:
    print(f"\n== {title}: {len(pairs)} activities")
    print(confusion(pairs))
    print(f"macro-F1 {macro_f1(pairs):.3f}   per label: {per_label(pairs)}")


def independent_section(n: int, errors: bool) -> None:
    t0 = time.perf_counter()
    sessions = independent(n, 1)
    gen_s = time.perf_counter() - t0
    items = [(ClassifyInput.from_record(s.record), s.label, s.reps) for s in sessions]
    pairs, timing, results = run(items)
    report(f"independent generator, no history (generated in {gen_s:.0f} s)", pairs)
    split = defaultdict(RepTiming)
    for s, res in zip(sessions, results, strict=True):
        if s.reps and res.label == s.label:
            split["smart" if s.smart else "1 Hz"].add(res.reps, s.reps)
    print(f"rep boundaries: {timing.line()}")
    for k, v in sorted(split.items()):
        print(f"  {k}: {v.line()}")
    hist_pairs, _, _ = run(items, [AthleteProfile(easy_speed=s.easy_speed) for s in sessions])
    print(f"with the athlete's easy pace known (a history): macro-F1 {macro_f1(hist_pairs):.3f}"
          f"   per label: {per_label(hist_pairs)}")
    if errors:
        for s, res in zip(sessions, results, strict=True):
            if res.label != s.label:
                print("  ", s.kind, s.label, "->", res.label, res.reasons[:2])


def real_section(errors: bool) -> None:
    held = held_out_real()
    if held:
        pairs, wrong = real_pairs(held)
        report("held-out real files (tests/data/real, never tuned on)", pairs)
        for w in wrong:
            print("   BAD", *w)
    data = (REPO / ".." / "shared" / "data").resolve()
    if data.is_dir():
        pairs, wrong = real_pairs(real_activities(data))
        report(f"real files of {data} (looked at while tuning)", pairs)
        for w in wrong:
            print("   BAD", *w)


def tuning_section(n: int, seed: int, errors: bool) -> list:
    t0 = time.perf_counter()
    items = dataset(n, seed)
    gen_s = time.perf_counter() - t0
    pairs, timing, results = run((inp, label, t.get("rep_spans") if t.get("reps") else [])
                                 for inp, label, t in items)
    report(f"tuning generator, seed {seed} (generated in {gen_s:.0f} s)", pairs)
    counted = [(t["reps"], len(r.reps)) for (_, lab, t), r in zip(items, results, strict=True)
               if t.get("reps") and r.label == lab]
    ok = sum(abs(a - b) <= 1 for a, b in counted)
    print(f"rep count within +-1 of truth: {ok}/{len(counted)}")
    print(f"rep boundaries: {timing.line()}")
    if errors:
        for (_, lab, t), r in zip(items, results, strict=True):
            if r.label != lab:
                print("  ", t["kind"], lab, "->", r.label, r.reasons[:2])
    return items


def sensitivity(items: list) -> None:
    """F1 when each threshold moves -20 % and +20 %: a rule that flips on a small move is a
    rule to redesign."""
    base = Thresholds()
    pairs = [(lab, classify(inp).label) for inp, lab, _ in items]
    f0 = macro_f1(pairs)
    print(f"\n== threshold sensitivity on {len(items)} tuning activities (base F1 {f0:.3f})")
    print("threshold".ljust(26) + "default".rjust(9) + "-20 %".rjust(8) + "+20 %".rjust(8))
    rows = []
    for f in dataclasses.fields(Thresholds):
        value = getattr(base, f.name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value == 0:
            continue
        scores = []
        for k in (0.8, 1.2):
            v = value * k
            v = type(value)(round(v)) if isinstance(value, int) else v
            if v == value:
                scores.append(f0)
                continue
            th = dataclasses.replace(base, **{f.name: v})
            scores.append(macro_f1([(lab, classify(inp, thresholds=th).label)
                                    for inp, lab, _ in items]))
        rows.append((min(scores) - f0, f.name, value, scores))
    for _, name, value, (lo, hi) in sorted(rows):
        print(f"{name:26s}{value:9.4g}{lo:8.3f}{hi:8.3f}")


def speed() -> None:
    timing = [generate(k, s, smart=False) for k in ("easy", "long_road", "8x200", "long_trail",
                                                     "hills_10x30") for s in range(4)]
    hours = sum(len(inp.streams) for inp, _, _ in timing) / 3600.0  # type: ignore[arg-type]
    for inp, _, _ in timing[:3]:
        classify(inp)
    t0, c0 = time.perf_counter(), time.process_time()
    reps = 5
    for _ in range(reps):
        for inp, _, _ in timing:
            classify(inp)
    dt = (time.perf_counter() - t0) / reps
    cpu = (time.process_time() - c0) / reps
    print(f"\n== speed: {len(timing)} activities, {hours:.1f} h of 1 Hz streams: "
          f"{1000 * cpu / hours:.2f} ms CPU per activity-hour ({1000 * dt / hours:.2f} ms wall; "
          "includes list->numpy conversion)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--errors", action="store_true", help="list misclassified activities")
    ap.add_argument("--no-sensitivity", action="store_true")
    ap.add_argument("--speed-only", action="store_true")
    args = ap.parse_args()
    if args.speed_only:
        speed()
        return
    independent_section(args.n, args.errors)
    real_section(args.errors)
    items = tuning_section(args.n, args.seed, args.errors)
    if not args.no_sensitivity:
        sensitivity(items[: min(len(items), 150)])
    speed()


if __name__ == "__main__":
    main()
