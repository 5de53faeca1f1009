"""The printable evaluation document of one appraisal (dokumen evaluasi kinerja pegawai) as PDF.

Drawn with fpdf2 in DejaVu Sans, a Unicode TrueType font shipped under ``web/static/fonts`` with its licence,
so a name in any script (Ngurah, Nyoman, Ṣalāḥ, 王) prints as written. Every value is labelled text: a result's
value in words (a list of recommended courses, not ``[]``), the JP done against the target as recorded now,
and what happens next.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from engine.definition import Text
from engine.models import Employee
from engine.reports import EvaluationDocument
from web.appraisals.guidance import guidance_view
from web.cascade import rollup_arithmetic
from web.filters import local_time, number, provenance_text
from web.forms import BERAKHLAK, CHOICE_LABELS, FIELD_LABELS

FONTS = Path(__file__).resolve().parent / "static" / "fonts"
FAMILY = "DejaVu"
# fpdf2 draws text in this font only where the glyph exists; anything else would be a blank box.
_MISSING_GLYPH = {"\u00a0": " ", "\u202f": " "}


def shown_text(text: Any) -> str:
    """Text as the document draws it: every Unicode letter as written; only the no-break spaces Babel puts
    in numbers become plain spaces, so a line may wrap there."""
    value = "" if text is None else str(text)
    for sign, plain in _MISSING_GLYPH.items():
        value = value.replace(sign, plain)
    return value


@cache
def _font_files() -> tuple[str, str]:
    regular, bold = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
    return str(regular), str(bold)


def value_text(value: Any) -> str:
    """A result's value as a person reads it: numbers in the page's format, a list item by item, a course
    with its JP and what it is for, a structure as "label: value"; never a raw list or dict."""
    if value is None:
        return _("belum dapat dihitung")
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, str):
        return str(CHOICE_LABELS.get(value, value))
    if isinstance(value, Mapping):
        if "title" in value:
            text = str(value["title"])
            if value.get("jp") is not None:
                text += f" ({number(value['jp'])} JP)"
            reasons = [str(BERAKHLAK.get(str(p), p)) for p in value.get("for") or ()]
            return text + (" · " + _("untuk %(what)s", what=", ".join(reasons)) if reasons else "")
        return "; ".join(f"{_key_label(k)}: {value_text(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, (list, tuple)):
        if not value:
            return _("tidak ada")
        return "\n".join(f"- {value_text(item)}" for item in value)
    return str(value)


def _key_label(key: Any) -> str:
    label = FIELD_LABELS.get(str(key)) or BERAKHLAK.get(str(key))
    return str(label) if label is not None else str(key).replace("_", " ").capitalize()


def _person(employee: Employee | None) -> str:
    if employee is None:
        return "-"
    return f"{employee.name}\nNIP {employee.nip}\n{employee.position or ''}".strip()


class _Document(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90)
        self.cell(0, 5, shown_text(self.footer_text), align="L")
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
    regular, bold = _font_files()
    pdf.add_font(FAMILY, "", regular)
    pdf.add_font(FAMILY, "B", bold)
    pdf.footer_text = _("Dokumen evaluasi kinerja – dibuat oleh Siklus, %(when)s",
                        when=local_time(doc.appraisal.updated_at))
    pdf.set_title(shown_text(_("Dokumen evaluasi kinerja pegawai") + f" - {doc.employee.name}"))
    pdf.set_author("Siklus")
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_margins(15, 15, 15)
    width = pdf.epw

    pdf.set_font(FAMILY, style="B", size=11)
    pdf.multi_cell(width, 5.5, shown_text(doc.agency.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.unit and doc.unit != doc.agency:
        pdf.set_font(FAMILY, size=10)
        pdf.multi_cell(width, 5, shown_text(doc.unit), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FAMILY, style="B", size=14)
    pdf.multi_cell(width, 7, shown_text(_("DOKUMEN EVALUASI KINERJA PEGAWAI")), align="C", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_font(FAMILY, size=10)
    period = f"{doc.period} ({local_time(doc.period_start, False)} - {local_time(doc.period_end, False)})"
    pdf.multi_cell(width, 5, shown_text(_("Periode penilaian: %(period)s", period=period)), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width, 5, shown_text(t(doc.cycle_title)), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    heading = FontFace(emphasis="BOLD", fill_color=(230, 234, 240))
    pdf.set_font(FAMILY, size=9)
    with pdf.table(col_widths=(30, 70), headings_style=heading, line_height=4.8, first_row_as_headings=False) as table:
        for label, value in (
            (_("Pegawai yang dinilai"), _person(doc.employee)),
            (_("Unit kerja"), doc.unit),
            (_("Pejabat penilai kinerja"), _person(doc.rater)),
            (_("Atasan pejabat penilai"), _person(doc.reviewer)),
            (_("Tahap saat ini"), t(doc.state_label)),
        ):
            row = table.row()
            row.cell(shown_text(label), style=FontFace(emphasis="BOLD"))
            row.cell(shown_text(value))
    pdf.ln(4)

    _section(pdf, _("Sasaran kinerja pegawai (SKP): indikator, target, realisasi dan capaian"))
    if doc.indicators:
        pdf.set_font(FAMILY, size=8.5)
        with pdf.table(col_widths=(6, 34, 12, 12, 12, 40), headings_style=heading, line_height=4.3,
                       text_align=("RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT")) as table:
            head = table.row()
            for title in ("No", _("Indikator kinerja individu"), _("Target"), _("Realisasi"), _("Capaian"),
                          _("Penjelasan")):
                head.cell(shown_text(title))
            for position, ind in enumerate(doc.indicators, start=1):
                row = table.row()
                row.cell(str(position))
                row.cell(shown_text(t(ind.label)))
                row.cell(shown_text(_with_unit(number(ind.target), ind.unit)))
                row.cell(shown_text(_with_unit(number(ind.realisation), ind.unit)))
                row.cell(shown_text(f"{number(ind.achievement)}%" if ind.achievement is not None else "-"))
                supplied = [_("Realisasi %(by)s", by=provenance_text(ind.realisation_by)) if ind.realisation_by else "",
                            _("Target %(by)s", by=provenance_text(ind.target_by)) if ind.target_by else ""]
                row.cell(shown_text("\n".join(p for p in [t(ind.achievement_explanation), *supplied] if p) or "-"))
    else:
        _paragraph(pdf, _("Belum ada indikator dalam SKP."))
    pdf.ln(4)
    if doc.cascade is not None:
        _cascade(pdf, doc, lang)

    _section(pdf, _("Hasil penilaian"))
    if doc.results:
        for result in doc.results:
            pdf.set_font(FAMILY, style="B", size=10)
            shown = value_text(result.value)
            if "\n" in shown:
                pdf.multi_cell(width, 5.5, shown_text(f"{t(result.label)}:"), new_x="LMARGIN", new_y="NEXT")
                _paragraph(pdf, shown)
            else:
                pdf.multi_cell(width, 5.5, shown_text(f"{t(result.label)}: {shown}"), new_x="LMARGIN", new_y="NEXT")
            _paragraph(pdf, t(result.explanation))
            pdf.ln(1.5)
    else:
        _paragraph(pdf, _("Belum ada hasil penilaian yang dihitung."))
    pdf.ln(2)
    _development(pdf, doc)
    _checkpoints(pdf, doc, t)
    pdf.set_font(FAMILY, style="B", size=12)
    shown = doc.predicate.value if doc.predicate else _("belum ditetapkan")
    pdf.multi_cell(width, 7, shown_text(_("Predikat kinerja pegawai: %(predicate)s", predicate=shown)), border=1,
                   align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _next_steps(pdf, doc)
    _audit_trace(pdf, doc, width)
    pdf.ln(4)

    _signatures(pdf, doc)
    return bytes(pdf.output())


def _checkpoints(pdf: FPDF, doc: EvaluationDocument, t: Any) -> None:
    """Every checkpoint with what was recorded for it: realisations, report, answers, responses, rating, results."""
    for series in doc.checkpoints:
        _section(pdf, _("Penilaian periodik: %(series)s", series=t(series.label)))
        for cp in series.checkpoints:
            pdf.set_font(FAMILY, style="B", size=9.5)
            pdf.multi_cell(pdf.epw, 5, shown_text(f"{t(cp.label)} ({local_time(cp.start, False)} - "
                                              f"{local_time(cp.end, False)})"), new_x="LMARGIN", new_y="NEXT")
            lines = [f"{_('Realisasi')} {t(r.indicator_label)}: {number(r.value)} ({r.by}, {local_time(r.at)})"
                     for r in cp.realisations]
            lines += [f"{_('Capaian IKI periode ini')} {t(a.label)}: "
                      f"{number(a.value) + '%' if a.value is not None else _('belum dapat dihitung')}"
                      f"{' · ' + t(a.explanation) if a.explanation else ''}" for a in cp.achievements]
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


def _development(pdf: FPDF, doc: EvaluationDocument) -> None:
    """Competence development as recorded now: the JP done against the cycle's target, each activity."""
    development = doc.development
    if development is None or (not development.activities and not development.jp_target):
        return
    _section(pdf, _("Pengembangan kompetensi"))
    lines = [_("JP selesai: %(done)s dari target %(target)s JP", done=number(development.jp_done),
               target=number(development.jp_target))]
    status = {"done": _("selesai"), "withdrawn": _("dibatalkan")}
    lines += [f"- {a.title}: {number(a.jp)} JP, " + status.get(a.status, _("direncanakan"))
              for a in development.activities]
    _paragraph(pdf, "\n".join(lines))
    pdf.ln(3)


