"""Documents: whether one is issued in the government's name (长宁区 第二十六条: 以区政府名义印发的
政策性文件 needs its interpretation material, or it is returned).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("government_issued", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("government_issued")
