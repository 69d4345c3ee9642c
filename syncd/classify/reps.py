"""Finding the fast efforts of a session in the streams, and what happened between them.

A rep is a stretch of effort (grade-adjusted speed) clearly above the easy effort and clearly
faster than the running around it. Reps close together form a set; a session is one or more
sets of at least `min_reps` reps run at a similar effort with recoveries of similar length
(walked, jogged or standing: any of them). What looks like reps but is not: surges after traffic
stops (a stop is not a recovery), strides (a few short efforts), downhill running (the effort
discounts it), the running between the walks of a long trail run (irregular).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from syncd.classify.boundaries import raw_distance, refine_edges
from syncd.classify.features import Track, _moving_average
from syncd.classify.model import Rep
from syncd.classify.thresholds import Thresholds


@dataclass
class RepFinding:
    """Reps of the session's sets, plus what was set aside and why (for the reasons)."""

    reference: float | None
    reference_from: str
    reps: list[Rep] = field(default_factory=list)
    sets: int = 0
    strides: int = 0  # short efforts before/after a set, set aside as strides
    restarts: int = 0  # surges after a stand-still (traffic) set aside
    candidates: int = 0  # fast segments before the checks
    rejected: str = ""  # why the fast efforts found are not a session
    rejected_reps: list[Rep] = field(default_factory=list)


