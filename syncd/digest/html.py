"""The digest as one self-contained HTML page, for a phone browser and for e-mail.

Rules it keeps, and why:
- No JavaScript, no external stylesheet, font or image: mail clients block them and the file
  sink must open offline.
- The core information is in plain <table>s with inline `style` attributes (and `bgcolor` for
  old Outlook): many mail clients drop <style> blocks and ignore flex/grid. The <style> block
  only adds polish.
- Fluid width with a max-width and a viewport meta, so it reads on a 390 px phone.
- Every piece of user text (activity, plan and race names, notes, execution lines) goes through
  `html.escape`.
- Colour is never the only signal: the week strip cells also carry a word and an icon.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from syncd.digest import (
    STATUS_ICONS,
    adherence_text,
    extra_run_line,
    header_subtitle,
    header_title,
    session_rows,
    totals_lines,
    weekday,
)
from syncd.digest.svg import weekly_km_chart
from syncd.plan.model import SessionResult, WeekReport

__all__ = ["STRIP_COLOURS", "STATUS_COLOUR", "render_html", "week_strip"]

# Light fills with dark text: readable in sunlight and in dark-mode mail clients that invert.
STRIP_COLOURS = {
    "green": "#b9e6c3",
    "yellow": "#ffe38a",
    "red": "#f6b3b3",
    "grey": "#e4e6ea",
}
STATUS_COLOUR = {
    "done": "green",
    "partial": "yellow",
    "moved": "yellow",
    "missed": "red",
    "substituted": "red",
}
# Short enough for a 50 px cell on a 390 px phone.
_STRIP_WORDS = {"substituted": "swap"}
_TEXT_COLOUR = "#1d2125"
_FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

_CSS = """
body { margin:0; padding:0; background:#f4f5f7; color:#1d2125; }
.wrap { max-width:640px; margin:0 auto; padding:12px; background:#ffffff; }
h1 { font-size:20px; margin:4px 0; }
h2 { font-size:16px; margin:18px 0 6px; border-bottom:1px solid #e4e6ea; padding-bottom:3px; }
p { margin:4px 0; line-height:1.4; }
table { border-collapse:collapse; }
.sessions td, .sessions th { padding:5px 4px; vertical-align:top; text-align:left;
  border-bottom:1px solid #eceef1; font-size:14px; }
.exec { font-size:13px; color:#333a40; }
.muted { color:#5b636b; font-size:13px; }
ul { margin:4px 0; padding-left:20px; }
li { margin:2px 0; line-height:1.4; }
"""


def _day_colour(sessions: list[SessionResult]) -> tuple[str, str]:
    """Colour name and word for one calendar day of the strip.

    Rest days and days with nothing planned are grey. Several sessions on one day: if they agree
    the day takes their colour, else it is yellow (part of the day's plan was not as planned).
    """
    work = [s for s in sessions if s.planned.type != "rest"]
    if not work:
        return "grey", ""
    colours = {STATUS_COLOUR.get(s.status, "grey") for s in work}
    colour = colours.pop() if len(colours) == 1 else "yellow"
    if len(work) == 1:
        status = work[0].status
        word = f"{STATUS_ICONS.get(status, '')} {_STRIP_WORDS.get(status, status)}".strip()
    else:
        word = " ".join(STATUS_ICONS.get(s.status, "?") for s in work)
    return colour, word


def week_strip(report: WeekReport) -> str:
    """Seven cells Mon..Sun, coloured by how the day went (green/yellow/red/grey)."""
    cells = []
    for i in range(7):
        day = report.start + timedelta(days=i)
        day_sessions = [s for s in report.sessions if s.planned.day == day]
        colour, word = _day_colour(day_sessions)
        types = escape(" + ".join(s.planned.type for s in day_sessions)) or "&nbsp;"
        title = escape("; ".join(f"{s.planned.type}: {s.status}" for s in day_sessions)
                       or "nothing planned", quote=True)
        extra = sum(1 for r in report.extra if r.day == day)
        extra_html = f'<br><span style="font-size:11px">+{extra} extra</span>' if extra else ""
        hexcol = STRIP_COLOURS[colour]
        cells.append(
            f'<td class="strip-cell" data-day="{weekday(day)}" data-colour="{colour}" '
            f'title="{title}" '
            f'bgcolor="{hexcol}" width="14%" align="center" valign="top" '
            f'style="background-color:{hexcol};color:{_TEXT_COLOUR};border:2px solid #ffffff;'
            f'padding:6px 1px;text-align:center;font-size:11px;line-height:1.3;'
            f'overflow:hidden">'
            f'<strong style="font-size:13px">{weekday(day)}</strong><br>{types}<br>'
            f"{escape(word) or '&nbsp;'}{extra_html}</td>"
        )
    return (
        '<table class="week-strip" role="presentation" width="100%" cellpadding="0" '
        'cellspacing="0" style="width:100%;border-collapse:collapse;table-layout:fixed">'
        f"<tr>{''.join(cells)}</tr></table>"
    )


def _sessions_table(report: WeekReport) -> str:
    rows = session_rows(report)
    if not rows:
        return '<p class="muted">No sessions planned this week.</p>'
    out = [
        '<table class="sessions" width="100%" cellpadding="4" cellspacing="0" '
        'style="width:100%;border-collapse:collapse">',
        '<tr><th style="text-align:left">Day</th><th style="text-align:left">Planned</th>'
        '<th style="text-align:left">Result</th></tr>',
    ]
    for r in rows:
        colour = STRIP_COLOURS[STATUS_COLOUR.get(r.status, "grey")]
        details = [d for d in (
            f"ran {r.actual}" if r.actual != "-" else "",
            f"{r.reps} reps" if r.reps != "-" else "",
            f"volume {r.volume}" if r.volume != "-" else "",
            "matched by hand" if r.pinned else "",
        ) if d]
        note = f'<br><span class="muted">{escape(r.note)}</span>' if r.note else ""
        out.append(
            "<tr>"
            f'<td style="white-space:nowrap">{escape(r.short_day)}</td>'
            f"<td><strong>{escape(r.planned)}</strong><br>{escape(r.workout)}{note}</td>"
            f'<td><span class="status status-{escape(r.status)}" '
            f'style="background-color:{colour};padding:1px 6px;border-radius:3px;'
            f'white-space:nowrap">{escape(r.icon)} {escape(r.status_label)}</span>'
            + (f'<br><span class="muted">{escape(", ".join(details))}</span>' if details else "")
            + "</td></tr>"
        )
        if r.execution is not None:
            ex = r.execution
            items = "".join(f"<br>⚠ {escape(f)}" for f in ex.flags)
            items += "".join(f"<br>✓ {escape(p)}" for p in ex.praise)
            out.append(
                f'<tr><td colspan="3" class="exec" style="padding:0 4px 8px 12px;font-size:13px;'
                f'border-left:3px solid #2f7dd1">{escape(ex.line)}{items}</td></tr>'
            )
    out.append("</table>")
    return "\n".join(out)


def _history_table(report: WeekReport) -> str:
    """The chart's numbers as a table: some mail clients (Gmail) strip inline SVG."""
    if not report.history:
        return ""
    rows = "".join(
        f'<tr><td style="padding:1px 8px 1px 0">{escape(w)}</td>'
        f'<td align="right" style="padding:1px 8px;text-align:right">'
        f'{"-" if p is None else f"{p:.1f}"}</td>'
        f'<td align="right" style="padding:1px 0 1px 8px;text-align:right">{r:.1f}</td></tr>'
        for w, p, r in report.history
    )
    return (
        '<table class="history muted" cellpadding="0" cellspacing="0" '
        'style="font-size:12px;margin-top:6px">'
        '<tr><th style="text-align:left;padding-right:8px">Week</th>'
        '<th style="text-align:right;padding:0 8px">Planned km</th>'
        '<th style="text-align:right;padding-left:8px">Run km</th></tr>'
        f"{rows}</table>"
    )


def render_html(report: WeekReport) -> str:
    """The whole page as a string (UTF-8, no external resources)."""
    e = escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f"<title>{e(header_title(report))}</title>",
        f"<style>{_CSS}</style></head>",
        f'<body style="margin:0;padding:0;background:#f4f5f7;font-family:{_FONT}">',
        '<div class="wrap" style="max-width:640px;margin:0 auto;padding:12px;'
        f'background:#ffffff;font-family:{_FONT};color:{_TEXT_COLOUR}">',
        f'<h1 style="font-size:20px;margin:4px 0">{e(header_title(report))}</h1>',
        f"<p>{e(header_subtitle(report))}</p>",
        f'<p style="font-size:17px"><strong>{e(adherence_text(report))}</strong></p>',
        week_strip(report),
        "<h2>Sessions</h2>",
        _sessions_table(report),
    ]
    if report.extra:
        parts.append("<h2>Extra runs</h2><ul>")
        parts += [f"<li>{e(extra_run_line(r))}</li>"
                  for r in sorted(report.extra, key=lambda r: r.start_local)]
        parts.append("</ul>")
    parts.append('<h2>Totals</h2><table class="totals" cellpadding="0" cellspacing="0">')
    parts += [f'<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">'
              f'{e(t.label)}</th><td style="padding:2px 0">{e(t.value)}</td></tr>'
              for t in totals_lines(report)]
    parts.append("</table>")
    if report.warnings:
        parts.append('<h2 style="color:#a01818">Warnings</h2><ul>')
        parts += [f"<li>⚠ {e(w.text)}</li>" for w in report.warnings]
        parts.append("</ul>")
    if report.history:
        parts.append("<h2>Weekly km</h2>")
        parts.append(weekly_km_chart(report.history, current_week=report.week))
        parts.append(_history_table(report))
    parts.append('<p class="muted" style="margin-top:16px">Sent by syncd.</p>')
    parts.append("</div></body></html>")
    return "\n".join(parts) + "\n"
