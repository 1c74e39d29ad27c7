"""Units: the flags some texts use besides a unit's level to say whose a duty is (雁塔区 第26项:
与宏观经济和社会民生关系密切…的政府部门; 第41项: 区保密局). Existing units have none.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.add_column(sa.Column("flags", sa.String(length=400), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("flags")
