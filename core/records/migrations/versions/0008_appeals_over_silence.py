"""Appeals over silence (不作为) and 复议后起诉 whose reconsideration predates the records.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("request_appeal") as batch:
        batch.add_column(sa.Column("over_silence", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("reconsidered_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("request_appeal") as batch:
        batch.drop_column("reconsidered_on")
        batch.drop_column("over_silence")
