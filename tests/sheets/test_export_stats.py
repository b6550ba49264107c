"""`migdesk stats`: the analysts' workbook checked against the demo's known facts (the memo:
42 citizens employed in Poland under the IOM pilot, its six demanded occupations)."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest

from migdesk.cli import main
from migdesk.services.app import PermissionDenied
from migdesk.services.demo import load_demo
from migdesk.services.sheet_export import SheetExportService
from tests.conftest import TODAY
from tests.helpers import as_role

SHEETS_KA = ["პარტნიორი სახელმწიფოები", "პროგრამები", "ISCO ძირითადი ჯგუფები",
             "ISCO ელემენტარული ჯგუფები", "რეგიონები", "სქესი და ასაკი", "თვეების მიხედვით",
             "სახელმწიფოები თვეების მიხედვით", "პროგრამები თვეების მიხედვით",
             "პროფესიები თვეების მიხედვით", "დასაქმების პროფესიები თვეებით",
             "რეგიონები თვეების მიხედვით", "სქესი თვეების მიხედვით", "ასაკი თვეების მიხედვით",
             "სტატუსების ცვლა", "სტატუსების ცვლის ცხრილი", "მოთხოვნა და კვოტა"]


@pytest.fixture
def demo(app):
    load_demo(app, candidates=300, seed=7)
    return app


def table(ws) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The data rows under the header (row 6)."""
    return [r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] is not None]


def workbook(app, tmp_path, **kw):  # type: ignore[no-untyped-def]
    out = tmp_path / "stats.xlsx"
    result = SheetExportService(app).statistics(out, **kw)
    assert result.rows == len(SHEETS_KA)
    return openpyxl.load_workbook(out)


def test_sheets_titles_and_charts(demo, tmp_path):
    wb = workbook(demo, tmp_path)
    assert wb.sheetnames == SHEETS_KA
    for ws in wb:
        assert ws["A1"].value and ws["A1"].font.b
        assert ws["A2"].value == "პერიოდი: დასაწყისიდან — 2026-11-24"
        assert ws["A3"].value == f"სამუშაო ადგილი: {demo.desk.name}"
        assert ws["A4"].value == "შედგენის თარიღი: 2026-11-24"
        assert ws.freeze_panes == "A7"
    assert wb["პარტნიორი სახელმწიფოები"]["A1"].value == (
        "კანდიდატები და დასაქმება პარტნიორი სახელმწიფოების მიხედვით")
    charted = [ws.title for ws in wb if ws._charts]
    assert "პარტნიორი სახელმწიფოები" in charted and "თვეების მიხედვით" in charted
    assert "მოთხოვნა და კვოტა" in charted and len(charted) >= 6


def test_values_match_the_memo_and_the_database(demo, tmp_path, db_path):
    # The demo's histories are dated before the tests' TODAY; a departed candidate's work
    # starts after it, so is not counted yet.
    con = sqlite3.connect(db_path)
    live = con.execute("SELECT count(*) FROM candidate WHERE deleted = 0").fetchone()[0]
    moves = dict(((a, b), n) for a, b, n in con.execute(
        "SELECT from_status, to_status, count(*) FROM status_change GROUP BY 1, 2"))
    occupied = con.execute("SELECT count(DISTINCT candidate_id) FROM candidate_occupation "
                           "WHERE isco_code LIKE '7%'").fetchone()[0]
    applied = con.execute("SELECT count(DISTINCT candidate_id) FROM application").fetchone()[0]
    placed_by = dict(con.execute("SELECT isco_code, count(*) FROM placement "
                                 "WHERE start_date <= ? GROUP BY 1", (TODAY.isoformat(),)))
    in_2019 = con.execute("SELECT count(*) FROM placement WHERE start_date LIKE '2019%'"
                          ).fetchone()[0]
    con.close()
    placed = sum(placed_by.values())
    assert in_2019 == 42 and placed > 42 and applied > placed  # the memo: 42, then more

    wb = workbook(demo, tmp_path, end=TODAY)
    states = {r[1]: r for r in table(wb["პარტნიორი სახელმწიფოები"])}
    assert states["PL"][0] == "პოლონეთი" and states["PL"][2:] == (applied, placed)
    assert states["FR"][3] == 0 and "BG" in states
    [pilot] = table(wb["პროგრამები"])
    assert pilot[0] == "PL-IOM-PILOT" and pilot[3:] == (applied, placed)
    demand = table(wb["მოთხოვნა და კვოტა"])
    assert sorted((r[1], r[3], r[5]) for r in demand) == [
        ("5120", 10, placed_by["5120"]), ("7115", 10, placed_by["7115"]),
        ("7212", 15, placed_by["7212"]), ("7411", 8, placed_by["7411"]),
        ("8332", 12, placed_by["8332"]), ("9211", 30, placed_by["9211"])]
    welders = next(r for r in demand if r[1] == "7212")
    assert welders[2] == "შემდუღებლები და აირით მჭრელები"
    assert welders[6] == pytest.approx(placed_by["7212"] / 15)
    fill_cell = next(c for c in wb["მოთხოვნა და კვოტა"]["G"] if c.row > 6)
    assert fill_cell.number_format == "0%"

    assert live == 342
    assert sum(r[1] for r in table(wb["რეგიონები"])) == live
    assert sum(r[2] for r in table(wb["რეგიონები"])) == placed
    age = table(wb["სქესი და ასაკი"])
    assert sum(r[4] for r in age) == live and sum(r[5] for r in age) == placed
    assert all(r[1] + r[2] + r[3] == r[4] for r in age)
    month = table(wb["თვეების მიხედვით"])
    assert sum(r[1] for r in month) == live and sum(r[2] for r in month) == placed
    assert all(len(r[0]) == 7 for r in month)  # YYYY-MM
    flow = {(a, b): n for a, b, n in table(wb["სტატუსების ცვლა"])}
    assert flow[("(ახლად დარეგისტრირებული)", "რეგისტრირებული")] == moves[(None, "registered")]
    assert flow[("გამგზავრებული", "დასაქმებული")] == moves[("departed", "employed")]
    assert sum(flow.values()) == sum(moves.values())
    major = {r[0]: r for r in table(wb["ISCO ძირითადი ჯგუფები"])}
    assert major["7"][2] == occupied and major["7"][1] == (
        "ხელოსნები და მონათესავე პროფესიების მუშაკები")
    assert sum(r[3] for r in major.values()) == placed
    units = {r[0]: r for r in table(wb["ISCO ელემენტარული ჯგუფები"])}
    assert units["7212"][3] == placed_by["7212"]

    # Each dimension per month: a month a row, a column a value, the total last.
    for sheet, total in (("სახელმწიფოები თვეების მიხედვით", placed),
                         ("პროგრამები თვეების მიხედვით", placed),
                         ("დასაქმების პროფესიები თვეებით", placed),
                         ("რეგიონები თვეების მიხედვით", live),
                         ("სქესი თვეების მიხედვით", live), ("ასაკი თვეების მიხედვით", live)):
        rows = table(wb[sheet])
        assert all(len(r[0]) == 7 and sum(r[1:-1]) == r[-1] for r in rows), sheet
        assert sum(r[-1] for r in rows) == total, sheet
        assert wb[sheet]._charts, sheet
    head = [c.value for c in wb["სახელმწიფოები თვეების მიხედვით"][6]]
    assert head[0] == "თვე" and head[1] == "პოლონეთი" and head[-1].startswith("დასაქმება")
    per_sex = [c.value for c in wb["სქესი თვეების მიხედვით"][6]]
    assert "მდედრობითი" in per_sex and "მამრობითი" in per_sex
    occupations = table(wb["პროფესიები თვეების მიხედვით"])
    seven = [c.value for c in wb["პროფესიები თვეების მიხედვით"][6]].index(
        "7 ხელოსნები და მონათესავე პროფესიების მუშაკები")
    assert sum(r[seven] for r in occupations) == occupied
    grid = wb["სტატუსების ცვლის ცხრილი"]
    cols = [c.value for c in grid[6]]
    by_row = {r[0]: r for r in table(grid)}
    assert by_row["გამგზავრებული"][cols.index("დასაქმებული")] == moves[("departed", "employed")]
    assert sum(r[-1] for r in by_row.values()) == sum(moves.values())


