"""Hash-chain the event log: seq, prev_hash, hash on every event, and the chain head.

Events already stored are linked in id order, so an upgraded database verifies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    from gongkai.core.records.chain import event_hash

    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_event_seq", ["seq"])
    head = op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # link the events already stored, in the order they were written
    event = sa.table(
        "event",
        sa.column("id", sa.Integer()), sa.column("seq", sa.Integer()), sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.String()), sa.column("subject_kind", sa.String()), sa.column("subject_id", sa.Integer()),
        sa.column("action", sa.String()), sa.column("before", sa.String()), sa.column("after", sa.String()),
        sa.column("prev_hash", sa.String()), sa.column("hash", sa.String()),
    )
    bind = op.get_bind()
    prev, seq = GENESIS, 0
    for row in bind.execute(sa.select(event).order_by(event.c.id)).mappings().all():
        seq += 1
        link = dict(row, seq=seq)
        digest = event_hash(_Row(link), prev)
        bind.execute(event.update().where(event.c.id == row["id"]).values(seq=seq, prev_hash=prev, hash=digest))
        prev = digest
    op.bulk_insert(head, [{"id": 1, "length": seq, "last_hash": prev}])


class _Row:
    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)


def downgrade() -> None:
    op.drop_table("audit_chain")
    with op.batch_alter_table("event") as batch:
        batch.drop_constraint("uq_event_seq", type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
