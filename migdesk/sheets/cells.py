"""Cells of a candidate list turned into what the form takes (CandidateInput).

Only the spreadsheet's own quirks are handled here — numbers Excel made of personal numbers,
date serials and day-first dates, non-breaking spaces, Mtavruli capitals, a full name in one
cell, occupations and languages by name. Every rule about the values themselves stays the
form's (services.validation.check_candidate). Each problem names the sheet's column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from migdesk.domain import isco, places
from migdesk.domain.errors import FieldError
from migdesk.domain.names import to_mkhedruli
from migdesk.i18n import N_
from migdesk.sheets.read import Value

EXCEL_EPOCH = dt.date(1899, 12, 30)
_GEORGIAN = re.compile(r"[\u10D0-\u10FA\u1C90-\u1CBF]")
_LATIN = re.compile(r"[A-Za-z]")
_DMY = re.compile(r"^([0-9]{1,2})[./\-]([0-9]{1,2})[./\-]([0-9]{4})(?:\s+[0-9:]+)?$")
_YMD = re.compile(r"^([0-9]{4})[-./]([0-9]{1,2})[-./]([0-9]{1,2})(?:[ T][0-9:.]+)?$")


@dataclass
class Cells:
    """One row read: the values for the form, and the problems/corrections by column."""

    values: dict[str, object] = field(default_factory=dict)
    occupations: list[tuple[str, int | str]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    notes: list[FieldError] = field(default_factory=list)

    def error(self, column: str, msgid: str, **params: object) -> None:
        self.errors.append(FieldError(column, msgid, params))

    def note(self, column: str, msgid: str, **params: object) -> None:
        self.notes.append(FieldError(column, msgid, params))


def text(v: Value) -> str | None:
    """A cell as text: NBSP and runs of spaces made one space, Mtavruli folded; None if empty."""
    if v is None:
        return None
    if isinstance(v, bool):
        s = "1" if v else "0"
    elif isinstance(v, float) and v.is_integer():
        s = str(int(v))
    elif isinstance(v, dt.datetime):
        s = v.date().isoformat() if v.time() == dt.time() else v.isoformat(" ")
    else:
        s = str(v)
    s = " ".join(to_mkhedruli(unicodedata.normalize("NFC", s)).replace("\u00a0", " ")
                 .replace("\u200b", "").split())
    return s or None


# -- personal numbers -----------------------------------------------------------------------
def personal_number(v: Value, column: str, out: Cells) -> str | None:
    if v is None:
        return None
    restored = False
    if isinstance(v, bool):
        s = str(v)
    elif isinstance(v, int):
        s = str(v)
    elif isinstance(v, float):
        s = str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    else:
        s = re.sub(r"[\s\u00a0]+", "", str(v))
        if re.fullmatch(r"[0-9]+[.,]0+", s):
            s = re.split(r"[.,]", s)[0]
        elif m := re.fullmatch(r"([0-9])(?:[.,]([0-9]+))?[eE]\+?([0-9]{1,2})", s):
            digits = 1 + len(m.group(2) or "")
            if digits < int(m.group(3)) + 1:
                # 1.23457E+10: the spreadsheet showed it rounded; the digits are gone.
                out.error(column, N_("“{value}” lost digits when the spreadsheet wrote it as "
                                     "a number: type the personal number as text"), value=s)
                return None
            try:
                d = Decimal(s.replace(",", "."))
                if d == d.to_integral_value():
                    s = str(int(d))
            except InvalidOperation:
                pass
        else:
            s = re.sub(r"(?<=[0-9])[\-–—./]+(?=[0-9])", "", s)
    if s.isascii() and s.isdigit() and len(s) == 10:
        s, restored = "0" + s, True
    if restored:
        out.note(column, N_("The leading zero the spreadsheet dropped was put back: {value}"),
                 value=s[:3] + "…")
    return s


# -- dates ----------------------------------------------------------------------------------
def date(v: Value, column: str, out: Cells) -> dt.date | str | None:
    """A real date, an Excel serial, DD.MM.YYYY, DD/MM/YYYY or YYYY-MM-DD."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool):
        return _serial(v, column, out)
    s = text(v)
    if s is None:
        return None
    if re.fullmatch(r"[0-9]{4,5}(?:\.[0-9]+)?", s) and 1 < float(s) < 2958466:
        return _serial(float(s), column, out)
    m = _DMY.match(s)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        if mo > 12 and d <= 12:
            out.error(column, N_("“{value}” puts the month first: write day.month.year"),
                      value=s)
            return None
        return _ymd(y, mo, d, s, column, out)
    m = _YMD.match(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return _ymd(y, mo, d, s, column, out)
    out.error(column, N_("“{value}” is not a date (write DD.MM.YYYY or YYYY-MM-DD)"), value=s)
    return None


def _ymd(y: int, mo: int, d: int, s: str, column: str, out: Cells) -> dt.date | None:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        out.error(column, N_("“{value}” is not a day of the calendar"), value=s)
        return None


def _serial(n: float, column: str, out: Cells) -> dt.date | None:
    if not 1 <= n < 2958466:
        out.error(column, N_("“{value}” is not a date (write DD.MM.YYYY or YYYY-MM-DD)"),
                  value=n)
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(n))