def test_a_period_counts_only_what_happened_in_it(demo, tmp_path):
    import datetime as dt

    wb = workbook(demo, tmp_path, start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    assert wb["რეგიონები"]["A2"].value == "პერიოდი: 2019-01-01 — 2019-12-31"
    states = {r[1]: r for r in table(wb["პარტნიორი სახელმწიფოები"])}
    assert states["PL"][2:] == (0, 42)  # applied in 2018, employed from March 2019
    assert {r[0] for r in table(wb["თვეების მიხედვით"])} <= {f"2019-{m:02d}"
                                                             for m in range(1, 13)}
    assert not any(r[1] for r in table(wb["რეგიონები"]))  # nobody registered in 2019


def test_english_workbook(demo, tmp_path):
    wb = workbook(demo, tmp_path, lang="en")
    assert wb.sheetnames[0] == "Partner states" and wb.sheetnames[-1] == "Demand and quota"
    assert wb["Status flow"]["A2"].value == "Period: the beginning — 2026-11-24"


def test_cli_stats_and_its_refusals(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "init", "--admin", "tester"]) == 0
    out = tmp_path / "s.xlsx"
    assert main(["--db", str(db_path), "stats", "-o", str(out), "--to", "2026-11-30"]) == 0
    assert f"({len(SHEETS_KA)} ფურცელი)" in capsys.readouterr().err
    assert openpyxl.load_workbook(out).sheetnames == SHEETS_KA
    for args, ka, en in (
            (["--from", "2026-12-01", "--to", "2026-11-01"], "პერიოდის დასაწყისი",
             "The period starts after it ends"),
            (["--from", "1.12.2026"], "წწწწ-თთ-დდ", "is not a date as YYYY-MM-DD")):
        code = main(["--db", str(db_path), "stats", "-o", str(tmp_path / "x.xlsx"), *args])
        err = capsys.readouterr().err
        assert code != 0 and ka in err and en in err and "Traceback" not in err
    code = main(["--db", str(db_path), "stats", "-o", str(tmp_path / "x.csv")])
    assert code != 0 and ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_an_officer_may_not_export_statistics(app, tmp_path):
    as_role(app, "officer")
    with pytest.raises(PermissionDenied):
        SheetExportService(app).statistics(tmp_path / "s.xlsx")
    assert not (tmp_path / "s.xlsx").exists()


def test_one_audit_entry_per_workbook(demo, tmp_path):
    import json

    workbook(demo, tmp_path)
    [entry] = [e for e in demo.audit.entries(action="export") if e.entity == "statistics"]
    detail = json.loads(entry.detail)
    assert detail["sheets"] == len(SHEETS_KA) and detail["file"] == "stats.xlsx"
    assert detail["to"] == TODAY.isoformat()
