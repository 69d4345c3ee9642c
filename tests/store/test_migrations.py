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
