"""Shared helpers for the file-import tests: the synthetic writers and the real data folder."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "scripts"))

import synth  # noqa: E402

DATA = REPO / ".." / "shared" / "data"
START = datetime(2024, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip("real test data (../shared/data) not present")
    return DATA.resolve()


@pytest.fixture(scope="session")
def short_run() -> dict:
    return synth.synth_run(3, START, 300, "easy")


@pytest.fixture(scope="session")
def short_fit(short_run: dict) -> bytes:
    return synth.write_fit(short_run)


@pytest.fixture(scope="session")
def intervals_fit() -> bytes:
    # The committed sample (test_samples.py proves it is the script's output): writing a
    # 2,500-record FIT with fit-tool takes seconds.
    return (REPO / "samples" / "2024-03-06-intervals-8x200.fit").read_bytes()
