"""Messages of an appraisal: its SKP, realisations and development activities."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "skp.label_required": T("IKI %(n)s: teks indikator wajib diisi.", "IKI %(n)s: the indicator text is required."),
    "skp.key_long": T("IKI %(n)s: kunci lebih dari %(limit)s karakter (%(length)s); persingkat lalu simpan lagi.",
                      "IKI %(n)s: the key is longer than %(limit)s characters (%(length)s); shorten it and save "
                      "again."),
    "skp.key_twice": T("IKI %(n)s: kunci «%(key)s» dipakai dua kali.", "IKI %(n)s: key '%(key)s' is used twice."),
    "skp.range_target": T("IKI %(n)s: target rentang memerlukan dua angka (terendah dan tertinggi).",
                          "IKI %(n)s: a range target needs two numbers [min, max]."),
    "skp.target_required": T("IKI %(n)s: target wajib diisi.", "IKI %(n)s: a target is required."),
    "skp.target": T("Target IKI %(n)s", "IKI %(n)s target"),
    "skp.weight": T("Bobot IKI %(n)s", "IKI %(n)s weight"),
    "skp.target_zero": T("IKI %(n)s: capaian tidak dapat dihitung dari target 0 (makin tinggi makin baik); "
                         "isi target lebih dari 0, atau rentang dengan batas atas lebih dari 0.",
                         "IKI %(n)s: no achievement can be computed from a target of 0 (higher is better); type "
                         "a target above 0, or a range whose upper edge is above 0."),
    "skp.target_not_computable": T("IKI %(n)s: capaian tidak dapat dihitung dari target ini menurut aturan capaian "
                                   "siklus; isi satu angka, atau rentang [min, maks] bila siklus memakai rentang.",
                                   "IKI %(n)s: this cycle's achievement rule cannot compute an achievement from "
                                   "this target; type one number, or a [min, max] range where the cycle uses "
                                   "ranges."),
    "skp.aspect": T("IKI %(n)s: aspek harus kuantitas, kualitas atau waktu.",
                    "IKI %(n)s: aspect must be kuantitas, kualitas or waktu."),
    "skp.weights_total": T("Bobot IKI harus diisi semua dan berjumlah 100; kini berjumlah %(total)s.",
                           "IKI weights must all be given and total 100; they total %(total)s."),
    "development.jp": T("JP", "JP"),
    "realisation.value": T("Realisasi IKI", "The realisation"),
    "skp.text_too_long": T("IKI %(n)s: %(field)s lebih dari %(limit)s karakter (%(length)s); persingkat lalu simpan "
                           "lagi.",
                           "IKI %(n)s: %(field)s is longer than %(limit)s characters (%(length)s); shorten it and save "
                           "again."),
    "realisation.note_too_long": T("Catatan realisasi lebih dari %(limit)s karakter (%(length)s); persingkat lalu "
                                   "simpan lagi.",
                                   "The realisation's note is longer than %(limit)s characters (%(length)s); "
                                   "shorten it and save again."),
    "development.title_long": T("Judul kegiatan pengembangan lebih dari %(limit)s karakter (%(length)s); persingkat "
                                "lalu simpan lagi.",
                                "The development activity's title is longer than %(limit)s characters (%(length)s); "
                                "shorten it and save again."),
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
    "skp.leader_iki_changed": T(
        "IKI «%(iki)s» ditetapkan oleh pimpinan, %(who)s (%(role)s); %(fields)s-nya hanya dapat diubah oleh "
        "pimpinan. Usulkan perubahan kepada %(who)s (misalnya lewat komentar saat SKP dikembalikan), atau "
        "tambahkan IKI Anda sendiri.",
        "IKI «%(iki)s» was set by the leader, %(who)s (%(role)s); only the leader may change its %(fields)s. "
        "Propose the change to %(who)s (for instance in the comment when the SKP is returned), or add an IKI of "
        "your own."),
    "skp.leader_iki_removed": T(
        "IKI «%(iki)s» ditetapkan oleh pimpinan, %(who)s (%(role)s); hanya pimpinan yang dapat menghapusnya. "
        "Usulkan perubahan kepada %(who)s (misalnya lewat komentar saat SKP dikembalikan), atau tambahkan IKI "
        "Anda sendiri.",
        "IKI «%(iki)s» was set by the leader, %(who)s (%(role)s); only the leader may remove it. Propose the "
        "change to %(who)s (for instance in the comment when the SKP is returned), or add an IKI of your own."),
    "skp.no_indicator": T("Tidak ada IKI «%(key)s» dalam SKP ini.", "There is no IKI «%(key)s» in this SKP."),
    "edit.own_appraisal": T("Pada tahap «%(state)s» %(what)s penilaian Anda sendiri tidak dapat Anda ubah: peran yang "
                            "mengubahnya Anda pegang untuk pegawai lain, bukan untuk diri sendiri.",
                            "In «%(state)s» you cannot change the %(what)s of your own appraisal: you hold the role "
                            "that changes it for other employees, not for yourself."),
    "edit.who": T("Pada tahap «%(state)s» %(what)s hanya dapat diubah oleh %(roles)s.",
                  "In «%(state)s» the %(what)s may only be changed by %(roles)s."),
    "edit.not_now": T("Pada tahap «%(state)s» %(what)s tidak dapat diubah oleh siapa pun; %(what)s dicatat pada "
                      "tahap %(states)s.",
                      "In «%(state)s» nobody can change the %(what)s; it is recorded in %(states)s."),
    "edit.never": T("%(what)s tidak diubah dalam siklus ini.", "The %(what)s is not changed in this cycle."),
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
    "transition.window_closed": T("Batas waktu «%(trigger)s» sudah lewat pada %(closes)s; langkah itu tidak dapat "
                                  "dilakukan lagi. Langkah yang masih terbuka tercantum pada «Langkah berikutnya».",
                                  "The time for «%(trigger)s» ended on %(closes)s; it can no longer be taken. The "
                                  "steps still open are listed under «Next steps»."),
    "transition.not_yet": T("Belum dapat dilakukan: %(reasons)s", "Not possible yet: %(reasons)s"),
    "transition.machine": T("«%(trigger)s» tidak dapat dilakukan pada tahap ini.",
                            "«%(trigger)s» cannot be done in this stage."),
    "payload.object": T("Isian harus berupa objek JSON.", "The input must be a JSON object."),
    "payload.invalid": T("Isian «%(trigger)s» belum lengkap atau belum benar; periksa %(fields)s.",
                         "The input of «%(trigger)s» is incomplete or not valid; check %(fields)s."),
    "payload.unexpected": T("Langkah «%(trigger)s» tidak menerima isian %(fields)s; isiannya: %(known)s.",
                            "The step «%(trigger)s» does not take %(fields)s; it takes: %(known)s."),
    "payload.nothing": T("tidak ada (langkah ini tanpa isian)", "nothing (this step has no form)"),
    "payload.whole": T("seluruh isian", "the whole form"),
    "result.unknown": T("Hasil %(names)s tidak dikenal dalam siklus ini.",
                        "Unknown result(s) in this cycle: %(names)s."),
    "result.waiting_for": T("%(result)s belum dapat dihitung. %(explanation)s",
                            "%(result)s cannot be computed yet. %(explanation)s"),
    "result.waiting": T("%(result)s belum dapat dihitung; menunggu: %(missing)s",
                        "%(result)s cannot be computed yet; waiting for: %(missing)s"),
    "appraisal.closed": T("Penilaian #%(id)s sudah ditutup pada %(day)s (pegawai keluar atau pindah); tidak ada "
                          "tindakan lagi padanya.",
                          "Appraisal #%(id)s was closed on %(day)s (the employee left or moved); it takes no more "
                          "actions."),
    "realisation.system_fed": T("Realisasi «%(indicator)s» diisi oleh sistem dari %(source)s; tidak seorang pun dapat "
                                "mengetiknya.",
                                "The realisation of «%(indicator)s» is fed by the system from %(source)s; nobody may "
                                "type it."),
    "realisation.not_now": T("Pada tahap «%(state)s» realisasi %(indicator)s tidak dapat dicatat; yang mencatatnya: "
                             "%(roles)s.",
                             "In «%(state)s» the realisation of «%(indicator)s» cannot be recorded; it is recorded by: "
                             "%(roles)s."),
    "realisation.only": T("Realisasi «%(indicator)s» hanya dapat dicatat oleh %(roles)s.",
                          "Only %(roles)s may record the realisation of «%(indicator)s»."),
    "realisation.only_not_self": T("Realisasi «%(indicator)s» hanya dapat dicatat oleh %(roles)s, bukan oleh pegawai "
                                   "yang dinilai.",
                                   "Only %(roles)s may record the realisation of «%(indicator)s», not the appraised "
                                   "employee."),
    "source.cycle_file": T("berkas siklus", "the cycle file"),
    "source.feedback": T("umpan balik %(window)s", "feedback %(window)s"),
    "expectation.unknown": T("Nilai BerAKHLAK tidak dikenal: %(values)s. Ketujuh nilai adalah %(known)s.",
                             "Unknown BerAKHLAK value(s): %(values)s. The seven are %(known)s."),
    "expectation.text": T("Ekspektasi untuk %(value)s harus berupa teks.",
                          "The expectation for %(value)s must be text."),
    "expectation.long": T("Ekspektasi untuk %(value)s paling panjang %(limit)s karakter.",
                          "The expectation for %(value)s may be at most %(limit)s characters."),
    "cascade.unit_not_found": T("Unit tidak ditemukan.", "Unit not found."),
    "cascade.unknown_period": T("Pohon RHK %(unit)s tidak mempunyai periode «%(period)s»; pilih salah satu dari: "
                                "%(periods)s.",
                                "The RHK tree of %(unit)s has no period «%(period)s»; choose one of: %(periods)s."),
    "cascade.tree_forbidden": T("Pohon RHK unit hanya dapat dilihat oleh kepala unit dan SDM.",
                                "A unit's RHK tree is for the unit's head and HR only."),
    "cascade.parent_unknown": T("%(indicator)s: RHK atasan yang didukung tidak dikenal.",
                                "%(indicator)s: the leader's RHK it supports is not known."),
    "cascade.parent_missing": T("%(indicator)s: RHK atasan #%(parent)s tidak ada.",
                                "%(indicator)s: the leader's RHK #%(parent)s does not exist."),
    "cascade.loop": T("%(indicator)s: tautan ini membuat lingkaran (RHK mendukung dirinya sendiri).",
                      "%(indicator)s: this link makes a loop (an RHK that supports itself)."),
    "cascade.not_rater": T("%(indicator)s: RHK yang didukung harus milik pejabat penilai (atasan langsung) pegawai.",
                           "%(indicator)s: the RHK supported must be the rater's (the employee's direct supervisor)."),
    "cascade.period": T("%(indicator)s: RHK atasan itu dari periode %(period)s atau penilaian yang sudah ditutup; "
                        "pilih RHK atasan periode %(wanted)s.",
                        "%(indicator)s: that leader's RHK is of period %(period)s or of a closed appraisal; choose "
                        "one of period %(wanted)s."),
    "cascade.removal": T("%(indicator)s tidak dapat dihapus: RHK bawahan (%(names)s) mendukungnya. Ubah isinya, atau "
                         "minta tautan mereka dipindahkan dahulu.",
                         "%(indicator)s cannot be removed: subordinate RHK (%(names)s) support it. Change it instead, "
                         "or have their links moved first."),
    "evidence.too_large": T("Berkas bukti terlalu besar: paling besar %(limit)s MB.",
                            "The evidence file is too large: at most %(limit)s MB."),
    "evidence.kind": T("Bukti harus berupa berkas PDF, JPEG, atau PNG (isi berkas diperiksa, bukan hanya namanya).",
                       "Evidence must be a PDF, JPEG or PNG file (the content is checked, not only the name)."),
    "evidence.none": T("Berkas ini tidak ada pada penilaian #%(appraisal)s.",
                       "There is no such file on appraisal #%(appraisal)s."),
    "evidence.missing": T("Berkas ini tidak lagi tersimpan; mintalah SDM memeriksanya.",
                          "This file is no longer kept; ask HR to look into it."),
    "talent.no_grid": T("Siklus ini tidak menyatakan kotak talenta (bagian talent: pada berkas siklus).",
                        "This cycle declares no talent grid (the talent: section of the cycle file)."),
    "talent.no_shortlist": T("Daftar pendek «%(shortlist)s» tidak ada pada siklus ini.",
                             "There is no shortlist «%(shortlist)s» in this cycle."),
    "run.not_found": T("Putaran #%(id)s tidak ada.", "There is no run #%(id)s."),
    "development.no_course": T("Kursus «%(course)s» tidak ada di katalog pelatihan atau tidak menerima peserta lagi; "
                               "SDM mengelola katalog.",
                               "Course «%(course)s» is not in the training catalogue or takes no enrolment any more; "
                               "HR manages the catalogue."),
    "development.enrolled": T("Pegawai sudah terdaftar pada kursus «%(title)s»; pendaftaran kedua ditolak.",
                              "The employee is already enrolled in «%(title)s»; a second enrolment is refused."),
    "development.no_activity": T("Kegiatan pengembangan #%(id)s tidak ada pada penilaian ini.",
                                 "There is no development activity #%(id)s on this appraisal."),
    "development.done": T("Kegiatan «%(title)s» sudah selesai; hanya kegiatan yang direncanakan yang dapat diubah.",
                          "Activity «%(title)s» is already done; only a planned activity can be changed."),
    "development.withdrawn": T("Kegiatan «%(title)s» sudah dibatalkan; hanya kegiatan yang direncanakan yang dapat "
                               "diubah.",
                               "Activity «%(title)s» is already withdrawn; only a planned activity can be changed."),
    "development.not_planned": T("Kegiatan «%(title)s» tidak lagi direncanakan; hanya kegiatan yang direncanakan yang "
                                 "dapat diubah.",
                                 "Activity «%(title)s» is no longer planned; only a planned activity can be changed."),
    "development.certificate": T("Kursus «%(title)s» mensyaratkan sertifikat: unggah sertifikatnya (PDF, JPEG atau "
                                 "PNG) untuk menandai selesai.",
                                 "Course «%(title)s» requires a certificate: upload it (PDF, JPEG or PNG) to mark it "
                                 "done."),
    "progress.not_hr": T("Anda bukan SDM unit %(unit)s.", "You are not HR of unit %(unit)s."),
    "progress.no_open": T("%(name)s (%(nip)s) tidak punya penilaian terbuka di putaran #%(run)s.",
                          "%(name)s (%(nip)s) has no open appraisal in run #%(run)s."),
    "progress.unit_outside": T("Unit ini bukan bagian dari putaran ini atau di luar cakupan SDM Anda.",
                               "This unit is not part of this run or is outside your HR scope."),
}
