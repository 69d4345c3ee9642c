"""The weekly digest: a WeekReport rendered as text, Markdown, HTML or JSON, then posted.

Every renderer is a pure function WeekReport -> str, so the same report reads the same in a
terminal, a chat room, an e-mail and a webhook. The wording shared by all formats (labels,
numbers, the per-session row) lives here so the formats cannot drift apart; each submodule only
lays it out.

Conventions: every `*_pct` field of the report is a percentage on a 0-100 scale (95.0 means
95 %), like the "fade 2 %" of an execution line. Rendering never mutates the report.

Public API:
    render(report, fmt)              fmt in FORMATS: "text" | "markdown" | "html" | "json"
    syncd.digest.text.print_text     the coloured live-terminal view
    syncd.digest.sinks.post_digest   post to Apprise URLs, file:///dir and "strava"
    syncd.digest.sinks.sink_key      a non-secret, stable id for a sink URL
    syncd.digest.strava_sink         the "syncd: ..." line for an activity description
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from syncd.errors import UsageError
from syncd.plan.model import Execution, RunFact, SessionResult, WeekReport

__all__ = [
    "FORMATS",
    "STATUS_LABELS",
    "SessionRow",
    "TotalsLine",
    "extra_run_line",
    "fmt_km",
    "fmt_minutes",
    "fmt_pct",
    "header_subtitle",
    "header_title",
    "notification_title",
    "quality_sessions",
    "render",
    "session_rows",
    "totals_lines",
]

FORMATS = ("text", "markdown", "html", "json")

# One word per status, the same in every format (colour is never the only signal).
STATUS_LABELS = {
    "done": "done",
    "partial": "partial",
    "moved": "moved",
    "substituted": "substituted",
    "missed": "missed",
}
STATUS_ICONS = {"done": "✓", "partial": "◐", "moved": "↷", "substituted": "⇄", "missed": "✗"}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def render(report: WeekReport, fmt: str) -> str:
    """Render one week in one of FORMATS; an unknown format is a usage error, not a crash."""
    # Imported here: the submodules import the helpers below from this package.
    if fmt == "text":
        from syncd.digest.text import render_text

        return render_text(report)
    if fmt == "markdown":
        from syncd.digest.markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from syncd.digest.html import render_html

        return render_html(report)
    if fmt == "json":
        from syncd.digest.jsonout import render_json

        return render_json(report)
    raise UsageError(f"unknown digest format {fmt!r}", hint=f"Use one of: {', '.join(FORMATS)}.")


# ---- numbers --------------------------------------------------------------------------------


def fmt_km(km: float | None) -> str:
    """'42.3 km'; '-' when unknown."""
    return "-" if km is None else f"{km:.1f} km"


def fmt_minutes(minutes: float | None) -> str:
    """'45 min' or '1 h 05 min': coaches think in hours past the hour."""
    if minutes is None:
        return "-"
    total = round(minutes)
    if total < 60:
        return f"{total} min"
    return f"{total // 60} h {total % 60:02d} min"


def fmt_pct(pct: float | None) -> str:
    """'95 %' (input already on a 0-100 scale); '-' when unknown."""
    return "-" if pct is None else f"{pct:.0f} %"


def fmt_day(d: date) -> str:
    """'Tue 11 Mar'."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"


def weekday(d: date) -> str:
    return _DAYS[d.weekday()]


def fmt_range(start: date, end: date) -> str:
    """'10-16 Mar 2025', '31 Mar - 6 Apr 2025' or across a year end in full."""
    if start.year != end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year} - {fmt_date(end)}"
    if start.month != end.month:
        return f"{start.day} {_MONTHS[start.month - 1]} - {fmt_date(end)}"
    return f"{start.day}-{fmt_date(end)}"


