"""Annual report: one covering index led by the GROUP BY columns (applicant type, outcome)

Replaces the two indexes led by the dates: with them the GROUP BY sorted every request of the
year into a temporary B-tree; with this one SQLite reads the index in group order.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "disclosure_request"


def upgrade() -> None:
    op.drop_index("ix_request_report_flows", table_name=TABLE)
    op.drop_index("ix_request_report_results", table_name=TABLE)
    op.create_index("ix_request_report", TABLE, ["applicant_type", "outcome", "received", "replied_on"])


def downgrade() -> None:
    op.drop_index("ix_request_report", table_name=TABLE)
    op.create_index("ix_request_report_results", TABLE, ["replied_on", "applicant_type", "outcome"])
    op.create_index("ix_request_report_flows", TABLE, ["received", "replied_on", "applicant_type"])
