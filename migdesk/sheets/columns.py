"""Which column holds which field: guessed from Georgian or English headers, kept as JSON.

A mapping is {field: column header}. It is remembered per file layout (the hash of the
header row) so the next list kept the same way maps itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from migdesk.domain.errors import FIELD_LABELS, FieldError, ValidationError
from migdesk.domain.names import to_mkhedruli
from migdesk.i18n import N_

# Fields a sheet may fill, in the order a wizard shows them, with their labels.
# The fields a column can fill, in the order the wizard lists them, labelled as the form's
# errors name them (domain/errors.py); three are the spreadsheet's own.
_OWN_LABELS = {"full_name_ka": N_("Full name (Georgian)"), "consent_date": N_("Consent date"),
               "consent_scope": N_("Consent scope")}
FIELDS: dict[str, str] = {
    k: _OWN_LABELS.get(k) or FIELD_LABELS[k] for k in (
        "personal_number", "full_name_ka", "first_name_ka", "last_name_ka", "first_name_lat",
        "last_name_lat", "birth_date", "sex", "region", "address", "phone", "email",
        "passport_number", "passport_expiry", "education", "occupations", "years",
        "languages", "notes", "consent_date", "consent_scope")}

# Header words, folded (see fold()); the first list entry that equals or starts a header wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "personal_number": ("პირადი ნომერი", "პირადი", "პ/ნ", "პნ", "პ ნ", "personal number",
                        "personal no", "personal id", "personal code", "pn", "pid", "id number",
                        "national id", "личный номер"),
    "full_name_ka": ("სახელი და გვარი", "სახელი გვარი", "სახელი, გვარი", "გვარი სახელი",
                     "გვარი, სახელი", "სრული სახელი", "full name", "name and surname",
                     "first and last name", "фио"),
    "first_name_lat": ("first name latin", "first name (latin)", "name latin", "name (latin)",
                       "სახელი ლათინურად", "სახელი (ლათინურად)", "first name en",
                       "given name latin"),
    "last_name_lat": ("last name latin", "last name (latin)", "surname latin",
                      "surname (latin)", "გვარი ლათინურად", "გვარი (ლათინურად)",
                      "last name en", "surname en"),
    "first_name_ka": ("სახელი", "first name", "given name", "name", "forename", "имя"),
    "last_name_ka": ("გვარი", "last name", "surname", "family name", "фамилия"),
    "birth_date": ("დაბადების თარიღი", "დაბ თარიღი", "დაბადება", "დაბ. თარიღი",
                   "date of birth", "birth date", "birthdate", "dob", "born", "birthday",
                   "дата рождения"),
    "sex": ("სქესი", "sex", "gender", "пол"),
    "region": ("რეგიონი", "მხარე", "region", "регион"),
    "address": ("მისამართი", "address", "адрес"),
    "phone": ("ტელეფონი", "მობილური", "ტელ", "phone", "mobile", "telephone", "tel",
              "телефон"),
    "email": ("ელფოსტა", "ელ ფოსტა", "ელ. ფოსტა", "email", "e-mail", "mail"),
    "passport_expiry": ("პასპორტის ვადა", "პასპორტი მოქმედებს", "passport expiry",
                        "passport valid until", "passport expires", "valid until",
                        "expiry date"),
    "passport_number": ("პასპორტის ნომერი", "პასპორტი", "passport number", "passport no",
                        "passport", "паспорт"),
    "education": ("განათლება", "education", "образование"),
    "years": ("სტაჟი", "გამოცდილება (წელი)", "years of experience", "experience years",
              "years", "experience"),
    "occupations": ("პროფესია", "საქმიანობა", "სპეციალობა", "occupation", "profession",
                    "isco", "job", "trade", "профессия"),
    "languages": ("ენები", "ენის ცოდნა", "ენა", "languages", "language", "языки"),
    "notes": ("შენიშვნა", "შენიშვნები", "notes", "note", "comment", "comments"),
    "consent_date": ("თანხმობის თარიღი", "თანხმობა", "consent date", "consent"),
    "consent_scope": ("თანხმობის მიზანი", "consent scope", "consent purpose"),
}

SETTING_PREFIX = "sheets.mapping."


def fold(text: str) -> str:
    t = to_mkhedruli(unicodedata.normalize("NFKC", str(text or ""))).casefold()
    t = re.sub(r"[\s\u00a0_]+", " ", t)
    return t.strip(" .:*#№")


_FOLDED = {f: tuple(fold(a) for a in aliases) for f, aliases in ALIASES.items()}


def field_of(header: str) -> str | None:
    """The field one header names (exact alias first, then an alias that starts it)."""
    h = fold(header)
    if not h:
        return None
    for f, aliases in _FOLDED.items():
        if h in aliases:
            return f
    best: tuple[int, str] | None = None
    for f, aliases in _FOLDED.items():
        for a in aliases:
            if len(a) >= 3 and (h.startswith(a + " ") or h.startswith(a + "(")):
                if best is None or len(a) > best[0]:
                    best = (len(a), f)
    return best[1] if best else None


def header_score(cells: list[str]) -> int:
    """How many cells of a row name a field (used to find the header row)."""
    return len({f for f in map(field_of, cells) if f})


def guess_mapping(header: list[str]) -> dict[str, str]:
    """{field: column} from the header's words; each field once, each column once."""
    out: dict[str, str] = {}
    for col in header:
        f = field_of(col)
        if f and f not in out:
            out[f] = col
    return out


