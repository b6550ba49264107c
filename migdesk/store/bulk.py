"""Loading many rows in one transaction: `Bulk`, the one way the store writes many rows (the
journal, the merge and the insert thread all go through it), the cyclic garbage collector
paused, and on SQLite a rollback journal instead of the write-ahead log (both undone
whatever happens). Runs on the thread that owns the connection; never commits."""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    Connection,
    Date,
    String,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy import Enum as SAEnum

from migdesk.store.types import UTCDateTime

if TYPE_CHECKING:
    from migdesk.store.insert_thread import InsertThread

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


# -- the one way many rows are written ----------------------------------------------------

class Bulk:
    """Writes many rows fast on one connection, in the caller's transaction: the one bulk
    path of the store, used by the journal (store/journal.py), the merge (sync/merge.py) and,
    through `thread`, the insert thread (store/insert_thread.py).

    Rows are dicts of Python values. On SQLite each value is made the driver's value in one
    step (the hot types directly, the rest with SQLAlchemy's own bind processors) and the
    rows go to the driver's executemany, or to `thread`'s queue; on PostgreSQL with psycopg,
    `copy=True` sends them with COPY … FROM STDIN; elsewhere SQLAlchemy's executemany. Same
    stored values on every path. One object per load: it remembers each table's binders and
    the text of the timestamps it has made (a change's time is stored several times)."""

    def __init__(self, conn: Connection, thread: InsertThread | None = None,
                 copy: bool = False) -> None:
        self.conn = conn
        self.dialect = conn.dialect
        self.sqlite = self.dialect.name == "sqlite"
        self.copy = copy and self.dialect.name == "postgresql" \
            and self.dialect.driver == "psycopg"
        self.thread = thread if self.sqlite else None
        self._binders: dict[str, dict[str, Any]] = {}
        self._stamps: dict[dt.datetime, str] = {}

    # -- the second thread ------------------------------------------------------------------
    def drain(self) -> None:
        """Wait until the rows queued for the thread are written (before any read)."""
        if self.thread is not None:
            self.thread.drain()

    def close(self) -> None:
        """Stop the thread (what it has not started is dropped): before a rollback."""
        if self.thread is not None:
            self.thread.close()

    # -- writing ----------------------------------------------------------------------------
    def insert(self, table: Any, rows: list[dict[str, Any]], queue: bool = True) -> None:
        """Insert `rows` (each with the keys of the first); `queue=False` writes them now even
        when a thread is given (the thread is drained first)."""
        if not rows:
            return
        if not self.sqlite and not self.copy:
            self.conn.execute(insert(table), rows)
            return
        keys = list(rows[0])
        procs = self.binders(table)
        columns = []
        for k in keys:
            values: Iterable[Any] = map(itemgetter(k), rows)
            fn = procs.get(k)
            if fn is not None:
                values = _converted(fn, list(values))
            columns.append(values)
        params: list[Any] = list(zip(*columns, strict=True))
        if self.copy:
            self._copy(table, keys, params)
        elif self.thread is not None and queue:
            self.thread.insert(table.name, [table.c[k].name for k in keys], params)
        else:
            self.drain()
            names = ", ".join(f'"{table.c[k].name}"' for k in keys)
            self.conn.exec_driver_sql(
                f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(keys))})',
                params)

    def update(self, table: Any, rows: list[dict[str, Any]]) -> None:
        """Update records by id: each row has "_id" and the columns to set; rows setting the
        same columns go in one executemany."""
        groups: dict[frozenset[str], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(frozenset(row), []).append(row)
        if groups:
            self.drain()
        for params in groups.values():
            self.conn.execute(update(table).where(table.c.id == bindparam("_id")), params)

    def delete(self, table: Any, column: str, values: Iterable[Any]) -> None:
        """Delete the rows whose `column` is among `values`."""
        items = list(values)
        if items:
            self.drain()
            self.conn.execute(delete(table).where(among(self.conn, table.c[column], items)))

    def _copy(self, table: Any, keys: list[str], params: list[Any]) -> None:
        from migdesk.store.pg_copy import copy_tuples  # COPY text made directly, in blocks

        copy_tuples(self.conn.connection.driver_connection, table.name,
                    [table.c[k].name for k in keys], params)

    # -- values -----------------------------------------------------------------------------
    def binders(self, table: Any) -> dict[str, Any]:
        """Column key -> function making the driver's value (None: the value as it is). On
        SQLite the hot types are done directly (a UTC timestamp, a date, a boolean, an enum
        member); the rest, and every type on PostgreSQL, use SQLAlchemy's bind processors."""
        found = self._binders.get(table.name)
        if found is None:
            found = {}
            for c in table.columns:
                t = c.type
                if self.sqlite and isinstance(t, UTCDateTime):
                    found[c.key] = self.stamp
                elif self.sqlite and type(t) is Date:
                    found[c.key] = _day
                elif self.sqlite and isinstance(t, Boolean):
                    found[c.key] = None  # a bool is an int to sqlite3
                elif self.sqlite and isinstance(t, SAEnum) and t.enum_class:
                    found[c.key] = _enum_text  # stored by value (store/base.py)
                else:
                    found[c.key] = t._cached_bind_processor(self.dialect)
            self._binders[table.name] = found
        return found

    def stamp(self, value: dt.datetime | None) -> str | None:
        """What UTCDateTime and SQLAlchemy's SQLite DATETIME store, in one step; the text of
        each timestamp is remembered (a few thousand at most)."""
        if value is None:
            return None
        text = self._stamps.get(value)
        if text is not None:
            return text
        if value.tzinfo is dt.UTC:  # what the codec and utcnow() make
            text = value.isoformat(" ", "microseconds")[:26]
        elif value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        else:
            text = value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        if len(self._stamps) >= 20_000:
            self._stamps.clear()
        self._stamps[value] = text
        return text


def insert_rows(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` now through a Bulk of their own (a one-off write: the journal's)."""
    Bulk(conn).insert(table, rows)


def among(conn: Connection, col: Any, values: Iterable[str]) -> Any:
    """`col IN values` as one bound parameter (a JSON array on SQLite, an array on
    PostgreSQL): no limit on the number of values and one cached statement, where an
    expanding IN is compiled anew for every list."""
    items = list(values)
    if conn.dialect.name == "sqlite":
        each = func.json_each(bindparam("among", json.dumps(items), type_=String))
        return col.in_(select(each.table_valued("value").c.value))
    return col == any_(bindparam("among", items, type_=ARRAY(String)))


def raw_rows(conn: Connection, stmt: Any, size: int = 5000) -> Iterator[Sequence[Any]]:
    """The rows of `stmt`, `size` at a time. On SQLite as the driver gives them, without
    per-row result processing (a timestamp stays its stored text, a boolean 0 or 1); on other
    databases SQLAlchemy's rows, streamed with a server-side cursor."""
    if conn.dialect.name != "sqlite":
        result = conn.execution_options(yield_per=size).execute(stmt)
        try:
            yield from result.partitions(size)
        finally:
            result.close()
        return
    result = conn.execute(stmt)  # not streamed: a streamed result reads a row ahead itself
    cur = result.context.cursor
    try:
        while rows := cur.fetchmany(size):
            yield rows
    finally:
        result.close()


def stream_blob(conn: Connection, table: str, column: str, record_id: str, size: int,
                fill: Callable[[Callable[[bytes], None]], Any]) -> Any:
    """SQLite: make the `column` of record `record_id` a blob of `size` zero bytes, then let
    `fill(write)` write it in pieces (never more than `size` bytes: ValueError); returns what
    `fill` returns."""
    raw = conn.connection.driver_connection
    rowid = raw.execute(f'SELECT rowid FROM "{table}" WHERE id = ?',  # type: ignore[union-attr]
                        (record_id,)).fetchone()[0]
    raw.execute(f'UPDATE "{table}" SET "{column}" = zeroblob(?) '  # type: ignore[union-attr]
                "WHERE rowid = ?", (size, rowid))
    with raw.blobopen(table, column, rowid) as blob:  # type: ignore[union-attr]
        return fill(blob.write)


def values_statement(table: str, columns: tuple[str, ...], rows: int) -> str:
    """One multi-row insert of up to `rows` rows (the insert thread's statement): the list
    of values is padded with NULL rows, of which `LIMIT ?` keeps none, so a few sizes serve
    every count."""
    one = "(" + ",".join("?" * len(columns)) + ")"
    names = ", ".join(f'"{c}"' for c in columns)
    return (f'INSERT INTO "{table}" ({names}) SELECT * FROM (VALUES '
            + ",".join([one] * rows) + ") LIMIT ?")


def _converted(fn: Callable[[Any], Any], values: list[Any]) -> Iterable[Any]:
    """`fn` of each value, made once for each distinct value (a load repeats its timestamps,
    dates and enum members many times); values that cannot be keys are each converted."""
    try:
        made = {v: fn(v) for v in set(values)}
    except TypeError:  # unhashable
        return map(fn, values)
    return map(made.__getitem__, values)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _enum_text(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
