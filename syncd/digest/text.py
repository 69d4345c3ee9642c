"""The digest for a terminal: rich tables, coloured live, plain when captured to a string.

User text (activity names, plan names, notes) goes in as `rich.text.Text`, never as markup, so a
name like "[red]x" is shown as typed and cannot restyle or break the table.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

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

__all__ = ["STATUS_STYLES", "build_renderable", "print_text", "render_text"]

STATUS_STYLES = {
    "done": "green",
    "partial": "yellow",
    "moved": "cyan",
    "substituted": "magenta",
    "missed": "red",
}


def build_renderable(report: WeekReport) -> RenderableType:
    """Everything the terminal shows, as one rich renderable (styles kept; export decides)."""
    parts: list[RenderableType] = [
        Text(header_title(report), style="bold"),
        Text(header_subtitle(report)),
        Text(adherence_text(report), style="bold"),
        Text(""),
    ]

    rows = session_rows(report)
    if rows:
        table = Table(title="Sessions", title_justify="left", box=box.SIMPLE_HEAD,
                      show_edge=False, pad_edge=False)
        for name, justify in (("Day", "left"), ("Planned", "left"), ("Workout", "left"),
                              ("Status", "left"), ("Actual", "left"), ("Reps", "right"),
                              ("Volume", "right")):
            table.add_column(name, justify=justify,  # type: ignore[arg-type]
                             no_wrap=name in ("Day", "Status", "Reps", "Volume"))
        for r in rows:
            status = Text(f"{r.icon} {r.status_label}" + (" (pinned)" if r.pinned else ""),
                          style=STATUS_STYLES.get(r.status, ""))
            workout = Text(r.workout)
            if r.note:
                workout.append(f"\n{r.note}", style="dim")
            table.add_row(Text(r.day), Text(r.planned), workout, status, Text(r.actual),
                          Text(r.reps), Text(r.volume))
        parts.append(table)
    else:
        parts.append(Text("No sessions planned this week."))

    quality = quality_sessions(report)
    if quality:
        parts += [Text(""), Text("Execution", style="bold")]
        for row, ex in quality:
            parts.append(Text(execution_heading(row), style="bold"))
            # Never wrapped: one execution line stays one line, greppable in cron mail.
            parts.append(Text(f"  {ex.line}", no_wrap=True, overflow="ignore"))
            for flag in ex.flags:
                parts.append(Text(f"  ! {flag}", style="yellow"))
            for good in ex.praise:
                parts.append(Text(f"  + {good}", style="green"))

    if report.extra:
        parts += [Text(""), Text("Extra runs", style="bold")]
        parts += [Text(f"- {extra_run_line(run)}") for run in sorted(report.extra,
                                                                     key=lambda r: r.start_local)]

    totals = Table(title="Totals", title_justify="left", box=None, show_header=False,
                   pad_edge=False)
    totals.add_column(style="bold")
    totals.add_column()
    for t in totals_lines(report):
        totals.add_row(Text(t.label), Text(t.value))
    parts += [Text(""), totals]

    if report.warnings:
        parts += [Text(""), Text("Warnings", style="bold red")]
        parts += [Text(f"! {w.text}", style="red") for w in report.warnings]
    return Group(*parts)


def render_text(report: WeekReport, *, width: int = 100) -> str:
    """The digest as plain text (no colour codes): for logs, cron mail and tests."""
    console = Console(record=True, width=width, file=io.StringIO(), color_system=None,
                      force_terminal=False, legacy_windows=False)
    console.print(build_renderable(report), crop=False)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def print_text(report: WeekReport, console: Console) -> None:
    """Show the digest live, status words coloured (done green ... missed red)."""
    console.print(build_renderable(report), crop=False)
