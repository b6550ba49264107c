"""`migdesk dossier` and `migdesk dossiers`: print candidate dossiers to PDF, check a printed one.

  migdesk dossier ID|PERSONAL_NUMBER -o FILE.pdf
  migdesk dossier verify FILE.pdf            (or: --number N --hash SHA256)
  migdesk dossier certificate [-o FILE.pem]  the desk's dossier certificate: where, fingerprint
  migdesk dossiers --program ID | --status S -o DIR | -o FILE.pdf [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

from migdesk.cli.context import Context
from migdesk.domain.errors import FieldError, MigdeskError
from migdesk.i18n import N_, _


class VerifyFailed(MigdeskError):
    exit_code = 7


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dossier", help="print a candidate's dossier to PDF, or verify one "
                       "(“dossier verify FILE.pdf”), or show the desk's dossier certificate "
                       "(“dossier certificate [-o FILE.pem]”)")
    p.add_argument("ref", nargs="+", metavar="ID|PERSONAL_NUMBER",
                   help="the candidate; or “verify FILE.pdf”; or “certificate”")
    p.add_argument("-o", "--output", metavar="FILE.pdf",
                   help="where to write the PDF (or the certificate)")
    p.add_argument("--number", help="verify: the dossier number printed on the paper")
    p.add_argument("--hash", dest="sha256", help="verify: the SHA-256 printed on the paper")
    p.set_defaults(handler=run_dossier)

    b = sub.add_parser("dossiers", help="print the dossiers of a programme or status "
                       "(one file each into a directory, or one bound .pdf)")
    b.add_argument("--program", metavar="ID|CODE", help="candidates who applied to it")
    b.add_argument("--status", metavar="S", help="candidates in this status")
    b.add_argument("-o", "--output", required=True, metavar="DIR|FILE.pdf")
    b.add_argument("--workers", type=int, default=2, help="processes to use (default 2)")
    b.set_defaults(handler=run_batch)


def run_dossier(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.services.dossiers import DossierService

    svc = DossierService(ctx.app(create=False))
    if args.ref[0] == "verify":
        return _verify(ctx, svc, args)
    if args.ref == ["certificate"]:
        return _certificate(ctx, svc, args.output)
    if len(args.ref) != 1:
        raise MigdeskError.of("candidate", N_("Give one candidate"))
    if not args.output:
        raise MigdeskError.of("output", N_("Give the output file with -o FILE.pdf"))
    r = svc.save(args.ref[0], args.output)
    ctx.print(_("Dossier {number} written to {path}").format(number=r.number, path=args.output))
    return 0


def _certificate(ctx: Context, svc, output: str | None) -> int:  # type: ignore[no-untyped-def]
    """Where the desk's dossier certificate is and its fingerprint, to trust it in a reader."""
    from migdesk.services.dossiers import _write

    cert = svc.certificate()
    fingerprint = ":".join(f"{b:02X}" for b in bytes.fromhex(cert.fingerprint))
    ctx.print(_("Dossier certificate of this desk (self-signed): {path}").format(
        path=str(cert.cert_path)))
    ctx.print(_("Signer: {signer}; valid until {date}").format(
        signer=f"{cert.common_name} ({cert.desk_id})",
        date=cert.cert.not_valid_after_utc.date().isoformat()))
    ctx.print(_("SHA-256 fingerprint: {fingerprint}").format(fingerprint=fingerprint))
    if output:
        from pathlib import Path

        _write(Path(output), cert.pem)
        ctx.print(_("Certificate written to {path}").format(path=output))
    return 0


def _verify(ctx: Context, svc, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    if len(args.ref) == 2:
        return _verify_file(ctx, svc, args.ref[1])
    if not (args.number and args.sha256):
        raise MigdeskError.of("file", N_("Give the PDF file, or --number and --hash"))
    verdicts = [svc.verify(args.number, args.sha256)]
    bad = 0
    for v in verdicts:
        if v.ok:
            ctx.print(_("Dossier {number}: matches the database").format(number=v.number))
        elif v.reason == "changed":
            bad += 1
            ctx.print(_("Dossier {number}: the data changed since it was printed").format(
                number=v.number))
        else:
            bad += 1
            ctx.print(_("Dossier {number}: no such record in this database").format(
                number=v.number))
    if bad:
        raise VerifyFailed.of(None, N_("{bad} of {total} dossiers do not match the database"),
                              bad=bad, total=len(verdicts))
    return 0


def _verify_file(ctx: Context, svc, path: str) -> int:  # type: ignore[no-untyped-def]
    """Signature, printed text, database: every finding on its own line, then one refusal."""
    from migdesk.i18n import language

    check = svc.check_file(path)
    lang = language()
    if check.signature is None:
        ctx.print((_("{path}: signed by this desk ({signer})") if check.own else
                   _("{path}: signed by the trusted desk {signer}")).format(
            path=check.path, signer=check.signer))
    problems = check.problems()
    for p in problems:
        ctx.print(p.message(lang))
    for v in check.verdicts:
        if v.ok:
            ctx.print(_("Dossier {number}: the printed text matches its signed record and the "
                        "database").format(number=v.number))
    if problems:
        raise VerifyFailed(problems if len(problems) <= 3 else [*problems[:3], FieldError(
            None, N_("{bad} of {total} dossiers do not match the database"),
            {"bad": sum(not v.ok for v in check.verdicts), "total": len(check.verdicts)})])
    return 0


def run_batch(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.services.dossiers import DossierService

    if not args.program and not args.status:
        raise MigdeskError.of("program", N_("Give --program or --status"))
    svc = DossierService(ctx.app(create=False))
    ids = svc.select(program=args.program, status=args.status)
    bound = args.output.lower().endswith(".pdf")
    started = time.perf_counter()

    def progress(done: int, total: int) -> bool:
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)
        return True

    result = svc.batch(ids, args.output, bound=bound, workers=args.workers,
                       progress=progress, cancel=threading.Event())
    print(file=sys.stderr)
    ctx.print(_("{done} dossiers written to {path} in {sec:.1f} s").format(
        done=result.done, path=args.output, sec=time.perf_counter() - started))
    return 0
