"""`dossier verify FILE.pdf`: is the file a dossier this desk signed, does its printed text say
what its record says, and does the record still match the database?

1. A file that is not a PDF, or holds no check code, is refused (a text file with the check
   code is not a dossier).
2. The PDF signature (PAdES, `documents/signing.py`) must be intact, cover the whole file and
   be made with this desk's certificate or one put beside it in the key folder.
3. The printed text (pypdf) is compared with what the dossier noted it printed, signed inside
   the file (`documents/printed.py`); each difference names its field. A file without that
   note (an unsigned one) is compared with the record as the database has it now.
4. The record of the check code is compared with the database, as before, and a change
   names the fields that differ from what was printed.

Every finding is reported; the file passes only if there are none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from migdesk.domain.errors import FieldError, MigdeskError, NotFound
from migdesk.i18n import N_

if TYPE_CHECKING:
    from migdesk.documents.signing import DeskCertificate
    from migdesk.services.app import Migdesk
    from migdesk.services.dossiers import DossierService, Verdict


MAX_BYTES = 256 << 20  # a bound file of 1,000 dossiers is about 15 MB


class NotADossier(NotFound):
    """The file is not a signed migdesk dossier at all (not a PDF, no check code)."""


class DossierRefused(MigdeskError):
    exit_code = 7


@dataclass(frozen=True)
class FieldName:
    """A field as a message parameter: shown by its label in each language."""

    key: str

    def label(self, lang: str) -> str:
        from migdesk.documents.printed import label

        return label(self.key, lang)


@dataclass(frozen=True)
class FileCheck:
    """Everything `dossier verify` found in one file."""

    path: str
    signature: str | None  # None: proves the file; "unsigned" "broken" "partial" "untrusted"
    signer: str  # the signing certificate's name (the desk's name), "" if unsigned
    own: bool  # signed with this desk's own certificate
    verdicts: list[Verdict]

    @property
    def ok(self) -> bool:
        return self.signature is None and all(v.ok for v in self.verdicts)

    def problems(self) -> list[FieldError]:
        """Each finding as a bilingual message (empty when the file passes)."""
        out: list[FieldError] = []
        if self.signature is not None:
            out.append(FieldError(None, SIGNATURE_PROBLEMS[self.signature],
                                  {"path": self.path, "signer": self.signer or "?"}))
        for v in self.verdicts:
            if v.printed:
                out.append(FieldError(None, PRINTED_FROM_DATABASE if v.remade else
                                      PRINTED_DIFFERS, {"number": v.number,
                                                        "fields": _names(v.printed)}))
            if v.database == "changed" and not (v.remade and v.printed):
                # a file this desk cannot vouch for was not "printed" from the record
                msgid = (PRINTED_FROM_DATABASE if self.signature and v.changed else
                         CHANGED_FIELDS if v.changed else CHANGED)
                out.append(FieldError(None, msgid, {"number": v.number,
                                                    "fields": _names(v.changed)}))
            elif v.database == "missing":
                out.append(FieldError(None, MISSING, {"number": v.number}))
        return out


SIGNATURE_PROBLEMS = {
    "unsigned": N_("{path} is not signed: a dossier printed by migdesk always carries the "
                   "signature of its desk"),
    "broken": N_("The signature of {path} does not match its content: the file was changed "
                 "after it was signed"),
    "partial": N_("The signature of {path} does not cover the whole file: something was "
                  "added to it after it was signed"),
    "untrusted": N_("{path} is signed with a certificate this desk does not know ({signer}): "
                    "it is neither this desk's nor a trusted desk's"),
}
PRINTED_DIFFERS = N_("Dossier {number}: the printed text differs from the record it was "
                     "signed with: {fields}")
PRINTED_FROM_DATABASE = N_("Dossier {number}: the printed text differs from the record in "
                           "the database: {fields}")
CHANGED = N_("Dossier {number}: the data changed since it was printed")
CHANGED_FIELDS = N_("Dossier {number}: the data changed since it was printed: {fields}")
MISSING = N_("Dossier {number}: no such record in this database")


def _names(fields: tuple[str, ...]) -> list[FieldName]:
    return [FieldName(f) for f in fields]


def desk_certificate(app: Migdesk) -> DeskCertificate:
    """This desk's dossier certificate (made on first use, see `documents/signing.py`)."""
    from migdesk.documents import signing
    from migdesk.documents.dossier import DEFAULT_INSTITUTION

    desk = app.desk
    existed = signing.cert_paths(desk.id)[1].exists()
    cert = signing.ensure_certificate(
        desk.id, desk.name, app.setting("institution_name") or DEFAULT_INSTITUTION)
    if not existed:
        _record_key_made(app, cert)
    return cert


def _record_key_made(app: Migdesk, cert: DeskCertificate) -> None:
    """The one place a new dossier key is recorded: a key change in the audit trail (and the
    technical log, where a desk without a signed-in officer makes one)."""
    import logging

    logging.getLogger("migdesk").info(
        "dossier certificate made for desk %s (SHA-256 %s) in %s", cert.desk_id,
        cert.fingerprint, cert.cert_path.parent)
    if app.signed_in:
        app.record("key", "desk", cert.desk_id,
                   {"dossier_certificate": cert.fingerprint})


