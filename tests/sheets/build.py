"""Messy candidate lists built the way desks keep them (no binary file is committed).

Every person is synthetic. MESSY describes the rows of the main list, the outcome each row
must have and the column a reason must name.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from pathlib import Path

HEADER = ["№", "პირადი ნომერი", "სახელი", "გვარი", "დაბადების თარიღი", "სქესი", "რეგიონი",
          "პროფესია", "ენები", "ტელეფონი", "შიდა კოდი", "შენიშვნა"]
HIDDEN = "შიდა კოდი"   # column K is hidden in the XLSX
TITLE = "კანდიდატების სია — ქუთაისის ბიურო, 2026"

# Registered before the import: one with a row's personal number, one whose name and birth
# date a row with another number repeats.
REGISTERED = [("12345678906", "ეკა", "მაისურაძე", "1988-08-08"),
              ("12345678907", "თამარ", "გელაშვილი", "1991-02-03")]

# (row number in the sheet, cells B..J, expected outcome, column the reason names)
# Row 8 is empty and row 9 repeats the header: both are left out.
MESSY: list[tuple[int, list[object], str, str | None]] = [
    (5, [1001012345, "ნინო", "კაპანაძე", "01.05.1990", "ქ", "Imereti", "7212",
         "en B2, ru:C1", 599123456], "new", None),
    (6, ["1.2345678901E+10", "ᲒᲘᲝᲠᲒᲘ", "ბერიძე", dt.datetime(1985, 3, 2), "კ", "თბილისი",
         "შემდუღებლები და აირით მჭრელები", "ინგლისური B1", "+995 599 11-22-33"], "new", None),
    (7, ["12345678902.0", "\u00a0 ანა\u00a0 ", "  ლომიძე ", 32874, "f", "Adjara",
         "Welders and flamecutters: 3", "German A2", None], "new", None),
    (10, ["123-456-789 03", "Levan", "Tsiklauri", "15/06/1992", "m", "GE-KA", "5120", None,
          None], "error", "სახელი"),
    (11, ["12345678904", "მარიამ", "ჯაფარიძე", "2026-13-45", "ქ", "Mars", "9999", "en",
          None], "error", "დაბადების თარიღი"),
    (12, ["12345678905", "გიორგი  ბერიძე", None, "02.03.1985", "m", "GE-IM", None, None,
          None], "duplicate", None),
    (13, ["01001012345", "ნინა", "კაპანაძე", "1990-05-01", "f", None, None, None, None],
     "error", "პირადი ნომერი"),
    (14, ["12345678906", "ეკა", "მაისურაძე", "08.08.1988", "f", "გურია", None, None, None],
     "skip", None),
    (15, ["12345678908", "თამარ", "გელაშვილი", "03.02.1991", "f", None, None, None, None],
     "duplicate", None),
    (16, ["12345678909", "ლაშა", "ხუციშვილი", "05/25/1990", "m", None, None, None, None],
     "error", "დაბადების თარიღი"),
]
NEW_PNS = ["01001012345", "12345678901", "12345678902"]


def messy_xlsx(path: Path) -> Path:
    """The main list with XlsxWriter: a merged title row, group labels over the header, a
    hidden column, real dates, numbers Excel made of personal numbers, a formula column
    (with its saved value), an empty row and the header repeated mid-list."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("სია")
    datefmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    ws.merge_range(0, 0, 0, len(HEADER) - 1, TITLE)
    ws.merge_range(2, 0, 2, 4, "პირადი მონაცემები")
    ws.merge_range(2, 5, 2, 9, "დამატებითი")
    ws.write_row(3, 0, HEADER)
    ws.set_column(10, 10, None, None, {"hidden": True})
    for n, (row, cells, _o, _c) in enumerate(MESSY, start=1):
        r = row - 1
        ws.write_number(r, 0, n)
        for j, v in enumerate(cells, start=1):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write_datetime(r, j, v, datefmt)
            elif isinstance(v, int | float):
                ws.write_number(r, j, v)
            else:
                ws.write_string(r, j, v)
        ws.write_string(r, 10, f"K-{n}")
        ws.write_formula(r, 11, f'=CONCATENATE("ჯგუფი ",A{row})', None, f"ჯგუფი {n}")
    ws.write_row(8, 0, HEADER)  # row 9: the header again (lists pasted together)
    wb.close()
    return path


def text_rows() -> list[list[str]]:
    """The list as a spreadsheet program saves it as text (numbers as it shows them)."""
    out: list[list[str]] = [[TITLE], [], ["პირადი მონაცემები", "", "", "", "", "დამატებითი"],
                            HEADER]
    for n, (row, cells, _o, _c) in enumerate(MESSY, start=1):
        while len(out) < row - 1:  # row 8 empty, row 9 the header again
            out.append([] if len(out) == 7 else list(HEADER))
        vals = [str(n)]
        for v in cells:
            if v is None:
                vals.append("")
            elif isinstance(v, dt.datetime):
                vals.append(v.strftime("%d.%m.%Y"))
            else:
                vals.append(str(v))
        out.append([*vals, f"K-{n}", f"ჯგუფი {n}"])
    return out


def csv_file(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",",
             rows: list[list[str]] | None = None) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\r\n").writerows(
            rows if rows is not None else text_rows())
    return path


def unicode_text(path: Path, rows: list[list[str]] | None = None) -> Path:
    """Excel's “Unicode text”: UTF-16 little-endian with a BOM, tab separated."""
    body = "\r\n".join("\t".join(r) for r in (rows if rows is not None else text_rows()))
    path.write_bytes(codecs.BOM_UTF16_LE + (body + "\r\n").encode("utf-16-le"))
    return path


def ods_file(path: Path, header: list[str], rows: list[list[object]],
             hidden: tuple[int, ...] = ()) -> Path:
    """A minimal OpenDocument spreadsheet (as LibreOffice writes one), by hand."""
    from xml.sax.saxutils import escape

    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value='
                    f'"{v.isoformat()}"><text:p>{v:%d.%m.%Y}</text:p></table:table-cell>')
        if isinstance(v, int | float):
            return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}'
                f"</text:p></table:table-cell>")

    cols = "".join('<table:table-column table:visibility="collapse"/>' if i in hidden
                   else "<table:table-column/>" for i in range(len(header)))
    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>"
                   for r in [header, *rows])
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="სია">{cols}{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type'
        '="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path
