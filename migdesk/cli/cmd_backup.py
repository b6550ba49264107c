"""`migdesk backup [-o FILE] | list | keep N | key --new FILE` and `migdesk restore FILE`."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.cli.output import write_json
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="back up the database (checked, owner-only, encrypted "
                       "when the desk has a backup key)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the backup to FILE instead of the backups folder")
    p.set_defaults(handler=run_backup)
    bsub = p.add_subparsers(dest="backup_command", metavar="ACTION")
    ls = bsub.add_parser("list", help="the backups beside the database, newest first")
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ls.set_defaults(handler=run_list)
    keep = bsub.add_parser("keep", help="how many backups to keep (default 10)")
    keep.add_argument("n", type=int, metavar="N")
    keep.set_defaults(handler=run_keep)
    key = bsub.add_parser("key", help="encrypt backups to a new key pair")
    key.add_argument("--new", required=True, metavar="PRIVATE_KEY_FILE",
                     help="where to write the private key (keep it away from the desk)")
    key.set_defaults(handler=run_key)
    r = sub.add_parser("restore", help="replace the database with a backup (the current one "
                       "is kept aside)")
    r.add_argument("file", metavar="FILE")
    r.add_argument("--key", metavar="PRIVATE_KEY_FILE",
                   help="the private key file, for an encrypted backup")
    r.set_defaults(handler=run_restore)


def run_backup(ctx: Context, args: argparse.Namespace) -> int:
    made = ctx.app(create=False).backups.make("manual", output=args.output)
    ctx.print(_("Backup written to {path}").format(path=made.path))
    ctx.print(_("Encrypted for the desk's backup key") if made.encrypted else
              _("Not encrypted: the desk has no backup key (“migdesk backup key --new FILE”)"))
    return 0


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    found = ctx.app(create=False).backups.list()
    if args.format == "json":
        write_json(ctx.out, [{"path": str(b.path), "at": b.at, "reason": b.reason,
                              "encrypted": b.encrypted, "size": b.size} for b in found])
        ctx.out.write("\n")
        return 0
    if not found:
        ctx.print(_("No backups yet"))
        return 0
    for b in found:
        lock = "🔒" if b.encrypted else " "
        ctx.print(f"{b.at:%Y-%m-%d %H:%M:%S} UTC  {lock} {b.reason:<14} "
                  f"{b.size / 1e6:8.1f} MB  {b.path}")
    return 0


def run_keep(ctx: Context, args: argparse.Namespace) -> int:
    ctx.app(create=False).backups.set_keep(args.n)
    ctx.print(_("Backups kept: {n}").format(n=args.n))
    return 0


def run_key(ctx: Context, args: argparse.Namespace) -> int:
    public = ctx.app(create=False).backups.new_key(args.new)
    ctx.print(_("Private key written to {path}: keep it safe and away from this desk; "
                "without it no encrypted backup can be restored").format(path=args.new))
    ctx.print(_("Backups are now encrypted to the public key {key}").format(key=public))
    return 0


def run_restore(ctx: Context, args: argparse.Namespace) -> int:
    """An administrator of the current database restores it; a database that no longer
    opens (damaged, or none on a new machine) is restored by whoever holds its files."""
    from migdesk.domain.roles import Permission
    from migdesk.paths import default_database_url
    from migdesk.services.app import DatabaseUnavailable, Migdesk
    from migdesk.services.backups import restore

    account = None
    try:
        app = ctx.app(create=False)
        app.require(Permission.BACKUP)
        account = app.account
    except DatabaseUnavailable:
        pass
    finally:
        ctx.close()  # restore refuses a database that is open
    target = args.db or default_database_url()
    aside = restore(target, args.file, key_file=args.key)
    if account is not None:  # the restored database records who put it back, and from what
        restored = Migdesk.open(target, create=False, account=account)
        try:
            restored.record("restore", "backup", None, {"from": str(args.file)[:300]})
        finally:
            restored.close()
    ctx.print(_("The database was restored from {path}").format(path=args.file))
    if aside is not None:
        ctx.print(_("The database it replaced is kept as {path}").format(path=aside))
    return 0
