"""The plan stage's one error: a plan the user can fix (file, line, key, what was expected)."""

from __future__ import annotations

from syncd.errors import SyncdError


class PlanError(SyncdError):
    """A bad plan file or calendar import. Exit code 2 like every other configuration error."""

    kind = "bad-input"
