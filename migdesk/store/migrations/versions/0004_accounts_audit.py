"""Officer accounts and the hash-chained audit trail.

The access log's rows move into the chain (in their order), the change journal written so far
is sealed by "journal" entries, and the access log goes. The head is left unsigned: the first
process that opens the database with the desk's key signs it (services/app.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

import migdesk.store.types
from migdesk.store.audit import GENESIS, JOURNAL, SEAL_ROWS, change_line, entry_hash

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC = migdesk.store.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("password_changed_at", UTC, nullable=False),
        sa.Column("failed_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_failed_at", UTC, nullable=True),
        sa.Column("last_sign_in_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("login", name=op.f("uq_account_login")),
    )

    def entry_columns() -> list[sa.Column]:
        return [
            sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("at", UTC, nullable=False),
            sa.Column("officer", sa.String(length=64), nullable=False),
            sa.Column("action", sa.String(length=30), nullable=False),
            sa.Column("entity", sa.String(length=40), nullable=True),
            sa.Column("entity_id", sa.String(length=36), nullable=True),
            sa.Column("detail", sa.Text(), nullable=True),
            sa.Column("reason", sa.Text(), nullable=True),
            sa.Column("changes_from", sa.Integer(), nullable=True),
            sa.Column("changes_to", sa.Integer(), nullable=True),
            sa.Column("changes_count", sa.Integer(), nullable=False),
            sa.Column("changes_digest", sa.String(length=64), nullable=True),
            sa.Column("prev_hash", sa.String(length=64), nullable=False),
            sa.Column("hash", sa.String(length=64), nullable=False),
        ]

    op.create_table(
        "audit_log",
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        *entry_columns(),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    for col in ("at", "officer", "action", "entity_id"):
        op.create_index(op.f(f"ix_audit_log_{col}"), "audit_log", [col], unique=False)
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "peer_audit",
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        *entry_columns(),
        sa.PrimaryKeyConstraint("desk_id", "seq", name=op.f("pk_peer_audit")),
    )
    op.create_index("ix_peer_audit_entity", "peer_audit", ["entity_id"], unique=False)
    with op.batch_alter_table("sync_exchange") as batch:
        batch.add_column(sa.Column("audit_to", sa.Integer(), nullable=True))
    _build_chain(op.get_bind())
    op.drop_table("access_log")


def _build_chain(conn: sa.Connection) -> None:
    """Chain the access log's rows, then seal the journal rows written so far."""
    meta = sa.MetaData()
    access = sa.Table("access_log", meta, autoload_with=conn)
    change = sa.Table("change_log", meta, autoload_with=conn)
    audit = sa.Table("audit_log", meta, autoload_with=conn)
    desk = conn.execute(sa.text("SELECT id FROM desk LIMIT 1")).scalar()
    seq, prev, rows = 0, GENESIS, []

    def link(values: dict) -> None:
        nonlocal seq, prev
        seq += 1
        base = {"entity": None, "entity_id": None, "detail": None, "reason": None,
                "changes_from": None, "changes_to": None, "changes_count": 0,
                "changes_digest": None}
        values = {**base, **values, "seq": seq, "prev_hash": prev}
        values["hash"] = prev = entry_hash(values)
        rows.append(values)

    for r in conn.execute(sa.select(access).order_by(access.c.id)).mappings():
        link({"at": r["at"], "officer": r["officer"],
              "desk_id": r["desk_id"], "action": r["action"], "entity": r["entity"],
              "entity_id": r["entity_id"], "detail": r["detail"]})
    covered = 0
    if desk is not None:
        now = migdesk.store.types.utcnow()
        cols = [change.c[k] for k in ("seq", "change_id", "at", "officer", "desk_id", "entity",
                                      "entity_id", "op", "version", "changes", "reason")]
        digest, first, count = hashlib.sha256(), None, 0
        for r in conn.execute(sa.select(*cols).order_by(change.c.seq)):
            row = tuple(r)
            digest.update(change_line(row))
            first = row[0] if first is None else first
            covered, count = row[0], count + 1
            if count == SEAL_ROWS:
                link({"at": now, "officer": "migdesk", "desk_id": desk, "action": JOURNAL,
                      "reason": "audit trail begins", "changes_from": first,
                      "changes_to": covered, "changes_count": count,
                      "changes_digest": digest.hexdigest()})
                digest, first, count = hashlib.sha256(), None, 0
        if count:
            link({"at": now, "officer": "migdesk", "desk_id": desk, "action": JOURNAL,
                  "reason": "audit trail begins", "changes_from": first,
                  "changes_to": covered, "changes_count": count,
                  "changes_digest": digest.hexdigest()})
    for i in range(0, len(rows), 500):
        conn.execute(sa.insert(audit), rows[i:i + 500])
    conn.execute(sa.text("INSERT INTO audit_head (id, seq, hash, change_seq) "
                         "VALUES (1, :seq, :hash, :covered)"),
                 {"seq": seq, "hash": prev, "covered": covered})


def downgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("officer", sa.String(length=64), nullable=False),
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    with op.batch_alter_table("sync_exchange") as batch:
        batch.drop_column("audit_to")
    op.drop_table("peer_audit")
    op.drop_table("audit_head")
    op.drop_table("audit_log")
    op.drop_table("account")
