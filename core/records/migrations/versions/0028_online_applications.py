"""The applicant's side: attachments stored in the database, online applications awaiting
confirmation, and deliveries (送达) of letters and notices.

- ``attachment`` and ``attachment_chunk``: a file's facts and its content in chunks keyed by
  the content's SHA-256 (core.attachments);
- ``online_application``: an application from /apply until the office confirms or declines it;
- ``request_delivery``: when and how a letter reached the applicant.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def _unit() -> sa.Column:
    return sa.Column("unit_id", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _unit(),
        sa.Column("owner_kind", sa.String(20), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
    )
    op.create_index("ix_attachment_owner", "attachment", ["unit_id", "owner_kind", "owner_id"])
    op.create_table(
        "attachment_chunk",
        sa.Column("id", sa.Integer(), primary_key=True),
        _unit(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_attachment_chunk_key", "attachment_chunk", ["unit_id", "sha256", "seq"], unique=True)
    op.create_table(
        "online_application",
        sa.Column("id", sa.Integer(), primary_key=True),
        _unit(),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("submitted", sa.Date(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("code_hint", sa.String(10), nullable=False),
        sa.Column("applicant_name", sa.String(200), nullable=False),
        sa.Column("applicant_type", sa.String(40), nullable=False),
        sa.Column("id_type", sa.String(40), nullable=False),
        sa.Column("applicant_id_number", sa.String(100), nullable=False),
        sa.Column("applicant_contact", sa.String(300), nullable=False),
        sa.Column("email", sa.String(300), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("agent", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("form_wanted", sa.String(100), nullable=False),
        sa.Column("receive_how", sa.String(100), nullable=False),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("disclosure_request.id"), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decline_reason", sa.String(), nullable=False),
    )
    op.create_index("ix_online_application_code", "online_application", ["unit_id", "code_hash"], unique=True)
    op.create_index("ix_online_application_state", "online_application", ["unit_id", "state"])
    op.create_table(
        "request_delivery",
        sa.Column("id", sa.Integer(), primary_key=True),
        _unit(),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("disclosure_request.id"), nullable=False),
        sa.Column("letter", sa.String(40), nullable=False),
        sa.Column("how", sa.String(20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("tracking", sa.String(100), nullable=False),
        sa.Column("proof_sha256", sa.String(64), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
    )
    op.create_index("ix_request_delivery_request_id", "request_delivery", ["request_id"])


def downgrade() -> None:
    for table in ("request_delivery", "online_application", "attachment_chunk", "attachment"):
        op.drop_table(table)