def _segments(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indices of the True runs of mask."""
    m = np.concatenate(([False], mask, [False])).astype(np.int8)
    d = np.diff(m)
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def _fast_segments(ratio: np.ndarray, th: Thresholds, step: float) -> list[tuple[int, int]]:
    """Hysteresis: above exit ratio, touching the enter ratio; short dips merged."""
    starts, ends = _segments(ratio >= th.rep_exit_ratio)
    if len(starts) == 0:
        return []
    peaks = np.maximum.reduceat(ratio, starts)
    keep = peaks >= th.rep_enter_ratio
    starts, ends = starts[keep], ends[keep]
    merged: list[list[int]] = []
    gap = th.rep_merge_gap_s / step
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if merged and s - merged[-1][1] <= gap:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _two_scale_segments(ratio: np.ndarray, th: Thresholds, step: float) -> list[tuple[int, int]]:
    """Short efforts on the lightly smoothed ratio; long ones on a ~25 s mean, where GPS noise
    no longer splits a 3-min rep at only 15 % faster into fragments."""
    long_ratio = _moving_average(ratio, max(1, int(th.long_smooth_s / step)))
    longs = []
    for s, e in _fast_segments(long_ratio, th, step):
        fast = np.flatnonzero(ratio[s:e] >= th.rep_exit_ratio)  # trim the smeared edges
        if len(fast) and (fast[-1] + 1 - fast[0]) * step >= th.long_seg_min_s:
            longs.append((s + int(fast[0]), s + int(fast[-1]) + 1))
    covered = np.zeros(len(ratio) + 1, dtype=np.int32)
    for s, e in longs:
        covered[s] += 1
        covered[e] -= 1
    inside = np.cumsum(covered)[:-1] > 0
    shorts = [(s, e) for s, e in _fast_segments(ratio, th, step)
              if (e - s) * step < th.long_seg_min_s and not inside[s:e].any()]
    return sorted(longs + shorts)


def rep_between(track: Track, start_s: float, end_s: float) -> Rep:
    """A rep's figures: time and distance from the recorded samples, the rest from the grid."""
    s, e = track.index(start_s), max(track.index(end_s), track.index(start_s) + 1)
    dur = max(end_s - start_s, track.step)
    dist = raw_distance(track, start_s, end_s)
    if dist is None:
        dist = float(track.dist[min(e, len(track.t) - 1)] - track.dist[s])
    hr = None
    if track.hr is not None:
        seg = track.hr[s:e]
        seg = seg[np.isfinite(seg)]
        hr = float(seg.mean()) if len(seg) else None
    grade = None
    if track.alt is not None and dist > 0:
        grade = 100.0 * climb(track, s, e) / dist
    return Rep(start_s=float(start_s), end_s=float(end_s), distance_m=dist, duration_s=dur,
               mean_speed=dist / dur if dur > 0 else 0.0, mean_hr=hr, mean_grade=grade)


def climb(track: Track, s: int, e: int) -> float:
    """Net climb of a rep on smoothed altitude, widened by half the smoothing window so
    the smoothing does not eat the top and bottom of a short hill sprint."""
    assert track.alt is not None
    n = len(track.alt)
    w = max(1, int(10 / track.step))
    bottom = track.alt[max(0, s - w): min(n, s + w + 1)].min()
    top = track.alt[max(0, e - w): min(n, e + w + 1)].max()
    return float(top - bottom)


def set_recoveries(track: Track | None, reps: list[Rep], th: Thresholds) -> None:
    """Fill each rep's recovery (time, distance, walk/jog/stand) up to the next rep."""
    for a, b in zip(reps, reps[1:], strict=False):
        a.recovery_s = float(b.start_s - a.end_s)
        if track is None:
            continue
        s, e = track.index(a.end_s), track.index(b.start_s)
        d = raw_distance(track, a.end_s, b.start_s)
        a.recovery_distance_m = float(track.dist[e] - track.dist[s]) if d is None else d
        if e <= s:
            a.recovery_kind = "jog"
            continue
        sp = track.speed[s:e]
        if (sp < th.stop_speed).mean() > 0.5:
            a.recovery_kind = "stand"
        elif sp.mean() < th.walk_speed:
            a.recovery_kind = "walk"
        else:
            a.recovery_kind = "jog"


def needed_ratio(duration_s: float, th: Thresholds) -> float:
    """How much faster than easy a rep of this duration must be (noise averages out)."""
    span = np.log(th.long_rep_s / th.rep_min_s)
    x = np.clip(np.log(th.long_rep_s / max(duration_s, 1e-3)) / span, 0.0, 1.0)
    return float(th.long_rep_ratio + (th.short_rep_ratio - th.long_rep_ratio) * x)


def _candidates(track: Track, ratio: np.ndarray, th: Thresholds, treadmill: bool,
                finding: RepFinding) -> list[tuple[int, int]]:
    """Fast segments that are reps on their own: long enough, fast enough against easy and
    against the running either side, and not the surge after a traffic stop. A long fast
    stretch made of surges (a climb run hard in bursts) is split into its surges."""
    step = track.step
    segs = _two_scale_segments(ratio, th, step)
    finding.candidates = len(segs)
    out: list[tuple[int, int]] = []
    for s, e in segs:
        inner = _surges(track, ratio, s, e, th, treadmill) if (e - s) * step >= \
            th.surge_split_min_s else []
        if len(inner) >= th.min_reps:
            out.extend(inner)
        elif _is_rep(track, ratio, segs, s, e, th, treadmill, finding):
            out.append((s, e))
    return out


def _surges(track: Track, ratio: np.ndarray, s: int, e: int, th: Thresholds,
            treadmill: bool) -> list[tuple[int, int]]:
    """Surges inside one long fast stretch, measured against the stretch's own steady part."""
    local = ratio[s:e]
    base = float(np.percentile(local, th.own_easy_percentile))
    if base <= 0:
        return []
    rel = local / base
    segs = _two_scale_segments(rel, th, track.step)
    dummy = RepFinding(None, "")
    return [(s + a, s + b) for a, b in segs
            if _is_rep(track, rel, segs, a, b, th, treadmill, dummy, offset=s)]


def _is_rep(track: Track, ratio: np.ndarray, segs: list[tuple[int, int]], s: int, e: int,
            th: Thresholds, treadmill: bool, finding: RepFinding, offset: int = 0) -> bool:
    step = track.step
    dur = (e - s) * step
    if dur < th.rep_min_s or dur > th.rep_max_s:
        return False
    r = float(ratio[s:e].mean())
    if r < needed_ratio(dur, th):
        return False
    # Contrast against the slower side: the recovery, not the other rep.
    w = int(min(120.0, max(dur, 30.0)) / step)
    i = segs.index((s, e))
    prev_end = segs[i - 1][1] if i else 0
    next_start = segs[i + 1][0] if i + 1 < len(segs) else len(ratio)
    sides = [float(side.mean()) for side in (ratio[max(prev_end, s - w): s],
                                             ratio[e: min(next_start, e + w)])
             if len(side) >= max(3, int(5 / step))]
    if sides and r < th.recovery_contrast * min(sides):
        return False
    if not treadmill and dur <= th.short_rep_s and r < th.restart_ratio:
        look = max(1, int(th.restart_lookback_s / step))
        a = offset + s
        stood = (track.speed[max(0, a - look): a] < th.stop_speed).sum() * step
        if stood >= th.restart_min_stand_s:
            finding.restarts += 1
            return False
    return True


def find_reps(
    track: Track, ref: float | None, ref_from: str, th: Thresholds, *, treadmill: bool,
    long_run: bool,
) -> RepFinding:
    """The sets of reps in a track, with strides and traffic restarts set aside."""
    finding = RepFinding(reference=ref, reference_from=ref_from)
    if not ref or ref <= 0:
        return finding
    ratio = track.effort / ref
    kept = _candidates(track, ratio, th, treadmill, finding)
    if not kept:
        return finding
    spans = refine_edges(track, [(float(track.t[s]), float(track.t[min(e, len(track.t) - 1)]))
                                 for s, e in kept])
    reps = [rep_between(track, a, b) for a, b in spans]
    sets = _split_sets(reps, th)
    good: list[list[Rep]] = []
    rejected: list[tuple[list[Rep], str]] = []
    for one in sets:
        one = _trim_slow_ends(track, ratio, one, th)
        one, dropped = _drop_strides(one, th)
        if len(one) < th.min_reps:
            if len(sets) == 1 or good:
                rejected.append((one, ""))
            continue
        set_recoveries(track, one, th)
        why = check_set(track, ratio, one, th, treadmill=treadmill, long_run=long_run)
        if why:
            rejected.append((one, why))
        else:
            good.append(one)
            finding.strides += dropped
    if good:
        finding.reps = [r for one in good for r in one]
        finding.sets = len(good)
        set_recoveries(track, finding.reps, th)
    elif rejected:
        biggest = max(rejected, key=lambda x: (bool(x[1]), sum(r.duration_s for r in x[0])))
        finding.rejected_reps, finding.rejected = biggest
        set_recoveries(track, finding.rejected_reps, th)
    return finding


def _split_sets(reps: list[Rep], th: Thresholds) -> list[list[Rep]]:
    """A slow stretch longer than max_recovery_s (or than the reps either side, for long
    reps with long rests) ends a set."""
    sets: list[list[Rep]] = [[reps[0]]]
    for a, b in zip(reps, reps[1:], strict=False):
        gap = b.start_s - a.end_s
        if gap > max(th.max_recovery_s, th.set_gap_rep_factor * max(a.duration_s, b.duration_s)):
            sets.append([b])
        else:
            sets[-1].append(b)
    return sets


def _effort(ratio: np.ndarray, track: Track, start_s: float, end_s: float) -> float:
    s = track.index(start_s)
    return float(ratio[s: max(track.index(end_s), s + 1)].mean())


def check_set(track: Track, ratio: np.ndarray, reps: list[Rep], th: Thresholds, *,
              treadmill: bool, long_run: bool) -> str:
    """Why a set of fast efforts is not a session, or "" when it is one."""
    efforts = np.array([_effort(ratio, track, r.start_s, r.end_s) for r in reps])
    med = float(np.median(efforts))
    if np.mean(np.abs(efforts / med - 1.0) <= th.rep_effort_tolerance) < th.rep_effort_share:
        return (f"{len(reps)} fast efforts at uneven effort ({efforts.min():.2f}-"
                f"{efforts.max():.2f} x easy): surges, not a session")
    spread = th.long_run_regular_spread if long_run else th.regular_spread
    share = th.long_run_regular_share if long_run else th.recovery_regular_share
    recovery_s = [r.recovery_s for r in reps if r.recovery_s is not None]
    if len(recovery_s) >= 2 and _regular(recovery_s, spread) < share:
        return (f"{len(reps)} fast efforts with irregular recoveries "
                f"({min(recovery_s):.0f}-{max(recovery_s):.0f} s): not a session")
    if long_run and _regular([r.duration_s for r in reps], spread) < share:
        return (f"{len(reps)} fast efforts of irregular length in a long run "
                "(walking breaks, terrain): not a session")
    kinds = [r.recovery_kind for r in reps if r.recovery_kind]
    if not treadmill and kinds:
        stand = sum(k == "stand" for k in kinds) / len(kinds)
        short = float(np.median([r.duration_s for r in reps])) <= th.short_rep_s
        if stand > th.stand_recovery_share and short and med < th.restart_ratio:
            return (f"{len(reps)} short efforts between stand-stills (stops are not "
                    "recoveries): stop-and-go, not a session")
    return ""


def _trim_slow_ends(track: Track, ratio: np.ndarray, reps: list[Rep], th: Thresholds,
                    ) -> list[Rep]:
    """Efforts before or after a set that are much easier than the set's reps (a brisk bit of
    the warm-up) are not part of it."""
    eff = [_effort(ratio, track, r.start_s, r.end_s) for r in reps]
    lo, hi = 0, len(reps)
    while hi - lo > th.min_reps:
        med = float(np.median(eff[lo:hi]))
        if eff[lo] < (1 - th.rep_effort_tolerance) * med:
            lo += 1
        elif eff[hi - 1] < (1 - th.rep_effort_tolerance) * med:
            hi -= 1
        else:
            break
    return reps[lo:hi]


def _regular(values: list[float], spread: float) -> float:
    """Share of values within [median / spread, median * spread]."""
    med = float(np.median(values))
    return sum(med / spread <= x <= med * spread for x in values) / len(values)


def _drop_strides(reps: list[Rep], th: Thresholds) -> tuple[list[Rep], int]:
    """Strides before (or after) a set of longer reps are warm-up, not reps."""
    dropped = 0
    for _ in range(2):  # leading side, then trailing side (by reversing)
        while len(reps) > th.min_reps:
            rest = reps[1:]
            med_d = float(np.median([r.duration_s for r in rest]))
            med_v = float(np.median([r.mean_speed for r in rest]))
            first = reps[0]
            short = first.distance_m <= th.stride_max_m and first.duration_s <= th.stride_max_s
            much_shorter = first.duration_s <= th.leading_stride_ratio * med_d
            shorter_slower = (first.duration_s <= th.leading_stride_len * med_d
                              and first.mean_speed <= th.leading_stride_slow * med_v)
            if short and (much_shorter or shorter_slower):
                reps = rest
                dropped += 1
            else:
                break
        reps = reps[::-1]
    return reps, dropped
