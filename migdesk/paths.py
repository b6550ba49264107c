"""Where migdesk keeps its files: the default database, keys, and the shipped resources."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "migdesk"


def data_dir() -> Path:
    """The user's data directory for migdesk (created on demand by callers that write)."""
    override = os.environ.get("MIGDESK_HOME")
    if override:
        return Path(override)
    import platformdirs  # only where the data directory is asked for (not for `--help`)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    """`MIGDESK_DB` (a path or an SQLAlchemy URL) or `migdesk.db` in the data directory."""
    env = os.environ.get("MIGDESK_DB")
    if env:
        return env
    return str(data_dir() / "migdesk.db")


def resources_dir() -> Path:
    """The `resources/` tree: inside the installed wheel, or beside the package in a checkout."""
    packaged = Path(__file__).resolve().parent / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def package_data_dir() -> Path:
    """Data files shipped inside the package (ISCO-08, name lists for demo data)."""
    return Path(__file__).resolve().parent / "domain" / "data"


def write_private(path: Path, data: bytes) -> None:
    """A new file only its owner may read (0600 from its first byte) in a folder only its
    owner may enter (0700); refuses to replace one that exists (a key is never overwritten)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
