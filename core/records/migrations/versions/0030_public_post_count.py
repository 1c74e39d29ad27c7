"""``public_post_count``: how often each address posted /apply or /track in each hour, shared
by every worker and server on the database (not a record; old hours are pruned); and
``online_application.extra_fields``, the values of the fields a jurisdiction's plugin adds to
the form (JSON).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_post_count",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
    )
    op.create_index("ix_public_post_count_key", "public_post_count", ["client_hash", "kind", "window_start"], unique=True)
    op.create_index("ix_public_post_count_start", "public_post_count", ["window_start"])
    with op.batch_alter_table("online_application") as batch:
        batch.add_column(sa.Column("extra_fields", sa.String(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("online_application") as batch:
        batch.drop_column("extra_fields")
    op.drop_index("ix_public_post_count_start", table_name="public_post_count")
    op.drop_index("ix_public_post_count_key", table_name="public_post_count")
    op.drop_table("public_post_count")
