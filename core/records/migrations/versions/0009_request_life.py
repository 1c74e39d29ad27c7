"""The life of a request after its reply: corrected replies (更正答复) with the earlier ones
kept, re-answers after a 纠正 decision (重新答复), withdrawal (申请人撤回).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("disclosure_request") as batch:
        batch.add_column(sa.Column("amended_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reanswer_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("withdrawal_how", sa.String(length=10), nullable=False,
                                   server_default=""))
    op.create_table(
        "request_prior_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=60), nullable=False),
        sa.Column("replied_on", sa.Date(), nullable=False),
        sa.Column("amended_on", sa.Date(), nullable=True),
        sa.Column("replied_by", sa.String(length=200), nullable=False),
        sa.Column("reasons", sa.String(), nullable=False),
        sa.Column("legal_basis", sa.String(), nullable=False),
        sa.Column("provision", sa.String(), nullable=False),
        sa.Column("withheld_parts", sa.String(), nullable=False),
        sa.Column("other_agency", sa.String(length=200), nullable=False),
        sa.Column("other_agency_contact", sa.String(length=300), nullable=False),
        sa.Column("superseded_on", sa.Date(), nullable=False),
        sa.Column("superseded_by", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("appeal_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["appeal_id"], ["request_appeal.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["disclosure_request.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_prior_reply_request_id", "request_prior_reply", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_request_prior_reply_request_id", table_name="request_prior_reply")
    op.drop_table("request_prior_reply")
    with op.batch_alter_table("disclosure_request") as batch:
        batch.drop_column("withdrawal_how")
        batch.drop_column("reanswer_days")
        batch.drop_column("amended_on")
