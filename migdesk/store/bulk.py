"""Helpers for loading many rows in one transaction: the cyclic garbage collector paused, and
on SQLite a rollback journal instead of the write-ahead log and the secondary indexes of the
loaded tables built once at the end instead of row by row. All are undone whatever happens;
a rolled-back transaction takes the dropped indexes' DROP back with it, so a failed load
leaves the schema as it was."""

from __future__ import annotations

import gc
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)


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


@contextmanager
def rollback_journal(dbapi_conn: Any) -> Iterator[bool]:
    """Run a large load into a (nearly) empty SQLite database with a rollback journal.

    In WAL mode every page is written twice: into the log, then into the database at the
    checkpoint. A rollback journal keeps only the old content of pages that existed before
    the transaction, and SQLite does not journal pages past the file's old end, so the new
    pages of a load are written once; the commit is as durable and atomic (synchronous=FULL),
    and a crash leaves a hot journal that the next opening rolls back.

    The switch needs every other connection to the file closed. It is tried without waiting;
    if another connection is open (the window reading, another process), the load simply
    stays in WAL mode. Yields whether it switched; switches back to WAL when the block ends
    (after the commit or the rollback). Call it outside any transaction."""
    cur = dbapi_conn.cursor()
    switched = False
    try:
        waited = cur.execute("PRAGMA busy_timeout").fetchone()[0]
        cur.execute("PRAGMA busy_timeout=0")
        try:
            mode = cur.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            switched = str(mode).lower() == "delete"
        except sqlite3.OperationalError:  # another connection has the database open
            switched = False
        finally:
            cur.execute(f"PRAGMA busy_timeout={int(waited)}")
        yield switched
    finally:
        if switched:
            try:
                cur.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError as exc:  # the next connection switches it back
                log.warning("could not return the database to WAL mode: %s", exc)
        cur.close()
