"""Small builders for tests: synthetic people and a database dump for before/after checks."""

from __future__ import annotations

import sqlite3

from migdesk.services.validation import CandidateInput, ConsentInput

PASSWORD = "tester-password"  # MIGDESK_PASSWORD in tests (conftest.py)


def admin(app, login: str = "tester", full_name: str = "ნინო ტესტაძე"):  # type: ignore[no-untyped-def]
    """Sign `app` in as the desk's first administrator (made on first use)."""
    if app.accounts.any():
        app.sign_in(login, PASSWORD)
    else:
        app.accounts.create_first_admin(login, full_name, PASSWORD)
    return app


def as_role(app, role: str, login: str | None = None):  # type: ignore[no-untyped-def]
    """Add an account with `role` (signed in as an administrator) and sign in as it."""
    login = login or f"{role}1"
    if not app.signed_in:
        admin(app)
    app.accounts.add(login, f"{role} ტესტაძე", role, PASSWORD)
    app.sign_out()
    app.sign_in(login, PASSWORD)
    return app


def person(pn: str = "01001012345", first: str = "ნინო", last: str = "კაპანაძე",
           birth: str = "1990-05-01", **kw) -> CandidateInput:
    kw.setdefault("consent", ConsentInput("2026-11-01", "programme matching"))
    return CandidateInput(personal_number=pn, first_name_ka=first, last_name_ka=last,
                          birth_date=birth, **kw)


# Written by every sign-in (its time, its audit entry): left out of dumps unless asked for.
SIGN_IN_TABLES = ("account", "audit_log", "audit_head")


def dump(path, with_sign_ins: bool = False) -> list[tuple]:
    """Every row of every table, for 'the database is unchanged' assertions (leaving out
    what a command's sign-in writes, unless `with_sign_ins`)."""
    con = sqlite3.connect(str(path))
    try:
        out = []
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            if t in SIGN_IN_TABLES and not with_sign_ins:
                continue
            out.append((t, sorted(map(repr, con.execute(f'SELECT * FROM "{t}"')))))
        return out
    finally:
        con.close()
