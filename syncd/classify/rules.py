"""The decision: evidence, strongest first, to one label with reasons a person can check.

Order of evidence: not a run -> other; Strava race tag -> race; the watch's structured workout
(rest-tagged laps); the streams (reps, hill structure, duration); without usable streams the
summary, the athlete's workout_type and the name's workout words, at lower confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from syncd.classify.features import Track, build_track
from syncd.classify.hills import hill_check
from syncd.classify.laps import alternating_reps, tagged_reps
from syncd.classify.model import AthleteProfile, Classification, ClassifyInput, Rep
from syncd.classify.names import NameHint, read_name
from syncd.classify.reference import own_easy_effort, reference_effort
from syncd.classify.reps import RepFinding, find_reps
from syncd.classify.thresholds import Thresholds
from syncd.sources.records import RUN_SPORTS

VERSION = "2.0.0"


def fmt_duration(seconds: float) -> str:
    m = int(round(seconds / 60.0))
    return f"{m // 60} h {m % 60:02d} min" if m >= 60 else f"{m} min"


def _range(values: list[float], fmt: str) -> str:
    lo, hi = min(values), max(values)
    return format(lo, fmt) if format(lo, fmt) == format(hi, fmt) else \
        f"{format(lo, fmt)}-{format(hi, fmt)}"


def describe_reps(reps: list[Rep], what: str) -> str:
    """'9 fast reps of 16-38 s at 5.9-6.8 m/s with walked recoveries'."""
    durs = [r.duration_s for r in reps]
    dur = (f"{_range(durs, '.0f')} s" if max(durs) < 120
           else f"{_range([d / 60 for d in durs], '.1f')} min")
    text = f"{len(reps)} {what} of {dur} at {_range([r.mean_speed for r in reps], '.1f')} m/s"
    kinds = [r.recovery_kind for r in reps if r.recovery_kind]
    if kinds:
        top = max(set(kinds), key=kinds.count)
        text += {"walk": " with walked recoveries", "jog": " with jogged recoveries",
                 "stand": " with standing recoveries"}[top]
    return text


def hr_zone(hr: float, profile: AthleteProfile) -> str | None:
    """Zone 1-5 by heart-rate reserve (Karvonen), or by % of threshold HR if configured."""
    if profile.threshold_hr:
        pct = hr / profile.threshold_hr
        bounds = (0.85, 0.90, 0.95, 1.00)  # Friel-like: Z2 from 85 % of LTHR, Z5 above LTHR
    elif profile.max_hr and profile.resting_hr and profile.max_hr > profile.resting_hr:
        pct = (hr - profile.resting_hr) / (profile.max_hr - profile.resting_hr)
        bounds = (0.60, 0.70, 0.80, 0.90)  # Karvonen 50-60-70-80-90 % HRR
    else:
        return None
    return f"zone {1 + sum(pct >= b for b in bounds)}"


def _duration_label(moving_s: float | None, th: Thresholds) -> tuple[str, float]:
    """easy or long from moving time; confidence grows with the distance from the line."""
    if moving_s is None:
        return "easy", th.weak_confidence
    margin = abs(moving_s - th.long_run_minutes * 60.0) / 1200.0  # 20 min away: sure
    conf = 0.6 + 0.35 * min(1.0, margin)
    return ("long" if moving_s >= th.long_run_minutes * 60.0 else "easy"), conf


def _summary_reason(inp: ClassifyInput, moving_s: float | None, climb: float | None) -> str:
    parts = []
    if moving_s:
        parts.append(f"moving {fmt_duration(moving_s)}")
    if inp.distance_m:
        parts.append(f"{inp.distance_m / 1000:.1f} km")
    if climb is not None and climb >= 1:
        parts.append(f"{climb:,.0f} m climbed")
    return ", ".join(parts)


def _climb(track: Track | None, inp: ClassifyInput) -> float | None:
    if inp.elevation_gain_m is not None:
        return inp.elevation_gain_m
    if track is not None and track.alt is not None:
        d = np.diff(track.alt)
        return float(d[d > 0].sum())
    return None


@dataclass
class _Run:
    """What every step of the decision reads: the input, its track and what is said of it."""

    inp: ClassifyInput
    th: Thresholds
    track: Track | None = None
    notes: list[str] = field(default_factory=list)
    moving_s: float | None = None
    hint: NameHint = field(default_factory=lambda: NameHint(None))
    summary: str = ""

    def done(self, label: str, conf: float, reasons: list[str], reps: list[Rep] | None = None,
             ) -> Classification:
        reps = reps or []
        track, inp = self.track, self.inp
        wu = cd = None
        if reps and track is not None:
            wu = max(0.0, reps[0].start_s - float(track.t[0]))
            cd = max(0.0, float(track.t[-1]) - reps[-1].end_s)
        elif reps and inp.elapsed_s:
            wu, cd = reps[0].start_s, max(0.0, inp.elapsed_s - reps[-1].end_s)
        easy = own_easy_effort(track, self.th) if track is not None else None
        return Classification(label=label, confidence=round(min(1.0, max(0.0, conf)), 3),
                              reasons=reasons, reps=reps, version=VERSION, warmup_s=wu,
                              cooldown_s=cd, easy_effort=easy)


def classify_input(inp: ClassifyInput, profile: AthleteProfile, th: Thresholds) -> Classification:
    """See module docstring. Never raises on bad streams: unusable parts become reasons."""
    run = _Run(inp, th)
    if inp.sport_type not in RUN_SPORTS:
        return run.done("other", 1.0, [f"{inp.sport_type or 'unknown sport'} is not a run"])
    run.track, run.notes = build_track(inp.streams, th)
    track = run.track
    run.moving_s = inp.moving_s
    if track is not None and (run.moving_s is None or run.moving_s <= 0):
        run.moving_s = track.moving_s
    run.hint = read_name(inp.name)
    run.summary = _summary_reason(inp, run.moving_s, _climb(track, inp))

    if inp.workout_type == 1:
        reasons = ["tagged as a race by the athlete (Strava workout_type 1)"]
        return run.done("race", 0.95, reasons + ([run.summary] if run.summary else []))

    lap_reps = tagged_reps(track, inp.laps, th)
    if lap_reps:
        label, why = _rep_label(track, lap_reps, th, run.hint)
        reasons = [f"the watch's workout: {len(lap_reps)} active laps with rest laps between",
                   describe_reps(lap_reps, "reps"), why, _wu_cd(lap_reps, track, inp)]
        return run.done(label, 0.95, [r for r in reasons if r], lap_reps)

    if track is None:
        return _without_streams(inp, run.moving_s, run.hint, run.notes, run.summary, th,
                                run.done)

    ref, ref_from = reference_effort(track, profile, th)
    ref_text = f"easy effort {ref:.2f} m/s from {ref_from}" if ref else ""
    lap_reps, lap_why = alternating_reps(track, inp.laps, ref, th)
    if lap_reps:
        label, why = _rep_label(track, lap_reps, th, run.hint)
        reasons = [f"{len(lap_reps)} fast laps with slower laps between (a lap per rep)",
                   describe_reps(lap_reps, "reps"), why, _wu_cd(lap_reps, track, inp), ref_text]
        return run.done(label, 0.9, _clean(reasons + run.notes), lap_reps)

    treadmill = inp.trainer or inp.sport_type == "VirtualRun"
    long_run = run.moving_s is not None and run.moving_s >= th.long_run_minutes * 60.0
    finding = find_reps(track, ref, ref_from, th, treadmill=treadmill, long_run=long_run)
    reps = finding.reps
    short = [r for r in reps if r.distance_m <= th.stride_max_m and r.duration_s <= th.stride_max_s]
    if (len(reps) >= th.min_reps and len(short) <= th.max_strides
            and len(reps) - len(short) < th.min_reps):
        note = f"{len(short)} strides {_where(short, track)} do not make a session"
        label, conf = _duration_label(run.moving_s, th)
        return run.done(label, max(conf, 0.75), _clean([run.summary, note, *run.notes]), [])
    work = sum(r.duration_s for r in reps)
    if len(reps) >= th.min_reps and work / max(track.moving_s, 1.0) >= th.min_work_fraction:
        return _session(run, finding, ref_text)
    return _no_session(run, finding, ref_text, lap_why)


def _session(run: _Run, finding: RepFinding, ref_text: str) -> Classification:
    """A session found in the streams: its reps, and why they are reps."""
    reps, th, hint = finding.reps, run.th, run.hint
    label, why = _rep_label(run.track, reps, th, hint)
    conf = min(0.95, 0.7 + 0.04 * (len(reps) - th.min_reps))
    reasons = [describe_reps(reps, "fast reps"), why, _wu_cd(reps, run.track, run.inp), ref_text]
    if finding.strides:
        reasons.append(f"{finding.strides} strides around the set not counted")
    if finding.restarts:
        reasons.append(f"{finding.restarts} surges after stops not counted")
    if hint.label in ("interval", "hill") and not hint.weak:
        conf = min(0.98, conf + 0.05)
        reasons.append(f"the name says '{hint.words}'")
    if run.inp.workout_type == 3:
        reasons.append("tagged as a workout by the athlete")
    return run.done(label, conf, _clean(reasons + run.notes), reps)


def _no_session(run: _Run, finding: RepFinding, ref_text: str, lap_why: str) -> Classification:
    """easy or long by moving time, with why the fast efforts seen are not a session."""
    th, reps, track = run.th, finding.reps, run.track
    assert track is not None
    label, conf = _duration_label(run.moving_s, th)
    reasons = [f"{run.summary}, no repeat structure" if run.summary else "no repeat structure"]
    if finding.restarts:
        reasons.append(f"{finding.restarts} surge{'s' if finding.restarts > 1 else ''} after "
                       "stops not counted as reps (stops are not recoveries)")
    seen = reps or finding.rejected_reps
    strides = [r for r in seen
               if r.distance_m <= th.stride_max_m and r.duration_s <= th.stride_max_s]
    work = sum(r.duration_s for r in reps)
    if seen and len(strides) == len(seen) and len(seen) <= th.max_strides:
        reasons.append(f"{len(seen)} stride{'s' if len(seen) > 1 else ''} "
                       f"{_where(seen, track)} do{'es' if len(seen) == 1 else ''} not make a "
                       "session")
    elif finding.rejected:
        reasons.append(finding.rejected)
    elif lap_why:
        reasons.append(lap_why)
    elif len(reps) >= th.min_reps:
        reasons.append(f"{len(reps)} fast efforts are only "
                       f"{100 * work / max(track.moving_s, 1.0):.0f} % of the moving time: "
                       "not a session")
    elif reps:
        reasons.append(f"{len(reps)} fast effort{'s are' if len(reps) > 1 else ' is'} too few "
                       "for a session")
    inp, hint = run.inp, run.hint
    if inp.workout_type == 3:
        reasons.append("tagged as a workout, but the streams show no repeat structure")
        conf -= 0.1
    if inp.workout_type == 2 and label != "long":
        reasons.append(f"tagged as a long run, but moving under {th.long_run_minutes:g} min")
        conf -= 0.1
    if hint.label and hint.label != label and not hint.weak:
        reasons.append(f"the name says '{hint.words}', the streams do not show it")
        conf -= 0.15
    if ref_text:
        reasons.append(ref_text)
    return run.done(label, conf, _clean(reasons + run.notes))


def _clean(reasons: list[str]) -> list[str]:
    out: list[str] = []
    for r in reasons:
        if r and r not in out:
            out.append(r)
    return out


def _where(reps: list[Rep], track: Track) -> str:
    span = float(track.t[-1] - track.t[0]) or 1.0
    pos = (reps[0].start_s - float(track.t[0])) / span
    return "at the end" if pos > 0.6 else ("at the start" if pos < 0.4 else "in the middle")


def _wu_cd(reps: list[Rep], track: Track | None, inp: ClassifyInput) -> str:
    if track is not None:
        start, end = float(track.t[0]), float(track.t[-1])
    else:
        start, end = 0.0, float(inp.elapsed_s or reps[-1].end_s)
    wu, cd = reps[0].start_s - start, end - reps[-1].end_s
    return f"warm-up {fmt_duration(max(wu, 0))}, cool-down {fmt_duration(max(cd, 0))}"


def _rep_label(
    track: Track | None, reps: list[Rep], th: Thresholds, hint: NameHint
) -> tuple[str, str]:
    """hill when most reps climb, else interval."""
    if track is None:
        return "interval", "no altitude to judge hills"
    hill = hill_check(track, reps, th)
    if hill.hill:
        grades = [r.mean_grade for r in reps if r.mean_grade is not None]
        return "hill", f"{hill.why}, at {_range(grades, '.0f')} % grade"
    if track.alt is None:
        return "interval", ""
    return "interval", f"flat or mixed ground ({hill.why})"


def _without_streams(inp, moving_s, hint: NameHint, notes, summary, th, done):  # type: ignore[no-untyped-def]
    """Manual entries and unusable streams: summary, workout_type, name. Lower confidence."""
    why = "manual entry" if inp.manual else "; ".join(notes) or "no streams"
    reasons = [f"{why}: judged from the summary, tag and name", summary]
    base = th.manual_confidence
    if hint.label and not hint.weak:
        reasons.append(f"the name says '{hint.words}'")
        label = hint.label
        if hint.label == "race":
            base = th.manual_confidence
        return done(label, base, _clean(reasons))
    if inp.workout_type == 2:
        reasons.append("tagged as a long run by the athlete (workout_type 2)")
        return done("long", base, _clean(reasons))
    if inp.workout_type == 3:
        reasons.append("tagged as a workout by the athlete (workout_type 3)")
        label = hint.label if hint.label in ("interval", "hill") else "interval"
        return done(label, base - 0.05, _clean(reasons))
    if hint.label:  # weak words: tempo, a hill run
        reasons.append(f"the name says '{hint.words}'")
        if hint.label == "hill":
            label, conf = _duration_label(moving_s, th)
            reasons.append("hills in the name, but no sign of repeats")
            return done(label, th.weak_confidence, _clean(reasons))
        return done(hint.label, th.weak_confidence, _clean(reasons))
    label, conf = _duration_label(moving_s, th)
    return done(label, min(conf, th.manual_confidence), _clean(reasons))
