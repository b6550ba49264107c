"""Writing tables to XLSX, CSV and JSON files, streamed row by row.

Every file is written to an owner-only (0600) temporary file in the destination's own folder
and moved into place with os.replace once complete: the file holds personal data, a reader
never sees half a file, and a failed export leaves whatever was there before. A folder, a
device or a pipe is refused as the output.

XLSX is streamed row by row straight into the zip member (inline strings, deflated as it
goes), so memory does not grow with the number of rows and nothing passes through a scratch
file. Cells are typed:
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


# -- XLSX: a streaming SpreadsheetML writer for one big typed table ------------------------
# XlsxWriter (constant-memory mode) spends ~8 µs a cell in Python and writes its row buffer
# to a temporary file; this writer builds each row's XML with one join and streams it
# straight into the zip member (deflated as it goes), so memory stays flat and no personal
# data passes through a scratch file. The statistics workbook (small, with charts) uses
# XlsxWriter (stats.py).
_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (_HEAD + f'<Types xmlns="{_PKG}/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
          'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.styles+xml"/></Types>')
_ROOT_RELS = (_HEAD + f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
              f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK_RELS = (_HEAD + f'<Relationships xmlns="{_PKG}/relationships">'
              f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
              f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/>'
              '</Relationships>')
# Cell styles: 0 general, 1 header (bold on grey, bordered), 2 date, 3 text ("@").
_STYLES = (_HEAD + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
           'main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
           '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family '
           'val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/>'
           '</font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill><fill><patternFill '
           'patternType="solid"><fgColor rgb="FFDDE4EE"/><bgColor indexed="64"/>'
           '</patternFill></fill></fills><borders count="2"><border><left/><right/><top/>'
           '<bottom/><diagonal/></border><border><left style="thin"><color auto="1"/></left>'
           '<right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/>'
           '</top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
           '</cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" '
           'borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="1" '
           'xfId="0" applyFont="1" applyFill="1" applyBorder="1"/><xf numFmtId="164" '
           'fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf '
           'numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
           '</cellStyles></styleSheet>')
# XML 1.0 cannot hold most control characters at all: they are dropped.
_ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;",
           **{c: None for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)}}
TEXT_STYLE = ' style="3"'
WIDTH_SAMPLE = 2000  # column widths fit the header and the first rows


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _esc(text: str) -> str:
    return text.translate(_ESCAPE)


def write_xlsx(fh: IO[bytes], folder: Path, sheet: str, columns: Sequence[Column],
               rows: Iterable[Sequence[Any]]) -> int:
    """Rows (values in column order) as one typed sheet streamed into `fh`; returns the
    number of rows. `folder` is unused (kept for the writer's signature: nothing is written
    outside `fh`)."""
    import itertools
    import zipfile

    del folder
    it = iter(rows)
    sample = list(itertools.islice(it, WIDTH_SAMPLE))
    letters = [_letters(i) for i in range(len(columns))]
    kinds = [c.kind for c in columns]
    widths = [max(len(c.header), 6) for c in columns]
    for row in sample:
        for i, v in enumerate(row):
            if v is not None and kinds[i] == TEXT and len(str(v)) > widths[i]:
                widths[i] = len(str(v))
    for i, k in enumerate(kinds):
        if k == DATE:
            widths[i] = max(widths[i], 10)
    name = _esc(sheet[:31].replace("'", "’"))
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=5) as zf:
        zf.writestr("[Content_Types].xml", _TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            cols = "".join(
                f'<col min="{i + 1}" max="{i + 1}" width="{min(w, MAX_WIDTH) + 2}" '
                f'customWidth="1"{TEXT_STYLE if kinds[i] == TEXT else ""}/>'
                for i, w in enumerate(widths))
            head = "".join(f'<c r="{letters[i]}1" t="inlineStr" s="1"><is><t>{_esc(c.header)}'
                           "</t></is></c>" for i, c in enumerate(columns))
            raw.write((_HEAD + f"<worksheet {_NS}><sheetViews><sheetView tabSelected=\"1\" "
                       'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                       'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
                       'activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                       f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
                       f'<sheetData><row r="1">{head}</row>').encode())
            n = 1
            buf: list[str] = []
            epoch, fromiso = _EPOCH, dt.date.fromisoformat
            for row in itertools.chain(sample, it):
                n += 1
                r = str(n)
                parts = [f'<row r="{r}">']
                for i, v in enumerate(row):
                    if v is None or v == "":
                        continue
                    k = kinds[i]
                    if k == DATE:  # a date, or its ISO text as the database gives it
                        day = (v if not isinstance(v, str) else fromiso(v)).toordinal()
                        parts.append(f'<c r="{letters[i]}{r}" s="2"><v>{day - epoch}</v></c>')
                    elif k == NUMBER:
                        parts.append(f'<c r="{letters[i]}{r}"><v>{v}</v></c>')
                    else:
                        t = str(v).translate(_ESCAPE)
                        sp = ' xml:space="preserve"' if t[:1].isspace() or t[-1:].isspace() \
                            else ""
                        parts.append(f'<c r="{letters[i]}{r}" t="inlineStr" s="3"><is><t{sp}>'
                                     f"{t}</t></is></c>")
                parts.append("</row>")
                buf.append("".join(parts))
                if len(buf) >= 1000:
                    raw.write("".join(buf).encode())
                    buf.clear()
            raw.write("".join(buf).encode())
            ref = f"A1:{letters[-1]}{max(n, 2)}"
            raw.write(f'</sheetData><autoFilter ref="{ref}"/></worksheet>'.encode())
        zf.writestr("xl/workbook.xml", _HEAD + (
            f'<workbook {_NS}><bookViews><workbookView/></bookViews><sheets><sheet '
            f'name="{name}" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName '
            f'name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\'{name}\'!'
            f'${letters[0]}$1:${letters[-1]}${max(n, 2)}</definedName></definedNames>'
            "</workbook>"))
    return n - 1


def write_csv(fh: IO[bytes], columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """UTF-8 with a byte-order mark (so Excel reads Georgian correctly), comma separated,
    dates as YYYY-MM-DD (date objects or their ISO text)."""
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
                    if row[i] is not None and not isinstance(row[i], str):
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
