import pytest

from migdesk.domain.errors import ValidationError
from migdesk.services.demo import load_demo
from migdesk.services.health import check


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from migdesk.services import Migdesk
    from tests.conftest import TODAY

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    app = Migdesk.open(str(path), today=lambda: TODAY)
    load_demo(app, candidates=400, seed=7)
    yield app
    app.close()


def test_france_agreement_with_true_precision(demo):
    fr = demo.partners.get("FR")
    assert fr.stage == "in_force"
    (agreement,) = fr.agreements
    assert "კვალიფიციური სპეციალისტების" in agreement.title_ka
    timeline = [(m.kind, m.date.format("ka") if m.date else None) for m in agreement.milestones]
    assert timeline == [
        ("signed", "2013 წელი"),
        ("ratified_partner", "2018 წლის დეკემბერი"),
        ("entered_into_force", "2019 წლის 1 თებერვალი"),
        ("ratified_georgia", None),
    ]


def test_visits_and_follow_ups(demo):
    visits = {v.country: v for v in demo.visits.list()}
    paris, israel = visits["FR"], visits["IL"]
    assert paris.start_date.isoformat() == "2019-04-02" and paris.city == "პარიზი"
    assert "საგარეო საქმეთა" in paris.participants
    assert paris.agreement_id is not None
    assert israel.start_date.isoformat() == "2018-12-03"
    assert "ორმხრივი ხელშეკრულება" in israel.outcomes
    assert [f.action for f in israel.follow_ups] == [
        "ხელშეკრულების პროექტის განხილვა",
        "დასაქმებისათვის კონკრეტული სფეროებისა და კვალიფიკაციების შესახებ ინფორმაციის გაცვლა"]


def test_poland_pilot_with_iom_placed_more_than_forty(demo):
    prog = demo.programs.get("PL-IOM-PILOT")
    assert prog.kind == "pilot" and "IOM" in prog.partner_org and prog.partner_iso == "PL"
    assert len(prog.demands) >= 5
    assert prog.placed > 40
    employed = demo.candidates.count("", status="employed", program_id=prog.id)
    assert employed > 40


def test_states_exploring_ready_and_bulgaria(demo):
    stages = {p.iso_code: p.stage for p in demo.partners.list()}
    for code in ("GR", "NO", "SE", "FI", "LT", "ES"):
        assert stages[code] == "exploring"
    for code in ("EE", "HU", "PT"):
        assert stages[code] == "interest_expressed"
    assert stages["IL"] == "negotiating"
    bg = demo.partners.get("BG")
    assert bg.stage == "not_advisable"
    (wage,) = bg.assessments[0].indicators
    assert (wage.kind, str(wage.value), wage.currency) == ("minimum_wage", "286", "EUR")
    assert wage.source_url == "https://countryeconomy.com/national-minimum-wage/bulgaria"


def test_synthetic_candidates_are_consistent_and_reproducible(demo, tmp_path):
    from migdesk.services import Migdesk

    assert demo.candidates.count() == 442
    assert check(demo).ok
    other = Migdesk.open(str(tmp_path / "again.db"))
    load_demo(other, candidates=400, seed=7)
    first = [c.personal_number for c in demo.candidates.search("", limit=50).items]
    again = [c.personal_number for c in other.candidates.search("", limit=50).items]
    assert first == again
    other.close()


def test_demo_refuses_a_database_with_data(demo):
    with pytest.raises(ValidationError):
        load_demo(demo, candidates=1)


def test_cancelled_demo_leaves_nothing(tmp_path):
    from migdesk.services import Migdesk
    from migdesk.services.demo import DemoCancelled

    app = Migdesk.open(str(tmp_path / "c.db"))
    with pytest.raises(DemoCancelled):
        load_demo(app, candidates=6000, progress=lambda done, total: False)
    assert app.candidates.count() == 0 and app.partners.list() == []
    app.close()


