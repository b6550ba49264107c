"""`migdesk desk show|trust|role`: this desk's identity and keys, and the parties it trusts."""

from __future__ import annotations

import argparse

from migdesk.cli.context import Context
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("desk", help="this desk's identity and keys; trusted parties")
    dsub = p.add_subparsers(dest="desk_command", metavar="ACTION")
    show = dsub.add_parser("show", help="print this desk's id and public keys")
    show.add_argument("--card", metavar="FILE", help="also write the key card to give others")
    show.set_defaults(handler=run_show)
    trust = dsub.add_parser("trust", help="trust another desk's or the central store's card")
    trust.add_argument("file", metavar="FILE")
    trust.add_argument("--replace", action="store_true",
                       help="accept new keys for a party already trusted")
    trust.add_argument("--scope", choices=("own", "all"),
                       help="the personal data a desk receives from here: its own candidates "
                       "(the default for a desk) or all")
    trust.set_defaults(handler=run_trust)
    scope = dsub.add_parser("scope", help="which candidates a trusted desk receives from here")
    scope.add_argument("desk", metavar="DESK", help="the desk's id, name or id prefix")
    scope.add_argument("scope", choices=("own", "all"))
    scope.set_defaults(handler=run_scope)
    role = dsub.add_parser("role", help="make this database a desk or the central store")
    role.add_argument("role", choices=("desk", "central"))
    role.set_defaults(handler=run_role)
    peers = dsub.add_parser("peers", help="list trusted parties and the last exchanges")
    peers.set_defaults(handler=run_peers)


def run_show(ctx: Context, args: argparse.Namespace) -> int:
    app = ctx.app(create=False)
    card = app.sync.card()
    ctx.print(_("Desk: {name} ({id})").format(name=card.name, id=card.desk_id))
    ctx.print(_("Role: {role}").format(role=card.role))
    ctx.print(_("Signing key (Ed25519): {key}").format(key=card.sign_key))
    ctx.print(_("Encryption key (X25519): {key}").format(key=card.enc_key))
    ctx.print(_("Fingerprint (read it out to the other party): {fingerprint}").format(
        fingerprint=card.fingerprint))
    if args.card:
        with open(args.card, "w", encoding="utf-8") as fh:
            fh.write(card.to_json())
        ctx.print(_("Key card written to {path}").format(path=args.card))
    return 0


def _scope_text(scope: str) -> str:
    return _("its own candidates") if scope == "own" else _("all candidates")


def run_trust(ctx: Context, args: argparse.Namespace) -> int:
    peer = ctx.app(create=False).sync.trust(args.file, replace=args.replace, scope=args.scope)
    ctx.print(_("Trusted: {name} ({id}), role {role}").format(
        name=peer.name, id=peer.desk_id, role=peer.role))
    ctx.print(_("Fingerprint (read it out to the other party): {fingerprint}").format(
        fingerprint=peer.fingerprint))
    ctx.print(_("Personal data it receives from here: {scope}").format(
        scope=_scope_text(peer.scope)))
    return 0


def run_scope(ctx: Context, args: argparse.Namespace) -> int:
    peer = ctx.app(create=False).sync.set_scope(args.desk, args.scope)
    ctx.print(_("Personal data {name} receives from here: {scope}").format(
        name=peer.name, scope=_scope_text(peer.scope)))
    if peer.resend:
        ctx.print(_("The next package to it starts again from the first change"))
    elif peer.scope == "own":
        ctx.print(_("What it was sent before stays with it; new packages carry only its "
                    "own candidates"))
    return 0


def run_role(ctx: Context, args: argparse.Namespace) -> int:
    ctx.app(create=False).sync.set_role(args.role)
    ctx.print(_("Role: {role}").format(role=args.role))
    return 0


def run_peers(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.cli.output import write_table

    app = ctx.app(create=False)
    write_table(ctx.out, [_("Desk"), _("Name"), _("Role"), _("Can seal"), _("Receives")],
                [[p.desk_id, p.name, p.role, "✓" if p.can_seal else "", _scope_text(p.scope)]
                 for p in app.sync.peers()])
    ctx.print()
    write_table(ctx.out, [_("Partner"), _("Direction"), _("When"), _("Changes"),
                          _("Change numbers")],
                [[e.partner_name, e.direction, e.at.strftime("%Y-%m-%d %H:%M"), e.changes,
                  f"{e.seq_from}–{e.seq_to}"] for e in app.sync.exchanges()])
    return 0
