"""The desk's dossier certificate (self-signed ECDSA P-256) and PAdES signing and checking.

Each desk makes, on first use, a key and a self-signed X.509 certificate whose subject names
the desk (name and id) and the institution; both are kept in the data directory beside the
desk's other keys (`keys/<desk_id>.dossier-key.pem`, mode 0600, and
`keys/<desk_id>.dossier-cert.pem`). Dossier PDFs are signed with it as PAdES B-B signatures
(pyHanko), which PDF readers validate once the desk certificate is trusted. Pure: bytes in,
bytes out; no database.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from migdesk import paths
from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_

FIELD_NAME = "migdesk-dossier"
# Room for the CMS signature: reserving it up front saves pyHanko a dummy signing run per
# file. The container holds the certificate once and its issuer's name twice more (a long
# Georgian institution is 300 bytes a time), plus the ECDSA signature and the attributes.
RESERVED_BASE = 1536
YEARS = 20


class CertificateProblem(MigdeskError):
    exit_code = 6


@dataclass(frozen=True)
class DeskCertificate:
    """This desk's dossier key and certificate, loaded once and reused for every file."""

    desk_id: str
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    cert_path: Path

    @property
    def subject(self) -> str:
        return self.cert.subject.rfc4514_string()

    @property
    def common_name(self) -> str:
        """The name a PDF reader shows as the signer: the desk's name (at most 64 bytes)."""
        found = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(found[0].value) if found else ""

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @cached_property
    def reserved(self) -> int:
        """Bytes to reserve in /Contents for a signature (hex: twice the CMS's DER)."""
        return 2 * (RESERVED_BASE + 3 * len(self.cert.public_bytes(serialization.Encoding.DER)))

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate (DER), hex: what a PDF reader shows as its fingerprint."""
        return self.cert.fingerprint(hashes.SHA256()).hex()

    @cached_property
    def signer(self):  # type: ignore[no-untyped-def]
        """A pyHanko signer over the loaded key (made once per certificate)."""
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        der_key = self.key.private_bytes(serialization.Encoding.DER,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
        cert = asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))
        return _signer_class()(cert, asn1_keys.PrivateKeyInfo.load(der_key),
                               SimpleCertificateStore.from_certs([cert]), key=self.key)


# The signed attributes of a PAdES B-B signature by pyHanko; none depends on the time or the
# document except the message digest, so the CMS can be made once and filled in.
_FIXED_ATTRS = ("content_type", "message_digest", "signing_certificate_v2")
_TRIES = 64  # ECDSA signatures until one has the template's length (each has p ≥ 1/4)


@dataclass(frozen=True)
class _Template:
    """pyHanko's CMS for a zero digest, and where its digest and signature lie."""

    der: bytes
    attrs_at: int  # offset of the signed attributes ([0] IMPLICIT SET)
    attrs_len: int
    digest_at: int  # offset of the 32 digest bytes
    sig_len: int  # the signature is the last `sig_len` bytes

    def fill(self, key: ec.EllipticCurvePrivateKey, digest: bytes) -> bytes | None:
        der = self.der[:self.digest_at] + digest + self.der[self.digest_at + len(digest):]
        attrs = der[self.attrs_at:self.attrs_at + self.attrs_len]
        tbs = b"\x31" + attrs[1:]  # signed as a SET (RFC 5652 § 5.4), embedded as [0]
        for _ in range(_TRIES):
            sig = key.sign(tbs, ec.ECDSA(hashes.SHA256()))
            if len(sig) == self.sig_len:
                return der[:-self.sig_len] + sig
        return None

    @classmethod
    def of(cls, info, digest_len: int) -> _Template | None:  # type: ignore[no-untyped-def]
        der = info.dump()
        signer_info = info["content"]["signer_infos"][0]
        attrs = signer_info["signed_attrs"]
        if (tuple(a["type"].native for a in attrs) != _FIXED_ATTRS
                or signer_info["unsigned_attrs"].native is not None):
            return None
        raw_attrs = attrs.dump()
        sig = signer_info["signature"].native
        zero = b"\x04" + bytes([digest_len]) + bytes(digest_len)
        if der.count(raw_attrs) != 1 or raw_attrs.count(zero) != 1 or not der.endswith(sig):
            return None
        at = der.index(raw_attrs)
        return cls(der, at, len(raw_attrs), at + raw_attrs.index(zero) + 2, len(sig))


