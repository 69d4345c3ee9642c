"""The one interface every source implements, and what it hands the sync loop.

A source lists activity summaries since a point in time (the loop adds the overlap), fetches one
activity's streams and laps, says whether a listing was complete (the only evidence for a
deletion), reports its health and its rate budget. It never touches the database: the generic
loop in `syncd.jobs.sync` stores what it yields.

Errors a source raises carry a kind (`syncd.errors`): `SourceUnavailable` leaves the item for
the next sync, a plain `SourceError` marks it failed, auth/subscription/rate-limit errors stop
the source (and only that source).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from syncd.sources.records import ActivityRecord, LapRecord, Streams


@dataclass
class Page:
    """One page of a listing. `complete` on the last page of a listing that covered every
    activity from `after` to now: only then may activities missing from it be deleted."""

    records: list[ActivityRecord]
    complete: bool = False
    unreadable: int = 0  # summaries on this page the source could not read (skipped, logged)


@dataclass
class Fetched:
    """One activity's detail: streams (None when it has none), laps, a fuller summary."""

    streams: Streams | None
    laps: list[LapRecord] = field(default_factory=list)
    detail: dict[str, Any] | None = None


@dataclass
class Health:
    """What a source can say of itself without a sync: usable, and if not, why (an error
    kind and a message a person can act on); when its credentials lapse."""

    ok: bool
    kind: str | None = None
    message: str = ""
    expires_at: datetime | None = None


@runtime_checkable
class Source(Protocol):
    """A place activities come from. `name` is the store's link name ("strava", "file")."""

    name: str
    # Summaries first, then a fetch per activity (APIs); False when listing yields whole
    # records with their streams (files).
    needs_fetch: bool

    def pages(self, after: datetime | None, *, full: bool) -> Iterator[Page]:
        """Pages of summaries of activities starting after `after` (None: everything)."""
        ...

    def fetch(self, source_id: str) -> Fetched:
        """Streams and laps of one activity; raises SourceError (kinds as above)."""
        ...

    def budget(self) -> dict[str, Any]:
        """Calls made and what is left of the rate limits, for reports and status."""
        ...

    def health(self) -> Health:
        """Whether the source is usable now."""
        ...
