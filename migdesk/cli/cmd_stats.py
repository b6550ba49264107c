"""`migdesk stats -o FILE.xlsx [--from DATE] [--to DATE]`: the analysts' workbook."""

from __future__ import annotations

import argparse
import datetime as dt

from migdesk.cli.context import Context
from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="statistics for analysts as an XLSX workbook")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                   help="first day of the period (default: the beginning)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD",
                   help="last day of the period (default: today)")
    p.set_defaults(handler=run_stats)


def _date(field: str, text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError.of(field, N_("“{value}” is not a date as YYYY-MM-DD"),
                                 value=text) from None


def run_stats(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.services.sheet_export import SheetExportService

    start, end = _date("from", args.start), _date("to", args.end)
    app = ctx.app(create=False)
    result = SheetExportService(app).statistics(args.output, start, end, lang=ctx.lang)
    ctx.warn(_("Statistics written to {path} ({n} sheets)").format(path=result.path,
                                                                   n=result.rows))
    return 0
