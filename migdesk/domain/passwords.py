"""Passwords: the rules a new one must meet, argon2id hashing, and how long repeated failed
sign-ins make the next attempt wait. No database here."""

from __future__ import annotations

import re
from functools import lru_cache

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_

MIN_LENGTH = 8
MAX_LENGTH = 256
LOGIN = re.compile(r"^[a-z][a-z0-9._-]{1,63}$", re.ASCII)
# OWASP's argon2id floor (19 MiB, 2 passes, 1 lane): about 50 ms here, so a command-line
# sign-in stays quick while a guess still costs an attacker that much memory and time.
PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}


@lru_cache(maxsize=1)
def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    return PasswordHasher(**PARAMETERS)


def parse_login(text: str) -> str:
    login = (text or "").strip().lower()
    if not LOGIN.match(login):
        raise ValidationError.of("login", N_(
            "A login is 2 to 64 Latin letters, digits, dots, dashes or underscores, starting "
            "with a letter"))
    return login


def check_new_password(password: str, login: str) -> str:
    """A new password: at least MIN_LENGTH characters, not the login, no control characters."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise ValidationError.of("password", N_("At least {n} characters"), n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise ValidationError.of("password", N_("At most {n} characters"), n=MAX_LENGTH)
    if password.strip().lower() == login.lower():
        raise ValidationError.of("password", N_("The password must not be the login"))
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise ValidationError.of("password", N_("Control characters are not allowed"))
    return password


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    try:
        return bool(_hasher().check_needs_rehash(stored))
    except Exception:  # noqa: BLE001 - an unreadable hash is replaced at the next sign-in
        return True


def wait_after(failures: int) -> float:
    """Seconds the next attempt must wait after `failures` failed ones in a row: none for
    the first three, then 2, 4, 8 … up to 5 minutes."""
    if failures < 3:
        return 0.0
    return float(min(300, 2 ** (failures - 2)))
