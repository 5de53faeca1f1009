"""Reports: predicate distribution and trends, missed indicators, overdue work; XLSX/CSV; the evaluation PDF.

The reports are for HR (and admins) of the units in their scope (:func:`engine.access.hr_scope`);
anyone else finds their own evaluation documents on ``/laporan``. The PDF of one appraisal is open to
whoever may open the appraisal (:func:`engine.access.open_appraisal`): the employee, the rater, the
reviewer and HR of the unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Blueprint, Response, abort, make_response, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup, escape

from engine.access import HrScope, hr_scope, open_appraisal
from engine.db import snapshot_session
from engine.errors import Forbidden, InvalidInput
from engine.limits import QUERY_TEXT_CHARS
from engine.messages import Message
from engine.models import utcnow
from engine.org_levels import unit_picker
from engine.public_feedback import units_ikm
from engine.reports import (
    Filter,
    PredicateCounts,
    PredicateSpread,
    evaluation_document,
    missed_indicators,
    overdue_work,
    own_appraisals,
    predicate_order,
    predicate_spread,
    public_service_units,
    report_filter,
)
from engine.runs import period_bounds
from engine.tables import csv_stream, xlsx_stream
from rules.numbers import round_half_up
from web.context import current_actor as _actor
from web.context import current_hr_scope as _hr_scope
from web.context import db_session as _db
from web.errors import error_page
from web.filters import current_language, local_time, localized, number
from web.inputs import content_disposition, control_characters, query_id, query_text
from web.pdf import evaluation_pdf

bp = Blueprint("reports", __name__, url_prefix="/laporan")

COLOURS = {"Sangat Baik": "#1b7837", "Baik": "#5aae61", "Butuh Perbaikan": "#e0a030", "Kurang/Misconduct": "#d6604d",
           "Sangat Kurang": "#8e0c25"}
OTHER_COLOUR = "#7f7f7f"
PENDING_COLOUR = "#d0d4da"
REPORTS = {"predikat": _l("Sebaran predikat per unit"), "tren": _l("Tren predikat antarperiode"),
           "indikator": _l("Indikator yang paling sering tidak tercapai"), "terlambat": _l("Pekerjaan terlambat")}
#: Rows of the per-unit tables on one page (the exports hold every row of the level).
ROWS_PER_PAGE = 50


def _filter(scope: HrScope, with_period: bool = True) -> tuple[Filter, PredicateSpread]:
    """The report filter from ?unit=&period= and the predicate counts of its level over every period;
    Forbidden for a unit outside the scope; for a period without appraisals, a 404 page that says so and
    links the periods there are (see :func:`_unknown_period`)."""
    unit_id = query_id(request.args, "unit")
    if unit_id is not None and not scope.covers(unit_id):
        raise Forbidden(f"unit {unit_id} is outside {_actor().username}'s HR scope",
                        msg=Message("report.unit_outside"))
    base = report_filter(_db(), scope, unit_id)
    spread = predicate_spread(_db(), base)
    known = spread.periods
    period = request.args.get("period") or (known[-1] if known else None)
    if with_period and period is not None and period not in known:
        abort(_unknown_period(period, known, unit_id))
    return replace(base, period=period if with_period else None), spread


#: Characters of an unknown period repeated on its page (a query string may carry thousands).
SHOWN_PERIOD_CHARS = 40


def _unknown_period(period: str, known: list[str], unit_id: int | None) -> Response:
    """The 404 page of a report asked for a period with no appraisals in view: it names the period (cut to
    SHOWN_PERIOD_CHARS) and links every period there is, keeping the unit and the unit search."""
    keep: dict[str, Any] = {"unit": unit_id} if unit_id is not None else {}
    search = request.args.get("cari", "")
    if search and len(search) <= QUERY_TEXT_CHARS and not control_characters(search):
        keep["cari"] = search
    links = [(p, url_for("reports.index", period=p, **keep)) for p in reversed(known)]
    return make_response(render_template("reports/unknown_period.html", period=_short(period, SHOWN_PERIOD_CHARS),
                                         periods=links), 404)


# -- tables --------------------------------------------------------------------------------------

@dataclass
class Table:
    """A report table as shown on the page and exported: headers and rows of plain values; ``links`` the
    address that opens each row a level further down (the page only; None where there is none)."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    numeric: set[int]
    links: list[str | None] = field(default_factory=list)


def _predicate_table(title: str, first: str, groups: list[PredicateCounts], period: str | None = None) -> Table:
    order = predicate_order(groups)
    rows = [[g.label, *[g.counts[p] for p in order], g.pending, g.total] for g in groups]
    headers = [first, *order, _("Belum ada predikat"), _("Jumlah")]
    links = [url_for("reports.index", unit=g.unit_id, period=period) if g.unit_id is not None and not g.own else None
             for g in groups]
    return Table(title, headers, rows, set(range(1, len(headers))), links)


