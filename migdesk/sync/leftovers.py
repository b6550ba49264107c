"""Removing what older versions of migdesk left behind when an import or export was killed.

Before the packages were unsealed into unnamed files, an import unpacked a sealed package
into `/tmp/migdesk-import-*/` and an export zipped into `migdesk-export-*/package.zip` beside
the output: killed midway, both kept the personal data of every candidate in the clear. This
version never makes them; each import and export removes the ones this user owns.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

PREFIXES = ("migdesk-import-", "migdesk-export-")
log = logging.getLogger("migdesk")


def sweep(*folders: str | os.PathLike[str] | None) -> int:
    """Remove leftover folders in the temporary directory and in `folders` (an export's
    output folder); only real folders (not links) owned by this user. Returns how many."""
    places: list[Path] = [Path(tempfile.gettempdir())]
    places += [Path(f) for f in folders if f is not None]
    removed = 0
    for place in dict.fromkeys(places):
        for entry in _candidates(place):
            try:
                st = os.lstat(entry)
            except OSError:
                continue
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
                continue
            try:
                shutil.rmtree(entry)  # does not follow links inside (fd-based on Linux)
                removed += 1
            except OSError as exc:
                log.warning("could not remove a leftover folder: %s", exc.strerror)
    if removed:
        log.info("removed %d leftover folders of an older migdesk", removed)
    return removed


def _candidates(place: Path) -> Iterable[Path]:
    try:
        with os.scandir(place) as it:
            return [Path(e.path) for e in it if e.name.startswith(PREFIXES)]
    except OSError:
        return []
