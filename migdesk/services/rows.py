"""Plain driver tuples for hot reads (search pages, matching) that need no row objects."""

from __future__ import annotations

from typing import Any


def driver_rows(conn: Any, stmt: Any) -> list[tuple[Any, ...]]:
    """Run a Core statement and return the DBAPI's own tuples (no result processing): use
    only with columns that are already plain text or numbers (cast dates to text)."""
    result = conn.execute(stmt)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()
