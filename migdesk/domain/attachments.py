"""Scanned documents kept with a candidate: their kinds, the size limit, and what a file is.

A file is recognised by its first bytes (PDF, JPEG, PNG, TIFF), never by its name: a
renamed spreadsheet or program is refused whatever it is called.
"""

from __future__ import annotations

from migdesk.domain.vocab import Vocabulary
from migdesk.i18n import N_

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a multi-page scan at 300 dpi; package.MAX_ATTACHMENT is 64 MB
MAX_MB = MAX_BYTES // (1024 * 1024)


class AttachmentKind(Vocabulary):
    PASSPORT = "passport"
    ID_CARD = "id_card"
    DIPLOMA = "diploma"
    CERTIFICATE = "certificate"
    CONSENT = "consent"
    PHOTO = "photo"
    MEDICAL = "medical"
    CONTRACT = "contract"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return _KIND_LABELS


_KIND_LABELS = {
    "passport": N_("passport"),
    "id_card": N_("identity card"),
    "diploma": N_("diploma"),
    "certificate": N_("certificate of skills or work"),
    "consent": N_("consent form"),
    "photo": N_("photograph"),
    "medical": N_("medical certificate"),
    "contract": N_("contract"),
    "other": N_("other document"),
}


def kind_label(kind: str, lang: str) -> str:
    """The label of a kind; a kind this version does not know (from another desk) as it is."""
    try:
        return AttachmentKind(kind).label(lang)
    except ValueError:
        return kind


# (media type, what the file starts with)
_MAGIC: tuple[tuple[str, tuple[bytes, ...]], ...] = (
    ("application/pdf", (b"%PDF-",)),
    ("image/jpeg", (b"\xff\xd8\xff",)),
    ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ("image/tiff", (b"II*\x00", b"MM\x00*")),
)
MEDIA_TYPES = tuple(m for m, _ in _MAGIC)
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
              "image/tiff": ".tif"}
HEAD = 1024  # bytes read to tell


def sniff(head: bytes) -> str | None:
    """The media type of a file from its first bytes, or None when it is none of ours."""
    for media, starts in _MAGIC:
        if any(head.startswith(s) for s in starts):
            return media
    if head[:1024].lstrip(b"\r\n\t \xef\xbb\xbf").startswith(b"%PDF-"):  # some scanners
        return "application/pdf"
    return None