def _next_steps(pdf: FPDF, doc: EvaluationDocument) -> None:
    """What happens next on the appraisal when the document was printed: who must act, by when, what is missing."""
    shown = guidance_view(doc.next_steps)
    if shown is None:
        return
    _section(pdf, _("Langkah berikutnya"))
    lines = [shown["summary"]]
    lines += [f"- {s['label']}: {_('oleh')} {s['who']}" + "".join(f"; {n}" for n in s["notes"])
              for s in shown["steps"]]
    if shown["deadline"]:
        lines.append(shown["deadline"])
    lines += shown["missing"]
    _paragraph(pdf, "\n".join(lines))
    pdf.ln(3)


def _audit_trace(pdf: FPDF, doc: EvaluationDocument, width: float) -> None:
    """The head of the appraisal's audit chain as its history lists it, so a printout can be checked against the
    log (the number is the event's in the history: anonymous answers are neither counted nor the head)."""
    appraisal = doc.appraisal
    pdf.set_font(FAMILY, size=7.5)
    pdf.set_text_color(70)
    pdf.multi_cell(width, 4, shown_text(_(
        "Jejak audit: penilaian #%(id)s, urutan %(seq)s, hash %(head)s. SDM dapat memeriksa dokumen ini dengan "
        "siklus audit verify --appraisal %(id)s --head <hash>.",
        id=appraisal.id, seq=doc.trace.number, head=doc.trace.hash)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)


def _with_unit(value: str, unit: str | None) -> str:
    return f"{value} {unit}" if unit and value != "–" else value


def _section(pdf: FPDF, title: str) -> None:
    pdf.set_font(FAMILY, style="B", size=11)
    pdf.multi_cell(pdf.epw, 6, shown_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font(FAMILY, size=9)
    pdf.multi_cell(pdf.epw, 4.5, shown_text(text), new_x="LMARGIN", new_y="NEXT")


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
        pdf.set_font(FAMILY, size=9)
        pdf.multi_cell(column - 4, 4.5, shown_text(role), align="C")
        pdf.set_xy(x, top + 26)
        pdf.set_font(FAMILY, style="BU", size=9)
        pdf.multi_cell(column - 4, 4.5, shown_text(person.name if person else "-"), align="C")
        pdf.set_xy(x, pdf.get_y())
        pdf.set_font(FAMILY, size=8.5)
        pdf.multi_cell(column - 4, 4.5, shown_text(f"NIP {person.nip}" if person else ""), align="C")
