"""A labelled workout generator for the classifier: realistic streams with the traps of real
recordings (GPS jitter, altitude noise, HR lag, smart recording, start spikes, traffic stops,
cadence reported per foot, optical HR locked on cadence, treadmills, manual entries).

    inp, label, truth = generate("8x200", seed=3)
    items = dataset(300, seed=1)   # [(ClassifyInput, label, truth), ...], mixed kinds

truth: {"kind": ..., "reps": expected rep count or None, "easy_speed": m/s, ...}.
Deterministic: same kind, seed and options -> same output.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from syncd.classify import ClassifyInput
from syncd.sources.records import LapRecord, Streams

# kind -> expected label
KINDS: dict[str, str] = {
    "easy": "easy",
    "easy_strides": "easy",
    "recovery": "easy",
    "easy_stops": "easy",
    "trail_easy": "easy",
    "treadmill_easy": "easy",
    "easy_tagged_workout": "easy",  # workout_type 3 on an easy run (as in the real Strava file)
    "long_road": "long",
    "long_trail": "long",
    "treadmill_6x3": "interval",
    "10x100": "interval",
    "pyramid": "interval",
    "8x200": "interval",
    "6x800": "interval",
    "4x6min": "interval",
    "6x3min_15pct": "interval",
    "hills_10x30": "hill",
    "hills_6x3min": "hill",
    "ladder": "interval",
    "4x1k_standing": "interval",
    "3x10_walks": "interval",
    "long_rests": "interval",
    "short_warmup_8x400": "interval",
    "hills_clusters": "hill",
    "hill_surges": "hill",
    "marathon": "long",
    "progressive_long": "long",
    "race": "race",
    "manual": "",  # label depends on the drawn entry
    "nonrun": "other",
}

# Mixture for dataset(): weights chosen so every label has enough support.
_WEIGHTS: dict[str, float] = {
    "easy": 3, "easy_strides": 2, "recovery": 1, "easy_stops": 2, "trail_easy": 2,
    "treadmill_easy": 1, "easy_tagged_workout": 1, "long_road": 2, "long_trail": 2,
    "treadmill_6x3": 1, "10x100": 1, "pyramid": 1, "8x200": 1, "6x800": 1, "4x6min": 1,
    "6x3min_15pct": 1, "hills_10x30": 2, "hills_6x3min": 2, "race": 2, "manual": 3,
    "nonrun": 2, "ladder": 1, "4x1k_standing": 1, "3x10_walks": 1, "long_rests": 1,
    "short_warmup_8x400": 1, "hills_clusters": 2, "hill_surges": 1, "marathon": 1,
    "progressive_long": 1,
}


@dataclass
class Seg:
    """A piece of a plan: duration (s), target speed (x easy), how the ground behaves."""

    dur: float
    rel: float  # target speed relative to the athlete's easy speed (0 = stand)
    mode: str = "flat"  # flat | terrain | out | back
    tag: str = "easy"  # wu | cd | easy | rep | rec | stride | drill | stop | surge
    grade: float = 0.0  # for out/back: slope of the hill (fraction)


def _easy_block(rng: np.random.Generator, minutes: float, mode: str = "flat") -> list[Seg]:
    return [Seg(minutes * 60.0, 1.0, mode, "easy")]


def _warmup(rng: np.random.Generator, easy: float, strides: bool) -> list[Seg]:
    segs = [Seg(rng.uniform(15, 25) * 60.0, rng.uniform(0.93, 1.0), "flat", "wu")]
    for _ in range(int(rng.integers(3, 6))):  # drills: skips, high knees: slow, then walk back
        segs.append(Seg(rng.uniform(12, 20), rng.uniform(0.45, 0.6), "flat", "drill"))
        segs.append(Seg(rng.uniform(15, 25), rng.uniform(0.4, 0.5), "flat", "drill"))
    if strides:
        for _ in range(int(rng.integers(3, 5))):
            d = rng.uniform(60, 90)
            v = rng.uniform(1.45, 1.65)
            segs.append(Seg(d / (v * easy), v, "flat", "stride"))
            segs.append(Seg(rng.uniform(40, 70), rng.uniform(0.45, 0.6), "flat", "drill"))
    segs.append(Seg(rng.uniform(90, 180), rng.uniform(0.0, 0.45), "flat", "rec"))
    return segs


def _cooldown(rng: np.random.Generator) -> list[Seg]:
    return [Seg(rng.uniform(10, 15) * 60.0, rng.uniform(0.9, 0.98), "flat", "cd")]


def _track_session(
    rng: np.random.Generator, easy: float, distances: list[float], rel: float,
    rec: tuple[str, float], strides: bool,
) -> list[Seg]:
    """Reps by distance at `rel` x easy; recovery ('walk'|'jog'|'stand', metres or seconds)."""
    segs = _warmup(rng, easy, strides)
    kind, amount = rec
    for i, d in enumerate(distances):
        v = rel * rng.uniform(0.97, 1.03)
        segs.append(Seg(d / (v * easy) + 1.5, v, "flat", "rep"))  # + accel lag
        if i + 1 < len(distances):
            if kind == "walk":
                w = rng.uniform(0.45, 0.55)
                segs.append(Seg(amount / (w * easy), w, "flat", "rec"))
            elif kind == "jog":
                segs.append(Seg(amount * rng.uniform(0.9, 1.1), rng.uniform(0.7, 0.85),
                                "flat", "rec"))
            else:
                segs.append(Seg(amount * rng.uniform(0.9, 1.1), 0.0, "flat", "rec"))
    return segs + _cooldown(rng)


def _hill_session(
    rng: np.random.Generator, easy: float, n: int, rep_s: tuple[float, float], rel: float,
    back_rel: float,
) -> list[Seg]:
    segs = _warmup(rng, easy, strides=False)
    grade = rng.uniform(0.06, 0.10)
    dur = rng.uniform(*rep_s)
    for i in range(n):
        segs.append(Seg(dur * rng.uniform(0.95, 1.05), rel * rng.uniform(0.97, 1.03), "out",
                        "rep", grade))
        segs.append(Seg(0.0, back_rel * rng.uniform(0.9, 1.1), "back", "rec", grade))
        if i + 1 < n and rng.random() < 0.5:
            segs.append(Seg(rng.uniform(10, 30), 0.0, "flat", "rec"))  # catch breath at foot
    return segs + _cooldown(rng)


def _with_stops(rng: np.random.Generator, total_min: float, n_stops: int) -> list[Seg]:
    """An easy run interrupted by crossings: stand 10-60 s, then a short surge to catch up."""
    segs: list[Seg] = []
    pieces = rng.dirichlet(np.ones(n_stops + 1)) * (total_min * 60.0 - n_stops * 60)
    for i, p in enumerate(pieces):
        segs.append(Seg(max(p, 60.0), 1.0, "flat", "easy"))
        if i < n_stops:
            segs.append(Seg(rng.uniform(10, 60), 0.0, "flat", "stop"))
            segs.append(Seg(rng.uniform(8, 30), rng.uniform(1.15, 1.4), "flat", "surge"))
    return segs


def _plan(kind: str, rng: np.random.Generator, easy: float) -> tuple[list[Seg], dict[str, Any]]:
    truth: dict[str, Any] = {"reps": None}
    if kind in ("easy", "easy_tagged_workout"):
        return _easy_block(rng, rng.uniform(30, 75)), truth
    if kind == "easy_strides":
        segs = _easy_block(rng, rng.uniform(30, 60))
        for _ in range(int(rng.integers(3, 7))):
            d = rng.uniform(50, 100)
            v = rng.uniform(1.45, 1.9)
            segs.append(Seg(d / (v * easy) + 1.5, v, "flat", "stride"))
            segs.append(Seg(rng.uniform(40, 80), rng.uniform(0.0, 0.5), "flat", "rec"))
        segs.append(Seg(rng.uniform(30, 180), 0.8, "flat", "cd"))
        return segs, truth
    if kind == "recovery":
        return [Seg(rng.uniform(25, 45) * 60, rng.uniform(0.82, 0.9), "flat", "easy")], truth
    if kind == "easy_stops":
        return _with_stops(rng, rng.uniform(35, 65), int(rng.integers(3, 9))), truth
    if kind == "trail_easy":
        return _easy_block(rng, rng.uniform(40, 80), "terrain"), truth
    if kind == "treadmill_easy":
        segs = [Seg(rng.uniform(25, 55) * 60, 1.0, "flat", "easy")]
        if rng.random() < 0.5:  # a step up in belt speed halfway
            segs.append(Seg(rng.uniform(5, 15) * 60, rng.uniform(1.05, 1.1), "flat", "easy"))
        return segs, truth
    if kind == "long_road":
        return _easy_block(rng, rng.uniform(95, 160)), truth
    if kind == "long_trail":
        return _easy_block(rng, rng.uniform(100, 200), "terrain"), truth
    if kind == "race":
        minutes = rng.choice([20.0, 45.0, 100.0])
        rel = {20.0: 1.4, 45.0: 1.3, 100.0: 1.2}[float(minutes)]
        return ([Seg(600, 0.9, "flat", "wu"), Seg(minutes * 60 * rng.uniform(0.9, 1.1),
                                                     rel, "flat", "easy")], truth)
    if kind == "10x100":
        truth["reps"] = 10
        rec = ("walk", 100.0) if rng.random() < 0.6 else ("stand", rng.uniform(45, 75))
        return _track_session(rng, easy, [100.0] * 10, rng.uniform(1.9, 2.3), rec, False), truth
    if kind == "pyramid":
        truth["reps"] = 5
        d = [100.0, 200.0, 300.0, 200.0, 100.0]
        return _track_session(rng, easy, d, rng.uniform(1.75, 2.0), ("walk", 100.0),
                              False), truth
    if kind == "8x200":
        truth["reps"] = 8
        return _track_session(rng, easy, [200.0] * 8, rng.uniform(1.7, 1.95),
                              ("walk", 100.0), rng.random() < 0.5), truth
    if kind == "6x800":
        truth["reps"] = 6
        return _track_session(rng, easy, [800.0] * 6, rng.uniform(1.35, 1.5),
                              ("jog", rng.uniform(90, 150)), rng.random() < 0.6), truth
    if kind == "4x6min":  # work is over half the session's middle
        truth["reps"] = 4
        rel = rng.uniform(1.2, 1.3)
        return _track_session(rng, easy, [360.0 * rel * easy] * 4, rel,
                              ("jog", rng.uniform(90, 150)), rng.random() < 0.5), truth
    if kind == "6x3min_15pct":
        truth["reps"] = 6
        rel = rng.uniform(1.14, 1.18)
        return _track_session(rng, easy, [180.0 * rel * easy] * 6, rel,
                              ("jog", rng.uniform(90, 120)), False), truth
    if kind == "treadmill_6x3":
        truth["reps"] = 6
        rel = rng.uniform(1.2, 1.35)
        rec = ("walk", 90 * 0.5 * easy) if rng.random() < 0.6 else ("stand", 60.0)
        return _track_session(rng, easy, [180.0 * rel * easy] * 6, rel, rec, False), truth
    if kind == "hills_10x30":
        truth["reps"] = 10
        return _hill_session(rng, easy, 10, (28, 33), rng.uniform(1.25, 1.45),
                             rng.uniform(0.45, 0.55)), truth
    if kind == "hills_6x3min":
        truth["reps"] = 6
        return _hill_session(rng, easy, 6, (120, 180), rng.uniform(0.95, 1.1),
                             rng.uniform(0.6, 0.8)), truth
    return _plan_more(kind, rng, easy, truth)


def _plan_more(kind: str, rng: np.random.Generator, easy: float, truth: dict[str, Any],
               ) -> tuple[list[Seg], dict[str, Any]]:
    """The patterns of real sessions that the first kinds missed (issue 8)."""
    if kind == "ladder":
        truth["reps"] = 5
        d = [1200.0, 1000.0, 800.0, 600.0, 400.0]
        if rng.random() < 0.5:
            d = d[::-1]
        segs = _warmup(rng, easy, False)
        base = rng.uniform(1.25, 1.35)
        for i, x in enumerate(d):
            v = base * (1 + 0.03 * i)
            segs.append(Seg(x / (v * easy) + 1.5, v, "flat", "rep"))
            if i + 1 < len(d):
                segs.append(Seg(rng.uniform(90, 180), rng.uniform(0.7, 0.9), "flat", "rec"))
        return segs + _cooldown(rng), truth
    if kind == "4x1k_standing":
        n = int(rng.integers(4, 7))
        truth["reps"] = n
        return _track_session(rng, easy, [1000.0] * n, rng.uniform(1.25, 1.4),
                              ("stand", rng.uniform(45, 120)), False), truth
    if kind == "3x10_walks":
        truth["reps"] = 3
        segs = [Seg(rng.uniform(5, 12) * 60.0, rng.uniform(0.93, 1.0), "flat", "wu")]
        rel = rng.uniform(1.15, 1.25)
        for i in range(3):
            segs.append(Seg(600.0, rel * rng.uniform(0.98, 1.02), "flat", "rep"))
            if i < 2:
                segs.append(Seg(120.0, rng.uniform(0.4, 0.5), "flat", "rec"))
        return segs + _cooldown(rng), truth
    if kind == "long_rests":
        n = int(rng.integers(4, 6))
        truth["reps"] = n
        segs = _warmup(rng, easy, False)
        for i in range(n):
            v = rng.uniform(1.2, 1.3)
            segs.append(Seg(2000.0 / (v * easy), v, "flat", "rep"))
            if i + 1 < n:
                segs.append(Seg(rng.uniform(7, 9) * 60, rng.uniform(0.8, 0.92), "flat", "rec"))
        return segs + _cooldown(rng), truth
    if kind == "short_warmup_8x400":
        truth["reps"] = 8
        segs = [Seg(rng.uniform(0, 6) * 60.0, rng.uniform(0.93, 1.0), "flat", "wu")]
        rel = rng.uniform(1.35, 1.5)
        stand = rng.random() < 0.5
        for i in range(8):
            segs.append(Seg(400.0 / (rel * easy) + 1.5, rel * rng.uniform(0.97, 1.03), "flat",
                            "rep"))
            if i < 7:
                segs.append(Seg(rng.uniform(30, 60), 0.0, "flat", "rec") if stand else
                            Seg(rng.uniform(60, 90), rng.uniform(0.4, 0.85), "flat", "rec"))
        return segs + [Seg(rng.uniform(3, 10) * 60.0, 0.9, "flat", "cd")], truth
    if kind == "hills_clusters":
        clusters = int(rng.integers(2, 4))
        sizes = [int(rng.integers(4, 7)) for _ in range(clusters)]
        truth["reps"] = sum(sizes)
        segs = _warmup(rng, easy, False)
        for c, n in enumerate(sizes):
            grade = rng.uniform(0.05, 0.11)
            dur = rng.uniform(30, 80)
            for _ in range(n):
                segs.append(Seg(dur * rng.uniform(0.9, 1.1), rng.uniform(1.15, 1.4), "out",
                                "rep", grade))
                segs.append(Seg(0.0, rng.uniform(0.4, 0.8), "back", "rec", grade))
            if c + 1 < clusters:
                segs.append(Seg(rng.uniform(3, 8) * 60, rng.uniform(0.9, 1.0), "flat", "rec"))
        return segs + _cooldown(rng), truth
    if kind == "hill_surges":
        n = int(rng.integers(6, 11))
        truth["reps"] = n
        segs = _warmup(rng, easy, False)
        grade = rng.uniform(0.03, 0.07)
        segs.append(Seg(rng.uniform(120, 300), rng.uniform(0.85, 0.95), "out", "rec", grade))
        for _ in range(n):
            segs.append(Seg(rng.uniform(30, 90), rng.uniform(1.1, 1.3), "out", "rep", grade))
            segs.append(Seg(rng.uniform(60, 150), rng.uniform(0.8, 0.9), "out", "rec", grade))
        segs.append(Seg(0.0, rng.uniform(0.9, 1.0), "back", "rec", grade))
        return segs + _cooldown(rng), truth
    if kind == "marathon":
        rel = rng.uniform(1.05, 1.2)
        segs: list[Seg] = []
        left = 42_195.0
        while left > 0:
            piece = min(left, rng.uniform(4000, 6000))
            segs.append(Seg(piece / (rel * easy), rel * rng.uniform(0.97, 1.03), "flat", "easy"))
            left -= piece
            if left > 0 and rng.random() < 0.6:
                segs.append(Seg(rng.uniform(10, 40), rng.choice([0.0, 0.5]), "flat", "stop"))
        return segs, truth
    if kind == "progressive_long":
        minutes = rng.uniform(100, 150)
        steps = int(rng.integers(5, 12))
        return [Seg(minutes * 60 / steps, 0.9 + 0.25 * i / (steps - 1), "flat", "easy")
                for i in range(steps)], truth
    raise ValueError(f"unknown kind {kind!r}")


def _terrain(rng: np.random.Generator, length_m: float, hilly: bool) -> np.ndarray:
    """Altitude every 10 m of distance: long climbs and descents on trails, gentle on roads."""
    n = int(length_m / 10) + 2
    if not hilly:
        x = np.arange(n) * 10.0
        return 3.0 * np.sin(x / rng.uniform(600, 1500)) + 2.0 * np.sin(x / 370.0 + 1.0)
    alt = np.empty(n)
    i, a = 0, 0.0
    while i < n:
        seg_len = int(rng.uniform(40, 250))  # 0.4-2.5 km of one slope
        g = rng.choice(
            [rng.uniform(0.08, 0.18), -rng.uniform(0.06, 0.15), rng.uniform(-0.02, 0.02)]
        )
        j = min(n, i + seg_len)
        alt[i:j] = a + g * 10.0 * np.arange(1, j - i + 1)
        a = alt[j - 1]
        i = j
    return alt


def _ar1(rng: np.random.Generator, n: int, sd: float, rho: float) -> np.ndarray:
    e = rng.normal(0, sd * math.sqrt(1 - rho * rho), n)
    out = np.empty(n)
    acc = rng.normal(0, sd)
    for i in range(n):
        acc = rho * acc + e[i]
        out[i] = acc
    return out


def _simulate(segs: list[Seg], rng: np.random.Generator, easy: float, treadmill: bool,
              hilly: bool) -> dict[str, np.ndarray]:
    """1 Hz truth: speed (with lag), distance, altitude, position, effort tag per second."""
    length = sum(s.dur * max(s.rel, 0.3) for s in segs) * easy * 1.5 + 5000
    terrain = _terrain(rng, length, hilly)
    tau_run = 6.0 if treadmill else 2.5
    # Pace wanders as on real easy runs (10th-90th percentile ~0.9-1.1 x the median).
    wobble = _ar1(rng, int(sum(max(s.dur, 400) for s in segs)) + 10, 0.05, 0.993)
    speed_l: list[float] = []
    alt_l: list[float] = []
    x_l: list[float] = []
    y_l: list[float] = []
    rel_l: list[float] = []
    tag_l: list[str] = []
    v = 0.0
    u = 0.0  # terrain distance
    x = y = 0.0
    heading = rng.uniform(0, 2 * math.pi)
    hill_s = 0.0
    hill_dir = heading
    hill_base = (0.0, 0.0, 0.0)
    in_hill = False
    k = 0
    seg_l: list[int] = []
    for si, seg in enumerate(segs):
        if seg.mode == "out" and not in_hill:
            in_hill, hill_s, hill_dir = True, 0.0, heading
            hill_base = (x, y, terrain[int(u / 10)])
        elif seg.mode not in ("out", "back") and in_hill:
            in_hill = False
        dur = seg.dur
        if seg.mode == "back":  # walk/jog back down to the foot of the hill
            dur = 1e9
        t = 0
        while t < dur:
            target = seg.rel * easy * (1.0 + wobble[k % len(wobble)] if seg.tag in (
                "easy", "wu", "cd") else 1.0)
            if seg.mode == "terrain":
                g = (terrain[int(u / 10) + 1] - terrain[int(u / 10)]) / 10.0
                if g > 0.07:
                    target = easy * rng.uniform(0.38, 0.48)  # power-hiking
                elif g < -0.04:
                    target *= 1.12 if rng.random() > 0.002 else 1.0
                elif g > 0.03:
                    target *= 0.85
            v += (target - v) / tau_run + rng.normal(0, 0.03)
            v = max(v, 0.0)
            if seg.mode == "out":
                hill_s += v
                alt = hill_base[2] + hill_s * seg.grade
                x = hill_base[0] + hill_s * math.cos(hill_dir)
                y = hill_base[1] + hill_s * math.sin(hill_dir)
            elif seg.mode == "back":
                v = max(v, 0.3)
                step = min(v, hill_s)
                v = step
                hill_s -= step
                alt = hill_base[2] + hill_s * seg.grade
                x = hill_base[0] + hill_s * math.cos(hill_dir)
                y = hill_base[1] + hill_s * math.sin(hill_dir)
                if hill_s <= 0.0:
                    dur = 0
            else:
                u += v
                alt = terrain[int(u / 10)]
                heading += rng.normal(0, 0.04)
                x += v * math.cos(heading)
                y += v * math.sin(heading)
            speed_l.append(v)
            alt_l.append(alt)
            x_l.append(x)
            y_l.append(y)
            rel_l.append(seg.rel if seg.mode != "out" else seg.rel * (1 + 8 * seg.grade))
            tag_l.append(seg.tag)
            seg_l.append(si)
            t += 1
            k += 1
    return {
        "speed": np.array(speed_l), "alt": np.array(alt_l), "x": np.array(x_l),
        "y": np.array(y_l), "rel": np.array(rel_l), "tag": np.array(tag_l),
        "seg": np.array(seg_l, dtype=int),
    }


def _record(sim: dict[str, np.ndarray], rng: np.random.Generator, easy: float, *,
            treadmill: bool, opts: dict[str, Any]) -> tuple[Streams, dict[str, Any]]:
    """What a watch would write: noisy, lagged, smart-recorded, with the usual traps."""
    n = len(sim["speed"])
    t_true = np.arange(n, dtype=float)
    speed = sim["speed"]
    dist = np.cumsum(speed)
    info: dict[str, Any] = {}
    # Heart rate: first-order lag (tau 20-30 s) towards an effort-driven target.
    tau = rng.uniform(20, 30)
    hr_target = np.clip(65 + 80 * np.clip(sim["rel"], 0, 2.2) ** 0.8, 60, 195)
    hr = np.empty(n)
    h = 75.0
    for i in range(n):
        h += (hr_target[i] - h) / tau
        hr[i] = h
    hr += rng.normal(0, 1.5, n)
    step_rate = np.where(speed > 0.5, 150 + 12 * speed, 0) + rng.normal(0, 2, n)
    # Sampling: smart recording (1-7 s) or 1 Hz.
    if opts.get("smart", rng.random() < 0.6):
        gaps = rng.choice([1, 1, 2, 3, 3, 4, 5, 6, 7], size=n)
        idx = np.cumsum(gaps)
        idx = idx[idx < n]
        info["sampling"] = "smart"
    else:
        idx = np.arange(n)
        info["sampling"] = "1 Hz"
    # Auto-pause: no samples while standing.
    if not treadmill and rng.random() < 0.3:
        idx = idx[speed[idx] > 0.2]
        info["autopause"] = True
    if treadmill:
        rec_dist = dist * rng.uniform(0.97, 1.03) + rng.normal(0, 0.3, n)
    else:
        rec_dist = dist + _ar1(rng, n, rng.uniform(1.5, 3.0), 0.9)
    rec_dist = np.maximum.accumulate(np.maximum(rec_dist, 0.0))
    t = t_true[idx]
    d = rec_dist[idx]
    cols: dict[str, list[float | None]] = {}
    vel = np.gradient(d, t) if len(t) > 1 else np.zeros(len(t))
    vel = np.clip(vel + rng.normal(0, 0.1, len(t)), 0, None)
    if not treadmill:
        jx = _ar1(rng, n, 3.0, 0.95)[idx]
        jy = _ar1(rng, n, 3.0, 0.95)[idx]
        lat0, lng0 = 45.0 + rng.uniform(-5, 5), 5.0 + rng.uniform(-5, 5)
        lat = lat0 + (sim["y"][idx] + jy) / 111_320.0
        lng = lng0 + (sim["x"][idx] + jx) / (111_320.0 * math.cos(math.radians(lat0)))
        alt_noise = rng.normal(0, rng.uniform(1.0, 3.0), n) + _ar1(rng, n, 2.0, 0.999)
        alt = sim["alt"] + 300 + alt_noise
        cols["lat"] = lat.tolist()
        cols["lng"] = lng.tolist()
        cols["altitude"] = alt[idx].tolist()
        if opts.get("start_spike", rng.random() < 0.25):  # GPS not settled: a 20 m/s jump
            k = min(len(t) - 1, 3)
            jump = 20.0 * max(t[k] - t[0], 1.0)
            d = d + np.where(np.arange(len(t)) >= 1, jump, 0.0)
            vel[1:k + 1] = 20.0
            cols["lat"][0] = float(lat[0] - jump / 111_320.0)
            info["start_spike"] = True
    cols = {"time": t.tolist(), "distance": d.tolist(), **cols,
            "velocity_smooth": vel.tolist()}
    hr_mode = opts.get("hr", rng.choice(["ok", "ok", "ok", "none", "holes", "locked"]))
    info["hr"] = hr_mode
    cad = step_rate[idx]
    half = opts.get("half_cadence", rng.random() < 0.7)
    cols["cadence"] = (cad / 2 if half else cad).tolist()
    if hr_mode != "none":
        hr_r = hr[idx].copy()
        if hr_mode == "locked":  # optical HR following the step rate for most of the run
            lock = np.arange(len(idx)) > len(idx) * 0.15
            hr_r[lock] = cad[lock] + rng.normal(0, 1, lock.sum())
        hr_l: list[float | None] = hr_r.tolist()
        if hr_mode == "holes":
            for j in rng.choice(len(hr_l), size=len(hr_l) // 10, replace=False):
                hr_l[j] = None
        cols["heartrate"] = hr_l
    # A few NaN / None holes in the GPS columns of some recordings.
    if not treadmill and rng.random() < 0.2:
        for j in rng.choice(len(t), size=max(1, len(t) // 50), replace=False):
            cols["lat"][j] = None
            cols["lng"][j] = None
            cols["altitude"][j] = float("nan")
    return Streams(cols), info


_MANUAL = [
    # (name, workout_type, minutes, label)
    ("8x200m track", None, 50, "interval"),
    ("10x100m", None, 45, "interval"),
    ("Pyramid session", None, 55, "interval"),
    ("Intervals", None, 60, "interval"),
    ("6 x 800", 3, 60, "interval"),
    ("Hill reps", None, 45, "hill"),
    ("10x30s hill sprints", None, 40, "hill"),
    ("Long run", None, 120, "long"),
    ("LR with the club", None, 110, "long"),
    ("Afternoon Run", 2, 100, "long"),
    ("Morning Run", None, 115, "long"),
    ("Morning Run", 3, 55, "interval"),
    ("Morning Run", None, 45, "easy"),
    ("Easy 8k", None, 50, "easy"),
    ("Recovery jog", None, 30, "easy"),
    ("Lunch Run", 0, 40, "easy"),
    ("Race day", 1, 60, "race"),
]

_NONRUN = ["Ride", "Swim", "Walk", "Hike", "VirtualRide", "WeightTraining"]


def generate(kind: str, seed: int, **opts: Any) -> tuple[ClassifyInput, str, dict[str, Any]]:
    """One labelled activity of a kind (see KINDS). opts: easy_speed, smart, hr, start_spike,
    half_cadence, name."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(KINDS)}")
    rng = np.random.default_rng([seed, sum(map(ord, kind))])
    easy = float(opts.get("easy_speed", rng.uniform(2.5, 3.3)))
    truth: dict[str, Any] = {"kind": kind, "reps": None, "easy_speed": easy}
    if kind == "manual":
        name, wt, minutes, label = _MANUAL[int(rng.integers(len(_MANUAL)))]
        moving = minutes * 60 * rng.uniform(0.95, 1.05)
        inp = ClassifyInput(sport_type="Run", manual=True, workout_type=wt, name=name,
                            moving_s=moving, elapsed_s=moving, distance_m=moving * easy)
        truth["name"] = name
        return inp, label, truth
    if kind == "nonrun":
        sport = _NONRUN[int(rng.integers(len(_NONRUN)))]
        segs = _easy_block(rng, rng.uniform(20, 90))
        sim = _simulate(segs, rng, easy * (4 if "Ride" in sport else 0.5), False, False)
        streams, info = _record(sim, rng, easy, treadmill=False, opts=opts)
        inp = ClassifyInput(sport_type=sport, name=f"Morning {sport}", streams=streams,
                            moving_s=float(len(sim["speed"])))
        return inp, "other", truth
    treadmill = kind.startswith("treadmill")
    segs, plan_truth = _plan(kind, rng, easy)
    truth.update(plan_truth)
    hilly = kind in ("trail_easy", "long_trail")
    sim = _simulate(segs, rng, easy, treadmill, hilly)
    streams, info = _record(sim, rng, easy, treadmill=treadmill, opts=opts)
    truth.update(info)
    moving = float((sim["speed"] > 0.5).sum())
    name = opts.get("name", "Treadmill run" if treadmill else "Morning Run")
    wt = 3 if kind == "easy_tagged_workout" else (1 if kind == "race" else None)
    sport = "TrailRun" if hilly and rng.random() < 0.5 else "Run"
    if treadmill and rng.random() < 0.3:
        sport = "VirtualRun"
    alt = sim["alt"]
    gain = float(np.clip(np.diff(alt), 0, None).sum()) if len(alt) > 1 else 0.0
    truth["rep_spans"] = rep_spans(sim)
    laps = _laps(sim, rng, session=truth["reps"] is not None, opts=opts)
    truth["laps"] = "none" if not laps else (
        "tagged" if laps[0].intensity else ("per segment" if truth["reps"] else "auto 1 km"))
    inp = ClassifyInput(
        sport_type=sport, trainer=treadmill, workout_type=wt, name=name, moving_s=moving,
        elapsed_s=float(len(sim["speed"])), distance_m=float(sim["speed"].sum()),
        elevation_gain_m=None if treadmill else gain, streams=streams, laps=laps,
    )
    return inp, KINDS[kind], truth