# -- one consistent story: every candidate's dates in the order the path takes ----------------
def _story(app):
    """Each candidate's status, registration, history, applications and placements, read
    straight from the file (what an analyst's query would see)."""
    import sqlite3
    from collections import defaultdict

    con = sqlite3.connect(app.db.engine.url.database)
    people = {cid: (status, reg, birth) for cid, status, reg, birth in con.execute(
        "SELECT id, status, registered_on, birth_date FROM candidate WHERE deleted = 0")}
    history = defaultdict(list)
    for cid, old, new, at, program in con.execute(
            "SELECT candidate_id, from_status, to_status, changed_at, program_id "
            "FROM status_change ORDER BY candidate_id, changed_at"):
        history[cid].append((old, new, at, program))
    apps = defaultdict(list)
    for cid, program, status, applied in con.execute(
            "SELECT candidate_id, program_id, status, applied_on FROM application"):
        apps[cid].append((program, status, applied))
    places = defaultdict(list)
    for row in con.execute("SELECT candidate_id, program_id, start_date, end_date, returned_on, "
                           "country, isco_code FROM placement"):
        places[row[0]].append(row[1:])
    consent = dict(con.execute("SELECT candidate_id, given_on FROM consent"))
    con.close()
    return people, history, apps, places, consent


def test_every_history_is_a_dated_walk_along_the_path(demo):
    import datetime as dt

    from migdesk.domain.identity import age_on
    from migdesk.domain.statuses import CandidateStatus, check_transition
    from tests.conftest import TODAY

    people, history, _apps, _places, consent = _story(demo)
    assert len(people) == 442
    years = set()
    for cid, (status, registered, birth) in people.items():
        steps = history[cid]
        assert steps[0][:2] == (None, "registered"), cid
        assert steps[0][2][:10] == registered == consent[cid]  # registered that very day
        assert steps[-1][1] == status
        for (_o, prev, at_prev, _p), (old, new, at, _q) in zip(steps, steps[1:], strict=False):
            assert old == prev and at_prev < at, (cid, steps)  # strictly later, chained
            check_transition(CandidateStatus(old), CandidateStatus(new))
        assert steps[-1][2][:10] < TODAY.isoformat(), (cid, steps)  # all of it in the past
        assert age_on(dt.date.fromisoformat(birth), dt.date.fromisoformat(registered)) >= 18
        years.add(registered[:4])
    # spread over the years before today, not all on the day the demo was made
    assert {"2018", "2021", "2023", "2025", "2026"} <= years
    assert len({h[2][:10] for steps in history.values() for h in steps}) > 300


def test_departed_employed_and_returned_have_what_explains_them(demo):
    people, history, apps, places, _consent = _story(demo)
    pilot = demo.programs.get("PL-IOM-PILOT").id
    seen = set()
    for cid, (status, _registered, _birth) in people.items():
        day = {new: at[:10] for _old, new, at, _p in history[cid]}
        if status in ("shortlisted", "selected", "departed", "employed", "returned"):
            [(program, app_status, applied)] = apps[cid]
            assert program == pilot
            assert day["screened"] <= applied <= day["shortlisted"], cid
            assert all(p == pilot for _o, new, _a, p in history[cid]
                       if new not in ("registered", "screened"))
            want = {"shortlisted": "shortlisted", "selected": "selected"}.get(status, "placed")
            assert app_status == want, (cid, status, app_status)
        else:
            assert not apps[cid] and not places[cid], cid
        if status not in ("departed", "employed", "returned"):
            assert not places[cid], cid
            continue
        seen.add(status)
        [(program, start, end, returned, country, _isco)] = places[cid]
        assert program == pilot and country == "PL"
        # registered < screened < shortlisted < selected < departed ≤ start ≤ employed
        assert (day["registered"] < day["screened"] < day["shortlisted"] < day["selected"]
                < day["departed"] <= start), (cid, day, start)
        if status == "departed":
            assert "employed" not in day and returned is None
            continue
        assert start <= day["employed"]
        if status == "employed":
            assert returned is None and (end is None or end > "2026-11-24"), (cid, end)
        else:  # employed < placement end ≤ returned
            assert day["employed"] < end <= returned == day["returned"], (cid, day, end)
    assert seen == {"departed", "employed", "returned"}


def test_poland_is_at_the_pilot_stage_and_the_briefing_says_so(demo):
    import io

    from pypdf import PdfReader

    from migdesk.services.briefing import BriefingService

    pl = demo.partners.get("PL")
    assert pl.stage == "pilot_running" and "IOM" in pl.notes
    stages = {p.iso_code: p.stage for p in demo.partners.list()}
    assert stages["HU"] == "interest_expressed" != stages["PL"]
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(BriefingService(demo).render())).pages)
    assert "პოლონეთი — მიმდინარეობს პილოტური პროექტი" in text
    assert ("ხელშეკრულების გაფორმებამდე პილოტური პროექტი მიმდინარეობს შემდეგ "
            "სახელმწიფოებთან: პოლონეთი.") in text
