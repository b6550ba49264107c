"""`migdesk check`: the database's integrity, schema and bookkeeping, checked."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check the database's integrity")
    p.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.services.health import check

    report = check(ctx.app(create=False, sign_in=False))  # no personal data: no sign-in
    for item in report.items:
        mark = "✓" if item.ok else "✗"
        ctx.print(f"{mark} {_(item.title)}: {item.detail}")
    if report.ok:
        ctx.print(_("All checks passed"))
        return 0
    ctx.warn(_("Problems found: {n}").format(n=sum(not i.ok for i in report.items)))
    return 1
