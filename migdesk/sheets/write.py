"""Writing tables to XLSX, CSV and JSON files, streamed row by row.

Every file is written to an owner-only (0600) temporary file in the destination's own folder
and moved into place with os.replace once complete: the file holds personal data, a reader
never sees half a file, and a failed export leaves whatever was there before. A folder, a
device or a pipe is refused as the output.

XLSX is written by XlsxWriter in constant-memory mode (each row goes to disk as it is
written, strings inline), so memory does not grow with the number of rows. Cells are typed:
dates are date cells, numbers are numbers, text (personal numbers with their leading zero
included) is text. The header row is frozen and carries an autofilter; column widths fit
the longest value seen (up to a cap).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_

TEXT, DATE, NUMBER = "text", "date", "number"
FILE_FORMATS = ("xlsx", "csv", "json")
_EPOCH = dt.date(1899, 12, 30).toordinal()  # Excel's day 0 (1900 date system)
MAX_WIDTH = 60


class OutputRefused(MigdeskError):
    exit_code = 5


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # shown in the file (already translated)
    kind: str = TEXT


def format_of(path: str | os.PathLike[str], given: str | None = None) -> str:
    """The file format asked for, else the one the file name ends with."""
    fmt = (given or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FILE_FORMATS:
        raise OutputRefused.of("format", N_(
            "Cannot tell the file format of {name}: use --format xlsx, csv or json"),
            name=Path(path).name)
    return fmt


def check_output(path: str | os.PathLike[str]) -> Path:
    """The destination as a path, refused when it is a folder, a device or a pipe, or when
    its folder does not exist."""
    p = Path(path).expanduser()
    if not p.name or str(path).endswith(os.sep):
        raise OutputRefused.of("output", N_("{path} is a folder, not a file"), path=str(path))
    try:
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputRefused.of("output", N_("{path} is a folder, not a file"), path=str(p))
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputRefused.of("output", N_(
            "{path} is a device or a pipe, not a file: give a file name"), path=str(p))
    if not p.parent.is_dir():
        raise OutputRefused.of("output", N_("There is no folder {folder}"),
                               folder=str(p.parent))
    return p


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[tuple[IO[bytes], Path]]:
    """A binary file handle on a 0600 temporary file next to `path`, moved to `path` when
    the block ends without an error (removed otherwise). Yields (handle, final path)."""
    p = check_output(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh, p
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _width(value: str) -> int:
    return len(value)


def write_xlsx(fh: IO[bytes], folder: Path, sheet: str, columns: Sequence[Column],
               rows: Iterable[Sequence[Any]]) -> int:
    """Rows (values in column order) as one typed sheet; returns the number of rows.
    XlsxWriter's row buffers go to a private temporary folder inside `folder` (where the
    finished file goes anyway), removed at the end."""
    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix=".migdesk-", dir=folder) as scratch:
        wb = xlsxwriter.Workbook(fh, {"constant_memory": True, "tmpdir": scratch,
                                      "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet(sheet[:31])
        bold = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        text_fmt = wb.add_format({"num_format": "@"})
        widths = [max(_width(c.header), 6) for c in columns]
        for i, c in enumerate(columns):
            ws.write_string(0, i, c.header, bold)
            if c.kind == DATE:
                widths[i] = max(widths[i], 10)
        kinds = [c.kind for c in columns]
        ws_string, ws_number = ws.write_string, ws.write_number
        n = 0
        for n, row in enumerate(rows, start=1):  # noqa: B007 (n is the count afterwards)
            for i, v in enumerate(row):
                if v is None or v == "":
                    continue
                kind = kinds[i]
                if kind == DATE:
                    ws_number(n, i, v.toordinal() - _EPOCH, date_fmt)
                elif kind == NUMBER:
                    ws_number(n, i, v)
                else:
                    s = str(v)
                    ws_string(n, i, s, text_fmt)
                    if len(s) > widths[i]:
                        widths[i] = len(s)
        for i, w in enumerate(widths):
            ws.set_column(i, i, min(w, MAX_WIDTH) + 2, text_fmt if kinds[i] == TEXT else None)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
        wb.close()
    return n


def write_csv(fh: IO[bytes], columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """UTF-8 with a byte-order mark (so Excel reads Georgian correctly), comma separated,
    dates as YYYY-MM-DD."""
    import io

    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="", write_through=False)
    try:
        w = csv.writer(text)
        w.writerow([c.header for c in columns])
        dates = [i for i, c in enumerate(columns) if c.kind == DATE]
        n = 0
        for n, row in enumerate(rows, start=1):  # noqa: B007
            if dates:
                row = list(row)
                for i in dates:
                    if row[i] is not None:
                        row[i] = row[i].isoformat()
            w.writerow(row)
        text.flush()
    finally:
        text.detach()
    return n


def write_json(fh: IO[bytes], columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """A JSON array of objects with the columns' stable English keys, one object a line."""
    import orjson

    keys = [c.key for c in columns]
    fh.write(b"[")
    n = 0
    for n, row in enumerate(rows, start=1):  # noqa: B007
        fh.write(b"\n" if n == 1 else b",\n")
        fh.write(orjson.dumps(dict(zip(keys, row, strict=True))))
    fh.write(b"\n]\n" if n else b"]\n")
    return n
