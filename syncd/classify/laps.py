"""Reps from the laps the watch recorded: the cleanest segmentation there is, when it is one.

Two kinds of lap structure are read: the watch's workout steps (intensity active/rest), and
laps that alternate fast and slow (the lap button pressed at each rep, a track's lap per rep).
Auto-laps (every lap the same distance) cut through reps and recoveries alike and are left to
the streams.
"""

from __future__ import annotations

import numpy as np

from syncd.classify.boundaries import refine_edges
from syncd.classify.features import Track
from syncd.classify.model import Rep
from syncd.classify.reps import needed_ratio, rep_between, set_recoveries
from syncd.classify.thresholds import Thresholds
from syncd.sources.records import LapRecord

_ACTIVE = ("active", "interval")
_REST = ("rest", "recovery")


def _intensity(lap: LapRecord) -> str:
    return (lap.intensity or "").lower()


def tagged_reps(track: Track | None, laps: list[LapRecord], th: Thresholds) -> list[Rep]:
    """Active laps of a structured workout (the watch tagged rest laps between them)."""
    active = [lap for lap in laps if _intensity(lap) in _ACTIVE]
    rest = [lap for lap in laps if _intensity(lap) in _REST]
    if len(active) < th.min_reps or len(rest) < th.min_reps - 1:
        return []
    return _reps_of(track, active, th, refine=False)


def _reps_of(track: Track | None, laps: list[LapRecord], th: Thresholds, *,
             refine: bool) -> list[Rep]:
    reps: list[Rep] = []
    usable = track is not None and all(
        track.index(lap.start_offset_s + lap.elapsed_s) - track.index(lap.start_offset_s) >= 2
        for lap in laps)
    if usable:
        assert track is not None
        spans = [(lap.start_offset_s, lap.start_offset_s + lap.elapsed_s) for lap in laps]
        if refine:  # lap button presses are a second or three off
            spans = refine_edges(track, spans)
        reps = [rep_between(track, a, b) for a, b in spans]
    else:
        for lap in laps:
            dur = lap.moving_s or lap.elapsed_s or 0.0
            dist = lap.distance_m or 0.0
            reps.append(Rep(start_s=lap.start_offset_s,
                            end_s=lap.start_offset_s + lap.elapsed_s, distance_m=dist,
                            duration_s=dur, mean_hr=lap.avg_hr,
                            mean_speed=lap.avg_speed or (dist / dur if dur else 0.0)))
    set_recoveries(track, reps, th)
    return reps


def _lap_effort(track: Track | None, lap: LapRecord) -> float | None:
    if track is not None:
        s = track.index(lap.start_offset_s)
        e = track.index(lap.start_offset_s + lap.elapsed_s)
        if e - s >= 2:
            return float(track.effort[s:e].mean())
    if lap.avg_speed:
        return float(lap.avg_speed)
    if lap.distance_m and lap.elapsed_s:
        return float(lap.distance_m / lap.elapsed_s)
    return None


def _auto_laps(laps: list[LapRecord], th: Thresholds) -> bool:
    """Most laps the same distance: the watch's auto-lap, not a lap per rep."""
    dists = np.array([lap.distance_m or 0.0 for lap in laps[:-1]])
    if len(dists) < 3 or not (dists > 0).all():
        return False
    med = float(np.median(dists))
    return float(np.mean(np.abs(dists / med - 1.0) <= 0.03)) >= th.auto_lap_share


def alternating_reps(
    track: Track | None, laps: list[LapRecord], ref: float | None, th: Thresholds
) -> tuple[list[Rep], str]:
    """Fast laps with slower laps between them, clearly faster than easy and than their
    recoveries: (reps, "") or ([], why not) when the laps are no such pattern."""
    laps = sorted((lap for lap in laps if lap.elapsed_s and lap.elapsed_s > 0),
                  key=lambda lap: lap.start_offset_s)
    if len(laps) < 2 * th.min_reps - 1 or _auto_laps(laps, th):
        return [], ""
    efforts = [_lap_effort(track, lap) for lap in laps]
    if any(e is None or e <= 0 for e in efforts):
        return [], ""
    e = np.array(efforts, dtype=float)
    fast = e > _split(np.log(e))
    # Consecutive slow laps are one recovery (warm-up, drills); a rep must be one lap.
    groups: list[list[int]] = []
    for i, f in enumerate(fast):
        if groups and fast[groups[-1][0]] == f:
            groups[-1].append(i)
        else:
            groups.append([i])
    work = [g for g in groups if fast[g[0]]]
    rest = [g for g in groups if not fast[g[0]]]
    if len(work) < th.min_reps or len(work) != sum(len(g) for g in work):
        return [], ""  # merged laps: not one lap per rep, the streams know better

    def mean(g: list[int]) -> float:
        w = np.array([laps[i].elapsed_s for i in g])
        return float((e[g] * w).sum() / w.sum())

    work_e = np.array([mean(g) for g in work])
    between = [mean(g) for g in rest if work[0][0] < g[0] < work[-1][0]]
    if not between:
        return [], ""
    contrast = float(np.median(work_e)) / float(np.median(between))
    if contrast < th.lap_contrast:
        return [], (f"{len(work)} faster laps only {contrast:.2f} x their recoveries: "
                    "not a lap per rep")
    if ref:
        durs = [sum(laps[i].elapsed_s for i in g) for g in work]
        slow = sum(w / ref < needed_ratio(d, th) for w, d in zip(work_e, durs, strict=True))
        if slow > len(work) * (1 - th.rep_effort_share):
            return [], (f"{len(work)} faster laps at {float(np.median(work_e)) / ref:.2f} x "
                        "easy: not fast enough for reps")
    med = float(np.median(work_e))
    if np.mean(np.abs(work_e / med - 1.0) <= th.rep_effort_tolerance) < th.rep_effort_share:
        return [], f"{len(work)} faster laps at uneven effort: not a set"
    return _reps_of(track, [laps[g[0]] for g in work], th, refine=True), ""


def _split(values: np.ndarray) -> float:
    """The threshold between two groups of values that maximises the between-group variance
    (Otsu's method on the laps themselves)."""
    v = np.sort(values)
    best, cut = -1.0, float(v[0])
    for k in range(1, len(v)):
        a, b = v[:k], v[k:]
        score = len(a) * len(b) * (a.mean() - b.mean()) ** 2
        if score > best:
            best, cut = score, float((v[k - 1] + v[k]) / 2)
    return float(np.exp(cut))
