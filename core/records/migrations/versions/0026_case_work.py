"""Case work: a request's 承办人 (``disclosure_request.assignee``, an account's login name, NULL
until assigned) and an account's email address (``account.email``, for reminders).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, not batch mode: SQLite's batch recreates the table and would drop the
    # ledger-search triggers on disclosure_request (0018).
    op.add_column("disclosure_request", sa.Column("assignee", sa.String(length=100), nullable=True))
    op.create_index("ix_request_assignee", "disclosure_request", ["unit_id", "assignee", "state"])
    op.add_column("account", sa.Column("email", sa.String(length=300), nullable=False, server_default=""))


def downgrade() -> None:
    op.execute("ALTER TABLE account DROP COLUMN email")  # SQLite ≥ 3.35 and PostgreSQL alike
    op.drop_index("ix_request_assignee", table_name="disclosure_request")
    op.execute("ALTER TABLE disclosure_request DROP COLUMN assignee")
