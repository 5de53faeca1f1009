"""The HR blueprint (/sdm) and its dashboard. Every view on it needs an HR or admin grant."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from web.extensions import login_manager

bp = Blueprint("hr", __name__, url_prefix="/sdm")


@bp.before_request
def require_hr() -> Response | None:
    """Anyone not logged in goes to the login page; a login without an HR or admin grant gets 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_hr:
        abort(403)
    return None


# The HR areas, in the order the dashboard lists them: (endpoint, title, what it is for).
AREAS = (
    ("hr.cycles", _l("Definisi siklus"),
     _l("Unggah atau tempel berkas YAML siklus, periksa, terbitkan, bandingkan versi.")),
    ("hr.launch", _l("Luncurkan siklus"), _l("Mulai siklus terbit untuk satu unit dan satu periode.")),
    ("hr.runs", _l("Kemajuan dan kalibrasi"),
     _l("Jumlah penilaian per tahap, yang terlambat, dan kalibrasi predikat per unit.")),
    ("hr.complaints", _l("Pengaduan masyarakat"),
     _l("Pilah pengaduan warga, tunjuk pegawai yang bersangkutan, dan jawab.")),
    ("hr.talent_index", _l("Talenta dan JP pengembangan"),
     _l("Kotak talenta per unit dan periode, daftar pendek suksesi dan pembinaan, laporan JP per pegawai.")),
    ("hr.training_catalogue", _l("Katalog pelatihan"),
     _l("Kursus dengan JP, jenis, dan apakah sertifikat diperlukan; rekomendasi menautkan ke sini.")),
    ("hr.audit_log", _l("Log audit"), _l("Setiap langkah yang tercatat, dan pemeriksaan keutuhan rantainya.")),
    ("hr.org_import", _l("Impor organisasi"), _l("Unit kerja dan pegawai dari berkas.")),
    ("hr.users", _l("Pengguna dan hak akses"), _l("Akun, peran SDM dan admin.")),
    ("hr.raters", _l("Pejabat penilai pejabat puncak"),
     _l("Siapa menilai pegawai tanpa atasan di Siklus, misalnya Sekda yang dinilai Bupati.")),
)


@bp.get("/")
def index() -> str:
    """The HR dashboard: a link to every HR area this installation serves."""
    areas = [(endpoint, str(title), str(about)) for endpoint, title, about in AREAS
             if endpoint in current_app.view_functions]
    return render_template("hr/index.html", areas=areas)
