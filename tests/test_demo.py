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
