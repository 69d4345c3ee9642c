"""Load warnings for one week, each carrying the numbers behind it.

- weekly distance up more than 10 % on the previous week, or more than 30 % over two weeks
  (against the week before the previous one). Skipped when the comparison week is empty: a
  return from a break is not a "jump" we can put a percentage on.
- a single run more than 10 % longer than the longest run of the previous 30 days. In a 2025
  cohort of 5,205 runners this single-session spike, not the weekly change, was the strongest
  injury signal, so it is checked for every run of the week.
- acute:chronic workload ratio outside 0.8-1.3, labelled "(a rough guide)" because the ratio is
  a blunt tool. By distance (every run has one; moving time tracks it closely for one athlete):
  acute = this week's km, chronic = the average week of the 28 days ending with this week
  (coupled: the chronic window includes the acute week). Skipped with fewer than 28 days of
  history.

Only runs count (`is_run`); everything is in local calendar days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from syncd.plan.model import RunFact, Warning

WEEKLY_LIMIT_PCT = 10.0
TWO_WEEK_LIMIT_PCT = 30.0
SPIKE_LIMIT_PCT = 10.0
SPIKE_WINDOW_DAYS = 30
ACWR_BAND = (0.8, 1.3)


def km_between(runs: Iterable[RunFact], first: date, last: date) -> float:
    """Run km on local days first..last inclusive."""
    return sum(r.distance_m for r in runs if r.is_run and first <= r.day <= last) / 1000.0


def week_km(runs: Iterable[RunFact], week_start: date) -> float:
    return km_between(runs, week_start, week_start + timedelta(days=6))


def load_warnings(runs: Iterable[RunFact], week_start: date, *,
                  history_start: date | None = None) -> list[Warning]:
    """Warnings for the week starting `week_start`; `runs` holds this week and its history.

    `history_start` is the first day the history is known to cover (default: the first run).
    """
    runs = [r for r in runs if r.is_run]
    week_end = week_start + timedelta(days=6)
    out: list[Warning] = []
    this = week_km(runs, week_start)

    prev = week_km(runs, week_start - timedelta(days=7))
    if prev > 0 and this > prev * (1 + WEEKLY_LIMIT_PCT / 100):
        pct = (this / prev - 1) * 100
        out.append(Warning(
            "weekly_jump",
            f"Weekly distance up {pct:.0f} % on last week ({prev:.1f} -> {this:.1f} km); "
            f"a rise of more than {WEEKLY_LIMIT_PCT:.0f} % a week is a common injury trigger.",
            {"km": round(this, 1), "previous_km": round(prev, 1), "change_pct": round(pct, 1)},
        ))
    base = week_km(runs, week_start - timedelta(days=14))
    if base > 0 and this > base * (1 + TWO_WEEK_LIMIT_PCT / 100):
        pct = (this / base - 1) * 100
        out.append(Warning(
            "two_week_jump",
            f"Weekly distance up {pct:.0f} % over two weeks ({base:.1f} -> {this:.1f} km); "
            f"more than {TWO_WEEK_LIMIT_PCT:.0f} % over two weeks is a lot to absorb.",
            {"km": round(this, 1), "two_weeks_ago_km": round(base, 1),
             "change_pct": round(pct, 1)},
        ))

    for r in sorted((r for r in runs if week_start <= r.day <= week_end),
                    key=lambda r: r.start_local.replace(tzinfo=None)):
        since = r.day - timedelta(days=SPIKE_WINDOW_DAYS)
        before = [p.distance_m for p in runs
                  if since <= p.day and p.start_local.replace(tzinfo=None)
                  < r.start_local.replace(tzinfo=None)]
        longest = max(before, default=0.0)
        if longest > 0 and r.distance_m > longest * (1 + SPIKE_LIMIT_PCT / 100):
            pct = (r.distance_m / longest - 1) * 100
            out.append(Warning(
                "single_run_spike",
                f"The {r.day.isoformat()} run ({r.distance_m / 1000:.1f} km) was {pct:.0f} % "
                f"longer than your longest of the previous {SPIKE_WINDOW_DAYS} days "
                f"({longest / 1000:.1f} km): the strongest injury signal in the research.",
                {"km": round(r.distance_m / 1000, 1), "longest_30d_km": round(longest / 1000, 1),
                 "over_pct": round(pct, 1)},
            ))

    first = history_start or min((r.day for r in runs), default=None)
    window_start = week_end - timedelta(days=27)
    if first is not None and first <= window_start:
        chronic = km_between(runs, window_start, week_end) / 4.0
        if chronic > 0:
            ratio = this / chronic
            if not ACWR_BAND[0] <= ratio <= ACWR_BAND[1]:
                side = "high" if ratio > ACWR_BAND[1] else "low"
                out.append(Warning(
                    "acwr",
                    f"Acute:chronic load {ratio:.2f} is {side} (this week {this:.1f} km against "
                    f"a 28-day average of {chronic:.1f} km a week; "
                    f"{ACWR_BAND[0]}-{ACWR_BAND[1]} is the usual band) (a rough guide).",
                    {"ratio": round(ratio, 2), "acute_km": round(this, 1),
                     "chronic_km": round(chronic, 1)},
                ))
    return out
