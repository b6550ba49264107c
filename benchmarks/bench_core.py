"""Core speed: demo generation, candidate search (Georgian, Latin, personal-number prefixes),
keyset paging and programme matching at N candidates, against raw sqlite3 as the floor.

    python benchmarks/bench_core.py --candidates 100000 [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import demo_database, print_table, signed_in, summary, timed  # noqa: E402

RAW_SEARCH = """
SELECT t.term, c.id, c.personal_number, c.first_name_ka, c.last_name_ka, c.first_name_lat,
       c.last_name_lat, c.birth_date, c.sex, c.region, c.status, c.passport_expiry
FROM candidate_term t JOIN candidate c ON c.id = t.candidate_id
WHERE t.term >= ? AND t.term < ? AND c.deleted = 0
ORDER BY t.term, t.candidate_id LIMIT 101
"""


RAW_MATCH = """
SELECT oc.candidate_id, oc.years, c.status, c.passport_expiry, c.registered_on{lang_col}
FROM candidate_occupation oc JOIN candidate c ON c.id = oc.candidate_id{lang_join}
WHERE oc.isco_code = ? AND oc.years >= ? AND oc.deleted = 0 AND c.deleted = 0
  AND c.status IN ('registered', 'screened', 'shortlisted', 'returned')
  AND c.passport_expiry >= ? AND c.birth_date > ? AND c.birth_date <= ?
"""
LEVELS = ("a1", "a2", "b1", "b2", "c1", "c2")


def raw_match(con: sqlite3.Connection, today: dt.date) -> int:
    """The floor of matching: the candidates who meet each demand of the PL pilot, read with
    raw sqlite3 (the same rows the service scores; no scoring, no ranking)."""
    start, = con.execute("SELECT start_date FROM program WHERE code = 'PL-IOM-PILOT'").fetchone()
    ref = max(today, dt.date.fromisoformat(start))
    n = 0
    for code, years, lang, level, lo, hi in con.execute(
            "SELECT isco_code, min_experience_years, language, level, min_age, max_age FROM "
            "demand d JOIN program p ON p.id = d.program_id WHERE p.code = 'PL-IOM-PILOT' "
            "AND d.deleted = 0").fetchall():
        args = [code, years, (ref + dt.timedelta(days=180)).isoformat(),
                ref.replace(year=ref.year - hi - 1).isoformat(),
                ref.replace(year=ref.year - lo).isoformat()]
        if lang:
            ok = LEVELS[LEVELS.index(level or "a1"):]
            sql = RAW_MATCH.format(
                lang_col=", l.level", lang_join=" JOIN candidate_language l ON l.candidate_id "
                f"= oc.candidate_id AND l.language = ? AND l.deleted = 0 AND l.level IN "
                f"({', '.join('?' * len(ok))})")
            args = [lang, *ok, *args]
        else:
            sql = RAW_MATCH.format(lang_col="", lang_join="")
        n += len(con.execute(sql, args).fetchall())
    return n


def prefixes(con: sqlite3.Connection, rng: random.Random, n: int) -> dict[str, list[str]]:
    rows = con.execute("SELECT last_name_ka, first_name_lat, personal_number FROM candidate "
                       "ORDER BY random() LIMIT ?", (n,)).fetchall()
    return {
        "Georgian": [r[0][: rng.randint(2, 4)] for r in rows],
        "Latin": [r[1][: rng.randint(2, 4)].lower() for r in rows],
        "personal number": [r[2][: rng.randint(3, 6)] for r in rows],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()

    from migdesk.domain.names import search_key
    from migdesk.services import Migdesk

    path, build_s = demo_database(args.candidates, args.rebuild)
    app = signed_in(Migdesk.open(str(path)))
    con = sqlite3.connect(str(path))
    rng = random.Random(1)
    rows: list[tuple[str, str, str, str]] = []
    if build_s is not None:
        rows.append((f"demo generation, {args.candidates:,} candidates",
                     f"{build_s:.1f} s (one run)", "—", "well under 60 s"))
    for kind, words in prefixes(con, rng, args.queries).items():
        for w in words[:20]:  # warm both paths
            app.candidates.search(w)
            con.execute(RAW_SEARCH, (search_key(w), search_key(w) + "\U0010ffff")).fetchall()
        ours = [timed(lambda w=w: app.candidates.search(w)) for w in words]
        raw = [timed(lambda w=w: con.execute(
            RAW_SEARCH, (search_key(w), search_key(w) + "\U0010ffff")).fetchall())
            for w in words]
        (o50, o95), (r50, r95) = summary(ours), summary(raw)
        rows.append((f"search, {kind} prefix (page of 100)", f"{o50:.2f} ms ({o95:.2f})",
                     f"raw sqlite3 {r50:.2f} ms ({r95:.2f}); p95 ×{o95 / r95:.1f}",
                     "p95 ≤ 30 ms, ≤ 3× floor"))
    cursor, pages = None, []
    for _ in range(300):
        page_ms = timed(lambda c=cursor: pages.append(app.candidates.search("", limit=100,
                                                                             cursor=c)))
        cursor = pages[-1].next_cursor
        pages[-1] = page_ms
    raw_page = [timed(lambda: con.execute(
        "SELECT id, last_name_ka, first_name_ka FROM candidate WHERE deleted = 0 AND "
        "(last_name_ka, first_name_ka, id) > (?, ?, ?) ORDER BY last_name_ka, first_name_ka, id "
        "LIMIT 101", ("ბ", "", "")).fetchall()) for _ in range(300)]
    (p50, p95), (f50, f95) = summary(pages), summary(raw_page)
    rows.append(("one page of 100 rows by keyset (300 consecutive pages)",
                 f"{p50:.2f} ms ({p95:.2f})", f"raw sqlite3 {f50:.2f} ms ({f95:.2f})", "—"))
    app.matching.match("PL-IOM-PILOT", limit=100)  # warm both paths
    raw_match(con, app.today())
    match = [timed(lambda: app.matching.match("PL-IOM-PILOT", limit=100)) for _ in range(9)]
    floor = [timed(lambda: raw_match(con, app.today())) for _ in range(9)]
    (m50, m95), (f50, f95) = summary(match), summary(floor)
    rows.append(("programme matching, PL pilot (6 occupations, top 100)",
                 f"{m50:.0f} ms ({m95:.0f})",
                 f"raw sqlite3 read of the same candidates {f50:.0f} ms ({f95:.0f}); "
                 f"×{m50 / f50:.1f}", "≤ 100 ms"))
    print_table(f"Core at {args.candidates:,} candidates", rows)
    app.close()


if __name__ == "__main__":
    main()
