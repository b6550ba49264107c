"""Backups of a desk's SQLite file, their encryption, restore, and the check at every start.

A backup is made with SQLite's online backup API (one step, so it is one consistent snapshot
while other connections keep writing in WAL mode) into `backups/` beside the database: a
folder of mode 0700, every file in it 0600 from its first byte. The copy is first written to
`<name>.<pid>.part`, passes `PRAGMA integrity_check`, is fsynced and then renamed to its
final name, so a backup that is listed is whole and sound.

With a backup key (an X25519 public key; the administrator keeps the private key) the
checked `.part` is encrypted, streamed, to the final `.db.enc` and the `.part` is removed:
plaintext exists only owner-only in the 0700 folder for the seconds of the backup (a killed
backup's `.part` is removed at the next start). The envelope: a fresh X25519 key per backup,
HKDF-SHA256, AES-256-GCM in 1 MiB chunks, each bound to its index and the header, the last
one marked (a cut file is detected). No Qt, no services: the command line, the services and
the window all use this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import re
import shutil
import sqlite3
import struct
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_

if TYPE_CHECKING:  # cryptography is loaded by what encrypts or decrypts, not by every start
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger("migdesk.backup")

FOLDER = "backups"
REASONS = ("close", "daily", "before-import", "manual")
REPLACED = "replaced"  # the database a restore put aside (not checked, never pruned)
DEFAULT_KEEP = 10
SQLITE_HEADER = b"SQLite format 3\x00"
MAGIC = b"MIGDESK-BACKUP01"
CHUNK = 1 << 20
HEADER = len(MAGIC) + 8 + 32 + 8  # magic, key id, ephemeral public key, nonce prefix
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{6}\.\d{3}Z)(?:-(?P<n>\d+))?"
                   r"\.(?P<reason>[a-z-]+)\.(?P<ext>db|db\.enc)$")
_STAMP = "%Y%m%dT%H%M%S"


class BackupError(MigdeskError):
    """A backup could not be made or a file cannot be restored; nothing was changed."""

    exit_code = 5


class DamagedDatabase(MigdeskError):
    """The database file is damaged: it is not opened (for writing or at all)."""

    exit_code = 5


@dataclass(frozen=True)
class BackupFile:
    path: Path
    at: dt.datetime  # UTC
    reason: str
    encrypted: bool
    size: int

    @property
    def name(self) -> str:
        return self.path.name


# -- where --------------------------------------------------------------------------------
def folder(db_path: str | os.PathLike[str], create: bool = False) -> Path:
    """`backups/` beside the database (made with mode 0700 when `create`)."""
    d = Path(db_path).resolve().parent / FOLDER
    if create:
        d.mkdir(mode=0o700, exist_ok=True)
        os.chmod(d, 0o700)
    return d


def list_backups(db_path: str | os.PathLike[str], *,
                 include_replaced: bool = False) -> list[BackupFile]:
    """This database's backups, newest first (only finished files; `.part`s are not)."""
    d = folder(db_path)
    stem = Path(db_path).name
    out: list[BackupFile] = []
    if not d.is_dir():
        return out
    for p in d.iterdir():
        m = _NAME.match(p.name)
        if not m or m["stem"] != stem:
            continue
        reason = m["reason"]
        if reason not in REASONS and not (include_replaced and reason == REPLACED):
            continue
        at = dt.datetime.strptime(m["stamp"][:15], _STAMP).replace(
            microsecond=int(m["stamp"][16:19]) * 1000, tzinfo=dt.UTC)
        with contextlib.suppress(OSError):
            out.append(BackupFile(p, at, reason, m["ext"] == "db.enc", p.stat().st_size))
    out.sort(key=lambda b: (b.at, b.name), reverse=True)
    return out


def newest(db_path: str | os.PathLike[str]) -> BackupFile | None:
    found = list_backups(db_path)
    return found[0] if found else None


def _stamp(now: dt.datetime) -> str:
    return now.strftime(_STAMP) + f".{now.microsecond // 1000:03d}Z"


# -- files owner-only from the first byte -------------------------------------------------
def _create_private(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                   0o600)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _part_name(final: Path) -> Path:
    """An unfinished file: the process that writes it is in the name (see clean_stale_parts)."""
    return final.with_name(f"{final.name}.{os.getpid()}-{os.urandom(4).hex()}.part")


