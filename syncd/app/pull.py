"""Pulling: every registered API source (`syncd.sources.registry`) through the one sync loop
(`syncd.jobs.sync.sync`), each sync followed by the classification of what it changed.

Which sources, for whom: `sources_for` is one athlete's (the CLI's `--athlete`), built at once
so that what stops a pull is said before the writer lock is waited for; `every_source` is
every athlete of every source (the daemon), each built when its turn comes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from syncd.errors import AuthError

if TYPE_CHECKING:
    from syncd.app.context import App
    from syncd.jobs.classify import ClassifyReport
    from syncd.jobs.sync import SyncReport
    from syncd.sources.base import Source
    from syncd.sources.registry import SourceKind, Waiter
    from syncd.store.tables import Athlete

# The waiter a source gets for one athlete: what to do when its rate budget is spent.
WaiterFor = Callable[["SourceKind", "Athlete"], "Waiter | None"]


@dataclass(frozen=True)
class Pullable:
    """One source, built for one athlete."""

    kind: SourceKind
    athlete: Athlete
    source: Source


@dataclass
class SourcePull:
    """One source's sync for one athlete (`kind` is the source's name), and the classification
    of what it changed (None when nothing did)."""

    kind: str
    athlete: Athlete
    report: SyncReport
    classified: ClassifyReport | None


@dataclass
class PullOutcome:
    """Every source's sync, in the order they ran."""

    pulls: list[SourcePull] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        keys = ("new", "updated", "deleted", "api_calls")
        return {k: sum(getattr(p.report, k) for p in self.pulls) for k in keys}

    @property
    def budget(self) -> dict[str, Any]:
        """The rate budget the last source reported."""
        return self.pulls[-1].report.budget if self.pulls else {}

    @property
    def stopped(self) -> str | None:
        """Why the first source that stopped early stopped."""
        return next((p.report.stopped for p in self.pulls if p.report.stopped), None)


def _build(app: App, kind: SourceKind, who: Athlete, waiter_for: WaiterFor | None) -> Pullable:
    waiter = waiter_for(kind, who) if waiter_for else None
    return Pullable(kind, who, kind.build(app.config, app.secrets(), who, waiter))


def sources_for(app: App, athlete: str | None, *,
                waiter_for: WaiterFor | None = None) -> list[Pullable]:
    """The sources of one athlete (`--athlete`, else the only one), built now.

    What the config alone shows comes first (a missing client id), then which athlete; an
    athlete that no source serves gets the error of building one (e.g. "not linked yet").
    """
    from syncd.sources.registry import api_sources

    kinds = api_sources()
    for kind in kinds:
        kind.check(app.config)
    who = app.athlete(athlete)
    serving = [k for k in kinds if any(a.id == who.id for a in k.athletes(app.store))]
    return [_build(app, kind, who, waiter_for) for kind in serving or kinds]


def every_source(app: App, *, waiter_for: WaiterFor | None = None) -> Iterator[Pullable]:
    """Every source for every athlete linked to it, each built when the pull reaches it;
    AuthError at once when no athlete is linked to any."""
    from syncd.sources.registry import api_sources

    kinds = api_sources()
    work = [(kind, who) for kind in kinds for who in kind.athletes(app.store)]
    if not work:
        auth = " or ".join(f"`syncd auth {k.name}`" for k in kinds)
        raise AuthError("Nothing to pull: no source is linked to an athlete (not "
                        f"authorised yet): run {auth}.")
    return (_build(app, kind, who, waiter_for) for kind, who in work)


def pull(
    app: App,
    work: Iterable[Pullable],
    *,
    full: bool = False,
    since: date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    synced: Callable[[SourcePull], None] | None = None,
) -> PullOutcome:
    """Sync each source, then classify what it changed (`synced` hears of each sync before
    that); Ctrl-C ends the pull after the source it interrupted (what was committed stays)."""
    from syncd.app.classify import classify_changed
    from syncd.jobs.sync import SyncOptions, sync

    cfg = app.config
    outcome = PullOutcome()
    for item in work:
        opts = SyncOptions(since=since, full=full, overlap_days=item.kind.overlap_days(cfg),
                           default_tz=cfg.athlete.timezone)
        report = sync(app.store, item.athlete, item.source, opts, progress=progress,
                      should_stop=should_stop)
        done = SourcePull(item.kind.name, item.athlete, report, None)
        outcome.pulls.append(done)
        if synced is not None:
            synced(done)
        done.classified = classify_changed(app, item.athlete, report.changed_ids)
        if report.stopped == "interrupted":
            break
    return outcome