def layout_key(header: list[str]) -> str:
    """The setting key a mapping is remembered under for sheets with this header."""
    digest = hashlib.sha256("\x1f".join(fold(h) for h in header).encode()).hexdigest()
    return SETTING_PREFIX + digest[:24]


def check_mapping(mapping: dict[str, str], header: list[str]) -> dict[str, str]:
    """Refuse unknown fields and columns the sheet does not have; one column per field."""
    errors = []
    for f, col in mapping.items():
        if f not in FIELDS:
            errors.append(FieldError(None, N_("“{value}” is not a field a sheet can fill "
                                              "({allowed})"),
                                     {"value": f, "allowed": ", ".join(FIELDS)}))
        elif col not in header:
            errors.append(FieldError(None, N_("The sheet has no column “{column}” (for "
                                              "{field})"), {"column": col, "field": f}))
    has_name = ("full_name_ka" in mapping) or ("first_name_ka" in mapping
                                               and "last_name_ka" in mapping)
    for need, ok in (("personal_number", "personal_number" in mapping),
                     ("first_name_ka", has_name), ("birth_date", "birth_date" in mapping)):
        if not ok:
            errors.append(FieldError(None, N_("No column is mapped to “{field}”"),
                                     {"field": FIELDS[need]}))
    if errors:
        raise ValidationError(errors)
    return dict(mapping)


def to_json(mapping: dict[str, str]) -> str:
    return json.dumps({"version": 1, "columns": mapping}, ensure_ascii=False, indent=2)


def from_json(text: str) -> dict[str, str]:
    try:
        data = json.loads(text)
        cols = data["columns"] if isinstance(data, dict) and "columns" in data else data
        if not isinstance(cols, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in cols.items()):
            raise ValueError
        return dict(cols)
    except (ValueError, KeyError, TypeError):
        raise ValidationError.of(None, N_("The mapping is not JSON with a “columns” object "
                                          "of field and column names")) from None


def load(path: str | Path) -> dict[str, str]:
    p = Path(path)
    try:
        if p.stat().st_size > 1024 * 1024:
            raise ValidationError.of(None, N_("The mapping file is over 1 MiB"))
        return from_json(p.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        raise ValidationError.of(None, N_("Cannot read the mapping “{name}”"),
                                 name=p.name) from None


def save(path: str | Path, mapping: dict[str, str]) -> None:
    Path(path).write_text(to_json(mapping) + "\n", encoding="utf-8")