def _unlink_sqlite(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def clean_stale_parts(db_path: str | os.PathLike[str]) -> list[str]:
    """Remove `.part` files left by a killed backup or restore (their process is gone).
    Cheap: one listing of the backups folder. Returns the names removed."""
    d = folder(db_path)
    removed: list[str] = []
    if not d.is_dir():
        return removed
    for p in d.glob("*.part*"):
        m = re.search(r"\.(\d+)-[0-9a-f]{8}\.part(?:-journal|-wal|-shm)?$", p.name)
        if not m or not _process_gone(int(m[1]), p):
            continue
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p.name)
    if removed:
        log.warning("removed %d unfinished backup file(s)", len(removed))
    return removed


def _process_gone(pid: int, path: Path) -> bool:
    if pid == os.getpid():
        return False
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False
    try:  # elsewhere: a part untouched for a day is a dead one
        return time.time() - path.stat().st_mtime > 86400
    except OSError:
        return False


# -- making a backup ----------------------------------------------------------------------
def make(db_path: str | os.PathLike[str], reason: str, *, public_key: bytes | None = None,
         keep: int = DEFAULT_KEEP, output: str | os.PathLike[str] | None = None,
         now: dt.datetime | None = None, check: str = "integrity_check") -> BackupFile:
    """Back up the database at `db_path`: checked (`check`: SQLite's `integrity_check`, or
    the quicker `quick_check` the automatic backups use), then encrypted to `public_key` if
    given.

    Into `backups/` (then the oldest beyond `keep` are pruned), or to `output`."""
    if reason not in REASONS or check not in ("integrity_check", "quick_check"):
        raise ValueError(reason)
    src_path = Path(db_path)
    if not src_path.is_file():
        raise BackupError.of("database", N_("No database at {path}"), path=str(src_path))
    d = folder(src_path, create=True)
    clean_stale_parts(src_path)
    now = now or dt.datetime.now(dt.UTC)
    ext = "db.enc" if public_key else "db"
    if output is not None:
        final = Path(output)
        if final.is_dir():
            raise BackupError.of("output", N_("{path} is a folder, not a file"),
                                 path=str(final))
        if final.exists() and not final.is_file():  # a device, a pipe: never replaced
            raise BackupError.of("output", N_("{path} is not a regular file"), path=str(final))
    else:
        final = d / f"{src_path.name}.{_stamp(now)}.{reason}.{ext}"
        n = 1
        while final.exists():
            n += 1
            final = d / f"{src_path.name}.{_stamp(now)}-{n}.{reason}.{ext}"
    # The plaintext copy lives in the 0700 folder, whatever the output.
    part = _part_name(d / f"{src_path.name}.snapshot")
    try:
        _snapshot(src_path, part)
        if public_key or output is not None:  # written beside the output, then renamed
            out_part = _part_name(final)
            try:
                # The check and the copy read the same snapshot on two threads (SQLite and
                # OpenSSL release the GIL); the copy is kept only if the check passes.
                with _checking(part, check) as verdict, open(part, "rb") as src, \
                        os.fdopen(_create_private(out_part), "wb") as dst:
                    if public_key:
                        encrypt(src, dst, public_key)
                    else:
                        shutil.copyfileobj(src, dst, CHUNK)
                    dst.flush()
                    os.fsync(dst.fileno())
                _refuse_unsound(verdict)
                os.replace(out_part, final)
            except BaseException:
                with contextlib.suppress(OSError):
                    out_part.unlink()
                raise
        else:
            _refuse_unsound(_integrity(part, check))
            _fsync_path(part)
            os.replace(part, final)
        _fsync_dir(final.parent)
    finally:
        _unlink_sqlite(part)
    if output is None:
        prune(src_path, keep)
    log.info("backup made (%s, %s)", reason, "encrypted" if public_key else "plain")
    return BackupFile(final, now, reason, bool(public_key), final.stat().st_size)


def _refuse_unsound(problems: list[str]) -> None:
    if problems:
        raise BackupError.of("database", N_(
            "The database failed its integrity check, so no backup was kept: {detail}. "
            "Restore the newest good backup"), detail="; ".join(problems)[:200])


@contextlib.contextmanager
def _checking(path: Path, pragma: str = "integrity_check") -> Iterator[list[str]]:
    """`integrity_check` of `path` on a second thread while the body runs; the list holds
    its problems once the block is left (joined even when the body fails)."""
    problems: list[str] = []

    def work() -> None:
        try:
            problems.extend(_integrity(path, pragma))
        except BaseException as exc:  # noqa: BLE001 - reported as a failed check
            problems.append(type(exc).__name__)

    thread = threading.Thread(target=work, name="backup-check", daemon=True)
    thread.start()
    try:
        yield problems
    finally:
        thread.join()


