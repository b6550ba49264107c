"""The ministerial briefing: the memo's facts, partial dates as such, a chart, our font only."""

from __future__ import annotations

import io

from pypdf import PdfReader

from migdesk import cli
from migdesk.services.briefing import BriefingService
from migdesk.services.demo import load_demo


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_briefing_on_demo_data_reads_like_the_memo(app) -> None:
    load_demo(app, candidates=30, seed=5)
    pdf = BriefingService(app).render()
    text = _text(pdf)
    for fact in ("2013 წელი", "2018 წლის დეკემბერი", "2019 წლის 1 თებერვალი",  # France
                 "2019 წლის 2 აპრილი",  # Paris visit
                 "2018 წლის 3 დეკემბერი", "ხელშეკრულების პროექტის განხილვა",  # Israel
                 "IOM", "286 EUR", "countryeconomy.com",  # Poland pilot, Bulgaria
                 "საფრანგეთი", "ისრაელი", "პოლონეთი", "ბულგარეთი"):
        assert fact in text, fact
    assert "ცირკულარული შრომითი მიგრაციის მდგომარეობა" in text
    assert "2026 წლის 24 ნოემბერი" in text
    assert "გვერდი 1 /" in text
    assert b"Helvetica" not in pdf  # charts and tables use the embedded font too
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "ცირკულარული შრომითი მიგრაციის მდგომარეობა"


def test_briefing_from_records_made_by_hand(app, tmp_path) -> None:
    fr = app.partners.add("FR", "in_force").id
    agr = app.partners.add_agreement(fr, "agreement", "საქართველოსა და საფრანგეთს შორის "
                                     "ხელშეკრულება", "Georgia–France agreement").id
    app.partners.add_milestone(agr, "signed", "2013")
    app.partners.add_milestone(agr, "ratified_partner", "2018-12")
    app.partners.add_milestone(agr, "entered_into_force", "2019-02-01")
    out = tmp_path / "briefing.pdf"
    assert cli.main(["--db", str(app.db.url), "briefing", "-o", str(out)]) == 0
    text = _text(out.read_bytes())
    assert "2013 წელი" in text and "2018 წლის დეკემბერი" in text
    assert "2019 წლის 1 თებერვალი" in text
