"""The printable evaluation document of one appraisal (dokumen evaluasi kinerja pegawai) as PDF.

Drawn with fpdf2's core fonts (no system packages). They cover Latin-1, which holds every letter of
Bahasa Indonesia; the few typographic signs outside it (dashes, quotes, ≥) are written in ASCII.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from engine.definition import Text
from engine.models import Employee
from engine.reports import EvaluationDocument
from web.cascade import rollup_arithmetic
from web.filters import local_time, number, provenance_text

_REPLACEMENTS = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "≥": ">=", "≤": "<=",
                 "≠": "!=", "→": "->", "•": "-", "\u00a0": " ", "\u202f": " "}


def latin1(text: Any) -> str:
    """Text the core fonts can draw: common signs spelt in ASCII, anything else outside Latin-1 as '?'."""
    value = "" if text is None else str(text)
    for sign, plain in _REPLACEMENTS.items():
        value = value.replace(sign, plain)
    return value.encode("latin-1", "replace").decode("latin-1")


def _person(employee: Employee | None) -> str:
    if employee is None:
        return "-"
    return f"{employee.name}\nNIP {employee.nip}\n{employee.position or ''}".strip()


class _Document(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90)
        self.cell(0, 5, latin1(self.footer_text), align="L")
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")


def evaluation_pdf(doc: EvaluationDocument, lang: str) -> bytes:
    """The evaluation document in ``lang`` (id or en), A4 portrait."""

    def t(value: Text | Mapping[str, str] | None) -> str:
        if value is None:
            return ""
        if isinstance(value, Text):
            return value.get(lang)
        return str(value.get(lang) or value.get("id") or "")

    pdf = _Document(orientation="P", unit="mm", format="A4")
    pdf.footer_text = _("Dokumen evaluasi kinerja – dibuat oleh Siklus, %(when)s",
                        when=local_time(doc.appraisal.updated_at))
    pdf.set_title(latin1(_("Dokumen evaluasi kinerja pegawai") + f" - {doc.employee.name}"))
    pdf.set_author("Siklus")
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_margins(15, 15, 15)
    width = pdf.epw

    pdf.set_font("Helvetica", style="B", size=11)
    pdf.multi_cell(width, 5.5, latin1(doc.agency.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.unit and doc.unit != doc.agency:
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(width, 5, latin1(doc.unit), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(width, 7, latin1(_("DOKUMEN EVALUASI KINERJA PEGAWAI")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    period = f"{doc.period} ({local_time(doc.period_start, False)} - {local_time(doc.period_end, False)})"
    pdf.multi_cell(width, 5, latin1(_("Periode penilaian: %(period)s", period=period)), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width, 5, latin1(t(doc.cycle_title)), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    heading = FontFace(emphasis="BOLD", fill_color=(230, 234, 240))
    pdf.set_font("Helvetica", size=9)
    with pdf.table(col_widths=(30, 70), headings_style=heading, line_height=4.8, first_row_as_headings=False) as table:
        for label, value in (
            (_("Pegawai yang dinilai"), _person(doc.employee)),
            (_("Unit kerja"), doc.unit),
            (_("Pejabat penilai kinerja"), _person(doc.rater)),
            (_("Atasan pejabat penilai"), _person(doc.reviewer)),
            (_("Tahap saat ini"), t(doc.state_label)),
        ):
            row = table.row()
            row.cell(latin1(label), style=FontFace(emphasis="BOLD"))
            row.cell(latin1(value))
    pdf.ln(4)

    _section(pdf, _("Sasaran kinerja pegawai (SKP): indikator, target, realisasi dan capaian"))
    if doc.indicators:
        pdf.set_font("Helvetica", size=8.5)
        with pdf.table(col_widths=(6, 34, 12, 12, 12, 40), headings_style=heading, line_height=4.3,
                       text_align=("RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT")) as table:
            head = table.row()
            for title in ("No", _("Indikator kinerja individu"), _("Target"), _("Realisasi"), _("Capaian"),
                          _("Penjelasan")):
                head.cell(latin1(title))
            for position, ind in enumerate(doc.indicators, start=1):
                row = table.row()
                row.cell(str(position))
                row.cell(latin1(t(ind.label)))
                row.cell(latin1(_with_unit(number(ind.target), ind.unit)))
                row.cell(latin1(_with_unit(number(ind.realisation), ind.unit)))
                row.cell(latin1(f"{number(ind.achievement)}%" if ind.achievement is not None else "-"))
                supplied = [_("Realisasi %(by)s", by=provenance_text(ind.realisation_by)) if ind.realisation_by else "",
                            _("Target %(by)s", by=provenance_text(ind.target_by)) if ind.target_by else ""]
                row.cell(latin1("\n".join(p for p in [t(ind.achievement_explanation), *supplied] if p) or "-"))
    else:
        _paragraph(pdf, _("Belum ada indikator dalam SKP."))
    pdf.ln(4)
    if doc.cascade is not None:
        _cascade(pdf, doc, lang)

    _section(pdf, _("Hasil penilaian"))
    if doc.results:
        for result in doc.results:
            pdf.set_font("Helvetica", style="B", size=10)
            value = result.value if result.value is not None else _("belum dapat dihitung")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = number(value)
            pdf.multi_cell(width, 5.5, latin1(f"{t(result.label)}: {value}"), new_x="LMARGIN", new_y="NEXT")
            _paragraph(pdf, t(result.explanation))
            pdf.ln(1.5)
    else:
        _paragraph(pdf, _("Belum ada hasil penilaian yang dihitung."))
    pdf.ln(2)
    _checkpoints(pdf, doc, t)
    pdf.set_font("Helvetica", style="B", size=12)
    shown = doc.predicate.value if doc.predicate else _("belum ditetapkan")
    pdf.multi_cell(width, 7, latin1(_("Predikat kinerja pegawai: %(predicate)s", predicate=shown)), border=1, align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _audit_trace(pdf, doc, width)
    pdf.ln(4)

    _signatures(pdf, doc)
    return bytes(pdf.output())


def _checkpoints(pdf: FPDF, doc: EvaluationDocument, t: Any) -> None:
    """Every checkpoint with what was recorded for it: realisations, report, answers, responses, rating, results."""
    for series in doc.checkpoints:
        _section(pdf, _("Penilaian periodik: %(series)s", series=t(series.label)))
        for cp in series.checkpoints:
            pdf.set_font("Helvetica", style="B", size=9.5)
            pdf.multi_cell(pdf.epw, 5, latin1(f"{t(cp.label)} ({local_time(cp.start, False)} - "
                                              f"{local_time(cp.end, False)})"), new_x="LMARGIN", new_y="NEXT")
            lines = [f"{_('Realisasi')} {t(r.indicator_label)}: {number(r.value)} ({r.by}, {local_time(r.at)})"
                     for r in cp.realisations]
            if cp.report:
                lines.append(f"{_('Laporan pegawai')} ({cp.report.by}, {local_time(cp.report.at)}): {cp.report.text}")
            if cp.self_assessment:
                answers = "; ".join(f"{t(q.label)}: {cp.self_assessment.answers.get(q.id, '-')}"
                                    for q in series.questions)
                lines.append(f"{_('Penilaian diri')}: {answers}")
            lines += [f"{_('Tanggapan penilai')} ({f.by}, {local_time(f.at)}): {f.text}" for f in cp.feedback]
            if cp.rating:
                given = "; ".join(f"{key}: {value}" for key, value in cp.rating.answers.items()
                                  if value not in ("", None))
                lines.append(f"{_('Penilaian periodik')} ({cp.rating.by}, {local_time(cp.rating.at)}): {given}")
            lines += [f"{t(r.label)}: {number(r.value) if r.value is not None else _('belum dapat dihitung')}"
                      for r in cp.results]
            _paragraph(pdf, "\n".join(lines) or _("Belum ada catatan."))
            pdf.ln(1)
        pdf.ln(2)


def _cascade(pdf: FPDF, doc: EvaluationDocument, lang: str) -> None:
    """The cascade: the leader's RHK each IKI supports, the roll-up of the subordinate RHK with its
    arithmetic, and the leader's behaviour expectations."""
    cascade = doc.cascade
    if cascade is None:
        return
    labels = {ind.key: ind.label for ind in doc.indicators}
    lines = []
    for key, link in cascade.supported.items():
        label = labels[key].get(lang) if key in labels else key
        if link.indicator_id is not None:
            lines.append(_("%(iki)s mendukung RHK %(leader)s: %(rhk)s", iki=label, leader=link.leader,
                           rhk=" - ".join(p for p in (link.rhk, link.label) if p)))
        else:
            lines.append(_("%(iki)s mendukung: %(rhk)s", iki=label, rhk=link.legacy_text))
    for key, up in cascade.rollups.items():
        label = labels[key].get(lang) if key in labels else key
        lines.append(_("%(iki)s didukung oleh:", iki=label))
        lines += [f"  - {s.employee}: {s.rhk or s.label}{f' ({s.label})' if s.rhk else ''}: "
                  + (f"{number(s.achievement)}%" if s.achievement is not None else _("belum ada capaian"))
                  for s in up.supporters]
        lines.append("  " + rollup_arithmetic(up))
    if lines:
        _section(pdf, _("Cascading kinerja (matriks peran hasil)"))
        for line in lines:
            _paragraph(pdf, line)
        pdf.ln(3)
    if cascade.has_expectations:
        _section(pdf, _("Ekspektasi khusus pimpinan"))
        for e in cascade.expectations:
            if e.text:
                _paragraph(pdf, f"{e.name}: {e.text}")
        pdf.ln(3)


