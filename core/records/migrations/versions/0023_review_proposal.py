"""A review approval keeps what it signed: ``request_review.proposal``.

The proposed reply (outcome, reasons, withheld parts, the other agency) each approval of a step
before the reply signed, as canonical JSON (see ``gongkai.core.requests.proposal``). A reply or a
corrected reply that differs from it is refused. Approvals recorded before this revision keep
NULL: they signed no particular proposal.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("request_review") as batch:
        batch.add_column(sa.Column("proposal", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("request_review") as batch:
        batch.drop_column("proposal")
