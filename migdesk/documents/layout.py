"""Page furniture shared by migdesk's PDFs: styles, "გვერდი N / M" footers, metadata, build.

Pages are numbered per section (one dossier of a bound batch is one section) by a canvas that
keeps its pages until `save()`, when every total is known. Builds run in reportlab's
invariant mode, so the same input gives the same bytes. Runs on any thread; no database.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from migdesk.documents import fonts
from migdesk.i18n import N_, translate

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
INK = colors.HexColor("#1f2a44")
MUTED = colors.HexColor("#5b6472")
RULE = colors.HexColor("#b8c0cc")
SHADE = colors.HexColor("#eef1f5")

# Tables set their cells' font even around Paragraphs: keep it ours, never Helvetica.
TABLE_FONT = ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR)

# Running texts (document language: Georgian).
PAGE_OF = N_("Page {n} / {m}")
PERSONAL_DATA = N_("Contains personal data")


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9.5, leading=13,
                          textColor=colors.black)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5,
                                textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.8, leading=11.5),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=fonts.BOLD, fontSize=8.8,
                                leading=11.5),
        "institution": ParagraphStyle("institution", parent=base, fontName=fonts.BOLD,
                                      fontSize=10.5, leading=14, alignment=TA_CENTER,
                                      textColor=INK),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=17,
                                leading=22, alignment=TA_CENTER, textColor=INK,
                                spaceBefore=6, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER,
                                   textColor=MUTED),
        "h1": ParagraphStyle("h1", parent=base, fontName=fonts.BOLD, fontSize=12.5,
                             leading=16, textColor=INK, spaceBefore=10, spaceAfter=4,
                             keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=fonts.BOLD, fontSize=10.5,
                             leading=14, textColor=INK, spaceBefore=8, spaceAfter=3,
                             keepWithNext=1),
    }


class Printed(Paragraph):
    """A Paragraph that notes, when it is drawn, what it printed: (section, field, text).

    Drawing order is the order of the page's content stream, so the notes are what a text
    extractor reads back, in the same order (`migdesk.documents.printed`)."""

    note: tuple[list, int, str | None, str] | None = None  # pieces of a split one: not noted

    def drawOn(self, canvas, x, y, _sW=0):  # type: ignore[no-untyped-def]  # noqa: N802
        if self.note is not None:
            sink, section, field_, text = self.note
            sink.append((section, field_, text))
        return super().drawOn(canvas, x, y, _sW)


class Text:
    """Makes checked, escaped Paragraphs: every character is verified against the font.

    With `record=True` every paragraph notes what it prints into `printed` as it is drawn
    (the current `section` is the dossier's index in a bound file)."""

    def __init__(self, lang: str = "ka", record: bool = False) -> None:
        self.lang = lang
        self.guard = fonts.GlyphGuard()
        self.st = styles()
        self.printed: list[tuple[int, str | None, str]] | None = [] if record else None
        self.section = 0

    def t(self, msgid: str, **params: object) -> str:
        """A catalogue message in the document's language, checked."""
        return self.guard.check(translate(msgid, self.lang).format(**params))

    def raw(self, text: str | None, field: str | None = None) -> str:
        return self.guard.check(text or "", field)

    def p(self, text: str | None, style: str = "body", field: str | None = None,
          markup: str | None = None) -> Paragraph:
        body = escape(self.raw(text, field)).replace("\n", "<br/>")
        if markup:
            body = markup.format(body)
        if self.printed is None:
            return Paragraph(body, self.st[style])
        para = Printed(body, self.st[style])
        para.note = (self.printed, self.section, field, text or "")
        return para


class SectionStart(Flowable):
    """Zero-size marker: the pages from here on belong to section `label` (e.g. a dossier)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._section = self.label  # type: ignore[attr-defined]


@dataclass
class Furniture:
    """What every page carries at the bottom (texts already in the document language)."""

    page_of: str  # with {n} and {m}
    notice: str | None  # the personal-data notice, or None for documents without any
    guard: fonts.GlyphGuard = field(repr=False, default=None)  # type: ignore[assignment]


def numbered_canvas(furniture: Furniture) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self._section = ""

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            totals: dict[str, int] = {}
            for st in self._pages:
                totals[st["_section"]] = totals.get(st["_section"], 0) + 1
            seen: dict[str, int] = {}
            for st in self._pages:
                self.__dict__.update(st)
                key = st["_section"]
                seen[key] = seen.get(key, 0) + 1
                self._footer(key, seen[key], totals[key])
                Canvas.showPage(self)
            Canvas.save(self)

        def _footer(self, label: str, n: int, m: int) -> None:
            self.saveState()
            y = 11 * mm
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, y + 4.2 * mm, PAGE_W - MARGIN, y + 4.2 * mm)
            self.setFont(fonts.REGULAR, 7.8)
            self.setFillColor(MUTED)
            if furniture.notice:
                self.setFillColor(colors.HexColor("#8a1c1c"))
                self.drawString(MARGIN, y, "● " + furniture.notice)
                self.setFillColor(MUTED)
            if label:
                self.drawCentredString(PAGE_W / 2, y, label)
            self.drawRightString(PAGE_W - MARGIN, y, furniture.page_of.format(n=n, m=m))
            self.restoreState()

    return NumberedCanvas


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    subject: str
    keywords: Sequence[str] = ()
    creator: str = "migdesk"


def build(story: list[Flowable], meta: Meta, furniture: Furniture,
          top_margin: float = 16 * mm) -> bytes:
    """Lay out `story` on A4 pages and return the PDF bytes (invariant, language ka)."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=top_margin,
        bottomMargin=20 * mm, title=meta.title, author=meta.author, subject=meta.subject,
        keywords=list(meta.keywords), creator=meta.creator, producer="migdesk (reportlab)",
        invariant=1, lang="ka", initialFontName=fonts.REGULAR,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame])])
    if furniture.guard is not None:
        furniture.guard.check(furniture.page_of + (furniture.notice or "") + "● ")
    doc.build(story, canvasmaker=numbered_canvas(furniture))
    return buf.getvalue()