def _audit_trace(pdf: FPDF, doc: EvaluationDocument, width: float) -> None:
    """The head of the appraisal's audit chain, so a printout can be checked against the log."""
    appraisal = doc.appraisal
    pdf.set_font("Helvetica", size=7.5)
    pdf.set_text_color(70)
    pdf.multi_cell(width, 4, latin1(_(
        "Jejak audit: penilaian #%(id)s, urutan %(seq)s, hash %(head)s. SDM dapat memeriksa dokumen ini dengan "
        "siklus audit verify --appraisal %(id)s --head <hash>.",
        id=appraisal.id, seq=appraisal.audit_seq, head=appraisal.audit_head)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)


def _with_unit(value: str, unit: str | None) -> str:
    return f"{value} {unit}" if unit and value != "–" else value


def _section(pdf: FPDF, title: str) -> None:
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.multi_cell(pdf.epw, 6, latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(pdf.epw, 4.5, latin1(text), new_x="LMARGIN", new_y="NEXT")


def _signatures(pdf: FPDF, doc: EvaluationDocument) -> None:
    """Three signature blocks side by side: the employee, the rater, the reviewer."""
    if pdf.will_page_break(45):
        pdf.add_page()
    column = pdf.epw / 3
    top = pdf.get_y()
    for i, (role, person) in enumerate(((_("Pegawai yang dinilai"), doc.employee),
                                        (_("Pejabat penilai kinerja"), doc.rater),
                                        (_("Atasan pejabat penilai"), doc.reviewer))):
        x = pdf.l_margin + i * column
        pdf.set_xy(x, top)
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(column - 4, 4.5, latin1(role), align="C")
        pdf.set_xy(x, top + 26)
        pdf.set_font("Helvetica", style="BU", size=9)
        pdf.multi_cell(column - 4, 4.5, latin1(person.name if person else "-"), align="C")
        pdf.set_xy(x, pdf.get_y())
        pdf.set_font("Helvetica", size=8.5)
        pdf.multi_cell(column - 4, 4.5, latin1(f"NIP {person.nip}" if person else ""), align="C")
