"""One "syncd: ..." line in a Strava activity's description, added once and never twice.

The athlete (and the coach following them) sees on Strava how the run was held against the
plan. The line is recognised by its "syncd:" prefix, so a re-run of the digest, a forced
re-post or a second machine never stacks a second line.

`sinks_and_poster` is the one place that wires the `strava` sink of `digest.post_to` to an
athlete's Strava (config, secrets, tokens), for every shell that posts a digest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from syncd.plan.model import SessionResult, WeekReport

if TYPE_CHECKING:
    from syncd.config import Config
    from syncd.store.tables import Athlete

__all__ = ["PREFIX", "append_line", "description_line", "has_line", "sinks_and_poster",
           "strava_description_poster"]

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


def strava_description_poster(api: Any) -> Callable[[WeekReport], bool]:
    """Append one `syncd:` line to each matched run's Strava description, never twice."""

    def post(report: WeekReport) -> bool:
        for session in report.sessions:
            line = description_line(session)
            for activity_id in session.activity_ids:
                if not activity_id.isdigit():
                    continue  # not a Strava activity (a file never uploaded)
                current = api.get_activity(int(activity_id)).get("description")
                updated = append_line(current, line)
                if updated is not None:
                    api.update_description(int(activity_id), updated)
        return True

    return post


def sinks_and_poster(
    cfg: Config, secrets: Callable[[], Any], who: Athlete, *,
    waiter: Callable[[float, str], None] | None = None, skip_unlinked: bool = False,
) -> tuple[list[str], Callable[[WeekReport], bool] | None]:
    """`digest.post_to` for `who`, and the poster of its `strava` sink (None without one).

    An athlete not linked to Strava is an AuthError, or with `skip_unlinked` (the daemon
    posting for every athlete) simply has no `strava` sink. `secrets` is opened only when the
    config names a client id.
    """
    from syncd.digest.sinks import STRAVA_SINK
    from syncd.sources.strava.factory import strava_api, strava_client

    sinks = list(cfg.digest.post_to)
    if STRAVA_SINK not in sinks:
        return sinks, None
    if skip_unlinked and who.strava_id is None:
        sinks.remove(STRAVA_SINK)  # a files-only athlete has no Strava activities
        return sinks, None
    strava_client(cfg)  # a missing client id is the first thing to say
    api, _scopes, _tokens = strava_api(cfg, None, secrets(), who, waiter=waiter)
    return sinks, strava_description_poster(api)
