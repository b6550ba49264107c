"""`migdesk candidate import`: dry run, import, the error file, a mapping, refusals."""

from __future__ import annotations

import json

import openpyxl
import pytest

from migdesk.cli import main
from tests.helpers import dump
from tests.sheets import build


@pytest.fixture
def cli(db_path, capsys):
    assert main(["--db", str(db_path), "init", "--admin", "tester"]) == 0
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_dry_run_then_import_with_an_error_file(cli, tmp_path, db_path):
    messy = build.messy_xlsx(tmp_path / "სია.xlsx")
    before = dump(db_path)
    code, out, err = cli("--lang", "en", "candidate", "import", str(messy), "--dry-run")
    assert code == 1 and dump(db_path) == before
    assert "Dry run, nothing written: new 5, updated 0, unchanged 0, skipped 0, duplicates " \
           "suspected 1, errors 4" in out
    assert "Hidden columns are read too: შიდა კოდი" in err
    errors = tmp_path / "errors.xlsx"
    code, out, _err = cli("--lang", "ka", "candidate", "import", str(messy), "--errors",
                          str(errors))
    assert code == 1
    assert "შემოტანილია: ახალი 5" in out and str(errors) in out
    rows = list(openpyxl.load_workbook(errors).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 5
    code, out, _err = cli("--lang", "en", "candidate", "import", str(messy), "--format",
                          "json")
    data = json.loads(out)
    assert data["imported"] and data["counts"]["skip"] == 5
    assert {r["row"]: r["outcome"] for r in data["rows"]}[5] == "skip"
    code, out, _err = cli("--lang", "en", "candidate", "import", str(messy),
                          "--on-existing", "update", "--format", "json")
    assert json.loads(out)["counts"]["unchanged"] == 5


def test_mapping_written_edited_and_used(cli, tmp_path):
    path = build.csv_file(tmp_path / "a.csv", rows=[
        ["კოდი", "ს", "გ", "დ"], ["12345678901", "ნინო", "კაპანაძე", "01.05.1990"]])
    code, _out, err = cli("--lang", "en", "candidate", "import", str(path), "--dry-run")
    assert code == 2 and "No column is mapped to “Personal number”" in err
    mapping = tmp_path / "map.json"
    assert cli("candidate", "import", str(path), "--write-mapping", str(mapping))[0] == 0
    mapping.write_text(json.dumps({"columns": {"personal_number": "კოდი",
                                               "first_name_ka": "ს", "last_name_ka": "გ",
                                               "birth_date": "დ"}}), encoding="utf-8")
    code, out, _err = cli("--lang", "en", "candidate", "import", str(path), "--mapping",
                          str(mapping))
    assert code == 0 and "Imported: new 1" in out
    # Remembered for this layout: the next file kept the same way maps itself.
    again = build.csv_file(tmp_path / "b.csv", rows=[
        ["კოდი", "ს", "გ", "დ"], ["12345678902", "ანა", "ბერიძე", "02.06.1991"]])
    code, out, _err = cli("--lang", "en", "candidate", "import", str(again))
    assert code == 0 and "Imported: new 1" in out


def test_refused_file_one_bilingual_line(cli, tmp_path, db_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"this is not a workbook")
    before = dump(db_path)
    code, out, err = cli("--lang", "ka", "candidate", "import", str(path))
    assert code == 2 and not out and "Traceback" not in err
    assert "„list.xlsx“ არ არის ცხრილი" in err and "“list.xlsx” is not a spreadsheet" in err
    assert len(err.strip().splitlines()) == 1
    assert dump(db_path) == before
