"""Streams -> a clean, uniformly sampled track (numpy), saying what was not usable.

Everything later works on this track: speed from distance over a short centred window (GPS
noise), altitude smoothed before any grade is taken (GPS altitude noise fakes grade), an effort
speed adjusted for grade (uphill reps are slow but hard, downhill surges are fast but easy).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from syncd.classify.thresholds import Thresholds
from syncd.sources.records import Streams

_EARTH_R = 6_371_000.0


@dataclass
class Track:
    """A run on a uniform time grid. Offsets are in the streams' own time base."""

    t: np.ndarray  # seconds, uniform step
    step: float
    dist: np.ndarray  # cumulative metres, monotone
    speed: np.ndarray  # m/s, smoothed
    effort: np.ndarray  # grade-adjusted m/s (equals speed without altitude)
    alt: np.ndarray | None = None  # smoothed metres
    grade: np.ndarray | None = None  # fraction
    hr: np.ndarray | None = None  # bpm, NaN where unknown
    lat: np.ndarray | None = None
    lng: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)  # what was not usable, for the reasons
    # The recorded samples themselves (time, cleaned cumulative distance): rep boundaries are
    # placed on these, not on the smoothed grid, so a 15 s sprint is not reported as 22 s.
    raw_t: np.ndarray | None = None
    raw_dist: np.ndarray | None = None

    @property
    def moving(self) -> np.ndarray:
        return self._moving

    def set_moving(self, stop_speed: float) -> None:
        self._moving = self.speed >= stop_speed

    @property
    def moving_s(self) -> float:
        return float(self._moving.sum() * self.step)

    def index(self, offset_s: float) -> int:
        """Grid index of a stream time offset, clipped to the track."""
        i = int(round((offset_s - self.t[0]) / self.step))
        return min(max(i, 0), len(self.t) - 1)


def _column(streams: Streams, key: str) -> np.ndarray | None:
    values = streams.columns.get(key)
    if values is None:
        return None
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    arr[~np.isfinite(arr)] = np.nan
    return arr


def _fill(t: np.ndarray, v: np.ndarray, grid: np.ndarray) -> np.ndarray | None:
    """Interpolate the finite samples of v onto the grid; None when too few are usable."""
    ok = np.isfinite(v)
    if ok.sum() < 2:
        return None
    return np.interp(grid, t[ok], v[ok])


def _moving_average(x: np.ndarray, n: int) -> np.ndarray:
    """Centred mean over n samples, shrinking at the edges (no phase shift, no edge drop)."""
    if n <= 1 or len(x) < 2:
        return x.copy()
    h = n // 2
    c = np.concatenate(([0.0], np.cumsum(x)))
    idx = np.arange(len(x))
    lo = np.clip(idx - h, 0, len(x))
    hi = np.clip(idx + h + 1, 0, len(x))
    return (c[hi] - c[lo]) / (hi - lo)


def _centred_diff(x: np.ndarray, h: int) -> np.ndarray:
    idx = np.arange(len(x))
    lo = np.clip(idx - h, 0, len(x) - 1)
    hi = np.clip(idx + h, 0, len(x) - 1)
    return x[hi] - x[lo]


def _haversine_steps(lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lng)
    dla, dlo = np.diff(la), np.diff(lo)
    a = np.sin(dla / 2) ** 2 + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(dlo / 2) ** 2
    return 2 * _EARTH_R * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def minetti_factor(grade: np.ndarray) -> np.ndarray:
    """Energy cost of running at a grade relative to flat (Minetti et al. 2002).

    Uphill at 7 % costs ~1.4x flat, downhill at -7 % ~0.7x: a hill rep at easy speed is hard,
    a downhill surge is not.
    """
    i = grade
    cost = ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
    return np.clip(cost / 3.6, 0.45, 2.5)


def _distance(
    t: np.ndarray, streams: Streams, keep: np.ndarray, th: Thresholds, notes: list[str]
) -> np.ndarray | None:
    """Cumulative distance from the best usable source: distance, then speed, then positions."""
    dt = np.diff(t)

    def clean_steps(steps: np.ndarray, what: str) -> np.ndarray:
        steps = np.where(np.isfinite(steps) & (steps > 0), steps, 0.0)
        spikes = steps > th.max_speed * dt
        if spikes.any():
            notes.append(f"{int(spikes.sum())} {what} samples faster than "
                         f"{th.max_speed:g} m/s ignored (GPS spikes)")
            steps = np.where(spikes, 0.0, steps)
        return np.concatenate(([0.0], np.cumsum(steps)))

    d = _column(streams, "distance")
    if d is not None:
        d = d[keep]
        ok = np.isfinite(d)
        if ok.sum() >= 2 and np.nanmax(d) - np.nanmin(d) > 50.0:
            if not ok.all():
                d = np.interp(t, t[ok], d[ok])
            return clean_steps(np.diff(d), "distance")
        notes.append("distance stream unusable (empty or all zero)")
    v = _column(streams, "velocity_smooth")
    if v is not None:
        v = v[keep]
        ok = np.isfinite(v)
        if ok.sum() >= 2 and np.nanmax(v) > th.stop_speed:
            v = np.interp(t, t[ok], v[ok])
            v = np.where(v > th.max_speed, np.nan, v)
            good = np.isfinite(v)
            if good.sum() >= 2:
                v = np.interp(t, t[good], v[good])
                notes.append("distance from the speed stream")
                return np.concatenate(([0.0], np.cumsum(0.5 * (v[1:] + v[:-1]) * dt)))
    lat, lng = _column(streams, "lat"), _column(streams, "lng")
    if lat is not None and lng is not None:
        lat, lng = lat[keep], lng[keep]
        ok = np.isfinite(lat) & np.isfinite(lng)
        if ok.sum() >= 2:
            lat = np.interp(t, t[ok], lat[ok])
            lng = np.interp(t, t[ok], lng[ok])
            notes.append("distance from GPS positions")
            return clean_steps(_haversine_steps(lat, lng), "position")
    return None


