import pytest

from migdesk.domain.errors import ValidationError
from migdesk.services.programs import DemandInput
from tests.helpers import dump, person


@pytest.fixture
def program(app):
    app.partners.add("PL", "interest_expressed")
    return app.programs.add("PL-TEST", "პოლონეთი", "Poland", "pilot", "PL",
                            start_date="2027-03-01",
                            demands=[DemandInput("7212", 5, "pl", "A2", 2, 21, 50)]).id


def add(app, pn, years=5, level="B1", birth="1990-01-01", expiry="2030-01-01", code="7212",
        lang="pl"):
    return app.candidates.register(person(pn=pn, birth=birth, passport_number="12AB34567",
                                          passport_expiry=expiry, occupations=[(code, years)],
                                          languages=[(lang, level)] if lang else [])).id


def test_match_applies_every_requirement_and_ranks(app, program):
    best = add(app, "01000000001", years=12, level="B2")
    good = add(app, "01000000002", years=3, level="A2")
    add(app, "01000000003", years=1)                    # too little experience
    add(app, "01000000004", level="A1")                 # language too weak
    add(app, "01000000005", birth="1960-01-01")         # too old on the start date
    add(app, "01000000006", expiry="2027-05-01")        # passport runs out too soon
    add(app, "01000000007", code="5120")                # another occupation
    add(app, "01000000008", lang=None)                  # no Polish
    results = app.matching.match(program)
    assert [r.candidate.id for r in results] == [best, good]
    assert results[0].score > results[1].score and results[0].years == 12


def test_selected_candidates_leave_the_pool_with_history(app, program):
    cid = add(app, "01000000001")
    app.programs.advance(cid, program, "selected", "interview passed")
    d = app.candidates.get(cid)
    assert d.status == "selected"
    assert [h.to_status for h in d.history] == ["registered", "screened", "shortlisted",
                                                "selected"]
    assert {h.reason for h in d.history[1:]} == {"interview passed"}
    assert d.applications[0].status == "selected"
    assert app.matching.match(program) == []
    view = app.programs.get("PL-TEST")
    assert (view.selected, view.placed) == (1, 0)


def test_refused_advance_leaves_nothing(app, program, db_path):
    cid = add(app, "01000000001")
    before = dump(db_path)
    with pytest.raises(ValidationError):
        app.programs.advance(cid, program, "selected", " ")
    assert dump(db_path) == before


def test_placement_and_return_make_migration_circular(app, program):
    cid = add(app, "01000000001")
    app.programs.advance(cid, program, "selected", "ok")
    for st in ("departed", "employed"):
        app.candidates.change_status(cid, st, "ok")
    pl = app.programs.place(cid, "Stalbud Sp. z o.o.", "PL", "2027-03-01", program="PL-TEST",
                            isco_code="7212", wage_amount="3 400,50", wage_currency="PLN")
    app.programs.record_return(pl.id, "2027-12-20", "contract ended")
    app.candidates.change_status(cid, "returned", "back home")
    d = app.candidates.get(cid)
    assert str(d.placements[0].wage_amount) == "3400.50"
    assert d.applications[0].status == "placed"
    app.programs.advance(cid, program, "shortlisted", "applies again")
    assert app.candidates.get(cid).status == "shortlisted"


def test_demand_rules(app):
    app.partners.add("PL", "exploring")
    with pytest.raises(ValidationError) as exc:
        app.programs.add("bad code!", "", "x", "pilot", "PL",
                         demands=[DemandInput("72", 0, None, "B1", 0, 50, 20)])
    fields = {e.field for e in exc.value.errors}
    assert {"code", "name_ka", "occupation", "quota", "language", "max_age"} <= fields
