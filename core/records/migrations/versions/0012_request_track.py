"""Requests get a track: 政府信息公开 ("government", every existing request) or one a
jurisdiction declares (五原县: 党务公开 applications, which the 条例's annual report leaves out).
The report's covering index gains the column so the report still reads the index alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLE = "disclosure_request"
REPORT_INDEX = "ix_request_report"


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("track", sa.String(length=40), nullable=False, server_default="government"))
    op.drop_index(REPORT_INDEX, table_name=TABLE)
    op.create_index(REPORT_INDEX, TABLE, ["applicant_type", "outcome", "received", "replied_on", "track"])


def downgrade() -> None:
    op.drop_index(REPORT_INDEX, table_name=TABLE)
    op.create_index(REPORT_INDEX, TABLE, ["applicant_type", "outcome", "received", "replied_on"])
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("track")
