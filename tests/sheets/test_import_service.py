"""Importing messy candidate lists: the outcome of every row, the error file, its corrected
re-import completing the set, cancel and refusal leaving the database as it was."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import openpyxl
import pytest

from migdesk.domain.errors import ValidationError
from migdesk.services.app import PermissionDenied
from migdesk.services.sheet_import import REASON_HEADER, ImportCancelled
from migdesk.sheets import columns
from tests.helpers import as_role, dump, person
from tests.sheets import build


def _registered(app) -> None:
    for pn, first, last, birth in build.REGISTERED:
        app.candidates.register(person(pn=pn, first=first, last=last, birth=birth))


def _outcomes(plan) -> dict[int, str]:
    return {r.row: r.outcome for r in plan.rows}


EXPECTED = {row: outcome for row, _c, outcome, _col in build.MESSY}


@pytest.fixture
def messy(tmp_path):
    return build.messy_xlsx(tmp_path / "სია.xlsx")


def test_guessed_mapping_of_georgian_headers(app, messy):
    mapping = app.sheet_import.guess_mapping(messy)
    assert mapping == {"personal_number": "პირადი ნომერი", "first_name_ka": "სახელი",
                       "last_name_ka": "გვარი", "birth_date": "დაბადების თარიღი",
                       "sex": "სქესი", "region": "რეგიონი", "occupations": "პროფესია",
                       "languages": "ენები", "phone": "ტელეფონი", "notes": "შენიშვნა"}


def test_dry_run_says_what_every_row_will_do_and_writes_nothing(app, messy, db_path):
    _registered(app)
    before = dump(db_path)
    plan = app.sheet_import.dry_run(messy)
    assert _outcomes(plan) == EXPECTED
    assert dump(db_path) == before
    assert plan.skipped_empty == 1 and plan.skipped_headers == 1
    notes = [n.bilingual() for n in plan.notes]
    assert any("Hidden columns are read too: შიდა კოდი" in n for n in notes)
    assert any("The header is row 4" in n and "სათაურების სტრიქონი არის 4-ე" in n
               for n in notes)
    by_row = {r.row: r for r in plan.rows}
    # Every reason names the column, in Georgian and English.
    for row, _cells, _outcome, column in build.MESSY:
        if column:
            assert by_row[row].reasons[0].field == column or column in (
                e.field for e in by_row[row].reasons), (row, by_row[row])
            text = by_row[row].bilingual()
            assert f"{column}: " in text and " / " in text
    r10 = by_row[10].bilingual()
    assert "“Levan” is in Latin letters" in r10 and "„Levan“ ლათინური ასოებითაა" in r10
    assert "გვარი: " in r10  # both name columns are named
    r11 = by_row[11].reason("en")
    assert "“2026-13-45” is not a day of the calendar" in r11
    assert "რეგიონი: “Mars” is not a region of Georgia" in r11
    assert "ენები: Give the CEFR level of “en”" in r11
    assert "პროფესია: “9999” is not an ISCO-08 code" in r11
    assert "The same personal number is in row 5" in by_row[13].reason("en")
    assert by_row[12].same_as_row == 6
    assert "row 6 of this file" in by_row[12].reason("en")
    assert "already registered" in by_row[15].reason("en")
    assert "puts the month first" in by_row[16].reason("en")
    assert "leading zero" in by_row[5].notes[0].message("en")
    assert plan.counts == {"new": 3, "update": 0, "unchanged": 0, "skip": 1,
                           "duplicate": 2, "error": 4}


def test_import_brings_in_the_valid_rows_with_their_values(app, messy, db_path):
    _registered(app)
    plan = app.sheet_import.import_(messy)
    assert plan.imported and _outcomes(plan) == EXPECTED
    nino = app.candidates.get("01001012345")
    assert (nino.first_name_ka, nino.last_name_ka, str(nino.birth_date)) == \
        ("ნინო", "კაპანაძე", "1990-05-01")
    assert nino.region == "GE-IM" and nino.phone == "599123456"
    assert [o.isco_code for o in nino.occupations] == ["7212"]
    assert sorted((x.language, x.level.upper()) for x in nino.languages) == \
        [("en", "B2"), ("ru", "C1")]
    assert nino.notes == "ჯგუფი 1"  # the formula's value
    giorgi = app.candidates.get("12345678901")
    assert giorgi.first_name_ka == "გიორგი"  # Mtavruli folded
    assert str(giorgi.birth_date) == "1985-03-02" and giorgi.region == "GE-TB"
    assert giorgi.phone == "+995599112233"
    assert [o.isco_code for o in giorgi.occupations] == ["7212"]
    ana = app.candidates.get("12345678902")
    assert ana.first_name_ka == "ანა" and ana.last_name_ka == "ლომიძე"
    assert str(ana.birth_date) == "1990-01-01" and ana.region == "GE-AJ"  # Excel serial
    assert [(o.isco_code, o.years) for o in ana.occupations] == [("7212", 3)]
    assert [(x.language, x.level.upper()) for x in ana.languages] == [("de", "A2")]
    assert app.candidates.count() == 2 + 3
    # Found by name in either script, journalled for the central store, the chain intact.
    assert [c.personal_number for c in app.candidates.search("კაპანაძე").items] == \
        ["01001012345"]
    assert [c.personal_number for c in app.candidates.search("KAPANADZE").items] == \
        ["01001012345"]
    assert app.audit.verify().ok
    con = sqlite3.connect(db_path)
    journalled = con.execute("SELECT count(*) FROM change_log WHERE entity='candidate' "
                             "AND op='create'").fetchone()[0]
    con.close()
    assert journalled == 2 + 3
    # One audit entry for the import: file, hash, counts.
    con = sqlite3.connect(db_path)
    rows = con.execute("SELECT officer, detail FROM audit_log WHERE action='import' "
                       "AND entity='spreadsheet'").fetchall()
    con.close()
    assert len(rows) == 1 and rows[0][0] == "tester"
    detail = json.loads(rows[0][1])
    assert detail["file"] == "სია.xlsx" and detail["sha256"] == plan.sha256
    assert (detail["new"], detail["error"], detail["duplicate"]) == (3, 4, 2)


def test_error_file_corrected_and_imported_again_completes_the_set(app, messy, tmp_path):
    _registered(app)
    errors = tmp_path / "შეცდომები.xlsx"
    app.sheet_import.import_(messy, errors_to=errors)
    ws = openpyxl.load_workbook(errors).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == [*build.HEADER, REASON_HEADER]
    pns = [r[1] for r in rows[1:]]
    assert pns == ["123-456-789 03", "12345678904", "12345678905", "01001012345",
                   "12345678908", "12345678909"]
    assert all(isinstance(p, str) for p in pns)  # text: the leading zero stays
    reasons = {r[1].replace("-", "").replace(" ", ""): r[-1] for r in rows[1:]}
    assert "სახელი: " in reasons["12345678903"] and "Latin letters" in reasons["12345678903"]
    assert "დაბადების თარიღი: " in reasons["12345678904"]
    # The officer corrects the rows in the error file.
    fixes = {"12345678903": {2: "ლევან", 3: "წიკლაური"},
             "12345678904": {4: "12.03.1994", 6: "იმერეთი", 7: "Cooks", 8: "en:B1"},
             "12345678909": {4: "25.05.1990"}}
    wb = openpyxl.Workbook()
    out = wb.active
    out.append(rows[0])
    for r in rows[1:]:
        if r[1] == "01001012345":
            continue  # a typing slip: the same person as row 5, left out
        for col, value in fixes.get(r[1].replace("-", "").replace(" ", ""), {}).items():
            r[col] = value
        out.append(r)
    corrected = tmp_path / "გასწორებული.xlsx"
    wb.save(corrected)
    plan = app.sheet_import.dry_run(corrected)
    assert [r.outcome for r in plan.rows] == ["new", "new", "duplicate", "duplicate", "new"]
    # The two suspected duplicates were checked and are other people: imported knowingly.
    plan = app.sheet_import.import_(corrected, import_duplicates=True)
    assert plan.counts["new"] == 5 and not plan.needs_correcting
    assert app.candidates.count() == 2 + 3 + 5
    assert app.candidates.get("12345678904").occupations[0].isco_code == "5120"


def test_a_cancelled_import_leaves_the_database_as_it_was(app, messy, db_path, monkeypatch):
    from migdesk.services import sheet_import

    _registered(app)
    before = dump(db_path)
    monkeypatch.setattr(sheet_import, "CHUNK", 3)
    seen = []
    with pytest.raises(ImportCancelled) as exc:
        app.sheet_import.import_(messy, progress=lambda done, total: seen.append(done),
                                 cancel=lambda: bool(seen))
    assert seen and "nothing was saved" in str(exc.value)
    assert "შემოტანა გაუქმდა" in str(exc.value)
    assert dump(db_path) == before


@pytest.mark.parametrize("name,content,message", [
    ("list.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
     "is not a spreadsheet migdesk can read"),
    ("list.csv", b"\x00\x01\x02garbage\x00" * 100, "binary data"),
    ("list.ods", b"PK\x03\x04not really a zip", "is not a spreadsheet migdesk can read"),
    ("list.csv", b"", "has no rows to import"),
    ("list.csv", "პ/ნ;სახელი\n".encode() + b"\xff\xfe\xfa\xc3\x28\n",
     "Cannot tell this file's text encoding"),
])
def test_a_refused_file_leaves_the_database_unchanged(app, tmp_path, db_path, name, content,
                                                      message):
    _registered(app)
    path = tmp_path / name
    path.write_bytes(content)
    before = dump(db_path)
    with pytest.raises(ValidationError) as exc:
        app.sheet_import.import_(path)
    text = str(exc.value)
    assert message in text and " / " in text
    assert text.split(" / ")[0] != text.split(" / ")[1]  # Georgian first, then English
    assert dump(db_path) == before


def test_a_word_document_is_refused(app, tmp_path):
    import zipfile

    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationError, match="XLSX, ODS or CSV"):
        app.sheet_import.dry_run(path)


def test_an_officer_may_not_import(app, messy, db_path):
    as_role(app, "officer")
    before = dump(db_path)
    with pytest.raises(PermissionDenied):
        app.sheet_import.dry_run(messy)
    with pytest.raises(PermissionDenied):
        app.sheet_import.import_(messy)
    assert dump(db_path) == before


def test_on_existing_update_and_keep_newer(app, messy):
    _registered(app)
    plan = app.sheet_import.dry_run(messy, on_existing="update")
    assert _outcomes(plan)[14] == "update"
    old = time.time() - 86400 * 30
    os.utime(messy, (old, old))  # the file was saved before the record last changed
    plan = app.sheet_import.dry_run(messy, on_existing="keep-newer")
    assert _outcomes(plan)[14] == "skip"
    assert "changed after the file was saved" in plan.rows[[r.row for r in plan.rows]
                                                          .index(14)].reason("en")
    new = time.time() + 3600
    os.utime(messy, (new, new))
    app.sheet_import.import_(messy, on_existing="keep-newer")
    eka = app.candidates.get("12345678906")
    assert eka.region == "GE-GU" and eka.first_name_ka == "ეკა"
    # Imported again: nothing differs any more.
    plan = app.sheet_import.dry_run(messy, on_existing="update")
    assert {r.row: r.outcome for r in plan.rows}[5] == "unchanged"


def test_mapping_remembered_for_the_layout(app, tmp_path):
    path = build.csv_file(tmp_path / "a.csv", rows=[
        ["A", "B", "C", "D"], ["12345678901", "ნინო", "კაპანაძე", "01.05.1990"]])
    with pytest.raises(ValidationError, match="No column is mapped"):
        app.sheet_import.dry_run(path)
    mapping = {"personal_number": "A", "first_name_ka": "B", "last_name_ka": "C",
               "birth_date": "D"}
    table = app.sheet_import.open(path)
    app.sheet_import.remember_mapping(table.header, mapping)
    assert app.sheet_import.guess_mapping(path) == mapping
    assert [r.outcome for r in app.sheet_import.dry_run(path).rows] == ["new"]
    saved = tmp_path / "map.json"
    columns.save(saved, mapping)
    assert columns.load(saved) == mapping


def test_preview_shows_rows_as_they_will_be_read(app, messy):
    rows = app.sheet_import.preview(messy, n=3)
    assert [r.row for r in rows] == [5, 6, 7]
    assert rows[0].values["personal_number"] == "01001012345"
    assert rows[0].values["birth_date"] == "1990-05-01"
    assert rows[1].values["first_name_ka"] == "გიორგი"
    assert rows[2].values["first_name_ka"] == "ანა"
    assert rows[2].values["occupations"] == "7212:3"


@pytest.mark.parametrize("variant", ["utf-8-sig;", "utf-8,", "utf-16 tab", "utf-8 tab"])
def test_text_files_give_the_same_outcomes(app, tmp_path, variant):
    _registered(app)
    if variant == "utf-16 tab":
        path = build.unicode_text(tmp_path / "list.txt")
    else:
        enc, sep = variant.split(" ") if " " in variant else (variant[:-1], variant[-1])
        path = build.csv_file(tmp_path / "list.csv", enc, "\t" if sep == "tab" else sep)
    plan = app.sheet_import.import_(path, errors_to=tmp_path / "errors.csv")
    assert _outcomes(plan) == EXPECTED
    assert app.candidates.get("01001012345").birth_date.isoformat() == "1990-05-01"
    with (tmp_path / "errors.csv").open(encoding="utf-8-sig") as fh:
        lines = fh.read().splitlines()
    assert len(lines) == 1 + 6 and lines[0].endswith(REASON_HEADER)


def test_windows_1251_with_russian_headers(app, tmp_path):
    rows = [["Личный номер", "Имя", "Фамилия", "Дата рождения", "Пол"],
            ["12345678901", "Нино", "Капанадзе", "01.05.1990", "ж"],
            ["12345678902", "ნინო", "კაპანაძე", "01.05.1991", "ж"]]
    path = tmp_path / "list.csv"
    body = "\r\n".join(";".join(r) for r in rows[:2]) + "\r\n"
    path.write_bytes(body.encode("cp1251"))
    table = app.sheet_import.open(path)
    assert table.encoding == "cp1251" and table.delimiter == ";"
    plan = app.sheet_import.dry_run(path)
    (row,) = plan.rows
    assert row.outcome == "error"
    assert "Имя: " in row.reason("en") and "Georgian letters" in row.reason("en")


def test_ods_with_a_hidden_column_and_real_dates(app, tmp_path):
    import datetime as dt

    path = build.ods_file(tmp_path / "list.ods",
                          ["Personal number", "First name", "Last name", "Date of birth",
                           "Region", "Occupation", "Languages"],
                          [["12345678901", "ნინო", "კაპანაძე", dt.date(1990, 5, 1),
                            "Kakheti", "Cooks", "English B2"],
                           [12345678902, "ანა", "ბერიძე", dt.date(1991, 6, 2), "კახეთი",
                            "5120", "fr:A1"]], hidden=(4,))
    assert [s.name for s in app.sheet_import.sheets(path)] == ["სია"]
    plan = app.sheet_import.import_(path)
    assert [r.outcome for r in plan.rows] == ["new", "new"]
    assert any("Region" in n.message("en") for n in plan.notes)  # the hidden column
    ana = app.candidates.get("12345678902")
    assert ana.region == "GE-KA" and ana.birth_date == dt.date(1991, 6, 2)
    assert app.candidates.get("12345678901").occupations[0].isco_code == "5120"


def test_full_name_in_one_column_last_name_first(app, tmp_path):
    path = build.csv_file(tmp_path / "a.csv", rows=[
        ["პ/ნ", "გვარი, სახელი", "დაბ. თარიღი"],
        ["12345678901", "კაპანაძე ნინო", "1990-05-01"],
        ["12345678902", "ბერიძე, გიორგი", "1985-03-02"],
        ["12345678903", "ნინო მარია კაპანაძე", "1990-05-01"]])
    plan = app.sheet_import.import_(path)
    assert [r.outcome for r in plan.rows] == ["new", "new", "error"]
    assert "give them in two columns" in plan.rows[2].reason("en")
    assert "გვარი, სახელი: " in plan.rows[2].reason("en")
    nino = app.candidates.get("12345678901")
    assert (nino.first_name_ka, nino.last_name_ka) == ("ნინო", "კაპანაძე")
    assert app.candidates.get("12345678902").first_name_ka == "გიორგი"


def test_the_error_file_is_owner_only(app, messy, tmp_path):
    """It holds the rows' personal data, as an export does."""
    import stat

    plan = app.sheet_import.dry_run(messy)
    for name in ("errors.xlsx", "errors.csv"):
        out = tmp_path / name
        assert app.sheet_import.write_errors(plan, out) == len(plan.needs_correcting)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_registry_twins_are_found_even_if_the_clock_went_back(app, messy, db_path):
    """The import leaves its own rows out of the registry lookups by their creation time;
    a record stamped later than now (the clock was set back since) must still be found."""
    _registered(app)
    con = sqlite3.connect(db_path)
    con.execute("UPDATE candidate SET created_at = '2099-01-01 00:00:00.000000'")
    con.commit()
    con.close()
    plan = app.sheet_import.import_(messy)
    assert _outcomes(plan) == EXPECTED  # the same duplicates and skips as on a right clock
