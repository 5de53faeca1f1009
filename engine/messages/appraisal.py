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
    "skp.parent_unknown": T("IKI %(n)s: RHK atasan yang didukung tidak dikenal.",
                            "IKI %(n)s: the leader's RHK it supports is not known."),
    "skp.fixed_only": T("Siklus ini memakai IKI tetap yang targetnya ditetapkan dalam berkas siklus; SKP tidak diisi "
                        "IKI sendiri.",
                        "This cycle uses fixed IKI whose targets are set in the cycle file; the SKP takes no IKI of "
                        "one's own."),
    "skp.fixed_clash": T("%(indicators)s adalah IKI tetap siklus; targetnya ditetapkan dalam berkas siklus, bukan "
                         "dalam SKP.",
                         "%(indicators)s are the cycle's fixed IKI; their targets are set in the cycle file, not in "
                         "the SKP."),
    "skp.no_indicator": T("Tidak ada IKI «%(key)s» dalam SKP ini.", "There is no IKI «%(key)s» in this SKP."),
    "edit.who": T("Pada tahap «%(state)s» %(what)s hanya dapat diubah oleh %(roles)s.",
                  "In «%(state)s» the %(what)s may only be changed by %(roles)s."),
    "appraisal.not_found": T("Penilaian #%(id)s tidak ada.", "There is no appraisal #%(id)s."),
    "appraisal.no_role": T("Anda tidak mempunyai peran pada penilaian ini.", "You have no role on this appraisal."),
    "appraisal.changed": T("Penilaian ini telah diubah orang lain sejak halaman Anda dibuka. Tidak ada yang disimpan; "
                           "periksa keadaan terbaru lalu coba lagi.",
                           "Someone else changed this appraisal since your page was opened. Nothing was saved; "
                           "check where it stands now and try again."),
    "transition.unknown": T("Tindakan «%(trigger)s» tidak dikenal dalam siklus ini; dari tahap «%(state)s» yang dapat "
                            "dilakukan: %(here)s.",
                            "Unknown action «%(trigger)s» in this cycle; from «%(state)s» the actions are: "
                            "%(here)s."),
    "transition.wrong_state": T("«%(trigger)s» tidak dapat dilakukan pada tahap «%(state)s»; yang dapat dilakukan "
                                "dari sini: %(here)s.",
                                "«%(trigger)s» cannot be done in «%(state)s»; from here the actions are: %(here)s."),
    "transition.final": T("tidak ada (tahap akhir)", "none (final stage)"),
    "transition.window_since": T("«%(trigger)s» baru dapat dilakukan setelah penilaian berada pada tahap "
                                 "«%(since)s».",
                                 "«%(trigger)s» is only possible after the appraisal has been in «%(since)s»."),
    "transition.window_closed": T("Batas waktu «%(trigger)s» sudah lewat pada %(closes)s.",
                                  "The time for «%(trigger)s» ended on %(closes)s."),
    "transition.not_yet": T("Belum dapat dilakukan: %(reasons)s", "Not possible yet: %(reasons)s"),
    "transition.machine": T("«%(trigger)s» tidak dapat dilakukan pada tahap ini.",
                            "«%(trigger)s» cannot be done in this stage."),
    "payload.object": T("Isian harus berupa objek JSON.", "The input must be a JSON object."),
    "payload.invalid": T("Isian «%(trigger)s» belum lengkap atau belum benar; periksa %(fields)s.",
                         "The input of «%(trigger)s» is incomplete or not valid; check %(fields)s."),
    "payload.whole": T("seluruh isian", "the whole form"),
    "result.unknown": T("Hasil %(names)s tidak dikenal dalam siklus ini.",
                        "Unknown result(s) in this cycle: %(names)s."),
    "result.waiting": T("%(result)s belum dapat dihitung; menunggu: %(missing)s",
                        "%(result)s cannot be computed yet; waiting for: %(missing)s"),
    "appraisal.closed": T("Penilaian #%(id)s sudah ditutup pada %(day)s (pegawai keluar atau pindah); tidak ada "
                          "tindakan lagi padanya.",
                          "Appraisal #%(id)s was closed on %(day)s (the employee left or moved); it takes no more "
                          "actions."),
}
