"""Candidate dossiers as a use-case: make, save, batch (2 processes), verify, log each access.

The CLI and the window call the same `DossierService`. A single dossier is made on the
caller's thread. A batch runs in a pool of worker *processes* (spawned, never forked, so it is
safe under Qt); each worker opens its own `Migdesk` on the same database and reads in its own
sessions. Progress is reported to a callback in the calling thread; the callback returning
False, or the `cancel` event being set, stops the batch. Every dossier written is recorded
in the access log ('export' or 'print') in one transaction per batch.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from migdesk.domain.errors import MigdeskError, NotFound
from migdesk.domain.roles import Permission
from migdesk.i18n import N_
from migdesk.store import audit
from migdesk.store.people import Attachment

if TYPE_CHECKING:
    from migdesk.documents.dossier import DossierInput
    from migdesk.documents.signing import DeskCertificate
    from migdesk.services.accounts import AccountView
    from migdesk.services.app import Migdesk
    from migdesk.services.dossier_check import FileCheck

Progress = Callable[[int, int], bool | None]
ACTIONS = ("export", "print")
CHUNK = 10


class DossierCancelled(MigdeskError):
    exit_code = 130


@dataclass(frozen=True)
class Rendered:
    candidate_id: str
    number: str
    pdf: bytes


@dataclass(frozen=True)
class Verdict:
    """The result of checking one dossier: its file (see `dossier_check`) and the database."""

    number: str
    candidate_id: str
    ok: bool
    reason: str  # "match" | "changed" | "missing", and for a file "signature" | "printed"
    database: str = ""  # "match" | "changed" | "missing": the record against the database
    printed: tuple[str, ...] = ()  # fields whose printed text differs from the record
    changed: tuple[str, ...] = ()  # fields that changed in the database since the printing
    remade: bool = False  # `printed` was found against the database (no signed record)


@dataclass
class BatchResult:
    total: int
    done: int = 0
    cancelled: bool = False
    paths: list[Path] = field(default_factory=list)


class DossierService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    # -- one dossier ------------------------------------------------------------------------
    def prepare(self, ref: str) -> DossierInput:
        """Everything the document needs about one candidate (no access is logged here)."""
        from migdesk.documents.dossier import DEFAULT_INSTITUTION, DossierInput

        detail = self.app.candidates.get(ref, purpose=None)
        return DossierInput(
            detail=detail, issued_on=self.app.today(),
            institution=self.app.setting("institution_name") or DEFAULT_INSTITUTION,
            desk_name=self.app.desk.name, officer=self.app.officer_name,
            photo=self._photo(detail.id))

    def render(self, ref: str, action: str = "export") -> Rendered:
        """The PDF of one candidate's dossier; the print/export is logged."""
        from migdesk.documents import dossier, fonts

        self.app.require(Permission.PRINT)
        fonts.register(self.app.setting("font_path"))
        inp = self.prepare(ref)
        pdf = dossier.render_signed([inp], self.certificate(), author=self.app.desk.name)
        self._log(action, [(inp.detail.id, inp.number)])
        return Rendered(inp.detail.id, inp.number, pdf)

    def save(self, ref: str, path: str | os.PathLike[str], action: str = "export") -> Rendered:
        r = self.render(ref, action)
        _write(Path(path), r.pdf)
        return r

    def certificate(self) -> DeskCertificate:
        """The desk's dossier certificate that signs every dossier file (made on first use)."""
        from migdesk.services.dossier_check import desk_certificate

        return desk_certificate(self.app)

    # -- batches ----------------------------------------------------------------------------
    def select(self, program: str | None = None, status: str | None = None) -> list[str]:
        """Ids of the live candidates of a programme and/or in a status, in name order."""
        program_id = self.app.programs.get(program).id if program else None
        ids: list[str] = []
        cursor = None
        while True:
            page = self.app.candidates.search(status=status, program_id=program_id,
                                              limit=1000, cursor=cursor)
            ids += [c.id for c in page.items]
            if not page.next_cursor:
                return ids
            cursor = page.next_cursor

    def batch(self, ids: list[str], out: str | os.PathLike[str], *, bound: bool = False,
              action: str = "export", workers: int = 2, progress: Progress | None = None,
              cancel: threading.Event | None = None) -> BatchResult:
        """Dossiers of `ids`: one file each in directory `out`, or one bound file `out`."""
        self.app.require(Permission.PRINT)
        out = Path(out)
        result = BatchResult(total=len(ids))
        if not ids:
            return result
        if not bound:
            out.mkdir(parents=True, exist_ok=True)
        cert = self.certificate()  # made here, before the workers load it
        chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
        job = _Job(self.app.db.url, self.app.account, self.app.today().isoformat(),
                   None if bound else str(out))
        collected: dict[int, list] = {}
        logged: list[tuple[str, str]] = []
        workers = max(1, min(workers, len(chunks)))
        ctx = get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(job,)) as pool:
            queue = iter(enumerate(chunks))
            pending: dict[Future, int] = {}

            def top_up() -> None:  # at most `workers` chunks in flight: cancel stops soon
                while len(pending) < workers:
                    nxt = next(queue, None)
                    if nxt is None:
                        return
                    pending[pool.submit(_work, nxt[1])] = nxt[0]

            def take(fut: Future, i: int) -> None:
                try:
                    items = fut.result()
                except BrokenProcessPool:
                    raise MigdeskError.of(None, N_(
                        "A worker process of the dossier batch stopped; nothing more was "
                        "written")) from None
                collected[i] = items
                result.done += len(items)
                logged.extend((item[0], item[1]) for item in items)
                if not bound:
                    result.paths.extend(Path(str(item[2])) for item in items)

            top_up()
            try:
                while pending:
                    finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        take(fut, pending.pop(fut))
                    stop = cancel is not None and cancel.is_set()
                    if finished and progress is not None and progress(
                            result.done, result.total) is False:
                        stop = True
                    if stop and (pending or result.done < result.total):
                        result.cancelled = True
                        break
                    top_up()
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                for fut, i in pending.items():  # chunks running when cancelled: written
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        take(fut, i)
        if result.cancelled and bound:
            return result  # nothing was written, nothing to log
        if bound:
            from migdesk.documents import dossier, fonts

            fonts.register(self.app.setting("font_path"))
            inputs = [inp for i in sorted(collected) for (_, _, inp) in collected[i]]
            _write(out, dossier.render_signed(inputs, cert, author=self.app.desk.name))
            result.paths.append(out)
        self._log(action, logged)
        return result

    # -- verification -----------------------------------------------------------------------
    def check_file(self, path: str | os.PathLike[str]) -> FileCheck:
        """Signature, printed text against its record, record against the database."""
        from migdesk.services.dossier_check import check_file

        return check_file(self, path)

    def verify_file(self, path: str | os.PathLike[str]) -> list[Verdict]:
        return self.check_file(path).verdicts

    def verify(self, number: str, sha256: str, candidate_id: str | None = None) -> Verdict:
        """Does the record behind dossier `number` still hash to `sha256`?"""
        from migdesk.documents import qr

        ref = candidate_id or self._id_of_number(number)
        try:
            detail = self.app.candidates.get(ref, purpose=None) if ref else None
        except NotFound:
            detail = None
        if detail is None:
            return Verdict(number, candidate_id or "", False, "missing", "missing")
        same = (qr.content_hash(detail) == sha256.lower()
                and qr.dossier_number(detail.id, detail.version) == number)
        reason = "match" if same else "changed"
        return Verdict(number, detail.id, same, reason, reason)

    def _id_of_number(self, number: str) -> str | None:
        from migdesk.store.people import Candidate

        prefix = number.removeprefix("D-").rsplit("-", 1)[0].lower()
        if len(prefix) != 10 or not all(c in "0123456789abcdef" for c in prefix):
            return None
        like = f"{prefix[:8]}-{prefix[8:]}%"
        with self.app.reading() as s:
            found = s.scalars(select(Candidate.id).where(Candidate.id.like(like)).limit(2)).all()
        return found[0] if len(found) == 1 else None

    # -- helpers ----------------------------------------------------------------------------
    def _photo(self, candidate_id: str) -> bytes | None:
        with self.app.reading() as s:
            row = s.execute(select(Attachment.data).where(
                Attachment.candidate_id == candidate_id, Attachment.kind == "photo",
                Attachment.deleted.is_(False)).order_by(Attachment.updated_at.desc())
                .limit(1)).first()
        return bytes(row[0]) if row else None

    def _log(self, action: str, items: Iterable[tuple[str, str]]) -> None:
        """One audit entry per dossier, all in one transaction."""
        if action not in ACTIONS:
            raise ValueError(action)
        items = list(items)
        if not items:
            return
        with self.app.unit_of_work(action) as s:
            for cid, number in items:
                audit.add_event(s, action, "candidate", cid, f"dossier {number}")


