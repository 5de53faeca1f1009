"""Public pages (masyarakat): service feedback (IKM) per unit, reachable by link or QR code without login.

``/layanan/<slug>`` shows the nine IKM elements (PermenPAN-RB 14/2017), each answered in its own words,
an optional anonymous respondent profile and an optional complaint (which becomes a case for the unit's
HR); ``/layanan/<slug>/kinerja`` shows the public the unit's IKM, grade, trend and complaints resolved;
the answer is stored by :func:`engine.public_feedback.submit_public_feedback`, which also applies the
rate limit (``SIKLUS_PUBLIC_FEEDBACK_LIMIT`` answers per device and unit, and
``SIKLUS_PUBLIC_FEEDBACK_ADDRESS_LIMIT`` per address and unit, within
``SIKLUS_PUBLIC_FEEDBACK_HOURS`` hours; 3 and 24 by default).
"""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from engine.errors import InvalidInput, RateLimited
from engine.models import OrgUnit
from engine.public_feedback import MAX_COMPLAINT, PROFILE, submit_public_feedback, survey, unit_by_slug
from engine.public_report import unit_report
from web.context import db_session, unit_of_work
from web.extensions import limiter
from web.filters import localized
from web.inputs import content_disposition
from web.ratelimit import (
    answer_stored,
    cross_site_post,
    survey_address_allowance,
    survey_address_key,
    survey_address_limit,
    survey_device,
    survey_limits,
)

bp = Blueprint("public", __name__)

#: The nine elements (unsur) as asked of the public, in the regulation's order U1..U9.
ELEMENTS = (
    (_l("Persyaratan"), _l("Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?")),
    (_l("Sistem, mekanisme dan prosedur"), _l("Bagaimana kemudahan prosedur pelayanan di unit ini?")),
    (_l("Waktu penyelesaian"), _l("Bagaimana kecepatan waktu dalam memberikan pelayanan?")),
    (_l("Biaya/tarif"), _l("Bagaimana kewajaran biaya/tarif dalam pelayanan?")),
    (_l("Produk spesifikasi jenis pelayanan"),
     _l("Bagaimana kesesuaian produk pelayanan yang tercantum dalam standar pelayanan dengan hasil yang diberikan?")),
    (_l("Kompetensi pelaksana"), _l("Bagaimana kompetensi/kemampuan petugas dalam pelayanan?")),
    (_l("Perilaku pelaksana"), _l("Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?")),
    (_l("Penanganan pengaduan, saran dan masukan"), _l("Bagaimana kualitas penanganan pengaduan, saran dan masukan?")),
    (_l("Sarana dan prasarana"), _l("Bagaimana kualitas sarana dan prasarana pelayanan?")),
)
#: The respondent profile's questions and the words of their answers (codes: engine.public_feedback.PROFILE).
PROFILE_QUESTIONS = {
    "jenis_kelamin": _l("Jenis kelamin"),
    "usia": _l("Usia"),
    "pendidikan": _l("Pendidikan terakhir"),
    "pekerjaan": _l("Pekerjaan"),
}
#: The unit performance of each IKM grade (PermenPAN-RB 14/2017), as the ``ikm`` rule names it.
UNIT_PERFORMANCE = {"Sangat Baik": _l("Sangat Baik"), "Baik": _l("Baik"), "Kurang Baik": _l("Kurang Baik"),
                    "Tidak Baik": _l("Tidak Baik")}
PROFILE_ANSWERS = {
    "laki_laki": _l("Laki-laki"), "perempuan": _l("Perempuan"),
    "di_bawah_20": _l("di bawah 20 tahun"), "20_29": _l("20-29 tahun"), "30_39": _l("30-39 tahun"),
    "40_49": _l("40-49 tahun"), "50_59": _l("50-59 tahun"), "60_ke_atas": _l("60 tahun ke atas"),
    "sd": _l("SD atau sederajat"), "smp": _l("SMP atau sederajat"), "sma": _l("SMA atau sederajat"),
    "d1_d3": _l("D1-D3"), "d4_s1": _l("D4/S1"), "s2_ke_atas": _l("S2 ke atas"),
    "pns": _l("PNS/PPPK"), "tni_polri": _l("TNI/Polri"), "pegawai_swasta": _l("Pegawai swasta"),
    "wiraswasta": _l("Wiraswasta"), "pelajar_mahasiswa": _l("Pelajar/Mahasiswa"), "lainnya": _l("Lainnya"),
}