@lru_cache(maxsize=1)
def _signer_class() -> type:
    """pyHanko's SimpleSigner, with its CMS container made once per certificate.

    pyHanko builds the CMS SignedData anew for every signature through asn1crypto, which
    re-encodes the certificate's Georgian names each time: 50-70 ms, over a dossier's whole
    50 ms budget. This signer has pyHanko build it once (for a zero digest) and then, for
    each document, puts in the message digest and signs the signed attributes again with the
    same key, keeping an ECDSA signature of the template's length so that no length in the
    DER changes. Anything else pyHanko asks for (a dry run, a timestamp, other attributes)
    is left to pyHanko. `check()` validates the result with pyHanko."""
    from asn1crypto import cms
    from pyhanko.sign.signers import SimpleSigner

    class TemplateSigner(SimpleSigner):  # type: ignore[misc]
        def __init__(self, *args, key: ec.EllipticCurvePrivateKey,  # type: ignore[no-untyped-def]
                     **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._key = key
            self._template: _Template | None = None
            self._made = False

        async def async_sign(self, data_digest, digest_algorithm, dry_run=False,  # type: ignore[no-untyped-def]
                             use_pades=False, timestamper=None, signed_attr_settings=None,
                             is_pdf_sig=True, encap_content_info=None):
            args = {"dry_run": dry_run, "use_pades": use_pades, "timestamper": timestamper,
                    "signed_attr_settings": signed_attr_settings, "is_pdf_sig": is_pdf_sig,
                    "encap_content_info": encap_content_info}
            plain = (not dry_run and use_pades and timestamper is None and is_pdf_sig
                     and encap_content_info is None and digest_algorithm == "sha256")
            if plain and not self._made:
                self._made = True
                first = await super().async_sign(bytes(len(data_digest)), digest_algorithm,
                                                 **args)
                self._template = _Template.of(first, len(data_digest))
            der = (self._template.fill(self._key, data_digest)
                   if plain and self._template is not None else None)
            if der is None:
                return await super().async_sign(data_digest, digest_algorithm, **args)
            return cms.ContentInfo.load(der)

    return TemplateSigner


_lock = threading.Lock()
_cache: dict[str, DeskCertificate] = {}


def key_dir() -> Path:
    return paths.data_dir() / "keys"


def cert_paths(desk_id: str) -> tuple[Path, Path]:
    d = key_dir()
    return d / f"{desk_id}.dossier-key.pem", d / f"{desk_id}.dossier-cert.pem"


def fit(text: str, limit: int = 64) -> str:
    """`text` cut to `limit` UTF-8 bytes at a character boundary: a certificate's common name
    may hold 64 bytes, which is 21 Georgian letters."""
    data = text.strip().encode("utf-8")[:limit]
    return data.decode("utf-8", errors="ignore").strip()


def _subject(desk_id: str, desk_name: str, institution: str) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, fit(desk_name) or "migdesk"),
             x509.NameAttribute(NameOID.SERIAL_NUMBER, desk_id)]
    if institution:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, institution))
    attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "migdesk"))
    return x509.Name(attrs)


def make_certificate(key: ec.EllipticCurvePrivateKey, desk_id: str, desk_name: str,
                     institution: str, now: dt.datetime | None = None) -> x509.Certificate:
    """A self-signed certificate for signing documents (not a CA), valid for 20 years."""
    now = now or dt.datetime.now(dt.UTC)
    name = _subject(desk_id, desk_name, institution)
    public = key.public_key()
    return (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365 * YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256()))


def _write_public(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def ensure_certificate(desk_id: str, desk_name: str, institution: str) -> DeskCertificate:
    """This desk's dossier certificate, made on first use; loaded once per process."""
    key_path, cert_path = cert_paths(desk_id)
    with _lock:
        cached = _cache.get(str(cert_path))
        if cached is not None and cert_path.exists():
            return cached
        try:
            if not key_path.exists():
                key = ec.generate_private_key(ec.SECP256R1())
                try:
                    paths.write_private(key_path, key.private_bytes(
                        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption()))
                except FileExistsError:  # another process made it first: use theirs
                    pass
            if not cert_path.exists():
                key = _load_key(key_path)
                _write_public(cert_path, make_certificate(key, desk_id, desk_name, institution)
                              .public_bytes(serialization.Encoding.PEM))
        except OSError as exc:
            raise CertificateProblem.of(None, N_(
                "Cannot make the desk's dossier certificate in {dir}: {detail}"),
                dir=str(key_dir()), detail=exc.strerror or str(exc)) from None
        found = _load(desk_id)
        _cache[str(cert_path)] = found
        return found


def load_certificate(desk_id: str) -> DeskCertificate | None:
    """This desk's dossier certificate if it has one (never makes one: for checking)."""
    key_path, cert_path = cert_paths(desk_id)
    with _lock:
        cached = _cache.get(str(cert_path))
        if cached is not None and cert_path.exists():
            return cached
    if not (key_path.exists() and cert_path.exists()):
        return None
    try:
        return _load(desk_id)
    except OSError:
        return None


def _damaged() -> MigdeskError:
    return CertificateProblem.of(None, N_("The dossier certificate files in {dir} are damaged"),
                                 dir=str(key_dir()))


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), None)
    except ValueError:
        raise _damaged() from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise _damaged()
    return key


