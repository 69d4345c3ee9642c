"""Shared fakes for the Strava tests: a settable clock and an in-memory secret store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED_RUNS = REPO.parent / "shared" / "data" / "runs"

# 2024-05-01 10:02:00 UTC: two minutes into a quarter-hour window.
T0 = 1714557720.0


class FakeClock:
    def __init__(self, t: float = T0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class MemoryStore:
    """The get/set interface of syncd.secrets, in memory, counting writes."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}
        self.writes = 0

    def get(self, key: str) -> dict[str, Any] | None:
        value = self.data.get(key)
        return dict(value) if value is not None else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        self.data[key] = dict(value)
        self.writes += 1


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def shared_runs() -> Path:
    if not SHARED_RUNS.is_dir():
        pytest.skip(f"shared data not present at {SHARED_RUNS}")
    return SHARED_RUNS
