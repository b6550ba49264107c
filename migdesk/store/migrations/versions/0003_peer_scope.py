"""What each trusted party may receive: a scope per peer, and a flag to send again from the
first change after the scope was widened.

Parties trusted before this revision keep receiving everything ("all"), as they did.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_peer") as batch:
        batch.add_column(sa.Column("scope", sa.String(length=10), nullable=False,
                                   server_default="all"))
        batch.add_column(sa.Column("resend", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("sync_peer") as batch:
        batch.drop_column("resend")
        batch.drop_column("scope")
