"""A document's item of 条例 第二十条 as stated (``document.category``; null: derived from its kind
and decisions, as before), so the catalogue can list items （二）–（四）, （七）, （九）–（十四）.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("category", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("category")
