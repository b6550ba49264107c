"""Small builders for tests: synthetic people and a database dump for before/after checks."""

from __future__ import annotations

import sqlite3

from migdesk.services.validation import CandidateInput, ConsentInput


def person(pn: str = "01001012345", first: str = "ნინო", last: str = "კაპანაძე",
           birth: str = "1990-05-01", **kw) -> CandidateInput:
    kw.setdefault("consent", ConsentInput("2026-11-01", "programme matching"))
    return CandidateInput(personal_number=pn, first_name_ka=first, last_name_ka=last,
                          birth_date=birth, **kw)


def dump(path) -> list[tuple]:
    """Every row of every table, for 'the database is unchanged' assertions."""
    con = sqlite3.connect(str(path))
    try:
        out = []
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            out.append((t, sorted(map(repr, con.execute(f'SELECT * FROM "{t}"')))))
        return out
    finally:
        con.close()
