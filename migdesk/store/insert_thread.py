"""Inserting rows on a second thread while the caller builds the next ones (SQLite).

Python's sqlite3 lets go of the interpreter lock while SQLite runs a statement, so a load
whose rows are built in Python can have SQLite write one block of rows on a second core
while the next block is built. Each block is one multi-row INSERT … VALUES statement run in
one call: the thread needs the interpreter lock only to bind the values (executemany would
need it back after every row, and wait behind the builder each time).

The thread uses the caller's connection and transaction. The caller must not use the
connection while blocks are pending: `drain()` waits for them and raises the first error;
`close()` drops what is still queued and waits until the thread has stopped (an interrupt
meanwhile is held back until then), so that a rollback after it finds the connection idle.
The thread never writes outside the caller's transaction. Blocks run in the order given.
Rows come made into driver values by store/bulk.py's `Bulk`, which queues them here."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

from migdesk.store.bulk import values_statement

DEPTH = 6  # blocks queued at most: the builder waits rather than hold more in memory
MAX_ROWS = 5000  # rows in one statement at most (and as many as the variable limit allows):
# the thread takes the interpreter lock back after each statement, and waits for it up to
# the switch interval (5 ms) while the builder runs, so statements must be few and large
SIZES = (16, 128, 1024)  # smaller statements, for the few rows of a block's end


class InsertThread:
    """A second thread inserting blocks of rows, in order, on one sqlite3 connection."""

    def __init__(self, dbapi_conn: sqlite3.Connection) -> None:
        self._conn = dbapi_conn
        self._limit = dbapi_conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self._jobs: queue.Queue[tuple[str, tuple[str, ...], list[Any]] | None] = \
            queue.Queue(maxsize=DEPTH)
        self._error: BaseException | None = None
        self._dropping = False
        self._closed = False
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="migdesk-inserts", daemon=True)
        self._thread.start()

    def insert(self, table: str, columns: Sequence[str], rows: list[Any]) -> None:
        """Queue `rows` (sequences of driver values in `columns`' order) for `table`."""
        if self._closed:
            raise RuntimeError("the insert thread is closed")
        self._raise()
        if rows:
            self._jobs.put((table, tuple(columns), rows))

    def drain(self) -> None:
        """Wait until every queued block is written; raise the first error if one failed."""
        self._jobs.join()
        self._raise()

    def close(self) -> None:
        """Drop the blocks not yet started, let the statement in flight end, stop the thread.
        Returns (or raises an interrupt that came meanwhile) only once the thread is gone."""
        if self._closed:
            return
        self._dropping = True
        interrupted: BaseException | None = None
        sent = False
        while self._thread.is_alive() and not self._stopped.is_set():
            try:
                if not sent:
                    self._jobs.put(None)
                    sent = True
                self._stopped.wait()
                self._thread.join()
            except KeyboardInterrupt as exc:  # a second Ctrl+C: still wait for the thread
                interrupted = exc
        self._closed = True
        if interrupted is not None:
            raise interrupted

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error  # and nothing more is written once a block has failed

    def _run(self) -> None:
        # Every job is taken and marked done whatever happens, so that drain() and close()
        # never wait for a thread that has stopped writing.
        cur: sqlite3.Cursor | None = None
        try:
            while True:
                job = self._jobs.get()
                try:
                    if job is None:
                        return
                    if not self._dropping and self._error is None:
                        cur = cur or self._conn.cursor()
                        self._write(cur, *job)
                except BaseException as exc:  # handed to the caller by drain() or insert()
                    self._error = exc
                finally:
                    self._jobs.task_done()
        finally:
            if cur is not None:
                cur.close()
            self._stopped.set()

    def _write(self, cur: sqlite3.Cursor, table: str, columns: tuple[str, ...],
               rows: list[Any]) -> None:
        width = len(columns)
        top = max(1, min(MAX_ROWS, (self._limit - 1) // width))  # and one for the LIMIT
        for start in range(0, len(rows), top):
            if self._dropping:
                return
            if not self._conn.in_transaction:  # rolled back under us: never autocommit
                raise sqlite3.OperationalError("no transaction to insert into")
            block = rows[start:start + top]
            size = next((n for n in SIZES if len(block) <= n < top), top)
            values = list(chain.from_iterable(block))
            values.extend([None] * (width * (size - len(block))))
            values.append(len(block))
            cur.execute(_statement(table, columns, size), values)


@lru_cache(maxsize=64)
def _statement(table: str, columns: tuple[str, ...], rows: int) -> str:
    """store/bulk.py's multi-row insert; a few sizes serve every count, so the connection
    keeps a few prepared statements (each holds a program as long as its list of values)
    instead of preparing and keeping one per count."""
    return values_statement(table, columns, rows)
