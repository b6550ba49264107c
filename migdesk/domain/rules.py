"""The field rules every stored value obeys, however it arrives: typed into the form, given
on the command line, or carried by a change package from another desk.

A signature proves who sent a change, not that it is valid: the package importer runs each
incoming row's values through these rules (sync/codec.py: `RULES`, `LIMITS`, `check_text`,
`check_day`, `check_status_step`), and the form and command line take their limits and text
rule from here (services/validation.py), so the two cannot drift.

Each rule returns the value as the form would store it, or raises ValidationError; a package
value is accepted only when it is already in that form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from migdesk.domain import identity, isco, names, places
from migdesk.domain.errors import ValidationError
from migdesk.domain.partial_date import PartialDate
from migdesk.domain.statuses import CandidateStatus, check_transition
from migdesk.i18n import N_

# Control characters (C0 but tab and newline, DEL, C1), lone surrogates, the byte-order mark,
# interlinear annotation marks and the invisible direction controls (embeddings, overrides,
# isolates and the LRM/RLM/ALM marks) that can make a text display as something other than
# what it holds.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_HIDDEN = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff"
_BAD_MULTILINE = re.compile(f"[{_CONTROL}{_HIDDEN}]")
_BAD_LINE = re.compile(f"[\\t\\n\\r{_CONTROL}{_HIDDEN}\u2028\u2029]")

# Dates a record can hold: nothing before 1900 or after 2100 (a birth date in 2999 is a typo
# or an attack, never a person).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
OLDEST = 120  # years: a birth date further back than this is refused from a package
SMALL_INT = (-(2**31), 2**31 - 1)

# Length limits of free text, as the forms apply them (entity, field) -> characters.
LIMITS: dict[tuple[str, str], int] = {
    ("candidate", "address"): 500,
    ("candidate", "education_note"): 500,
    ("candidate", "notes"): 4000,
    ("consent", "scope"): 1000,
    ("consent", "form_reference"): 100,
    ("status_change", "reason"): 1000,
    ("application", "note"): 2000,
    ("placement", "employer"): 500,
    ("placement", "city"): 120,
    ("placement", "return_note"): 2000,
    ("partner_state", "notes"): 4000,
    ("assessment", "rationale"): 8000,
    ("indicator", "unit"): 32,
    ("indicator", "source_name"): 200,
    ("indicator", "source_url"): 500,
    ("agreement", "title_ka"): 1000,
    ("agreement", "title_en"): 1000,
    ("agreement", "notes"): 8000,
    ("milestone", "place"): 200,
    ("milestone", "note"): 4000,
    ("visit", "city"): 120,
    ("visit", "lead_agency"): 500,
    ("visit", "participants"): 4000,
    ("visit", "purpose"): 8000,
    ("visit", "outcomes"): 16000,
    ("follow_up", "action"): 4000,
    ("follow_up", "responsible"): 500,
    ("follow_up", "note"): 4000,
    ("program", "name_ka"): 500,
    ("program", "name_en"): 500,
    ("program", "partner_org"): 200,
    ("program", "description"): 8000,
    ("demand", "notes"): 4000,
}
LONGEST = 16000  # a text column no form limits (the longest any form allows)


def limit(entity: str, field: str, default: int = 2000) -> int:
    return LIMITS.get((entity, field), default)


def check_text(value: str, most: int, multiline: bool = True) -> str:
    """Free text: at most `most` characters, no control characters or hidden direction
    marks (newlines and tabs only where the field has several lines)."""
    if len(value) > most:
        raise ValidationError.of(None, N_("Too long (at most {n} characters)"), n=most)
    bad = (_BAD_MULTILINE if multiline else _BAD_LINE).search(value)
    if bad is not None:
        raise ValidationError.of(None, N_(
            "Contains an invisible control character (U+{code}); retype the text"),
            code=f"{ord(bad.group()):04X}")
    return value


def forbidden(multiline: bool) -> re.Pattern[str]:
    """The characters no text of the kind may hold (a compiled pattern, for fast checks)."""
    return _BAD_MULTILINE if multiline else _BAD_LINE


def check_day(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError.of(None, N_("{value} is not a plausible date (use {lo} to {hi})"),
                                 value=value.isoformat(), lo=FIRST_DAY.year, hi=LAST_DAY.year)
    return value


def check_partial(value: PartialDate) -> PartialDate:
    if not FIRST_DAY.year <= value.year <= LAST_DAY.year:
        raise ValidationError.of(None, N_("{value} is not a plausible date (use {lo} to {hi})"),
                                 value=value.isoformat(), lo=FIRST_DAY.year, hi=LAST_DAY.year)
    return value


def check_birth(value: dt.date, today: dt.date | None = None) -> dt.date:
    """A birth date from another desk: in the past and at most OLDEST years ago (the form's
    stricter 100 years applies when it is typed)."""
    today = today or dt.date.today()
    if value >= today:
        raise ValidationError.of(None, N_("Date of birth must be in the past"))
    if identity.age_on(value, today) > OLDEST:
        raise ValidationError.of(None, N_("Date of birth is more than {n} years ago"), n=OLDEST)
    return value


def _between(lo: int, hi: int) -> Callable[[int], int]:
    def check(value: int) -> int:
        if not lo <= value <= hi:
            raise ValidationError.of(None, N_("Must be between {lo} and {hi}"), lo=lo, hi=hi)
        return value
    return check


# Rules beyond type, length and clean text, by (entity, field): the same parsers the form
# runs. Each gets the value as Python (text, date, number) and returns it as it is stored.
RULES: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("candidate", "personal_number"): identity.parse_personal_number,
    ("candidate", "first_name_ka"): names.parse_georgian_name,
    ("candidate", "last_name_ka"): names.parse_georgian_name,
    ("candidate", "first_name_lat"): names.parse_latin_name,
    ("candidate", "last_name_lat"): names.parse_latin_name,
    ("candidate", "birth_date"): check_birth,
    ("candidate", "region"): places.parse_region,
    ("candidate", "phone"): identity.parse_phone,
    ("candidate", "email"): identity.parse_email,
    ("candidate", "passport_number"): identity.parse_passport_number,
    ("candidate_occupation", "isco_code"): isco.parse_unit_code,
    ("candidate_occupation", "years"): _between(0, 60),
    ("candidate_language", "language"): places.parse_language,
    ("placement", "country"): places.parse_country,
    ("placement", "isco_code"): isco.parse_unit_code,
    ("placement", "wage_currency"): places.currency_code,
    ("partner_state", "iso_code"): places.parse_country,
    ("indicator", "currency"): places.currency_code,
    ("visit", "country"): places.parse_country,
    ("demand", "isco_code"): isco.parse_unit_code,
    ("demand", "language"): places.parse_language,
    ("demand", "quota"): _between(1, 1_000_000),
    ("demand", "min_experience_years"): _between(0, 60),
    ("demand", "min_age"): _between(16, 80),
    ("demand", "max_age"): _between(16, 80),
    ("attachment", "size"): _between(0, 2**40),
}


# Values a rule certainly accepts as they are, matched without running it (an import checks
# hundreds of thousands): the parser is run only for what these do not match.
_KA_NAME = r"(?=.{1,60}\Z)[\u10D0-\u10FA]+(?:[ \-][\u10D0-\u10FA]+)*\Z"
_LAT_NAME = r"(?=.{1,60}\Z)[A-Z]+(?:[ \-][A-Z]+)*\Z"
ALREADY: dict[tuple[str, str], re.Pattern[str]] = {
    ("candidate", "personal_number"): re.compile(r"[0-9]{11}\Z"),
    ("candidate", "first_name_ka"): re.compile(_KA_NAME),
    ("candidate", "last_name_ka"): re.compile(_KA_NAME),
    ("candidate", "first_name_lat"): re.compile(_LAT_NAME),
    ("candidate", "last_name_lat"): re.compile(_LAT_NAME),
}


def check_value(entity: str, field: str, value: Any, multiline: bool = True) -> None:
    """Refuse (ValidationError) a value of an incoming row that the form would not store as
    it is. `value` is already of the column's Python type; None is not checked here."""
    if isinstance(value, str):
        check_text(value, limit(entity, field, LONGEST), multiline)
    elif isinstance(value, dt.datetime):
        check_day(value.date())
    elif isinstance(value, dt.date):
        check_day(value)
    elif isinstance(value, PartialDate):
        check_partial(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        _between(*SMALL_INT)(value)
    rule = RULES.get((entity, field))
    if rule is None:
        return
    stored = rule(value)
    if stored != value:
        raise ValidationError.of(None, N_("“{value}” is not written as the form writes it "
                                          "(“{stored}”)"), value=shown(value),
                                 stored=shown(stored))


def check_period(row: dict[str, Any]) -> None:
    """The rule between two fields of one row the forms apply (visits, programmes,
    placements): the end is not before the start."""
    start, end = row.get("start_date"), row.get("end_date")
    if start is not None and end is not None and end < start:
        raise ValidationError.of("end_date", N_("The end date is before the start date"))


def check_ages(row: dict[str, Any]) -> None:
    """A programme's demand: the maximum age is not below the minimum."""
    low, high = row.get("min_age"), row.get("max_age")
    if low is not None and high is not None and low > high:
        raise ValidationError.of("max_age", N_("The maximum age is below the minimum age"))


# Rules between fields of one incoming row, by entity (each raises ValidationError naming
# the field).
ROW_RULES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "visit": check_period, "program": check_period, "placement": check_period,
    "demand": check_ages,
}


def check_status_step(old: Any, new: Any) -> None:
    """A status history row moves along the path (statuses.TRANSITIONS); the first one
    registers the candidate."""
    if new is None:
        return
    if old is None:
        if new != CandidateStatus.REGISTERED.value:
            raise ValidationError.of(None, N_(
                "A status history starts with “{first}”, not “{value}”"),
                first=CandidateStatus.REGISTERED, value=CandidateStatus.parse(new))
        return
    check_transition(CandidateStatus.parse(old), CandidateStatus.parse(new))


def shown(value: Any, most: int = 40) -> str:
    """A value as a message may quote it: shortened, control characters and hidden marks
    written as \\uXXXX (a message never carries them to a terminal or a log)."""
    text = str(value)
    text = text if len(text) <= most else text[:most] + "…"
    return _BAD_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

