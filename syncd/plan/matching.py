"""Planned sessions against what was run: done, partial, moved, substituted, missed (+ extra).

Days are the athlete's local days (`RunFact.day` is the local wall-clock date): nothing here
knows about UTC, so a run at 00:10 belongs to the new day and DST changes cannot shift a run.

Rules, applied in this order so the result does not depend on the order of the input:

1. Pins (`syncd match`): a pinned run goes to the session on the pinned date, whatever the
   rules below would do, and is used nowhere else. Its status is judged as usual (pinned=True).
2. Same day, planned type: `done` when the volume is within 80-120 % of the plan's minutes or km
   (when both are given, the closer one counts) and, for a workout with reps, the detected reps
   match (count within one, median rep length within 15 %: distance for NxDIST and pyramids,
   duration for NxTIME); otherwise `partial`. Volume below 50 % or above 150 % is still
   `partial` (the session happened) but flagged "well short"/"well over".
3. `moved`: the planned type on the day before or after, when that day has no session of its own
   (a rest day or nothing planned) and the run is not used by another session. A move is
   preferred over a substitution: the planned work happened, and the same-day run of another
   type is left as an extra.
4. `substituted`: a run that day, of another type.
5. `missed`: nothing.

Runs matching no session (including runs on rest days) are extras; non-runs never match and are
never extras. Two runs on one day: the session takes the best candidate (planned type first,
then volume closest to the plan, then the longer run); the other is an extra. Doubles are not
summed: a plan that means a double should say so with two sessions on two days, or a pin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from syncd.plan.execution import describe_execution
from syncd.plan.model import PlannedSession, RunFact, SessionResult, Workout

DONE_BAND = (0.8, 1.2)
PARTIAL_BAND = (0.5, 1.5)  # outside it: still partial, flagged
REP_COUNT_SLACK = 1
REP_LENGTH_TOLERANCE = 0.15
QUALITY = ("interval", "hill")


@dataclass
class MatchResult:
    """Sessions in day order (rest days left out), extras, and which run went where."""

    sessions: list[SessionResult]
    extra: list[RunFact]
    used: dict[int, date] = field(default_factory=dict)  # run local_id -> session day
    withheld: set[int] = field(default_factory=set)  # pinned to a session outside this match


def volume_ratio(session: PlannedSession, run: RunFact) -> float | None:
    """Run volume over planned volume (1.0 = as planned); None when the plan gives none."""
    ratios = []
    if session.minutes:
        ratios.append(run.moving_s / 60.0 / session.minutes)
    if session.km:
        ratios.append(run.distance_m / 1000.0 / session.km)
    return min(ratios, key=lambda r: abs(r - 1.0)) if ratios else None


def rep_check(workout: Workout | None, run: RunFact) -> tuple[bool, str | None, list[str]]:
    """(reps as planned?, "8 of 8", why not) for a workout with a rep structure."""
    if workout is None or not workout.reps:
        return True, None, []
    planned, done = workout.reps, len(run.reps)
    text = f"{done} of {planned}"
    flags = []
    if abs(done - planned) > REP_COUNT_SLACK:
        flags.append(f"{done} of {planned} reps")
    if done:
        if workout.distances_m:
            want, got, unit = median(workout.distances_m), median(
                r.distance_m for r in run.reps), "m"
        else:
            want, got, unit = median(workout.durations_s), median(
                r.duration_s for r in run.reps), "s"
        if want > 0 and abs(got / want - 1.0) > REP_LENGTH_TOLERANCE:
            flags.append(f"reps of {got:.0f} {unit}, planned {want:.0f} {unit}")
    return not flags, text, flags


def judge(session: PlannedSession, run: RunFact, *, pinned: bool = False) -> SessionResult:
    """The status of `session` when run as `run` (same day: done/partial; another day: moved)."""
    ratio = volume_ratio(session, run)
    res = SessionResult(planned=session, status="done", activity_ids=[run.activity_id],
                        actual=run.label, pinned=pinned,
                        volume_pct=None if ratio is None else round(ratio * 100.0, 1))
    if run.label != session.type:
        res.status = "substituted"
        res.flags.append(f"{run.label} instead of {session.type}")
        return res
    reps_ok, res.reps, rep_flags = rep_check(session.workout, run)
    res.flags.extend(rep_flags)
    volume_ok = True
    if ratio is not None and not DONE_BAND[0] <= ratio <= DONE_BAND[1]:
        volume_ok = False
        pct = ratio * 100.0
        if ratio < PARTIAL_BAND[0]:
            res.flags.append(f"well short: {pct:.0f} % of the planned volume")
        elif ratio > PARTIAL_BAND[1]:
            res.flags.append(f"well over: {pct:.0f} % of the planned volume")
        else:
            res.flags.append(f"{'short' if ratio < 1 else 'long'}: {pct:.0f} % of the plan")
    if run.day != session.day:
        res.status = "moved"
    elif not (volume_ok and reps_ok):
        res.status = "partial"
    if session.type in QUALITY and (run.reps or run.label in QUALITY):
        res.execution = describe_execution(session, run)
    return res


def _rank(session: PlannedSession, run: RunFact) -> tuple[float, float, float, datetime]:
    """Best candidate first: planned type, volume closest to plan, longer, earlier."""
    ratio = volume_ratio(session, run)
    return (float(run.label != session.type), abs(ratio - 1.0) if ratio is not None else 0.0,
            -run.distance_m, run.start_local.replace(tzinfo=None))


def match_week(
    sessions: Iterable[PlannedSession],
    runs: Iterable[RunFact],
    *,
    pins: Mapping[int, date] | None = None,
    session_on: Callable[[date], PlannedSession | None] | None = None,
) -> MatchResult:
    """Match `runs` to `sessions` (rest sessions mark free days and are not reported).

    `session_on` answers for days outside `sessions` (is the day before/after free? where does a
    pin point?); without it such days count as free and pins to them are ignored.
    """
    by_day: dict[date, PlannedSession] = {}
    for s in sessions:
        by_day[s.day] = s
    planned = sorted((s for s in by_day.values() if s.type != "rest"), key=lambda s: s.day)
    pool = sorted((r for r in runs if r.is_run), key=lambda r: (r.day, r.start_local.time()))
    free_ids = {r.local_id for r in pool}

    def own_session(day: date) -> PlannedSession | None:
        s = by_day.get(day)
        if s is None and day not in by_day and session_on is not None:
            s = session_on(day)
        return s if s is not None and s.type != "rest" else None

    results: dict[date, SessionResult] = {}
    used: dict[int, date] = {}
    withheld: set[int] = set()

    # 1. pins
    pinned_runs: dict[date, list[RunFact]] = {}
    for r in pool:
        if pins is None or r.local_id not in pins:
            continue
        target = pins[r.local_id]
        if target in by_day and by_day[target].type != "rest":
            pinned_runs.setdefault(target, []).append(r)
        elif target not in by_day and own_session(target) is not None:
            withheld.add(r.local_id)  # reported with that session, in its own week
            free_ids.discard(r.local_id)
        # else: a stale pin (the plan changed): the run competes like any other
    for day, rs in pinned_runs.items():
        s = by_day[day]
        best = min(rs, key=lambda r: _rank(s, r))
        res = judge(s, best, pinned=True)
        res.activity_ids = [best.activity_id] + [r.activity_id for r in rs if r is not best]
        results[day] = res
        for r in rs:
            used[r.local_id] = day
            free_ids.discard(r.local_id)

    def available(day: date) -> list[RunFact]:
        return [r for r in pool if r.day == day and r.local_id in free_ids]

    def take(s: PlannedSession, r: RunFact) -> None:
        results[s.day] = judge(s, r)
        used[r.local_id] = s.day
        free_ids.discard(r.local_id)

    # 2. same day, planned type
    for s in planned:
        if s.day in results:
            continue
        same = [r for r in available(s.day) if r.label == s.type]
        if same:
            take(s, min(same, key=lambda r: _rank(s, r)))
    # 3. moved to a free neighbouring day
    for s in planned:
        if s.day in results:
            continue
        near = [r for d in (s.day - timedelta(days=1), s.day + timedelta(days=1))
                if own_session(d) is None for r in available(d) if r.label == s.type]
        if near:
            take(s, min(near, key=lambda r: (_rank(s, r), r.day)))
    # 4. substituted, 5. missed
    for s in planned:
        if s.day in results:
            continue
        other = available(s.day)
        if other:
            take(s, min(other, key=lambda r: _rank(s, r)))
        else:
            results[s.day] = SessionResult(planned=s, status="missed")

    extra = [r for r in pool if r.local_id in free_ids]
    return MatchResult(sessions=[results[s.day] for s in planned], extra=extra, used=used,
                       withheld=withheld)
