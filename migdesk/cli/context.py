"""What a command handler gets: parsed options, the opened application (with the officer
signed in), output streams."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TextIO

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_, language

if TYPE_CHECKING:  # the services (and SQLAlchemy) load when a command opens the database
    from migdesk.services.app import Migdesk


class SignInNeeded(MigdeskError):
    exit_code = 7


def secret(prompt: str) -> str:
    """A password typed on the terminal, never echoed (never a command-line argument)."""
    import getpass

    if not sys.stdin.isatty():
        raise SignInNeeded.of(None, N_(
            "No password: set MIGDESK_PASSWORD, or run the command on a terminal"))
    return getpass.getpass(prompt)


def new_password(env: str) -> str:
    """A new password: from the environment variable `env`, else typed twice on the
    terminal (never a command-line argument)."""
    password = os.environ.get(env)
    if password is not None:
        return password
    from migdesk.i18n import _

    first = secret(_("New password: "))
    if secret(_("The new password again: ")) != first:
        raise SignInNeeded.of("password", N_("The two passwords differ"))
    return first


class Context:
    def __init__(self, args: argparse.Namespace, out: TextIO | None = None,
                 err: TextIO | None = None) -> None:
        self.args = args
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._app: Migdesk | None = None

    @property
    def lang(self) -> str:
        return language()

    def app(self, create: bool = True, sign_in: bool = True) -> Migdesk:
        """The application over `--db` (created and migrated on first use by default), with
        the officer signed in: MIGDESK_USER and MIGDESK_PASSWORD, else asked on a terminal."""
        if self._app is None:
            from migdesk.services.app import Migdesk

            self._app = Migdesk.open(self.args.db, create=create)
            self._app.db.on_wait = lambda: self.warn(_both(N_(
                "Another migdesk program is writing to this database; waiting for it to "
                "finish")))
        if sign_in and not self._app.signed_in:
            self.sign_in(self._app)
        return self._app

    def sign_in(self, app: Migdesk) -> None:
        if not app.accounts.any():
            raise SignInNeeded.of(None, N_(
                "This desk has no officer accounts yet: create its administrator with "
                "“migdesk init --admin LOGIN”"))
        login = os.environ.get("MIGDESK_USER", "").strip()
        if not login:
            if not sys.stdin.isatty():
                raise SignInNeeded.of(None, N_(
                    "Sign in: set MIGDESK_USER and MIGDESK_PASSWORD, or run the command on "
                    "a terminal"))
            login = input(f"{_both(N_('Login'))}: ").strip()
        password = os.environ.get("MIGDESK_PASSWORD")
        if password is None:
            password = secret(f"{_both(N_('Password'))}: ")
        app.sign_in(login, password)

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(text, file=self.err)

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None

    @property
    def opened(self) -> Migdesk | None:
        return self._app


def _both(msgid: str) -> str:
    from migdesk.i18n import translate

    return f"{translate(msgid, 'ka')} / {translate(msgid, 'en')}"