# -- names ----------------------------------------------------------------------------------
def georgian_name(v: Value, column: str, out: Cells) -> str | None:
    s = text(v)
    if s and _LATIN.search(s) and not _GEORGIAN.search(s):
        out.error(column, N_("“{value}” is in Latin letters: write the name in Georgian (it is "
                             "not romanised back)"), value=s)
        return None
    return s


def split_full_name(v: Value, column: str, out: Cells, last_first: bool
                    ) -> tuple[str | None, str | None]:
    """(first, last) from one cell: “First Last”, or “Last First”/“Last, First”."""
    s = georgian_name(v, column, out)
    if not s:
        return None, None
    if "," in s:
        last, _c, first = s.partition(",")
        return first.strip() or None, last.strip() or None
    parts = s.split(" ")
    if len(parts) != 2:
        out.error(column, N_("Cannot tell the first name from the surname in “{value}”: give "
                             "them in two columns"), value=s)
        return None, None
    return (parts[1], parts[0]) if last_first else (parts[0], parts[1])


# -- small vocabularies ---------------------------------------------------------------------
# Desks abbreviate the two words of the passport (მდედრობითი, მამრობითი) as they like:
# "მდ." and "მამრ." were seen in a list kept by hand.
_SEX = {"f": ("f", "female", "w", "woman", "ქ", "ქალი", "მდედრობითი", "მდედრ", "მდედ", "მდ",
              "ж", "жен", "женский"),
        "m": ("m", "male", "man", "კ", "კაცი", "მამრობითი", "მამრ", "მამ", "м", "муж",
              "мужской")}


def sex(v: Value, column: str, out: Cells) -> str | None:
    s = text(v)
    if s is None:
        return None
    k = s.casefold().rstrip(".")
    for key, words in _SEX.items():
        if k in words:
            return key
    out.error(column, N_("“{value}” is not a sex (ქ/კ, f/m)"), value=s)
    return None


def _fold_place(s: str) -> str:
    s = s.casefold().replace("ა/რ", "").replace(" ar", "").replace("ქ.", "")
    s = re.sub(r"\b(region|მხარე|city|ქალაქი)\b", "", s)
    return " ".join(s.replace("—", "-").split())


_REGION_ALIASES = {"აჭარა": "GE-AJ", "ajara": "GE-AJ", "აფხაზეთი": "GE-AB", "tbilisi city":
                   "GE-TB", "svaneti": "GE-SZ", "სვანეთი": "GE-SZ", "ჯავახეთი": "GE-SJ",
                   "javakheti": "GE-SJ", "ქართლი": "GE-SK", "kartli": "GE-SK"}


