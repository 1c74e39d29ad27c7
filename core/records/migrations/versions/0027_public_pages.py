"""The public pages (issue 30): the unit's public contacts for its 指南 (``unit_contact``, one row
per unit, kept apart from the ``unit`` register), the annual reports it published
(``report_publication``: the report as published), and the catalogue's index of published
documents by date.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("office_name", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("address", sa.String(length=300), nullable=False, server_default=""),
        sa.Column("hours", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("phone", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("fax", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("email", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("postcode", sa.String(length=6), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", name="uq_unit_contact_unit"),
    )
    op.create_table(
        "report_publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("content", sa.String(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "year", name="uq_report_publication_unit_year"),
    )
    op.create_index("ix_document_catalogue", "document", ["unit_id", "published_on"])


def downgrade() -> None:
    op.drop_index("ix_document_catalogue", table_name="document")
    op.drop_table("report_publication")
    op.drop_table("unit_contact")
