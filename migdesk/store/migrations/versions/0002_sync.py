"""Sync bookkeeping: trusted keys, exchange log, conflicts and duplicates queues, held changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import migdesk.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = migdesk.store.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sync_peer",
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("sign_key", sa.String(length=64), nullable=False),
        sa.Column("enc_key", sa.String(length=64), nullable=True),
        sa.Column("trusted_at", UTC, nullable=False),
        sa.Column("trusted_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("desk_id", name=op.f("pk_sync_peer")),
    )
    op.create_table(
        "sync_exchange",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=6), nullable=False),
        sa.Column("partner_id", sa.String(length=36), nullable=False),
        sa.Column("seq_from", sa.Integer(), nullable=False),
        sa.Column("seq_to", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("officer", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_exchange")),
    )
    op.create_index("ix_sync_exchange_package_id", "sync_exchange", ["package_id"])
    op.create_index("ix_sync_exchange_partner", "sync_exchange", ["partner_id", "direction"])
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("local_value", sa.Text(), nullable=False),
        sa.Column("incoming_value", sa.Text(), nullable=False),
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("incoming_desk", sa.String(length=36), nullable=False),
        sa.Column("incoming_officer", sa.String(length=64), nullable=False),
        sa.Column("incoming_at", UTC, nullable=False),
        sa.Column("detected_at", UTC, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index("ix_sync_conflict_entity_id", "sync_conflict", ["entity_id"])
    op.create_index("ix_sync_conflict_status", "sync_conflict", ["status"])
    op.create_table(
        "sync_duplicate",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("local_id", sa.String(length=36), nullable=False),
        sa.Column("incoming_id", sa.String(length=36), nullable=False),
        sa.Column("incoming_desk", sa.String(length=36), nullable=False),
        sa.Column("detected_at", UTC, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_duplicate")),
    )
    op.create_index("ix_sync_duplicate_incoming_id", "sync_duplicate", ["incoming_id"])
    op.create_index("ix_sync_duplicate_status", "sync_duplicate", ["status"])
    op.create_table(
        "sync_held",
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("received_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("change_id", name=op.f("pk_sync_held")),
    )
    op.create_index("ix_sync_held_entity_id", "sync_held", ["entity_id"])


def downgrade() -> None:
    for table in ("sync_held", "sync_duplicate", "sync_conflict", "sync_exchange",
                  "sync_peer"):
        op.drop_table(table)
