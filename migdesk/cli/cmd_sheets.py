"""`migdesk candidate import FILE`: a candidate list from XLSX, ODS or CSV (a `candidate`
subcommand, registered by cmd_candidate)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from migdesk.cli.context import Context
from migdesk.cli.output import write_json, write_table
from migdesk.i18n import N_, _

if TYPE_CHECKING:  # the import service and the sheet readers load when an import runs
    from migdesk.services.sheet_import import Plan

# services.sheet_import.ON_EXISTING, written out so that `--help` need not load the service
# (tests/test_startup.py checks the two agree).
ON_EXISTING = ("update", "skip", "keep-newer")

OUTCOME_LABELS = {"new": N_("new"), "update": N_("update"), "unchanged": N_("unchanged"),
                  "skip": N_("skipped"), "duplicate": N_("duplicate suspected"),
                  "error": N_("error")}


def register_import(cs: argparse._SubParsersAction) -> None:
    imp = cs.add_parser("import", help="import a candidate list from XLSX, ODS or CSV")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--sheet", metavar="NAME", help="the sheet (default: the first visible)")
    imp.add_argument("--mapping", metavar="MAP.json",
                     help='{"columns": {"field": "column header"}} (default: guessed, or the '
                          "one remembered for this layout)")
    imp.add_argument("--write-mapping", metavar="MAP.json",
                     help="write the mapping that would be used, to edit, and stop")
    imp.add_argument("--dry-run", action="store_true",
                     help="say what every row would do; write nothing")
    imp.add_argument("--on-existing", choices=ON_EXISTING, default="skip",
                     help="a personal number already registered: update the record, skip the "
                          "row, or update unless the record changed after the file was saved")
    imp.add_argument("--import-duplicates", action="store_true",
                     help="import rows that only look like someone registered (name and date "
                          "of birth) after checking them")
    imp.add_argument("--errors", metavar="ERRORS.xlsx",
                     help="write the rows that did not go in, with the reason (XLSX or .csv)")
    imp.add_argument("--format", choices=("table", "json"), default="table")
    imp.set_defaults(handler=run_import)


def run_import(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.sheets import columns

    app = ctx.app(create=False)
    svc = app.sheet_import
    mapping = columns.load(args.mapping) if args.mapping else None
    if args.write_mapping:
        table = svc.open(args.file, args.sheet)
        columns.save(args.write_mapping, mapping or svc.mapping_for(table.header))
        ctx.print(_("Mapping written: {path}").format(path=args.write_mapping))
        return 0
    progress = _progress if (not args.dry_run and sys.stderr.isatty()) else None
    if args.dry_run:
        plan = svc.dry_run(args.file, args.sheet, mapping, args.on_existing,
                           import_duplicates=args.import_duplicates)
        if args.errors and plan.needs_correcting:
            svc.write_errors(plan, args.errors)
    else:
        plan = svc.import_(args.file, args.sheet, mapping, args.on_existing,
                           import_duplicates=args.import_duplicates, errors_to=args.errors,
                           progress=progress)
        if mapping is not None:
            svc.remember_mapping(plan.header, plan.mapping)
    _report(ctx, args, plan)
    return 1 if plan.needs_correcting else 0


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def _report(ctx: Context, args: argparse.Namespace, plan: Plan) -> None:
    if args.format == "json":
        write_json(ctx.out, {
            "file": plan.file, "sha256": plan.sha256, "sheet": plan.sheet,
            "imported": plan.imported, "counts": plan.counts, "mapping": plan.mapping,
            "rows": [{"row": r.row, "outcome": r.outcome, "reason": r.reason("en"),
                      "candidate_id": r.candidate_id} for r in plan.rows]})
        return
    lang = ctx.lang
    for note in plan.notes:
        ctx.warn(note.line(lang))
    shown = [r for r in plan.rows if r.outcome != "new" or r.notes]
    if shown:
        write_table(ctx.out, [_("Row"), _("Outcome"), _("Reason")],
                    [[r.row, _(OUTCOME_LABELS[r.outcome]),
                      r.reason(lang) or "; ".join(n.line(lang) for n in r.notes)]
                     for r in shown])
    c = plan.counts
    line = _("new {new}, updated {update}, unchanged {unchanged}, skipped {skip}, duplicates "
             "suspected {duplicate}, errors {error}").format(**c)
    ctx.print((_("Imported: {counts}") if plan.imported else _("Dry run, nothing written: "
                                                              "{counts}")).format(counts=line))
    if plan.needs_correcting and args.errors:
        ctx.print(_("Rows to correct written to {path}: correct them and import that file "
                    "again").format(path=args.errors))
