"""Opening a database: SQLite tuned for a desk (WAL, foreign keys, durable commits, busy
timeout) or any SQLAlchemy URL (PostgreSQL for the central store); schema via Alembic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_
from migdesk.store import audit, journal

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration (tests/test_store.py checks it against Alembic's own head): opening a
# database compares its revision with this, and loads Alembic only when an upgrade is due.
HEAD_REVISION = "0006"
# A write transaction that meets another writer waits this long before saying so, then this
# long in all before it gives up.
QUIET_WAIT_MS = 1500
LONG_WAIT_MS = 60_000
BUSY_TIMEOUT_MS = 10_000


def to_url(target: str) -> str:
    """A path becomes an SQLite URL; anything with '://' is taken as an SQLAlchemy URL."""
    if "://" in target:
        try:
            make_url(target)
        except ArgumentError:
            raise ValidationError.of(
                "database", N_("“{value}” is not a database path or URL"), value=target
            ) from None
        return target
    return f"sqlite:///{Path(target).expanduser()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def _begin(conn: Any) -> None:
    """Reads begin deferred; writes begin IMMEDIATE, taking the write lock first, because in
    WAL mode a transaction that read and then writes cannot wait for the lock (SQLITE_BUSY at
    once, whatever the busy timeout). A writer that meets another one says so through the
    database's `on_wait` and waits longer."""
    options = conn.get_execution_options()
    if not options.get("write"):
        conn.exec_driver_sql("BEGIN")
        return
    conn.exec_driver_sql(f"PRAGMA busy_timeout={QUIET_WAIT_MS}")
    try:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                raise
            on_wait = options.get("on_wait")
            if on_wait is not None:
                on_wait()
            conn.exec_driver_sql(f"PRAGMA busy_timeout={LONG_WAIT_MS - QUIET_WAIT_MS}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def is_sqlite_file(engine: Engine) -> bool:
    """A SQLite database in a file (not in memory, which lives in its one connection)."""
    url = engine.url
    return engine.dialect.name == "sqlite" and url.database not in (None, "", ":memory:") \
        and url.query.get("mode") != "memory"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        # SQLAlchemy, not pysqlite, owns transaction boundaries: BEGIN on first use, so a
        # read-then-write unit of work is one transaction (SQLAlchemy's documented recipe).
        event.listen(engine, "begin", _begin)
        return engine
    from migdesk.store.base import postgresql_predicates

    postgresql_predicates()  # the live-only unique indexes' predicate, as on SQLite
    engine = create_engine(url)
    event.listen(engine, "checkout", _ping_if_idle)
    event.listen(engine, "checkin", _note_checkin)
    return engine


# A pooled server connection idle longer than this is tested before use (a restarted server
# or a dropped network has closed it); one used just before is not: SQLAlchemy's pre-ping
# would cost a round trip on every checkout, and a search makes two (the role, the page).
IDLE_PING_S = 5.0


def _note_checkin(_dbapi_conn: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    """SQLAlchemy's pessimistic disconnect handling (a checkout event that raises
    DisconnectionError makes the pool open a fresh connection), for idle connections only."""
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_PING_S:
        return
    try:
        cur = dbapi_conn.cursor()
        try:
            cur.execute("SELECT 1")
        finally:
            cur.close()
        dbapi_conn.rollback()
    except Exception as exc:  # any failure: the connection is not usable
        raise DisconnectionError() from exc


def alembic_config(engine: Engine | None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    return HEAD_REVISION


def alembic_head() -> str:
    """The head as Alembic reads it from the migration scripts (slow: imports Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    assert head is not None
    return head


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every revision the migration scripts know (read once a process: each package an import
    checks asks, and reading the scripts costs tens of milliseconds)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(None))
    return frozenset(r.revision for r in script.walk_revisions())


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database (None for a database with no record)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":  # plain SQL: no reflection at every start
            if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                    "name = 'alembic_version'").first() is None:
                return None
        elif not inspect(conn).has_table("alembic_version"):
            return None
        rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return None if rev is None else str(rev)


def has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


class Database:
    """An engine plus a session factory whose sessions keep the journal."""

    def __init__(self, url: str) -> None:
        self.url = to_url(url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        journal.install(self.sessions)
        audit.install(self.sessions)
        self.on_wait: Callable[[], None] | None = None  # told when a writer must wait

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self) -> Session:
        """A session for reading (see services/app.py: writes go through its unit of work)."""
        return self.sessions()

    def writing(self, bind: Any = None) -> Session:
        """A session whose transaction begins as a writer (BEGIN IMMEDIATE on SQLite)."""
        session = self.sessions(bind=bind) if bind is not None else self.sessions()
        options: dict[str, Any] = {"write": True}
        if self.on_wait is not None:
            options["on_wait"] = self.on_wait
        session.connection(execution_options=options)
        return session

    def dispose(self) -> None:
        self.engine.dispose()
