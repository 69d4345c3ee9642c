"""A generated 12-week block (2025-01-06 .. 2025-03-30, Europe/Paris local days) with known truth.

Four weeks of steady history come first (61 km a week), so every week of the block has a
previous week, a week before that and 28 days for the acute:chronic ratio.

The standard week (61 km): Tue intervals 8x200m (10 km, 50 min), Wed easy 45 min (8 km), Thu hills
10x30s (10 km, 55 min), Sat long 150 min (25 km), Sun easy 8 km (48 min); Mon and Fri rest.

Week by week (km; what differs; warnings), with the arithmetic the warnings rest on:

W1  61  all done                                                    -
W2  63  Wed 30 min (67 %): partial by volume; Mon 5 km on a rest day: extra             -
W3  61  Tue 5 of 8 reps: partial by reps; Thu easy instead of hills: substituted         -
W4  53  Tue intervals run on Monday: moved; Wed nothing: missed       ACWR 53/59.5 = 0.89
W5  65  Tue fades 10 % after a 9-min warm-up (done, flagged); Wed double: the 45-min run is
        the session, the 4 km evening run extra         weekly +22.6 % (53 -> 65)
W6  61  Tue easy, Wed intervals: substituted twice automatically; pinned to each other:
        moved + moved (pinned)                                         -
W7  61  Tue pyramid 100-200-300-200-100 (dated session): done; Sun is a dated rest day and
        was run: extra on a rest day; a Thursday ride (not a run)     -
W8  66  Sat long 30 km (175 min, 117 %): done            spike 30 vs 25 km (+20 %)
W9  25  only Tue and a 15 km / 90 min long run (60 %: partial); Wed ride
                                                         ACWR 25 / 53.25 = 0.47 low
W10 61  all done                                         weekly +144 % (25 -> 61)
W11 66  all done, Mon 5 km extra                         two-week +164 % (25 -> 66)
W12 80  all done, Mon 10 km and Fri 9 km extra; the Sunday run starts 00:15 on the night of
        the DST change                                   weekly +21 %, two-week +31 %,
                                                         ACWR 80 / 58 = 1.38 high
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from syncd.plan.model import RepFact, RunFact
from syncd.plan.planfile import Plan, parse_plan

START = date(2025, 1, 6)
WEEKS = [START + timedelta(days=7 * i) for i in range(12)]

PLAN_TOML = """\
name = "Spring speed block"
start = 2025-01-06
end = 2025-03-30
race = { name = "Trail des Vosges", date = 2025-04-12 }

[week]
mon = "rest"
tue = { type = "interval", workout = "8x200m with 200 m walks", minutes = 50 }
wed = { type = "easy", minutes = 45 }
thu = { type = "hill", workout = "10x30s", minutes = 55 }
fri = "rest"
sat = { type = "long", minutes = 150 }
sun = { type = "easy", km = 8 }

[volume]
km = [61, 61, 61, 55, 61, 61, 61, 66, 40, 61, 66, 70]

[[session]]
date = 2025-02-18
type = "interval"
workout = "100-200-300-200-100"
minutes = 50

