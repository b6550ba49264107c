"""Scanned documents of a candidate (passport, diploma, consent form…): the one write path.

A file is stored whole in the `attachment` table under its SHA-256, which is how change
packages carry it (sync/package.py: `attachments/<sha256>`), so it travels with the record
that names it. Adding needs the right to edit candidates; removing is a tombstone with a
reason (supervisors, like every removal); each opening of a file is an access ('view') in
the audit chain, each copy written out an 'export'. Files are checked by their first bytes
(PDF, JPEG, PNG, TIFF) and their size (at most 20 MB) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from migdesk.domain.attachments import HEAD, MAX_BYTES, MAX_MB, AttachmentKind, sniff
from migdesk.domain.errors import NotFound, ValidationError
from migdesk.domain.roles import Permission
from migdesk.i18n import N_
from migdesk.services.candidates import resolve
from migdesk.services.dto import Saved
from migdesk.services.records import tombstone
from migdesk.store.people import Attachment

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk


@dataclass(frozen=True)
class AttachmentView:
    id: str
    candidate_id: str
    kind: str
    filename: str
    media_type: str
    sha256: str
    size: int
    added_at: dt.datetime
    added_by: str


@dataclass(frozen=True)
class AttachmentFile:
    """One attachment with its bytes (held in memory only: never a temporary file)."""

    view: AttachmentView
    data: bytes


def _view(a: Attachment) -> AttachmentView:
    return AttachmentView(a.id, a.candidate_id or "", a.kind, a.filename, a.media_type,
                          a.sha256, a.size, a.created_at, a.created_by)


def _size_text(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}"


def check_file(data: bytes, name: str) -> str:
    """The media type of `data`, or a refusal naming the file and what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise ValidationError.of("file", N_(
            "“{name}” is {size} MB; a document may have at most {limit} MB"),
            name=name, size=_size_text(len(data)), limit=MAX_MB)
    if not data:
        raise ValidationError.of("file", N_("“{name}” is empty"), name=name)
    media = sniff(data[:HEAD])
    if media is None:
        raise ValidationError.of("file", N_(
            "“{name}” is not a scanned document or an image: only PDF, JPEG, PNG and TIFF "
            "files can be attached"), name=name)
    return media


def _find(s: Session, ref: str) -> Attachment:
    """A live attachment by its id or an unambiguous prefix of it (8 characters or more)."""
    ref = (ref or "").strip().lower()
    att = s.get(Attachment, ref) if ref else None
    if att is None and len(ref) >= 8:
        hits = s.scalars(select(Attachment).where(Attachment.id.like(ref + "%"),
                                                  Attachment.deleted.is_(False)).limit(2)).all()
        att = hits[0] if len(hits) == 1 else None
    if att is None or att.deleted:
        raise NotFound.of(None, N_("No attachment “{ref}”"), ref=ref)
    return att


def _clean_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip() or "document"
    return "".join(ch for ch in base if ch.isprintable())[:255]


class AttachmentService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    # -- writing ----------------------------------------------------------------------------
    def add_file(self, candidate: str, path: str | os.PathLike[str], kind: str) -> AttachmentView:
        """Attach the file at `path` (its size is checked before it is read)."""
        p = Path(path)
        try:
            size = p.stat().st_size
            if not p.is_file():
                raise IsADirectoryError(str(p))
            if size > MAX_BYTES:
                raise ValidationError.of("file", N_(
                    "“{name}” is {size} MB; a document may have at most {limit} MB"),
                    name=p.name, size=_size_text(size), limit=MAX_MB)
            data = p.read_bytes()
        except OSError as exc:
            raise ValidationError.of("file", N_("Cannot read “{name}”: {detail}"),
                                     name=p.name, detail=exc.strerror or str(exc)) from None
        return self.add(candidate, data, p.name, kind)

    def add(self, candidate: str, data: bytes, filename: str, kind: str) -> AttachmentView:
        """Attach `data` (named `filename`) to a live candidate as a document of `kind`."""
        self.app.require(Permission.EDIT_CANDIDATES)
        name = _clean_name(filename)
        try:
            the_kind = AttachmentKind.parse(kind).value
        except ValidationError as exc:
            raise ValidationError.of("kind", exc.errors[0].msgid,
                                     **exc.errors[0].params) from None
        media = check_file(data, name)
        sha = hashlib.sha256(data).hexdigest()
        with self.app.unit_of_work("attach") as s:
            cand = resolve(s, candidate)
            same = s.scalar(select(Attachment.filename).where(
                Attachment.candidate_id == cand.id, Attachment.sha256 == sha,
                Attachment.deleted.is_(False)).limit(1))
            if same is not None:
                raise ValidationError.of("file", N_(
                    "“{name}” is already attached to this candidate (as “{other}”)"),
                    name=name, other=same)
            att = Attachment(candidate_id=cand.id, kind=the_kind, filename=name,
                             media_type=media, sha256=sha, size=len(data), data=data)
            s.add(att)
            s.flush()
            return _view(att)

    def remove(self, attachment_id: str, reason: str) -> Saved:
        """A tombstone with a reason (it travels in packages like any removal)."""
        with self.app.reading() as s:
            full = _find(s, attachment_id).id
        return tombstone(self.app, "attachment", full, reason)

    # -- reading ----------------------------------------------------------------------------
    def list(self, candidate: str) -> list[AttachmentView]:
        """A candidate's live attachments, newest first (no bytes read, no access logged:
        the list names files; opening one is logged)."""
        self.app.require(Permission.VIEW)
        with self.app.reading() as s:
            cand = resolve(s, candidate)
            rows = s.scalars(select(Attachment).where(
                Attachment.candidate_id == cand.id, Attachment.deleted.is_(False))
                .order_by(Attachment.created_at.desc(), Attachment.filename)).all()
            return [_view(a) for a in rows]

    def open(self, attachment_id: str, purpose: str = "view") -> AttachmentFile:
        """The attachment with its bytes; the access is put in the audit chain."""
        self.app.require(Permission.VIEW)
        with self.app.reading() as s:
            att = _find(s, attachment_id)
            view = _view(att)
            data = bytes(att.data)
        if hashlib.sha256(data).hexdigest() != view.sha256:
            raise ValidationError.of(None, N_(
                "The stored file of “{name}” does not match its hash: the database is "
                "damaged"), name=view.filename)
        self.app.audit.record_access(purpose, "attachment", view.id, {
            "candidate": view.candidate_id, "kind": view.kind, "sha256": view.sha256})
        return AttachmentFile(view, data)

    def save_copy(self, attachment_id: str, path: str | os.PathLike[str]) -> Path:
        """Write a copy of the file out (readable by its owner only), logged as an 'export':
        taking a person's documents off the desk needs the right to export, as a list does."""
        self.app.require(Permission.EXPORT)
        f = self.open(attachment_id, purpose="export")
        target = Path(path)
        tmp = target.with_name(target.name + ".part")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            os.fchmod(fd, 0o600)  # a .part left by a crash may have had wider rights
            with os.fdopen(fd, "wb") as fh:
                fh.write(f.data)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ValidationError.of("file", N_("Cannot write {path}: {detail}"),
                                     path=str(target), detail=exc.strerror or str(exc)) from None
        return target