def rep_spans(sim: dict[str, np.ndarray]) -> list[tuple[float, float, float]]:
    """(start_s, end_s, distance_m) of each simulated rep: the truth for rep boundaries."""
    is_rep = np.concatenate(([False], sim["tag"] == "rep", [False])).astype(np.int8)
    d = np.diff(is_rep)
    dist = np.concatenate(([0.0], np.cumsum(sim["speed"])))
    return [(float(a), float(b), float(dist[b] - dist[a]))
            for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True)]


def _laps(sim: dict[str, np.ndarray], rng: np.random.Generator, *, session: bool,
          opts: dict[str, Any]) -> list[LapRecord]:
    """Laps as watches record them: one per segment of a session (lap button, 0-3 s late, or
    the watch's workout steps with intensity tags), auto-laps every 1 km, or none."""
    mode = opts.get("laps")
    if mode is None:
        r = rng.random()
        mode = ("tagged" if r < 0.2 else "button" if r < 0.5 else "none") if session else (
            "auto" if r < 0.4 else "none")
    n = len(sim["speed"])
    dist = np.concatenate(([0.0], np.cumsum(sim["speed"])))
    if mode == "none":
        return []
    if mode == "auto":
        marks = [int(np.searchsorted(dist, k * 1000.0))
                 for k in range(1, int(dist[-1] // 1000) + 1)]
        cuts = [0] + [m for m in marks if 0 < m < n] + [n]
        kinds = [None] * (len(cuts) - 1)
    else:
        tags = sim["tag"]
        group = np.where(tags == "rep", 1, np.where(np.isin(tags, ["wu", "drill", "stride"]),
                                                    0, 2))
        change = np.flatnonzero((np.diff(sim["seg"]) != 0) & (
            (tags[1:] == "rep") | (tags[:-1] == "rep") | (np.diff(group) != 0))) + 1
        cuts = [0] + change.tolist() + [n]
        if mode == "button":
            cuts = [0] + [int(min(n - 1, c + rng.integers(0, 4))) for c in cuts[1:-1]] + [n]
        kinds = []
        seen_rep = False
        for a in cuts[:-1]:
            tag = tags[min(a, n - 1)]
            if tag == "rep":
                seen_rep = True
                kinds.append("active")
            else:
                kinds.append("rest" if seen_rep else "warmup")
        last_rep = max(i for i, k in enumerate(kinds) if k == "active") if "active" in kinds \
            else len(kinds)
        kinds = [("cooldown" if i > last_rep else k) for i, k in enumerate(kinds)]
        if mode == "button":
            kinds = [None] * len(kinds)
    laps = []
    for i, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False)):
        if b <= a:
            continue
        d = float(dist[b] - dist[a])
        laps.append(LapRecord(index=len(laps), start_offset_s=float(a), elapsed_s=float(b - a),
                              moving_s=float((sim["speed"][a:b] > 0.5).sum()), distance_m=d,
                              avg_speed=d / (b - a), intensity=kinds[i]))
    return laps


def dataset(n: int, seed: int) -> list[tuple[ClassifyInput, str, dict[str, Any]]]:
    """n activities of mixed kinds (weights in _WEIGHTS); deterministic in (n, seed)."""
    rng = np.random.default_rng(seed)
    kinds = list(_WEIGHTS)
    p = np.array([_WEIGHTS[k] for k in kinds], dtype=float)
    p /= p.sum()
    # Every kind at least once when n allows, then the mixture.
    chosen = kinds[:n] + list(rng.choice(kinds, size=max(0, n - len(kinds)), p=p))
    return [generate(str(k), seed * 100_003 + i) for i, k in enumerate(chosen)]


def macro_f1(pairs: list[tuple[str, str]], labels: tuple[str, ...] | None = None) -> float:
    """Mean F1 over the labels occurring in truth or predictions ((truth, predicted) pairs)."""
    labels = labels or tuple(sorted({x for p in pairs for x in p}))
    f1s = []
    for lab in labels:
        tp = sum(1 for t, p in pairs if t == lab and p == lab)
        fp = sum(1 for t, p in pairs if t != lab and p == lab)
        fn = sum(1 for t, p in pairs if t == lab and p != lab)
        if tp + fp + fn:
            f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def readme_labels(readme: Path) -> dict[str, set[str]]:
    """Acceptable labels per file from a data README's table (`| path | ... | label |`).

    "ambiguous ...: either easy or interval" -> both; "not a run" -> other; rows whose label
    is not a classifier label (bad files, stream-only files) are left out."""
    words = ("easy", "hill", "interval", "long", "race")
    out: dict[str, set[str]] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0] or cells[0].startswith(("file", "---")):
            continue
        label = cells[-1].lower()
        if label.startswith("not a run"):
            out[cells[0]] = {"other"}
            continue
        if label.startswith("ambiguous"):
            found = {w for w in words if re.search(rf"\b{w}\b", label)}
        else:
            first = re.match(r"[a-z]+", label)
            found = {first.group(0)} if first and first.group(0) in words else set()
        if found:
            out[cells[0]] = found
    return out


