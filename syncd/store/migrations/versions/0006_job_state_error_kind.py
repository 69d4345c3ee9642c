"""job_state error_kind: the kind of the last failure, which `syncd status` judges health by

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('job_state') as batch:
        batch.add_column(sa.Column('error_kind', sa.String(), nullable=True))
    # Failures recorded before kinds existed: the words status used to search for.
    op.execute("UPDATE job_state SET error_kind = 'auth' WHERE ok = false "
               "AND (summary LIKE '%authoris%')")
    op.execute("UPDATE job_state SET error_kind = 'subscription' WHERE ok = false "
               "AND error_kind IS NULL AND (summary LIKE '%Inactive%' "
               "OR summary LIKE '%subscription%')")
    op.execute("UPDATE job_state SET error_kind = 'transient' WHERE ok = false "
               "AND error_kind IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('job_state') as batch:
        batch.drop_column('error_kind')
