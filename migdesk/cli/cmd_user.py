"""`migdesk user add|list|role|disable|enable|reset|passwd`: officer accounts.

Passwords come from MIGDESK_NEW_PASSWORD or are typed twice on the terminal; never a
command-line argument (it would show in the process list and the shell's history)."""

from __future__ import annotations

import argparse
import os

from migdesk.cli.context import Context, new_password, secret
from migdesk.cli.output import FORMATS, write_csv, write_json, write_table
from migdesk.domain.roles import Role
from migdesk.i18n import _

ROLES = tuple(r.value for r in Role)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="officer accounts (administrators)")
    usub = p.add_subparsers(dest="user_command", metavar="ACTION")
    add = usub.add_parser("add", help="add an officer account")
    add.add_argument("login")
    add.add_argument("--full-name", required=True, metavar="NAME",
                     help="as printed documents show it")
    add.add_argument("--role", choices=ROLES, default="officer")
    add.set_defaults(handler=run_add)
    ls = usub.add_parser("list", help="list the accounts")
    ls.add_argument("--format", choices=FORMATS, default="table")
    ls.set_defaults(handler=run_list)
    role = usub.add_parser("role", help="change an account's role")
    role.add_argument("login")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=run_role)
    dis = usub.add_parser("disable", help="stop an account from signing in")
    dis.add_argument("login")
    dis.add_argument("--reason", required=True)
    dis.set_defaults(handler=run_disable)
    en = usub.add_parser("enable", help="let a disabled account sign in again")
    en.add_argument("login")
    en.set_defaults(handler=run_enable)
    reset = usub.add_parser("reset", help="set another officer's password (administrators)")
    reset.add_argument("login")
    reset.set_defaults(handler=run_reset)
    pw = usub.add_parser("passwd", help="change your own password")
    pw.set_defaults(handler=run_passwd)


def _line(ctx: Context, view) -> None:  # type: ignore[no-untyped-def]
    state = _("disabled") if view.disabled else _("active")
    ctx.print(f"{view.login}\t{view.full_name}\t{view.role_label}\t{state}")


def run_add(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    view = app.accounts.add(args.login, args.full_name, args.role,
                            new_password("MIGDESK_NEW_PASSWORD"))
    _line(ctx, view)
    return 0


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    views = ctx.app(create=False).accounts.list()
    if args.format == "json":
        write_json(ctx.out, [{"login": v.login, "full_name": v.full_name, "role": v.role,
                              "disabled": v.disabled, "last_sign_in_at": v.last_sign_in_at}
                             for v in views])
        ctx.out.write("\n")
        return 0
    headers = [_("Login"), _("Full name"), _("Role"), _("State"), _("Last sign-in")]
    rows = [[v.login, v.full_name, v.role_label,
             _("disabled") if v.disabled else _("active"),
             v.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if v.last_sign_in_at else "—"]
            for v in views]
    (write_csv if args.format == "csv" else write_table)(ctx.out, headers, rows)
    return 0


def run_role(ctx: Context, args: argparse.Namespace) -> int:
    _line(ctx, ctx.app(create=False).accounts.set_role(args.login, args.role))
    return 0


def run_disable(ctx: Context, args: argparse.Namespace) -> int:
    _line(ctx, ctx.app(create=False).accounts.disable(args.login, args.reason))
    return 0


def run_enable(ctx: Context, args: argparse.Namespace) -> int:
    _line(ctx, ctx.app(create=False).accounts.disable(args.login, "", disabled=False))
    return 0


def run_reset(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    _line(ctx, app.accounts.reset_password(args.login, new_password("MIGDESK_NEW_PASSWORD")))
    return 0


def run_passwd(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    current = os.environ.get("MIGDESK_PASSWORD")
    if current is None:  # asked once at sign-in; not again
        current = secret(_("Current password: "))
    app.accounts.change_password(current, new_password("MIGDESK_NEW_PASSWORD"))
    ctx.print(_("Password changed"))
    return 0
