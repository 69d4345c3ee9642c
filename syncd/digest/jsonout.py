"""The digest as JSON: the documented shape of `WeekReport.to_json`, for scripts and webhooks."""

from __future__ import annotations

import json

from syncd.plan.model import WeekReport

__all__ = ["render_json"]


def render_json(report: WeekReport) -> str:
    """`WeekReport.to_json()` pretty-printed; the model owns the shape, so it is not duplicated."""
    return json.dumps(report.to_json(), indent=2)
