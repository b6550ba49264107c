"""The candidate list as printed: a Georgian A4 table of the rows the window shows.

Pure: rows in, PDF bytes out; any thread. Every text is checked against the font (no
missing glyph is printed as a box), every page carries the personal-data notice and
"გვერდი N / M". The rows are laid out in tables of at most ROWS_PER_TABLE, so a long list
costs time in proportion to its length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from migdesk.documents import layout
from migdesk.documents.layout import Text
from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_

ROWS_PER_TABLE = 60
TITLE = N_("List of candidates")
# (header msgid, width in mm): 174 mm across an A4 page between the margins; a personal
# number, a date and the longest status (რეგისტრირებული, 27 mm at 8 pt) are never broken
COLUMNS: tuple[tuple[str, float], ...] = (
    (N_("No."), 8), (N_("Personal number"), 23), (N_("Surname and name"), 36),
    (N_("Latin name"), 31), (N_("Date of birth"), 19), (N_("Region"), 28),
    (N_("Status"), 29))


class ListCancelled(MigdeskError):
    exit_code = 130


@dataclass(frozen=True)
class ListRow:
    personal_number: str
    name_ka: str
    name_lat: str
    birth_date: str
    region: str
    status: str


@dataclass(frozen=True)
class ListInput:
    rows: Sequence[ListRow]
    selection: str  # what the list is (the search and filters), in the document language
    issued_on: dt.date
    desk_name: str
    officer: str
    institution: str
    lang: str = "ka"


def render(inp: ListInput, progress: Callable[[int, int], object] | None = None) -> bytes:
    tx = Text(inp.lang)
    story: list[Flowable] = [
        tx.p(inp.institution, "institution"),
        tx.p(tx.t(TITLE), "title"),
        tx.p(tx.t(N_("{selection} · {n} candidates · {date} · {desk}, {officer}"),
                  selection=inp.selection, n=len(inp.rows),
                  date=inp.issued_on.strftime("%d.%m.%Y"), desk=inp.desk_name,
                  officer=inp.officer), "subtitle"),
        Spacer(0, 4 * mm),
    ]
    from reportlab.lib.styles import ParagraphStyle

    tx.st["row"] = ParagraphStyle("row", parent=tx.st["cell"], fontSize=8, leading=10)
    tx.st["rowb"] = ParagraphStyle("rowb", parent=tx.st["cellb"], fontSize=8, leading=10)
    header = [tx.p(tx.t(h), "rowb") for h, _w in COLUMNS]
    widths = [w * mm for _h, w in COLUMNS]
    total = len(inp.rows)
    if not total:
        story.append(tx.p(tx.t(N_("No candidates match")), "body"))
    for start in range(0, total, ROWS_PER_TABLE):
        body = [[tx.p(str(start + i + 1), "row"), tx.p(r.personal_number, "row"),
                 tx.p(r.name_ka, "row"), tx.p(r.name_lat, "row"), tx.p(r.birth_date, "row"),
                 tx.p(r.region or "—", "row"), tx.p(r.status, "row")]
                for i, r in enumerate(inp.rows[start:start + ROWS_PER_TABLE])]
        t = Table([header, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
        t.setStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), layout.TABLE_FONT,
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, layout.RULE),
            ("BACKGROUND", (0, 0), (-1, 0), layout.SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, layout.INK)])
        story.append(t)
        if progress is not None and progress(min(start + ROWS_PER_TABLE, total), total) is False:
            raise ListCancelled.of(None, N_("Cancelled; no file was written"))
    meta = layout.Meta(title=tx.t(TITLE), author=inp.desk_name, subject=inp.selection)
    furniture = layout.Furniture(tx.t(layout.PAGE_OF, n="{n}", m="{m}"),
                                 tx.t(layout.PERSONAL_DATA), tx.guard)
    return layout.build(story, meta, furniture)
