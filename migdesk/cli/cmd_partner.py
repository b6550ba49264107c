"""`migdesk partner list|add|stage`: partner states and their cooperation stage (the same
service and rules as the window's partner forms)."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.cli.output import write_json, write_table
from migdesk.domain.vocab import CooperationStage
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("partner", help="partner states and their cooperation stage")
    ps = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    p.set_defaults(handler=lambda ctx, args: (p.print_help(), 2)[1])

    ls = ps.add_parser("list", help="list partner states")
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ls.set_defaults(handler=run_list)

    stages = [s.value for s in CooperationStage]
    add = ps.add_parser("add", help="add a partner state")
    add.add_argument("country", metavar="COUNTRY", help="ISO 3166 code, e.g. PL")
    add.add_argument("--stage", choices=stages, default="exploring")
    add.add_argument("--notes")
    add.set_defaults(handler=run_add)

    st = ps.add_parser("stage", help="change a partner state's cooperation stage")
    st.add_argument("country", metavar="COUNTRY")
    st.add_argument("stage", choices=stages)
    st.add_argument("--reason", required=True, help="why (kept in the history)")
    st.set_defaults(handler=run_stage)


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    views = ctx.app(create=False).partners.list()
    if args.format == "json":
        write_json(ctx.out, [{"id": p.id, "iso_code": p.iso_code, "stage": p.stage,
                              "notes": p.notes} for p in views])
        return 0
    write_table(ctx.out, [_("Country"), _("Partner state"), _("Cooperation stage"), "id"],
                [[p.iso_code, p.name_ka if ctx.lang == "ka" else p.name_en,
                  _stage(p.stage, ctx.lang), p.id] for p in views])
    return 0


def _stage(key: str, lang: str) -> str:
    """A stage's label; a key this version does not know (a newer desk's) as it is."""
    try:
        return CooperationStage(key).label(lang)
    except ValueError:
        return key


def run_add(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    app.partners.add(args.country, args.stage, args.notes)
    ctx.print(_("Partner state added"))
    return 0


def run_stage(ctx: Context, args: argparse.Namespace) -> int:
    ctx.app(create=False).partners.set_stage(args.country, args.stage, reason=args.reason)
    ctx.print(_("Cooperation stage changed"))
    return 0
