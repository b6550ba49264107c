"""Dossiers that prove themselves: every dossier file is signed by its desk (PAdES B-B), and
`dossier verify` refuses anything that is not a signed dossier of this desk, naming the printed
field that differs."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import stat
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from migdesk import cli
from migdesk.documents import dossier, fonts, signing
from migdesk.services.dossier_check import NotADossier
from migdesk.services.dossiers import DossierService
from tests.helpers import person

PN = "01001012345"


@pytest.fixture
def desk(app):
    app.ensure_desk("თბილისის სამუშაო ადგილი")
    cid = app.candidates.register(person(PN, phone="+995 555 12 34 56",
                                         address="თბილისი, ვაჟა-ფშაველას 10")).id
    return app, cid


def _signed(app, cid, tmp_path, name="d.pdf"):
    path = tmp_path / name
    DossierService(app).save(cid, path)
    return path


def _verify(app, path, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["--db", str(app.db.url), "dossier", "verify", str(path)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def _edit_page_text(pdf: bytes, old: bytes, new: bytes, incremental: bool) -> bytes:
    """The file with `old` replaced by `new` in the first page's drawing (as an editor does)."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(reader, incremental=True) if incremental else PdfWriter(clone_from=reader)
    page = writer.pages[0]
    content = page.get_contents()
    data = content.get_data()
    assert data.count(old) == 1
    fresh = StreamObject()
    fresh.set_data(data.replace(old, new))
    page[NameObject("/Contents")] = writer._add_object(fresh)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _other_desk() -> signing.DeskCertificate:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    cert = signing.make_certificate(key, "00000000-0000-4000-8000-0000000000bb",
                                    "ქუთაისის ცენტრი", "სამინისტრო")
    return signing.DeskCertificate("00000000-0000-4000-8000-0000000000bb", key, cert,
                                   signing.key_dir() / "other.dossier-cert.pem")


def test_a_signed_dossier_is_accepted_and_its_key_is_owner_only(desk, tmp_path, capsys):
    app, cid = desk
    path = _signed(app, cid, tmp_path)
    check = DossierService(app).check_file(path)
    assert check.ok and check.signature is None and check.own
    assert check.signer == "თბილისის სამუშაო ადგილი"  # in full; the certificate holds 64 bytes
    assert signing.fit("თბილისის სამუშაო ადგილი") == "თბილისის სამუშაო ადგილ"
    [v] = check.verdicts
    assert v.ok and v.reason == "match" and not v.printed and not v.changed

    key_path, cert_path = signing.cert_paths(app.desk_id)
    assert key_path.parent == signing.key_dir() and cert_path.exists()
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_path.parent).st_mode) == 0o700
    assert b"PRIVATE KEY" not in path.read_bytes()

    # a standard PDF signature: one field, PAdES sub-filter, over the whole file
    reader = PdfReader(str(path))
    sig = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()["/V"].get_object()
    assert sig["/SubFilter"] == "/ETSI.CAdES.detached"
    start, length, after, rest = sig["/ByteRange"]
    assert start == 0 and after + rest == len(path.read_bytes())

    code, out, _ = _verify(app, path, capsys)
    assert code == 0
    assert "ხელმოწერილია ამ სამუშაო ადგილის მიერ" in out
    assert "ემთხვევა ხელმოწერილ ჩანაწერს და მონაცემთა ბაზას" in out


def test_one_byte_of_the_file_edited_is_refused(desk, tmp_path, capsys):
    app, cid = desk
    path = _signed(app, cid, tmp_path)
    data = path.read_bytes()
    at = data.index(b"/Creator (migdesk)") + len(b"/Creator (")  # inside the signed bytes
    path.write_bytes(data[:at] + b"M" + data[at + 1:])
    check = DossierService(app).check_file(path)
    assert not check.ok and check.signature == "broken"
    code, _, err = _verify(app, path, capsys)
    assert code == 7
    assert "ხელმოწერის შემდეგ შეიცვალა" in err and "changed after it was signed" in err


def test_one_printed_digit_edited_is_refused_naming_the_personal_number(desk, tmp_path,
                                                                         capsys):
    app, cid = desk
    path = _signed(app, cid, tmp_path)
    path.write_bytes(_edit_page_text(path.read_bytes(), b"(01001012345)", b"(01001012346)",
                                     incremental=False))
    assert "01001012346" in PdfReader(str(path)).pages[0].extract_text()
    check = DossierService(app).check_file(path)
    assert check.signature == "broken"
    [v] = check.verdicts
    assert not v.ok and v.printed == ("personal_number",)
    code, out, err = _verify(app, path, capsys)
    assert code == 7
    assert "პირადი ნომერი" in out
    assert "Personal number" in err and "პირადი ნომერი" in err


