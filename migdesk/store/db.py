"""Opening a database: SQLite tuned for a desk (WAL, foreign keys, durable commits, busy
timeout) or any SQLAlchemy URL (PostgreSQL for the central store); schema via Alembic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_
from migdesk.store import journal

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def _begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


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
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config(None))  # type: ignore[arg-type]
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


class Database:
    """An engine plus a session factory whose sessions keep the journal."""

    def __init__(self, url: str) -> None:
        self.url = to_url(url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        journal.install(self.sessions)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()