def region(v: Value, column: str, out: Cells) -> str | None:
    s = text(v)
    if s is None:
        return None
    if s.upper() in places.REGIONS:
        return s.upper()
    k = _fold_place(s)
    if k in _REGION_ALIASES:
        return _REGION_ALIASES[k]
    for code, (ka, en) in places.REGIONS.items():
        if k in (_fold_place(ka), _fold_place(en)):
            return code
    for code, (ka, en) in places.REGIONS.items():
        if len(k) >= 4 and (_fold_place(ka).startswith(k) or _fold_place(en).startswith(k)):
            return code
    out.error(column, N_("“{value}” is not a region of Georgia"), value=s)
    return None


# -- occupations ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    out: dict[str, str] = {}
    for o in isco.classification().values():
        if o.is_unit:
            out.setdefault(o.title_en.casefold(), o.code)
            out.setdefault(o.title_ka.casefold(), o.code)
    return out


def occupations(v: Value, column: str, out: Cells, years: Value, years_column: str
                ) -> list[tuple[str, int | str]]:
    s = text(v)
    if s is None:
        return []
    got: list[tuple[str, int | str]] = []
    for part in (p.strip() for p in re.split(r"[;\n]|,(?!\d)", s)):
        if not part:
            continue
        m = re.fullmatch(r"(.+?)\s*(?:[:(]\s*([0-9]{1,2})\s*(?:წ\S*|y\S*)?\s*\)?)", part)
        yrs: int | str = 0
        if m:
            part, yrs = m.group(1).strip(), int(m.group(2))
        code = _occupation(part, column, out)
        if code:
            got.append((code, yrs))
    if got and years is not None:
        ys = text(years) or "0"
        if len(got) == 1:
            got[0] = (got[0][0], ys)
        else:
            out.error(years_column, N_("Years given once for {n} occupations: write them as "
                                       "CODE:YEARS"), n=len(got))
    return got


def _occupation(part: str, column: str, out: Cells) -> str | None:
    code = part.split(" ", 1)[0].rstrip(".").removesuffix(".0")
    if code.isascii() and code.isdigit():
        return code  # the form checks that it is a unit group that exists
    hit = _titles().get(part.casefold())
    if hit:
        return hit
    found = [o for o in isco.search(part, 50) if o.is_unit]
    if len(found) == 1:
        return found[0].code
    if not found:
        out.error(column, N_("No ISCO-08 occupation is called “{value}”: give its code"),
                  value=part)
    else:
        out.error(column, N_("“{value}” fits several occupations ({codes}…): give the code"),
                  value=part, codes=", ".join(o.code for o in found[:3]))
    return None


# -- languages ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for lang in ("en", "ka", "ru"):
        for code, name in Locale.parse(lang).languages.items():
            if len(code) == 2:
                names.setdefault(name.casefold(), code)
    return names


_LEVEL = re.compile(r"(?:^|[\s:\-(/])([ABCabc][12])\)?$")


def languages(v: Value, column: str, out: Cells) -> list[tuple[str, str]]:
    s = text(v)
    if s is None:
        return []
    got: list[tuple[str, str]] = []
    for part in (p.strip() for p in re.split(r"[;,\n]", s)):
        if not part:
            continue
        m = _LEVEL.search(part)
        if not m:
            out.error(column, N_("Give the CEFR level of “{value}” (e.g. en:B1)"), value=part)
            continue
        level = m.group(1).upper()
        name = part[:m.start(1)].strip(" :-(/")
        code = name.casefold() if len(name) == 2 and name.isascii() else \
            _language_names().get(name.casefold())
        if not code:
            out.error(column, N_("“{value}” is not a language migdesk knows (write its code, "
                                 "e.g. en, de, ru)"), value=name)
            continue
        got.append((code, level))
    return got
