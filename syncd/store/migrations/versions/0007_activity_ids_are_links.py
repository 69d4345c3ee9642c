"""activity.strava_id goes: the ids sources know an activity by are its links

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nothing is lost: a Strava id with no Strava link yet becomes a placeholder link (no raw
    # JSON, as a Strava export's ids are), which is what the id meant.
    op.execute(
        "INSERT INTO activity_source (activity_id, athlete_id, source, source_id, raw, "
        "streams_status, fetched_at) "
        "SELECT a.id, a.athlete_id, 'strava', CAST(a.strava_id AS VARCHAR(32)), '{}', 'have', "
        "a.updated_at FROM activity a WHERE a.strava_id IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM activity_source l WHERE l.activity_id = a.id AND l.source = 'strava')")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 has it): a batch copy of `activity`
    # would drop a table every other table's foreign keys point at.
    op.drop_index('ix_activity_strava_id', table_name='activity')
    op.drop_column('activity', 'strava_id')


def downgrade() -> None:
    op.add_column('activity', sa.Column('strava_id', sa.BigInteger(), nullable=True))
    op.create_index('ix_activity_strava_id', 'activity', ['strava_id'])
    op.execute(
        "UPDATE activity SET strava_id = (SELECT CAST(l.source_id AS BIGINT) FROM "
        "activity_source l WHERE l.activity_id = activity.id AND l.source = 'strava' LIMIT 1)")
