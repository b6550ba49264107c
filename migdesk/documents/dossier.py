"""The candidate dossier: a Georgian A4 PDF of one CandidateDetail (pure: data in, bytes out).

`story()` gives the flowables of one dossier so a batch can bind many into one file;
`render()` makes a stand-alone PDF. Runs on any thread or process; touches no database.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Spacer, Table

from migdesk.documents import layout, printed, qr, signing
from migdesk.documents.layout import Text
from migdesk.domain import vocab
from migdesk.domain.partial_date import format_full_date
from migdesk.domain.places import country_name, language_name, region_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.i18n import N_, translate
from migdesk.services.dto import CandidateDetail

TITLE = N_("Candidate dossier")
DEFAULT_INSTITUTION = (
    "საქართველოს ოკუპირებული ტერიტორიებიდან დევნილთა, შრომის, ჯანმრთელობისა და "
    "სოციალური დაცვის სამინისტრო")


@dataclass(frozen=True)
class DossierInput:
    detail: CandidateDetail
    issued_on: dt.date
    institution: str = DEFAULT_INSTITUTION
    desk_name: str = ""
    officer: str = ""
    photo: bytes | None = None
    lang: str = "ka"

    @property
    def number(self) -> str:
        return qr.dossier_number(self.detail.id, self.detail.version)

    @property
    def payload(self) -> qr.Payload:
        return qr.Payload(self.number, self.detail.id, qr.content_hash(self.detail))


def _date(d: dt.date | None, lang: str) -> str:
    return format_full_date(d, lang) if d else "—"


def _money(amount: object, lang: str) -> str:
    return format_decimal(amount, "#,##0.00", locale=lang)  # type: ignore[arg-type]


def _label(enum: type, value: str | None, lang: str) -> str:
    if not value:
        return "—"
    try:
        return enum(value).label(lang)
    except ValueError:
        return value


def _table(rows: list[list[Flowable]], widths: Sequence[float], header: bool = True) -> Table:
    t = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), layout.TABLE_FONT,
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, layout.RULE),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), layout.SHADE),
                  ("LINEBELOW", (0, 0), (-1, 0), 0.8, layout.INK)]
    t.setStyle(style)
    return t


class _Dossier:
    def __init__(self, inp: DossierInput, tx: Text) -> None:
        self.inp, self.d, self.tx, self.lang = inp, inp.detail, tx, inp.lang
        self.width = layout.PAGE_W - 2 * layout.MARGIN

    def t(self, msgid: str, **kw: object) -> str:
        return self.tx.t(msgid, **kw)

    def cell(self, text: str | None, field: str | None = None, bold: bool = False) -> Flowable:
        return self.tx.p(text if text not in (None, "") else "—", "cellb" if bold else "cell",
                         field)

    def head(self, *msgids: str) -> list[Flowable]:
        return [self.tx.p(self.t(m), "cellb") for m in msgids]

    def section(self, msgid: str, body: Flowable | None, empty: str = N_("No records")
                ) -> list[Flowable]:
        title = self.tx.p(self.t(msgid), "h1")
        if body is None:
            body = self.tx.p(self.t(empty), "small")
        return [KeepTogether([title, body])] if not isinstance(body, Table) or len(
            body._cellvalues) < 8 else [title, body]

    def pairs(self, items: Sequence[tuple[str, str | None, str | None]]) -> Table:
        """Label/value pairs in two columns of pairs."""
        rows: list[list[Flowable]] = []
        half = (len(items) + 1) // 2
        left, right = items[:half], items[half:]
        for i in range(half):
            row: list[Flowable] = []
            for side in (left, right):
                if i < len(side):
                    label, value, field = side[i]
                    row += [self.tx.p(self.t(label), "small"), self.cell(value, field)]
                else:
                    row += [self.cell(""), self.cell("")]
            rows.append(row)
        w = self.width
        return _table(rows, [w * 0.2, w * 0.3, w * 0.2, w * 0.3], header=False)

    # -- parts --------------------------------------------------------------------------
    def header(self) -> list[Flowable]:
        lang = self.lang
        p = self.inp.payload
        left: list[Flowable] = [
            self.tx.p(self.inp.institution, "institution", "institution"),
            self.tx.p(self.t(TITLE), "title"),
            self.tx.p(self.t(N_("Dossier No. {number}"), number=self.inp.number), "subtitle",
                      "number"),
            self.tx.p(self.t(N_("Date of issue: {date}"), date=_date(self.inp.issued_on, lang)),
                      "subtitle", "issued_on"),
        ]
        if self.inp.desk_name:
            left.append(self.tx.p(self.t(N_("Issued by desk: {desk}"),
                                         desk=self.inp.desk_name), "subtitle", "desk_name"))
        code = qr.QRFlowable(p.text(), 28 * mm)
        right: list[Flowable] = [code, self.tx.p(self.t(N_("Check code")), "small")]
        photo = self.photo()
        cols: list[list[Flowable]] = [[photo or Spacer(1, 1), left, right]]
        t = Table(cols, colWidths=[32 * mm, self.width - 64 * mm, 32 * mm])
        t.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                    layout.TABLE_FONT,
                    ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEBELOW", (0, 0), (-1, 0), 1.2, layout.INK),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
        return [t, Spacer(1, 2 * mm),
                self.tx.p(p.text(), "small", "check_code",
                          markup='<font size="5.5">{}</font>')]

    def photo(self) -> Flowable | None:
        if not self.inp.photo:
            return None
        try:
            img = Image(io.BytesIO(self.inp.photo), width=28 * mm, height=36 * mm,
                        kind="proportional")
            img.hAlign = "LEFT"
            return img
        except Exception:  # a damaged photo must not stop the dossier
            return None

    def personal(self) -> list[Flowable]:
        d, lang = self.d, self.lang
        from migdesk.domain.names import passport_form

        sex = _label(vocab.Sex, d.sex, lang)
        items = [
            (N_("Surname"), d.last_name_ka, "last_name_ka"),
            (N_("First name"), d.first_name_ka, "first_name_ka"),
            (N_("Surname (Latin)"), passport_form(d.last_name_lat), "last_name_lat"),
            (N_("First name (Latin)"), passport_form(d.first_name_lat), "first_name_lat"),
            (N_("Personal number"), d.personal_number, "personal_number"),
            (N_("Date of birth"), _date(d.birth_date, lang), "birth_date"),
            (N_("Sex"), sex, "sex"),
            (N_("Region"), region_name(d.region, lang) if d.region else None, "region"),
            (N_("Address"), d.address, "address"),
            (N_("Phone"), d.phone, "phone"),
            (N_("Email"), d.email, "email"),
            (N_("Passport"), d.passport_number, "passport_number"),
            (N_("Valid until"), _date(d.passport_expiry, lang) if d.passport_expiry else None,
             "passport_expiry"),
            (N_("Status"), _label(CandidateStatus, d.status, lang), "status"),
            (N_("Registered"), _date(d.registered_on, lang), "registered_on"),
        ]
        return self.section(N_("Personal data"), self.pairs(items))

    def occupations(self) -> list[Flowable]:
        lang = self.lang
        if not self.d.occupations:
            return self.section(N_("Occupations"), None)
        rows = [self.head(N_("ISCO-08"), N_("Occupation"), N_("Work experience"))]
        for o in self.d.occupations:
            title = o.title_ka if lang == "ka" else o.title_en
            rows.append([self.cell(o.isco_code, "occupation"), self.cell(title, "occupation"),
                         self.cell(self.t(N_("{n} years"), n=o.years), "years")])
        w = self.width
        return self.section(N_("Occupations"), _table(rows, [w * 0.14, w * 0.64, w * 0.22]))

    def languages(self) -> list[Flowable]:
        if not self.d.languages:
            return self.section(N_("Languages"), None)
        rows = [self.head(N_("Language"), N_("Level (CEFR)"))]
        for x in self.d.languages:
            rows.append([self.cell(language_name(x.language, self.lang), "language"),
                         self.cell(x.level.upper(), "level")])  # CEFR codes are Latin: safe
        w = self.width
        return self.section(N_("Languages"), _table(rows, [w * 0.5, w * 0.5]))

    def education(self) -> list[Flowable]:
        d = self.d
        items = [(N_("Education"), _label(vocab.Education, d.education, self.lang),
                  "education"), (N_("Note"), d.education_note, "education")]
        return self.section(N_("Education"), self.pairs(items))

    def consent(self) -> list[Flowable]:
        if not self.d.consents:
            return self.section(N_("Consent to processing of personal data"), None,
                                N_("No consent recorded"))
        rows = [self.head(N_("Given on"), N_("Scope"), N_("Form"), N_("Withdrawn on"))]
        for c in self.d.consents:
            rows.append([self.cell(_date(c.given_on, self.lang), "consent"),
                         self.cell(c.scope, "consent"), self.cell(c.form_reference, "consent"),
                         self.cell(_date(c.withdrawn_on, self.lang) if c.withdrawn_on
                                   else None, "consent")])
        w = self.width
        return self.section(N_("Consent to processing of personal data"),
                            _table(rows, [w * 0.24, w * 0.34, w * 0.18, w * 0.24]))

    def applications(self) -> list[Flowable]:
        if not self.d.applications:
            return self.section(N_("Programme applications"), None)
        rows = [self.head(N_("Programme"), N_("Applied on"), N_("Status"))]
        for a in self.d.applications:
            name = a.program_name_ka if self.lang == "ka" else a.program_name_en
            rows.append([self.cell(f"{name} ({a.program_code})", "program"),
                         self.cell(_date(a.applied_on, self.lang), "program"),
                         self.cell(_label(vocab.ApplicationStatus, a.status, self.lang),
                                   "program")])
        w = self.width
        return self.section(N_("Programme applications"),
                            _table(rows, [w * 0.54, w * 0.26, w * 0.2]))

    def placements(self) -> list[Flowable]:
        if not self.d.placements:
            return self.section(N_("Placements and returns"), None)
        lang = self.lang
        rows = [self.head(N_("Employer"), N_("Country"), N_("Period"), N_("Wage"),
                          N_("Return"))]
        for p in self.d.placements:
            place = country_name(p.country, lang) + (f", {p.city}" if p.city else "")
            period = _date(p.start_date, lang) + " –\n" + (
                _date(p.end_date, lang) if p.end_date else "…")
            wage = (f"{_money(p.wage_amount, lang)} {p.wage_currency or ''}".strip()
                    if p.wage_amount is not None else None)
            back = _date(p.returned_on, lang) if p.returned_on else None
            if back and p.return_note:
                back += "\n" + p.return_note
            occ = f"\nISCO {p.isco_code}" if p.isco_code else ""
            rows.append([self.cell(p.employer + occ, "employer"), self.cell(place, "country"),
                         self.cell(period, "placement"), self.cell(wage, "wage"),
                         self.cell(back, "placement")])
        w = self.width
        return self.section(N_("Placements and returns"), _table(
            rows, [w * 0.27, w * 0.16, w * 0.23, w * 0.14, w * 0.2]))

    def history(self) -> list[Flowable]:
        if not self.d.history:
            return self.section(N_("Status history"), None)
        rows = [self.head(N_("Date"), N_("Status"), N_("Officer"), N_("Reason"))]
        for h in self.d.history:
            moved = (_label(CandidateStatus, h.from_status, self.lang) + " → "
                     if h.from_status else "") + _label(CandidateStatus, h.to_status, self.lang)
            rows.append([self.cell(_date(h.changed_at.date(), self.lang), "history"),
                         self.cell(moved, "history"), self.cell(h.officer, "history"),
                         self.cell(h.reason, "reason")])
        w = self.width
        return self.section(N_("Status history"),
                            _table(rows, [w * 0.22, w * 0.3, w * 0.16, w * 0.32]))

    def signatures(self) -> list[Flowable]:
        w = self.width

        def block(role: str, name: str, field: str | None) -> list[Flowable]:
            return [self.tx.p(self.t(role), "cellb"), self.cell(name or " ", field),
                    Spacer(1, 12 * mm),
                    self.tx.p("_" * 34, "cell"),
                    self.tx.p(self.t(N_("signature, date")), "small")]

        t = Table([[block(N_("Officer"), self.inp.officer, "officer"), Spacer(1, 1),
                    block(N_("Candidate"), self.d.name_ka, "first_name_ka")]],
                  colWidths=[w * 0.45, w * 0.1, w * 0.45])
        t.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    layout.TABLE_FONT])
        return [Spacer(1, 8 * mm), KeepTogether([
            self.tx.p(self.t(N_("Signatures")), "h1"),
            self.tx.p(self.t(N_("The candidate confirms that the data in this dossier are "
                                "correct.")), "small"), Spacer(1, 3 * mm), t])]

    def story(self) -> list[Flowable]:
        out: list[Flowable] = [layout.SectionStart(self.inp.number)]
        for part in (self.header, self.personal, self.occupations, self.languages,
                     self.education, self.consent, self.applications, self.placements,
                     self.history, self.signatures):
            out += part()
        return out


def story(inp: DossierInput, tx: Text, section: int = 0) -> list[Flowable]:
    tx.section = section
    return _Dossier(inp, tx).story()


def furniture(tx: Text) -> layout.Furniture:
    return layout.Furniture(page_of=tx.t(layout.PAGE_OF, n="{n}", m="{m}"),
                            notice=tx.t(layout.PERSONAL_DATA), guard=tx.guard)


def render(inputs: Sequence[DossierInput], author: str = "migdesk") -> bytes:
    """One PDF with the given dossiers (each starts on a new page, numbered on its own)."""
    return render_printed(inputs, author, record=False)[0]


def render_printed(inputs: Sequence[DossierInput], author: str = "migdesk", record: bool = True
                   ) -> tuple[bytes, list[tuple[int, str | None, str]]]:
    """`render`, and what each paragraph printed, in drawing order: (dossier index, field,
    text). `migdesk.documents.printed` compares a file's text with it."""
    if not inputs:
        raise ValueError("no dossiers")
    lang = inputs[0].lang
    tx = Text(lang, record=record)
    content: list[Flowable] = []
    for i, inp in enumerate(inputs):
        if i:
            content.append(PageBreak())
        content += story(inp, tx, i)
    first = inputs[0]
    title = translate(TITLE, lang) + (f" {first.number}" if len(inputs) == 1 else
                                      f" ({len(inputs)})")
    meta = layout.Meta(title=title, author=author or "migdesk",
                       subject=translate(layout.PERSONAL_DATA, lang),
                       keywords=[i.payload.text() for i in inputs])
    return layout.build(content, meta, furniture(tx)), tx.printed or []


def record_of(inputs: Sequence[DossierInput], notes: list[printed.Note]) -> printed.Record:
    """What the signed file keeps of what it printed (no more than is printed)."""
    return printed.Record([printed.Issued(
        number=i.number, candidate_id=i.detail.id, sha256=i.payload.sha256,
        issued_on=i.issued_on.isoformat(), institution=i.institution, desk_name=i.desk_name,
        officer=i.officer, lang=i.lang) for i in inputs], notes)


def render_signed(inputs: Sequence[DossierInput], cert: signing.DeskCertificate,
                  author: str = "migdesk") -> bytes:
    """`render`, signed by the desk (PAdES B-B) with what it printed embedded and signed."""
    pdf, notes = render_printed(inputs, author)
    return signing.sign(pdf, cert, attachments=[
        (printed.ATTACHMENT, record_of(inputs, notes).to_json())])