def _tables(flt: Filter, spread: PredicateSpread) -> tuple[dict[str, Table], list[PredicateCounts],
                                                           list[PredicateCounts]]:
    """Every report table for the filter, with the predicate groups the charts draw."""
    session = _db()
    distribution = spread.distribution(flt.period)
    trend = spread.trend()
    missed = missed_indicators(session, flt)
    overdue = overdue_work(session, flt)
    day = _remembered(lambda moment: local_time(moment, with_time=False))  # a national page has thousands of rows
    return {
        "predikat": _predicate_table(str(REPORTS["predikat"]), _("Unit"), distribution, flt.period),
        "tren": _predicate_table(str(REPORTS["tren"]), _("Periode"), trend),
        "indikator": Table(str(REPORTS["indikator"]),
                           [_("Indikator"), _("Kode"), _("Tidak tercapai"), _("Dinilai"),
                            _("Persentase tidak tercapai")],
                           [[m.label, m.key, m.missed, m.assessed, float(round_half_up(m.share, 1))] for m in missed],
                           {2, 3, 4}),
        "terlambat": Table(str(REPORTS["terlambat"]),
                           [_("Unit"), _("Tahap"), _("Jumlah terlambat"), _("Tenggat tertua")],
                           [[o.unit_name, localized(o.state_label), o.count, day(o.oldest_hour)] for o in overdue],
                           {2}),
    }, distribution, trend


def _remembered(format_: Callable[[Any], str]) -> Callable[[Any], str]:
    """``format_`` computing each distinct value once (a large table repeats a few dates and counts); values that
    cannot be remembered (unhashable) are formatted each time."""
    seen: dict[tuple[type, Any], str] = {}

    def formatted(value: Any) -> str:
        try:
            key = (type(value), value)
            if key not in seen:
                seen[key] = format_(value)
            return seen[key]
        except TypeError:
            return format_(value)

    return formatted


# -- charts ----------------------------------------------------------------------------------------

def _colour(predicate: str) -> str:
    return COLOURS.get(predicate, OTHER_COLOUR)


