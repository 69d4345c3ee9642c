"""Shared fixtures: every store test runs on SQLite and, when $SYNCD_TEST_PG_URL is set, on
PostgreSQL too (one database per xdist worker, wiped before each test)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from syncd.sources.records import ActivityRecord, Streams

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()
PG_URL = os.environ.get("SYNCD_TEST_PG_URL")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch, tmp_path):
    """No test may read the developer's real config, keyring or state dir."""
    for var in ("SYNCD_CONFIG", "SYNCD_STRAVA_CLIENT_SECRET", "CREDENTIALS_DIRECTORY",
                "STRAVA_CLIENT_ID", "STRAVA_CLIENT_SECRET"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("STATE_DIRECTORY", str(tmp_path / "state"))


def _pg_worker_url(worker: str) -> str:
    base = sa.engine.make_url(PG_URL)
    name = f"syncd_test_{worker}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'syncd.db'}"
    if not PG_URL:
        pytest.skip("SYNCD_TEST_PG_URL not set")
    url = _pg_worker_url(os.environ.get("PYTEST_XDIST_WORKER", "main"))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def fake():
    """A local stand-in of Strava's API on 127.0.0.1 (tests/fakestrava.py)."""
    from tests.fakestrava import FakeStrava

    f = FakeStrava()
    server, url = f.serve()
    f.url = url
    yield f
    server.shutdown()


@pytest.fixture
def store(db_url):
    from syncd.store.db import open_store
    from syncd.store.repo import Store

    engine = open_store(db_url)
    yield Store(engine)
    engine.dispose()


def make_record(
    source: str = "file", source_id: str = "a1", *, start: datetime | None = None,
    distance: float = 10000.0, sport: str = "Run", samples: int = 0, hr: bool = True, **kw,
) -> ActivityRecord:
    """A small, valid record for store tests."""
    start = start or datetime(2025, 3, 11, 6, 30, tzinfo=UTC)
    streams = None
    if samples:
        cols: dict[str, list[float | None]] = {
            "time": [float(i) for i in range(samples)],
            "distance": [i * 3.0 for i in range(samples)],
        }
        if hr:
            cols["heartrate"] = [140.0 + (i % 10) for i in range(samples)]
        streams = Streams(cols)
    return ActivityRecord(
        source=source, source_id=source_id, start_utc=start, sport_type=sport,
        name=kw.pop("name", "Morning Run"), distance_m=distance, moving_s=3000.0,
        elapsed_s=3100.0, streams=streams, raw=kw.pop("raw", {"id": source_id}), **kw,
    )
