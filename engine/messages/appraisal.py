"""Messages of an appraisal: its SKP, realisations and development activities."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "skp.label_required": T("IKI %(n)s: teks indikator wajib diisi.", "IKI %(n)s: the indicator text is required."),
    "skp.key_twice": T("IKI %(n)s: kunci «%(key)s» dipakai dua kali.", "IKI %(n)s: key '%(key)s' is used twice."),
    "skp.range_target": T("IKI %(n)s: target rentang memerlukan dua angka (terendah dan tertinggi).",
                          "IKI %(n)s: a range target needs two numbers [min, max]."),
    "skp.target_required": T("IKI %(n)s: target wajib diisi.", "IKI %(n)s: a target is required."),
    "skp.target": T("Target IKI %(n)s", "IKI %(n)s target"),
    "skp.weight": T("Bobot IKI %(n)s", "IKI %(n)s weight"),
    "skp.aspect": T("IKI %(n)s: aspek harus kuantitas, kualitas atau waktu.",
                    "IKI %(n)s: aspect must be kuantitas, kualitas or waktu."),
    "skp.weights_total": T("Bobot IKI harus diisi semua dan berjumlah 100; kini berjumlah %(total)s.",
                           "IKI weights must all be given and total 100; they total %(total)s."),
    "development.jp": T("JP", "JP"),
    "realisation.value": T("Realisasi IKI", "The realisation"),
    "development.title_required": T("Kegiatan pengembangan memerlukan judul.", "The activity needs a title."),
}
