"""Case work: a request's 承办人 (``disclosure_request.assignee``, an account's login name, NULL
until assigned) and an account's email address (``account.email``, for reminders).

Revision ID: 0028
Revises: 0029
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("disclosure_request") as batch:
        batch.add_column(sa.Column("assignee", sa.String(length=100), nullable=True))
        batch.create_index("ix_request_assignee", ["unit_id", "assignee", "state"])
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("email", sa.String(length=300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("email")
    with op.batch_alter_table("disclosure_request") as batch:
        batch.drop_index("ix_request_assignee")
        batch.drop_column("assignee")
