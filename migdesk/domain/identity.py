"""Identity documents and contacts: personal number, passport, phone, email."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_

# ASCII digits only: `\d` would also take Arabic-Indic, fullwidth or Devanagari digits, and the
# same person could then be registered twice under one number written in two scripts.
_PN = re.compile(r"^[0-9]{11}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{1,9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")


def parse_personal_number(text: str) -> str:
    """Exactly 11 digits, may start with 0 (kept as text); no check digit exists."""
    value = (text or "").strip()
    if not value:
        raise ValidationError.of(None, N_("Required"))
    if not _PN.match(value):
        if value != ascii_digits(value) and _PN.match(ascii_digits(value)):
            raise ValidationError.of(None, N_(
                "Write the number with the digits 0–9 (it has digits of another script)"))
        raise ValidationError.of(
            None, N_("Must be exactly 11 digits (you entered {n} characters)"), n=len(value)
        )
    return value


def ascii_digits(text: str) -> str:
    """Decimal digits of any script as 0–9 (for searching; stored numbers are refused)."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def parse_passport_number(text: str) -> str:
    value = (text or "").strip().replace(" ", "")
    if value.isascii():
        value = value.upper()
    if not _PASSPORT.match(value):
        raise ValidationError.of(None, N_("Up to 9 Latin capital letters and digits"))
    return value


def parse_email(text: str) -> str:
    value = (text or "").strip()
    if not _EMAIL.match(value) or len(value) > 254 or not value.isprintable():
        raise ValidationError.of(None, N_("Not an email address: “{value}”"), value=value)
    return value


def parse_phone(text: str) -> str:
    """Digits with an optional leading +; spaces, dashes and brackets are dropped."""
    value = re.sub(r"[\s\-()]", "", text or "")
    if not _PHONE.match(value):
        raise ValidationError.of(
            None, N_("Not a phone number: use 6–15 digits, optionally starting with +")
        )
    return value


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_birth_date(birth: dt.date, today: dt.date) -> dt.date:
    if birth >= today:
        raise ValidationError.of(None, N_("Date of birth must be in the past"))
    if age_on(birth, today) > 100:
        raise ValidationError.of(None, N_("Date of birth is more than 100 years ago"))
    return birth