def stacked_bars_svg(groups: list[PredicateCounts], title: str, *, vertical: bool = False) -> Markup:
    """A stacked bar per group (unit or period), each predicate's share of the group's appraisals.

    Plain SVG with a title and a description; the numbers are in the table next to it.
    """
    order = predicate_order(groups)
    bar, gap, label_room, width = 26, 12, 150, 640
    legend_h = 24 * ((len(order) + 2) // 3)
    parts: list[str] = []
    if vertical:
        plot_h = 220
        height = plot_h + 40 + legend_h
        step = max(min((width - 60) // max(len(groups), 1), 90), 30)
        for i, g in enumerate(groups):
            x: float = 50 + i * step
            y: float = plot_h + 10
            segments = [(p, g.counts[p]) for p in order] + [("", g.pending)]
            for predicate, n in segments:
                if not n:
                    continue
                h = plot_h * n / g.total
                y -= h
                parts.append(f'<rect x="{x}" y="{y:.1f}" width="{step - 10}" height="{h:.1f}" '
                             f'fill="{_colour(predicate) if predicate else PENDING_COLOUR}"><title>{escape(g.label)}: '
                             f'{escape(predicate or _("Belum ada predikat"))} {n}</title></rect>')
            parts.append(f'<text x="{x + (step - 10) / 2:.1f}" y="{plot_h + 26}" text-anchor="middle" '
                         f'class="axis">{escape(g.label)}</text>')
        parts.append(f'<line x1="45" y1="{plot_h + 10}" x2="{width}" y2="{plot_h + 10}" class="base"/>')
        parts.append(f'<text x="40" y="16" text-anchor="end" class="axis">100%</text>'
                     f'<text x="40" y="{plot_h + 10}" text-anchor="end" class="axis">0%</text>')
        legend_y = plot_h + 44
    else:
        height = len(groups) * (bar + gap) + 10 + legend_h
        for i, g in enumerate(groups):
            y = 5 + i * (bar + gap)
            parts.append(f'<text x="{label_room - 8}" y="{y + bar * 0.68:.1f}" text-anchor="end" class="axis">'
                         f'{escape(_short(g.label))}</text>')
            x = float(label_room)
            segments = [(p, g.counts[p]) for p in order] + [("", g.pending)]
            for predicate, n in segments:
                if not n:
                    continue
                w = (width - label_room - 10) * n / g.total
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                             f'fill="{_colour(predicate) if predicate else PENDING_COLOUR}"><title>{escape(g.label)}: '
                             f'{escape(predicate or _("Belum ada predikat"))} {n}</title></rect>')
                if w > 22:
                    parts.append(f'<text x="{x + w / 2:.1f}" y="{y + bar * 0.68:.1f}" text-anchor="middle" '
                                 f'class="count">{n}</text>')
                x += w
        legend_y = len(groups) * (bar + gap) + 14
    for i, predicate in enumerate([*order, ""]):
        lx, ly = 10 + (i % 3) * 210, legend_y + 24 * (i // 3)
        parts.append(f'<rect x="{lx}" y="{ly - 11}" width="14" height="14" '
                     f'fill="{_colour(predicate) if predicate else PENDING_COLOUR}"/><text x="{lx + 20}" y="{ly}" '
                     f'class="legend">{escape(predicate or _("Belum ada predikat"))}</text>')
    height = max(height, legend_y + 24 * ((len(order) + 3) // 3))
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
                  f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(parts)}</svg>')


def _short(text: str, room: int = 22) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


# -- pages -----------------------------------------------------------------------------------------

def _page_of(table: Table, groups: list[PredicateCounts]) -> tuple[Table, list[PredicateCounts], int, int]:
    """The rows of ?hal= (ROWS_PER_PAGE a page), the groups the chart draws for them, the page and the pages."""
    pages = max(1, -(-len(table.rows) // ROWS_PER_PAGE))
    page = min(query_id(request.args, "hal") or 1, pages)
    window = slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE)
    shown = Table(table.title, table.headers, table.rows[window], table.numeric, table.links[window])
    return shown, groups[window], page, pages


@bp.get("/")
@login_required
def index() -> str:
    """HR: every report for a period, one level of the organisation at a time (the units one level down,
    each with everything below it, and the unit's own staff), with breadcrumbs up and a unit search;
    anyone else: their own evaluation documents."""
    scope = hr_scope(_db(), _actor())
    if not scope.any:
        return _own_documents()
    flt, spread = _filter(scope)
    known = spread.periods
    tables, distribution, trend = _tables(flt, spread)
    tables["predikat"], distribution, page, pages = _page_of(tables["predikat"], distribution)
    charts = {
        "predikat": stacked_bars_svg(distribution, tables["predikat"].title) if distribution else None,
        "tren": stacked_bars_svg(trend, tables["tren"].title, vertical=True) if trend else None,
    }
    picker = unit_picker(_db(), scope, flt.unit_id, query=query_text(request.args, "cari") or "")
    return render_template("reports/index.html", tables=tables, charts=charts, periods=known, period=flt.period,
                           picker=picker, page=page, pages=pages, query=_query(flt), number=_remembered(number),
                           unit_url=lambda unit: url_for("reports.index", unit=unit, period=flt.period))


def _query(flt: Filter) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if query_id(request.args, "unit") is not None:
        out["unit"] = query_id(request.args, "unit")
    if flt.period:
        out["period"] = flt.period
    return out


def _own_documents() -> str:
    me = _actor().employee_id
    rows = own_appraisals(_db(), me) if me is not None else []
    return render_template("reports/own.html", appraisals=rows)


def _csv(table: Table) -> Iterator[bytes]:
    # UTF-8 with a BOM so spreadsheet programs read the letters; no cell runs as a formula.
    return csv_stream([table.headers, *table.rows])


def _xlsx(table: Table) -> Iterator[bytes]:
    return xlsx_stream([table.headers, *table.rows], table.title, widths=True)


EXPORTS: dict[str, tuple[Callable[[Table], Iterator[bytes]], str]] = {
    "csv": (_csv, "text/csv; charset=utf-8"),
    "xlsx": (_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@bp.get("/<report>.<fmt>")
@login_required
def export(report: str, fmt: str) -> Response:
    """One report table as CSV or XLSX, every row of the page's level, for the same unit and period; streamed."""
    if report not in REPORTS or fmt not in EXPORTS:
        abort(404)
    flt, spread = _filter(_hr_scope())
    tables = _tables(flt, spread)[0]
    write, mimetype = EXPORTS[fmt]
    name = f"laporan-{report}" + (f"-{flt.period}" if flt.period and report != "tren" else "")
    response = Response(stream_with_context(write(tables[report])), mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(f"{name}.{fmt}")
    return response


@bp.get("/layanan")
@login_required
def service_units() -> str | tuple[str, int]:
    """HR: the units the public can rate, with their survey links, QR codes and this period's IKM."""
    units = public_service_units(_db(), _hr_scope())
    this_year = str(utcnow().year)
    year = request.args.get("year") or this_year
    if not _readable_year(year):
        return error_page(404, _("Tahun «%(year)s» tidak dapat dibaca. Tulis tahun dengan empat angka, misalnya "
                                 "%(example)s.", year=_short(year, SHOWN_PERIOD_CHARS), example=this_year))
    try:
        start, end = period_bounds("annual", year)
    except InvalidInput:
        abort(404)
    ikm = units_ikm(_db(), [u.id for u in units], start, end)
    return render_template("reports/service_units.html", units=units, ikm=ikm, year=year)


def _readable_year(year: str) -> bool:
    """Whether ``year`` is a year a survey may have been answered in: four ASCII digits, 1900 to 2999."""
    return len(year) == 4 and year.isascii() and year.isdigit() and 1900 <= int(year) <= 2999


@bp.get("/penilaian/<id:appraisal_id>.pdf")
@login_required
def evaluation(appraisal_id: int) -> Response:
    """The printable evaluation document of one appraisal, in the page's language: what it prints and the audit head
    that vouches for it read in one state of the database, so a step taken meanwhile makes the printout old, not
    one whose head claims what it does not show."""
    with snapshot_session(_db()) as reader:
        opened = open_appraisal(reader, _actor(), appraisal_id)
        document = evaluation_document(reader, opened)
        content = evaluation_pdf(document, current_language())
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(
        f"penilaian-{document.employee.nip}-{document.period}.pdf", inline=True)
    return response