def _error_messages(errors: dict[str, str]) -> dict[str, str]:
    """The engine's error codes per field, as sentences in the page's language."""
    out: dict[str, str] = {}
    for key, problem in errors.items():
        if key == "complaint":
            out[key] = _("Pengaduan paling panjang %(max)d karakter.", max=MAX_COMPLAINT)
        elif problem == "missing":
            out[key] = _("Pilih salah satu jawaban untuk unsur ini.")
        elif problem == "range":
            out[key] = _("Jawaban harus salah satu pilihan 1 sampai 4.")
        elif key.startswith("profile."):
            out[key] = _("Pilih salah satu jawaban yang tersedia, atau kosongkan.")
    return out


def _form(unit: OrgUnit, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    # Each element is answered in its own words (PermenPAN-RB 14/2017), worst first.
    asked = survey()
    elements = [(key, name, question, list(zip(asked.scale, [localized(w) for w in words], strict=True)))
                for key, (name, question), words in zip(asked.keys, ELEMENTS, asked.answer_words, strict=True)]
    profile = [(question, label, [(code, PROFILE_ANSWERS[code]) for code in PROFILE[question]])
               for question, label in PROFILE_QUESTIONS.items()]
    return render_template("public/feedback.html", unit=unit, elements=elements, profile=profile, values=values,
                           errors=errors, max_complaint=MAX_COMPLAINT), status


@bp.get("/layanan/<slug>")
def feedback(slug: str) -> tuple[str, int]:
    """The survey form of one service unit (no login)."""
    return _form(unit_by_slug(db_session(), slug), {}, {})


@bp.post("/layanan/<slug>")
@limiter.limit(survey_address_limit, key_func=survey_address_key, deduct_when=answer_stored)
def submit(slug: str) -> Response | tuple[str, int]:
    """Store one answer; the form again with each problem next to its element, or the thank-you page.

    Only this page's own form counts: another site's post is refused (CSRF token and Origin), and the
    limits are per device and per address within the configured window.
    """
    if cross_site_post():
        abort(403)
    unit = unit_by_slug(db_session(), slug)
    answers = {key: request.form.get(key, "") for key in survey().keys}
    complaint = request.form.get("pengaduan", "")
    profile = {question: request.form.get(f"profil-{question}", "")[:40] for question in PROFILE}
    limit, within = survey_limits()
    try:
        with unit_of_work() as session:
            submit_public_feedback(session, slug, answers, complaint, survey_device(), limit=limit, within=within,
                                   profile=profile)
    except InvalidInput as exc:
        values = {**answers, "pengaduan": complaint, **{f"profil-{q}": v for q, v in profile.items()}}
        return _form(unit, values, _error_messages(exc.details.get("errors") or {}), 422)
    except RateLimited:
        hours = int(within.total_seconds() // 3600)
        return render_template("public/limited.html", unit=unit, limit=limit, hours=hours), 429
    return redirect(url_for("public.thanks", slug=slug), code=303)


@bp.errorhandler(429)
def too_many(_exc: Exception) -> tuple[str, int]:
    """The address limit (a flood from one address, whatever browser name it sends) says so, with its own count."""
    _limit, within = survey_limits()
    unit = unit_by_slug(db_session(), str((request.view_args or {}).get("slug", "")))
    hours = int(within.total_seconds() // 3600)
    return render_template("public/limited.html", unit=unit, limit=survey_address_allowance(), hours=hours,
                           by_address=True), 429


@bp.get("/layanan/<slug>/kinerja")
def performance(slug: str) -> tuple[str, int]:
    """The unit's public figures: IKM, grade and trend year by year, complaints received and resolved."""
    report = unit_report(db_session(), slug)
    latest = report.latest
    elements = list(zip(survey().keys, [name for name, _question in ELEMENTS], latest.element_means, strict=True)) \
        if latest is not None and latest.element_means else []
    return render_template("public/performance.html", report=report, elements=elements,
                           performance_labels=UNIT_PERFORMANCE), 200


@bp.get("/layanan/<slug>/terima-kasih")
def thanks(slug: str) -> tuple[str, int]:
    return render_template("public/thanks.html", unit=unit_by_slug(db_session(), slug)), 200


def qr_svg(url: str, title: str) -> bytes:
    """A QR code of ``url`` as a standalone SVG drawing."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, title=title, xmldecl=True,
                                   svgclass="qr", lineclass=None)
    return out.getvalue()


@bp.get("/layanan/<slug>/qr.svg")
def qr(slug: str) -> Response:
    """The QR code of the unit's survey page (its absolute address), to print at the service desk."""
    unit = unit_by_slug(db_session(), slug)
    url = url_for("public.feedback", slug=slug, _external=True)
    response = Response(qr_svg(url, unit.name), mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = content_disposition(f"qr-{slug}.svg", inline=True)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
