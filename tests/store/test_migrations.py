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
