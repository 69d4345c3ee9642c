"""The Alembic history and the SQLModel tables must agree, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from syncd.store.db import current_revision, head_revision, make_engine, upgrade


def test_upgrade_is_idempotent_and_matches_models(db_url):
    engine = make_engine(db_url)
    assert upgrade(engine) is True
    assert current_revision(engine) == head_revision()
    assert upgrade(engine) is False
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    engine.dispose()


def test_head_constant_matches_alembic():
    from syncd.store.db import HEAD

    assert head_revision() == HEAD


def test_0006_gives_old_failures_a_kind_from_their_words(db_url):
    """A store made by the previous schema: old failures get the kind status used to guess."""
    import sqlalchemy as sa
    from alembic import command

    from syncd.store.db import alembic_config

    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0005")
    with engine.begin() as conn:
        for name, ok, summary in [("pull", False, "failed: Strava: authorise again"),
                                  ("digest", False, "failed: app Inactive"),
                                  ("watch", False, "failed: 5xx"), ("ok", True, "fine")]:
            conn.execute(sa.text(
                "INSERT INTO job_state (name, ok, summary, result, failures, alerted) "
                "VALUES (:n, :ok, :s, '{}', 1, false)"), {"n": name, "ok": ok, "s": summary})
    assert upgrade(engine) is True
    with engine.connect() as conn:
        kinds = dict(conn.execute(sa.text("SELECT name, error_kind FROM job_state")).all())
    assert kinds == {"pull": "auth", "digest": "subscription", "watch": "transient", "ok": None}
    engine.dispose()


def test_0007_keeps_every_strava_id_as_a_link(db_url):
    """A store made by the previous schema: an activity known by its Strava id only (no link)
    keeps that id as a placeholder link; one that had its link gets no second one."""
    import sqlalchemy as sa
    from alembic import command

    from syncd.store.db import alembic_config

    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0006")
    from datetime import UTC, datetime

    t = datetime(2025, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO athlete (id, name, created_at) VALUES (1, 'a', :t)"),
                     {"t": t})
        for aid, sid in ((1, 111), (2, 222)):
            conn.execute(sa.text(
                "INSERT INTO activity (id, athlete_id, start_utc, start_local, timezone, "
                "sport_type, name, trainer, manual, strava_id, primary_source, created_at, "
                "updated_at) VALUES (:id, 1, :t, :local, 'UTC', 'Run', 'r', false, false, :sid,"
                " 'file', :t, :t)"),
                {"id": aid, "sid": sid, "t": t, "local": t.replace(tzinfo=None)})
        conn.execute(sa.text(
            "INSERT INTO activity_source (activity_id, athlete_id, source, source_id, raw, "
            "streams_status, fetched_at) VALUES (2, 1, 'strava', '222', '{\"id\": 222}', "
            "'stored', :t)"), {"t": t})
    assert upgrade(engine) is True
    with engine.connect() as conn:
        links = conn.execute(sa.text(
            "SELECT activity_id, source_id, raw FROM activity_source WHERE source = 'strava' "
            "ORDER BY activity_id")).all()
        cols = [c["name"] for c in sa.inspect(conn).get_columns("activity")]
    assert [(a, s) for a, s, _ in links] == [(1, "111"), (2, "222")]
    assert "strava_id" not in cols
    engine.dispose()
