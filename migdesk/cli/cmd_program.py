"""`migdesk program list|show|match`: programmes and matching candidates to their demand."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.cli.output import write_json, write_table
from migdesk.domain.places import country_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import ProgramStatus
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("program", help="programmes and matching")
    ps = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    p.set_defaults(handler=lambda ctx, args: (p.print_help(), 2)[1])

    ls = ps.add_parser("list", help="list programmes")
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ls.set_defaults(handler=run_list)

    m = ps.add_parser("match", help="rank candidates for a programme's demanded occupations")
    m.add_argument("program", metavar="PROGRAM_ID", help="id or code, e.g. PL-IOM-PILOT")
    m.add_argument("--limit", type=int, default=20, metavar="N")
    m.add_argument("--format", choices=("table", "json"), default="table")
    m.set_defaults(handler=run_match)


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    progs = ctx.app(create=False).programs.list()
    if args.format == "json":
        write_json(ctx.out, progs)
        return 0
    write_table(ctx.out, [_("Code"), _("Programme"), _("Partner state"), _("Status"),
                          _("Selected"), _("Placed"), "id"],
                [[p.code, p.name_ka if ctx.lang == "ka" else p.name_en,
                  country_name(p.partner_iso, ctx.lang), ProgramStatus(p.status).label(ctx.lang),
                  p.selected, p.placed, p.id] for p in progs])
    return 0


def run_match(ctx: Context, args: argparse.Namespace) -> int:
    results = ctx.app(create=False).matching.match(args.program, limit=args.limit)
    if args.format == "json":
        write_json(ctx.out, [{
            "rank": i, "candidate_id": r.candidate.id,
            "personal_number": r.candidate.personal_number,
            "name_ka": r.candidate.name_ka, "name_lat": r.candidate.name_lat,
            "status": r.candidate.status, "isco_code": r.isco_code, "years": r.years,
            "language_level": r.language_level, "age": r.age, "score": r.score,
            "demand_id": r.demand_id} for i, r in enumerate(results, start=1)])
        return 0
    write_table(ctx.out, ["#", _("Full name"), _("Latin name"), "ISCO", _("Years"), _("Language"),
                          _("Age"), _("Status"), _("Score")],
                [[i, r.candidate.name_ka, r.candidate.name_lat, r.isco_code, r.years,
                  (r.language_level or "").upper(), r.age,
                  CandidateStatus(r.candidate.status).label(ctx.lang), r.score]
                 for i, r in enumerate(results, start=1)])
    return 0
