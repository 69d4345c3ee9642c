"""Scoring the classifier: macro-F1, and how close found reps are to the true ones.

Shared by the quality floors in the tests and by bench/classify.py, so both measure the same
thing on the tuning generator, the independent generator and the real files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from syncd.classify import AthleteProfile, Classification, ClassifyInput, Rep, classify
from tests.classify.workouts import macro_f1, readme_labels

REPO = Path(__file__).resolve().parents[2]
HELD_OUT_REAL = REPO / "tests" / "data" / "real"  # real files never used for tuning


@dataclass
class RepTiming:
    """Per true rep matched to a found rep: errors of duration (s) and distance (fraction)."""

    duration_err_s: list[float] = field(default_factory=list)
    distance_err: list[float] = field(default_factory=list)
    unmatched: int = 0

    def add(self, found: Sequence[Rep], truth: Sequence[tuple[float, float, float]]) -> None:
        for s, e, d in truth:
            best, overlap = None, 0.0
            for r in found:
                o = min(e, r.end_s) - max(s, r.start_s)
                if o > overlap:
                    best, overlap = r, o
            if best is None or overlap < 0.5 * (e - s):
                self.unmatched += 1
                continue
            self.duration_err_s.append(abs(best.duration_s - (e - s)))
            self.distance_err.append(abs(best.distance_m - d) / d if d > 0 else 0.0)

    def within(self, seconds: float = 2.0, share: float = 0.05) -> tuple[float, float]:
        """Share of matched reps within `seconds` of the true duration, and within `share` of
        the true distance."""
        if not self.duration_err_s:
            return 0.0, 0.0
        return (float(np.mean(np.array(self.duration_err_s) <= seconds)),
                float(np.mean(np.array(self.distance_err) <= share)))

    def line(self) -> str:
        if not self.duration_err_s:
            return "no matched reps"
        dur, dist = np.array(self.duration_err_s), 100 * np.array(self.distance_err)
        w2, w5 = self.within()
        return (f"{len(dur)} reps: duration error median {np.median(dur):.1f} s, "
                f"p90 {np.percentile(dur, 90):.1f} s, within 2 s {w2:.0%}; distance error "
                f"median {np.median(dist):.1f} %, p90 {np.percentile(dist, 90):.1f} %, "
                f"within 5 % {w5:.0%}; {self.unmatched} true reps not found")


def run(items: Iterable[tuple[ClassifyInput, str, list[tuple[float, float, float]]]],
        profiles: Iterable[AthleteProfile] | None = None,
        ) -> tuple[list[tuple[str, str]], RepTiming, list[Classification]]:
    """Classify each (input, label, true reps); rep timing only where the label is right."""
    pairs: list[tuple[str, str]] = []
    timing = RepTiming()
    results = []
    prof = iter(profiles) if profiles is not None else None
    for inp, label, truth in items:
        res = classify(inp, next(prof) if prof else AthleteProfile())
        results.append(res)
        pairs.append((label, res.label))
        if truth and res.label == label:
            timing.add(res.reps, truth)
    return pairs, timing, results


def independent(n: int, seed: int):  # noqa: ANN201 - list of Session
    """The independent generator's sessions (tests/classify/independent.py)."""
    from tests.classify.independent import sessions

    return sessions(n, seed)


def held_out_real() -> list[tuple[str, ClassifyInput, set[str]]]:
    """The real files in tests/data/real with their labels (labels.json; `also` = defensible)."""
    from syncd.sources.files import discover, read_activity

    labels_path = HELD_OUT_REAL / "labels.json"
    if not labels_path.is_file():
        return []
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    out = []
    for item in discover([HELD_OUT_REAL]):
        if isinstance(item, Exception):
            continue
        name = Path(item.display).name
        entry = labels.get(name) or {}
        label = entry.get("label")
        if label == "not a run":
            ok = {"other", *entry.get("also", [])}
        elif label in ("easy", "hill", "interval", "long", "race"):
            ok = {label, *entry.get("also", [])}
        else:  # ambiguous without a defensible pair, or unlabelled
            continue
        out.append((name, ClassifyInput.from_record(read_activity(item)), ok))
    return out


def real_pairs(real: list[tuple[str, ClassifyInput, set[str]]]
               ) -> tuple[list[tuple[str, str]], list[tuple[str, str, set[str], list[str]]]]:
    """(truth, predicted) with a defensible prediction counted right, and the misses."""
    pairs, wrong = [], []
    for name, inp, ok in real:
        res = classify(inp)
        pairs.append((res.label if res.label in ok else sorted(ok)[0], res.label))
        if res.label not in ok:
            wrong.append((name, res.label, ok, res.reasons[:3]))
    return pairs, wrong


__all__ = ["RepTiming", "held_out_real", "independent", "macro_f1", "readme_labels",
           "real_pairs", "run"]
