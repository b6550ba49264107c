"""`migdesk init`: create (or migrate) the database, give this desk its identity, and create
its first administrator (`--admin LOGIN`)."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context, new_password
from migdesk.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create the database, this desk's identity and its "
                       "first administrator")
    p.add_argument("--desk-name", metavar="NAME", help="a name for this desk")
    p.add_argument("--admin", metavar="LOGIN", help="create the desk's first administrator "
                   "(password from MIGDESK_PASSWORD, else asked twice on the terminal)")
    p.add_argument("--full-name", metavar="NAME", help="the administrator's full name, as "
                   "printed documents show it (default: the login)")
    p.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=True, sign_in=False)
    name = args.desk_name.strip() if args.desk_name else None
    if name and app.accounts.any():
        ctx.app()  # renaming a desk is a change of settings: its administrator signs in
    desk = app.ensure_desk(name)  # a new desk takes the name; an old one is renamed
    if args.admin:
        if app.accounts.any():
            from migdesk.domain.errors import ConflictError

            raise ConflictError.of(None, N_(
                "This desk already has accounts; an administrator adds more"))
        admin = app.accounts.create_first_admin(args.admin, args.full_name or args.admin,
                                                new_password("MIGDESK_PASSWORD"))
        ctx.print(_("Administrator created: {login}").format(login=admin.login))
    ctx.print(_("Database ready: {url}").format(url=app.db.url))
    ctx.print(_("Desk: {name} ({id})").format(name=desk.name, id=desk.id))
    app.sync.keys()  # the desk's signing and encryption keys, made once (issue 5)
    if not app.accounts.any():
        ctx.warn(_("No officer can sign in yet: create the administrator with "
                   "“migdesk init --admin LOGIN”"))
    return 0
