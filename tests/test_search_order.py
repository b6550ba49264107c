"""Search results come in the order the table's arrow names: by the matched word, then within
one word by the sort keys (surname, then first name), in keyset pages of any size, both ways."""

from __future__ import annotations

import random

import pytest

from migdesk.domain import names
from migdesk.services.candidates import SORT_KEYS
from migdesk.services.validation import CandidateInput
from migdesk.store.journal import candidate_terms

SURNAMES = ["აბაშიძე", "აბაშიძევი", "ბერიძე"]
FIRST = ["ნინო", "გიორგი", "ანა", "ნიკა", "თამარი"]


@pytest.fixture
def people(app):
    rnd = random.Random(13)
    ids = []
    for _i in range(30):
        saved = app.candidates.register(CandidateInput(
            f"0102{rnd.randrange(10 ** 7):07d}", rnd.choice(FIRST), rnd.choice(SURNAMES),
            "1990-01-01"))
        ids.append(saved.id)
    for cid in ids[::7]:
        app.candidates.delete(cid, "registered twice")
    return app


def expected(app, query: str, sort: str, desc: bool) -> list[str]:
    live = [app.candidates.summary(c.id) for c in app.candidates.search(limit=10000).items]
    if not query:
        rows = sorted(live, key=lambda c: tuple(getattr(c, k) for k in SORT_KEYS[sort]),
                      reverse=desc)
        return [c.id for c in rows]
    word = names.search_key(query)
    keyed = []
    for c in live:
        for t in candidate_terms(c.first_name_ka, c.last_name_ka, c.first_name_lat,
                                 c.last_name_lat, c.personal_number):
            if t.startswith(word):
                keyed.append(((t, *(getattr(c, k) for k in SORT_KEYS[sort])), c.id))
    out: list[str] = []
    for _key, cid in sorted(keyed, reverse=desc):
        if cid not in out:
            out.append(cid)
    return out


QUERIES = ("", "ა", "აბაშ", "ბერიძე", "NI", "ABASHIDZE", "01")


def test_pages_follow_the_arrow(people):
    app = people
    for query, sort in ((q, s) for q in QUERIES for s in SORT_KEYS):
        for desc in (False, True):
            want = expected(app, query, sort, desc)
            for limit in (1, 4, 200):
                got, cursor = [], None
                for _ in range(200):
                    page = app.candidates.search(query, limit=limit, cursor=cursor, sort=sort,
                                                 descending=desc)
                    got += [c.id for c in page.items if c.id not in got]
                    cursor = page.next_cursor
                    if cursor is None:
                        break
                assert got == want, (query, sort, desc, limit)
