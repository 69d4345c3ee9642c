"""An independent generator of synthetic running sessions, to measure the run classifier.

Written without reading the classifier, its test workouts or the project's own synthesiser: the
models below are this module's own. Every session is simulated second by second (speed, route
position, GPS, watch distance) and then sampled the way a watch records it.

Per session an athlete is drawn: easy flat speed 2.4-3.6 m/s (4:40-7:00 min/km), max HR 175-200,
a grade response of 1.5-3 % slower per % uphill at the same effort, HR lag 15-40 s.

Realism
  * speed: a target per segment, first-order transitions (2-4 s for sprints, longer for long
    reps), slow wander of a few %; reps spread 5-10 % (flat, fading or rising sets).
  * GPS: correlated position noise 2-5 m, drop-outs of 5-30 s (no fix, or no samples at all),
    a start spike on ~20 % of sessions; "distance" is the watch's cumulative distance of its
    smoothed GPS (off by ~1-3 %). Treadmill: footpod distance (a few % off), no lat/lng/alt.
  * altitude: barometric (~70 %: drift 10-30 m/h, 0.2-1 m noise, 0.2 m steps) or GPS (5-10 m).
  * sampling: 1 Hz, or smart recording (~50 %): a sample every 1-7 s, sooner when speed or
    direction changes (Session.smart).
  * HR lags the effort, drifts up on long runs, absent on 5 % of sessions.
  * terrain: hilly routes climb and descend; hill reps run up real 4-12 % slopes and come back
    down; traffic stops in road runs; walking breaks and power-hiking on trails.

Kinds [label] (interval/hill 40-85 min moving, easy 25-85, long 95-240):
   1 easy_strides [easy]        warm-up, 3-5 drills of 15-20 s, easy, 3 x 50 m strides, cool-down
   2 hills_10x30 [hill]         10 x 30 s hard up one 6-10 % slope, walked back to the start
   3 sprints_10x100 [interval]  10 x 100 m at 1.5-2x easy, walk/jog back 45-90 s
   4 pyramid [interval]         100-200-300-200-100 m fast, 100 m walks
   5 track_8x200 [interval]     8 x 200 m fast, 100 m walks
   6 hills_two_slopes [hill]    2-3 clusters of 4-6 x 30-80 s, each on its own slope
   7 hills_6x3min [hill]        6 x 2-3 min uphill at only 10-20 % above easy flat speed
   8 hill_surges [hill]         6-10 surges of 30-90 s on a 2-5 km climb at 3-7 %, then down
   9 ladder [interval]          1200-1000-800-600-400 m (or reversed), rising speed, 90-180 s jogs
  10 tempo_3x10 [interval]      3 x 10 min at 1.15-1.25x easy, 2 min walks
  11 track_4x1k_standing [interval]  4-6 x 1 km, 60-120 s standing
  12 track_autolap [interval]   6-12 x 400 m / 200 m jog; auto-laps every 400 m
  13 long_reps_long_rests [interval]  4-5 x 2 km, 7-9 min jogs at 0.8-0.9x easy
  14 mixed_recoveries [interval]  8-10 x 400 m, walk/jog/stand recoveries of 30-60 s
  15 progressive_long [long]    100-150 min from 0.9x to 1.15x easy
  16 marathon [long]            42.2 km at 1.05-1.2x easy with drink stations
  17 trail_long_hilly [long]    2-4 h trail, 600-2000 m up, power-hiking, stops (TrailRun)
  18 treadmill_intervals [interval]  6-8 x 3 min at 1.25-1.4x easy, 90 s jogs (VirtualRun)
  19 treadmill_easy [easy]      30-60 min steady (VirtualRun)
  20 easy_traffic [easy]        city run with 4-12 stops of 10-60 s, some surges after stops
  21 easy_hilly [easy]          40-80 min on rolling hills
  22 easy_plain [easy]          30-70 min steady
  23 recovery_run [easy]        25-40 min at 0.85-0.95x easy
  24 nonrun_ride [other]        60-120 min bike ride at 6-9 m/s (Ride)
Seed kinds 1-5 have a 15-25 min warm-up and a 10-15 min cool-down.

Laps: about half of the interval/hill sessions record one lap per segment, as workout steps
(intensity warmup/active/rest/cooldown) or lap-button laps (intensity None, 0-3 s off the true
boundaries); the rest, and all other sessions, have no laps or 1 km auto-laps; track_autolap
always has 400 m auto-laps that ignore the reps. The record's name is always "".

Session.reps holds the truth: (start_s, end_s, distance_m) of each work rep in stream time, the
true distance run in it; [] for easy, long and other sessions. Marathon and long_reps_long_rests
draw their athlete from easy speeds of 2.8-3.6 m/s so that they stay within the moving-time
ranges above.
"""

from __future__ import annotations

import math
import time as _time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from syncd.sources.records import ActivityRecord, LapRecord, Streams

# ---------------------------------------------------------------------------------------------
# Public API


@dataclass
class Session:
    kind: str
    label: str  # "easy" | "hill" | "interval" | "long" | "other"
    record: ActivityRecord
    reps: list[tuple[float, float, float]]  # (start_s, end_s, distance_m), stream time
    smart: bool  # smart recording (irregular sampling)
    easy_speed: float = 0.0  # the athlete's easy flat speed (m/s), for sanity checks
    meta: dict[str, object] = field(default_factory=dict)  # how it was recorded (laps, altimeter)


KINDS: dict[str, str] = {
    "easy_strides": "easy",
    "hills_10x30": "hill",
    "sprints_10x100": "interval",
    "pyramid": "interval",
    "track_8x200": "interval",
    "hills_two_slopes": "hill",
    "hills_6x3min": "hill",
    "hill_surges": "hill",
    "ladder": "interval",
    "tempo_3x10": "interval",
    "track_4x1k_standing": "interval",
    "track_autolap": "interval",
    "long_reps_long_rests": "interval",
    "mixed_recoveries": "interval",
    "progressive_long": "long",
    "marathon": "long",
    "trail_long_hilly": "long",
    "treadmill_intervals": "interval",
    "treadmill_easy": "easy",
    "easy_traffic": "easy",
    "easy_hilly": "easy",
    "easy_plain": "easy",
    "recovery_run": "easy",
    "nonrun_ride": "other",
}

# Share of each label in sessions(); every label but "other" gets at least 15 %.
LABEL_WEIGHTS: dict[str, float] = {
    "easy": 0.24,
    "hill": 0.20,
    "interval": 0.32,
    "long": 0.18,
    "other": 0.06,
}

# ---------------------------------------------------------------------------------------------
# Constants

RUN, WALK, STAND, DRILL, BIKE, HIKE, COAST = range(7)  # movement modes (HIKE/COAST: derived)
DUR, DIST_T, DIST_W, UNTIL = range(4)  # segment ends: time, true distance, watch distance, place

_TWO_PI = 2.0 * math.pi
_M_PER_DEG = 111_320.0

# Moving-time ranges (minutes) the plans are drawn into, a little inside the spec's ranges.
_MOVING_RANGE: dict[str, tuple[float, float]] = {
    "easy": (26.0, 83.0),
    "hill": (42.0, 83.0),
    "interval": (42.0, 83.0),
    "long": (97.0, 236.0),
    "other": (61.0, 118.0),
}
_KIND_RANGE: dict[str, tuple[float, float]] = {
    "trail_long_hilly": (122.0, 236.0),
    "progressive_long": (100.0, 150.0),
    "recovery_run": (25.0, 41.0),
    "treadmill_easy": (30.0, 61.0),
}
_ATHLETE_SPEED: dict[str, tuple[float, float]] = {
    "marathon": (2.8, 3.6),
    "long_reps_long_rests": (2.8, 3.6),
}


# ---------------------------------------------------------------------------------------------
# Athlete and movement models


@dataclass
class _Athlete:
    ve: float  # easy flat speed, m/s
    hr_max: float
    hr_rest: float
    easy_frac: float  # fraction of HR reserve at easy effort
    k: float  # speed loss per % uphill at the same effort
    walk: float  # walking speed on the flat
    cad0: float  # cadence (per foot) at easy speed
    cad_slope: float  # cadence per m/s
    tau_hr: float  # HR lag (s)
    tau_dec: float  # deceleration time constant (s)
    hike_thr: float  # grade (%) above which the athlete power-hikes on trails
    vvert: float  # vertical speed when hiking (m/s)
    drift: float  # HR drift, bpm per hour


def _athlete(rng: np.random.Generator, lo: float = 2.4, hi: float = 3.6) -> _Athlete:
    u = rng.uniform
    return _Athlete(
        ve=u(lo, hi),
        hr_max=u(175, 200),
        hr_rest=u(42, 62),
        easy_frac=u(0.64, 0.74),
        k=u(0.015, 0.03),
        walk=u(1.2, 1.55),
        cad0=u(80, 87),
        cad_slope=u(4, 8),
        tau_hr=u(15, 40),
        tau_dec=u(1.2, 2.5),
        hike_thr=u(9, 14),
        vvert=u(0.17, 0.28),
        drift=u(2, 8),
    )


def _f_run(g: float, k: float, trail: bool) -> float:
    """Speed factor running at a grade of g % (positive uphill) at a constant effort."""
    if g >= 0.0:
        return max(0.35, 1.0 - k * g)
    a = -g
    if trail:
        return 1.0 + 0.006 * a if a <= 6.0 else max(0.55, 1.036 - 0.025 * (a - 6.0))
    return 1.0 + 0.01 * a if a <= 5.0 else max(0.7, 1.05 - 0.015 * (a - 5.0))