def check_file(svc: DossierService, path: str | os.PathLike[str]) -> FileCheck:
    from migdesk.documents import printed, qr, signing

    shown = str(path)
    try:
        if Path(path).stat().st_size > MAX_BYTES:
            raise NotADossier.of("file", N_(
                "{path} is larger than {mb} MB: not a migdesk dossier"), path=shown,
                mb=MAX_BYTES >> 20)
        data = Path(path).read_bytes()
    except OSError as exc:
        raise NotFound.of("file", N_("Cannot read {path}: {detail}"), path=shown,
                          detail=exc.strerror or str(exc)) from None
    if b"%PDF-" not in data[:1024]:
        raise NotADossier.of("file", N_(
            "{path} is not a PDF file, so it is not a signed migdesk dossier"), path=shown)
    found = qr.payloads_in(data)
    if not found:
        raise NotADossier.of("file", N_("{path} is not a migdesk dossier (no check code)"),
                             path=shown)
    own = signing.load_certificate(svc.app.desk_id)  # checking never makes a key
    sig = signing.check(data, signing.trusted_certificates(own))
    text = printed.extract(data)
    if sig.problem == "unreadable" or text is None:
        raise NotADossier.of("file", N_("{path} cannot be read as a PDF file"), path=shown)

    verdicts = [svc.verify(p.number, p.sha256, p.candidate_id) for p in found]
    record = printed.attachment(data)
    if record is not None:
        verdicts = _against_record(svc, record, text, found, verdicts)
    else:
        verdicts = _against_database(svc, text, verdicts)
    bad_signature = sig.problem is not None
    verdicts = [_settle(v, bad_signature) for v in verdicts]
    mine = sig.ok and own is not None and sig.fingerprint == own.fingerprint
    # the certificate holds the desk's name cut to 64 bytes: this desk's is shown in full
    return FileCheck(shown, sig.problem, svc.app.desk.name if mine else sig.signer, mine,
                     verdicts)


def _against_record(svc: DossierService, record, text: str, found, verdicts):  # type: ignore[no-untyped-def]
    """Step 3 with the signed note; step 4 names what changed since the printing."""
    from migdesk.documents import printed
    from migdesk.services.dossiers import Verdict

    diffs = printed.differing(record.printed, text)
    out = []
    for p, v in zip(found, verdicts, strict=True):
        section = record.section(p.number)
        if section is None:  # a check code the note does not know: it was printed around it
            out.append(replace(v, printed=("check_code",)))
            continue
        issued = record.dossiers[section]
        fields = [f for s, f in diffs if s == section]
        if (issued.sha256, issued.candidate_id) != (p.sha256, p.candidate_id):
            fields.append("check_code")
        changed: tuple[str, ...] = ()
        if v.database == "changed":
            now = _remade(svc, [v.candidate_id], issued.lang)
            if now is not None:
                changed = tuple(printed.changed_fields(printed.by_field(record.printed, section),
                                                       printed.by_field(now, 0)))
        out.append(replace(v, printed=tuple(dict.fromkeys(fields)), changed=changed))
    numbers = {p.number for p in found}
    for issued in record.dossiers:  # a dossier the note holds but the file no longer prints
        if issued.number not in numbers:
            out.append(Verdict(issued.number, issued.candidate_id, False, "printed",
                               printed=("check_code",)))
    return out


def _against_database(svc: DossierService, text: str, verdicts):  # type: ignore[no-untyped-def]
    """Step 3 without a signed note: the printed text against the database's record."""
    from migdesk.documents import printed

    live = [i for i, v in enumerate(verdicts) if v.database != "missing"]
    notes = _remade(svc, [verdicts[i].candidate_id for i in live], "ka")
    if notes is None:
        return verdicts
    diffs = printed.differing(notes, text, remade=True)
    out = list(verdicts)
    for section, i in enumerate(live):
        fields = tuple(dict.fromkeys(f for s, f in diffs if s == section))
        out[i] = replace(out[i], printed=fields, remade=True,
                         changed=fields if out[i].database == "changed" else ())
    return out


def _remade(svc: DossierService, ids: list[str], lang: str):  # type: ignore[no-untyped-def]
    """What dossiers of these candidates would print today (not written anywhere)."""
    from dataclasses import replace as copy

    from migdesk.documents import dossier, fonts

    if not ids:
        return None
    fonts.register(svc.app.setting("font_path"))
    inputs = [copy(svc.prepare(cid), lang=lang) for cid in ids]
    return dossier.render_printed(inputs, author=svc.app.desk.name)[1]


def _settle(v: Verdict, bad_signature: bool) -> Verdict:
    reason = ("signature" if bad_signature else "printed" if v.printed else v.database)
    return replace(v, ok=reason == "match", reason=reason)
