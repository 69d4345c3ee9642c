"""Every format renders the whole week: statuses, execution lines, extras, totals, warnings."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from syncd.digest import FORMATS, render
from syncd.digest.markdown import md_escape
from syncd.digest.text import print_text, render_text
from syncd.errors import UsageError
from tests.digest.fixtures import (
    EXTRA_NAME,
    HILL_LINE,
    INTERVAL_LINE,
    SCRIPT,
    WARNING_TEXTS,
    hostile_report,
    no_plan_report,
    rich_report,
)

# Text that must appear, verbatim, in every human format of the rich report.
COMMON = [
    "2025-W11", "10-16 Mar 2025", "Spring 10k block", "5 weeks to City 10k",
    INTERVAL_LINE, HILL_LINE, "built through the reps", "warm-up short (9 min)",
    EXTRA_NAME, "(activity 201)", *WARNING_TEXTS,
    "47.4 of 52.0 km planned", "4 h 22 min of 4 h 50 min planned", "78 % of running time",
    "71 %", "8 of 8", "10 of 10", "102 %", "60 %",
    "done", "partial", "moved", "substituted", "missed",
    "keep it conversational", "8x200m", "10x60s", "45 min", "24.0 km",
]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_rich_week_has_everything(fmt):
    out = render(rich_report(), fmt)
    missing = [s for s in COMMON if s not in out]
    assert not missing, f"{fmt} lacks {missing}"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_no_plan_week(fmt):
    out = render(no_plan_report(), fmt)
    assert "No plan this week" in out
    assert "nothing planned" in out
    assert "No sessions planned this week." in out
    assert "Tuesday easy" in out and "Saturday easy" in out
    assert "21.0 km" in out
    assert "Spring" not in out and "None" not in out


def test_text_rows_in_calendar_order_with_status_per_row():
    out = render_text(rich_report())
    days = re.findall(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ Mar\s+(\w+).*?(done|partial|moved|"
                      r"substituted|missed)", out, flags=re.M)
    assert days == [
        ("Mon", "rest", "done"), ("Tue", "interval", "done"), ("Wed", "easy", "partial"),
        ("Thu", "hill", "moved"), ("Fri", "easy", "substituted"), ("Sat", "easy", "missed"),
        ("Sun", "long", "done"),
    ]
    # The execution line is never wrapped, even when narrower than the line.
    assert INTERVAL_LINE in render_text(rich_report(), width=60)
    assert "\x1b[" not in out


def test_print_text_colours_statuses():
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="standard", width=120)
    print_text(rich_report(), console)
    out = buf.getvalue()
    for colour_code, word in (("32", "done"), ("33", "partial"), ("36", "moved"),
                              ("35", "substituted"), ("31", "missed")):
        assert re.search(rf"\x1b\[{colour_code}m\S+ {word}", out), word


def test_text_does_not_interpret_markup_in_user_text():
    out = render_text(hostile_report(), width=160)
    assert "[red]run[/red]" in out
    assert SCRIPT in out  # a terminal shows it as typed


def test_markdown_table_shape():
    out = render(rich_report(), "markdown")
    rows = [ln for ln in out.splitlines() if ln.startswith("| ") and "---" not in ln]
    assert len(rows) == 1 + 7  # header + one per planned session
    assert all(r.count(" | ") == 6 for r in rows)
    assert out.startswith("# Week 2025-W11")
    assert "### Execution" in out and "## Warnings" in out and "## Extra runs" in out


def test_markdown_escapes_user_text():
    out = render(hostile_report(), "markdown")
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out
    assert r"\[red\]run\[/red\] \| x" in out  # a pipe cannot split the row
    assert "Race &amp; &lt;b&gt;bold&lt;/b&gt;" in out
    assert md_escape("a\nb") == "a b"


def test_json_is_the_model_shape():
    report = rich_report()
    out = render(report, "json")
    data = json.loads(out)
    assert data == json.loads(json.dumps(report.to_json()))
    assert data["sessions"][1]["execution"]["line"] == INTERVAL_LINE
    assert out.startswith('{\n  "week": "2025-W11"')  # indent=2
    assert json.loads(render(no_plan_report(), "json"))["adherence_pct"] is None


def test_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError, match="pdf"):
        render(rich_report(), "pdf")
    assert FORMATS == ("text", "markdown", "html", "json")


def test_render_does_not_mutate_report():
    report = rich_report()
    before = report.to_json()
    for fmt in FORMATS:
        render(report, fmt)
    assert report.to_json() == before
