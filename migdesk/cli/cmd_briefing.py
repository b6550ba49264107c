"""`migdesk briefing -o FILE.pdf`: the Georgian memo on circular migration, from the data."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("briefing", help="write the ministerial briefing (PDF, Georgian)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.services.briefing import BriefingService

    path = BriefingService(ctx.app(create=False)).save(args.output)
    ctx.print(_("Briefing written to {path}").format(path=path))
    return 0