[[session]]
date = 2025-02-23
type = "rest"
"""

TRACK_TIMES = (36.1, 36.5, 36.3, 36.8, 36.9, 37.0, 37.2, 37.4)  # fade (37.3/36.3) = 2.8 %
HILL_TIMES = (30.0, 31.0, 29.0, 30.0, 32.0, 28.0, 30.0, 33.0, 31.0, 30.0)  # CV 4.5 %
FADING_TIMES = (36.0, 36.0, 37.0, 38.0, 38.5, 39.0, 39.5, 39.7)  # fade (39.6/36) = 10 %


def reps(times: tuple[float, ...], dists: tuple[float, ...] | float, *, start_s: float,
         recovery_s: float, kind: str = "walk", grade: float | None = None
         ) -> tuple[RepFact, ...]:
    """Reps as the classifier reports them (the last one has no recovery)."""
    if isinstance(dists, int | float):
        dists = (float(dists),) * len(times)
    out, t = [], start_s
    for i, (dur, dist) in enumerate(zip(times, dists, strict=True)):
        last = i == len(times) - 1
        out.append(RepFact(start_s=t, duration_s=dur, distance_m=dist, mean_speed=dist / dur,
                           mean_grade=grade, recovery_s=None if last else recovery_s,
                           recovery_kind=None if last else kind))
        t += dur + recovery_s
    return tuple(out)


@dataclass
class Block:
    plan: Plan
    runs: list[RunFact] = field(default_factory=list)
    by_key: dict[str, RunFact] = field(default_factory=dict)
    pins: dict[int, date] = field(default_factory=dict)
    # truth, per planned (non-rest) day: (status, pinned)
    status: dict[date, tuple[str, bool]] = field(default_factory=dict)
    status_unpinned: dict[date, str] = field(default_factory=dict)  # where pins change it
    extra: dict[date, list[str]] = field(default_factory=dict)  # week start -> run keys
    warnings: dict[date, list[str]] = field(default_factory=dict)  # week start -> kinds
    week_km: dict[date, float] = field(default_factory=dict)

    def add(self, key: str, day: date, label: str, km: float, minutes: float, *,
            at: time = time(7, 0), is_run: bool = True, **kw: object) -> RunFact:
        n = len(self.runs) + 1
        r = RunFact(activity_id=f"1{n:04d}", local_id=n,
                    start_local=datetime.combine(day, at), label=label,
                    distance_m=km * 1000.0, moving_s=minutes * 60.0, is_run=is_run,
                    name=key, **kw)  # type: ignore[arg-type]
        assert key not in self.by_key, key
        self.runs.append(r)
        self.by_key[key] = r
        return r

    # the standard sessions -------------------------------------------------------------
    def intervals(self, key: str, day: date, times: tuple[float, ...] = TRACK_TIMES,
                  warmup_min: float = 18.0) -> RunFact:
        return self.add(key, day, "interval", 10, 50, warmup_s=warmup_min * 60,
                        cooldown_s=12 * 60.0,
                        reps=reps(times, 200.0, start_s=warmup_min * 60, recovery_s=75))

    def hills(self, key: str, day: date) -> RunFact:
        return self.add(key, day, "hill", 10, 55, warmup_s=20 * 60.0, cooldown_s=10 * 60.0,
                        reps=reps(HILL_TIMES, tuple(t * 3.7 for t in HILL_TIMES),
                                  start_s=1200, recovery_s=90, grade=8.0))

    def week(self, ws: date, tag: str, *, skip: tuple[int, ...] = ()) -> None:
        """The standard week; `skip` leaves out days (0 = Monday) the caller writes itself."""
        d = [ws + timedelta(days=i) for i in range(7)]
        if 1 not in skip:
            self.intervals(f"{tag}-tue", d[1])
        if 2 not in skip:
            self.add(f"{tag}-wed", d[2], "easy", 8, 45)
        if 3 not in skip:
            self.hills(f"{tag}-thu", d[3])
        if 5 not in skip:
            self.add(f"{tag}-sat", d[5], "long", 25, 150)
        if 6 not in skip:
            self.add(f"{tag}-sun", d[6], "easy", 8, 48)


def _days(ws: date) -> list[date]:
    return [ws + timedelta(days=i) for i in range(7)]


def block() -> Block:
    """The plan, every run (history included), the pins and the truth."""
    b = Block(plan=parse_plan(PLAN_TOML, "block.toml"))
    for i in range(4, 0, -1):
        b.week(START - timedelta(days=7 * i), f"h{i}")

    def all_done(ws: date, *except_days: int) -> None:
        for i in (1, 2, 3, 5, 6):
            if i not in except_days:
                b.status[ws + timedelta(days=i)] = ("done", False)

    w = WEEKS
    # W1: all done
    b.week(w[0], "w1")
    all_done(w[0])
    # W2: Wed short (30 of 45 min): partial; Mon (rest) run: extra
    d = _days(w[1])
    b.week(w[1], "w2", skip=(2,))
    b.add("w2-wed", d[2], "easy", 5, 30)
    b.add("w2-mon", d[0], "easy", 5, 30)
    all_done(w[1], 2)
    b.status[d[2]] = ("partial", False)
    b.extra[w[1]] = ["w2-mon"]
    # W3: 5 of 8 reps: partial; easy instead of hills: substituted
    d = _days(w[2])
    b.week(w[2], "w3", skip=(1, 3))
    b.intervals("w3-tue", d[1], TRACK_TIMES[:5])
    b.add("w3-thu", d[3], "easy", 10, 55)
    all_done(w[2], 1, 3)
    b.status[d[1]] = ("partial", False)
    b.status[d[3]] = ("substituted", False)
    # W4: intervals on Monday (a rest day): moved; Wed: missed
    d = _days(w[3])
    b.week(w[3], "w4", skip=(1, 2))
    b.intervals("w4-mon", d[0])
    all_done(w[3], 1, 2)
    b.status[d[1]] = ("moved", False)
    b.status[d[2]] = ("missed", False)
    # W5: fading reps after a short warm-up (still done); a double on Wednesday
    d = _days(w[4])
    b.week(w[4], "w5", skip=(1, 2))
    b.intervals("w5-tue", d[1], FADING_TIMES, warmup_min=9)
    b.add("w5-wed-am", d[2], "easy", 8, 45)
    b.add("w5-wed-pm", d[2], "easy", 4, 24, at=time(18, 30))
    all_done(w[4])
    b.extra[w[4]] = ["w5-wed-pm"]
    b.warnings[w[4]] = ["weekly_jump"]
    # W6: Tue and Wed swapped; pinned back to their sessions
    d = _days(w[5])
    b.week(w[5], "w6", skip=(1, 2))
    easy = b.add("w6-tue-easy", d[1], "easy", 8, 45)
    ints = b.intervals("w6-wed-int", d[2])
    b.pins = {ints.local_id: d[1], easy.local_id: d[2]}
    all_done(w[5], 1, 2)
    b.status[d[1]] = ("moved", True)
    b.status[d[2]] = ("moved", True)
    b.status_unpinned = {d[1]: "substituted", d[2]: "substituted"}
    # W7: pyramid (dated session); Sunday is a dated rest day and was run; a ride on Thursday
    d = _days(w[6])
    b.week(w[6], "w7", skip=(1,))
    b.add("w7-tue", d[1], "interval", 10, 50, warmup_s=1080.0, cooldown_s=720.0,
          reps=reps((17.5, 36.0, 55.5, 36.5, 18.0), (100.0, 200.0, 300.0, 200.0, 100.0),
                    start_s=1080, recovery_s=90))
    b.add("w7-thu-ride", d[3], "other", 25, 60, at=time(17, 0), is_run=False)
    all_done(w[6], 6)
    b.extra[w[6]] = ["w7-sun"]
    # W8: a 30 km long run: done (117 %) but a single-run spike
    d = _days(w[7])
    b.week(w[7], "w8", skip=(5,))
    b.add("w8-sat", d[5], "long", 30, 175)
    all_done(w[7])
    b.warnings[w[7]] = ["single_run_spike"]
    # W9: a down week: ACWR low
    d = _days(w[8])
    b.intervals("w9-tue", d[1])
    b.add("w9-sat", d[5], "long", 15, 90)
    b.add("w9-wed-ride", d[2], "other", 30, 70, is_run=False)
    b.status.update({d[1]: ("done", False), d[2]: ("missed", False), d[3]: ("missed", False),
                     d[5]: ("partial", False), d[6]: ("missed", False)})
    b.warnings[w[8]] = ["acwr"]
    # W10: back to normal: weekly jump
    b.week(w[9], "w10")
    all_done(w[9])
    b.warnings[w[9]] = ["weekly_jump"]
    # W11: +8 % on the week, +164 % on two weeks
    d = _days(w[10])
    b.week(w[10], "w11")
    b.add("w11-mon", d[0], "easy", 5, 30)
    all_done(w[10])
    b.extra[w[10]] = ["w11-mon"]
    b.warnings[w[10]] = ["two_week_jump"]
    # W12 (DST starts in Paris at 02:00 on Sunday 30 March): 80 km
    d = _days(w[11])
    b.week(w[11], "w12", skip=(6,))
    b.add("w12-sun", d[6], "easy", 8, 48, at=time(0, 15))
    b.add("w12-mon", d[0], "easy", 10, 60)
    b.add("w12-fri", d[4], "easy", 9, 54)
    all_done(w[11])
    b.extra[w[11]] = ["w12-mon", "w12-fri"]
    b.warnings[w[11]] = ["weekly_jump", "two_week_jump", "acwr"]

    b.week_km = dict(zip(WEEKS, [61, 63, 61, 53, 65, 61, 61, 66, 25, 61, 66, 80], strict=True))
    return b


def make_run(local_id: int, start: datetime, label: str, km: float, minutes: float, *,
             is_run: bool = True, **kw: object) -> RunFact:
    """One RunFact for a hand-written scenario (activity id "a<local_id>")."""
    return RunFact(activity_id=f"a{local_id}", local_id=local_id, start_local=start, label=label,
                   distance_m=km * 1000.0, moving_s=minutes * 60.0, is_run=is_run,
                   **kw)  # type: ignore[arg-type]
