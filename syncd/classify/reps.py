"""Finding the fast efforts of a session, and what happened between them.

A rep is a stretch of effort speed (grade-adjusted) clearly above the athlete's easy pace that
is clearly faster than the recovery around it. Things that look like reps but are not:
surges after traffic stops (a stop is not a recovery), strides (a few short efforts), downhill
surges (the effort speed discounts them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from syncd.classify.features import Track, haversine_m
from syncd.classify.model import AthleteProfile, Rep
from syncd.classify.thresholds import Thresholds
from syncd.sources.records import LapRecord


@dataclass
class RepFinding:
    """Reps of the main set, plus what was set aside and why (for the reasons)."""

    reference: float | None
    reference_from: str
    reps: list[Rep] = field(default_factory=list)
    strides: int = 0  # leading/trailing short efforts set aside as strides
    restarts: int = 0  # surges after a stand-still (traffic) set aside
    candidates: int = 0  # fast segments before the checks
    rejected: str = ""  # why a set of reps is not a session (irregular, stop-and-go)
    rejected_reps: list[Rep] = field(default_factory=list)


def reference_speed(track: Track, profile: AthleteProfile, th: Thresholds) -> tuple[float, str]:
    """Easy effort speed: the athlete's, else the run's own warm-up and cool-down.

    Not the session median: when work is over half the session (4 x 6 min) it is work pace.
    """
    if profile.easy_speed and profile.easy_speed > 0:
        return float(profile.easy_speed), "the athlete's easy pace"
    rel = track.t - track.t[0]
    end = rel[-1]
    window = ((rel >= th.warmup_skip_s) & (rel < th.warmup_skip_s + th.warmup_window_s)) | (
        rel > end - th.cooldown_window_s
    )
    running = track.effort >= th.walk_speed * 0.8
    # Flat running only where there is altitude: on a trail, hiking up and the discounted
    # downhills would both drag the reference down and make the flats look fast.
    flat = np.ones(len(rel), dtype=bool) if track.grade is None else (
        np.abs(track.grade) < th.reference_max_grade)
    for mask in (window & running & flat, window & running, window & track.moving):
        if mask.sum() >= 60 / track.step:
            ref = float(np.median(track.effort[mask]))
            whole = running & flat if (running & flat).sum() >= 60 / track.step else running
            overall = float(np.median(track.effort[whole])) if whole.sum() else ref
            return min(ref, overall), "its own warm-up and cool-down"
    return float(np.median(track.effort)) if len(track.effort) else 0.0, "the whole run"


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
    from syncd.classify.features import _moving_average

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


def _rep_stats(track: Track, s: int, e: int) -> Rep:
    e = max(e, s + 1)
    last = min(e, len(track.t) - 1)
    dur = float(track.t[last] - track.t[s]) or track.step
    dist = float(track.dist[last] - track.dist[s])
    hr = None
    if track.hr is not None:
        seg = track.hr[s:e]
        seg = seg[np.isfinite(seg)]
        hr = float(seg.mean()) if len(seg) else None
    grade = None
    if track.alt is not None and dist > 0:
        grade = 100.0 * _climb(track, s, e) / dist
    return Rep(start_s=float(track.t[s]), end_s=float(track.t[last]), distance_m=dist,
               duration_s=dur, mean_speed=dist / dur if dur > 0 else 0.0, mean_hr=hr,
               mean_grade=grade)


def _climb(track: Track, s: int, e: int) -> float:
    """Net climb of a rep on smoothed altitude, widened by half the smoothing window so
    the smoothing does not eat the top and bottom of a short hill sprint."""
    assert track.alt is not None
    n = len(track.alt)
    w = max(1, int(10 / track.step))
    bottom = track.alt[max(0, s - w): min(n, s + w + 1)].min()
    top = track.alt[max(0, e - w): min(n, e + w + 1)].max()
    return float(top - bottom)


def _recovery(track: Track, rep: Rep, nxt: Rep, th: Thresholds) -> None:
    s, e = track.index(rep.end_s), track.index(nxt.start_s)
    rep.recovery_s = float(nxt.start_s - rep.end_s)
    rep.recovery_distance_m = float(track.dist[e] - track.dist[s])
    if e <= s:
        rep.recovery_kind = "jog"
        return
    sp = track.speed[s:e]
    if (sp < th.stop_speed).mean() > 0.5:
        rep.recovery_kind = "stand"
    elif sp.mean() < th.walk_speed:
        rep.recovery_kind = "walk"
    else:
        rep.recovery_kind = "jog"


def needed_ratio(duration_s: float, th: Thresholds) -> float:
    """How much faster than easy a rep of this duration must be (noise averages out)."""
    span = np.log(th.long_rep_s / th.rep_min_s)
    x = np.clip(np.log(th.long_rep_s / max(duration_s, 1e-3)) / span, 0.0, 1.0)
    return float(th.long_rep_ratio + (th.short_rep_ratio - th.long_rep_ratio) * x)


def find_reps(
    track: Track, profile: AthleteProfile, th: Thresholds, *, treadmill: bool
) -> RepFinding:
    """The main set of reps in a track, with strides and traffic restarts set aside."""
    ref, ref_from = reference_speed(track, profile, th)
    finding = RepFinding(reference=ref if ref > 0 else None, reference_from=ref_from)
    if ref <= 0:
        return finding
    ratio = track.effort / ref
    step = track.step
    segs = _two_scale_segments(ratio, th, step)
    finding.candidates = len(segs)
    kept: list[tuple[int, int, float]] = []
    look = max(1, int(th.restart_lookback_s / step))
    for i, (s, e) in enumerate(segs):
        dur = (e - s) * step
        if dur < th.rep_min_s or dur > th.rep_max_s:
            continue
        r = float(ratio[s:e].mean())
        need = needed_ratio(dur, th)
        if r < need:
            continue
        # Contrast against the slower side: the recovery, not the other rep.
        w = int(min(120.0, max(dur, 30.0)) / step)
        prev_end = segs[i - 1][1] if i else 0
        next_start = segs[i + 1][0] if i + 1 < len(segs) else len(ratio)
        sides = []
        before = ratio[max(prev_end, s - w): s]
        after = ratio[e: min(next_start, e + w)]
        for side in (before, after):
            if len(side) >= max(3, int(5 / step)):
                sides.append(float(side.mean()))
        if sides and r < th.recovery_contrast * min(sides):
            continue
        if not treadmill and dur <= th.short_rep_s and r < th.restart_ratio:
            stood = (track.speed[max(0, s - look): s] < th.stop_speed).sum() * step
            if stood >= th.restart_min_stand_s:
                finding.restarts += 1
                continue
        kept.append((s, e, r))
    if not kept:
        return finding
    # Sets: a slow stretch longer than max_recovery_s ends a set; keep the biggest set.
    sets: list[list[tuple[int, int, float]]] = [[kept[0]]]
    for seg in kept[1:]:
        if (seg[0] - sets[-1][-1][1]) * step > th.max_recovery_s:
            sets.append([seg])
        else:
            sets[-1].append(seg)
    main = max(sets, key=lambda st: sum(e - s for s, e, _ in st))
    reps = [_rep_stats(track, s, e) for s, e, _ in main]
    uneven = _uneven(np.array([_effort(ratio, track, r) for r in reps]), th)
    reps, finding.strides = _drop_strides(reps, th)
    for a, b in zip(reps, reps[1:], strict=False):
        _recovery(track, a, b, th)
    finding.rejected = (uneven or _recoveries_too_fast(ratio, track, reps, th)
                        or _set_problem(reps, main, th, treadmill))
    if finding.rejected:
        finding.rejected_reps = reps
    else:
        finding.reps = reps
    return finding


def _recoveries_too_fast(ratio: np.ndarray, track: Track, reps: list[Rep], th: Thresholds,
                         ) -> str:
    """Between reps a session recovers below easy pace (jog, walk, stand); noise and surges
    of an easy run have easy running between them."""
    if len(reps) < 2:
        return ""
    recs = [ratio[track.index(a.end_s): track.index(b.start_s)]
            for a, b in zip(reps, reps[1:], strict=False)]
    means = [float(x.mean()) for x in recs if len(x)]
    if not means:
        return ""
    rec = float(np.median(means))  # median: one long stop must not hide easy running
    if rec > th.recovery_max_ratio:
        return (f"{len(reps)} fast efforts with easy running between them ({rec:.2f} x easy): "
                "not recoveries, not a session")
    return ""


def _uneven(efforts: np.ndarray, th: Thresholds) -> str:
    """Reps of a session are run at a similar effort; surges of a run are not."""
    if len(efforts) == 0:
        return ""
    med = float(np.median(efforts))
    steady = float(np.mean(np.abs(efforts / med - 1.0) <= th.rep_effort_tolerance))
    if steady < th.rep_effort_share:
        return (f"{len(efforts)} fast efforts at uneven effort ({efforts.min():.2f}-"
                f"{efforts.max():.2f} x easy): surges, not a session")
    return ""


def _set_problem(
    reps: list[Rep], main: list[tuple[int, int, float]], th: Thresholds, treadmill: bool
) -> str:
    """Why a set of fast efforts is not a session, or "" when it is one."""
    recs = [r.recovery_s for r in reps if r.recovery_s is not None]
    if len(recs) >= 2:
        med = float(np.median(recs))
        regular = sum(0.5 * med <= x <= 2.0 * med for x in recs) / len(recs)
        if regular < th.recovery_regular_share:
            return (f"{len(reps)} fast efforts with irregular recoveries "
                    f"({min(recs):.0f}-{max(recs):.0f} s): not a session")
    kinds = [r.recovery_kind for r in reps if r.recovery_kind]
    if len(kinds) >= 3 and "stand" in kinds:  # walk vs jog is a fine line; a stand is not
        top = max(set(kinds), key=kinds.count)
        if kinds.count(top) / len(kinds) < th.recovery_kind_share:
            return (f"{len(reps)} fast efforts with mixed recoveries ("
                    f"{', '.join(sorted(set(kinds)))}): run/walk or stop-and-go, not a session")
    if not treadmill and kinds:
        stand = sum(k == "stand" for k in kinds) / len(kinds)
        median_ratio = float(np.median([r for _, _, r in main]))
        if stand > th.stand_recovery_share and median_ratio < th.restart_ratio:
            return (f"{len(reps)} efforts between stand-stills (stops are not recoveries): "
                    "stop-and-go, not a session")
    return ""


def _effort(ratio: np.ndarray, track: Track, r: Rep) -> float:
    s = track.index(r.start_s)
    return float(ratio[s: max(track.index(r.end_s), s + 1)].mean())


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


def reps_from_laps(track: Track | None, laps: list[LapRecord], th: Thresholds) -> list[Rep]:
    """Active laps of a structured workout (the watch tagged rest laps between them)."""
    active = [lap for lap in laps if (lap.intensity or "").lower() in ("active", "interval")]
    rest = [lap for lap in laps if (lap.intensity or "").lower() in ("rest", "recovery")]
    if len(active) < th.min_reps or len(rest) < th.min_reps - 1:
        return []
    reps: list[Rep] = []
    for lap in active:
        if track is not None:
            s = track.index(lap.start_offset_s)
            e = track.index(lap.start_offset_s + lap.elapsed_s)
            if e - s >= 2:
                reps.append(_rep_stats(track, s, e))
                continue
        dur = lap.moving_s or lap.elapsed_s or 0.0
        dist = lap.distance_m or 0.0
        reps.append(Rep(start_s=lap.start_offset_s, end_s=lap.start_offset_s + lap.elapsed_s,
                        distance_m=dist, duration_s=dur,
                        mean_speed=lap.avg_speed or (dist / dur if dur else 0.0),
                        mean_hr=lap.avg_hr))
    for a, b in zip(reps, reps[1:], strict=False):
        if track is not None:
            _recovery(track, a, b, th)
        else:
            a.recovery_s = b.start_s - a.end_s
    return reps


@dataclass
class HillCheck:
    uphill: int
    same_slope: bool
    why: str
    same_range: bool = False  # uphill reps, descended between, from the same altitude


def hill_check(track: Track, reps: list[Rep], th: Thresholds) -> HillCheck:
    """Hill repeats climb the same slope again and again: uphill reps, descended between,
    starting from the same altitude and the same place. Long climbs fail the last two."""
    if track.alt is None or not reps:
        return HillCheck(0, False, "no altitude")
    up = [
        r for r in reps
        if r.mean_grade is not None and r.mean_grade >= th.hill_grade_pct
        and r.mean_grade * r.distance_m / 100.0 >= th.hill_min_climb_m
    ]
    if len(up) < th.min_hill_reps or len(up) < th.hill_share * len(reps):
        return HillCheck(len(up), False, f"{len(up)} of {len(reps)} reps uphill")
    starts = np.array([track.alt[track.index(r.start_s)] for r in up])
    spread = float(np.percentile(starts, 80) - np.percentile(starts, 20))
    returned = 0
    with_recovery = 0
    for r in up:
        if r.recovery_s is None:
            continue
        with_recovery += 1
        top = track.alt[track.index(r.end_s)]
        bottom = track.alt[track.index(r.end_s + r.recovery_s)]
        climb = (r.mean_grade or 0.0) * r.distance_m / 100.0
        if top - bottom >= th.hill_return_frac * climb:
            returned += 1
    if with_recovery and returned < 0.6 * with_recovery:
        return HillCheck(len(up), False, "recoveries do not come back down")
    if spread > th.hill_same_range_m:
        return HillCheck(len(up), False, f"climbs start {spread:.0f} m apart in altitude")
    if track.lat is not None and track.lng is not None:
        idx = [track.index(r.start_s) for r in up]
        la, lo = track.lat[idx], track.lng[idx]
        d = haversine_m(float(np.median(la)), float(np.median(lo)), la, lo)
        if float(np.median(d)) > th.hill_same_place_m:
            return HillCheck(len(up), False, "climbs start in different places", True)
    return HillCheck(len(up), True, "same slope", True)
