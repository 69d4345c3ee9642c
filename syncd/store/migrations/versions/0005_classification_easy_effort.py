"""classification easy_effort: each run's own easy effort, for the athlete's history

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: rows classified by an older classifier get it at the next `classify --all`.
    with op.batch_alter_table('classification') as batch:
        batch.add_column(sa.Column('easy_effort', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('classification') as batch:
        batch.drop_column('easy_effort')
