"""The ministerial briefing: a Georgian memo on circular migration, made from plain data.

Per partner state: cooperation stage, agreements with their milestone timeline (partial dates
kept as such: "2013 წელი"), delegation visits with open follow-ups, programmes with selected
and placed candidates, assessments with indicators; charts of placements per state and of
minimum wages. Pure: data in, PDF bytes out; any thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import format_decimal
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from migdesk.documents import fonts, layout
from migdesk.documents.dossier import DEFAULT_INSTITUTION, _table
from migdesk.documents.layout import Text
from migdesk.domain import vocab
from migdesk.domain.partial_date import format_full_date
from migdesk.domain.places import country_name
from migdesk.i18n import N_, translate
from migdesk.services.dto import PartnerView, ProgramView, VisitView

TITLE = N_("The state of circular labour migration")
STAGE_ORDER = ("in_force", "agreement_signed", "pilot_running", "negotiating",
               "interest_expressed", "exploring", "suspended", "not_advisable")
OPEN = ("open", "in_progress")


@dataclass(frozen=True)
class BriefingData:
    today: dt.date
    partners: list[PartnerView]
    visits: list[VisitView] = field(default_factory=list)
    programs: list[ProgramView] = field(default_factory=list)
    institution: str = DEFAULT_INSTITUTION
    desk_name: str = ""
    lang: str = "ka"


def _num(v: object, lang: str, pattern: str = "#,##0.##") -> str:
    return format_decimal(v, pattern, locale=lang)  # type: ignore[arg-type]


class _Briefing:
    def __init__(self, data: BriefingData, tx: Text) -> None:
        self.data, self.tx, self.lang = data, tx, data.lang
        self.width = layout.PAGE_W - 2 * layout.MARGIN

    def t(self, msgid: str, **kw: object) -> str:
        return self.tx.t(msgid, **kw)

    def cell(self, text: str | None, bold: bool = False) -> Flowable:
        return self.tx.p(text if text else "—", "cellb" if bold else "cell")

    def head(self, *msgids: str) -> list[Flowable]:
        return [self.tx.p(self.t(m), "cellb") for m in msgids]

    def label(self, enum: type, value: str | None) -> str:
        try:
            return enum(value).label(self.lang) if value else "—"
        except ValueError:
            return value or "—"

    def name(self, iso: str) -> str:
        return country_name(iso, self.lang)

    # -- parts --------------------------------------------------------------------------
    def header(self) -> list[Flowable]:
        d = self.data
        out = [self.tx.p(d.institution, "institution"), Spacer(1, 2 * mm),
               self.tx.p(self.t(N_("Briefing")), "subtitle"),
               self.tx.p(self.t(TITLE), "title"),
               self.tx.p(format_full_date(d.today, self.lang), "subtitle")]
        placed = sum(p.placed for p in d.programs)
        in_force = sum(1 for p in d.partners for a in p.agreements
                       if any(m.kind == "entered_into_force" for m in a.milestones))
        out += [Spacer(1, 4 * mm), self.tx.p(self.t(N_(
            "Georgia cooperates on temporary legal labour migration with {partners} partner "
            "states; {in_force} agreements are in force, {programs} programmes are run and "
            "{placed} citizens have been placed abroad through them."),
            partners=len(d.partners), in_force=in_force, programs=len(d.programs),
            placed=placed))]
        pilots = [p for p in self.partners_sorted() if p.stage == "pilot_running"]
        if pilots:  # a scheme at work without an agreement yet (the memo's Poland)
            out.append(self.tx.p(self.t(N_(
                "A pilot project is running, before any agreement, with: {states}."),
                states=", ".join(self.name(p.iso_code) for p in pilots))))
        return out

    def overview(self) -> list[Flowable]:
        rows = [self.head(N_("Partner state"), N_("Cooperation stage"), N_("Agreements"),
                          N_("Programmes"), N_("Placed"))]
        for p in self.partners_sorted():
            progs = [g for g in self.data.programs if g.partner_iso == p.iso_code]
            rows.append([self.cell(p.name_ka if self.lang == "ka" else p.name_en, True),
                         self.cell(self.label(vocab.CooperationStage, p.stage)),
                         self.cell(str(len(p.agreements))), self.cell(str(len(progs))),
                         self.cell(str(sum(g.placed for g in progs)))])
        w = self.width
        return [self.tx.p(self.t(N_("Partner states")), "h1"),
                _table(rows, [w * 0.22, w * 0.3, w * 0.16, w * 0.16, w * 0.16])]

    def partners_sorted(self) -> list[PartnerView]:
        def key(p: PartnerView) -> tuple[int, str]:
            rank = STAGE_ORDER.index(p.stage) if p.stage in STAGE_ORDER else 99
            return (rank, p.name_ka)
        return sorted(self.data.partners, key=key)

    def has_detail(self, p: PartnerView) -> bool:
        d = self.data
        return bool(p.agreements or p.assessments or p.notes
                    or any(v.country == p.iso_code for v in d.visits)
                    or any(g.partner_iso == p.iso_code for g in d.programs))

    def partner(self, p: PartnerView) -> list[Flowable]:
        title = f"{p.name_ka if self.lang == 'ka' else p.name_en} — " + self.label(
            vocab.CooperationStage, p.stage)
        out: list[Flowable] = [self.tx.p(title, "h1")]
        if p.notes:
            out.append(self.tx.p(p.notes))
        for a in p.agreements:
            out += self.agreement(a)
        out += self.visits(p.iso_code)
        out += self.programs(p.iso_code)
        out += self.assessments(p)
        return out

    def agreement(self, a) -> list[Flowable]:  # type: ignore[no-untyped-def]
        title = a.title_ka if self.lang == "ka" else a.title_en
        rows = [self.head(N_("Date"), N_("Milestone"), N_("Note"))]
        for m in a.milestones:
            when = m.date.format(self.lang) if m.date else self.t(N_("date not given"))
            note = ", ".join(x for x in (m.place, m.note) if x)
            rows.append([self.cell(when), self.cell(self.label(vocab.MilestoneKind, m.kind)),
                         self.cell(note)])
        w = self.width
        body: list[Flowable] = [
            self.tx.p(f"{self.label(vocab.AgreementKind, a.kind)}: {title}", "h2")]
        if a.milestones:
            body.append(_table(rows, [w * 0.25, w * 0.27, w * 0.48]))
        return [KeepTogether(body)]

    def visits(self, iso: str) -> list[Flowable]:
        out: list[Flowable] = []
        for v in (v for v in self.data.visits if v.country == iso):
            planned = v.start_date > self.data.today
            head = self.t(N_("Planned delegation visit") if planned else
                          N_("Delegation visit")) + ": " + format_full_date(
                v.start_date, self.lang) + (f", {v.city}" if v.city else "")
            body: list[Flowable] = [self.tx.p(head, "h2")]
            for label, text in ((N_("Led by"), v.lead_agency),
                                (N_("Participants"), v.participants),
                                (N_("Purpose"), v.purpose), (N_("Outcomes"), v.outcomes)):
                if text:
                    body.append(self.tx.p(f"{self.t(label)}: {text}"))
            open_ = [f for f in v.follow_ups if f.status in OPEN]
            if open_:
                rows = [self.head(N_("Follow-up action"), N_("Responsible"), N_("Due"))]
                for f in open_:
                    due = format_full_date(f.due_date, self.lang) if f.due_date else None
                    if due and f.overdue:
                        due += " — " + self.t(N_("overdue"))
                    rows.append([self.cell(f.action), self.cell(f.responsible),
                                 self.cell(due)])
                w = self.width
                body += [Spacer(1, 1.5 * mm), _table(rows, [w * 0.45, w * 0.35, w * 0.2])]
            out.append(KeepTogether(body))
        return out

    def programs(self, iso: str) -> list[Flowable]:
        progs = [g for g in self.data.programs if g.partner_iso == iso]
        if not progs:
            return []
        rows = [self.head(N_("Programme"), N_("Status"), N_("Selected"), N_("Placed"))]
        for g in progs:
            name = g.name_ka if self.lang == "ka" else g.name_en
            if g.partner_org:
                name += f" ({g.partner_org})"
            rows.append([self.cell(name), self.cell(self.label(vocab.ProgramStatus, g.status)),
                         self.cell(str(g.selected)), self.cell(str(g.placed))])
        w = self.width
        return [KeepTogether([self.tx.p(self.t(N_("Programmes")), "h2"),
                              _table(rows, [w * 0.58, w * 0.16, w * 0.13, w * 0.13])])]

    def assessments(self, p: PartnerView) -> list[Flowable]:
        out: list[Flowable] = []
        for a in p.assessments:
            body: list[Flowable] = [self.tx.p(
                self.t(N_("Assessment")) + f", {a.assessed_on.format(self.lang)}: "
                + self.label(vocab.CooperationStage, a.decision), "h2")]
            if a.rationale:
                body.append(self.tx.p(a.rationale))
            for i in a.indicators:
                body.append(self.tx.p("• " + self.indicator(i)))
            out.append(KeepTogether(body))
        return out

    def indicator(self, i) -> str:  # type: ignore[no-untyped-def]
        text = f"{self.label(vocab.IndicatorKind, i.kind)}: {_num(i.value, self.lang)}"
        if i.currency:
            text += f" {i.currency}"
        if i.as_of:
            text += f" ({i.as_of.format(self.lang)})"
        if i.source_name or i.source_url:
            text += "; " + self.t(N_("source")) + ": " + " ".join(
                x for x in (i.source_name, i.source_url and f"<{i.source_url}>") if x)
        return text

    # -- charts -------------------------------------------------------------------------
    def chart(self, title: str, pairs: list[tuple[str, float]], unit: str) -> list[Flowable]:
        for name, _ in pairs:
            self.tx.raw(name)
        self.tx.raw(title + unit)
        h = 18 * mm + 9 * mm * len(pairs)
        d = Drawing(self.width, h, initialFontName=fonts.REGULAR)
        c = HorizontalBarChart()
        c.x, c.y, c.width, c.height = 42 * mm, 8 * mm, self.width - 62 * mm, h - 14 * mm
        c.data = [[v for _, v in pairs]]
        c.categoryAxis.categoryNames = [n for n, _ in pairs]
        c.categoryAxis.labels.fontName = fonts.REGULAR
        c.categoryAxis.labels.fontSize = 8.5
        c.categoryAxis.labels.dx = -3
        c.categoryAxis.labels.textAnchor = "end"
        c.valueAxis.valueMin = 0
        c.valueAxis.labels.fontName = fonts.REGULAR
        c.valueAxis.labels.fontSize = 7.5
        c.valueAxis.labelTextFormat = lambda v: _num(v, self.lang, "#,##0")
        c.bars[0].fillColor = layout.INK
        c.barLabelFormat = lambda v: _num(v, self.lang)
        c.barLabels.fontName = fonts.REGULAR
        c.barLabels.fontSize = 8
        c.barLabels.boxAnchor = "w"
        c.barLabels.dx = 3
        d.add(c)
        d.add(String(self.width, 1.5 * mm, unit, fontName=fonts.REGULAR, fontSize=7.5,
                     textAnchor="end", fillColor=layout.MUTED))
        return [KeepTogether([self.tx.p(title, "h2"), d])]

    def charts(self) -> list[Flowable]:
        out: list[Flowable] = [self.tx.p(self.t(N_("Figures")), "h1")]
        placed: dict[str, int] = {}
        for g in self.data.programs:
            placed[g.partner_iso] = placed.get(g.partner_iso, 0) + g.placed
        pairs = sorted(((self.name(k), float(v)) for k, v in placed.items() if v),
                       key=lambda x: x[1])
        if pairs:
            out += self.chart(self.t(N_("Citizens placed, by partner state")), pairs,
                              self.t(N_("persons")))
        out += self.wages()
        return out if len(out) > 1 else []

    def wages(self) -> list[Flowable]:
        latest: dict[str, tuple] = {}
        for p in self.data.partners:
            for a in p.assessments:  # newest first
                for i in a.indicators:
                    if i.kind == "minimum_wage" and p.iso_code not in latest:
                        latest[p.iso_code] = (p, i)
        if not latest:
            return []
        rows = [self.head(N_("Partner state"), N_("Minimum wage"), N_("As of"), N_("Source"))]
        eur: list[tuple[str, float]] = []
        for iso, (_p, i) in sorted(latest.items(), key=lambda x: x[1][1].value):
            rows.append([self.cell(self.name(iso)),
                         self.cell(f"{_num(i.value, self.lang)} {i.currency or ''}".strip()),
                         self.cell(i.as_of.format(self.lang) if i.as_of else None),
                         self.cell(" ".join(x for x in (i.source_name, i.source_url) if x))])
            if i.currency == "EUR" and (i.unit in (None, "month")):
                eur.append((self.name(iso), float(Decimal(i.value))))
        w = self.width
        out: list[Flowable] = [KeepTogether([
            self.tx.p(self.t(N_("Minimum wages compared")), "h2"),
            _table(rows, [w * 0.2, w * 0.2, w * 0.18, w * 0.42])])]
        if eur:
            out += self.chart(self.t(N_("Monthly minimum wage, EUR")), eur,
                              self.t(N_("EUR per month")))
        return out

    def story(self) -> list[Flowable]:
        out = self.header() + self.overview()
        for p in self.partners_sorted():
            if self.has_detail(p):
                out += self.partner(p)
        quiet = [p for p in self.partners_sorted() if not self.has_detail(p)]
        if quiet:
            out += [self.tx.p(self.t(N_("Other partner states")), "h1"), self.tx.p(
                "; ".join(f"{self.name(p.iso_code)} ({self.label(vocab.CooperationStage, p.stage)})"
                          for p in quiet) + ".")]
        return out + self.charts()


def render(data: BriefingData, author: str = "migdesk") -> bytes:
    tx = Text(data.lang)
    body = _Briefing(data, tx).story()
    furn = layout.Furniture(page_of=tx.t(layout.PAGE_OF, n="{n}", m="{m}"), notice=None,
                            guard=tx.guard)
    meta = layout.Meta(title=translate(TITLE, data.lang), author=author or "migdesk",
                       subject=translate(N_("Briefing"), data.lang))
    return layout.build(body, meta, furn)
