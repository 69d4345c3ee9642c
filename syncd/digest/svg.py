"""Planned vs run weekly km as an inline SVG bar chart (no script, no external anything).

Bars are run km; a dashed outline behind each bar is the planned km (absent when the week had no
plan). The chart carries a <title> and <desc> with the numbers so screen readers (and mail
clients that drop SVG, for which the HTML page adds a table) lose nothing.
"""

from __future__ import annotations

import math
from html import escape

__all__ = ["RUN_FILL", "PLAN_STROKE", "weekly_km_chart"]

RUN_FILL = "#2f7dd1"
RUN_FILL_CURRENT = "#174f8f"
PLAN_STROKE = "#555555"

_W, _H = 380, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 34, 6, 24, 38


def _nice_step(top: float) -> float:
    """A tick step giving 3-6 gridlines with round numbers (5, 10, 20, 25, 50 km ...)."""
    if top <= 0:
        return 10.0
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _week_label(week: str) -> str:
    """'2025-W11' -> 'W11' (the year is in the title)."""
    return week.split("-", 1)[1] if "-W" in week else week


def weekly_km_chart(
    history: list[tuple[str, float | None, float]], *, current_week: str | None = None
) -> str:
    """One <svg> element for up to 12 weeks of (week, planned km, run km), oldest first."""
    n = len(history)
    e = escape
    desc = "; ".join(
        f"{w}: run {r:.1f} km" + (f", planned {p:.1f} km" if p is not None else ", no plan")
        for w, p, r in history
    ) or "no weeks yet"
    title = f"Planned vs run km, last {n} week{'s' if n != 1 else ''}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="100%" '
        f'role="img" aria-labelledby="km-title km-desc" class="km-chart" '
        f'style="display:block;max-width:100%;height:auto" '
        f'font-family="-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif">',
        f'<title id="km-title">{e(title)}</title>',
        f'<desc id="km-desc">{e(desc)}</desc>',
    ]
    top = max([r for _, _, r in history] + [p for _, p, _ in history if p is not None] + [0.0])
    step = _nice_step(top)
    y_max = max(step, math.ceil(top / step) * step) if top > 0 else step * 4
    plot_w = _W - _LEFT - _RIGHT
    plot_h = _H - _TOP - _BOTTOM

    def y(v: float) -> float:
        return _TOP + plot_h - (v / y_max) * plot_h

    # Gridlines and y labels.
    tick = 0.0
    while tick <= y_max + 1e-9:
        yy = y(tick)
        out.append(f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" '
                   f'stroke="#dddddd" stroke-width="1"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{yy + 4:.1f}" font-size="12" text-anchor="end" '
                   f'fill="#444444">{_fmt(tick)}</text>')
        tick += step
    out.append('<text x="4" y="12" font-size="12" fill="#444444">km</text>')

    slot = plot_w / max(n, 1)
    bar_w = min(slot * 0.56, 24.0)  # a few weeks must not become slabs
    for i, (week, planned, run) in enumerate(history):
        x = _LEFT + i * slot + (slot - bar_w) / 2
        cx = _LEFT + i * slot + slot / 2
        label = f"{week}: run {run:.1f} km" + (
            f", planned {planned:.1f} km" if planned is not None else ", no plan")
        if planned is not None and planned > 0:
            py = y(planned)
            out.append(
                f'<rect class="bar-plan" x="{x - 3:.1f}" y="{py:.1f}" width="{bar_w + 6:.1f}" '
                f'height="{_TOP + plot_h - py:.1f}" fill="none" stroke="{PLAN_STROKE}" '
                f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
        ry = y(max(run, 0.0))
        fill = RUN_FILL_CURRENT if week == current_week else RUN_FILL
        out.append(
            f'<rect class="bar-run" x="{x:.1f}" y="{ry:.1f}" width="{bar_w:.1f}" '
            f'height="{_TOP + plot_h - ry:.1f}" fill="{fill}"><title>{e(label)}</title></rect>'
        )
        weight = ' font-weight="bold"' if week == current_week else ""
        out.append(f'<text x="{cx:.1f}" y="{_H - _BOTTOM + 16}" font-size="11" '
                   f'text-anchor="middle" fill="#444444"{weight}>{e(_week_label(week))}</text>')
    # Axis and legend.
    base = _TOP + plot_h
    out.append(f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{base}" y2="{base}" '
               f'stroke="#888888" stroke-width="1"/>')
    ly = _H - 8
    out.append(f'<rect x="{_LEFT}" y="{ly - 10}" width="14" height="10" fill="{RUN_FILL}"/>')
    out.append(f'<text x="{_LEFT + 20}" y="{ly}" font-size="12" fill="#333333">run</text>')
    out.append(f'<rect x="{_LEFT + 60}" y="{ly - 10}" width="14" height="10" fill="none" '
               f'stroke="{PLAN_STROKE}" stroke-width="1.5" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{_LEFT + 80}" y="{ly}" font-size="12" fill="#333333">planned</text>')
    out.append("</svg>")
    return "\n".join(out)
