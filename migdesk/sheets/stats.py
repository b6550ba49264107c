"""Statistics for analysts: the tables (each one GROUP BY in SQL, never a loop over the
candidates in Python) and the workbook they go into (one sheet each, with a title, the
period, the desk, the date made, and a native XlsxWriter chart where a picture reads faster).

Periods: candidates count by their registration date, applications by the date applied,
placements by their start date, status changes by when they were made; the bounds are
inclusive. Ages are on the period's last day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import String, case, cast, distinct, func, literal, select
from sqlalchemy.orm import Session

from migdesk.domain import isco
from migdesk.domain.places import country_name, region_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import Sex
from migdesk.i18n import N_, translate
from migdesk.sheets.write import NUMBER, Column
from migdesk.store.people import (
    Application,
    Candidate,
    CandidateOccupation,
    Placement,
    StatusChange,
)
from migdesk.store.reference import Demand, PartnerState, Program

PERCENT = "percent"
AGE_BANDS = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None))


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date

    def label(self, lang: str) -> str:
        first = self.start.isoformat() if self.start else translate("the beginning", lang)
        return f"{first} — {self.end.isoformat()}"


@dataclass
class Table:
    sheet: str        # sheet name (translated, ≤ 31 characters)
    title: str        # translated
    columns: list[Column]
    rows: list[list[Any]]
    chart: str | None = None          # XlsxWriter chart type: column, bar, line
    series: list[int] = field(default_factory=list)  # value columns the chart shows
    stacked: bool = False


def _in(col: Any, period: Period) -> list[Any]:
    conds = [col <= period.end]
    if period.start:
        conds.append(col >= period.start)
    return conds


def _in_time(col: Any, period: Period) -> list[Any]:
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), dt.UTC)
    conds = [col < end]
    if period.start:
        conds.append(col >= dt.datetime.combine(period.start, dt.time(), dt.UTC))
    return conds


def _cands(period: Period) -> list[Any]:
    return [Candidate.deleted.is_(False), *_in(Candidate.registered_on, period)]


def _places(period: Period) -> list[Any]:
    return [Placement.deleted.is_(False), *_in(Placement.start_date, period)]


def _counts(s: Session, stmt: Any) -> dict[Any, int]:
    return {k: int(n) for k, n in s.execute(stmt).all()}


def _key(v: Any) -> Any:
    return getattr(v, "value", v)


def gather(s: Session, period: Period, lang: str) -> list[Table]:
    t = lambda msgid: translate(msgid, lang)  # noqa: E731
    cand_h, place_h = t(N_("Candidates")), t(N_("Placements"))
    tables: list[Table] = []

    # -- partner states ------------------------------------------------------------------
    applied = _counts(s, select(PartnerState.iso_code, func.count(distinct(
        Application.candidate_id)))
        .join(Program, Program.id == Application.program_id)
        .join(PartnerState, PartnerState.id == Program.partner_id)
        .where(Application.deleted.is_(False), *_in(Application.applied_on, period))
        .group_by(PartnerState.iso_code))
    placed = _counts(s, select(Placement.country, func.count()).where(*_places(period))
                     .group_by(Placement.country))
    states = set(s.scalars(select(PartnerState.iso_code).where(
        PartnerState.deleted.is_(False)))) | set(applied) | set(placed)
    rows = sorted(([country_name(c, lang), c, applied.get(c, 0), placed.get(c, 0)]
                   for c in states), key=lambda r: (-int(r[3]), -int(r[2]), str(r[0])))
    tables.append(Table(t(N_("Partner states")), t(N_("Candidates and placements by partner "
                                                       "state")),
                        [Column("state", t(N_("Partner state"))), Column("code", t(N_("Code"))),
                         Column("candidates", t(N_("Candidates who applied")), NUMBER),
                         Column("placements", place_h, NUMBER)], rows, "bar", [2, 3]))

    # -- programmes ----------------------------------------------------------------------
    applied = _counts(s, select(Application.program_id, func.count(distinct(
        Application.candidate_id))).where(Application.deleted.is_(False),
                                          *_in(Application.applied_on, period))
        .group_by(Application.program_id))
    placed = _counts(s, select(Placement.program_id, func.count()).where(*_places(period))
                     .group_by(Placement.program_id))
    progs = s.execute(select(Program.id, Program.code, Program.name_ka, Program.name_en,
                             PartnerState.iso_code)
                      .join(PartnerState, PartnerState.id == Program.partner_id)
                      .where(Program.deleted.is_(False)).order_by(Program.code)).all()
    rows = [[code, name_ka if lang == "ka" else name_en, country_name(iso, lang),
             applied.get(pid, 0), placed.get(pid, 0)] for pid, code, name_ka, name_en, iso
            in progs]
    if placed.get(None):
        rows.append(["—", t(N_("outside any programme")), "", 0, placed[None]])
    tables.append(Table(t(N_("Programmes")), t(N_("Candidates and placements by programme")),
                        [Column("code", t(N_("Code"))), Column("programme", t(N_("Programme"))),
                         Column("state", t(N_("Partner state"))),
                         Column("candidates", t(N_("Candidates who applied")), NUMBER),
                         Column("placements", place_h, NUMBER)], rows, "column", [3, 4]))

    # -- occupations: ISCO major group and unit group ---------------------------------------
    names = isco.classification()
    for digits, sheet, title, chart in (
            (1, N_("ISCO major groups"), N_("Candidates and placements by occupation (ISCO-08 "
                                             "major group)"), "bar"),
            (4, N_("ISCO unit groups"), N_("Candidates and placements by occupation (ISCO-08 "
                                            "unit group)"), None)):
        code = func.substr(CandidateOccupation.isco_code, 1, digits)
        cands = _counts(s, select(code, func.count(distinct(CandidateOccupation.candidate_id)))
                        .join(Candidate, Candidate.id == CandidateOccupation.candidate_id)
                        .where(CandidateOccupation.deleted.is_(False), *_cands(period))
                        .group_by(code))
        pcode = func.substr(Placement.isco_code, 1, digits)
        places = _counts(s, select(pcode, func.count()).where(
            *_places(period), Placement.isco_code.is_not(None)).group_by(pcode))
        keys = sorted(set(cands) | set(places), key=lambda k: (
            (k,) if digits == 1 else (-cands.get(k, 0), -places.get(k, 0), k)))
        rows = [[k, names[k].title(lang) if k in names else "", cands.get(k, 0),
                 places.get(k, 0)] for k in keys]
        tables.append(Table(t(sheet), t(title),
                            [Column("isco", "ISCO-08"), Column("title", t(N_("Occupation"))),
                             Column("candidates", cand_h, NUMBER),
                             Column("placements", place_h, NUMBER)], rows, chart, [2, 3]))

    # -- regions --------------------------------------------------------------------------
    cands = _counts(s, select(Candidate.region, func.count()).where(*_cands(period))
                    .group_by(Candidate.region))
    places = _counts(s, select(Candidate.region, func.count()).select_from(Placement)
                     .join(Candidate, Candidate.id == Placement.candidate_id)
                     .where(*_places(period)).group_by(Candidate.region))
    keys = sorted(set(cands) | set(places), key=lambda k: (-cands.get(k, 0), k or ""))
    rows = [[region_name(k, lang) if k else t(N_("not given")), cands.get(k, 0),
             places.get(k, 0)] for k in keys]
    tables.append(Table(t(N_("Regions")), t(N_("Candidates and placements by region")),
                        [Column("region", t(N_("Region"))), Column("candidates", cand_h, NUMBER),
                         Column("placements", place_h, NUMBER)], rows, "bar", [1, 2]))

    # -- sex and age band -----------------------------------------------------------------
    def band(col: Any) -> Any:
        whens = []
        for lo, hi in AGE_BANDS:
            born_after = _years_before(period.end, (hi + 1) if hi else 200)
            born_by = _years_before(period.end, lo)
            whens.append(((col > born_after) & (col <= born_by), literal(f"{lo}")))
        return case(*whens, else_=literal("other"))

    cb = band(Candidate.birth_date)
    grid = s.execute(select(cb, cast(Candidate.sex, String), func.count())
                     .where(*_cands(period)).group_by(cb, cast(Candidate.sex, String))).all()
    pb = band(Candidate.birth_date)
    pgrid = _counts(s, select(pb, func.count()).select_from(Placement)
                    .join(Candidate, Candidate.id == Placement.candidate_id)
                    .where(*_places(period)).group_by(pb))
    by: dict[tuple[str, str | None], int] = {(b, _key(x)): int(n) for b, x, n in grid}
    rows = []
    for lo, hi in (*AGE_BANDS, (None, None)):
        b = f"{lo}" if lo is not None else "other"
        label = (f"{lo}–{hi}" if hi else f"{lo}+") if lo is not None else t(N_(
            "under 18 or not known"))
        f, m = by.get((b, Sex.F.value), 0), by.get((b, Sex.M.value), 0)
        other = sum(n for (bb, x), n in by.items() if bb == b and x not in ("f", "m"))
        if lo is None and not (f or m or other or pgrid.get(b)):
            continue
        rows.append([label, f, m, other, f + m + other, pgrid.get(b, 0)])
    tables.append(Table(t(N_("Sex and age")), t(N_("Candidates by sex and age band; "
                                                   "placements by age band")),
                        [Column("age", t(N_("Age band"))),
                         Column("f", Sex.F.label(lang), NUMBER),
                         Column("m", Sex.M.label(lang), NUMBER),
                         Column("other", t(N_("sex not given")), NUMBER),
                         Column("candidates", t(N_("Candidates, total")), NUMBER),
                         Column("placements", place_h, NUMBER)], rows, "column", [1, 2],
                        stacked=True))

    # -- per month ------------------------------------------------------------------------
    def month(col: Any) -> Any:
        return func.substr(cast(col, String), 1, 7)

    reg = _counts(s, select(month(Candidate.registered_on), func.count())
                  .where(*_cands(period)).group_by(month(Candidate.registered_on)))
    start = _counts(s, select(month(Placement.start_date), func.count())
                    .where(*_places(period)).group_by(month(Placement.start_date)))
    back = _counts(s, select(month(Placement.returned_on), func.count())
                   .where(Placement.deleted.is_(False), *_in(Placement.returned_on, period))
                   .group_by(month(Placement.returned_on)))
    rows = [[k, reg.get(k, 0), start.get(k, 0), back.get(k, 0)]
            for k in sorted(set(reg) | set(start) | set(back))]
    tables.append(Table(t(N_("Per month")), t(N_("Registrations, placements and returns per "
                                                 "month")),
                        [Column("month", t(N_("Month"))),
                         Column("registered", t(N_("Candidates registered")), NUMBER),
                         Column("placed", t(N_("Placements started")), NUMBER),
                         Column("returned", t(N_("Returned home")), NUMBER)], rows, "line",
                        [1, 2, 3]))

    # -- each dimension per month (a month a row, a column for each value) -----------------
    reg_month, start_month = month(Candidate.registered_on), month(Placement.start_date)
    major = func.substr(CandidateOccupation.isco_code, 1, 1)
    pmajor = func.substr(Placement.isco_code, 1, 1)
    cb = band(Candidate.birth_date)

    def age(k: Any) -> str:
        lo = next(((lo, hi) for lo, hi in AGE_BANDS if f"{lo}" == k), None)
        if lo is None:
            return t(N_("under 18 or not known"))
        return f"{lo[0]}–{lo[1]}" if lo[1] else f"{lo[0]}+"

    def sex(k: Any) -> str:
        k = _key(k)
        return Sex(k).label(lang) if k in ("f", "m") else t(N_("sex not given"))

    for sheet, title, what, stmt, name_of in (
            (N_("States per month"), N_("Placements started per month, by partner state"),
             place_h, select(start_month, Placement.country, func.count())
             .where(*_places(period)).group_by(start_month, Placement.country),
             lambda k: country_name(k, lang) if k else t(N_("not given"))),
            (N_("Programmes per month"), N_("Placements started per month, by programme"),
             place_h, select(start_month, Program.code, func.count()).select_from(Placement)
             .outerjoin(Program, Program.id == Placement.program_id)
             .where(*_places(period)).group_by(start_month, Program.code),
             lambda k: k or t(N_("outside any programme"))),
            (N_("Occupations per month"), N_("Candidates registered per month, by ISCO-08 "
                                             "major group"),
             cand_h, select(reg_month, major, func.count(distinct(
                 CandidateOccupation.candidate_id)))
             .join(Candidate, Candidate.id == CandidateOccupation.candidate_id)
             .where(CandidateOccupation.deleted.is_(False), *_cands(period))
             .group_by(reg_month, major),
             lambda k: f"{k} {names[k].title(lang)}" if k in names else str(k)),
            (N_("Placed occupations per month"), N_("Placements started per month, by "
                                                    "ISCO-08 major group"),
             place_h, select(start_month, pmajor, func.count())
             .where(*_places(period), Placement.isco_code.is_not(None))
             .group_by(start_month, pmajor),
             lambda k: f"{k} {names[k].title(lang)}" if k in names else str(k)),
            (N_("Regions per month"), N_("Candidates registered per month, by region"),
             cand_h, select(reg_month, Candidate.region, func.count())
             .where(*_cands(period)).group_by(reg_month, Candidate.region),
             lambda k: region_name(k, lang) if k else t(N_("not given"))),
            (N_("Sex per month"), N_("Candidates registered per month, by sex"),
             cand_h, select(reg_month, cast(Candidate.sex, String), func.count())
             .where(*_cands(period)).group_by(reg_month, cast(Candidate.sex, String)),
             sex),
            (N_("Age per month"), N_("Candidates registered per month, by age band"),
             cand_h, select(reg_month, cb, func.count())
             .where(*_cands(period)).group_by(reg_month, cb),
             age)):
        tables.append(_pivot(s.execute(stmt).all(), t(sheet), t(title), t(N_("Month")),
                             what, t(N_("others")), t(N_("Total")), name_of))

    # -- status flow ----------------------------------------------------------------------
    fs, ts = cast(StatusChange.from_status, String), cast(StatusChange.to_status, String)
    flow = s.execute(select(fs, ts, func.count()).where(
        StatusChange.deleted.is_(False), *_in_time(StatusChange.changed_at, period))
        .group_by(fs, ts)).all()
    order = {st.value: i for i, st in enumerate(CandidateStatus)}

    def status(v: Any) -> str:
        v = _key(v)
        return CandidateStatus(v).label(lang) if v else t(N_("(newly registered)"))

    flow = sorted(flow, key=lambda r: (order.get(_key(r[0]), -1), order.get(_key(r[1]), -1)))
    rows = [[status(a), status(b), int(n)] for a, b, n in flow]
    tables.append(Table(t(N_("Status flow")), t(N_("How many moved from each status to each "
                                                   "other in the period")),
                        [Column("from", t(N_("From status"))), Column("to", t(N_("To status"))),
                         Column("count", t(N_("Moves")), NUMBER)], rows))

    # The same moves as a grid: a row for each status left, a column for each one entered.
    froms = sorted({_key(a) for a, _b, _n in flow}, key=lambda v: order.get(v, -1))
    tos = sorted({_key(b) for _a, b, _n in flow}, key=lambda v: order.get(v, -1))
    cell = {(_key(a), _key(b)): int(n) for a, b, n in flow}
    rows = [[status(a), *(cell.get((a, b), 0) for b in tos),
             sum(cell.get((a, b), 0) for b in tos)] for a in froms]
    tables.append(Table(t(N_("Status flow grid")), t(N_("Moves between statuses in the "
                                                        "period: from (rows) to (columns)")),
                        [Column("from", t(N_("From status"))),
                         *(Column(f"to_{b}", status(b), NUMBER) for b in tos),
                         Column("total", t(N_("Total")), NUMBER)], rows))

    # -- demand against quota -------------------------------------------------------------
    apps = _counts(s, select(Application.demand_id, func.count(distinct(
        Application.candidate_id))).where(Application.deleted.is_(False),
                                          Application.demand_id.is_not(None),
                                          *_in(Application.applied_on, period))
        .group_by(Application.demand_id))
    placed_by = {(p, c): int(n) for p, c, n in s.execute(
        select(Placement.program_id, Placement.isco_code, func.count())
        .where(*_places(period)).group_by(Placement.program_id, Placement.isco_code)).all()}
    demands = s.execute(select(Demand.id, Demand.program_id, Demand.isco_code, Demand.quota,
                               Program.code)
                        .join(Program, Program.id == Demand.program_id)
                        .where(Demand.deleted.is_(False), Program.deleted.is_(False))
                        .order_by(Program.code, Demand.isco_code)).all()
    rows = []
    for did, pid, occ, quota, prog_code in demands:
        n = placed_by.get((pid, occ), 0)
        rows.append([prog_code, occ, names[occ].title(lang) if occ in names else "", quota,
                     apps.get(did, 0), n, (n / quota) if quota else None])
    tables.append(Table(t(N_("Demand and quota")), t(N_("Each programme's demand against its "
                                                        "quota, and its fill")),
                        [Column("programme", t(N_("Programme"))), Column("isco", "ISCO-08"),
                         Column("title", t(N_("Occupation"))),
                         Column("quota", t(N_("Quota")), NUMBER),
                         Column("applied", t(N_("Candidates who applied")), NUMBER),
                         Column("placed", place_h, NUMBER),
                         Column("fill", t(N_("Fill")), PERCENT)], rows, "column", [3, 5]))
    return tables


PIVOT_COLUMNS = 15  # values beyond the largest 15 are summed in one "other" column


def _pivot(found: Sequence[Any], sheet: str, title: str, month_h: str, what: str,
           other_h: str, total_h: str, label: Any) -> Table:
    """(month, value, count) rows as a month a row and a column per value (the largest
    first), with a total; a stacked column chart of the months."""
    per: dict[Any, int] = {}
    cells: dict[tuple[str, Any], int] = {}
    for mo, k, n in found:
        k = _key(k)
        per[k] = per.get(k, 0) + int(n)
        cells[(mo, k)] = cells.get((mo, k), 0) + int(n)
    keys = sorted(per, key=lambda k: (-per[k], str(k)))
    shown, rest = keys[:PIVOT_COLUMNS], keys[PIVOT_COLUMNS:]
    months = sorted({mo for mo, _k in cells})
    rows = []
    for mo in months:
        vals = [cells.get((mo, k), 0) for k in shown]
        if rest:
            vals.append(sum(cells.get((mo, k), 0) for k in rest))
        rows.append([mo, *vals, sum(vals)])
    cols = [Column("month", month_h), *(Column(f"v{i}", str(label(k)), NUMBER)
                                        for i, k in enumerate(shown))]
    if rest:
        cols.append(Column("other", other_h, NUMBER))
    cols.append(Column("total", f"{what}, {total_h}", NUMBER))
    return Table(sheet, title, cols, rows, "column", list(range(1, len(cols) - 1)),
                 stacked=True)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


HEADER_ROW = 5


def write_workbook(fh: IO[bytes], tables: Sequence[Table], period: Period, desk: str,
                   made: dt.date, lang: str) -> None:
    """One sheet a table: title, period, desk, date made; the table from row 6 (header
    frozen, autofilter) and a chart to the right of it where there is one."""
    import xlsxwriter

    t = lambda msgid: translate(msgid, lang)  # noqa: E731
    wb = xlsxwriter.Workbook(fh, {"in_memory": True, "strings_to_numbers": False,
                                  "strings_to_formulas": False, "strings_to_urls": False})
    title_f = wb.add_format({"bold": True, "font_size": 14})
    meta_f = wb.add_format({"italic": True, "font_color": "#444444"})
    head_f = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1,
                            "text_wrap": True, "valign": "top"})
    pct_f = wb.add_format({"num_format": "0%"})
    period_h, desk_h, made_h = t(N_("Period")), t(N_("Desk")), t(N_("Made on"))
    used: set[str] = set()
    for table in tables:
        name = table.sheet[:31]
        while name in used:
            name = name[:29] + f"{len(used):02d}"
        used.add(name)
        ws = wb.add_worksheet(name)
        ws.write_string(0, 0, table.title, title_f)
        for row, (label, value) in enumerate(((period_h, period.label(lang)), (desk_h, desk),
                                              (made_h, made.isoformat())), start=1):
            ws.write_string(row, 0, f"{label}: {value}", meta_f)
        widths = [min(max(len(c.header) // 2 + 2, 10), 24) for c in table.columns]
        for i, c in enumerate(table.columns):
            ws.write_string(HEADER_ROW, i, c.header, head_f)
        for r, cells in enumerate(table.rows, start=HEADER_ROW + 1):
            for i, v in enumerate(cells):
                kind = table.columns[i].kind
                if v is None:
                    continue
                if kind == NUMBER:
                    ws.write_number(r, i, v)
                elif kind == PERCENT:
                    ws.write_number(r, i, v, pct_f)
                else:
                    ws.write_string(r, i, str(v))
                    widths[i] = max(widths[i], min(len(str(v)), 60))
        for i, w in enumerate(widths):
            ws.set_column(i, i, w + 2)
        last = HEADER_ROW + len(table.rows)
        ws.freeze_panes(HEADER_ROW + 1, 0)
        ws.autofilter(HEADER_ROW, 0, max(last, HEADER_ROW + 1), len(table.columns) - 1)
        if not table.rows:
            ws.write_string(HEADER_ROW + 1, 0, t(N_("Nothing in this period")), meta_f)
        if table.chart and table.rows:
            kw: dict[str, Any] = {"type": table.chart}
            if table.stacked:
                kw["subtype"] = "stacked"
            chart = wb.add_chart(kw)
            for col in table.series:
                chart.add_series({
                    "name": [name, HEADER_ROW, col],
                    "categories": [name, HEADER_ROW + 1, 0, last, 0],
                    "values": [name, HEADER_ROW + 1, col, last, col]})
            chart.set_title({"name": table.title, "name_font": {"size": 11}})
            chart.set_legend({"position": "bottom"})
            height = max(320, 22 * len(table.rows) + 120) if table.chart == "bar" else 340
            chart.set_size({"width": 640, "height": min(height, 900)})
            ws.insert_chart(HEADER_ROW, len(table.columns) + 1, chart)
    wb.close()
