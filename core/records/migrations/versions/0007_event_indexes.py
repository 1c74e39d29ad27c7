"""Drop the two event indexes no query uses well: at (no query filters on the time) and
subject_kind (one value, "request", covers most events, so it selects nearly all of them).

Every event written, above all by a bulk import, paid for both. History lookups go by
ix_event_subject_id; the appeal findings read events by action, a scan either way.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_event_at", table_name="event")
    op.drop_index("ix_event_subject_kind", table_name="event")


def downgrade() -> None:
    op.create_index("ix_event_subject_kind", "event", ["subject_kind"])
    op.create_index("ix_event_at", "event", ["at"])
