"""`migdesk init`: create (or migrate) the database and give this desk its identity."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create the database and this desk's identity")
    p.add_argument("--desk-name", metavar="NAME", help="a name for this desk")
    p.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=True)
    name = args.desk_name.strip() if args.desk_name else None
    desk = app.ensure_desk(name)
    ctx.print(_("Database ready: {url}").format(url=app.db.url))
    ctx.print(_("Desk: {name} ({id})").format(name=desk.name, id=desk.id))
    app.sync.keys()  # the desk's signing and encryption keys, made once (issue 5)
    return 0
