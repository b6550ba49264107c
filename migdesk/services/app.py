"""The application object: a database, the acting officer and desk, and the services on them.

Each service call is one unit of work: `with app.unit_of_work(reason) as s:` opens a
Session, commits on success and rolls back on any error, so a refused action leaves
nothing half-written. A Session never leaves the thread that opened it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import platform
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from migdesk.domain.errors import ConflictError, MigdeskError, ValidationError
from migdesk.i18n import N_
from migdesk.store import db as store_db
from migdesk.store.journal import Actor
from migdesk.store.local import DeskIdentity, Setting
from migdesk.store.types import new_id, utcnow

if TYPE_CHECKING:
    from migdesk.services.audit import AuditService
    from migdesk.services.backups import BackupService
    from migdesk.services.candidates import CandidateService
    from migdesk.services.matching import MatchingService
    from migdesk.services.partners import PartnerService
    from migdesk.services.programs import ProgramService
    from migdesk.services.sync import SyncService
    from migdesk.services.visits import VisitService


def current_officer() -> str:
    """`MIGDESK_USER`, or the operating-system user, until officer accounts exist."""
    name = os.environ.get("MIGDESK_USER") or ""
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return name[:64]


class DatabaseUnavailable(MigdeskError):
    exit_code = 5


class Migdesk:
    """Entry point of the core. Cheap to create; open one per process (or per test)."""

    def __init__(self, database: store_db.Database, officer: str | None = None,
                 today: Callable[[], dt.date] | None = None) -> None:
        self.db = database
        self.officer = officer or current_officer()
        self._today = today or dt.date.today
        self._desk: DeskIdentity | None = None

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, target: str | None = None, *, create: bool = True, migrate: bool = True,
             officer: str | None = None,
             today: Callable[[], dt.date] | None = None) -> Migdesk:
        """Open (and by default create and migrate) the database at a path or URL."""
        from migdesk.paths import default_database_url

        url = store_db.to_url(target or default_database_url())
        if url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///")
            if not create and not os.path.exists(path):
                raise DatabaseUnavailable.of(
                    "database", N_("No database at {path}; run “migdesk init” first"), path=path
                )
            if not create and os.path.isfile(path) and os.path.getsize(path) == 0:
                raise DatabaseUnavailable.of("database", N_(
                    "{path} is an empty file, not a migdesk database"), path=path)
            from migdesk.store.backup import DamagedDatabase, check_openable

            try:
                check_openable(path)  # header and schema (~1 ms); refused, names a backup
            except DamagedDatabase as exc:
                raise DatabaseUnavailable(exc.errors) from None
        database = store_db.Database(url)
        app = cls(database, officer=officer, today=today)
        try:
            rev = store_db.current_revision(database.engine)
            head = store_db.head_revision()
            if rev is None and _has_tables(database.engine):
                raise DatabaseUnavailable.of("database", N_(
                    "The file holds tables but no migdesk schema record: it is not a migdesk "
                    "database, or it is damaged"))
            if rev != head:
                known = _known_revisions()
                if rev is not None and rev not in known:
                    raise DatabaseUnavailable.of(
                        "database",
                        N_("The database was made by a newer migdesk (schema {rev}); update "
                           "migdesk"), rev=rev,
                    )
                if not migrate:
                    raise DatabaseUnavailable.of(
                        "database", N_("The database schema is {rev}, expected {head}"),
                        rev=rev or "-", head=head,
                    )
                store_db.upgrade(database.engine)
        except DBAPIError as exc:
            database.dispose()
            raise DatabaseUnavailable.of(
                "database", N_("Cannot open the database: {detail}"),
                detail=str(exc.orig).splitlines()[0],
            ) from None
        except MigdeskError:
            database.dispose()
            raise
        return app

    def close(self) -> None:
        self.db.dispose()

    # -- units of work ---------------------------------------------------------------------
    @contextmanager
    def unit_of_work(self, reason: str | None = None) -> Iterator[Session]:
        """One transaction for one user action; the journal is written in it."""
        session = self.db.session()
        session.info["actor"] = Actor(self.officer, self.desk_id)
        session.info["reason"] = reason
        try:
            yield session
            session.commit()
        except MigdeskError:
            session.rollback()
            raise
        except IntegrityError as exc:
            session.rollback()
            raise ConflictError.of(
                None, N_("The change clashes with data saved meanwhile: {detail}"),
                detail=str(exc.orig).splitlines()[0],
            ) from None
        except OperationalError as exc:
            session.rollback()
            raise DatabaseUnavailable.of(
                "database", N_("The database refused the change: {detail}"),
                detail=str(exc.orig).splitlines()[0],
            ) from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end)."""
        session = self.db.session()
        try:
            yield session
        except SQLAlchemyError as exc:
            raise DatabaseUnavailable.of(
                "database", N_("Cannot read the database: {detail}"),
                detail=str(getattr(exc, "orig", exc)).splitlines()[0],
            ) from None
        finally:
            session.rollback()
            session.close()

    def today(self) -> dt.date:
        return self._today()

    # -- desk identity ----------------------------------------------------------------------
    def ensure_desk(self, name: str | None = None) -> DeskIdentity:
        """The desk's identity, made on first use (name: given, or the machine's name)."""
        with self.db.session() as s:
            desk = s.scalars(select(DeskIdentity)).first()
            if desk is None:
                clean = (name or platform.node() or "desk").strip()[:200]
                desk = DeskIdentity(id=new_id(), name=clean, created_at=utcnow())
                s.add(desk)
                s.commit()
            elif name and name.strip() and desk.name != name.strip():
                desk.name = name.strip()[:200]
                s.commit()
            s.expunge(desk)
        self._desk = desk
        return desk

    @property
    def desk(self) -> DeskIdentity:
        return self._desk or self.ensure_desk()

    @property
    def desk_id(self) -> str:
        return self.desk.id

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.reading() as s:
            row = s.get(Setting, key)
            return row.value if row else default

    def set_setting(self, key: str, value: str) -> None:
        if not key:
            raise ValidationError.of(None, N_("Required"))
        with self.db.session() as s:
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            else:
                row.value = value
            s.commit()

    # -- services ---------------------------------------------------------------------------
    @cached_property
    def candidates(self) -> CandidateService:
        from migdesk.services.candidates import CandidateService

        return CandidateService(self)

    @cached_property
    def partners(self) -> PartnerService:
        from migdesk.services.partners import PartnerService

        return PartnerService(self)

    @cached_property
    def programs(self) -> ProgramService:
        from migdesk.services.programs import ProgramService

        return ProgramService(self)

    @cached_property
    def visits(self) -> VisitService:
        from migdesk.services.visits import VisitService

        return VisitService(self)

    @cached_property
    def matching(self) -> MatchingService:
        from migdesk.services.matching import MatchingService

        return MatchingService(self)

    @cached_property
    def audit(self) -> AuditService:
        from migdesk.services.audit import AuditService

        return AuditService(self)

    @cached_property
    def backups(self) -> BackupService:
        from migdesk.services.backups import BackupService

        return BackupService(self)

    @cached_property
    def sync(self) -> SyncService:
        from migdesk.services.sync import SyncService

        return SyncService(self)


def _has_tables(engine: Engine) -> bool:
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(store_db.alembic_config(None))  # type: ignore[arg-type]
    return {r.revision for r in script.walk_revisions()}
