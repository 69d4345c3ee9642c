"""Rep boundaries on the recorded samples, not on the smoothed speed.

The smoothed speed that finds reps blurs their edges by half its window (a 15 s sprint reads as
20-25 s). A rep starts where the distance-time line bends upwards and ends where it bends back:
near each rough edge, a two-piece line is fitted to the raw (time, distance) samples and the
bend that fits best is the edge. Works the same on 1 Hz and on smart recording (1-7 s).
"""

from __future__ import annotations

import numpy as np

from syncd.classify.features import Track

SEARCH_S = 8.0  # an edge moves at least this far (the smoothing blur is ~half of 11 s) ...
SEARCH_SHARE = 0.25  # ... or this share of the rep (long reps are found on a 25 s mean)
CONTEXT_S = 12.0  # samples this far either side of the edge take part in the fit, or
CONTEXT_SHARE = 0.3  # this share of the rep
STEP_S = 0.5  # candidate bend positions


def bend(t: np.ndarray, d: np.ndarray, lo: float, hi: float, *, rising: bool) -> float | None:
    """The time in [lo, hi] where a continuous two-piece line through (t, d) bends best
    (speeding up when rising, slowing down otherwise); None when the samples cannot say."""
    if len(t) < 4:
        return None
    lo, hi = max(lo, float(t[1])), min(hi, float(t[-2]))
    if hi <= lo:
        return None
    cands = np.arange(lo, hi + 1e-9, STEP_S)
    x = t - t[0]
    hinge = np.maximum(0.0, t[None, :] - cands[:, None])  # (K, M)
    ones = np.ones_like(x)
    # Normal equations for [1, x, hinge] per candidate, solved in one batch.
    cols = [np.broadcast_to(ones, hinge.shape), np.broadcast_to(x, hinge.shape), hinge]
    xtx = np.empty((len(cands), 3, 3))
    xty = np.empty((len(cands), 3))
    for i in range(3):
        xty[:, i] = (cols[i] * d).sum(axis=1)
        for j in range(i, 3):
            xtx[:, i, j] = xtx[:, j, i] = (cols[i] * cols[j]).sum(axis=1)
    ok = np.abs(np.linalg.det(xtx)) > 1e-9
    if not ok.any():
        return None
    beta = np.zeros((len(cands), 3))
    beta[ok] = np.linalg.solve(xtx[ok], xty[ok][..., None])[..., 0]
    fit = beta[:, 0:1] + beta[:, 1:2] * x[None, :] + beta[:, 2:3] * hinge
    sse = ((fit - d[None, :]) ** 2).sum(axis=1)
    right_way = beta[:, 2] > 0 if rising else beta[:, 2] < 0
    sse = np.where(ok & right_way, sse, np.inf)
    k = int(np.argmin(sse))
    return float(cands[k]) if np.isfinite(sse[k]) else None


def refine_edges(
    track: Track, spans: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Each (start, end) moved to the bends of the raw distance-time line nearby, never past
    the neighbouring edges. Without raw samples the spans are returned unchanged."""
    if track.raw_t is None or track.raw_dist is None or not spans:
        return list(spans)
    return _refine(track.raw_t, track.raw_dist, spans)


def _refine(rt: np.ndarray, rd: np.ndarray, spans: list[tuple[float, float]]
            ) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i, (s, e) in enumerate(spans):
        prev_end = out[-1][1] if out else float(rt[0])
        next_start = spans[i + 1][0] if i + 1 < len(spans) else float(rt[-1])
        half = max((e - s) / 2.0, STEP_S)
        ctx = max(CONTEXT_S, CONTEXT_SHARE * (e - s))
        search = max(SEARCH_S, SEARCH_SHARE * (e - s))
        s2 = _edge(rt, rd, s, max(prev_end, s - ctx), min(s + half, s + ctx), search,
                   rising=True)
        e2 = _edge(rt, rd, e, max(e - half, e - ctx, s2 + STEP_S), min(next_start, e + ctx),
                   search, rising=False)
        if e2 - s2 < 2 * STEP_S:  # the fit disagreed with itself: keep the rough span
            s2, e2 = s, e
        out.append((s2, e2))
    return out


def _edge(rt: np.ndarray, rd: np.ndarray, at: float, lo: float, hi: float, search: float, *,
          rising: bool) -> float:
    # The window's samples plus the nearest one outside each end: after an auto-pause (no
    # samples while standing) the flat part before a rep is one sample long, or none.
    a = max(0, int(np.searchsorted(rt, lo, side="left")) - 1)
    b = min(len(rt), int(np.searchsorted(rt, hi, side="right")) + 1)
    found = bend(rt[a:b], rd[a:b], max(lo, at - search), min(hi, at + search), rising=rising)
    return at if found is None else found


def raw_distance(track: Track, start_s: float, end_s: float) -> float | None:
    """Distance covered between two stream times, interpolated on the recorded samples."""
    if track.raw_t is None or track.raw_dist is None:
        return None
    a, b = np.interp([start_s, end_s], track.raw_t, track.raw_dist)
    return float(b - a)