def _f_walk(g: float) -> float:
    if g >= 0.0:
        return max(0.45, 1.0 - 0.025 * g)
    return max(0.6, 1.0 + 0.01 * g)


def _f_bike(g: float) -> float:
    if g >= 0.0:
        return max(0.3, 1.0 - 0.08 * g)
    return min(1.5, 1.0 - 0.05 * g)


def _hike_speed(g: float, vvert: float) -> float:
    return min(1.45, max(0.55, vvert * 100.0 / max(g, 1.0)))


def _ar1(rng: np.random.Generator, n: int, tau: float) -> list[float]:
    """Unit-variance AR(1) noise with a correlation time of tau samples."""
    phi = math.exp(-1.0 / tau)
    c = math.sqrt(1.0 - phi * phi)
    e = rng.standard_normal(n).tolist()
    out = [0.0] * n
    x = e[0]
    for i in range(n):
        x = phi * x + c * e[i]
        out[i] = x
    return out


def _smooth(rng: np.random.Generator, n: int, tau1: float, tau2: float) -> list[float]:
    """Unit-variance, smooth noise: AR(1) (tau1) followed by an exponential filter (tau2)."""
    a = math.exp(-1.0 / tau1)
    b = math.exp(-1.0 / tau2)
    ratio = (1 - b) ** 2 * (1 + a * b) / ((1 - b * b) * (1 - a * b))
    scale = 1.0 / math.sqrt(ratio)
    c = math.sqrt(1.0 - a * a)
    e = rng.standard_normal(n + 1).tolist()
    x1 = e[0]
    x2 = math.sqrt(ratio) * e[n]
    out = [0.0] * n
    for i in range(n):
        x1 = a * x1 + c * e[i]
        x2 = b * x2 + (1 - b) * x1
        out[i] = x2 * scale
    return out


def _spread(rng: np.random.Generator, n: int, lo: float = 0.05, hi: float = 0.10) -> list[float]:
    """Per-rep speed factors with a total spread of lo-hi: flat, fading or rising sets."""
    if n < 2:
        return [1.0] * n
    pattern = rng.choice(["flat", "fade", "rise", "fade", "flat"])
    trend = {"flat": 0.0, "fade": -1.0, "rise": 1.0}[str(pattern)]
    x = np.linspace(-0.5, 0.5, n) * trend + rng.normal(0.0, 0.35, n)
    x -= x.mean()
    width = float(x.max() - x.min())
    if width < 1e-9:
        x = np.linspace(-0.5, 0.5, n)
        width = 1.0
    target = rng.uniform(lo, hi)
    return [float(1.0 + v * target / width) for v in x]


# ---------------------------------------------------------------------------------------------
# Routes: 1 m resolution grade profile with a heading style per span


