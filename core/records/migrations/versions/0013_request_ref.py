"""The unit's own reference on a request (e.g. 长房申〔2025〕17号), unique within the unit.

Existing requests have none (NULL, which the unique index lets repeat).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("disclosure_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref", sa.String(length=100), nullable=True))
        batch_op.create_index("ix_request_ref", ["ref"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("disclosure_request", schema=None) as batch_op:
        batch_op.drop_index("ix_request_ref")
        batch_op.drop_column("ref")
