"""The desk's backups as the window and the command line use them: the settings, the
automatic moments (on closing the window, daily, before every import), and restore.

The automatic hooks are the three `on_close`, `daily_if_due` and `before_import`; each is
called in one line from where it happens (ui/main.py, services/sync.py). The files
themselves are made by store/backup.py. Only SQLite desks in a file are backed up here; a
PostgreSQL central store is backed up with the server's own tools.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from migdesk.domain.errors import MigdeskError, ValidationError
from migdesk.domain.roles import Permission
from migdesk.i18n import N_
from migdesk.store import backup as store_backup
from migdesk.store.backup import BackupError, BackupFile

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

log = logging.getLogger("migdesk.backup")

KEEP_KEY = "backup.keep"
PUBLIC_KEY = "backup.key"  # base64 of the X25519 public key backups are encrypted to
DAILY = dt.timedelta(hours=24)


HOURLY = dt.timedelta(hours=1)


def _record(app: Migdesk, action: str, detail: str) -> None:
    """The one place a backup or restore is recorded (file names only, no personal data):
    the audit trail, when an officer is signed in (a window closing after its officer signed
    out is recorded in the technical log only)."""
    if app.signed_in:
        app.record(action.replace(" ", "_"), "backup", None, {"detail": detail})
    else:
        log.info("%s: %s", action, detail)


class BackupService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    # -- where and how ----------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The database file, or None when this desk is not an SQLite file."""
        from migdesk.store import db as store_db

        if not store_db.is_sqlite_file(self.app.db.engine):
            return None
        return store_backup.sqlite_file(self.app.db.url)

    def _file(self) -> Path:
        path = self.path
        if path is None:
            raise BackupError.of("database", N_(
                "Only a desk database in an SQLite file is backed up by migdesk; back up a "
                "PostgreSQL store with the server's own tools"))
        return path

    def keep(self) -> int:
        raw = self.app.setting(KEEP_KEY)
        try:
            return max(1, int(raw)) if raw else store_backup.DEFAULT_KEEP
        except ValueError:
            return store_backup.DEFAULT_KEEP

    def set_keep(self, n: int) -> None:
        if n < 1:
            raise ValidationError.of(None, N_("Keep at least one backup"))
        self.app.set_setting(KEEP_KEY, str(n), permission=Permission.BACKUP)

    def public_key(self) -> bytes | None:
        from migdesk.sync.keys import unb64

        raw = self.app.setting(PUBLIC_KEY)
        if not raw:
            return None
        try:
            key = unb64(raw)
        except ValueError:
            key = b""
        if len(key) != 32:
            raise BackupError.of("backup_key", N_(
                "The desk's backup key in the settings is not valid; make a new one with "
                "“migdesk backup key --new FILE”"))
        return key

    def new_key(self, private_key_file: str | Path) -> str:
        """Make a key pair: the private key goes to `private_key_file` (0600, for the
        administrator to keep away from the desk), the public one into the settings.
        Returns the public key (base64)."""
        from migdesk.sync.keys import b64

        self.app.require(Permission.BACKUP)
        self._file()
        pem, public = store_backup.new_key_pair()
        store_backup.write_private_key(private_key_file, pem)
        self.app.set_setting(PUBLIC_KEY, b64(public))
        _record(self.app, "backup key", "new key")
        return b64(public)

    # -- making -----------------------------------------------------------------------------
    def make(self, reason: str = "manual", output: str | Path | None = None) -> BackupFile:
        """A backup now: asked for (`manual`, an administrator's, fully checked), or one of
        the automatic ones (checked with the quicker `quick_check`)."""
        if reason == "manual":
            self.app.require(Permission.BACKUP)
        made = store_backup.make(self._file(), reason, public_key=self.public_key(),
                                 keep=self.keep(), output=output,
                                 check="integrity_check" if reason == "manual"
                                 else "quick_check")
        _record(self.app, "backup", f"{reason} {made.name}")
        return made

    def list(self) -> list[BackupFile]:
        path = self.path
        return store_backup.list_backups(path, include_replaced=True) if path else []

    def on_close(self) -> BackupFile | None:
        """Closing the window: a backup, unless it fails (then logged, and closing goes on)."""
        return self._quietly("close")

    def daily_if_due(self) -> BackupFile | None:
        path = self.path
        if path is None or not store_backup.due(path, "daily", DAILY):
            return None
        return self._quietly("daily")

    def before_import(self, large: bool = True) -> BackupFile | None:
        """Before a package or spreadsheet import: a failure stops the import (no backup, no
        import). A large import always gets a fresh backup; a small one (an incremental
        package) when the last backup before an import is over an hour old, so that a desk
        exchanging every few minutes does not copy its whole file each time."""
        path = self.path
        if path is None:
            return None
        if not large and not store_backup.due(path, "before-import", HOURLY):
            return None
        return self.make("before-import")

    def _quietly(self, reason: str) -> BackupFile | None:
        if self.path is None:
            return None
        try:
            return self.make(reason)
        except (MigdeskError, OSError) as exc:
            log.warning("%s backup failed: %s", reason, type(exc).__name__)
            return None

    # -- checking ---------------------------------------------------------------------------
    def quick_check(self) -> builtins.list[str]:  # (the method `list` hides list)
        """SQLite's quick_check of the open database (seconds; run it off the GUI thread)."""
        path = self.path
        return store_backup.quick_check(path) if path else []

    def at_start(self) -> BackupFile | None:
        """What the window runs in the background after it opens: the full quick_check
        (a damaged database raises DamagedDatabase naming the newest good backup), then the
        daily backup if one is due."""
        path = self.path
        if path is None:
            return None
        problems = store_backup.quick_check(path)
        if problems:
            raise store_backup.damaged(path, "; ".join(problems)[:200])
        return self.daily_if_due()


def restore(target: str, source: str | Path, key_file: str | Path | None = None) -> Path | None:
    """Restore the database at `target` (a path or sqlite URL) from the backup `source`,
    without opening the current database (it may be the damaged one). Returns the copy of
    the current database put aside."""
    path = store_backup.sqlite_file(target)
    if path is None:
        raise BackupError.of("database", N_(
            "Only a desk database in an SQLite file is restored by migdesk"))
    key = store_backup.load_private_key(key_file) if key_file else None
    from migdesk.store import db as store_db

    aside = store_backup.restore(path, source, private_key=key,
                                 known_revisions=store_db.known_revisions())
    log.info("restore: %s", Path(source).name)
    return aside
