"""Parsing form and command-line input into checked values, collecting every field's error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from migdesk.domain import identity, isco, names, places, rules
from migdesk.domain.errors import ValidationError, Validator
from migdesk.domain.partial_date import parse_date
from migdesk.domain.vocab import CEFR, Education, Sex
from migdesk.i18n import N_


def opt_text(value: str | None, limit: int = 2000) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    return rules.check_text(text, limit) or None  # the same rule incoming packages meet


def req_text(value: str | None, limit: int = 2000) -> str:
    text = opt_text(value, limit)
    if not text:
        raise ValidationError.of(None, N_("Required"))
    return text


def as_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return rules.check_day(value)
    return rules.check_day(parse_date(value))


def req_date(value: str | dt.date | None) -> dt.date:
    d = as_date(value)
    if d is None:
        raise ValidationError.of(None, N_("Required"))
    return d


def as_int(value: str | int | None, lo: int, hi: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        text = str(value).strip()
        if not text.isascii():  # int() would read other scripts' digits too
            raise ValueError(text)
        n = int(text)
    except ValueError:
        raise ValidationError.of(None, N_("“{value}” is not a whole number"), value=value) from None
    if not lo <= n <= hi:
        raise ValidationError.of(None, N_("Must be between {lo} and {hi}"), lo=lo, hi=hi)
    return n


def check_version(current: int, expected: int | None) -> None:
    """Refuse a save over a record someone changed since the form was opened."""
    from migdesk.domain.errors import ConflictError

    if expected is not None and current != expected:
        raise ConflictError.of(None, N_(
            "Someone else changed this record meanwhile (version {theirs}, yours {yours}); "
            "reopen it"), theirs=current, yours=expected)


@dataclass
class ConsentInput:
    given_on: str | dt.date
    scope: str
    form_reference: str | None = None


@dataclass
class CandidateInput:
    """What an officer types into the form (or the command line passes): loosely typed."""

    personal_number: str
    first_name_ka: str
    last_name_ka: str
    birth_date: str | dt.date
    first_name_lat: str | None = None
    last_name_lat: str | None = None
    sex: str | None = None
    region: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    passport_number: str | None = None
    passport_expiry: str | dt.date | None = None
    education: str | None = None
    education_note: str | None = None
    notes: str | None = None
    occupations: list[tuple[str, int | str]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    consent: ConsentInput | None = None


@dataclass
class CheckedCandidate:
    values: dict[str, object]
    occupations: dict[str, int]
    languages: dict[str, CEFR]
    consent: dict[str, object] | None


def check_candidate(inp: CandidateInput, today: dt.date) -> CheckedCandidate:
    """Validate every field; raise one ValidationError listing all problems."""
    v = Validator()
    out: dict[str, object] = {}
    out["personal_number"] = v.check("personal_number", identity.parse_personal_number,
                                     inp.personal_number)
    fka = v.check("first_name_ka", names.parse_georgian_name, inp.first_name_ka)
    lka = v.check("last_name_ka", names.parse_georgian_name, inp.last_name_ka)
    out["first_name_ka"], out["last_name_ka"] = fka, lka
    for key, given, source in (("first_name_lat", inp.first_name_lat, fka),
                               ("last_name_lat", inp.last_name_lat, lka)):
        if given and given.strip():
            out[key] = v.check(key, names.parse_latin_name, given)
        elif source:
            out[key] = names.passport_form(source)
    birth = v.check("birth_date", req_date, inp.birth_date)
    if birth is not None:
        birth = v.check("birth_date", identity.check_birth_date, birth, today)
    out["birth_date"] = birth
    out["sex"] = v.check("sex", Sex.parse, inp.sex) if inp.sex else None
    out["region"] = v.check("region", places.parse_region, inp.region) if inp.region else None
    out["address"] = v.check("address", opt_text, inp.address,
                             rules.limit("candidate", "address"))
    out["phone"] = v.check("phone", identity.parse_phone, inp.phone) if inp.phone else None
    out["email"] = v.check("email", identity.parse_email, inp.email) if inp.email else None
    out["passport_number"] = (v.check("passport_number", identity.parse_passport_number,
                                      inp.passport_number) if inp.passport_number else None)
    expiry = v.check("passport_expiry", as_date, inp.passport_expiry)
    if expiry and not out["passport_number"]:
        v.add("passport_number", N_("Give the passport number with its expiry date"))
    out["passport_expiry"] = expiry
    out["education"] = (v.check("education", Education.parse, inp.education)
                        if inp.education else None)
    out["education_note"] = v.check("education", opt_text, inp.education_note,
                                     rules.limit("candidate", "education_note"))
    out["notes"] = v.check("notes", opt_text, inp.notes, rules.limit("candidate", "notes"))

    occupations: dict[str, int] = {}
    for code, years in inp.occupations:
        c = v.check("occupations", isco.parse_unit_code, str(code))
        y = v.check("years", as_int, years, 0, 60)
        if c:
            if c in occupations:
                v.add("occupations", N_("Occupation {code} is listed twice"), code=c)
            occupations[c] = y or 0
    languages: dict[str, CEFR] = {}
    for lang_code, level in inp.languages:
        code = v.check("languages", places.parse_language, lang_code)
        lvl = v.check("level", CEFR.parse, level)
        if code and lvl:
            if code in languages:
                v.add("languages", N_("Language {code} is listed twice"), code=code)
            languages[code] = lvl
    consent = None
    if inp.consent is not None:
        given = v.check("consent", req_date, inp.consent.given_on)
        if given and given > today:
            v.add("consent", N_("Consent cannot be dated in the future"))
        scope = v.check("consent", req_text, inp.consent.scope,
                        rules.limit("consent", "scope"))
        ref = v.check("consent", opt_text, inp.consent.form_reference,
                      rules.limit("consent", "form_reference"))
        consent = {"given_on": given, "scope": scope, "form_reference": ref}
    v.raise_if_any()
    return CheckedCandidate(out, occupations, languages, consent)
