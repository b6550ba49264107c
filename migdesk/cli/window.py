"""`migdesk` with no command: open the desktop window (Qt is imported only here)."""

from __future__ import annotations

from migdesk.cli.context import Context
from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_


class WindowUnavailable(MigdeskError):
    exit_code = 6


def open_window(ctx: Context) -> int:
    try:
        from migdesk.ui.main import run
    except ImportError as exc:
        raise WindowUnavailable.of(
            None, N_("The window cannot start: {detail}"), detail=str(exc)
        ) from None
    return run(ctx.args.db)