def _load(desk_id: str) -> DeskCertificate:
    key_path, cert_path = cert_paths(desk_id)
    key = _load_key(key_path)
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except ValueError:
        raise _damaged() from None
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if cert.public_key().public_bytes(*spki) != key.public_key().public_bytes(*spki):
        raise _damaged()
    return DeskCertificate(desk_id, key, cert, cert_path)


def trusted_certificates(own: DeskCertificate | None = None) -> list[x509.Certificate]:
    """This desk's certificate and any other desk's `*.dossier-cert.pem` put in the key folder."""
    out: list[x509.Certificate] = [own.cert] if own is not None else []
    try:
        files = sorted(key_dir().glob("*.dossier-cert.pem"))
    except OSError:
        files = []
    for f in files:
        if own is not None and f == own.cert_path:
            continue
        try:
            out.append(x509.load_pem_x509_certificate(f.read_bytes()))
        except (OSError, ValueError):
            continue
    return out


# -- signing ------------------------------------------------------------------------------
def sign(pdf: bytes, cert: DeskCertificate, reason: str | None = None,
         location: str | None = None,
         attachments: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """`pdf` with a PAdES B-B signature of the whole file appended (an incremental update).

    `attachments` (name, data) are embedded in the signed revision, so the signature covers
    them. The signer's name comes from the certificate's subject, never from the officer."""
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for name, data in attachments:
        embed.embed_file(writer, embed.FileSpec(
            file_spec_string=name, file_name=name,
            embedded_data=embed.EmbeddedFileObject.from_file_data(
                writer, data, mime_type="application/json",
                params=embed.EmbeddedFileParams(embed_size=True, embed_checksum=False))))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location)
    out = io.BytesIO()
    signers.sign_pdf(writer, meta, signer=cert.signer, bytes_reserved=cert.reserved,
                     output=out)
    return out.getvalue()


# -- checking -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SignatureCheck:
    """What the signature of a file says; `problem` is None when it proves the file."""

    problem: str | None  # None | "unreadable" | "unsigned" | "broken" | "partial" | "untrusted"
    signer: str = ""
    detail: str = ""
    fingerprint: str = ""  # SHA-256 of the signer's certificate (DER), hex

    @property
    def ok(self) -> bool:
        return self.problem is None


def _name(cert) -> str:  # type: ignore[no-untyped-def]
    """The signer as a person reads it: the certificate's common name (the desk's name)."""
    if cert is None:
        return ""
    try:
        subject = cert.subject.native
        return str(subject.get("common_name") or cert.subject.human_friendly)
    except (ValueError, TypeError, AttributeError):
        return ""


def check(pdf: bytes, trusted: list[x509.Certificate]) -> SignatureCheck:
    """Validate every signature of `pdf` against `trusted` (the trust roots).

    The file passes if each signature is intact and valid, the last one covers the whole
    file (or is followed only by validation-data updates), and its signer is trusted."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - any file that pyHanko cannot parse is unreadable
        return SignatureCheck("unreadable", detail=type(exc).__name__)
    if not sigs:
        return SignatureCheck("unsigned")
    roots = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
             for c in trusted]
    last = None
    for sig in sigs:
        vc = ValidationContext(trust_roots=roots)
        try:
            status = validate_pdf_signature(sig, vc)
        except Exception as exc:  # a malformed signature object is a broken signature
            return SignatureCheck("broken", detail=type(exc).__name__)
        signer = _name(status.signing_cert)
        if not (status.intact and status.valid):
            return SignatureCheck("broken", signer)
        last = (status, signer)
    assert last is not None
    status, signer = last
    fingerprint = status.signing_cert.sha256.hex() if status.signing_cert else ""
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES))
    if not whole:
        return SignatureCheck("partial", signer, fingerprint=fingerprint)
    if not status.trusted:
        return SignatureCheck("untrusted", signer, fingerprint=fingerprint)
    return SignatureCheck(None, signer, fingerprint=fingerprint)
