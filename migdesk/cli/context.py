"""What a command handler gets: parsed options, the opened application, output streams."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from migdesk.i18n import language
from migdesk.services.app import Migdesk


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

    def app(self, create: bool = True) -> Migdesk:
        """The application over `--db` (created and migrated on first use by default)."""
        if self._app is None:
            self._app = Migdesk.open(self.args.db, create=create)
        return self._app

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(text, file=self.err)

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None
