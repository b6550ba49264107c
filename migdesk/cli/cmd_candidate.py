"""`migdesk candidate add|list|show|status|import`: candidates from the command line."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.cli.output import FORMATS, write_csv, write_json, write_table
from migdesk.domain.errors import ValidationError
from migdesk.domain.places import country_name, region_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.i18n import N_, _


def _pair(text: str, sep: str = ":") -> tuple[str, str]:
    head, _sep, tail = text.partition(sep)
    return head.strip(), tail.strip()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("candidate", help="register, find and follow candidates")
    cs = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    p.set_defaults(handler=lambda ctx, args: (p.print_help(), 2)[1])

    add = cs.add_parser("add", help="register a candidate")
    add.add_argument("--personal-number", required=True, metavar="P")
    add.add_argument("--first-name", required=True, metavar="F", help="in Georgian (Mkhedruli)")
    add.add_argument("--last-name", required=True, metavar="L", help="in Georgian (Mkhedruli)")
    add.add_argument("--birth-date", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--first-name-lat", metavar="F",
                     help="Latin, as in the passport (default: romanised)")
    add.add_argument("--last-name-lat", metavar="L")
    add.add_argument("--sex", metavar="f|m")
    add.add_argument("--phone")
    add.add_argument("--email")
    add.add_argument("--region", metavar="GE-..")
    add.add_argument("--address")
    add.add_argument("--passport", metavar="NUMBER")
    add.add_argument("--passport-expiry", metavar="YYYY-MM-DD")
    add.add_argument("--education", metavar="LEVEL")
    add.add_argument("--occupation", action="append", default=[], metavar="ISCO[:YEARS]")
    add.add_argument("--language", action="append", default=[], metavar="CODE:LEVEL")
    add.add_argument("--consent-date", metavar="YYYY-MM-DD",
                     help="date of the signed consent form")
    add.add_argument("--consent-scope", metavar="TEXT")
    add.add_argument("--format", choices=("table", "json"), default="table")
    add.set_defaults(handler=run_add)

    ls = cs.add_parser("list", help="list or search candidates")
    ls.add_argument("--search", metavar="Q",
                    help="name prefix (Georgian or Latin) or personal-number prefix")
    ls.add_argument("--status", metavar="S")
    ls.add_argument("--program", metavar="ID")
    ls.add_argument("--region", metavar="GE-..")
    ls.add_argument("--occupation", metavar="ISCO")
    ls.add_argument("--language", metavar="CODE[:MIN_LEVEL]")
    ls.add_argument("--limit", type=int, default=50, metavar="N",
                    help="rows shown on the screen (a file, -o, gets every matching row)")
    ls.add_argument("--format", choices=(*FORMATS, "xlsx"), default=None,
                    help="table (default), json or csv on the screen; xlsx, csv or json with -o")
    ls.add_argument("-o", "--output", metavar="FILE",
                    help="write every matching row to FILE (.xlsx, .csv or .json)")
    ls.set_defaults(handler=run_list)

    show = cs.add_parser("show", help="everything about one candidate")
    show.add_argument("ref", metavar="ID|PERSONAL_NUMBER")
    show.add_argument("--format", choices=("table", "json"), default="table")
    show.set_defaults(handler=run_show)

    st = cs.add_parser("status", help="move a candidate to a new status")
    st.add_argument("ref", metavar="ID|PERSONAL_NUMBER")
    st.add_argument("new_status", metavar="NEW_STATUS",
                    help=", ".join(s.value for s in CandidateStatus))
    st.add_argument("--reason", required=True, metavar="TEXT")
    st.add_argument("--program", metavar="ID")
    st.set_defaults(handler=run_status)

    from migdesk.cli.cmd_sheets import register_import

    register_import(cs)
    from migdesk.cli.cmd_attachments import register_attachments

    register_attachments(cs)


def run_add(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.services.validation import CandidateInput, ConsentInput

    consent = None
    if args.consent_date or args.consent_scope:
        consent = ConsentInput(args.consent_date or "", args.consent_scope or "")
    inp = CandidateInput(
        personal_number=args.personal_number, first_name_ka=args.first_name,
        last_name_ka=args.last_name, birth_date=args.birth_date,
        first_name_lat=args.first_name_lat, last_name_lat=args.last_name_lat, sex=args.sex,
        region=args.region, address=args.address, phone=args.phone, email=args.email,
        passport_number=args.passport, passport_expiry=args.passport_expiry,
        education=args.education,
        occupations=[(c, y or 0) for c, y in (_pair(o) for o in args.occupation)],
        languages=[_pair(x) for x in args.language], consent=consent)
    for raw in args.language:
        if ":" not in raw:
            raise ValidationError.of("languages", N_("Write the language as CODE:LEVEL, e.g. "
                                                     "{example}"), example="en:B1")
    app = ctx.app()
    saved = app.candidates.register(inp)
    for hint in saved.warnings:
        c = hint.candidate
        ctx.warn(_("Warning: may be the same person as {name} ({lat}), born {birth}, id {id}")
                 .format(name=c.name_ka, lat=c.name_lat, birth=c.birth_date, id=c.id[:8]))
    if args.format == "json":
        write_json(ctx.out, {"id": saved.id, "version": saved.version,
                             "possible_duplicates": [h.candidate.id for h in saved.warnings]})
    else:
        ctx.print(_("Registered: {id}").format(id=saved.id))
    return 0


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    language, min_level = (_pair(args.language) if args.language else (None, None))
    if args.output:
        return _export_list(ctx, args, language or None, min_level or None)
    args.format = args.format or "table"
    if args.format == "xlsx":
        raise ValidationError.of("output", N_("An XLSX file needs a file name: add -o FILE"))
    if not 1 <= args.limit <= 10000:
        raise ValidationError.of("limit", N_("Must be between {lo} and {hi}"), lo=1, hi=10000)
    app = ctx.app(create=False)
    program_id = app.programs.get(args.program).id if args.program else None  # id or code
    page = app.candidates.search(
        args.search or "", status=args.status, program_id=program_id, region=args.region,
        occupation=args.occupation, language=language or None, min_level=min_level or None,
        limit=args.limit)
    items = page.items
    filters = {k: v for k, v in (("status", args.status), ("program", args.program),
                                 ("region", args.region), ("occupation", args.occupation),
                                 ("language", args.language)) if v}
    app.audit.record_access("search" if args.search else "list", "candidate", None, {
        "query": args.search or "", **filters, "rows": len(items), "format": args.format})
    if args.format == "json":
        write_json(ctx.out, items)
        return 0
    headers = ["id", "personal_number", "name_ka", "name_lat", "birth_date", "region", "status"]
    if args.format == "table":
        headers = [_("ID"), _("Personal number"), _("Full name"), _("Latin name"),
                   _("Date of birth"), _("Region"), _("Status")]
    rows = [[c.id[:8] if args.format == "table" else c.id, c.personal_number, c.name_ka,
             c.name_lat, c.birth_date,
             region_name(c.region, ctx.lang) if c.region and args.format == "table"
             else c.region, CandidateStatus(c.status).label(ctx.lang)
             if args.format == "table" else c.status] for c in items]
    (write_table if args.format == "table" else write_csv)(ctx.out, headers, rows)
    if args.format == "table" and page.next_cursor:
        ctx.warn(_("More results: raise --limit or narrow the search"))
    return 0


def run_show(ctx: Context, args: argparse.Namespace) -> int:
    d = ctx.app(create=False).candidates.get(args.ref)
    if args.format == "json":
        write_json(ctx.out, d)
        return 0
    lang = ctx.lang
    lines = [
        (_("Full name"), f"{d.name_ka} ({d.name_lat})"),
        (_("Personal number"), d.personal_number),
        (_("Date of birth"), d.birth_date.isoformat()),
        (_("Region"), region_name(d.region, lang) if d.region else "—"),
        (_("Phone"), d.phone or "—"),
        (_("Passport"), (d.passport_number or "—") + (
            " (" + _("valid until {date}").format(date=d.passport_expiry) + ")"
            if d.passport_expiry else "")),
        (_("Status"), CandidateStatus(d.status).label(lang)),
        (_("Occupations"), "; ".join(f"{o.isco_code} {o.title_ka if lang == 'ka' else o.title_en}"
                                     f" ({o.years})" for o in d.occupations) or "—"),
        (_("Languages"), ", ".join(f"{x.language} {x.level.upper()}" for x in d.languages)
         or "—"),
        (_("Consent"), "; ".join(f"{c.given_on}: {c.scope}" for c in d.consents
                                 if c.withdrawn_on is None) or _("no consent on file")),
        ("id", d.id),
    ]
    width = max(len(k) for k, _v in lines)
    for k, v in lines:
        ctx.print(f"{k.ljust(width)}  {v}")
    ctx.print()
    ctx.print(_("Status history"))
    for h in d.history:
        old = CandidateStatus(h.from_status).label(lang) if h.from_status else "—"
        ctx.print(f"  {h.changed_at:%Y-%m-%d %H:%M}  {old} → "
                  f"{CandidateStatus(h.to_status).label(lang)}  ({h.officer}) {h.reason}")
    placement = _("Placement")
    for p in d.placements:
        ctx.print(f"  {placement}: {p.employer}, {country_name(p.country, lang)}, "
                  f"{p.start_date}" + (f" → {p.returned_on}" if p.returned_on else ""))
    return 0


def run_status(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    saved = app.candidates.change_status(args.ref, args.new_status, args.reason,
                                         program_id=args.program)
    ctx.print(_("Status changed: {id} → {status}").format(
        id=saved.id[:8], status=CandidateStatus.parse(args.new_status).label(ctx.lang)))
    return 0


def _export_list(ctx: Context, args: argparse.Namespace, language: str | None,
                 min_level: str | None) -> int:
    from migdesk.services.sheet_export import SheetExportService

    fmt = None if args.format in (None, "table") else args.format
    app = ctx.app(create=False)
    program_id = app.programs.get(args.program).id if args.program else None
    result = SheetExportService(app).candidates(
        args.output, fmt, query=args.search or "", filters={
            "status": args.status, "program_id": program_id, "region": args.region,
            "occupation": args.occupation, "language": language, "min_level": min_level},
        lang=ctx.lang)
    ctx.warn(_("Exported {n} candidates to {path}").format(n=result.rows, path=result.path))
    return 0
