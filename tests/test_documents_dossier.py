"""The candidate dossier PDF: Georgian text, official dates, page numbers, fonts, check code."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from migdesk.services.demo import load_demo
from migdesk.services.dossiers import DossierService


@pytest.fixture
def demo(app):
    load_demo(app, candidates=40, seed=7)
    return app


def _employed(app) -> str:
    page = app.candidates.search(status="employed", limit=5)
    assert page.items, "demo data has employed candidates"
    return page.items[0].id


def _text(pdf: bytes) -> list[str]:
    """Each page's text with runs of white space (line breaks) made single spaces."""
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_dossier_has_georgian_content_dates_and_page_numbers(demo) -> None:
    svc = DossierService(demo)
    cid = _employed(demo)
    detail = demo.candidates.get(cid, purpose=None)
    r = svc.render(cid)
    pages = _text(r.pdf)
    text = "\n".join(pages)
    assert "კანდიდატის დოსიე" in text
    assert "საქართველოს ოკუპირებული ტერიტორიებიდან დევნილთა" in text
    assert "2026 წლის 24 ნოემბერი" in text  # date of issue, official form
    assert detail.last_name_ka in text and detail.personal_number in text
    assert detail.last_name_lat.upper() in text  # passport form (Latin capitals)
    assert r.number in text
    m = len(pages)
    assert m >= 1
    for n, page in enumerate(pages, 1):
        assert f"გვერდი {n} / {m}" in page
        assert "შეიცავს პერსონალურ მონაცემებს" in page
    for section in ("პერსონალური მონაცემები", "პროფესიები", "ენების ცოდნა", "განათლება",
                    "სტატუსის ისტორია", "ხელმოწერები"):
        assert section in text
    occ = detail.occupations[0]
    assert occ.isco_code in text and occ.title_ka.split()[0] in text


def test_metadata_fonts_embedded_and_bytes_reproducible(demo) -> None:
    svc = DossierService(demo)
    cid = _employed(demo)
    a, b = svc.render(cid).pdf, svc.render(cid).pdf
    # the printed revision is reproducible; the signature after it (time, ECDSA nonce) is not
    assert a[:a.index(b"%%EOF")] == b[:b.index(b"%%EOF")]
    reader = PdfReader(io.BytesIO(a))
    meta = reader.metadata
    assert meta.title.startswith("კანდიდატის დოსიე")
    assert meta.author == demo.desk.name
    assert meta.subject == "შეიცავს პერსონალურ მონაცემებს"
    assert reader.trailer["/Root"].get("/Lang") == "ka"
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = desc is not None and "/FontFile2" in desc.get_object()
    assert fonts and all(fonts.values()), fonts  # every font embedded as TrueType


def test_print_and_export_are_logged(demo) -> None:
    svc = DossierService(demo)
    cid = _employed(demo)
    before = len(demo.audit.accesses(cid))
    svc.render(cid, action="print")
    svc.render(cid, action="export")
    log = demo.audit.accesses(cid)
    assert [x.action for x in log[:2]] == ["export", "print"]
    assert len(log) == before + 2 and log[0].officer == "tester"


def test_verify_accepts_true_dossier_and_rejects_after_change(demo, tmp_path) -> None:
    svc = DossierService(demo)
    cid = _employed(demo)
    path = tmp_path / "d.pdf"
    r = svc.save(cid, path)
    [ok] = svc.verify_file(path)
    assert ok.ok and ok.reason == "match" and ok.number == r.number
    sha = re.search(r"[0-9a-f]{64}", "\n".join(_text(path.read_bytes()))).group(0)
    assert svc.verify(r.number, sha).ok  # by number + hash, as typed from paper
    demo.candidates.change_status(cid, "returned", reason="contract ended")
    [bad] = svc.verify_file(path)
    assert not bad.ok and bad.reason == "changed"
    assert not svc.verify(r.number, sha).ok


def test_cli_dossier_and_verify(demo, tmp_path, capsys) -> None:
    from migdesk import cli

    cid = _employed(demo)
    pn = demo.candidates.get(cid, purpose=None).personal_number
    out = tmp_path / "by-number.pdf"
    db = str(demo.db.url)
    assert cli.main(["--db", db, "dossier", pn, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert cli.main(["--db", db, "dossier", "verify", str(out)]) == 0
    demo.candidates.withdraw_consent(cid)
    capsys.readouterr()
    assert cli.main(["--db", db, "dossier", "verify", str(out)]) == 7
    captured = capsys.readouterr()
    assert "შეიცვალა" in captured.out
    assert "Traceback" not in captured.err and " / Error:" in captured.err


def test_first_page_renders_not_blank(demo, qapp, tmp_path) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    path = tmp_path / "d.pdf"
    DossierService(demo).save(_employed(demo), path)
    doc = QPdfDocument()
    doc.load(str(path))
    assert doc.pageCount() >= 1
    img = doc.render(0, QSize(595, 842))
    img.save(str(tmp_path / "page1.png"))
    dark = sum(1 for y in range(0, img.height(), 3) for x in range(0, img.width(), 3)
               if img.pixelColor(x, y).lightness() < 128)
    assert dark > 2000, dark  # text, rules and the QR code are there
