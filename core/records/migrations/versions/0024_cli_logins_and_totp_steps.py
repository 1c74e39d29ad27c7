"""Command-line logins kept on the server, and TOTP codes good once (issue 28).

``web_session.kind``: ``web`` (a browser's session) or ``cli`` (a ``gongkai login`` token,
whose file holds only a random key), so that logout, a new password, new roles or a disabled
account end command-line logins as they end web sessions. ``account.totp_step``: the RFC 6238
time step of the last code accepted; a code of the same or an earlier step is refused
(RFC 6238 section 5.2).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_session") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=10), nullable=False, server_default="web"))
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("totp_step", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("totp_step")
    with op.batch_alter_table("web_session") as batch:
        batch.drop_column("kind")
