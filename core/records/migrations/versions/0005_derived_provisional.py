"""Derive "provisional" from the dates instead of storing it on every clock.

A new year's schedule then rewrites only the clocks whose dates move. The calendar the
clocks were computed with is remembered by its last day with an official schedule
(setting ``calendar.final_until``); the upgrade takes it from the clocks flagged provisional.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FINAL_SETTING = "calendar.final_until"


def upgrade() -> None:
    bind = op.get_bind()
    earliest = bind.execute(sa.text('SELECT min(coalesce("limit", due)) FROM deadline WHERE provisional')).scalar()
    if earliest is not None and not bind.execute(
        sa.text("SELECT count(*) FROM setting WHERE key = :key"), {"key": FINAL_SETTING}
    ).scalar():
        # provisional dates lie in years after the last final one
        bind.execute(sa.text("INSERT INTO setting (key, value) VALUES (:key, :value)"),
                     {"key": FINAL_SETTING, "value": f"{int(str(earliest)[:4]) - 1}-12-31"})
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index("ix_deadline_provisional", sqlite_where=sa.text("provisional = 1"),
                            postgresql_where=sa.text("provisional"))
        batch_op.drop_column("provisional")


def downgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false()))
    bind = op.get_bind()
    until = bind.execute(sa.text("SELECT value FROM setting WHERE key = :key"), {"key": FINAL_SETTING}).scalar()
    if until:
        bind.execute(sa.text('UPDATE deadline SET provisional = true WHERE due_at IS NULL AND coalesce("limit", due) > :until'),
                     {"until": until})
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index("ix_deadline_provisional", ["id"], unique=False, sqlite_where=sa.text("provisional = 1"),
                              postgresql_where=sa.text("provisional"))
