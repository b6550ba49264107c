"""`migdesk export` and `migdesk import`: change packages to and from other desks."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a signed change package")
    p.add_argument("-o", "--output", metavar="FILE", required=True)
    p.add_argument("--full", action="store_true", help="everything, not only what is new")
    p.add_argument("--since", type=int, metavar="N", help="send again from change number N")
    p.add_argument("--to", metavar="DESK", help="the trusted desk it is for: id, name or id "
                   "prefix (default: the "
                   "central store when trusted)")
    p.set_defaults(handler=run_export)
    q = sub.add_parser("import", help="check and apply a change package")
    q.add_argument("file", metavar="FILE")
    q.set_defaults(handler=run_import)


def run_export(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    r = app.sync.export(args.output, full=args.full, since=args.since, to=args.to)
    ctx.print(_("Package written: {path}").format(path=r.path))
    ctx.print(_("Changes {first}–{last}: {n}; attachments: {a}").format(
        first=r.seq_from, last=r.seq_to, n=r.changes, a=r.attachments))
    if not r.sealed:
        ctx.warn(_("Warning: no central store key is trusted, so the package is not "
                   "encrypted and anyone who gets the file can read it") + " / Warning: no "
                 "central store key is trusted, so the package is not encrypted and anyone "
                 "who gets the file can read it")
    return 0


def run_import(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    r = app.sync.import_package(args.file)
    st = r.stats
    ctx.print(_("Package from {name} ({id}), changes {first}–{last}").format(
        name=r.sender_name, id=r.sender_id, first=r.seq_from, last=r.seq_to))
    ctx.print(_("Applied: {applied}; already known: {known}; conflicts: {conflicts}; "
                "duplicates: {dups}; waiting for earlier changes: {held}").format(
        applied=st.applied, known=st.known, conflicts=st.conflicts, dups=st.duplicates,
        held=st.held))
    for lo, hi in r.gaps:
        msg = N_("Gap: changes {lo}–{hi} from this desk have not arrived")
        ctx.warn(_(msg).format(lo=lo, hi=hi) + " / " + msg.format(lo=lo, hi=hi))
    return 0