def build_track(streams: Streams | None, th: Thresholds) -> tuple[Track | None, list[str]]:
    """A Track, or None and the reason the streams cannot be used. Never raises on bad data."""
    if streams is None or len(streams) == 0:
        return None, ["no streams"]
    notes: list[str] = []
    t = _column(streams, "time")
    assert t is not None  # Streams guarantees a time column
    keep = np.isfinite(t)
    if (~keep).any():
        notes.append(f"{int((~keep).sum())} samples without a time dropped")
    # Time must increase: drop samples that go back (or repeat) relative to all before them.
    tk = t[keep]
    if len(tk):
        prev_max = np.concatenate(([-np.inf], np.maximum.accumulate(tk)[:-1]))
        forward = tk > prev_max
        if (~forward).any():
            notes.append(f"{int((~forward).sum())} samples with time going backwards dropped")
        idx = np.flatnonzero(keep)
        keep = np.zeros(len(t), dtype=bool)
        keep[idx[forward]] = True
    t = t[keep]
    if len(t) < 2 or t[-1] - t[0] < 60.0:
        return None, notes + ["streams too short to use (under a minute or under two samples)"]

    dist = _distance(t, streams, keep, th, notes)
    if dist is None:
        return None, notes + ["no usable distance, speed or positions in the streams"]

    span = float(t[-1] - t[0])
    step = max(th.grid_s, span / th.max_grid_points)
    grid = t[0] + np.arange(int(span / step) + 1) * step
    dist_g = np.interp(grid, t, dist)
    h = max(1, int(round(th.speed_window_s / step / 2)))
    speed = _centred_diff(dist_g, h) / np.maximum(_centred_diff(grid, h), step)

    track = Track(t=grid, step=step, dist=dist_g, speed=speed, effort=speed, notes=notes,
                  raw_t=t, raw_dist=dist)
    track.set_moving(th.stop_speed)

    alt = _column(streams, "altitude")
    if alt is not None:
        alt = alt[keep]
        if np.isfinite(alt).mean() >= 0.5 and np.nanmax(alt) - np.nanmin(alt) > 0.5:
            alt_g = _fill(t, alt, grid)
            assert alt_g is not None
            alt_s = _moving_average(alt_g, max(1, int(round(th.alt_window_s / step))))
            gh = max(1, int(round(th.grade_half_window_s / step)))
            rise, run = _centred_diff(alt_s, gh), _centred_diff(dist_g, gh)
            grade = np.where(run >= th.grade_min_distance_m, rise / np.maximum(run, 1e-9), 0.0)
            grade = np.clip(grade, -th.max_abs_grade, th.max_abs_grade)
            track.alt, track.grade = alt_s, grade
            # Walking is never a rep: power-hiking a steep climb is hard but it is not one.
            # A dead band keeps grade noise on the flat (+-1 % is +-5 % effort) out of it.
            g = np.sign(grade) * np.maximum(np.abs(grade) - th.grade_dead_band, 0.0)
            track.effort = np.where(speed >= th.walk_speed, speed * minetti_factor(g), speed)
        elif np.isfinite(alt).any():
            notes.append("altitude stream unusable (mostly empty or flat-lined)")

    lat, lng = _column(streams, "lat"), _column(streams, "lng")
    if lat is not None and lng is not None:
        lat, lng = lat[keep], lng[keep]
        ok = np.isfinite(lat) & np.isfinite(lng) & (np.abs(lat) <= 90) & (np.abs(lng) <= 180)
        if ok.mean() >= 0.5 and (np.ptp(lat[ok]) > 0 or np.ptp(lng[ok]) > 0):
            track.lat = np.interp(grid, t[ok], lat[ok])
            track.lng = np.interp(grid, t[ok], lng[ok])

    track.hr = _heart_rate(streams, keep, t, grid, th, notes)
    return track, notes


def _heart_rate(
    streams: Streams, keep: np.ndarray, t: np.ndarray, grid: np.ndarray, th: Thresholds,
    notes: list[str],
) -> np.ndarray | None:
    """Heart rate on the grid, or None: missing, mostly empty or locked onto the cadence."""
    hr = _column(streams, "heartrate")
    if hr is None:
        return None
    hr = hr[keep]
    hr[(hr < th.hr_min) | (hr > th.hr_max)] = np.nan
    ok = np.isfinite(hr)
    if ok.mean() < 0.3:
        notes.append("heart rate mostly missing: not used")
        return None
    cad = _column(streams, "cadence")
    if cad is not None:
        cad = cad[keep]
        cok = np.isfinite(cad) & (cad > 20)
        if cok.sum() > 10:
            spm = cad * (2.0 if np.nanmedian(cad[cok]) < th.half_cadence_below else 1.0)
            both = ok & cok
            if both.sum() > 10:
                locked = np.abs(hr[both] - spm[both]) <= th.hr_cadence_lock_bpm
                if locked.mean() >= th.hr_cadence_lock_share:
                    notes.append("heart rate follows the step rate (optical sensor locked on "
                                 "cadence): not used")
                    return None
    return np.interp(grid, t[ok], hr[ok])


def haversine_m(lat0: float, lng0: float, lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
    """Distance in metres from one point to many."""
    la0, la, dlo = np.radians(lat0), np.radians(lat), np.radians(lng - lng0)
    a = np.sin((la - la0) / 2) ** 2 + np.cos(la0) * np.cos(la) * np.sin(dlo / 2) ** 2
    return 2 * _EARTH_R * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
