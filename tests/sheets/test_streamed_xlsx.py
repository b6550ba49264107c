"""Long XLSX sheets are streamed (memory that does not grow with the sheet) instead of read
whole by calamine: both readers must give the officer exactly the same rows and outcomes."""

from __future__ import annotations

import datetime as dt

import pytest

from migdesk.sheets import columns
from migdesk.sheets import read as R
from tests.sheets import build


def _read(path, monkeypatch, *, streamed: bool):
    monkeypatch.setattr(R, "STREAM_ROWS", -1 if streamed else 10**9)
    monkeypatch.setattr(R, "STREAM_BYTES", -1 if streamed else 10**12)
    table = R.open_table(path, None, columns.header_score)
    rows = [(r.number, r.values) for r in table.rows()]
    return table, rows


def _same(path, monkeypatch):
    t1, rows1 = _read(path, monkeypatch, streamed=False)
    t2, rows2 = _read(path, monkeypatch, streamed=True)
    assert getattr(t2, "_hidden", None) is not None and t1.kind == t2.kind == "xlsx"
    assert (t2.sheet, t2.header, t2.header_row, t2.hidden_columns) == (
        t1.sheet, t1.header, t1.header_row, t1.hidden_columns)
    assert [e.msgid for e in t2.notes] == [e.msgid for e in t1.notes]
    assert rows2 == rows1
    assert (t2.skipped_empty, t2.skipped_headers) == (t1.skipped_empty, t1.skipped_headers)
    return t2, rows2


def test_the_messy_list_reads_the_same_streamed(tmp_path, monkeypatch):
    table, rows = _same(build.messy_xlsx(tmp_path / "სია.xlsx"), monkeypatch)
    assert table.header_row == 4 and table.hidden_columns  # merged title and group labels
    assert any(isinstance(v, dt.date) for _n, vals in rows for v in vals)
    assert any(isinstance(v, str) and v.startswith("ჯგუფი") for _n, vals in rows for v in vals)


def test_inline_strings_rich_text_booleans_times_and_a_second_sheet(tmp_path, monkeypatch):
    import xlsxwriter

    path = tmp_path / "inline.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})  # inline strings
    wb.add_worksheet("ცარიელი").hide()
    ws = wb.add_worksheet("სია")
    ws.activate()
    bold = wb.add_format({"bold": True})
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    hour = wb.add_format({"num_format": "hh:mm"})
    ws.write_row(0, 0, ["პირადი ნომერი", "სახელი", "გვარი", "დაბადების თარიღი", "შენიშვნა"])
    ws.write_string(1, 0, "01001012345")
    ws.write_rich_string(1, 1, bold, "ნი", "ნო")
    ws.write_string(1, 2, "A & B <C>")
    ws.write_datetime(1, 3, dt.datetime(1990, 5, 1, 13, 30), when)
    ws.write_boolean(1, 4, True)
    ws.write_number(2, 0, 1001012346)
    ws.write_datetime(2, 4, dt.datetime(1899, 12, 31, 8, 15), hour)
    wb.close()
    _table, rows = _same(path, monkeypatch)
    assert rows[0][1][1:3] == ("ნინო", "A & B <C>")


def test_a_streamed_import_plans_every_row_as_the_whole_read_does(app, tmp_path, monkeypatch):
    path = build.messy_xlsx(tmp_path / "სია.xlsx")
    monkeypatch.setattr(R, "STREAM_ROWS", 10**9)
    monkeypatch.setattr(R, "STREAM_BYTES", 10**12)
    whole = app.sheet_import.dry_run(path)
    monkeypatch.setattr(R, "STREAM_ROWS", -1)
    streamed = app.sheet_import.dry_run(path)
    assert [(r.row, r.outcome, r.reason("en")) for r in streamed.rows] == [
        (r.row, r.outcome, r.reason("en")) for r in whole.rows]


@pytest.mark.parametrize("content", [b"PK\x03\x04garbage", b""])
def test_a_broken_workbook_is_refused_the_same_way(tmp_path, monkeypatch, content):
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    monkeypatch.setattr(R, "STREAM_ROWS", -1)
    with pytest.raises(R.ValidationError) as exc:
        R.open_table(path, None, columns.header_score)
    assert "list.xlsx" in exc.value.errors[0].message("en")


def _forged(path, sheet_xml: str):
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet '
                   'name="s" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet_xml}"
                   "</sheetData></worksheet>")
    return path


@pytest.mark.parametrize("rows", [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>სახელი</t></is></c></row>'
    '<row r="1000000000"/>',                                  # past the last row there is
    '<row r="5"><c r="A5" t="inlineStr"><is><t>სახელი</t></is></c></row><row r="2"/>',
    '<row r="1"><c r="A1" s="x"><v>1</v></c></row>',          # a style that is no number
])
def test_a_forged_sheet_is_refused_not_a_crash(tmp_path, monkeypatch, rows):
    from migdesk.sheets import xlsx

    path = _forged(tmp_path / "forged.xlsx", rows)
    book = xlsx.Workbook(path)
    try:
        with pytest.raises(xlsx.BrokenWorkbook):
            list(book.rows(book.sheets[0]))
    finally:
        book.close()


def test_a_long_gap_between_rows_costs_no_memory(tmp_path):
    from migdesk.sheets import xlsx

    path = _forged(tmp_path / "gap.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>'
                   '<row r="1048576"><c r="A1048576"><v>2</v></c></row>')
    book = xlsx.Workbook(path)
    try:
        rows = book.rows(book.sheets[0])
        assert next(rows) == (1, [1.0])
        assert next(rows) == (2, [])  # the gap comes out lazily, a row at a time
    finally:
        book.close()
