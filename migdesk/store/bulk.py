"""Helpers for loading many rows in one transaction: the cyclic garbage collector paused, and
on SQLite the secondary indexes of the loaded tables built once at the end instead of row by
row. Both are undone whatever happens; a rolled-back transaction takes the dropped indexes'
DROP back with it, so a failed load leaves the schema as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector: a load allocates millions of short-lived, acyclic objects,
    which reference counting frees, and the collector's passes over them cost a tenth of the
    time. It is switched back on (if it was on) however the block ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def suspend_indexes(conn: Any, tables: Iterable[str], keep: Iterable[str] = ()) -> list[str]:
    """Drop the non-unique secondary indexes of `tables` (SQLite only) and return the SQL
    that builds them again; call `restore_indexes` with it before the commit. Unique
    indexes stay, because they enforce rules and the merge reads through them, and so do the
    indexes named in `keep` (those the load itself queries)."""
    if conn.dialect.name != "sqlite":
        return []
    names = list(tables)
    marks = ", ".join("?" for _ in names)
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name", tuple(names)).all()
    kept = set(keep)
    restore = []
    for name, sql in rows:
        if name in kept or sql.lstrip().upper().startswith("CREATE UNIQUE"):
            continue
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
        restore.append(sql)
    return restore


def restore_indexes(conn: Any, statements: list[str]) -> None:
    for sql in statements:
        conn.exec_driver_sql(sql)