def fmt_date(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# ---- shared wording -------------------------------------------------------------------------


def header_title(report: WeekReport) -> str:
    """'Week 2025-W11 · 10-16 Mar 2025'."""
    return f"Week {report.week} · {fmt_range(report.start, report.end)}"


def header_subtitle(report: WeekReport) -> str:
    """Plan and race countdown in one line: 'Plan: Spring 10k · 5 weeks to Berlin'."""
    parts = [f"Plan: {report.plan_name}" if report.plan_name else "No plan this week"]
    if report.weeks_to_race is not None:
        race = report.race_name or "race"
        n = report.weeks_to_race
        if n <= 0:
            parts.append(f"{race}: race week")
        else:
            parts.append(f"{n} week{'s' if n != 1 else ''} to {race}")
    return " · ".join(parts)


def adherence_text(report: WeekReport) -> str:
    """'Adherence 78 %' or why there is none."""
    if report.adherence_pct is None:
        return "Adherence: nothing planned"
    return f"Adherence: {fmt_pct(report.adherence_pct)}"


def notification_title(report: WeekReport) -> str:
    """The subject line of an e-mail or chat post."""
    if report.adherence_pct is None:
        return f"syncd {report.week}: {report.totals.run_km:.1f} km run"
    return (
        f"syncd {report.week}: {fmt_pct(report.adherence_pct)} of plan, "
        f"{report.totals.run_km:.1f} km run"
    )


def planned_text(s: SessionResult) -> str:
    """What the plan said, in one phrase: '8x200m', '45 min', '24 km', or the coach's note."""
    p = s.planned
    parts: list[str] = []
    if p.workout is not None:
        parts.append(p.workout.text)
    if p.minutes is not None:
        parts.append(fmt_minutes(p.minutes))
    if p.km is not None:
        parts.append(fmt_km(p.km))
    if not parts and p.note:
        parts.append(p.note)
    return ", ".join(parts) if parts else "-"


@dataclass(frozen=True)
class SessionRow:
    """One planned session, every cell already a string (formats only lay it out)."""

    day: str  # 'Tue 11 Mar'
    short_day: str  # 'Tue 11'
    weekday: str  # 'Tue'
    planned: str  # session type
    workout: str
    status: str  # one of STATUSES (the raw key: formats pick colours from it)
    status_label: str  # 'done', ...
    icon: str
    actual: str
    reps: str
    volume: str
    note: str | None
    pinned: bool
    execution: Execution | None


def session_rows(report: WeekReport) -> list[SessionRow]:
    """The planned sessions in calendar order as display rows."""
    rows = []
    for s in sorted(report.sessions, key=lambda s: s.planned.day):
        rows.append(
            SessionRow(
                day=fmt_day(s.planned.day),
                short_day=f"{weekday(s.planned.day)} {s.planned.day.day}",
                weekday=weekday(s.planned.day),
                planned=s.planned.type,
                workout=planned_text(s),
                status=s.status,
                status_label=STATUS_LABELS.get(s.status, s.status),
                icon=STATUS_ICONS.get(s.status, "?"),
                actual=s.actual or "-",
                reps=s.reps or "-",
                volume=fmt_pct(s.volume_pct),
                note=_extra_note(s),
                pinned=s.pinned,
                execution=s.execution,
            )
        )
    return rows


def _extra_note(s: SessionResult) -> str | None:
    """The coach's note when planned_text did not already show it."""
    p = s.planned
    shown_elsewhere = p.workout is not None or p.minutes is not None or p.km is not None
    return p.note if shown_elsewhere else None


def quality_sessions(report: WeekReport) -> list[tuple[SessionRow, Execution]]:
    """Sessions that carry an execution line (intervals, hills), in calendar order."""
    return [(r, r.execution) for r in session_rows(report) if r.execution is not None]


def execution_heading(row: SessionRow) -> str:
    """'Tue 11 Mar interval'."""
    return f"{row.day} {row.planned}"


def extra_run_line(run: RunFact) -> str:
    """'Wed 12 Mar: easy, 5.2 km, 31 min "Lunch jog" (activity 123)'. Name quoted verbatim:
    each format escapes it."""
    text = (
        f"{fmt_day(run.day)}: {run.label}, {fmt_km(run.distance_m / 1000)}, "
        f"{fmt_minutes(run.moving_s / 60)}"
    )
    if run.name:
        text += f' "{run.name}"'
    return text + f" (activity {run.activity_id})"


@dataclass(frozen=True)
class TotalsLine:
    label: str
    value: str


def totals_lines(report: WeekReport) -> list[TotalsLine]:
    """The week's totals as label/value pairs (km, minutes, easy share, long run, sessions)."""
    t = report.totals
    if t.planned_km is not None:
        km = f"{t.run_km:.1f} of {t.planned_km:.1f} km planned"
    else:
        km = f"{t.run_km:.1f} km"
    if t.planned_min is not None:
        minutes = f"{fmt_minutes(t.run_min)} of {fmt_minutes(t.planned_min)} planned"
    else:
        minutes = fmt_minutes(t.run_min)
    if t.easy_pct is None:
        easy = "-"
    else:
        easy = (
            f"{fmt_pct(t.easy_pct)} of running time "
            f"(easy {fmt_minutes(t.easy_min)}, hard {fmt_minutes(t.hard_min)})"
        )
    long_run = {None: "not planned", True: "done", False: "not done"}[t.long_run_done]
    counts = [f"{t.by_status[k]} {STATUS_LABELS[k]}" for k in STATUS_LABELS if t.by_status.get(k)]
    sessions = f"{t.planned_sessions} planned"
    if counts:
        sessions += ": " + ", ".join(counts)
    return [
        TotalsLine("Distance", km),
        TotalsLine("Time", minutes),
        TotalsLine("Easy", easy),
        TotalsLine("Long run", long_run),
        TotalsLine("Sessions", sessions),
        TotalsLine("Adherence", fmt_pct(report.adherence_pct)
                   if report.adherence_pct is not None else "nothing planned"),
    ]
