"""Checking the lines of a large package in a second process while this one applies them.

Parsing and checking every line is a sixth of a whole-desk import and needs nothing from the
database, so on a machine with a second core it runs beside the merge: the importer builds
its changes with `codec.decode_checked_elsewhere` and asks for the verdict before it commits.
A bad line refuses the package with the same message (member, line, problem) as a check in
line would give, and the transaction is rolled back, so nothing of it is kept.

Only used for a package unsealed into a private temporary file (nobody can change it between
the two readings); the checker, `python -m migdesk.sync.verify FILE SEQ_FROM SEQ_TO`, reads
that file itself and prints its verdict as one JSON value."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from migdesk.i18n import N_
from migdesk.sync.codec import Malformed, Reason, decode
from migdesk.sync.errors import PackageRefused
from migdesk.sync.package import CHANGES, Package

_WAIT = 600.0  # seconds: a checker that has not answered by then is taken as failed


def check_lines(path: str, seq_from: int, seq_to: int) -> list[Any] | None:
    """Check every line as the importer would; the first problem as [member, line, msgid,
    params], or None when every line is good."""
    try:
        with zipfile.ZipFile(path) as zf:
            for n, line in Package({}, zf).lines():
                try:
                    c = decode(line)
                except Malformed as exc:
                    return [CHANGES, n, exc.msgid, exc.params]
                if not seq_from <= c.seq <= seq_to:
                    return [CHANGES, n, N_(
                        "change number {seq} is outside the manifest's range"), {"seq": c.seq}]
    except PackageRefused as exc:
        p = exc.errors[0]
        return [getattr(p, "member", ""), getattr(p, "line_no", 0), p.msgid, dict(p.params)]
    except Exception as exc:  # reported by the parent as a failed check
        return ["", 0, N_("the lines could not be checked: {detail}"),
                {"detail": str(exc)[:200]}]
    return None


class LineCheck:
    """A child process (`python -m migdesk.sync.verify`) checking a package's lines;
    `verdict()` waits for it and raises PackageRefused for the first bad line. Use as a
    context manager: leaving it stops the child."""

    def __init__(self, fd: int, seq_from: int, seq_to: int) -> None:
        """`fd`: the unsealed package, an unnamed file this process has open; the child opens
        its own reading of it through /proc/self/fd."""
        root = str(Path(__file__).resolve().parents[2])  # the migdesk this process runs
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [root, *filter(None, [os.environ.get("PYTHONPATH")])]))
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "migdesk.sync.verify", f"/proc/self/fd/{fd}", str(seq_from),
             str(seq_to)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            env=env, pass_fds=(fd,))
        self._done = False

    def verdict(self) -> None:
        if self._done:
            return
        self._done = True
        found: list[Any] | None
        stopped: list[Any] = [
            "", 0, N_("the process checking the lines stopped before it answered"), {}]
        try:
            out, _err = self._proc.communicate(timeout=_WAIT)
            found = json.loads(out) if self._proc.returncode == 0 else stopped
        except (subprocess.TimeoutExpired, ValueError):
            found = stopped
        if found is not None:
            member, line_no, msgid, params = found
            raise PackageRefused.at(member or CHANGES, int(line_no), msgid, **_decode(params))

    def __enter__(self) -> LineCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.communicate()


def _encode(value: Any) -> Any:
    """A rule's reason inside a verdict (codec.Reason) travels as a tagged object."""
    if isinstance(value, Reason):
        return value.to_json()
    return getattr(value, "value", str(value))


def _decode(params: dict[str, Any]) -> dict[str, Any]:
    return {k: Reason(v["__reason__"], v["params"]) if isinstance(v, dict)
            and "__reason__" in v else v for k, v in params.items()}


def main(argv: list[str]) -> int:
    path, seq_from, seq_to = argv[0], int(argv[1]), int(argv[2])
    sys.stdout.write(json.dumps(check_lines(path, seq_from, seq_to), ensure_ascii=False,
                                default=_encode))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
