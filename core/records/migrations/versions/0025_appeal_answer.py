"""The unit as respondent in an appeal: ``request_appeal`` gains the day the copy of the
application or complaint was received (it starts the answer clock), the day the answer was
submitted, the court hearing's day and whether the unit's head appeared in court.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

COLUMNS = (("copy_received", sa.Date()), ("answered_on", sa.Date()), ("hearing_on", sa.Date()),
           ("head_appeared", sa.Boolean()))


def upgrade() -> None:
    with op.batch_alter_table("request_appeal") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("request_appeal") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
