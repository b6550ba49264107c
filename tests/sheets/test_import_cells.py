"""The spreadsheet quirks cells.py understands, and what it reports (naming the column)."""

from __future__ import annotations

import datetime as dt

import pytest

from migdesk.sheets import cells as C
from migdesk.sheets import columns
from migdesk.sheets.read import detect_encoding


@pytest.mark.parametrize("raw,expected", [
    (1001012345, "01001012345"), (1001012345.0, "01001012345"), ("1001012345", "01001012345"),
    ("1.2345678901E+10", "12345678901"), ("1,2345678901E+10", "12345678901"),
    ("12345678901.0", "12345678901"), ("123 456 789 01", "12345678901"),
    ("123-456-78901", "12345678901"), ("\u00a012345678901 ", "12345678901"),
    (12345678901, "12345678901"), ("1.001012345E+09", "01001012345"),
])
def test_personal_numbers_excel_mangled(raw, expected):
    assert C.personal_number(raw, "PN", C.Cells()) == expected


def test_a_rounded_personal_number_is_refused_not_guessed():
    out = C.Cells()
    assert C.personal_number("1.23457E+10", "პ/ნ", out) is None
    (e,) = out.errors
    assert e.field == "პ/ნ" and "lost digits" in e.message("en")


@pytest.mark.parametrize("raw,expected", [
    ("01.05.1990", dt.date(1990, 5, 1)), ("1.5.1990", dt.date(1990, 5, 1)),
    ("01/05/1990", dt.date(1990, 5, 1)), ("1990-05-01", dt.date(1990, 5, 1)),
    (dt.datetime(1990, 5, 1), dt.date(1990, 5, 1)), (dt.date(1990, 5, 1), dt.date(1990, 5, 1)),
    (32994, dt.date(1990, 5, 1)), (32994.0, dt.date(1990, 5, 1)), ("32994", dt.date(1990, 5, 1)),
    ("1990-05-01 00:00:00", dt.date(1990, 5, 1)),
])
def test_dates_in_every_form_a_desk_types(raw, expected):
    out = C.Cells()
    assert C.date(raw, "დაბ.", out) == expected and not out.errors


@pytest.mark.parametrize("raw,message", [
    ("05/25/1990", "puts the month first"), ("31.02.1990", "not a day of the calendar"),
    ("next year", "is not a date"),
])
def test_bad_dates_reported_for_the_column(raw, message):
    out = C.Cells()
    assert C.date(raw, "დაბ.", out) is None
    (e,) = out.errors
    assert e.field == "დაბ." and message in e.message("en") and e.message("ka") != e.message("en")


def test_names_spaces_mtavruli_latin_and_full_names():
    out = C.Cells()
    assert C.georgian_name("\u00a0 ᲜᲘᲜᲝ  \u00a0", "სახელი", out) == "ნინო"
    assert C.georgian_name("Nino", "სახელი", out) is None
    assert "not romanised back" in out.errors[0].message("en")
    assert C.split_full_name("ნინო კაპანაძე", "სრ", out, False) == ("ნინო", "კაპანაძე")
    assert C.split_full_name("კაპანაძე ნინო", "სრ", out, True) == ("ნინო", "კაპანაძე")
    assert C.split_full_name("კაპანაძე, ნინო", "სრ", out, False) == ("ნინო", "კაპანაძე")


def test_occupations_languages_regions_sex():
    out = C.Cells()
    assert C.occupations("7212; Cooks: 4", "O", out, None, "Y") == [("7212", 0), ("5120", 4)]
    assert C.occupations("მზარეულები", "O", out, 6, "Y") == [("5120", "6")]
    assert C.occupations("7212.0", "O", out, None, "Y") == [("7212", 0)]
    assert C.languages("en:B2; Russian C1, გერმანული - A2, fr (B1)", "L", out) == \
        [("en", "B2"), ("ru", "C1"), ("de", "A2"), ("fr", "B1")]
    assert [C.region(x, "R", out) for x in ("Imereti", "იმერეთი", "GE-im", "ქ. თბილისი",
                                            "Adjara AR", "აჭარა", "Samegrelo")] == \
        ["GE-IM", "GE-IM", "GE-IM", "GE-TB", "GE-AJ", "GE-AJ", "GE-SZ"]
    assert [C.sex(x, "S", out) for x in ("ქ", "კაცი", "F", "male", "ж", "მდ.", "მამრ.")] == \
        ["f", "m", "f", "m", "f", "f", "m"]  # the last two as a desk abbreviated them
    assert not out.errors
    C.occupations("Workers", "O", out, None, "Y")
    C.languages("Klingon B2", "L", out)
    assert [e.field for e in out.errors] == ["O", "L"]
    assert "fits several occupations" in out.errors[0].message("en")


def test_headers_in_georgian_english_and_mtavruli():
    assert columns.guess_mapping(["ᲞᲘᲠᲐᲓᲘ ᲜᲝᲛᲔᲠᲘ", "Full name", "DOB", "Passport No.",
                                  "Passport expiry", "E-mail", "მობილური"]) == {
        "personal_number": "ᲞᲘᲠᲐᲓᲘ ᲜᲝᲛᲔᲠᲘ", "full_name_ka": "Full name", "birth_date": "DOB",
        "passport_number": "Passport No.", "passport_expiry": "Passport expiry",
        "email": "E-mail", "phone": "მობილური"}


@pytest.mark.parametrize("head,encoding", [
    (b"\xef\xbb\xbfa;b", "utf-8-sig"), (b"\xff\xfea\x00", "utf-16"),
    ("პ/ნ,სახელი".encode(), "utf-8"), ("a\tb".encode("utf-16-le"), "utf-16-le"),
    ("Фамилия;Имя".encode("cp1251"), "cp1251"),
])
def test_encodings_told_apart(head, encoding):
    assert detect_encoding(head) == encoding