def test_printed_text_changed_after_signing_is_refused(desk, tmp_path, capsys):
    """An incremental update keeps the first signature intact but does not cover the file."""
    app, cid = desk
    path = _signed(app, cid, tmp_path)
    path.write_bytes(_edit_page_text(path.read_bytes(), b"(01001012345)", b"(01001099999)",
                                     incremental=True))
    check = DossierService(app).check_file(path)
    assert check.signature == "partial"
    assert check.verdicts[0].printed == ("personal_number",)
    code, _, err = _verify(app, path, capsys)
    assert code == 7 and "does not cover the whole file" in err and "Personal number" in err


def _forged_input(app, cid, pn="01001099999"):
    fonts.register()
    inp = DossierService(app).prepare(cid)
    return dataclasses.replace(inp, detail=dataclasses.replace(inp.detail, personal_number=pn))


def test_personal_number_re_rendered_unsigned_is_refused_naming_it(desk, tmp_path, capsys):
    app, cid = desk
    path = tmp_path / "forged.pdf"
    path.write_bytes(dossier.render([_forged_input(app, cid)]))
    check = DossierService(app).check_file(path)
    assert check.signature == "unsigned"
    [v] = check.verdicts
    assert not v.ok and v.remade and v.printed == ("personal_number",)
    code, _, err = _verify(app, path, capsys)
    assert code == 7
    assert "is not signed" in err and "ხელმოწერილი არ არის" in err
    assert "differs from the record in the database: Personal number" in err
    assert "changed since it was printed" not in err  # said once, not twice


def test_an_unsigned_true_dossier_is_refused(desk, tmp_path, capsys):
    app, cid = desk
    fonts.register()
    path = tmp_path / "plain.pdf"
    path.write_bytes(dossier.render([DossierService(app).prepare(cid)]))
    check = DossierService(app).check_file(path)
    assert check.signature == "unsigned" and not check.ok
    assert check.verdicts[0].printed == () and check.verdicts[0].database == "match"
    code, _, err = _verify(app, path, capsys)
    assert code == 7 and "is not signed" in err


def test_personal_number_re_signed_with_another_key_is_refused_naming_it(desk, tmp_path,
                                                                          capsys):
    app, cid = desk
    path = tmp_path / "forged.pdf"
    path.write_bytes(dossier.render_signed([_forged_input(app, cid)], _other_desk()))
    check = DossierService(app).check_file(path)
    assert check.signature == "untrusted" and check.signer == "ქუთაისის ცენტრი"
    [v] = check.verdicts
    assert not v.ok and v.printed == () and v.changed == ("personal_number",)
    code, _, err = _verify(app, path, capsys)
    assert code == 7
    assert "a certificate this desk does not know (ქუთაისის ცენტრი)" in err
    assert "differs from the record in the database: Personal number" in err


def test_another_desks_signature_is_refused_until_that_desk_is_trusted(desk, tmp_path,
                                                                       capsys):
    app, cid = desk
    other = _other_desk()
    fonts.register()
    path = tmp_path / "kutaisi.pdf"
    path.write_bytes(dossier.render_signed([DossierService(app).prepare(cid)], other))
    check = DossierService(app).check_file(path)
    assert check.signature == "untrusted" and not check.own and not check.ok
    code, _, err = _verify(app, path, capsys)
    assert code == 7 and "neither this desk's nor a trusted desk's" in err

    other.cert_path.parent.mkdir(parents=True, exist_ok=True)
    other.cert_path.write_bytes(other.pem)  # the administrator puts its certificate beside ours
    check = DossierService(app).check_file(path)
    assert check.ok and not check.own
    code, out, _ = _verify(app, path, capsys)
    assert code == 0 and "ხელმოწერილია სანდო სამუშაო ადგილის მიერ: ქუთაისის" in out


def test_a_text_file_with_the_check_code_is_refused(desk, tmp_path, capsys):
    app, cid = desk
    path = _signed(app, cid, tmp_path)
    code_text = PdfReader(str(path)).metadata["/Keywords"]
    assert code_text.startswith("MIGDESK-DOSSIER:1:")
    fake = tmp_path / "code.txt"
    fake.write_text(code_text + "\n", encoding="utf-8")
    with pytest.raises(NotADossier):
        DossierService(app).check_file(fake)
    code, out, err = _verify(app, fake, capsys)
    assert code == 3 and "matches" not in out and "ემთხვევა" not in out
    assert "is not a PDF file" in err and "PDF ფაილი არ არის" in err

    fake.write_bytes(b"%PDF-1.4\n" + code_text.encode() + b"\n%%EOF\n")  # dressed as a PDF
    code, out, err = _verify(app, fake, capsys)
    assert code in (3, 7) and "ემთხვევა" not in out and "Error:" in err


