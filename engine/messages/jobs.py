"""Refusals of bulk actions and background jobs (launches, exports)."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "bulk.none": T("Pilih paling sedikit satu penilaian.", "Select at least one appraisal."),
    "bulk.too_many": T("Paling banyak %(limit)s penilaian sekaligus.", "At most %(limit)s appraisals at once."),
    "bulk.confirm": T("Langkah ini tidak dapat dibatalkan. Centang konfirmasi terlebih dahulu bila Anda yakin.",
                      "This step cannot be taken back. Tick the confirmation first if you are sure."),
    "bulk.per_appraisal": T("Tindakan ini memerlukan isian per penilaian; lakukan dari halaman penilaiannya.",
                            "This action needs input for each appraisal; do it from the appraisal's page."),
    "bulk.comment": T("Komentar wajib diisi untuk tindakan ini (paling sedikit %(minimum)s karakter).",
                      "A comment is required for this action (at least %(minimum)s characters)."),
    "job.not_found": T("Pekerjaan #%(id)s tidak ada.", "There is no job #%(id)s."),
    "export.format": T("Format harus csv atau xlsx, bukan «%(fmt)s».",
                       "The format must be csv or xlsx, not «%(fmt)s»."),
    "export.period": T("Isi periodenya, misalnya 2026 atau 2026-S1.", "Give the period, e.g. 2026 or 2026-S1."),
    "export.scope": T("Berkas ekspor ini memuat pegawai unit yang tidak lagi Anda kelola sebagai SDM; ekspor ulang "
                      "untuk unit Anda sekarang.",
                      "This export holds employees of units you no longer oversee as HR; export again for your "
                      "units now."),
}
