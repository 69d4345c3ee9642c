"""The digest as Markdown: one table for the sessions, lists for the rest.

Readable raw (Slack, plain webhooks) and rendered (GitHub, Matrix, Discord). User text is
escaped twice over: Markdown punctuation gets a backslash, and `<`, `>`, `&` become entities,
because chat bridges (and Apprise for HTML-only services) turn Markdown into HTML and pass raw
HTML through: an activity named "<script>" must stay text.
"""

from __future__ import annotations

import re

from syncd.digest import (
    adherence_text,
    execution_heading,
    extra_run_line,
    header_subtitle,
    header_title,
    quality_sessions,
    session_rows,
    totals_lines,
)
from syncd.plan.model import WeekReport

__all__ = ["md_escape", "render_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: str) -> str:
    """Make arbitrary text inert in Markdown and in the HTML it may be converted to."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # A newline would end a table row or a list item.
    return " ".join(text.splitlines())


def render_markdown(report: WeekReport) -> str:
    """The same content as the terminal digest, as a Markdown document."""
    e = md_escape
    out: list[str] = [
        f"# {e(header_title(report))}",
        "",
        e(header_subtitle(report)),
        "",
        f"**{e(adherence_text(report))}**",
        "",
        "## Sessions",
        "",
    ]
    rows = session_rows(report)
    if rows:
        out.append("| Day | Planned | Workout | Status | Actual | Reps | Volume |")
        out.append("|---|---|---|---|---|--:|--:|")
        for r in rows:
            workout = e(r.workout) + (f" ({e(r.note)})" if r.note else "")
            status = f"{r.icon} {r.status_label}" + (" (pinned)" if r.pinned else "")
            out.append(
                f"| {e(r.day)} | {e(r.planned)} | {workout} | {e(status)} | {e(r.actual)} "
                f"| {e(r.reps)} | {e(r.volume)} |"
            )
    else:
        out.append("No sessions planned this week.")

    quality = quality_sessions(report)
    if quality:
        out += ["", "### Execution", ""]
        for row, ex in quality:
            out.append(f"- **{e(execution_heading(row))}:** {e(ex.line)}")
            out += [f"  - ⚠ {e(flag)}" for flag in ex.flags]
            out += [f"  - ✓ {e(good)}" for good in ex.praise]

    if report.extra:
        out += ["", "## Extra runs", ""]
        out += [f"- {e(extra_run_line(run))}"
                for run in sorted(report.extra, key=lambda r: r.start_local)]

    out += ["", "## Totals", ""]
    out += [f"- **{e(t.label)}:** {e(t.value)}" for t in totals_lines(report)]

    if report.warnings:
        out += ["", "## Warnings", ""]
        out += [f"- ⚠ {e(w.text)}" for w in report.warnings]
    return "\n".join(out) + "\n"
