"""The application object: a database, the signed-in officer and desk, and the services.

Each service call is one unit of work: `with app.unit_of_work(reason) as s:` opens a
Session whose transaction begins as the database's one writer, commits on success (sealing
what it wrote into the audit chain, store/audit.py) and rolls back on any error, so a refused
action leaves nothing half-written. It is the only way to write: no service opens a session
of its own to commit. A Session never leaves the thread that opened it. Services check the
officer's role with `require()` before they act.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from migdesk.domain.errors import ConflictError, MigdeskError, ValidationError
from migdesk.domain.roles import Permission, Role, may
from migdesk.i18n import N_
from migdesk.store import audit as chain
from migdesk.store import db as store_db
from migdesk.store.journal import Actor
from migdesk.store.local import DeskIdentity, Setting
from migdesk.store.types import new_id, utcnow

if TYPE_CHECKING:
    from migdesk.services.accounts import AccountService, AccountView
    from migdesk.services.attachments import AttachmentService
    from migdesk.services.audit import AuditService
    from migdesk.services.backups import BackupService
    from migdesk.services.candidates import CandidateService
    from migdesk.services.matching import MatchingService
    from migdesk.services.partners import PartnerService
    from migdesk.services.programs import ProgramService
    from migdesk.services.sheet_import import SheetImportService
    from migdesk.services.sync import SyncService
    from migdesk.services.visits import VisitService


class DatabaseUnavailable(MigdeskError):
    exit_code = 5


class DatabaseBusy(DatabaseUnavailable):
    """Another program held the write lock for longer than a writer waits."""


class PermissionDenied(MigdeskError):
    exit_code = 7


DEMO_KEY = "demo"


class Migdesk:
    """Entry point of the core. Cheap to create; open one per process (or per test)."""

    def __init__(self, database: store_db.Database,
                 today: Callable[[], dt.date] | None = None,
                 account: AccountView | None = None) -> None:
        self.db = database
        self._today = today or dt.date.today
        self._desk: DeskIdentity | None = None
        self._account: AccountView | None = account
        self._head_signer: Callable[[bytes], bytes] | None = None
        self._writing = threading.local()  # open units of work on this thread

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, target: str | None = None, *, create: bool = True, migrate: bool = True,
             today: Callable[[], dt.date] | None = None,
             account: AccountView | None = None) -> Migdesk:
        """Open (and by default create and migrate) the database at a path or URL.

        `account` hands an officer already signed in to another thread or process of the
        same session (the window's workers, dossier batches); everyone else signs in."""
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
        app = cls(database, today=today, account=account)
        try:
            rev = store_db.current_revision(database.engine)
            head = store_db.head_revision()
            if rev is None and store_db.has_tables(database.engine):
                raise DatabaseUnavailable.of("database", N_(
                    "The file holds tables but no migdesk schema record: it is not a migdesk "
                    "database, or it is damaged"))
            if rev != head:
                known = store_db.known_revisions()
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
                app._sign_unsigned_head()
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

    # -- the signed-in officer ---------------------------------------------------------------
    @property
    def account(self) -> AccountView:
        if self._account is None:
            from migdesk.services.accounts import NotSignedIn

            raise NotSignedIn.of(None, N_("Sign in first"))
        return self._account

    @property
    def signed_in(self) -> bool:
        return self._account is not None

    @property
    def officer(self) -> str:
        """The signed-in officer's login (what the journal and the audit trail record)."""
        return self.account.login

    @property
    def officer_name(self) -> str:
        """The signed-in officer's full name (what printed documents show)."""
        return self.account.full_name

    def _signed_in(self, view: AccountView) -> None:
        self._account = view

    def sign_in(self, login: str, password: str) -> AccountView:
        return self.accounts.sign_in(login, password)

    def sign_out(self) -> None:
        if self._account is not None:
            self.record("sign_out", "account", self._account.id)
        self._account = None

    def may(self, permission: Permission) -> bool:
        """Whether the signed-in officer's role allows `permission` (the window hides what
        it does not; the services refuse it with `require`)."""
        return self._account is not None and may(self._account.role, permission)

    def require(self, permission: Permission) -> None:
        """Refuse (and record) what the signed-in officer's role may not do. The role is read
        afresh, so an officer demoted or disabled by an administrator is held to it at once,
        in a window left open too."""
        role = Role(self._current_role())
        if not may(role, permission):
            if getattr(self._writing, "depth", 0):  # inside a unit of work of this thread:
                import logging  # a second writer would wait on the first; it rolls back

                logging.getLogger("migdesk").warning("refused by role: %s", permission.name)
            else:
                with self.unit_of_work("refused") as s:
                    chain.add_event(s, "denied", detail={"permission": permission.name})
            raise PermissionDenied.of(None, N_(
                "Your role ({role}) may not {action}; that needs the role: {needed}"), role=role,
                action=permission, needed=_least(permission))

    def _current_role(self) -> str:
        from migdesk.store.accounts import Account

        me = self.account
        with self.reading() as s:
            row = s.execute(select(Account.role, Account.disabled).where(
                Account.id == me.id)).first()
        if row is None or row.disabled:
            from migdesk.services.accounts import NotSignedIn

            self._account = None
            raise NotSignedIn.of(None, N_("Sign in first"))
        if row.role != me.role:
            import dataclasses

            self._account = dataclasses.replace(me, role=row.role)
        return str(row.role)

    @property
    def is_demo(self) -> bool:
        return self.setting(DEMO_KEY) == "1"

    # -- units of work ---------------------------------------------------------------------
    @contextmanager
    def unit_of_work(self, reason: str | None = None, *, anonymous: bool = False,
                     bind: Any = None, _making_desk: bool = False) -> Iterator[Session]:
        """One transaction for one user action; the journal and the audit chain are written
        in it. Only a signed-in officer writes, except `anonymous` steps before anyone can
        have signed in (the desk's identity, the first administrator, a sign-in)."""
        if not anonymous or self._account is not None:
            actor: Actor | None = Actor(self.officer, self.desk_id)
        else:
            desk = self._find_desk() if _making_desk else self.desk
            actor = Actor("-", desk.id) if desk is not None else None
        session = self.db.writing(bind)
        self._writing.depth = getattr(self._writing, "depth", 0) + 1
        if actor is not None:
            session.info["actor"] = actor
            session.info["signer"] = self._sign
        session.info["reason"] = reason
        try:
            chain.lock(session)
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
            detail = str(exc.orig).splitlines()[0]
            if "locked" in detail or "busy" in detail:
                raise DatabaseBusy.of("database", N_(
                    "Another migdesk program kept this database busy for over a minute; "
                    "nothing was saved: try again when it has finished")) from None
            if "full" in detail:
                raise DatabaseUnavailable.of("database", N_(
                    "The disk is full: nothing was saved; free some space and try "
                    "again")) from None
            raise DatabaseUnavailable.of(
                "database", N_("The database refused the change: {detail}"),
                detail=detail) from None
        except BaseException:
            session.rollback()
            raise
        finally:
            self._writing.depth -= 1
            session.close()

    def record(self, action: str, entity: str | None = None, entity_id: str | None = None,
               detail: Any = None, reason: str | None = None) -> None:
        """Put one event into the audit chain in a transaction of its own (a view, a print,
        an export of personal data…)."""
        with self.unit_of_work(reason) as s:
            chain.add_event(s, action, entity, entity_id, detail, reason)

    def _sign(self, message: bytes) -> bytes:
        if self._head_signer is None:  # the desk's key alone, not the whole sync service
            self._head_signer = self._sign_for(self.desk_id)
        return self._head_signer(message)

    def head_public_key(self) -> str:
        """The key the audit head is signed with (this desk's signing key)."""
        return self.sync.keys().sign_public

    def _sign_unsigned_head(self) -> None:
        """After a migration built the chain, sign its head with this desk's key."""
        with self.db.engine.begin() as conn:
            desk = conn.execute(select(DeskIdentity.id)).scalar()
            unsigned = conn.execute(select(chain.AuditHead.id).where(
                chain.AuditHead.signature.is_(None), chain.AuditHead.seq > 0)).scalar()
            if desk is not None and unsigned is not None:
                self._desk = None
                chain.sign_head(conn, desk, self._sign_for(desk))

    def _sign_for(self, desk_id: str) -> Callable[[bytes], bytes]:
        from migdesk.sync import keys as keymod

        return keymod.ensure_keys(desk_id).sign

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
        """The desk's identity, made on first use (name: given, or the machine's name);
        renaming a desk that has one is an administrator's change of settings."""
        desk = self._find_desk()
        if desk is None:
            with self.unit_of_work("desk created", anonymous=True, _making_desk=True) as s:
                clean = (name or platform.node() or "desk").strip()[:200]
                desk = DeskIdentity(id=new_id(), name=clean, created_at=utcnow())
                s.add(desk)
                s.flush()
                s.expunge(desk)
        elif name and name.strip() and desk.name != name.strip()[:200]:
            self.require(Permission.SETTINGS)
            with self.unit_of_work("desk renamed") as s:
                row = s.get(DeskIdentity, desk.id)
                assert row is not None
                before, row.name = row.name, name.strip()[:200]
                chain.add_event(s, "desk_rename", "desk", row.id,
                                {"name": [before, row.name]})
                s.flush()
                s.expunge(row)
                desk = row
        self._desk = desk
        return desk

    def _find_desk(self) -> DeskIdentity | None:
        if self._desk is not None:
            return self._desk
        with self.reading() as s:
            desk = s.scalars(select(DeskIdentity)).first()
            if desk is not None:
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

    def set_setting(self, key: str, value: str,
                    permission: Permission = Permission.SETTINGS) -> None:
        """Change one of the desk's settings (recorded in the audit trail)."""
        if not key:
            raise ValidationError.of(None, N_("Required"))
        self.require(permission)
        with self.unit_of_work("setting changed") as s:
            row = s.get(Setting, key)
            before = row.value if row else None
            if row is None:
                s.add(Setting(key=key, value=value))
            else:
                row.value = value
            chain.add_event(s, "setting", "setting", None,
                            {"key": key, "value": [before, value]})

    # -- services ---------------------------------------------------------------------------
    @cached_property
    def candidates(self) -> CandidateService:
        from migdesk.services.candidates import CandidateService

        return CandidateService(self)

    @cached_property
    def attachments(self) -> AttachmentService:
        from migdesk.services.attachments import AttachmentService

        return AttachmentService(self)

    @cached_property
    def sheet_import(self) -> SheetImportService:
        from migdesk.services.sheet_import import SheetImportService

        return SheetImportService(self)

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
    def accounts(self) -> AccountService:
        from migdesk.services.accounts import AccountService

        return AccountService(self)

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


def _known_revisions() -> frozenset[str]:
    return store_db.known_revisions()


def _least(permission: Permission) -> Role:
    from migdesk.domain.roles import least_role

    return least_role(permission)
