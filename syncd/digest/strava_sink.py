"""One "syncd: ..." line in a Strava activity's description, added once and never twice.

The athlete (and the coach following them) sees on Strava how the run was held against the
plan. The line is recognised by its "syncd:" prefix, so a re-run of the digest, a forced
re-post or a second machine never stacks a second line.
"""

from __future__ import annotations

from syncd.plan.model import SessionResult

__all__ = ["PREFIX", "append_line", "description_line", "has_line"]

PREFIX = "syncd:"


def description_line(result: SessionResult) -> str:
    """'syncd: interval - planned 8x200m, 8 of 8 reps' (one line, no user text beyond the plan's).

    The label is what was run (the planned type when nothing was); the tail is the reps when
    counted, else the status, with the status added when the session was not simply done.
    """
    p = result.planned
    label = result.actual or p.type
    if p.workout is not None:
        planned = p.workout.text
    elif p.minutes is not None:
        planned = f"{p.type} {p.minutes:.0f} min"
    elif p.km is not None:
        planned = f"{p.type} {p.km:g} km"
    else:
        planned = p.type
    if result.reps:
        tail = f"{result.reps} reps"
        if result.status != "done":
            tail += f" ({result.status})"
    else:
        tail = result.status
    line = f"{PREFIX} {label} - planned {planned}, {tail}"
    return " ".join(line.split())  # never a newline: it must stay one line


def has_line(description: str | None) -> bool:
    """True when a syncd line is already in the description (any line starting 'syncd:')."""
    if not description:
        return False
    return any(ln.strip().lower().startswith(PREFIX) for ln in description.splitlines())


def append_line(description: str | None, line: str) -> str | None:
    """The description with `line` appended, or None when a syncd line is already there.

    None means "do not update the activity": the caller skips the API write altogether.
    """
    if has_line(description):
        return None
    line = " ".join(line.split())
    if not description or not description.strip():
        return line
    return description.rstrip() + "\n" + line
