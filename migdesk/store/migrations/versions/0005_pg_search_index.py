"""The candidate search index in byte order on PostgreSQL, so a prefix is a range of it.

A name or personal-number prefix is found as a range of `candidate_term.term` (its primary
key, term then candidate), read in that order for a keyset page. Under a database's own
collation (en_US.UTF-8, an ICU Georgian one: what a national server is made with) neither a
`LIKE 'prefix%'` nor a `>= prefix AND < prefix || U+10FFFF` range can use that index: the
order is linguistic, not by code point, so every matching term is read and sorted. Under the
"C" collation the index order is the code points' order, PostgreSQL turns the prefix into an
index range, and the page comes out of the index already sorted, the same order SQLite gives.

Why not the alternatives: an extra `text_pattern_ops` index would serve the range but not the
ORDER BY (that still follows the column's collation), so a one-letter prefix of a million
candidates would sort a hundred thousand rows; pg_trgm serves infix and fuzzy matching, which
the search does not offer, at several times the index size. The terms are search keys (folded
case, no display use), so no linguistic order is lost.

SQLite compares text as bytes already: nothing changes there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Rewrites the column and rebuilds its primary-key index in the new order.
    op.alter_column("candidate_term", "term", type_=sa.String(60, collation="C"),
                    existing_type=sa.String(60), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column("candidate_term", "term", type_=sa.String(60, collation="default"),
                    existing_type=sa.String(60, collation="C"), existing_nullable=False)
