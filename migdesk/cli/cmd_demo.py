"""`migdesk demo`: load the memo's facts and synthetic candidates into an empty database."""

from __future__ import annotations

import argparse
import sys
import time

from migdesk.cli.context import Context
from migdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="load demo data (the 2019 memo and synthetic candidates)")
    p.add_argument("--candidates", type=int, default=300, metavar="N",
                   help="synthetic candidates to generate (default 300)")
    p.add_argument("--seed", type=int, default=2019, metavar="S",
                   help="random seed (the same seed gives the same people)")
    p.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from migdesk.services.demo import load_demo

    app = ctx.app(create=True, sign_in=False)
    if app.accounts.any():  # a real desk: its administrator loads demo data, if anyone
        ctx.sign_in(app)
    started = time.perf_counter()

    def progress(done: int, total: int) -> bool:
        if sys.stderr.isatty():
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)
        return True

    summary = load_demo(app, candidates=args.candidates, seed=args.seed, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    ctx.print(_("Demo data loaded into {url} in {sec:.1f} s").format(
        url=app.db.url, sec=time.perf_counter() - started))
    ctx.print(_("Partner states: {p}; agreements: {a}; visits: {v}; programmes: {g}; "
                "placed citizens: {pl}; synthetic candidates: {c}").format(
        p=summary.partners, a=summary.agreements, v=summary.visits, g=summary.programs,
        pl=summary.placed, c=summary.candidates))
    return 0
