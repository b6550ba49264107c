"""`migdesk conflicts list|resolve` and `migdesk duplicates`: the queues an import fills."""

from __future__ import annotations

import argparse
import json

from migdesk.cli.context import Context
from migdesk.cli.output import write_table
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("conflicts", help="changes made on two sides: list and resolve")
    csub = p.add_subparsers(dest="conflicts_command", metavar="ACTION")
    ls = csub.add_parser("list", help="open conflicts and duplicates")
    ls.add_argument("--all", action="store_true", help="resolved ones too")
    ls.set_defaults(handler=run_list)
    rs = csub.add_parser("resolve", help="keep this side's value or the incoming one")
    rs.add_argument("id", type=int)
    rs.add_argument("--keep", choices=("local", "incoming"), required=True)
    rs.add_argument("--duplicate", action="store_true",
                    help="the id is of the duplicates queue")
    rs.set_defaults(handler=run_resolve)


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    status = None if args.all else "open"
    write_table(ctx.out, ["#", _("Record"), _("Field"), _("Here"), _("Incoming"),
                          _("From desk"), _("Status")],
                [[c.id, f"{c.entity} {c.entity_id[:8]}", c.field, _short(c.local_value),
                  _short(c.incoming_value), c.incoming_desk[:8], c.status]
                 for c in app.sync.conflicts(status)])
    dups = app.sync.duplicates(status)
    if dups:
        ctx.print()
        ctx.print(_("Same personal number registered on two desks:"))
        write_table(ctx.out, ["#", _("Record"), _("Here"), _("Incoming (held)"),
                              _("From desk"), _("Status")],
                    [[d.id, d.entity, d.local_id, d.incoming_id, d.incoming_desk[:8],
                      d.status] for d in dups])
    return 0


def run_resolve(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    if args.duplicate:
        app.sync.resolve_duplicate(args.id, args.keep)
    else:
        app.sync.resolve(args.id, args.keep)
    ctx.print(_("Resolved"))
    return 0
