"""`candidate list -o FILE`: every matching row to XLSX (typed cells), CSV (BOM) or JSON,
written owner-only and atomically, one audit entry, refused for an officer and a bad path."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat

import openpyxl
import pytest

from migdesk.cli import main
from migdesk.domain.roles import Permission
from migdesk.services import Migdesk
from migdesk.services.app import PermissionDenied
from migdesk.services.sheet_export import SheetExportService
from migdesk.sheets.write import OutputRefused
from tests.conftest import TODAY
from tests.helpers import admin, as_role, person


@pytest.fixture
def desk(app):
    """Three candidates; one personal number starts with a zero."""
    app.candidates.register(person("01001012345", "ნინო", "კაპანაძე", "1990-05-01", sex="f",
                                   region="GE-IM", passport_number="13AB12345",
                                   passport_expiry="2031-01-01"))
    app.candidates.register(person("12345678901", "გიორგი", "ბერიძე", "1985-12-31", sex="m",
                                   region="GE-TB"))
    app.candidates.register(person("00987654321", "მარიამ", "აბაშიძე", "2000-02-29",
                                   region="GE-TB"))
    return app


def exports(app):
    return [e for e in app.audit.entries(action="export") if e.entity == "spreadsheet"]


def test_xlsx_has_typed_cells_a_frozen_header_and_an_autofilter(desk, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "list.xlsx"
    result = SheetExportService(desk).candidates(out)
    assert result.rows == 3 and result.format == "xlsx"
    ws = openpyxl.load_workbook(out).active
    assert ws.title == "კანდიდატები"
    header = [c.value for c in ws[1]]
    assert header[:3] == ["პირადი ნომერი", "გვარი", "სახელი"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L4"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    nino = rows["01001012345"]  # the leading zero kept: a string cell, not a number
    assert nino[0].data_type == "s"
    assert nino[5].is_date and nino[5].value == dt.datetime(1990, 5, 1)
    assert nino[6].value == 36 and isinstance(nino[6].value, int)  # age on TODAY
    assert nino[7].value == "მდედრობითი" and nino[8].value == "იმერეთი"
    assert nino[9].value == "რეგისტრირებული"
    assert nino[10].is_date and nino[10].value.date() == dt.date(2031, 1, 1)
    assert rows["00987654321"][10].value is None
    # column widths fit: the personal-number column is wider than the default
    assert ws.column_dimensions["A"].width >= 11
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["list.xlsx"]  # no scratch left
    [entry] = exports(desk)
    detail = json.loads(entry.detail)
    assert detail["rows"] == 3 and detail["format"] == "xlsx" and detail["file"] == "list.xlsx"


def test_english_headers_and_filters(desk, tmp_path):
    out = tmp_path / "tb.xlsx"
    SheetExportService(desk).candidates(out, filters={"region": "GE-TB"}, lang="en")
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]][:2] == ["Personal number", "Last name"]
    assert sorted(r[0] for r in ws.iter_rows(min_row=2, values_only=True)) == [
        "00987654321", "12345678901"]
    assert {r[8] for r in ws.iter_rows(min_row=2, values_only=True)} == {"Tbilisi"}


def test_csv_round_trip_with_a_byte_order_mark(desk, tmp_path):
    out = tmp_path / "list.csv"
    SheetExportService(desk).candidates(out, columns=["personal_number", "last_name_ka",
                                                      "birth_date", "status"])
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8 (Georgian intact)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["პირადი ნომერი", "გვარი", "დაბადების თარიღი", "სტატუსი"]
    assert ["01001012345", "კაპანაძე", "1990-05-01", "რეგისტრირებული"] in rows[1:]
    assert len(rows) == 4


def test_json_has_stable_keys_and_codes(desk, tmp_path):
    out = tmp_path / "list.json"
    SheetExportService(desk).candidates(out, query="კაპ")
    [one] = json.loads(out.read_text(encoding="utf-8"))
    assert one["personal_number"] == "01001012345" and one["region"] == "GE-IM"
    assert one["status"] == "registered" and one["sex"] == "f"
    assert one["birth_date"] == "1990-05-01" and one["age"] == 36


def test_more_than_ten_thousand_rows_are_exported_whole(app, tmp_path):
    from benchmarks.bench_sheets_out import fill

    fill(app, 12_345)
    for name in ("all.xlsx", "all.csv"):
        result = SheetExportService(app).candidates(tmp_path / name)
        assert result.rows == 12_345
    with open(tmp_path / "all.xlsx", "rb") as fh:
        ws = openpyxl.load_workbook(fh, read_only=True).active
        assert sum(1 for _ in ws.iter_rows(min_row=2, values_only=True)) == 12_345
    with open(tmp_path / "all.csv", encoding="utf-8-sig", newline="") as fh:
        numbers = [r[0] for r in csv.reader(fh)][1:]
    assert len(numbers) == len(set(numbers)) == 12_345  # no page repeated or skipped
    # the same order as the list on the screen, across the page boundary too
    listed = app.candidates.search("", limit=10_000)
    following = app.candidates.search("", limit=10_000, cursor=listed.next_cursor)
    assert numbers == [c.personal_number for c in listed.items + following.items]


def test_the_export_reads_the_service_s_summary_columns():
    from migdesk.services.candidates import SUMMARY_COLUMNS
    from migdesk.services.sheet_export import _SUMMARY_KEYS

    assert tuple(c.key for c in SUMMARY_COLUMNS) == _SUMMARY_KEYS


def test_cli_exports_every_row_beyond_the_screen_limit(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "init", "--admin", "tester"]) == 0
    app = admin(Migdesk.open(str(db_path), today=lambda: TODAY))
    from benchmarks.bench_sheets_out import fill

    fill(app, 10_050)
    app.close()
    capsys.readouterr()
    out = tmp_path / "all.csv"
    code = main(["--db", str(db_path), "candidate", "list", "--limit", "5", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "10050" in err
    with out.open(encoding="utf-8-sig") as fh:
        assert sum(1 for _ in fh) == 10_051
    code = main(["--db", str(db_path), "--lang", "en", "candidate", "list", "--format", "xlsx",
                 "-o", str(tmp_path / "x.data"), "--status", "registered"])
    assert code == 0
    registered = 10_050 - len(range(0, 10_050, 20))  # fill() employs one in twenty
    with open(tmp_path / "x.data", "rb") as fh:
        ws = openpyxl.load_workbook(fh, read_only=True).active
        assert sum(1 for _ in ws.iter_rows(min_row=2, values_only=True)) == registered
    # the screen keeps its cap
    code = main(["--db", str(db_path), "candidate", "list", "--limit", "20000"])
    assert code != 0


def test_an_officer_may_not_export(desk, tmp_path):
    as_role(desk, "officer")
    with pytest.raises(PermissionDenied) as exc:
        SheetExportService(desk).candidates(tmp_path / "x.xlsx")
    assert exc.value.message("en").startswith("Your role (officer) may not export")
    assert "ოფიცერი" in exc.value.message("ka") or exc.value.message("ka") != \
        exc.value.message("en")
    assert not (tmp_path / "x.xlsx").exists()
    assert desk.may(Permission.VIEW)
    assert desk.candidates.search("").items  # the screen list stays open to an officer


@pytest.mark.parametrize("target", ["folder", "device", "missing", "suffix"])
def test_a_bad_output_path_is_refused_in_both_languages(desk, tmp_path, target):
    path = {"folder": tmp_path, "device": "/dev/null", "missing": tmp_path / "no" / "x.csv",
            "suffix": tmp_path / "x.txt"}[target]
    with pytest.raises(OutputRefused) as exc:
        SheetExportService(desk).candidates(path)
    ka, en = exc.value.message("ka"), exc.value.message("en")
    assert ka != en and any("\u10d0" <= ch <= "\u10ff" for ch in ka)
    assert {"folder": "is a folder", "device": "device or a pipe", "missing": "no folder",
            "suffix": "file format"}[target] in en
    assert not exports(desk)


def test_cli_refusals_are_one_bilingual_line(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "init", "--admin", "tester"]) == 0
    capsys.readouterr()
    code = main(["--db", str(db_path), "candidate", "list", "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 5
    assert "საქაღალდეა" in err and "is a folder, not a file" in err
    assert "Traceback" not in err
    code = main(["--db", str(db_path), "candidate", "list", "--format", "xlsx"])
    err = capsys.readouterr().err
    assert code != 0 and "-o FILE" in err and "XLSX ფაილს" in err


def test_a_failed_export_leaves_the_previous_file(desk, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "list.csv"
    out.write_text("before")
    with pytest.raises(Exception):  # noqa: B017 - a bad filter, raised mid-way
        SheetExportService(desk).candidates(out, filters={"status": "happy"})
    assert out.read_text() == "before"
    assert [p.name for p in out.parent.iterdir()] == ["list.csv"]


def test_xlsx_writer_keeps_awkward_text_and_an_empty_list(tmp_path):
    from migdesk.sheets.write import DATE, NUMBER, Column, atomic_output, write_xlsx

    cols = [Column("a", "ტექსტი & <ნიშნები>"), Column("d", "თარიღი", DATE),
            Column("n", "რიცხვი", NUMBER)]
    out = tmp_path / "odd.xlsx"
    with atomic_output(out) as (fh, final):
        n = write_xlsx(fh, final.parent, "ფურცელი 'ა'", cols, [
            ["  ორი გამოტოვებით ", dt.date(1900, 3, 1), 1.5],
            ["a & b <c> \"d\"\x01\x0b", None, 0],
            [None, dt.date(2026, 11, 24), None]])
    assert n == 3
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "ტექსტი & <ნიშნები>"
    assert ws["A2"].value == "  ორი გამოტოვებით "  # spaces kept
    assert ws["B2"].value == dt.datetime(1900, 3, 1) and ws["C2"].value == 1.5
    assert ws["A3"].value == 'a & b <c> "d"'  # control characters XML cannot hold: dropped
    assert ws["C3"].value == 0 and ws["A4"].value is None
    assert ws["B4"].value == dt.datetime(2026, 11, 24)
    with atomic_output(tmp_path / "empty.xlsx") as (fh, final):
        assert write_xlsx(fh, final.parent, "x", cols, []) == 0
    empty = openpyxl.load_workbook(tmp_path / "empty.xlsx").active
    assert [c.value for c in empty[1]] == ["ტექსტი & <ნიშნები>", "თარიღი", "რიცხვი"]
    assert empty.max_row == 1 and empty.freeze_panes == "A2"


def test_a_cancelled_export_writes_nothing(app, tmp_path):
    from benchmarks.bench_sheets_out import fill
    from migdesk.services.sheet_export import ExportCancelled

    fill(app, 3_000)
    (tmp_path / "out").mkdir()
    seen = []
    with pytest.raises(ExportCancelled) as exc:
        SheetExportService(app).candidates(tmp_path / "out" / "x.xlsx",
                                           progress=lambda n: seen.append(n) or n < 2_000)
    assert seen == [1_000, 2_000]
    assert exc.value.message("ka") == "გაუქმდა; ფაილი არ ჩაწერილა"
    assert list((tmp_path / "out").iterdir()) == []
    assert not exports(app)
