"""Every source syncd can pull, by name: how to build it for an athlete and whom it serves.

Adding a source is one package under `syncd/sources/`, one entry here, and the contract tests
(tests/sources/test_contract.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syncd.config import Config
from syncd.sources.base import Source
from syncd.store.repo import Store
from syncd.store.tables import Athlete

Waiter = Callable[[float, str], None]


@dataclass(frozen=True)
class SourceKind:
    """A pullable source: `build` makes it for one athlete (raising AuthError or ConfigError
    when it cannot be used), `athletes` are the stored athletes it serves (linked to an
    account there), `overlap_days` how far back each sync re-lists, `check` raises the
    ConfigError that the config alone shows (before any store or secret is opened)."""

    name: str
    build: Callable[[Config, Any, Athlete, Waiter | None], Source]
    athletes: Callable[[Store], list[Athlete]]
    overlap_days: Callable[[Config], int]
    check: Callable[[Config], object] = lambda _cfg: None


def _strava() -> SourceKind:
    from syncd.sources.strava.factory import strava_athletes, strava_client, strava_source

    return SourceKind(
        name="strava",
        build=lambda cfg, secrets, who, waiter: strava_source(cfg, secrets, who, waiter=waiter),
        athletes=strava_athletes,
        overlap_days=lambda cfg: cfg.strava.overlap_days,
        check=strava_client,
    )


_FACTORIES: dict[str, Callable[[], SourceKind]] = {
    "strava": _strava,
}


def source_kind(name: str) -> SourceKind:
    """The registered source called `name`; KeyError names the known ones."""
    if name not in _FACTORIES:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(_FACTORIES))}")
    return _FACTORIES[name]()


def api_sources() -> list[SourceKind]:
    """The sources a pull runs, in a stable order; files come in through `import`."""
    return [source_kind(name) for name in sorted(_FACTORIES)]
