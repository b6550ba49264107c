"""The window's two sync actions (export, import), run on its worker thread: see
migdesk/ui/hooks.py. Each is `(app, candidate_ids, progress) -> str`; `progress(done, total)`
is the callback the window passes in (returning False cancels). They open their own
application object on the same database (a session never crosses threads) and use the
desk's outbox/inbox folders in the data directory; the exchange page offers file dialogs.
They live here, in services, so that migdesk.sync never calls upward.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migdesk.i18n import _

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

Progress = Callable[[int, int], Any]


def _worker_app(app: Migdesk) -> Migdesk:
    today = app.today()
    return type(app).open(app.db.url, create=False, migrate=False, account=app.account,
                          today=lambda: today)


def _folder(name: str) -> Path:
    from migdesk.paths import data_dir

    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_for_window(app: Migdesk, candidate_ids: list[str] | None = None,
                      progress: Progress | None = None, path: str | Path | None = None) -> str:
    """Export what changed since the last package to the central store (to `path`, or a new
    file in the outbox folder); returns a message for the status bar. The central store
    writes one package for each trusted desk, each with what that desk may receive."""
    worker = _worker_app(app)
    try:
        stamp = worker.today().isoformat()
        if worker.sync.role == "central" and path is None:
            desks = [p for p in worker.sync.peers() if p.role == "desk"]
            if not desks:
                return _("No desk is trusted yet: there is no one to write a package for")
            total = 0
            for p in desks:
                name = f"{worker.desk_id[:8]}-to-{p.desk_id[:8]}-{stamp}-{id(worker):x}.mdp"
                total += worker.sync.export(_folder("outbox") / name, to=p.desk_id,
                                            progress=progress).changes
            return _("Exported {changes} changes in {n} packages to {path}").format(
                changes=total, n=len(desks), path=str(_folder("outbox")))
        if path is None:
            path = _folder("outbox") / f"{worker.desk_id[:8]}-{stamp}-{id(worker):x}.mdp"
        r = worker.sync.export(path, progress=progress)
    finally:
        worker.close()
    return _("Exported {changes} changes to {path}").format(changes=r.changes, path=r.path)


def import_for_window(app: Migdesk, candidate_ids: list[str] | None = None,
                      progress: Progress | None = None, path: str | Path | None = None) -> str:
    """Import `path`, or every package waiting in the inbox folder (moved to inbox/done
    once imported); returns a message for the status bar."""
    if path is not None:
        files = [Path(path)]
    else:
        inbox = _folder("inbox")
        files = sorted(p for p in inbox.iterdir() if p.is_file())
        if not files:
            return _("No packages in {path}").format(path=str(inbox))
    applied = conflicts = duplicates = 0
    worker = _worker_app(app)
    try:
        for f in files:
            r = worker.sync.import_package(f, progress=progress)
            applied += r.stats.applied
            conflicts += r.stats.conflicts
            duplicates += r.stats.duplicates
            if path is None:
                done = _folder("inbox/done")
                f.replace(done / f.name)
    finally:
        worker.close()
    return _("Imported: {applied} changes applied, {conflicts} conflicts, {duplicates} "
             "duplicates").format(applied=applied, conflicts=conflicts, duplicates=duplicates)