def _write(path: Path, data: bytes) -> None:
    """A dossier holds a person's data: owner-only (0600) from its first byte, and under its
    name only when whole."""
    tmp = path.with_name(path.name + ".part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # a .part left by a crash may have had wider rights
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise MigdeskError.of("file", N_("Cannot write {path}: {detail}"), path=str(path),
                              detail=exc.strerror or str(exc)) from None


# -- worker processes ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Job:
    url: str
    account: AccountView
    today: str
    outdir: str | None


_worker: tuple[DossierService, _Job, DeskCertificate] | None = None


def _init_worker(job: _Job) -> None:
    global _worker
    from migdesk.documents import fonts
    from migdesk.services.app import Migdesk

    today = dt.date.fromisoformat(job.today)
    app = Migdesk.open(job.url, create=False, migrate=False, account=job.account,
                       today=lambda: today)
    fonts.register(app.setting("font_path"))
    svc = DossierService(app)
    _worker = (svc, job, svc.certificate())


def _work(ids: list[str]) -> list[tuple[str, str, object]]:
    """In a worker: dossier files (directory mode) or their inputs (bound mode)."""
    from migdesk.documents import dossier

    assert _worker is not None
    svc, job, cert = _worker
    out: list[tuple[str, str, object]] = []
    for cid in ids:
        inp = svc.prepare(cid)
        if job.outdir is None:
            out.append((inp.detail.id, inp.number, inp))
            continue
        path = Path(job.outdir) / f"{inp.number}.pdf"
        _write(path, dossier.render_signed([inp], cert, author=svc.app.desk.name))
        out.append((inp.detail.id, inp.number, str(path)))
    return out


# -- the window's hook (migdesk/ui/hooks.py: PRINT_DOSSIER) ----------------------------------
def print_for_window(app: Migdesk, candidate_ids: list[str],
                     progress: Progress | None = None) -> str:
    """On a worker thread: the selected candidates' dossiers as one PDF in the data
    directory's `dossiers` folder (logged as 'export'); returns a status-bar message.

    The window's print dialog with a preview is `migdesk.ui.dossier_preview` (GUI thread)."""
    from migdesk.i18n import _
    from migdesk.paths import data_dir

    if not candidate_ids:
        return _("Select one or more candidates first")
    today = app.today()
    worker = type(app).open(app.db.url, create=False, migrate=False, account=app.account,
                            today=lambda: today)
    try:
        svc = DossierService(worker)
        folder = data_dir() / "dossiers"
        folder.mkdir(parents=True, exist_ok=True)
        if len(candidate_ids) == 1:
            r = svc.render(candidate_ids[0], "export")
            path = folder / f"{r.number}.pdf"
            _write(path, r.pdf)
            if progress is not None:
                progress(1, 1)
        else:
            path = folder / f"dossiers-{today.isoformat()}-{len(candidate_ids)}.pdf"
            result = svc.batch(list(candidate_ids), path, bound=True, action="export",
                               progress=progress)
            if result.cancelled:
                return _("Cancelled")
    finally:
        worker.close()
    return _("Dossier saved to {path}").format(path=str(path))
