"""Exchanging change packages: keys and trust, export, import, the conflicts and duplicates
queues. Export reads one snapshot and streams it to the file; import checks the whole
package first and then applies it in one transaction (committed at the end, or nothing).
Runs on the caller's thread; each call opens its own session."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from migdesk.domain.errors import ConflictError, MigdeskError, NotFound, ValidationError
from migdesk.domain.roles import Permission
from migdesk.i18n import N_
from migdesk.services.sync_dto import (  # re-exported: the results are named from here too
    ConflictView,
    DuplicateView,
    ExchangeView,
    ExportResult,
    ImportResult,
    PeerView,
)
from migdesk.store import audit, journal
from migdesk.store import db as store_db
from migdesk.store.bulk import paused_gc, raw_rows, rollback_journal
from migdesk.store.local import ChangeEntry
from migdesk.store.models import MODEL_BY_TABLE
from migdesk.store.people import Attachment
from migdesk.store.sync_tables import Conflict, Duplicate, Exchange, HeldChange, PeerKey
from migdesk.store.types import new_id, utcnow
from migdesk.sync import chain as package_chain
from migdesk.sync import keys as keymod
from migdesk.sync import leftovers
from migdesk.sync import merge as merging
from migdesk.sync.codec import (
    RESOLVED,
    LineMaker,
    Malformed,
    decode,
    decode_checked_elsewhere,
    to_python,
)
from migdesk.sync.errors import KeyProblem, PackageRefused
from migdesk.sync.merge import Merger, Stats, whole_desk_load
from migdesk.sync.package import (
    CHANGES,
    UNTRUSTED_SIGNER,
    open_package,
    whole,
    write_package,
)
from migdesk.sync.scope import ALL, OWN, SCOPES, visible_to
from migdesk.sync.verify import LineCheck

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

ROLE_KEY = "sync.role"
Progress = Callable[[int, int], "bool | None"]


class Cancelled(MigdeskError):
    """The officer stopped an export or import; nothing was written."""

    exit_code = 130

ANYONE = "*"


def _view(p: PeerKey) -> PeerView:
    return PeerView(p.desk_id, p.name, p.role, p.enc_key is not None, p.scope, p.resend,
                    keymod.fingerprint(p.desk_id, p.sign_key, p.enc_key))


def untrusted_sender(exc: BaseException) -> str | None:
    """The desk id of a refused package's signer when the refusal is that it is not trusted."""
    for e in getattr(exc, "errors", []) if isinstance(exc, PackageRefused) else []:
        if e.msgid == UNTRUSTED_SIGNER:
            return str(e.params.get("desk") or "") or None
    return None


def _known_schema(rev: str) -> bool:
    from migdesk.services.app import _known_revisions

    return rev in _known_revisions()


