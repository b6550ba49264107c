"""Helpers for loading many rows in one transaction: the cyclic garbage collector paused, and
on SQLite a rollback journal instead of the write-ahead log. Both are undone whatever
happens."""

from __future__ import annotations

import gc
import logging
import sqlite3
from collections.abc import Iterator
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
