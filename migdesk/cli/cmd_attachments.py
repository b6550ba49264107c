"""`migdesk candidate attach|attachments|detach`: a candidate's scanned documents."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.cli.output import write_json, write_table
from migdesk.domain.attachments import MAX_MB, AttachmentKind, kind_label
from migdesk.i18n import _


def register_attachments(cs: argparse._SubParsersAction) -> None:
    at = cs.add_parser("attach", help=f"attach a scanned document (PDF, JPEG, PNG, TIFF; "
                                      f"at most {MAX_MB} MB) to a candidate")
    at.add_argument("ref", metavar="ID|PERSONAL_NUMBER")
    at.add_argument("file", metavar="FILE")
    at.add_argument("--kind", required=True, metavar="K",
                    help=", ".join(k.value for k in AttachmentKind))
    at.set_defaults(handler=run_attach)

    ls = cs.add_parser("attachments", help="list a candidate's documents")
    ls.add_argument("ref", metavar="ID|PERSONAL_NUMBER")
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ls.add_argument("--save", metavar="ATTACHMENT_ID",
                    help="write a copy of one document (logged as an export) to -o FILE")
    ls.add_argument("-o", "--output", metavar="FILE")
    ls.set_defaults(handler=run_list)

    rm = cs.add_parser("detach", help="remove a document (a tombstone with a reason)")
    rm.add_argument("attachment", metavar="ATTACHMENT_ID")
    rm.add_argument("--reason", required=True, metavar="TEXT")
    rm.set_defaults(handler=run_detach)


def run_attach(ctx: Context, args: argparse.Namespace) -> int:
    v = ctx.app(create=False).attachments.add_file(args.ref, args.file, args.kind)
    ctx.print(_("Attached {name} ({kind}) as {id}").format(
        name=v.filename, kind=kind_label(v.kind, ctx.lang), id=v.id))
    return 0


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    items = app.attachments.list(args.ref)
    if args.save:
        from migdesk.domain.errors import ValidationError
        from migdesk.i18n import N_

        if not args.output:
            raise ValidationError.of("output", N_("Required"))
        path = app.attachments.save_copy(args.save, args.output)
        ctx.print(str(path))
        return 0
    if args.format == "json":
        write_json(ctx.out, [{"id": a.id, "kind": a.kind, "filename": a.filename,
                              "media_type": a.media_type, "size": a.size, "sha256": a.sha256,
                              "added_at": a.added_at.isoformat(), "added_by": a.added_by}
                             for a in items])
        return 0
    write_table(ctx.out, [_("Id"), _("Kind"), _("File"), _("Size"), _("Added")],
                [(a.id[:8], kind_label(a.kind, ctx.lang), a.filename, a.size,
                  a.added_at.date().isoformat()) for a in items])
    return 0


def run_detach(ctx: Context, args: argparse.Namespace) -> int:
    ctx.app(create=False).attachments.remove(args.attachment, args.reason)
    ctx.print(_("Document removed"))
    return 0