def real_activities(data: Path) -> list[tuple[str, ClassifyInput, set[str]]]:
    """The labelled real files of ../shared/data: (name, input, acceptable labels), labels from
    its README; the Strava activity + streams pair is one run, labelled like its TCX twin."""
    from syncd.sources.files import discover, read_activity
    from syncd.sources.strava.convert import (
        activity_from_summary,
        laps_from_strava,
        streams_from_strava,
    )

    labels = readme_labels(data / "README.md")
    items: list[tuple[str, ClassifyInput, set[str]]] = []
    for sub in ("runs", "other"):
        for item in discover([data / sub]):
            if isinstance(item, Exception):
                continue
            rel = f"{sub}/{Path(item.display).name}"
            if rel not in labels:
                continue
            rec = read_activity(item)
            items.append((Path(item.display).name, ClassifyInput.from_record(rec), labels[rel]))
    summary_path = data / "runs" / "runpandas-strava-activity.json"
    if "runs/runpandas-strava-activity.json" in labels:
        summary = json.loads(summary_path.read_text())
        streams = json.loads((data / "runs" / "runpandas-strava-streams.json").read_text())
        rec = activity_from_summary(summary)
        rec.streams = streams_from_strava(streams, activity_id=rec.source_id)
        rec.laps = laps_from_strava(summary.get("laps") or [], start_utc=rec.start_utc)
        items.append(("strava activity+streams", ClassifyInput.from_record(rec),
                      labels["runs/runpandas-strava-activity.json"]))
    return items
