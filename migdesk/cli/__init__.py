"""The `migdesk` command: global options, the command registry, and error handling.

Each command group lives in its own module (`cmd_*.py`) with `register(subparsers)`; its
handlers take a `Context` and return an exit code. Errors meant for users are printed as
one line in Georgian and English on stderr; no traceback reaches a user.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import sys
from collections.abc import Sequence

from migdesk import i18n
from migdesk.cli.context import Context
from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_, translate

# Command modules, in the order `--help` lists them. Later features add theirs here.
COMMAND_MODULES = (
    "cmd_init",
    "cmd_demo",
    "cmd_candidate",
    "cmd_program",
    "cmd_partner",
    "cmd_dossier",
    "cmd_briefing",
    "cmd_desk",
    "cmd_exchange",
    "cmd_conflicts",
    "cmd_check",
    "cmd_user",
    "cmd_audit",
    "cmd_backup",
    "cmd_stats",
)

log = logging.getLogger("migdesk")


class UsageError(MigdeskError):
    exit_code = 2


class Parser(argparse.ArgumentParser):
    """argparse that reports mistakes in both languages instead of exiting mid-way."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError.of(None, N_("Invalid command line: {detail} (see “{prog} --help”)"),
                            detail=message, prog=self.prog)


def build_parser() -> Parser:
    parser = Parser(prog="migdesk", description=translate(
        "Circular labour migration desk", "en"))
    parser.add_argument("--db", metavar="PATH", help="database file or SQLAlchemy URL "
                        "(default: MIGDESK_DB or the user's data directory)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None,
                        help="language of messages and output (default: ka)")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"migdesk.cli.{name}").register(sub)
    return parser


def _configure_logging() -> None:
    """Logs go to a file in the data directory, never to the terminal (no tracebacks for
    users, no personal data in plain logs: only technical events are logged)."""
    log.propagate = False
    if not log.handlers:
        log.addHandler(_LogFile())


class _LogFile(logging.Handler):
    """migdesk.log in the data directory, opened at the first event logged: a command that
    logs nothing (most) does not look for the data directory at all."""

    def __init__(self) -> None:
        super().__init__()
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            from migdesk.paths import data_dir

            try:
                path = data_dir()
                path.mkdir(parents=True, exist_ok=True)
                self._file = logging.FileHandler(path / "migdesk.log", encoding="utf-8")
                self._file.setFormatter(logging.Formatter(
                    "%(asctime)s %(levelname)s %(name)s %(message)s"))
            except OSError:
                self._file = logging.NullHandler()
        self._file.handle(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _configure_logging()
    ctx: Context | None = None
    try:
        _refuse_undecodable(argv)
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.lang:
            i18n.set_language(args.lang)
        ctx = Context(args)
        if not args.command:
            from migdesk.cli.window import open_window

            return open_window(ctx)
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.parse_args([args.command, "--help"])
            return 2
        code = int(handler(ctx, args) or 0)
        _demo_note(ctx)
        return code
    except MigdeskError as exc:
        print(_error_line(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(translate("Interrupted", "ka") + " / Interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk, a read-only folder, a missing file: say which
        reason = _OS_REASONS.get(exc.errno or 0)
        detail: object = _Msg(reason) if reason else (exc.strerror or type(exc).__name__)
        err = (MigdeskError.of("output", N_("Cannot use the file {path}: {detail}"),
                               path=exc.filename, detail=detail) if exc.filename
               else MigdeskError.of(None, N_("Cannot use a file: {detail}"), detail=detail))
        log.warning("file error: %s", type(exc).__name__)
        print(_error_line(err), file=sys.stderr)
        return 5
    except Exception as exc:  # the last guard: log it, show one line, no traceback
        log.exception("unexpected error")
        print(f"{translate('Unexpected error', 'ka')} / Unexpected error: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        if ctx is not None:
            ctx.close()


# What the commonest file errors mean, in the catalogue (the system's own text is English).
_OS_REASONS = {
    errno.ENOSPC: N_("the disk is full"),
    errno.EACCES: N_("permission denied"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENOENT: N_("no such file or folder"),
    errno.EISDIR: N_("it is a folder, not a file"),
}


class _Msg(str):
    """A message id given as a parameter, shown in each language by its translation."""

    def label(self, lang: str) -> str:
        return translate(str(self), lang)


def _demo_note(ctx: Context) -> None:
    """Every command run on a demo database says so (on stderr, so output stays clean)."""
    app = ctx.opened
    if app is not None and app.is_demo:
        print(f"{translate(_DEMO, 'ka')} / {translate(_DEMO, 'en')}", file=sys.stderr)


_DEMO = N_("This is a demo database with synthetic people (sign-in demo / demo)")


def _refuse_undecodable(argv: Sequence[str]) -> None:
    """Bytes of an argument that are not UTF-8 reach Python as lone surrogates, which no
    database or terminal can take: refuse them in both languages before anything runs."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            from migdesk.domain.rules import shown

            raise UsageError.of(None, N_(
                "The argument “{arg}” is not text in UTF-8; check the terminal's encoding"),
                arg=shown(arg)) from None


def _error_line(exc: MigdeskError) -> str:
    from migdesk.domain.rules import shown

    # A value quoted back (a hostile argument, a name from a package) cannot put control
    # characters or hidden direction marks on the terminal.
    line = f"{translate('Error', 'ka')}: {exc.message('ka')} / Error: {exc.message('en')}"
    return shown(line, most=len(line))