class SyncService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    # -- keys and trust --------------------------------------------------------------------
    def keys(self) -> keymod.DeskKeys:
        return keymod.ensure_keys(self.app.desk_id)

    @property
    def role(self) -> str:
        return self.app.setting(ROLE_KEY, "desk") or "desk"

    def set_role(self, role: str) -> None:
        if role not in ("desk", "central"):
            raise ValidationError.of("role", N_("The role is “desk” or “central”"))
        self.app.set_setting(ROLE_KEY, role)

    def card(self) -> keymod.KeyCard:
        k = self.keys()
        return keymod.KeyCard(self.app.desk_id, self.app.desk.name, self.role,
                              k.sign_public, k.enc_public)

    def read_card(self, path: str | Path) -> keymod.KeyCard:
        """A card read from a file, to show (its fingerprint) before it is trusted."""
        return keymod.read_card(path)

    def write_card(self, path: str | Path) -> keymod.KeyCard:
        """This desk's card written to a file to give to the other party."""
        card = self.card()
        try:
            Path(path).write_text(card.to_json(), encoding="utf-8")
        except OSError as exc:
            raise KeyProblem.of(None, N_("Cannot write {path}: {detail}"), path=str(path),
                                detail=exc.strerror or str(exc)) from None
        return card

    def trust(self, path: str | Path, replace: bool = False,
              scope: str | None = None, expected: str | None = None) -> PeerView:
        """Record a party's card; a different key for a known party needs `replace`.
        `expected`: the fingerprint the officer compared (the window shows it before this
        reads the file again): a card changed in between is refused.

        A desk newly trusted receives only its own candidates' personal data unless `scope`
        says "all" (data minimisation); the central store receives everything."""
        card = keymod.read_card(path)
        if expected is not None and card.fingerprint != expected:
            raise KeyProblem.of(None, N_(
                "The card file changed after its fingerprint was shown: open it again and "
                "compare the new fingerprint"))
        if scope is not None and scope not in SCOPES:
            raise ValidationError.of("scope", N_("The scope is “own” or “all”"))
        if scope == OWN and card.role == "central":
            raise ValidationError.of("scope", N_(
                "The central store receives everything a desk sends; its scope is “all”"))
        if card.desk_id == self.app.desk_id:
            raise ValidationError.of(None, N_("That is this desk's own key"))
        self.app.require(Permission.KEYS)
        with self.app.unit_of_work("trust") as s:
            old = s.get(PeerKey, card.desk_id)
            if old is not None and not replace and (old.sign_key, old.enc_key) != (
                    card.sign_key, card.enc_key):
                raise ConflictError.of(None, N_(
                    "{name} is already trusted with other keys; check the card with its "
                    "owner and use --replace"), name=old.name)
            row = old or PeerKey(desk_id=card.desk_id, resend=False,
                                 scope=OWN if card.role == "desk" else ALL)
            row.name, row.role, row.sign_key, row.enc_key = (card.name, card.role,
                                                            card.sign_key, card.enc_key)
            row.trusted_at, row.trusted_by = utcnow(), self.app.officer
            if card.role == "central":
                row.scope = ALL
            elif scope is not None:
                self._rescope(row, scope)
            s.add(row)
            audit.add_event(s, "trust", "desk", card.desk_id, {
                "name": card.name, "role": card.role, "scope": row.scope,
                "replaced": old is not None})
            s.flush()
            return _view(row)

    def peers(self) -> list[PeerView]:
        with self.app.reading() as s:
            return [_view(p) for p in s.scalars(select(PeerKey).order_by(PeerKey.name))]

    def set_scope(self, desk: str, scope: str) -> PeerView:
        """Change which personal data a trusted desk receives. Widening it makes the next
        package to that desk start again from the first change, so the desk gets what it was
        not sent before; narrowing it cannot take back what the desk already holds."""
        if scope not in SCOPES:
            raise ValidationError.of("scope", N_("The scope is “own” or “all”"))
        self.app.require(Permission.KEYS)
        with self.app.unit_of_work("scope") as s:
            row = self._peer(s, desk)
            if row.role == "central":
                raise ValidationError.of("scope", N_(
                    "The central store receives everything a desk sends; its scope is “all”"))
            before = row.scope
            self._rescope(row, scope)
            audit.add_event(s, "scope", "desk", row.desk_id, {"scope": [before, scope]})
            s.flush()
            return _view(row)

    @staticmethod
    def _rescope(row: PeerKey, scope: str) -> None:
        if row.scope == OWN and scope == ALL:
            row.resend = True
        row.scope = scope

    def _peer(self, s: Session, ref: str) -> PeerKey:
        """A trusted party by its id, its name, or the first (at least 8) characters of its
        id when only one party's id starts so."""
        row = s.get(PeerKey, ref)
        if row is None:
            rows = s.scalars(select(PeerKey).where(PeerKey.name == ref)).all()
            if not rows and len(ref) >= 8:
                rows = [p for p in s.scalars(select(PeerKey)) if p.desk_id.startswith(ref)]
            if len(rows) > 1:
                raise ValidationError.of("desk", N_(
                    "Several trusted desks match “{ref}”: give the desk's id"), ref=ref)
            row = rows[0] if rows else None
        if row is None:
            raise NotFound.of("desk", N_("No trusted desk “{ref}”"), ref=ref)
        return row

    def _central(self, s: Session) -> PeerKey | None:
        rows = s.scalars(select(PeerKey).where(PeerKey.role == "central")).all()
        return rows[0] if len(rows) == 1 else None

    # -- export ----------------------------------------------------------------------------
    def export(self, path: str | Path, *, full: bool = False, since: int | None = None,
               to: str | None = None, progress: Progress | None = None) -> ExportResult:
        """Write a package of this database's journal (see module docstring).

        `progress(done, total)` is called every few thousand changes; returning False
        cancels (no file is left behind)."""
        self.app.require(Permission.EXPORT)
        leftovers.sweep(Path(path).parent)
        keys = self.keys()
        package_id = new_id()
        with self.app.reading() as s:
            peer = self._peer(s, to) if to else self._central(s)
            if peer is None and self.role == "central":
                raise ValidationError.of("to", N_(
                    "The central store writes a package for one desk at a time: choose the "
                    "desk it is for"))
            partner = peer.desk_id if peer else ANYONE
            scope = peer.scope if peer else ALL
            resend = bool(peer and peer.resend)
            seal_to = (peer.desk_id, peer.enc_key) if peer and peer.enc_key else None
            if since is not None:
                start = max(1, since)
            elif full or resend:
                start = 1
            else:
                last = s.scalar(select(func.max(Exchange.seq_to)).where(
                    Exchange.partner_id == partner, Exchange.direction == "export"))
                start = (last or 0) + 1
            end = s.scalar(select(func.max(ChangeEntry.seq))) or 0
            conn = s.connection()
            # The audit chain goes to the central store only: its entries name candidates and
            # what officers searched for, which a desk receiving only its own candidates (or
            # anyone else) must not get. To others the segment is empty.
            audit_start = 1
            if peer is None or peer.role != "central":
                audit_start = 2**62
            elif since is None and not (full or resend):
                audit_start = (s.scalar(select(func.max(Exchange.audit_to)).where(
                    Exchange.partner_id == partner, Exchange.direction == "export")) or 0) + 1
            audit_meta, audit_lines = package_chain.segment(conn, audit_start)
            shas: set[str] = set()
            manifest: dict[str, Any] = {
                        "package_id": package_id, "schema": store_db.head_revision(),
                        "desk_id": self.app.desk_id, "desk_name": self.app.desk.name,
                        "role": self.role, "to": partner, "full": full or resend,
                        "scope": scope,
                        "seq_from": start, "seq_to": max(end, start - 1),
                        "audit": audit_meta, "created_at": utcnow().isoformat()}
            done = write_package(path, manifest,
                                 self._lines(conn, start, end, partner, scope, shas, progress),
                                 lambda: self._blobs(conn, shas), keys, seal_to,
                                 audit_lines=audit_lines)
        with self.app.unit_of_work("export") as w:
            w.add(Exchange(package_id=package_id, direction="export", partner_id=partner,
                           seq_from=start, seq_to=manifest["seq_to"],
                           changes=done["counts"]["changes"], applied=0, at=utcnow(),
                           officer=self.app.officer, detail=str(path)[:500],
                           audit_to=audit_meta["to"]))
            if resend and since is None:
                w.execute(update(PeerKey).where(PeerKey.desk_id == partner).values(
                    resend=False))
            audit.add_event(w, "export", "package", package_id, done["counts"])
        return ExportResult(str(path), package_id, partner, start, manifest["seq_to"],
                            done["counts"]["changes"], done["counts"]["attachments"],
                            seal_to is not None)

    def _lines(self, conn: Any, start: int, end: int, partner: str, scope: str,
               shas: set[str], progress: Progress | None = None) -> Iterator[str]:
        cl = ChangeEntry.__table__
        stmt = select(cl.c.seq, cl.c.change_id, cl.c.at, cl.c.officer, cl.c.desk_id,
                      cl.c.entity, cl.c.entity_id, cl.c.op, cl.c.version, cl.c.changes,
                      cl.c.reason).where(cl.c.seq >= start, cl.c.seq <= end)
        if partner != ANYONE:
            stmt = stmt.where(cl.c.desk_id != partner)
        if scope == OWN:
            stmt = stmt.where(visible_to(cl, partner))
        total = max(0, end - start + 1)
        line = LineMaker()
        n = 0
        for rows in raw_rows(conn, stmt.order_by(cl.c.seq)):
            n += len(rows)
            if progress is not None and progress(n, total) is False:
                raise Cancelled.of(None, N_("Cancelled"))
            for row in rows:
                if row[5] == "attachment":
                    sha = json.loads(row[9]).get("sha256", [None, None])[1]
                    if sha:
                        shas.add(sha)
                yield line(*row)

    def _blobs(self, conn: Any, shas: set[str]) -> Iterator[tuple[str, bytes]]:
        t = Attachment.__table__
        for sha in sorted(shas):
            data = conn.execute(select(t.c.data).where(t.c.sha256 == sha).limit(1)).scalar()
            if data is not None:
                yield sha, data

    # -- import ----------------------------------------------------------------------------
    def import_package(self, path: str | Path,
                       progress: Progress | None = None) -> ImportResult:
        """Check the package, then apply all of it in one transaction (or none of it).

        `progress(done, total)` is called every few thousand changes; returning False
        cancels and rolls everything back."""
        self.app.require(Permission.IMPORT)
        leftovers.sweep()
        keys = self.keys()

        def signer(desk_id: str) -> str | None:
            with self.app.reading() as s:
                peer = s.get(PeerKey, desk_id)
                return peer.sign_key if peer else None

        with open_package(path, keys, signer, _known_schema) as pkg:
            m = pkg.manifest
            sender = str(m["desk_id"])
            if sender == self.app.desk_id:
                raise PackageRefused.at(CHANGES, 0, N_("this desk made the package itself"))
            try:
                seq_from, seq_to = whole(m["seq_from"]), whole(m["seq_to"])
                expected = whole(m["counts"]["changes"])
                package_id = str(m["package_id"])[:36]
            except (KeyError, TypeError, ValueError):
                raise PackageRefused.at("manifest.json", 0, N_("the manifest is not valid")
                                        ) from None
            # a checked copy of the desk first (store/backup.py; services/backups.py)
            self.app.backups.before_import(large=expected >= merging.BULK_MIN)
            with self._import_session(expected) as session:
                return self._apply_package(session, pkg, progress, sender, seq_from, seq_to,
                                           expected, package_id)

    @contextmanager
    def _import_session(self, expected: int) -> Iterator[Session]:
        """The unit of work an import runs in. On SQLite a whole-desk load gets a connection
        of its own, switched to a rollback journal for the load when no other connection has
        the file open (store/bulk.py: each new page is written once instead of twice)."""
        db = self.app.db
        _ = self.app.desk_id  # the desk's identity is read before the writer begins
        if not db.is_sqlite:
            with self.app.unit_of_work("import") as session:
                yield session
            return
        with db.engine.connect() as conn:
            bulk = whole_desk_load(conn, expected) and store_db.is_sqlite_file(db.engine)
            conn.rollback()
            if bulk:
                db.engine.dispose()  # idle pooled connections would keep the file open
            raw = conn.connection.driver_connection
            with rollback_journal(raw) if bulk else nullcontext(False), \
                    self.app.unit_of_work("import", bind=conn) as session:
                yield session

    def _apply_package(self, session: Session, pkg: Any, progress: Progress | None,
                       sender: str, seq_from: int, seq_to: int, expected: int,
                       package_id: str) -> ImportResult:
        """Apply a checked package in `session`'s one transaction: committed, or nothing."""
        m = pkg.manifest
        session.info["replaying"] = True
        now = utcnow()
        # A large package unsealed into a private file is checked line by line in a second
        # process while this one applies it (sync/verify.py); the verdict comes before commit.
        parallel = expected >= merging.BULK_MIN and pkg.private_fd is not None \
            and (os.cpu_count() or 1) > 1
        with LineCheck(pkg.private_fd, seq_from, seq_to) if parallel \
                else nullcontext() as check:
            conn = session.connection()
            merger = Merger(conn, now, pkg.attachment, expected, files=pkg)
            counted = [0]
            times: dict[str, Any] = {}  # change times parsed by this import

            def changes() -> Generator[tuple[Any, str], None, None]:
                with closing(pkg.lines()) as lines:  # the member closed however it ends
                    yield from numbered(lines)

            def numbered(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[Any, str]]:
                for n, line in lines:
                    counted[0] += 1
                    if progress is not None and counted[0] % 5000 == 0 \
                            and progress(counted[0], expected) is False:
                        raise Cancelled.of(None, N_("Cancelled"))
                    if check is not None:
                        try:
                            c = decode_checked_elsewhere(line, times)
                        except Exception:
                            check.verdict()  # names the line and what is wrong with it
                            raise
                    else:
                        try:
                            c = decode(line)
                        except Malformed as exc:
                            raise PackageRefused.at(CHANGES, n, exc.msgid,
                                                    **exc.params) from None
                    if not seq_from <= c.seq <= seq_to:
                        raise PackageRefused.at(CHANGES, n, N_(
                            "change number {seq} is outside the manifest's range"),
                            seq=c.seq)
                    yield c, line

            with closing(changes()) as stream:
                stats = self._merge(merger, stream, counted, expected, check)
            name = str(m.get("desk_name", ""))[:200] or sender
            audit_to = package_chain.receive(session, sender, name, m, pkg.audit_lines())
            session.add(Exchange(package_id=package_id, direction="import",
                                 partner_id=sender, seq_from=seq_from, seq_to=seq_to,
                                 changes=expected, applied=stats.applied, at=now,
                                 officer=self.app.officer, audit_to=audit_to,
                                 detail=json.dumps(stats.__dict__)))
            audit.add_event(session, "import", "package", package_id,
                            {"from": sender, **stats.__dict__})
            session.flush()
            gaps = self._gaps(session, sender)
        return ImportResult(package_id, sender, str(m.get("desk_name", ""))[:200], seq_from,
                            seq_to, stats, gaps)

    @staticmethod
    def _merge(merger: Merger, changes: Iterator[tuple[Any, str]], counted: list[int],
               expected: int, check: LineCheck | None) -> Stats:
        """Feed the changes and settle held ones; any failure becomes a refusal, and a bad
        line found by the parallel check explains a failure better than its effect does."""
        try:
            try:
                with paused_gc():
                    merger.feed(changes)
                    if counted[0] != expected:
                        raise PackageRefused.at(CHANGES, 0, N_(
                            "{found} changes found, the manifest says {expected}"),
                            found=counted[0], expected=expected)
                    stats = merger.finish()
            finally:
                merger.close()  # its insert thread idle before any rollback
            if check is not None:
                check.verdict()
            return stats
        except (PackageRefused, Cancelled):
            raise
        except Exception as exc:
            if check is not None:
                check.verdict()
            if isinstance(exc, Malformed):
                raise PackageRefused.at(CHANGES, 0, exc.msgid, **exc.params) from None
            if isinstance(exc, SQLAlchemyError | sqlite3.Error):
                detail = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
                if "locked" in detail or "busy" in detail:  # not the package's fault
                    from migdesk.services.app import DatabaseBusy

                    raise DatabaseBusy.of("database", N_(
                        "Another migdesk program kept this database busy for over a minute; "
                        "nothing was saved: try again when it has finished")) from None
                raise PackageRefused.at(CHANGES, 0, N_(
                    "the changes do not fit this database: {detail}"), detail=detail
                ) from None
            raise

    def _gaps(self, s: Session, sender: str) -> list[tuple[int, int]]:
        ranges = sorted(s.execute(select(Exchange.seq_from, Exchange.seq_to).where(
            Exchange.partner_id == sender, Exchange.direction == "import",
            Exchange.seq_to >= Exchange.seq_from)).all())
        gaps, reach = [], 0
        for lo, hi in ranges:
            if lo > reach + 1:
                gaps.append((reach + 1, lo - 1))
            reach = max(reach, hi)
        return gaps

    # -- queues ----------------------------------------------------------------------------
    def conflicts(self, status: str | None = "open") -> list[ConflictView]:
        self.app.require(Permission.RESOLVE)  # both sides' values of personal data
        with self.app.reading() as s:
            stmt = select(Conflict).order_by(Conflict.id)
            if status:
                stmt = stmt.where(Conflict.status == status)
            return [ConflictView(c.id, c.entity, c.entity_id, c.field, c.kind,
                                 json.loads(c.local_value), json.loads(c.incoming_value),
                                 c.incoming_desk, c.incoming_officer, c.incoming_at, c.status)
                    for c in s.scalars(stmt)]

    def duplicates(self, status: str | None = "open") -> list[DuplicateView]:
        with self.app.reading() as s:
            stmt = select(Duplicate).order_by(Duplicate.id)
            if status:
                stmt = stmt.where(Duplicate.status == status)
            return [DuplicateView(d.id, d.entity, d.local_id, d.incoming_id, d.incoming_desk,
                                  d.status)
                    for d in s.scalars(stmt)]

    def exchanges(self) -> list[ExchangeView]:
        """The last package sent to and received from each partner."""
        with self.app.reading() as s:
            names = {p.desk_id: p.name for p in s.scalars(select(PeerKey))}
            last = select(func.max(Exchange.id)).group_by(Exchange.partner_id,
                                                          Exchange.direction)
            rows = s.scalars(select(Exchange).where(Exchange.id.in_(last))
                             .order_by(Exchange.at.desc())).all()
            return [ExchangeView(e.partner_id, names.get(e.partner_id, e.partner_id),
                                 e.direction, e.at, e.seq_from, e.seq_to, e.changes)
                    for e in rows]

    def resolve(self, conflict_id: int, keep: str) -> None:
        """Settle a conflict: keep this side's value or the incoming one, for everyone."""
        if keep not in ("local", "incoming"):
            raise ValidationError.of("keep", N_("Choose “local” or “incoming”"))
        self.app.require(Permission.RESOLVE)
        with self.app.unit_of_work("conflict resolved") as s:
            s.info["replaying"] = True
            c = s.get(Conflict, conflict_id)
            if c is None or c.status != "open":
                raise NotFound.of(None, N_("No open conflict {id}"), id=conflict_id)
            local, incoming = json.loads(c.local_value), json.loads(c.incoming_value)
            if c.kind == "field":
                values = {c.field: local if keep == "local" else incoming}
            elif c.kind == "deleted":
                values = {"deleted": True} if keep == "local" else {"deleted": False, **incoming}
            else:
                values = {"deleted": keep != "local"}
            self._force(s, c.entity, c.entity_id, values)
            s.execute(update(Conflict).where(
                Conflict.entity_id == c.entity_id, Conflict.status == "open",
                Conflict.field.in_([*values, "*"])).values(
                status="resolved", resolution=keep, resolved_by=self.app.officer,
                resolved_at=utcnow()))
            c.status, c.resolution = "resolved", keep
            c.resolved_by, c.resolved_at = self.app.officer, utcnow()

    def resolve_duplicate(self, duplicate_id: int, keep: str) -> None:
        """Keep the record registered here (the incoming stays held) or the incoming one."""
        if keep not in ("local", "incoming"):
            raise ValidationError.of("keep", N_("Choose “local” or “incoming”"))
        self.app.require(Permission.RESOLVE)
        with self.app.unit_of_work("duplicate resolved") as s:
            s.info["replaying"] = True
            d = s.get(Duplicate, duplicate_id)
            if d is None or d.status != "open":
                raise NotFound.of(None, N_("No open duplicate {id}"), id=duplicate_id)
            if keep == "incoming":
                self._force(s, d.entity, d.local_id, {"deleted": True})
                self._force(s, d.entity, d.incoming_id, {"deleted": False})
            else:
                self._force(s, d.entity, d.incoming_id, {"deleted": True})
            d.status, d.resolution = "resolved", keep
            d.resolved_by, d.resolved_at = self.app.officer, utcnow()

    def _force(self, s: Session, entity: str, entity_id: str, values: dict[str, Any]) -> None:
        """Set fields and journal it as a resolution, which other sides apply as it is."""
        journal.force(s.connection(), MODEL_BY_TABLE[entity].__table__,  # type: ignore[attr-defined]
                      entity_id, values, {k: to_python(entity, k, v) for k, v in values.items()},
                      officer=self.app.officer, desk_id=self.app.desk_id, reason=RESOLVED)

    def held_count(self) -> int:
        with self.app.reading() as s:
            return s.scalar(select(func.count()).select_from(HeldChange)) or 0