def _snapshot(src_path: Path, part: Path) -> None:
    """The online backup into a new 0600 file, left in rollback-journal mode (one file)."""
    os.close(_create_private(part))
    src = _read_only(src_path)
    try:
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)  # one step: one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError.of("database", N_("The database cannot be backed up: {detail}"),
                             detail=str(exc).splitlines()[0]) from None
    finally:
        src.close()


def _read_only(path: Path) -> sqlite3.Connection:
    uri = "file:" + urllib.parse.quote(str(Path(path).resolve())) + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=10)


def _integrity(path: Path, pragma: str = "integrity_check") -> list[str]:
    """SQLite's own check of a file that no other connection uses: [] when sound."""
    try:
        con = _read_only(path)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    try:
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
        return [] if rows == ["ok"] else rows
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        con.close()


def prune(db_path: str | os.PathLike[str], keep: int) -> list[str]:
    """Remove all but the newest `keep` backups (never the copies a restore put aside)."""
    keep = max(1, keep)
    removed = []
    for old in list_backups(db_path)[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
            removed.append(old.name)
    return removed


def due(db_path: str | os.PathLike[str], reason: str, every: dt.timedelta,
        now: dt.datetime | None = None) -> bool:
    """No backup for `reason` in the last `every`."""
    now = now or dt.datetime.now(dt.UTC)
    return not any(b.reason == reason and now - b.at < every for b in list_backups(db_path))


# -- encryption ---------------------------------------------------------------------------
def new_key_pair() -> tuple[bytes, bytes]:
    """(private key PEM, raw public key) for a desk's backups."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return pem, _raw(private.public_key())


def write_private_key(path: str | os.PathLike[str], pem: bytes) -> None:
    """The private key file, 0600 from its first byte; an existing file is never replaced."""
    try:
        fd = _create_private(Path(path))
    except FileExistsError:
        raise BackupError.of("backup_key", N_(
            "{path} exists already; choose a new file for the key"), path=str(path)) from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())


def load_private_key(path: str | os.PathLike[str]) -> X25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    try:
        with open(path, "rb") as fh:
            key = serialization.load_pem_private_key(fh.read(1 << 16), password=None)
    except OSError as exc:
        raise BackupError.of("backup_key", N_("Cannot read the key file {path}: {detail}"),
                             path=str(path), detail=exc.strerror or type(exc).__name__) from None
    except (ValueError, TypeError):
        raise BackupError.of("backup_key", N_("{path} is not a backup key file"),
                             path=str(path)) from None
    if not isinstance(key, X25519PrivateKey):
        raise BackupError.of("backup_key", N_("{path} is not a backup key file"), path=str(path))
    return key


def _raw(key: X25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: bytes) -> bytes:
    return hashlib.sha256(b"migdesk backup key\x00" + public).digest()[:8]


def _aes(shared: bytes, eph: bytes, recipient: bytes) -> AESGCM:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return AESGCM(HKDF(hashes.SHA256(), 32, salt=eph + recipient,
                       info=b"migdesk backup v1").derive(shared))


def encrypt(src: BinaryIO, dst: BinaryIO, public: bytes) -> None:
    """Stream `src` into `dst` for the holder of the private key of `public`."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

    eph = X25519PrivateKey.generate()
    eph_pub = _raw(eph.public_key())
    aes = _aes(eph.exchange(X25519PublicKey.from_public_bytes(public)), eph_pub, public)
    prefix = os.urandom(8)
    header = MAGIC + key_id(public) + eph_pub + prefix
    dst.write(header)
    index = 0
    block = src.read(CHUNK)
    while True:
        nxt = src.read(CHUNK)
        last = not nxt
        ct = aes.encrypt(prefix + struct.pack(">I", index), block,
                         header + (b"\x01" if last else b"\x00"))
        dst.write(struct.pack(">I", len(ct)))
        dst.write(ct)
        if last:
            return
        block, index = nxt, index + 1


def is_encrypted(path: str | os.PathLike[str]) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def decrypt(src: BinaryIO, dst: BinaryIO, private: X25519PrivateKey) -> None:
    """The inverse of `encrypt`; a changed, cut or foreign file raises BackupError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    header = src.read(HEADER)
    if len(header) < HEADER or not header.startswith(MAGIC):
        raise BackupError.of("backup", N_("The backup is truncated or not a migdesk backup"))
    public = _raw(private.public_key())
    if header[len(MAGIC):len(MAGIC) + 8] != key_id(public):
        raise BackupError.of("backup_key", N_("The backup was encrypted for another key"))
    eph_pub = header[len(MAGIC) + 8:len(MAGIC) + 40]
    prefix = header[-8:]
    try:
        aes = _aes(private.exchange(X25519PublicKey.from_public_bytes(eph_pub)), eph_pub,
                   public)
    except ValueError:
        raise BackupError.of("backup", N_("The backup is damaged")) from None
    index = 0
    while True:
        size_raw = src.read(4)
        if len(size_raw) < 4:
            raise BackupError.of("backup", N_("The backup is truncated"))
        (size,) = struct.unpack(">I", size_raw)
        if size > CHUNK + 16:
            raise BackupError.of("backup", N_("The backup is damaged"))
        ct = src.read(size)
        if len(ct) < size:
            raise BackupError.of("backup", N_("The backup is truncated"))
        nonce = prefix + struct.pack(">I", index)
        try:
            try:
                block, last = aes.decrypt(nonce, ct, header + b"\x00"), False
            except InvalidTag:
                block, last = aes.decrypt(nonce, ct, header + b"\x01"), True
        except InvalidTag:
            raise BackupError.of("backup", N_("The backup is damaged or was changed")) from None
        dst.write(block)
        index += 1
        if last:
            if src.read(1):
                raise BackupError.of("backup", N_("The backup is damaged"))
            return


# -- restoring ----------------------------------------------------------------------------
def restore(db_path: str | os.PathLike[str], source: str | os.PathLike[str], *,
            private_key: X25519PrivateKey | None = None,
            known_revisions: frozenset[str] | set[str] | None = None,
            now: dt.datetime | None = None) -> Path | None:
    """Put the backup `source` in place of the database at `db_path`.

    The file is decrypted (with `private_key`) or copied into a 0600 file in the backups
    folder, must pass `integrity_check` and hold a migdesk schema of a known revision; only
    then the current database (if any) is kept aside as `<name>.<stamp>.replaced.db` in the
    backups folder and the restored one renamed into place. A refused file leaves the
    current database as it was. Returns the path of the copy put aside."""
    db = Path(db_path).resolve()
    src = Path(source)
    d = folder(db, create=True)
    clean_stale_parts(db)
    try:
        with open(src, "rb") as fh:
            head = fh.read(len(MAGIC))
    except OSError as exc:
        raise BackupError.of("backup", N_("Cannot read {path}: {detail}"), path=str(src),
                             detail=exc.strerror or type(exc).__name__) from None
    if head == MAGIC and private_key is None:
        raise BackupError.of("backup_key", N_(
            "The backup is encrypted: give the administrator's private key file with --key"))
    part = _part_name(d / f"{db.name}.restore")
    try:
        with open(src, "rb") as fin, os.fdopen(_create_private(part), "wb") as fout:
            if head == MAGIC:
                assert private_key is not None
                decrypt(fin, fout, private_key)
            else:
                shutil.copyfileobj(fin, fout, CHUNK)
            fout.flush()
            os.fsync(fout.fileno())
        verify_restorable(part, known_revisions)
        now = now or dt.datetime.now(dt.UTC)
        aside = _put_aside(db, d, now) if db.exists() else None
        try:
            os.replace(part, db)
        except OSError as exc:
            if exc.errno != errno.EXDEV:  # the backups folder is on another disk
                raise
            _replace_via_same_folder(part, db)
        _fsync_dir(db.parent)
    finally:
        _unlink_sqlite(part)
    log.info("database restored from a backup")
    return aside


def verify_restorable(path: Path, known_revisions: frozenset[str] | set[str] | None) -> None:
    """A sound SQLite file holding a migdesk schema of a revision this migdesk knows."""
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise BackupError.of("backup", N_(
                "The file is not a migdesk backup (it is not an SQLite database); the "
                "database was not changed"))
    problems = _integrity(path)
    if problems:
        raise BackupError.of("backup", N_(
            "The backup is damaged (integrity check: {detail}); the database was not changed"),
            detail="; ".join(problems)[:200])
    try:
        con = _read_only(path)
        try:
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        rows = []
    if len(rows) != 1 or (known_revisions is not None and rows[0][0] not in known_revisions):
        raise BackupError.of("backup", N_(
            "The file is not a migdesk database of a version this migdesk knows; the database "
            "was not changed"))


def _put_aside(db: Path, d: Path, now: dt.datetime) -> Path:
    """Keep the current database as a whole file in the backups folder, still in place:
    refused while another connection has it open; else switched to a rollback journal (which
    empties its WAL into it) and hard-linked (or copied) aside. A damaged database's WAL goes
    aside with it. Either way the restored file never meets a stale WAL."""
    aside = d / f"{db.name}.{_stamp(now)}.{REPLACED}.db"
    _quiesce(db)
    try:
        os.link(db, aside)
    except OSError:
        fd = _create_private(aside)
        with open(db, "rb") as fin, os.fdopen(fd, "wb") as fout:
            shutil.copyfileobj(fin, fout, CHUNK)
            os.fsync(fout.fileno())
    with contextlib.suppress(OSError):
        os.chmod(aside, 0o600)
    for suffix in ("-wal", "-journal"):  # left only when the database could not be read
        companion = Path(f"{db}{suffix}")
        if companion.exists() and companion.stat().st_size > 0:
            os.replace(companion, f"{aside}{suffix}")
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{db}{suffix}")
    _fsync_dir(d)
    return aside


def _quiesce(db: Path) -> None:
    """Make sure no other connection (window, command, this process) has the database
    open, and fold its WAL into it. An idle WAL connection elsewhere is enough to refuse."""
    try:
        con = sqlite3.connect(db, timeout=2, isolation_level=None)
    except sqlite3.DatabaseError:
        return
    try:
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("COMMIT")
        con.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise BackupError.of("database", N_(
                "The database is in use by another migdesk (a window or a command); close "
                "it and restore again")) from None
    except sqlite3.DatabaseError:
        pass  # damaged: moved aside as it is, with its WAL
    finally:
        con.close()


def _replace_via_same_folder(part: Path, db: Path) -> None:
    tmp = _part_name(db.with_name(f".{db.name}.restore"))
    try:
        with open(part, "rb") as fin, os.fdopen(_create_private(tmp), "wb") as fout:
            shutil.copyfileobj(fin, fout, CHUNK)
            os.fsync(fout.fileno())
        os.replace(tmp, db)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


# -- the start check ----------------------------------------------------------------------
def check_openable(db_path: str | os.PathLike[str]) -> None:
    """The cheap check at every start (about a millisecond): the SQLite header and a schema
    that parses. A damaged file raises DamagedDatabase naming the newest good backup."""
    path = Path(db_path)
    clean_stale_parts(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return  # a missing or unreadable file is reported where it is opened
    if not head:
        return
    problem = None
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        problem = "not an SQLite file"
    else:
        try:
            con = _read_only(path)
            try:
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
                con.execute("PRAGMA schema_version").fetchone()
            finally:
                con.close()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                problem = str(exc).splitlines()[0]
        except sqlite3.DatabaseError as exc:
            problem = str(exc).splitlines()[0]
    if problem:
        raise damaged(path, problem)


def quick_check(db_path: str | os.PathLike[str]) -> list[str]:
    """SQLite's `quick_check` (about 2 s on an 800 MB desk): [] when sound. For a window to
    run in the background after start."""
    return _integrity(Path(db_path), "quick_check")


def damaged(db_path: str | os.PathLike[str], detail: str) -> DamagedDatabase:
    best = newest(db_path)
    if best is None:
        return DamagedDatabase.of("database", N_(
            "The database {path} is damaged ({detail}), so it was not opened. There is no "
            "backup of it in {folder}"), path=str(db_path), detail=detail,
            folder=str(folder(db_path)))
    return DamagedDatabase.of("database", N_(
        "The database {path} is damaged ({detail}), so it was not opened. The newest good "
        "backup is {backup}: restore it with “migdesk restore {backup}”"),
        path=str(db_path), detail=detail, backup=str(best.path))


def sqlite_file(url_or_path: str) -> Path | None:
    """The file of an SQLite URL or path; None for other databases or one in memory."""
    if "://" not in url_or_path:
        return Path(url_or_path).expanduser()
    if not url_or_path.startswith("sqlite:///"):
        return None
    rest = url_or_path.removeprefix("sqlite:///").split("?", 1)[0]
    if not rest or rest == ":memory:" or "mode=memory" in url_or_path:
        return None
    return Path(rest)