class _Route:
    def __init__(self, rng: np.random.Generator, style: str, heading: str, z0: float) -> None:
        self.rng = rng
        self.style = style
        self.heading = heading
        self.z0 = z0
        self.g: list[float] = []
        self.spans: list[list] = []  # [start, end, heading style]
        self._zrel = 0.0

    def __len__(self) -> int:
        return len(self.g)

    def add(self, length: float, grade: float, heading: str | None = None) -> None:
        n = int(round(length))
        if n <= 0:
            return
        start = len(self.g)
        self.g.extend([float(grade)] * n)
        self._zrel += grade * n / 100.0
        h = heading or self.heading
        if self.spans and self.spans[-1][2] == h and self.spans[-1][1] == start:
            self.spans[-1][1] = start + n
        else:
            self.spans.append([start, start + n, h])

    def _piece(self) -> tuple[int, float]:
        r = self.rng
        st = self.style
        if st == "zero":
            return 1000, 0.0
        if st == "flat":
            return int(r.uniform(150, 500)), float(np.clip(r.normal(0, 0.6), -2, 2))
        if st == "rolling":
            return int(r.uniform(100, 600)), float(np.clip(r.normal(0, 2.0), -5, 5))
        if st == "hilly":
            if r.random() < 0.35:
                return int(r.uniform(100, 500)), float(r.normal(0, 1.0))
            sign = -1.0 if self._zrel > 40 else 1.0 if self._zrel < -40 else r.choice([-1.0, 1.0])
            return int(r.uniform(300, 1500)), float(sign * r.uniform(3, 8))
        # trail
        if r.random() < 0.4:
            return int(r.uniform(200, 1200)), float(r.normal(0, 2.5))
        sign = -1.0 if self._zrel > 80 else 1.0 if self._zrel < -80 else r.choice([-1.0, 1.0])
        return int(r.uniform(300, 1500)), float(sign * r.uniform(4, 15))

    def add_default(self, length: float) -> None:
        added = 0
        while added < length:
            n, gr = self._piece()
            self.add(n, gr)
            added += n

    def ensure(self, s: float) -> None:
        while len(self.g) < s + 60:
            self.add_default(1000)

    def truncate(self, s: float) -> None:
        n = max(0, int(s))
        if n >= len(self.g):
            self.ensure(n)
            n = max(0, int(s))
        self._zrel -= sum(self.g[n:]) / 100.0
        del self.g[n:]
        self.spans = [sp for sp in self.spans if sp[0] < n]
        if self.spans:
            self.spans[-1][1] = n

    def grade(self, s: float) -> float:
        if s + 2 >= len(self.g):
            self.ensure(s + 2)
        return self.g[int(s)]

    def _headings(self, style: str, n: int, h0: float) -> np.ndarray:
        r = self.rng
        if style == "oval":
            p = np.arange(n) % 400
            h = np.full(n, h0)
            b1 = (p >= 85) & (p < 200)
            h[b1] = h0 + math.pi * (p[b1] - 85 + 0.5) / 115.0
            h[(p >= 200) & (p < 285)] = h0 + math.pi
            b2 = p >= 285
            h[b2] = h0 + math.pi + math.pi * (p[b2] - 285 + 0.5) / 115.0
            return h
        sigma, tau, corner_lo, corner_hi, turn_lo, turn_hi, spread = {
            "road": (0.003, 60.0, 150, 900, 20, 100, 14),
            "city": (0.0006, 40.0, 80, 250, 80, 100, 8),
            "straight": (0.0003, 80.0, 10**9, 10**9 + 1, 0, 1, 10),
            "trail": (0.008, 30.0, 60, 300, 20, 160, 10),
        }[style]
        kappa = np.asarray(_ar1(r, n, tau)) * sigma
        pos = 0
        while True:
            pos += int(r.uniform(corner_lo, corner_hi))
            if pos >= n:
                break
            turn = math.radians(r.uniform(turn_lo, turn_hi)) * r.choice([-1.0, 1.0])
            end = min(n, pos + spread)
            kappa[pos:end] += turn / (end - pos)
        return h0 + np.cumsum(kappa)

    def build(self) -> tuple[list[float], list[float], list[float], list[float]]:
        g = np.asarray(self.g, dtype=float)
        k = 25
        gp = np.pad(g, (k // 2, k - 1 - k // 2), mode="edge")
        gs = np.convolve(gp, np.ones(k) / k, mode="valid")
        z = self.z0 + np.concatenate([[0.0], np.cumsum(gs / 100.0)])
        h = np.empty(len(g))
        hc = self.rng.uniform(0, _TWO_PI)
        for a, b, style in self.spans:
            h[a:b] = self._headings(style, b - a, hc)
            hc = float(h[b - 1])
        x = np.concatenate([[0.0], np.cumsum(np.cos(h))])
        y = np.concatenate([[0.0], np.cumsum(np.sin(h))])
        hd = np.append(h, h[-1])
        return x.tolist(), y.tolist(), z.tolist(), hd.tolist()


# ---------------------------------------------------------------------------------------------
# Plans: segments with an estimate of where the runner is, so features can be placed ahead


@dataclass
class _Seg:
    role: str  # warmup | work | rest | cooldown
    mode: int
    speed: float  # m/s: the flat-equivalent effort speed when running, else the actual speed
    end: int
    value: float  # seconds, metres or a route position
    direction: int = 0  # +1 out, -1 back, 0 keep
    rep: bool = False
    tau: float = 4.0  # acceleration time constant (s)
    speed_end: float | None = None  # linear ramp over the segment
    wander: float = 1.0
    hike: bool = False  # power-hike steep grades
    cadence: float = 0.0  # drills: their cadence


class _Builder:
    def __init__(
        self,
        rng: np.random.Generator,
        ath: _Athlete,
        style: str,
        heading: str,
        *,
        treadmill: bool = False,
        trail: bool = False,
        track: bool = False,
    ) -> None:
        self.rng = rng
        self.ath = ath
        self.route = _Route(rng, style, heading, float(rng.uniform(20, 900)))
        self.treadmill = treadmill
        self.trail = trail
        self.track = track  # reps on a track (measured distances)
        self.segs: list[_Seg] = []
        self.ps = 0.0
        self.pdir = 1
        self.maxs = 0.0
        self.est_t = 0.0
        self.est_mov = 0.0

    # -- estimation
    def _vest(self, seg: _Seg, g: float, p: float) -> float:
        if seg.mode == STAND:
            return 0.0
        sp = seg.speed if seg.speed_end is None else seg.speed + (seg.speed_end - seg.speed) * p
        if self.treadmill:
            return sp
        a = self.ath
        if seg.mode == RUN:
            if seg.hike and g > a.hike_thr:
                return _hike_speed(g, a.vvert)
            return sp * _f_run(g, a.k, self.trail)
        if seg.mode == WALK:
            return sp * _f_walk(g)
        if seg.mode == BIKE:
            return sp * _f_bike(g)
        return sp

    def _estimate(self, seg: _Seg, commit: bool) -> float:
        r = self.route
        ps, dirn, maxs = self.ps, self.pdir, self.maxs
        if seg.end == UNTIL:
            if abs(seg.value - ps) < 0.5:
                return ps
            dirn = 1 if seg.value > ps else -1
        elif seg.direction:
            dirn = seg.direction
        t = mov = d = 0.0
        if seg.end == DUR:
            total = seg.value
            while t < total - 1e-9:
                dt = min(5.0, total - t)
                v = self._vest(seg, r.grade(ps) * dirn, t / total)
                ps += dirn * v * dt
                if ps < 0:
                    ps, dirn = -ps, 1
                t += dt
                mov += dt if v > 0.5 else 0.0
                maxs = max(maxs, ps)
        else:
            total = abs(seg.value - ps) if seg.end == UNTIL else seg.value
            while d < total - 1e-9:
                dd = min(10.0, total - d)
                v = max(0.2, self._vest(seg, r.grade(ps) * dirn, d / total))
                ps += dirn * dd
                if ps < 0:
                    ps, dirn = -ps, 1
                d += dd
                t += dd / v
                mov += dd / v if v > 0.5 else 0.0
                maxs = max(maxs, ps)
        r.ensure(ps + 2)
        if commit:
            self.ps, self.pdir, self.maxs = ps, dirn, maxs
            self.est_t += t
            self.est_mov += mov
        return ps

    def add(self, seg: _Seg) -> None:
        if seg.end == DUR:
            seg.value = float(round(seg.value))
            if seg.value < 1:
                return
        self._estimate(seg, True)
        self.segs.append(seg)

    def where_after(self, dur: float, eff: float = 1.0, direction: int = 1) -> float:
        seg = _Seg("warmup", RUN, self.ath.ve * eff, DUR, float(round(dur)), direction=direction)
        return self._estimate(seg, False)

    def feature(self, dur: float, direction: int = 1) -> float:
        """Where the runner will be after dur s of easy running; the route is cut there."""
        s = max(self.where_after(dur, direction=direction), self.maxs + 20.0)
        self.route.truncate(s)
        return float(int(s))

    # -- building blocks
    def run(self, role: str, speed: float, end: int, value: float, **kw) -> None:
        self.add(_Seg(role, RUN, speed, end, value, **kw))

    def walk(self, role: str, end: int, value: float, speed: float | None = None, **kw) -> None:
        kw.setdefault("tau", 2.0)
        self.add(_Seg(role, WALK, speed or self.ath.walk, end, value, **kw))

    def stand(self, role: str, dur: float) -> None:
        self.add(_Seg(role, STAND, 0.0, DUR, dur, tau=1.5))

    def jog(self, role: str, end: int, value: float, eff: float, **kw) -> None:
        kw.setdefault("tau", 2.5)
        self.add(_Seg(role, RUN, self.ath.ve * eff, end, value, **kw))

    def easy(
        self,
        role: str,
        dur: float,
        *,
        stops: int = 0,
        direction: int = 1,
        eff: float | None = None,
        eff_end: float | None = None,
        warm: bool = False,
        surge_p: float = 0.0,
        stop_range: tuple[float, float] = (5.0, 60.0),
        mode: int = RUN,
        speed: float | None = None,
    ) -> None:
        r = self.rng
        dur = float(round(dur))
        if dur < 1:
            return
        base = speed if speed is not None else self.ath.ve
        e0 = eff if eff is not None else r.uniform(0.96, 1.03)
        e1 = eff_end if eff_end is not None else e0
        cuts = sorted(float(c) for c in r.uniform(0.06, 0.95, stops) * dur)
        bounds = [0.0, *cuts, dur]
        tau = 6.0 if mode == BIKE else 4.0
        for j in range(len(bounds) - 1):
            a, b = bounds[j], bounds[j + 1]
            sa, sb = e0 + (e1 - e0) * a / dur, e0 + (e1 - e0) * b / dur
            d0 = direction if j == 0 else 0
            if warm and j == 0 and b - a > 240:
                w = min(300.0, (b - a) / 2)
                self.add(_Seg(role, mode, base * sa * 0.9, DUR, w, d0, tau=tau,
                              speed_end=base * sa))
                self.add(_Seg(role, mode, base * sa, DUR, b - a - w, tau=tau,
                              speed_end=base * sb))
            else:
                self.add(_Seg(role, mode, base * sa, DUR, b - a, d0, tau=tau, speed_end=base * sb))
            if j < stops:
                self.stand(role, r.uniform(*stop_range))
                if r.random() < surge_p:
                    self.add(_Seg(role, mode, base * r.uniform(1.2, 1.4), DUR,
                                  r.uniform(5, 15), tau=1.8, wander=0.5))

    def easy_to(self, role: str, target: float, *, stops: int = 0, eff: float | None = None,
                warm: bool = False, stop_range: tuple[float, float] = (5.0, 60.0)) -> None:
        r = self.rng
        e = eff if eff is not None else r.uniform(0.96, 1.03)
        start = self.ps
        fr = sorted(float(c) for c in r.uniform(0.06, 0.94, stops))
        points = [start + (target - start) * f for f in fr] + [target]
        for j, p in enumerate(points):
            if warm and j == 0 and abs(p - start) > 800:
                mid = start + (p - start) * 0.3
                self.add(_Seg(role, RUN, self.ath.ve * e * 0.9, UNTIL, mid, tau=4.0,
                              speed_end=self.ath.ve * e))
            self.add(_Seg(role, RUN, self.ath.ve * e, UNTIL, p, tau=4.0))
            if j < stops:
                self.stand(role, r.uniform(*stop_range))

    def to_track(self, wu: float, laps: int, stops: int) -> None:
        s = self.feature(wu)
        self.route.add(400 * laps, 0.0, "oval")
        self.easy_to("warmup", s, stops=stops, warm=True)

    @property
    def dist_end(self) -> int:
        return DIST_T if self.track else DIST_W


def _wucd(rng: np.random.Generator, lo: float = 15, hi: float = 24, clo: float = 10,
          chi: float = 15) -> tuple[float, float]:
    return round(rng.uniform(lo, hi) * 60), round(rng.uniform(clo, chi) * 60)


def _stops(rng: np.random.Generator, mean: float) -> int:
    return int(rng.poisson(mean))


def _road(rng: np.random.Generator, hilly: float = 0.3) -> str:
    return "hilly" if rng.random() < hilly else str(rng.choice(["flat", "rolling"]))


# ---------------------------------------------------------------------------------------------
# The kinds


def _p_easy_strides(rng, a):
    b = _Builder(rng, a, _road(rng, 0.2), "road")
    wu, cd = _wucd(rng)
    b.easy("warmup", wu, stops=_stops(rng, 0.6), warm=True)
    for _ in range(int(rng.integers(3, 6))):
        cad = rng.uniform(95, 110) if rng.random() < 0.6 else rng.uniform(62, 75)
        b.add(_Seg("warmup", DRILL, rng.uniform(0.9, 1.8), DUR, rng.uniform(15, 20), 1,
                   tau=1.5, wander=0.5, cadence=cad))
        if rng.random() < 0.7:
            b.walk("warmup", DUR, rng.uniform(20, 40), direction=-1)
        else:
            b.stand("warmup", rng.uniform(15, 35))
    b.easy("warmup", rng.uniform(0, 20) * 60, stops=_stops(rng, 0.4))
    for _ in range(3):
        b.run("warmup", a.ve * rng.uniform(1.5, 1.8), DIST_T, 50.0, direction=1,
              tau=rng.uniform(1.0, 1.5), wander=0.3)
        if rng.random() < 0.6:
            b.walk("warmup", DUR, rng.uniform(30, 60), direction=-1)
        else:
            b.jog("warmup", DUR, rng.uniform(30, 60), rng.uniform(0.6, 0.8), direction=-1)
    b.easy("cooldown", cd, stops=_stops(rng, 0.5))
    return b


def _p_hills_10x30(rng, a):
    b = _Builder(rng, a, _road(rng, 0.5), "road")
    wu, cd = _wucd(rng)
    g = rng.uniform(6, 10)
    eff = rng.uniform(1.55, 1.8)
    fac = _spread(rng, 10)
    vup = a.ve * eff * max(fac) * _f_run(g, a.k, False)
    s0 = b.feature(wu)
    b.route.add(30 * vup * 1.4 + 80, g, "straight")
    b.route.add(rng.uniform(100, 300), rng.uniform(-1, 1))
    b.easy_to("warmup", s0, stops=_stops(rng, 0.5), warm=True)
    walk = a.walk * rng.uniform(0.95, 1.1)
    for i in range(10):
        b.run("work", a.ve * eff * fac[i], DUR, 30, direction=1, rep=True,
              tau=rng.uniform(1.0, 1.6), wander=0.4)
        b.walk("rest" if i < 9 else "cooldown", UNTIL, s0, speed=walk)
    b.easy("cooldown", cd, direction=-1, stops=_stops(rng, 0.5))
    return b


def _sprint_speed(rng, a, lo=1.5, hi=2.0, dist=100.0, tmax=19.5):
    v = a.ve * rng.uniform(lo, hi)
    return min(8.5, max(v, min(hi * a.ve, dist / tmax)))


def _p_sprints_10x100(rng, a):
    b = _Builder(rng, a, str(rng.choice(["flat", "rolling"])), "road")
    wu, cd = _wucd(rng)
    s0 = b.feature(wu - 200 / a.ve)
    b.route.add(700, rng.normal(0, 0.5), "straight")
    b.easy_to("warmup", s0 + 200, stops=_stops(rng, 0.5), warm=True)
    v = _sprint_speed(rng, a)
    fac = _spread(rng, 10)
    walk = rng.random() < 0.6
    jog = rng.uniform(0.6, 0.75)
    for i in range(10):
        b.run("work", v * fac[i], DIST_T, 100.0, direction=1, rep=True,
              tau=rng.uniform(0.9, 1.4), wander=0.3)
        role = "rest" if i < 9 else "cooldown"
        if walk:
            b.walk(role, DUR, rng.uniform(45, 90), direction=-1)
        else:
            b.jog(role, DUR, rng.uniform(45, 90), jog, direction=-1)
    b.easy("cooldown", cd, direction=int(rng.choice([-1, 1])), stops=_stops(rng, 0.5))
    return b


def _track_or_road(rng, a, p_track, wu, work_m, rec_m, cd):
    track = rng.random() < p_track
    b = _Builder(rng, a, _road(rng, 0.15), "road", track=track)
    if track:
        laps = int(math.ceil((work_m + rec_m) / 400.0)) + 1
        laps += int(cd * a.ve * rng.uniform(0.0, 0.6) / 400.0)
        b.to_track(wu, laps, _stops(rng, 0.5))
    else:
        b.easy("warmup", wu, stops=_stops(rng, 0.6), warm=True)
    return b


def _p_pyramid(rng, a):
    wu, cd = _wucd(rng)
    dists = [100.0, 200.0, 300.0, 200.0, 100.0]
    b = _track_or_road(rng, a, 0.5, wu, 900, 400, cd)
    base = rng.uniform(1.5, 1.7)
    for i, d in enumerate(dists):
        eff = base * (1 + 0.05 * (300 - d) / 100) * (1 + rng.normal(0, 0.015))
        b.run("work", a.ve * eff, b.dist_end, d, direction=1, rep=True,
              tau=rng.uniform(1.1, 1.8), wander=0.4)
        b.walk("rest" if i < 4 else "cooldown", b.dist_end, 100.0)
    b.easy("cooldown", cd, stops=0 if b.track else _stops(rng, 0.5))
    return b


def _p_track_8x200(rng, a):
    wu, cd = _wucd(rng)
    b = _track_or_road(rng, a, 0.85, wu, 1600, 800, cd)
    eff = rng.uniform(1.5, 1.75)
    fac = _spread(rng, 8)
    for i in range(8):
        b.run("work", a.ve * eff * fac[i], b.dist_end, 200.0, direction=1, rep=True,
              tau=rng.uniform(1.1, 1.8), wander=0.4)
        b.walk("rest" if i < 7 else "cooldown", b.dist_end, 100.0)
    b.easy("cooldown", cd, stops=0 if b.track else _stops(rng, 0.5))
    return b


def _slope_grades(rng, n, lo=4.0, hi=12.0, gap=1.5):
    while True:
        gs = sorted(rng.uniform(lo, hi, n).tolist())
        if all(gs[i + 1] - gs[i] >= gap for i in range(n - 1)):
            return [float(x) for x in rng.permutation(gs)]


def _p_hills_two_slopes(rng, a):
    b = _Builder(rng, a, str(rng.choice(["hilly", "rolling"])), "road")
    nc = int(rng.integers(2, 4))
    grades = _slope_grades(rng, nc)
    wu, cd = _wucd(rng, 12, 22, 8, 15)
    s = b.feature(wu)
    for c in range(nc):
        g = grades[c]
        nrep = int(rng.integers(4, 7))
        dur = round(rng.uniform(30, 80))
        eff = rng.uniform(1.4, 1.7) - 0.1 * (dur - 30) / 50
        fac = _spread(rng, nrep)
        vup = a.ve * eff * max(fac) * _f_run(g, a.k, False)
        b.route.add(dur * vup * 1.3 + 60, g, "straight")
        b.route.add(rng.uniform(80, 300), rng.uniform(-1.5, 1.5))
        if c == 0:
            b.easy_to("warmup", s, stops=_stops(rng, 0.5), warm=True)
        else:
            b.easy_to("rest", s)
        walk_down = rng.random() < 0.5
        jog = rng.uniform(0.75, 0.9)
        for i in range(nrep):
            b.run("work", a.ve * eff * fac[i], DUR, dur, direction=1, rep=True,
                  tau=rng.uniform(1.2, 2.0), wander=0.4)
            role = "cooldown" if c == nc - 1 and i == nrep - 1 else "rest"
            if walk_down:
                b.walk(role, UNTIL, s)
            else:
                b.jog(role, UNTIL, s, jog)
        if c < nc - 1:
            s = b.feature(rng.uniform(3, 8) * 60)
    b.easy("cooldown", cd, direction=int(rng.choice([-1, 1])), stops=_stops(rng, 0.5))
    return b


def _p_hills_6x3min(rng, a):
    b = _Builder(rng, a, str(rng.choice(["hilly", "rolling"])), "road")
    wu, cd = _wucd(rng, 12, 22, 8, 15)
    g = rng.uniform(4, 8)
    ratio = rng.uniform(1.12, 1.18)
    dur = round(rng.uniform(120, 180))
    fac = _spread(rng, 6, 0.05, 0.07)
    eff = ratio / _f_run(g, a.k, False)
    s0 = b.feature(wu)
    b.route.add(dur * a.ve * ratio * max(fac) * 1.2 + 60, g, "road")
    b.route.add(rng.uniform(100, 400), rng.uniform(-1, 1))
    b.easy_to("warmup", s0, stops=_stops(rng, 0.5), warm=True)
    jog = rng.uniform(0.8, 0.95)
    for i in range(6):
        b.run("work", a.ve * eff * fac[i], DUR, dur, direction=1, rep=True,
              tau=rng.uniform(2.0, 3.5), wander=0.5)
        b.jog("rest" if i < 5 else "cooldown", UNTIL, s0, jog)
    b.easy("cooldown", cd, direction=int(rng.choice([-1, 1])), stops=_stops(rng, 0.5))
    return b


def _p_hill_surges(rng, a):
    b = _Builder(rng, a, str(rng.choice(["rolling", "flat"])), "road")
    g = rng.uniform(3, 7)
    n = int(rng.integers(6, 11))
    surges = [round(rng.uniform(30, 90)) for _ in range(n)]
    between = [round(rng.uniform(60, 180)) for _ in range(n - 1)]
    e0 = round(rng.uniform(60, 240))
    eff_e = rng.uniform(0.95, 1.02)
    eff_s = rng.uniform(1.45, 1.75)
    fac = _spread(rng, n)
    f = _f_run(g, a.k, False)
    v_e, v_s = a.ve * eff_e * f, a.ve * eff_s * f
    need = (e0 + sum(between)) * v_e + sum(d * v_s * x for d, x in zip(surges, fac, strict=True))
    climb = max(2000.0, need + rng.uniform(200, 600))
    if climb > 5000:
        return None
    wu = rng.uniform(12, 22) * 60
    s0 = b.feature(wu)
    b.route.add(climb, g, "road")
    b.route.add(rng.uniform(200, 500), rng.uniform(-1, 1))
    b.easy_to("warmup", s0, stops=_stops(rng, 0.5), warm=True)
    b.run("warmup", a.ve * eff_e, DUR, e0, direction=1)
    for i in range(n):
        b.run("work", a.ve * eff_s * fac[i], DUR, surges[i], rep=True,
              tau=rng.uniform(1.5, 3.0), wander=0.4)
        if i < n - 1:
            b.run("rest", a.ve * eff_e, DUR, between[i], tau=3.0)
    b.run("cooldown", a.ve * eff_e, UNTIL, s0 + climb - 1, tau=3.0)
    b.run("cooldown", a.ve * rng.uniform(1.0, 1.1), UNTIL, s0, tau=3.0)
    b.easy("cooldown", rng.uniform(0, 10) * 60, direction=-1, stops=_stops(rng, 0.3))
    return b


def _p_ladder(rng, a):
    wu, cd = _wucd(rng, 12, 22, 8, 15)
    dists = [1200.0, 1000.0, 800.0, 600.0, 400.0]
    if rng.random() < 0.4:
        dists.reverse()
    recs = [round(rng.uniform(90, 180)) for _ in range(4)]
    jog = rng.uniform(0.65, 0.85)
    b = _track_or_road(rng, a, 0.5, wu, 4000, sum(recs) * a.ve * jog, cd)
    e_lo = rng.uniform(1.2, 1.3)
    effs = np.linspace(e_lo, e_lo * rng.uniform(1.07, 1.12), 5) * (1 + rng.normal(0, 0.008, 5))
    for i, d in enumerate(dists):
        b.run("work", a.ve * float(effs[i]), b.dist_end, d, direction=1, rep=True,
              tau=rng.uniform(2.0, 3.5), wander=0.5)
        if i < 4:
            b.jog("rest", DUR, recs[i], jog)
    b.easy("cooldown", cd, stops=0 if b.track else _stops(rng, 0.5))
    return b


def _p_tempo_3x10(rng, a):
    b = _Builder(rng, a, str(rng.choice(["rolling", "flat"])), "road")
    wu, cd = _wucd(rng, 12, 22, 8, 15)
    b.easy("warmup", wu, stops=_stops(rng, 0.6), warm=True)
    eff = rng.uniform(1.16, 1.24)
    fac = _spread(rng, 3, 0.04, 0.07)
    for i in range(3):
        b.run("work", a.ve * min(1.25, max(1.15, eff * fac[i])), DUR, 600, direction=1,
              rep=True, tau=rng.uniform(3, 6), wander=0.6)
        if i < 2:
            b.walk("rest", DUR, rng.uniform(110, 130))
    b.easy("cooldown", cd, stops=_stops(rng, 0.5))
    return b


def _p_track_4x1k_standing(rng, a):
    wu, cd = _wucd(rng, 12, 22, 8, 15)
    n = int(rng.integers(4, 7))
    b = _track_or_road(rng, a, 0.9, wu, 1000 * n, 0, cd)
    eff = rng.uniform(1.3, 1.45)
    fac = _spread(rng, n)
    for i in range(n):
        b.run("work", a.ve * eff * fac[i], b.dist_end, 1000.0, direction=1, rep=True,
              tau=rng.uniform(2.0, 4.0), wander=0.5)
        if i < n - 1:
            b.stand("rest", rng.uniform(60, 120))
    b.easy("cooldown", cd, stops=0 if b.track else _stops(rng, 0.5))
    return b


def _p_track_autolap(rng, a):
    wu, cd = _wucd(rng, 12, 22, 8, 15)
    n = int(rng.integers(6, 13))
    b = _Builder(rng, a, _road(rng, 0.15), "road", track=True)
    b.to_track(wu, int(n * 1.5) + 2 + int(cd * a.ve * rng.uniform(0, 0.6) / 400), _stops(rng, 0.5))
    eff = rng.uniform(1.4, 1.6)
    fac = _spread(rng, n)
    jog = rng.uniform(0.6, 0.85)
    for i in range(n):
        b.run("work", a.ve * eff * fac[i], DIST_T, 400.0, direction=1, rep=True,
              tau=rng.uniform(1.5, 2.5), wander=0.4)
        if i < n - 1:
            b.jog("rest", DIST_T, 200.0, jog)
    b.easy("cooldown", cd)
    return b


def _p_long_reps_long_rests(rng, a):
    wu, cd = _wucd(rng, 12, 20, 8, 12)
    n = int(rng.integers(4, 6))
    b = _track_or_road(rng, a, 0.3, wu, 2000 * n, 0, cd)
    eff = rng.uniform(1.25, 1.4)
    fac = _spread(rng, n)
    rec = rng.uniform(0.8, 0.9)
    for i in range(n):
        b.run("work", a.ve * eff * fac[i], b.dist_end, 2000.0, direction=1, rep=True,
              tau=rng.uniform(2.5, 4.0), wander=0.6)
        if i < n - 1:
            b.jog("rest", DUR, rng.uniform(420, 540), rec)
    b.easy("cooldown", cd, stops=0 if b.track else _stops(rng, 0.5))
    return b


def _p_mixed_recoveries(rng, a):
    wu, cd = _wucd(rng, 12, 22, 8, 15)
    n = int(rng.integers(8, 11))
    b = _track_or_road(rng, a, 0.5, wu, 400 * n, 60 * n, cd)
    kinds = ["walk", "jog", "stand"] + [str(rng.choice(["walk", "jog", "stand"]))
                                        for _ in range(n - 4)]
    kinds = [str(k) for k in rng.permutation(kinds)]
    eff = rng.uniform(1.4, 1.6)
    fac = _spread(rng, n)
    for i in range(n):
        b.run("work", a.ve * eff * fac[i], b.dist_end, 400.0, direction=1, rep=True,
              tau=rng.uniform(1.5, 2.5), wander=0.4)
        if i < n - 1:
            d = rng.uniform(30, 60)
            if kinds[i] == "walk":
                b.walk("rest", DUR, d)
            elif kinds[i] == "jog":
                b.jog("rest", DUR, d, rng.uniform(0.6, 0.8))
            else:
                b.stand("rest", d)
    b.easy("cooldown", cd, stops=0 if b.track else _stops(rng, 0.5))
    return b


def _p_progressive_long(rng, a):
    b = _Builder(rng, a, _road(rng, 0.3), "road")
    b.easy("warmup", rng.uniform(101, 149) * 60, eff=0.9, eff_end=1.15, stops=_stops(rng, 1.5))
    return b


def _p_marathon(rng, a):
    b = _Builder(rng, a, str(rng.choice(["flat", "rolling"])), str(rng.choice(["city", "road"])))
    p = rng.uniform(max(1.05, 2.95 / a.ve), 1.2)
    fade = rng.uniform(-0.02, 0.06)
    total = 42195.0
    b.run("warmup", a.ve * p * 0.85, DIST_T, 400.0, direction=1, speed_end=a.ve * p, tau=4.0)
    done = 400.0
    for st in range(5000, 42195, 5000):
        x0, x1 = done / total, st / total
        b.run("warmup", a.ve * p * (1 + fade * (0.5 - x0)), DIST_T, st - done,
              speed_end=a.ve * p * (1 + fade * (0.5 - x1)), tau=5.0, wander=0.7)
        done = float(st)
        u = rng.random()
        if u < 0.45:
            b.walk("warmup", DUR, rng.uniform(10, 30))
        elif u < 0.65:
            b.jog("warmup", DUR, rng.uniform(20, 40), 0.7)
        elif u < 0.75:
            b.stand("warmup", rng.uniform(5, 20))
    b.run("warmup", a.ve * p * (1 - fade * 0.4), DIST_T, total - done,
          speed_end=a.ve * p * (1 - fade * 0.5), tau=5.0, wander=0.7)
    return b


def _p_trail_long_hilly(rng, a):
    b = _Builder(rng, a, "trail", "trail", trail=True)
    target = rng.uniform(125, 232) * 60
    climb = rng.uniform(650, 1900)
    m = int(rng.integers(3, 9))
    heights = np.maximum(60.0, rng.dirichlet(np.ones(m)) * climb)
    ups, downs = [], []
    for h in heights:
        gu = rng.uniform(6, 24)
        gd = rng.uniform(5, 18)
        ups.append((float(h) / (gu / 100), gu))
        downs.append((float(h) * rng.uniform(0.8, 1.2) / (gd / 100), -gd))
    tmp = _Builder(rng, a, "trail", "trail", trail=True)

    def t_of(length, grade):
        v = tmp._vest(_Seg("x", RUN, a.ve * 0.95, DIST_T, 1.0, hike=True), grade, 0.0)
        return length / max(v, 0.3)

    t_cd = sum(t_of(L, g) for L, g in ups + downs)
    flat_t = target - t_cd
    if flat_t < 600:
        return None
    flat_m = flat_t * a.ve * 0.95
    parts = rng.dirichlet(np.ones(m + 1)) * flat_m
    for i in range(m + 1):
        rem = float(parts[i])
        while rem > 1:
            L = min(rem, rng.uniform(200, 900))
            b.route.add(L, float(np.clip(rng.normal(0, 2.5), -5, 5)))
            rem -= L
        if i < m:
            b.route.add(*ups[i])
            b.route.add(rng.uniform(50, 300), rng.uniform(-2, 2))
            b.route.add(*downs[i])
    end = float(len(b.route) - 1)
    events = sorted(rng.uniform(0.05, 0.95, int(rng.integers(5, 11))).tolist())
    for f in events:
        b.run("warmup", a.ve * rng.uniform(0.92, 1.0), UNTIL, end * f, hike=True, tau=4.0)
        if rng.random() < 0.5:
            b.stand("warmup", rng.uniform(45, 300))
        else:
            b.walk("warmup", DUR, rng.uniform(30, 180))
    b.run("warmup", a.ve * rng.uniform(0.9, 1.0), UNTIL, end, hike=True, tau=4.0)
    return b


def _belt(v: float) -> float:
    return round(v * 3.6, 1) / 3.6


def _p_treadmill_intervals(rng, a):
    b = _Builder(rng, a, "zero", "straight", treadmill=True)
    tau = rng.uniform(3, 6)
    b.run("warmup", _belt(a.ve * rng.uniform(0.95, 1.02)), DUR, rng.uniform(10, 20) * 60, tau=tau)
    n = int(rng.integers(6, 9))
    eff = rng.uniform(1.27, 1.36)
    fac = _spread(rng, n)
    jog = _belt(a.ve * rng.uniform(0.7, 0.85))
    for i in range(n):
        b.run("work", _belt(a.ve * eff * fac[i]), DUR, 180, rep=True, tau=tau)
        b.run("rest" if i < n - 1 else "cooldown", jog, DUR, 90, tau=tau)
    b.run("cooldown", _belt(a.ve * rng.uniform(0.9, 1.0)), DUR, rng.uniform(5, 15) * 60, tau=tau)
    return b


def _p_treadmill_easy(rng, a):
    b = _Builder(rng, a, "zero", "straight", treadmill=True)
    total = rng.uniform(30, 60) * 60
    parts = rng.dirichlet(np.ones(int(rng.integers(1, 4)))) * total
    tau = rng.uniform(3, 6)
    for d in parts:
        b.run("warmup", _belt(a.ve * rng.uniform(0.95, 1.05)), DUR, float(d), tau=tau)
    return b


def _p_easy_traffic(rng, a):
    b = _Builder(rng, a, "flat", "city")
    b.easy("warmup", rng.uniform(30, 70) * 60, stops=int(rng.integers(4, 13)), warm=True,
           surge_p=0.4, stop_range=(10.0, 60.0))
    return b


def _p_easy_hilly(rng, a):
    b = _Builder(rng, a, "hilly", "road")
    b.easy("warmup", rng.uniform(40, 80) * 60, stops=_stops(rng, 0.8), warm=True)
    return b


def _p_easy_plain(rng, a):
    b = _Builder(rng, a, str(rng.choice(["flat", "rolling"])), "road")
    b.easy("warmup", rng.uniform(30, 70) * 60, stops=_stops(rng, 1.0), warm=True)
    return b


def _p_recovery_run(rng, a):
    b = _Builder(rng, a, str(rng.choice(["flat", "rolling"])), "road")
    b.easy("warmup", rng.uniform(25, 40) * 60, stops=_stops(rng, 0.8),
           eff=rng.uniform(0.85, 0.95))
    return b


def _p_nonrun_ride(rng, a):
    b = _Builder(rng, a, str(rng.choice(["rolling", "hilly"])), "road")
    b.easy("warmup", rng.uniform(62, 115) * 60, stops=_stops(rng, 3.0), mode=BIKE,
           speed=rng.uniform(6, 9), eff=1.0, stop_range=(10.0, 60.0))
    return b


_PLANNERS = {
    "easy_strides": _p_easy_strides,
    "hills_10x30": _p_hills_10x30,
    "sprints_10x100": _p_sprints_10x100,
    "pyramid": _p_pyramid,
    "track_8x200": _p_track_8x200,
    "hills_two_slopes": _p_hills_two_slopes,
    "hills_6x3min": _p_hills_6x3min,
    "hill_surges": _p_hill_surges,
    "ladder": _p_ladder,
    "tempo_3x10": _p_tempo_3x10,
    "track_4x1k_standing": _p_track_4x1k_standing,
    "track_autolap": _p_track_autolap,
    "long_reps_long_rests": _p_long_reps_long_rests,
    "mixed_recoveries": _p_mixed_recoveries,
    "progressive_long": _p_progressive_long,
    "marathon": _p_marathon,
    "trail_long_hilly": _p_trail_long_hilly,
    "treadmill_intervals": _p_treadmill_intervals,
    "treadmill_easy": _p_treadmill_easy,
    "easy_traffic": _p_easy_traffic,
    "easy_hilly": _p_easy_hilly,
    "easy_plain": _p_easy_plain,
    "recovery_run": _p_recovery_run,
    "nonrun_ride": _p_nonrun_ride,
}


def _plan(kind: str, rng: np.random.Generator, ath: _Athlete) -> _Builder:
    lo, hi = _KIND_RANGE.get(kind, _MOVING_RANGE[KINDS[kind]])
    last = None
    for _ in range(60):
        b = _PLANNERS[kind](rng, ath)
        if b is None:
            continue
        last = b
        if lo <= b.est_mov / 60.0 <= hi:
            return b
    if last is None:
        raise RuntimeError(f"no plan for {kind}")
    return last


# ---------------------------------------------------------------------------------------------
# Simulation


@dataclass
class _Sim:
    T: int
    V: list[float]  # speed at each second
    Z: list[float]  # true altitude
    FX: list[float | None]  # GPS fix (m, local frame) or None
    FY: list[float | None]
    WD: list[float]  # the watch's cumulative distance
    R: list[float]  # effort relative to easy (for HR)
    MD: list[int]  # effective mode
    HD: list[float]  # heading of motion
    CX: list[float]  # drill cadence
    GR: list[float]  # grade in the direction of motion
    moving: int
    log: list[tuple[int, float, float, float, float]]  # (seg, t0, t1, d0, d1)
    gap: list[bool]  # no samples at all (a recording gap)


def _simulate(b: _Builder, rng: np.random.Generator) -> _Sim:
    a = b.ath
    ve = a.ve
    treadmill = b.treadmill
    trail = b.trail
    segs = b.segs
    b.route.ensure(b.maxs + max(2000.0, 0.3 * b.maxs))
    RX, RY, RZ, RH = b.route.build()
    smax = float(len(RZ) - 3)

    nmax = int(b.est_t * 1.6) + 1200
    W = _ar1(rng, nmax, rng.uniform(30, 90))
    w_sd = rng.uniform(0.02, 0.035)
    W = [w * w_sd for w in W]
    sig = rng.uniform(2.0, 5.0)
    t1, t2 = rng.uniform(15, 60), rng.uniform(3, 8)
    NX = [sig * v for v in _smooth(rng, nmax, t1, t2)]
    NY = [sig * v for v in _smooth(rng, nmax, t1, t2)]
    alpha = rng.uniform(0.35, 0.7)
    # The watch's distance: smoothed GPS, with a calibration-like bias on top of its noise.
    cw = 1.0 + rng.choice([-1.0, 1.0]) * rng.uniform(0.005, 0.02)
    fp_gain = 1.0 + rng.choice([-1.0, 1.0]) * rng.uniform(0.01, 0.05)
    fp_slope = rng.uniform(-0.015, 0.015)
    drop = [False] * nmax
    gap = [False] * nmax
    if not treadmill:
        for _ in range(int(rng.poisson(max(0.3, b.est_t / 3600.0 * 0.9)))):
            st = int(rng.uniform(60, max(61.0, b.est_t - 60)))
            ln = int(rng.uniform(5, 31))
            is_gap = rng.random() < 0.3
            for k in range(st, min(nmax, st + ln)):
                drop[k] = True
                gap[k] = is_gap
    spike = (not treadmill) and rng.random() < 0.2
    sp_m = rng.uniform(40, 250) if spike else 0.0
    sp_ang = rng.uniform(0, _TWO_PI)
    sp_tau = rng.uniform(2, 6)
    sp_n = int(sp_tau * 8) if spike else 0
    spx, spy = sp_m * math.cos(sp_ang), sp_m * math.sin(sp_ang)

    a_dec = 1.0 - math.exp(-1.0 / a.tau_dec)
    k_up = a.k
    hike_thr = a.hike_thr
    vvert = a.vvert

    t = 0
    s = 0.0
    dirn = 1
    v = 0.0
    true_d = 0.0
    wd = 0.0
    fx0 = None if treadmill else RX[0] + NX[0] + spx
    fy0 = None if treadmill else RY[0] + NY[0] + spy
    sx, sy = (fx0 or 0.0), (fy0 or 0.0)
    V, Z, FX, FY, WD = [0.0], [RZ[0]], [fx0], [fy0], [0.0]
    R, MD, HD, CX, GR = [0.0], [STAND], [RH[0]], [0.0], [0.0]
    log: list[tuple[int, float, float, float, float]] = []
    moving = 0
    hiking = False
    si = 0
    nseg = len(segs)
    init = True
    tcap = int(b.est_t * 4) + 3600
    seg = segs[0]
    mode = end = 0
    val = sp0 = dsp = span = 0.0
    a_up = a_dn = 0.5
    wsc = 0.0
    t0 = 0
    d0 = w0 = s0 = 0.0
    hike = False
    cadx = 0.0
    while si < nseg:
        if init:
            seg = segs[si]
            mode, end, val = seg.mode, seg.end, seg.value
            if end == UNTIL:
                if abs(val - s) < 0.5:
                    log.append((si, float(t), float(t), true_d, true_d))
                    si += 1
                    continue
                dirn = 1 if val > s else -1
                span = abs(val - s)
            elif seg.direction:
                dirn = seg.direction
            sp0 = seg.speed
            dsp = (seg.speed_end - sp0) if seg.speed_end is not None else 0.0
            a_up = 1.0 - math.exp(-1.0 / seg.tau)
            a_dn = a_up if treadmill else a_dec
            wsc = 0.0 if treadmill else seg.wander
            hike = seg.hike
            cadx = seg.cadence
            t0, d0, w0, s0 = t, true_d, wd, s
            init = False
        if dsp:
            if end == DUR:
                p = (t - t0) / val
            elif end == UNTIL:
                p = abs(s - s0) / span
            elif end == DIST_T:
                p = (true_d - d0) / val
            else:
                p = (wd - w0) / val
            sp = sp0 + dsp * min(1.0, p)
        else:
            sp = sp0
        i = int(s)
        g = 0.0 if treadmill else (RZ[i + 1] - RZ[i]) * 100.0 * dirn
        emode = mode
        if mode == RUN:
            if hike:
                hiking = g > hike_thr - 1.5 if hiking else g > hike_thr
            if hike and hiking:
                target = min(1.45, max(0.55, vvert * 100.0 / g))
                emode = HIKE
                inten = target / ve * (1.0 + 0.08 * g)
            else:
                eff = sp * (1.0 + wsc * W[t])
                if treadmill or g == 0.0:
                    target = eff
                elif g > 0.0:
                    target = eff * max(0.35, 1.0 - k_up * g)
                else:
                    target = eff * _f_run(g, k_up, trail)
                inten = eff / ve * (0.9 if g < -3.0 else 1.0)
        elif mode == WALK:
            target = sp * (1.0 + 0.5 * wsc * W[t]) * _f_walk(g)
            inten = target / ve * (1.0 + 0.06 * max(g, 0.0))
        elif mode == STAND:
            target = 0.0
            inten = 0.0
        elif mode == DRILL:
            target = sp * (1.0 + wsc * W[t])
            inten = 0.85
        else:
            target = sp * (1.0 + wsc * W[t]) * _f_bike(g)
            if g < -3.5:
                emode = COAST
                inten = 0.35
            else:
                inten = min(1.3, max(0.3, 0.8 * (1.0 + 0.06 * g)))
        vn = v + (target - v) * (a_up if target > v else a_dn)
        if target <= 0.0 and vn < 0.25:
            vn = 0.0
            inten = 0.0
            emode = STAND
        ds = 0.5 * (v + vn)
        s_prev = s
        s += dirn * ds
        if s < 0.0:
            s = -s
            dirn = 1
        elif s > smax:
            s = 2 * smax - s
            dirn = -1
        true_d += ds
        if ds > 0.5:
            moving += 1
        v = vn
        t += 1
        if t >= nmax - 1:
            extra = nmax
            W += [w_sd * w for w in _ar1(rng, extra, 60.0)]
            NX += [sig * x for x in _smooth(rng, extra, t1, t2)]
            NY += [sig * x for x in _smooth(rng, extra, t1, t2)]
            drop += [False] * extra
            gap += [False] * extra
            nmax += extra
        i = int(s)
        fr = s - i
        x = RX[i] + fr * (RX[i + 1] - RX[i])
        y = RY[i] + fr * (RY[i + 1] - RY[i])
        z = RZ[i] + fr * (RZ[i + 1] - RZ[i])
        wd_prev = wd
        if treadmill:
            wd += ds * (fp_gain + fp_slope * (v - ve) + 0.015 * NX[t] / sig)
            fx = fy = None
        elif drop[t]:
            fx = fy = None
        else:
            fx = x + NX[t]
            fy = y + NY[t]
            if t < sp_n:
                dec = math.exp(-t / sp_tau)
                fx += spx * dec
                fy += spy * dec
            nx = sx + alpha * (fx - sx)
            ny = sy + alpha * (fy - sy)
            wd += cw * math.hypot(nx - sx, ny - sy)
            sx, sy = nx, ny
        V.append(v)
        Z.append(z)
        FX.append(fx)
        FY.append(fy)
        WD.append(wd)
        R.append(inten)
        MD.append(emode)
        HD.append(RH[i] if dirn > 0 else RH[i] + math.pi)
        CX.append(cadx)
        GR.append(g)
        done = False
        te = de = 0.0
        if end == DUR:
            if t - t0 >= val:
                done, te, de = True, float(t), true_d
        elif end == DIST_T:
            if true_d - d0 >= val:
                f2 = 1.0 - (true_d - d0 - val) / ds if ds > 0 else 1.0
                done, te, de = True, t - 1 + f2, d0 + val
        elif end == DIST_W:
            if wd - w0 >= val:
                dw = wd - wd_prev
                f2 = 1.0 - (wd - w0 - val) / dw if dw > 0 else 1.0
                done, te, de = True, t - 1 + f2, true_d - ds * (1.0 - f2)
        elif (s - val) * (s_prev - val) <= 0.0:
            f2 = abs(val - s_prev) / abs(s - s_prev) if s != s_prev else 1.0
            done, te, de = True, t - 1 + min(1.0, f2), true_d - ds * (1.0 - min(1.0, f2))
        if done:
            log.append((si, float(t0), te, d0, de))
            si += 1
            init = True
        if t > tcap:
            break
    return _Sim(t, V, Z, FX, FY, WD, R, MD, HD, CX, GR, moving, log, gap[: t + 1])


# ---------------------------------------------------------------------------------------------
# Sensors and recording


def _heart_rate(sim: _Sim, a: _Athlete, rng: np.random.Generator) -> list[float | None]:
    R = np.asarray(sim.R)
    ef = a.easy_frac
    frac = np.where(R <= 1.0, 0.15 + (ef - 0.15) * R, np.minimum(1.0, ef + 0.62 * (R - 1.0)))
    tt = np.arange(sim.T + 1, dtype=float)
    target = a.hr_rest + (a.hr_max - a.hr_rest) * frac
    target += a.drift * np.maximum(0.0, tt - 900.0) / 3600.0
    target = target.tolist()
    up = 1.0 - math.exp(-1.0 / a.tau_hr)
    dn = 1.0 - math.exp(-1.0 / (a.tau_hr * rng.uniform(1.0, 1.5)))
    noise = _ar1(rng, sim.T + 1, 8.0)
    sd = rng.uniform(0.8, 2.0)
    hr = a.hr_rest + rng.uniform(15, 40)
    out: list[float | None] = [0.0] * (sim.T + 1)
    top = a.hr_max + 2.0
    for i in range(sim.T + 1):
        tg = target[i]
        hr += (tg - hr) * (up if tg > hr else dn)
        out[i] = min(top, max(40.0, hr + sd * noise[i]))
    if rng.random() < 0.1:  # strap drop-outs
        for _ in range(int(rng.integers(1, 4))):
            st = int(rng.uniform(0, sim.T))
            for k in range(st, min(sim.T + 1, st + int(rng.uniform(5, 60)))):
                out[k] = None
    return out


def _cadence(sim: _Sim, a: _Athlete, rng: np.random.Generator, bike_rpm: float) -> list[float]:
    V = np.asarray(sim.V)
    MD = np.asarray(sim.MD)
    CX = np.asarray(sim.CX)
    n = len(V)
    noise = rng.normal(0, 1.0, n)
    run = np.clip(a.cad0 + a.cad_slope * (V - a.ve), 70, 102)
    run = np.where(V < 1.2, 55.0 + 4 * V, run)
    walk = np.where(V < 0.3, 0.0, np.clip(52 + 6 * (V - 1.3), 40, 65))
    hike = np.full(n, rng.uniform(46, 54))
    bike = np.where(V < 1.0, 0.0, np.full(n, bike_rpm))
    cad = np.select(
        [MD == RUN, MD == WALK, MD == HIKE, MD == DRILL, MD == BIKE, MD == COAST],
        [run, walk, hike, CX, bike, np.zeros(n)],
        default=0.0,
    )
    cad = np.where(cad > 0, np.round(cad + noise), 0.0)
    return cad.tolist()


def _altitude(sim: _Sim, rng: np.random.Generator) -> tuple[list[float | None], str]:
    n = sim.T + 1
    Z = np.asarray(sim.Z)
    tt = np.arange(n, dtype=float)
    if rng.random() < 0.7:
        rate = rng.choice([-1.0, 1.0]) * rng.uniform(8, 25)
        wander = np.asarray(_ar1(rng, n, 1500.0)) * rng.uniform(1.0, 4.0)
        noise = np.asarray(_smooth(rng, n, rng.uniform(50, 120), rng.uniform(12, 25)))
        alt = Z + rng.uniform(-25, 25) + rate * tt / 3600.0 + wander
        alt += rng.uniform(0.2, 0.8) * noise
        alt = np.round(alt * 5.0) / 5.0
        return [float(round(x, 1)) for x in alt], "baro"
    noise = np.asarray(_smooth(rng, n, rng.uniform(200, 400), rng.uniform(40, 80)))
    alt = Z + rng.uniform(-15, 15) + rng.uniform(5, 10) * noise
    alt = np.round(alt * 5.0) / 5.0
    out: list[float | None] = [float(round(x, 1)) for x in alt]
    for i, f in enumerate(sim.FX):
        if f is None:
            out[i] = None
    return out, "gps"


def _sample_times(sim: _Sim, smart: bool, rng: np.random.Generator) -> list[int]:
    T = sim.T
    gap = sim.gap
    if not smart:
        idx = [t for t in range(T + 1) if not gap[t]]
    else:
        V, HD = sim.V, sim.HD
        u = rng.random(T + 1).tolist()
        gaps = rng.integers(3, 8, T + 1).tolist()
        thr_v = rng.uniform(0.35, 0.6)
        thr_h = math.radians(rng.uniform(15, 30))
        idx = [0]
        last = 0
        want = gaps[0]
        for t in range(1, T + 1):
            if gap[t]:
                continue
            dt = t - last
            if dt >= want:
                rec = True
            else:
                dh = abs((HD[t] - HD[last] + math.pi) % _TWO_PI - math.pi)
                rec = abs(V[t] - V[last]) > thr_v or dh > thr_h or (dt >= 2 and u[t] < 0.06)
            if rec:
                idx.append(t)
                last = t
                want = gaps[t]
    if not idx or idx[0] != 0:
        idx.insert(0, 0)
    if idx[-1] != T:
        idx.append(T)
    return idx


def _lap(index: int, a: int, b: int, sim: _Sim, hr: list[float | None] | None,
         intensity: str | None) -> LapRecord:
    dist = sim.WD[b] - sim.WD[a]
    el = b - a
    mov = sum(1 for k in range(a, b) if sim.V[k] + sim.V[k + 1] > 1.0)
    avg = mx = None
    if hr is not None:
        vals = [h for h in hr[a : b + 1] if h is not None]
        if vals:
            avg, mx = round(sum(vals) / len(vals), 1), float(round(max(vals)))
    return LapRecord(index=index, start_offset_s=float(a), elapsed_s=float(el),
                     moving_s=float(mov), distance_m=round(dist, 1), avg_hr=avg, max_hr=mx,
                     avg_speed=round(dist / el, 3) if el > 0 else 0.0, intensity=intensity)


def _auto_laps(sim: _Sim, hr, every: float) -> list[LapRecord]:
    bounds = [0]
    nxt = every
    for t, d in enumerate(sim.WD):
        if d >= nxt and t > bounds[-1]:
            bounds.append(t)
            nxt += every
    if bounds[-1] != sim.T:
        bounds.append(sim.T)
    return [_lap(i, bounds[i], bounds[i + 1], sim, hr, None) for i in range(len(bounds) - 1)]


_INTENSITY = {"warmup": "warmup", "work": "active", "rest": "rest", "cooldown": "cooldown"}


def _segment_laps(sim: _Sim, segs: list[_Seg], hr, manual: bool,
                  rng: np.random.Generator) -> list[LapRecord]:
    groups: list[tuple[str, float, float]] = []  # role, start, end
    for si, t0, t1, _d0, _d1 in sim.log:
        role = segs[si].role
        if groups and groups[-1][0] == role and role != "work":
            groups[-1] = (role, groups[-1][1], t1)
        else:
            groups.append((role, t0, t1))
    bounds = [0]
    for _role, st, _en in groups[1:]:
        tb = float(math.ceil(st - 1e-9))
        if manual:
            tb += rng.choice([-1.0, 1.0]) * rng.uniform(0.0, 3.0)
        bounds.append(int(round(tb)))
    bounds.append(sim.T)
    clean = [0]
    roles = [groups[0][0]] if groups else ["warmup"]
    for k, bd in enumerate(bounds[1:-1]):
        if clean[-1] < bd < sim.T:
            clean.append(bd)
            roles.append(groups[k + 1][0])
    clean.append(sim.T)
    return [
        _lap(i, clean[i], clean[i + 1], sim, hr, None if manual else _INTENSITY[roles[i]])
        for i in range(len(clean) - 1)
    ]


def _seed_rngs(kind: str, seed: int) -> list[np.random.Generator]:
    ss = np.random.SeedSequence([zlib.crc32(kind.encode()), int(seed) % (2**63)])
    return [np.random.default_rng(s) for s in ss.spawn(6)]


def generate(kind: str, seed: int, *, smart: bool | None = None) -> Session:
    """One session of a kind; deterministic in (kind, seed, smart). The same seed with smart on
    or off gives the same run, recorded differently."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known: {sorted(KINDS)}")
    label = KINDS[kind]
    plan_rng, sim_rng, env_rng, samp_rng, coin_rng, lap_rng = _seed_rngs(kind, seed)
    if smart is None:
        smart = bool(coin_rng.random() < 0.5)
    lo, hi = _ATHLETE_SPEED.get(kind, (2.4, 3.6))
    ath = _athlete(plan_rng, lo, hi)
    b = _plan(kind, plan_rng, ath)
    sim = _simulate(b, sim_rng)

    has_hr = env_rng.random() >= 0.05
    hr1 = _heart_rate(sim, ath, env_rng)
    bike_rpm = float(env_rng.uniform(75, 95))
    cad1 = _cadence(sim, ath, env_rng, bike_rpm)
    alt1, altimeter = (None, "none") if b.treadmill else _altitude(sim, env_rng)
    lat0 = float(env_rng.uniform(35, 60))
    lng0 = float(env_rng.uniform(-10, 25))
    kx = _M_PER_DEG * math.cos(math.radians(lat0))
    start = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(
        days=int(env_rng.integers(0, 1000)), seconds=int(env_rng.uniform(5.5, 20.5) * 3600)
    )

    idx = _sample_times(sim, smart, samp_rng)
    cols: dict[str, list[float | None]] = {
        "time": [float(t) for t in idx],
        "distance": [round(sim.WD[t], 1) for t in idx],
    }
    if not b.treadmill:
        cols["lat"] = [None if sim.FY[t] is None else round(lat0 + sim.FY[t] / _M_PER_DEG, 7)
                       for t in idx]
        cols["lng"] = [None if sim.FX[t] is None else round(lng0 + sim.FX[t] / kx, 7)
                       for t in idx]
        cols["altitude"] = [alt1[t] for t in idx]
    if has_hr:
        cols["heartrate"] = [None if hr1[t] is None else float(round(hr1[t])) for t in idx]
    cols["cadence"] = [cad1[t] for t in idx]

    gain = None
    if not b.treadmill:
        gain = 0.0
        prev = None
        for x in cols["altitude"]:
            if x is None:
                continue
            if prev is not None and x > prev:
                gain += x - prev
            prev = x
        gain = round(gain, 1)

    hr_vals = [h for h in cols.get("heartrate", []) if h is not None]
    hr_for_laps = hr1 if has_hr else None
    if kind == "track_autolap":
        lap_mode = "auto400"
    elif label in ("interval", "hill") and lap_rng.random() < 0.5:
        lap_mode = "workout" if lap_rng.random() < 0.5 else "manual"
    else:
        lap_mode = "auto1k" if lap_rng.random() < 0.5 else "none"
    if lap_mode == "auto400":
        laps = _auto_laps(sim, hr_for_laps, 400.0)
    elif lap_mode == "auto1k":
        laps = _auto_laps(sim, hr_for_laps, 1000.0)
    elif lap_mode in ("workout", "manual"):
        laps = _segment_laps(sim, b.segs, hr_for_laps, lap_mode == "manual", lap_rng)
    else:
        laps = []

    if kind == "nonrun_ride":
        sport = "Ride"
    elif b.treadmill:
        sport = "VirtualRun"
    elif b.trail:
        sport = "TrailRun"
    else:
        sport = "Run"
    record = ActivityRecord(
        source="file",
        source_id=f"indep-{kind}-{seed}",
        start_utc=start,
        sport_type=sport,
        name="",
        distance_m=round(sim.WD[sim.T], 1),
        moving_s=float(sim.moving),
        elapsed_s=float(sim.T),
        elevation_gain_m=gain,
        avg_hr=round(sum(hr_vals) / len(hr_vals), 1) if hr_vals else None,
        max_hr=max(hr_vals) if hr_vals else None,
        trainer=b.treadmill,
        streams=Streams(columns=cols),
        laps=laps,
    )
    reps = [
        (round(t0, 2), round(t1, 2), round(d1 - d0, 2))
        for si, t0, t1, d0, d1 in sim.log
        if b.segs[si].rep
    ]
    meta = {"laps": lap_mode, "altimeter": altimeter, "true_distance_m": round(sum(
        0.5 * (sim.V[k] + sim.V[k + 1]) for k in range(sim.T)), 1)}
    return Session(kind, label, record, reps, smart, easy_speed=round(ath.ve, 3), meta=meta)


def _quotas(n: int) -> dict[str, int]:
    counts = {lab: sum(1 for k in KINDS.values() if k == lab) for lab in LABEL_WEIGHTS}
    q = {lab: max(counts[lab], int(math.floor(w * n))) for lab, w in LABEL_WEIGHTS.items()}
    while sum(q.values()) < n:
        lab = max(LABEL_WEIGHTS, key=lambda x: LABEL_WEIGHTS[x] * n - q[x])
        q[lab] += 1
    while sum(q.values()) > n:
        lab = max((x for x in q if q[x] > counts[x]), key=lambda x: q[x] - LABEL_WEIGHTS[x] * n)
        q[lab] -= 1
    return q


def sessions(n: int, seed: int) -> list[Session]:
    """n sessions: every kind once when n allows, then kinds drawn so that the labels follow
    LABEL_WEIGHTS (easy, hill, interval and long each >= 15 %); smart recording on ~50 %."""
    rng = np.random.default_rng(np.random.SeedSequence([0x1DE9, int(seed) % (2**63)]))
    kinds = list(KINDS)
    if n >= len(kinds):
        q = _quotas(n)
        chosen = list(kinds)
        for lab, want in q.items():
            pool = [k for k in kinds if KINDS[k] == lab]
            extra = want - len(pool)
            chosen += pool * (extra // len(pool))
            chosen += [str(k) for k in rng.permutation(pool)[: extra % len(pool)]]
    else:
        by_label = {lab: [str(k) for k in rng.permutation([k for k in kinds if KINDS[k] == lab])]
                    for lab in LABEL_WEIGHTS}
        chosen = []
        order = sorted(LABEL_WEIGHTS, key=lambda x: -LABEL_WEIGHTS[x])
        while len(chosen) < n:
            for lab in order:
                if by_label[lab] and len(chosen) < n:
                    chosen.append(by_label[lab].pop())
    chosen = [str(k) for k in rng.permutation(chosen)]
    out = []
    for kind in chosen:
        smart = bool(rng.random() < 0.5)
        out.append(generate(kind, int(rng.integers(0, 2**31)), smart=smart))
    return out


if __name__ == "__main__":
    t_start = _time.perf_counter()
    ss = sessions(200, 1)
    took = _time.perf_counter() - t_start
    from collections import Counter

    print(f"sessions(200, 1): {took:.1f} s")
    kinds_c = Counter(s.kind for s in ss)
    labels_c = Counter(s.label for s in ss)
    for k in KINDS:
        print(f"  {k:24s} {kinds_c[k]:3d}")
    print("labels:", {k: f"{v / len(ss):.0%}" for k, v in labels_c.items()})
    print(f"smart: {sum(s.smart for s in ss) / len(ss):.0%}")
    mov = [s.record.moving_s / 60 for s in ss]
    el = [s.record.elapsed_s / 60 for s in ss]
    print(f"mean moving {sum(mov) / len(mov):.1f} min, mean elapsed {sum(el) / len(el):.1f} min")
    shown = 0
    for s in ss:
        if not s.reps or shown >= 3:
            continue
        shown += 1
        r0 = s.reps[0]
        dur = r0[1] - r0[0]
        rec = s.record
        print(
            f"  {s.kind}: {rec.distance_m / 1000:.2f} km, moving {rec.moving_s / 60:.1f} min, "
            f"{len(s.reps)} reps, first rep {dur:.1f} s / {r0[2]:.0f} m at "
            f"{r0[2] / dur / s.easy_speed:.2f}x easy, smart={s.smart}, "
            f"{len(rec.streams)} samples, laps={s.meta['laps']}"
        )
