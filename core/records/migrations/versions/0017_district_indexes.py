"""District server: one unit's open clocks, and the fees collected, each from a small index

``ix_deadline_unit_status`` (unit_id, status): a unit's ``ledger --overdue`` reads its own
open clocks instead of every unit's. ``ix_request_fees`` (partial, fee_amount > 0): the
district report's fees (section 六) for every unit without reading every request row.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

CHARGED = sa.text("fee_amount > 0")


def upgrade() -> None:
    op.create_index("ix_deadline_unit_status", "deadline", ["unit_id", "status"])
    op.create_index("ix_request_fees", "disclosure_request", ["unit_id", "replied_on", "fee_amount", "outcome"],
                    sqlite_where=CHARGED, postgresql_where=CHARGED)


def downgrade() -> None:
    op.drop_index("ix_request_fees", table_name="disclosure_request")
    op.drop_index("ix_deadline_unit_status", table_name="deadline")
