"""The HTML page: self-contained, phone-ready, week strip and chart right, user text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from syncd.digest import render
from syncd.digest.html import STRIP_COLOURS, render_html
from syncd.digest.svg import weekly_km_chart
from tests.digest.fixtures import (
    INTERVAL_LINE,
    RICH_STRIP,
    SCRIPT,
    hostile_report,
    no_plan_report,
    rich_report,
)


class Page(HTMLParser):
    """Every start tag with its attributes, all text, and the text of <title>s inside <svg>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.svg_titles: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "meta", "img", "link", "hr", "input"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] == "title" and "svg" in self.stack:
            self.svg_titles.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags
                if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


def test_self_contained_no_script_no_external_resources():
    html = render_html(rich_report())
    page = Page(html)
    names = {t for t, _ in page.tags}
    assert "script" not in names
    assert not names & {"link", "img", "iframe", "object", "embed", "base", "form", "input"}
    for tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs, tag
        assert not [a for a in attrs if a.startswith("on")], tag
    lowered = html.lower()
    for needle in ("url(", "@import", "javascript:", "http://", "https://", "@font-face"):
        # The SVG namespace is a name, not something fetched.
        assert needle not in lowered.replace('xmlns="http://www.w3.org/2000/svg"', ""), needle


def test_phone_and_mail_friendly():
    html = render_html(rich_report())
    page = Page(html)
    viewports = page.find("meta", name="viewport")
    assert viewports and "width=device-width" in (viewports[0]["content"] or "")
    assert page.find("meta", charset="utf-8")
    wrap = page.find("div", class_="wrap")[0]
    assert "max-width:640px" in (wrap["style"] or "")
    # Core layout is tables, not flex/grid.
    assert "display:flex" not in html.replace(" ", "") and "grid" not in html
    assert html.startswith("<!DOCTYPE html>")


def test_week_strip_seven_cells_coloured_by_status():
    page = Page(render_html(rich_report()))
    strips = page.find("table", class_="week-strip")
    assert len(strips) == 1
    cells = page.find("td", class_="strip-cell")
    assert [c["data-day"] for c in cells] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert tuple(c["data-colour"] for c in cells) == RICH_STRIP
    for cell, colour in zip(cells, RICH_STRIP, strict=True):
        assert f"background-color:{STRIP_COLOURS[colour]}" in (cell["style"] or "")
        assert cell["bgcolor"] == STRIP_COLOURS[colour]
    assert len(set(STRIP_COLOURS.values())) == 4


def test_week_strip_no_plan_is_all_grey():
    cells = Page(render_html(no_plan_report())).find("td", class_="strip-cell")
    assert [c["data-colour"] for c in cells] == ["grey"] * 7


def test_chart_twelve_bars_with_accessible_title():
    report = rich_report()
    page = Page(render_html(report))
    svgs = page.find("svg")
    assert len(svgs) == 1
    assert svgs[0]["role"] == "img" and svgs[0]["aria-labelledby"]
    bars = page.find("rect", class_="bar-run")
    assert len(bars) == 12
    # W04 has no plan: 11 planned outlines.
    assert len(page.find("rect", class_="bar-plan")) == 11
    assert "Planned vs run km, last 12 weeks" in page.svg_titles
    # Taller bar for more km: W07 (12 km) is the shortest.
    heights = [float(b["height"] or 0) for b in bars]
    assert heights.index(min(heights)) == 7
    assert max(heights) == heights[-1]
    text = "".join(page.text)
    assert "W11" in text and "W52" in text  # axis labels
    assert "2025-W07" in text  # the numbers table for mail clients that drop SVG


def test_chart_handles_empty_and_zero_history():
    assert 'class="bar-run"' not in weekly_km_chart([])
    svg = weekly_km_chart([("2025-W01", None, 0.0), ("2025-W02", 0.0, 0.0)])
    assert svg.count('class="bar-run"') == 2 and "nan" not in svg


def test_execution_lines_present():
    html = render(rich_report(), "html")
    assert INTERVAL_LINE in "".join(Page(html).text)


def test_user_text_is_escaped():
    html = render_html(hostile_report())
    page = Page(html)
    assert "script" not in {t for t, _ in page.tags}
    assert not page.find("img") and not page.find("b")
    text = "".join(page.text)
    assert SCRIPT in text  # shown as text
    assert '<img src="http://evil.example/p.png" onerror="alert(1)">' in text
    assert "Race & <b>bold</b>" in text
    assert "&lt;script&gt;" in html