def test_a_genuine_dossier_whose_record_changed_names_the_field(desk, tmp_path):
    app, cid = desk
    path = _signed(app, cid, tmp_path)
    app.candidates.update(cid, person(PN, phone="+995 599 00 00 00",
                                      address="თბილისი, ვაჟა-ფშაველას 10"))
    check = DossierService(app).check_file(path)
    assert check.signature is None  # the paper is genuine; the database moved on
    [v] = check.verdicts
    assert v.database == "changed" and v.printed == () and v.changed == ("phone",)


def test_every_signature_of_a_desk_is_its_own_and_valid(desk, tmp_path):
    """The CMS container is made once per certificate; each file still gets its own digest
    and signature, and pyHanko validates each one."""
    app, cid = desk
    svc = DossierService(app)
    cert = svc.certificate()
    fonts.register()
    inp = svc.prepare(cid)
    files = [dossier.render_signed([dataclasses.replace(inp, officer=f"ოფიცერი {i}")], cert)
             for i in range(5)]
    contents = set()
    for pdf in files:
        result = signing.check(pdf, [cert.cert])
        assert result.ok and result.fingerprint == cert.fingerprint
        sig = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/AcroForm"]["/Fields"][0] \
            .get_object()["/V"].get_object()
        contents.add(bytes(sig["/Contents"]))
    assert len(contents) == 5
    # the container of one file under another file's signature dictionary is refused
    hexed = [re.search(rb"/Contents <([0-9a-fA-F]+)>", pdf) for pdf in files[:2]]
    assert hexed[0] and hexed[1] and len(hexed[0].group(1)) == len(hexed[1].group(1))
    b = files[1]
    swapped = b[:hexed[1].start(1)] + hexed[0].group(1) + b[hexed[1].end(1):]
    assert signing.check(swapped, [cert.cert]).problem == "broken"
    assert signing.check(b, [cert.cert]).ok


def test_cli_shows_and_exports_the_desk_certificate(desk, tmp_path, capsys):
    from cryptography import x509

    app, cid = desk
    path = _signed(app, cid, tmp_path)
    out = tmp_path / "desk.pem"
    capsys.readouterr()
    assert cli.main(["--db", str(app.db.url), "dossier", "certificate", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    cert = DossierService(app).certificate()
    assert str(cert.cert_path) in text and "თვითხელმოწერილი" in text
    assert ":".join(f"{b:02X}" for b in bytes.fromhex(cert.fingerprint)) in text
    exported = x509.load_pem_x509_certificate(out.read_bytes())
    assert exported == cert.cert and b"PRIVATE" not in out.read_bytes()
    assert signing.check(path.read_bytes(), [exported]).ok  # what a reader trusts


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "folder"])
def test_damaged_files_are_refused_in_both_languages(desk, tmp_path, capsys, damage):
    app, cid = desk
    path = _signed(app, cid, tmp_path)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 64 + data[-2000:])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
        path.mkdir()
    code, out, err = _verify(app, path, capsys)
    assert code in (3, 7), (code, out, err)
    assert "ემთხვევა ხელმოწერილ" not in out
    assert " / Error:" in err and err.count("\n") == 1


def test_checking_makes_no_key_and_a_long_institution_still_fits(app, tmp_path, capsys):
    app.ensure_desk("ბათუმი")
    cid = app.candidates.register(person(PN)).id
    fonts.register()
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(dossier.render([DossierService(app).prepare(cid)]))
    assert DossierService(app).check_file(plain).signature == "unsigned"
    key_path, cert_path = signing.cert_paths(app.desk_id)
    assert not key_path.exists() and not cert_path.exists()  # verify wrote nothing

    app.set_setting("institution_name", "სამინისტრო " * 60)  # 660 Georgian characters
    path = _signed(app, cid, tmp_path)
    check = DossierService(app).check_file(path)
    assert check.ok and check.own


@pytest.mark.skipif(shutil.which("pdfsig") is None,
                    reason="poppler's pdfsig is not installed (Debian: poppler-utils)")
def test_another_pdf_reader_validates_the_signature(desk, tmp_path):
    """poppler (Okular, Evince) checks the same signature on its own, with no migdesk code."""
    app, cid = desk
    path = _signed(app, cid, tmp_path)
    DossierService(app).save(cid, path)  # a second file: the shared CMS template at work
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, timeout=60)
    shown = out.stdout.decode("utf-8", "replace")  # it prints names in its own encoding
    assert "Signature Type: ETSI.CAdES.detached" in shown
    assert "Total document signed" in shown
    assert "Signature Validation: Signature is Valid." in shown
    data = path.read_bytes()
    at = data.index(b"/Creator (migdesk)") + len(b"/Creator (")
    path.write_bytes(data[:at] + b"M" + data[at + 1:])
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, timeout=60)
    assert b"Signature is Valid." not in out.stdout
