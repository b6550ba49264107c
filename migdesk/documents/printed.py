"""What a dossier printed, kept inside the signed file, and the check of a file's text against it.

When a dossier is made for signing, each paragraph notes what it printed as it is drawn
(`layout.Printed`): (dossier index, field, text), in the order of the page's content stream.
That list, with each dossier's number and check code, goes into the signed revision of the
PDF as the attachment `migdesk-printed.json`; it holds nothing that is not printed.
`dossier verify` extracts the file's text (pypdf) and finds every noted text in it, in order:
one that is missing names its field ("the printed personal number differs"). Pure: bytes in,
findings out; no database, no Qt.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from migdesk.domain.errors import FIELD_LABELS
from migdesk.i18n import N_, translate

ATTACHMENT = "migdesk-printed.json"
FORMAT = "migdesk-printed"
VERSION = 1
# Between two noted paragraphs a page may carry only its furniture (notice, dossier number,
# "page n / m"): a noted text must be found within this many characters (white space left
# out) of the previous one, so an edit cannot be "found" pages later.
GAP = 240
GAP_REMADE = 1000  # ... and when the context texts are not known (they lie between)
# Fields that describe the printing, not the candidate's record.
CONTEXT = frozenset({"number", "issued_on", "check_code", "officer", "institution",
                     "desk_name"})
TEXT = "text"  # the key for a paragraph without a field (a label, a heading)

LABELS: dict[str, str] = {
    "number": N_("Dossier number"),
    "issued_on": N_("Date of issue"),
    "check_code": N_("Check code"),
    "officer": N_("Officer"),
    "institution": N_("Institution"),
    "desk_name": N_("Issuing desk"),
    "registered_on": N_("Registered"),
    "history": N_("Status history"),
    "placement": N_("Placements and returns"),
    TEXT: N_("other printed text"),
}

Note = tuple[int, str | None, str]


def label(field: str, lang: str) -> str:
    """The field's name in `lang` (as the dossier prints it where it can)."""
    msgid = LABELS.get(field) or FIELD_LABELS.get(field)
    return translate(msgid, lang) if msgid else field


@dataclass(frozen=True)
class Issued:
    """The context of one dossier in a file: what was printed around the record."""

    number: str
    candidate_id: str
    sha256: str
    issued_on: str
    institution: str
    desk_name: str
    officer: str
    lang: str


@dataclass(frozen=True)
class Record:
    """The attachment: the dossiers of a file and what was printed, in drawing order."""

    dossiers: list[Issued]
    printed: list[Note]

    def to_json(self) -> bytes:
        return json.dumps({"format": FORMAT, "version": VERSION,
                           "dossiers": [vars(d) for d in self.dossiers],
                           "printed": [list(n) for n in self.printed]},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Record | None:
        """The attachment read back; None when it is not one (a damaged or foreign file)."""
        try:
            raw = json.loads(data.decode("utf-8"))
            if raw.get("format") != FORMAT or raw.get("version") != VERSION:
                return None
            dossiers = [Issued(**{k: str(d[k]) for k in Issued.__dataclass_fields__})
                        for d in raw["dossiers"]]
            printed = [(int(s), None if f is None else str(f), str(t))
                       for s, f, t in raw["printed"]]
        except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError):
            return None
        return cls(dossiers, printed)

    def section(self, number: str) -> int | None:
        for i, d in enumerate(self.dossiers):
            if d.number == number:
                return i
        return None


def squash(text: str) -> str:
    """Text as compared: NFC, without any white space (lines wrap differently in readers)."""
    return "".join(unicodedata.normalize("NFC", text).split())


def extract(pdf: bytes) -> str | None:
    """The file's printed text (every page, in content order); None if pypdf cannot read it."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:  # noqa: BLE001 - a file pypdf cannot take apart is not a dossier
        return None


def attachment(pdf: bytes) -> Record | None:
    """The `migdesk-printed.json` attachment of a file, if it has a readable one."""
    from pypdf import PdfReader

    try:
        found = PdfReader(io.BytesIO(pdf), strict=False).attachments.get(ATTACHMENT)
    except Exception:  # noqa: BLE001 - as in extract()
        return None
    if not found:
        return None
    return Record.from_json(found[-1])


def differing(expected: Sequence[Note], text: str, remade: bool = False
              ) -> list[tuple[int, str]]:
    """(dossier index, field) of each noted text that `text` does not print where it should.

    The notes are looked for in order, each after the previous one and within `gap`
    characters of it; one that is not there is a difference and the search goes on from the
    same place. `remade` is for notes made again from the database rather than read from the
    file: the context of the printing (date, officer, check code…) is not known then, so it
    is skipped and allowed for between the other notes."""
    gap = GAP_REMADE if remade else GAP
    body = squash(text)
    pos = 0
    out: list[tuple[int, str]] = []
    for section, field, printed in expected:
        if remade and field in CONTEXT:
            continue
        want = squash(printed)
        if not want:
            continue
        at = body.find(want, pos, pos + gap + len(want))
        if at < 0:
            key = (section, field or TEXT)
            if key not in out:
                out.append(key)
            continue
        pos = at + len(want)
    return out


def by_field(notes: Iterable[Note], section: int) -> dict[str, list[str]]:
    """The record's fields of one dossier as printed: field → its texts, in order."""
    out: dict[str, list[str]] = {}
    for s, field, text in notes:
        if s == section and field is not None and field not in CONTEXT:
            out.setdefault(field, []).append(squash(text))
    return out


def changed_fields(printed: dict[str, list[str]], now: dict[str, list[str]]) -> list[str]:
    """The fields whose printed texts differ between two versions of a record."""
    return [f for f in dict.fromkeys([*printed, *now]) if printed.get(f) != now.get(f)]
