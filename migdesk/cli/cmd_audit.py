"""`migdesk audit verify|list`: the hash-chained audit trail, checked and read."""

from __future__ import annotations

import argparse
import datetime as dt

from migdesk.cli.context import Context
from migdesk.cli.output import FORMATS, write_csv, write_json, write_table
from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit trail: verify the chain, list entries")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = asub.add_parser("verify", help="check the hash chain; name the first broken entry")
    v.set_defaults(handler=run_verify)
    ls = asub.add_parser("list", help="list entries, newest first (supervisors)")
    ls.add_argument("--candidate", metavar="ID|PN", help="entries about one candidate")
    ls.add_argument("--officer", metavar="LOGIN")
    ls.add_argument("--since", metavar="YYYY-MM-DD")
    ls.add_argument("--action", metavar="ACTION", help="e.g. view, print, export, sign_in")
    ls.add_argument("--limit", type=int, default=200, metavar="N")
    ls.add_argument("--format", choices=FORMATS, default="table")
    ls.set_defaults(handler=run_list)


def run_verify(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False, sign_in=False)
    v = app.audit.verify()
    if v.ok:
        ctx.print(_("The audit trail is unbroken: {n} entries, {c} journal rows").format(
            n=v.entries, c=v.changes))
        return 0
    ctx.warn(_("The audit trail is broken at entry {seq}: {why}").format(
        seq=v.broken_at, why=_(v.msgid or "").format(**(v.params or {}))))
    return 1


def _since(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError.of("since", N_("A date as YYYY-MM-DD")) from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    if not 1 <= args.limit <= 1_000_000:
        raise ValidationError.of("limit", N_("Must be between {lo} and {hi}"),
                                 lo=1, hi=1_000_000)
    since = _since(args.since)
    candidate = None
    if args.candidate:
        candidate = app.candidates.summary(args.candidate).id
    rows = app.audit.entries(candidate=candidate, officer=args.officer, since=since,
                             action=args.action, limit=args.limit)
    if args.format == "json":
        write_json(ctx.out, rows)
        ctx.out.write("\n")
        return 0
    headers = [_("No."), _("Time"), _("Officer"), _("Action"), _("Record"), _("Detail"),
               _("Reason")]
    table = [[r.seq, r.at.strftime("%Y-%m-%d %H:%M:%S"), r.officer, r.action,
              f"{r.entity or ''} {r.entity_id or ''}".strip(),
              (r.detail or "")[:80], (r.reason or "")[:60]] for r in rows]
    (write_csv if args.format == "csv" else write_table)(ctx.out, headers, table)
    return 0
