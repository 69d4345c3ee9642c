"""How a quality session was run: the coach's second question after "was it done?".

One line per interval or hill session, from the reps the classifier found, e.g.
"8x200m: 8/8 reps, 36.1-37.4 s, fade 2 %, walked recoveries, WU 18 min, CD 12 min".
Guidance used (flags when outside): warm-up 15-25 min, cool-down 10-15 min; reps of a
distance session should hold their pace (fade of the last third against the first third over
5 % is flagged) except strides-like reps of 150 m or less, which are meant to build (a rising
pace is praise); hill reps should be even (coefficient of variation of rep times over 8 %).
"""

from __future__ import annotations

import re
from statistics import fmean, median, pstdev

from syncd.plan.model import Execution, PlannedSession, RepFact, RunFact, Workout
from syncd.plan.workouts import is_build

WARMUP_MIN = (15.0, 25.0)
COOLDOWN_MIN = (10.0, 15.0)
FADE_LIMIT_PCT = 5.0
HILL_CV_LIMIT_PCT = 8.0
_RECOVERY_WORDS = {"walk": "walked", "jog": "jogged", "stand": "stood"}
_PLAN_WORD = {"walked": "walk", "jogged": "jog"}


def _title(session: PlannedSession) -> str:
    """The workout's structure ('8x200m'), without the trailing note."""
    w = session.workout
    if w is None or w.reps is None:
        return session.type
    text = w.text
    if w.note and text.endswith(w.note):
        text = text[: -len(w.note)].strip(" ,;:-")
    return text or session.type


def _pace(r: RepFact) -> float:
    """Seconds per km (from mean speed; from time and distance when speed is missing)."""
    if r.mean_speed > 0:
        return 1000.0 / r.mean_speed
    return r.duration_s / r.distance_m * 1000.0 if r.distance_m > 0 else float("nan")


def _fmt_time(s: float, *, decimals: int) -> str:
    if s >= 60:
        m, sec = divmod(round(s), 60)
        return f"{m}:{sec:02d}"
    return f"{s:.{decimals}f}"


def _time_range(times: list[float], *, decimals: int) -> str:
    lo, hi = _fmt_time(min(times), decimals=decimals), _fmt_time(max(times), decimals=decimals)
    unit = "" if min(times) >= 60 else " s"
    return f"{lo}{unit}" if lo == hi else f"{lo}-{hi}{unit}"


def fade_pct(paces: list[float]) -> float | None:
    """Mean pace of the last third of the reps against the first third, in % (+ = slower)."""
    if len(paces) < 3:
        return None
    k = max(1, len(paces) // 3)
    first, last = fmean(paces[:k]), fmean(paces[-k:])
    return (last / first - 1.0) * 100.0


def recovery_majority(reps: tuple[RepFact, ...]) -> str | None:
    """walked | jogged | stood when more than half the recoveries agree, else mixed."""
    kinds = [r.recovery_kind for r in reps if r.recovery_kind]
    if not kinds:
        return None
    top = max(sorted(set(kinds)), key=kinds.count)
    if kinds.count(top) * 2 > len(kinds):
        return _RECOVERY_WORDS.get(top, top)
    return "mixed"


def planned_recovery(session: PlannedSession) -> str | None:
    """'walked' or 'jogged' when the plan's text asks for it ("with 100 m walks")."""
    text = " ".join(t for t in (session.workout.text if session.workout else None,
                                session.note) if t).lower()
    if re.search(r"\bwalk", text):
        return "walked"
    if re.search(r"\bjog", text):
        return "jogged"
    return None


def _by_time(w: Workout | None) -> bool:
    """Time-prescribed reps (10x30s) show whole seconds; distance reps show tenths."""
    return bool(w is not None and w.durations_s)


def describe_execution(session: PlannedSession, run: RunFact) -> Execution:
    """The execution line and its numbers for an interval or hill session run as `run`."""
    w = session.workout
    hill = session.type == "hill"
    title = _title(session)
    planned = w.reps if w is not None else None
    reps = run.reps
    parts: list[str] = []
    flags: list[str] = []
    praise: list[str] = []
    ex = Execution(line="", reps_done=len(reps), reps_planned=planned)

    parts.append(f"{len(reps)}/{planned} reps" if planned else f"{len(reps)} reps")
    if reps:
        times = [r.duration_s for r in reps]
        paces = [_pace(r) for r in reps]
        ex.rep_times_s = [round(t, 1) for t in times]
        ex.rep_paces_s_per_km = [round(p, 1) for p in paces]
        parts.append(_time_range(times, decimals=0 if (hill or _by_time(w)) else 1))
        fade = fade_pct(paces)
        ex.fade_pct = None if fade is None else round(fade, 1)
        if hill:
            mean = fmean(times)
            cv = pstdev(times) / mean * 100.0 if mean > 0 else 0.0
            if cv <= HILL_CV_LIMIT_PCT:
                parts.append(f"even (CV {cv:.0f} %)")
            else:
                parts.append(f"uneven (CV {cv:.0f} %)")
                flags.append(f"uneven reps (CV {cv:.0f} %)")
        elif fade is not None:
            build = is_build(w) if (w and w.distances_m) else \
                median(r.distance_m for r in reps) <= 150
            if build and fade <= -1.0:
                parts.append(f"built {-fade:.0f} %")
                praise.append(f"built through the reps ({-fade:.0f} % faster at the end)")
            elif fade > FADE_LIMIT_PCT:
                parts.append(f"fade {fade:.0f} %")
                flags.append(f"fade {fade:.0f} %" + (" on reps meant to build" if build else ""))
            else:
                parts.append(f"fade {fade:.0f} %")
                if not build and fade <= -3.0:
                    praise.append(f"finished faster than you started ({-fade:.0f} %)")
    else:
        flags.append("no reps found")

    rec = recovery_majority(reps)
    ex.recoveries = rec
    if rec is not None:
        if hill and rec != "mixed":
            parts.append(f"{rec} down")  # hill recoveries are the way back down
        else:
            parts.append(f"{rec} recoveries")
        want = planned_recovery(session)
        if want is not None and rec != want:
            flags.append(f"{rec} recoveries, plan said {_PLAN_WORD[want]}")

    if run.warmup_s is not None:
        ex.warmup_min = round(run.warmup_s / 60.0, 1)
        parts.append(f"WU {ex.warmup_min:.0f} min")
        if ex.warmup_min < WARMUP_MIN[0]:
            flags.append(f"warm-up short ({ex.warmup_min:.0f} min)")
        elif ex.warmup_min > WARMUP_MIN[1]:
            flags.append(f"warm-up long ({ex.warmup_min:.0f} min)")
    if run.cooldown_s is not None:
        ex.cooldown_min = round(run.cooldown_s / 60.0, 1)
        parts.append(f"CD {ex.cooldown_min:.0f} min")
        if ex.cooldown_min < COOLDOWN_MIN[0]:
            flags.append(f"cool-down short ({ex.cooldown_min:.0f} min)")
        elif ex.cooldown_min > COOLDOWN_MIN[1]:
            flags.append(f"cool-down long ({ex.cooldown_min:.0f} min)")

    ex.flags, ex.praise = flags, praise
    ex.line = f"{title}: " + ", ".join(parts)
    return ex
