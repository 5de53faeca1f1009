"""Refusals of cycle runs (launching, joining, closing, transferring) and of organisation predicates."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "run.period_kind": T("Periode «%(period)s» tidak cocok dengan jenis periode siklus ini; tulis seperti %(example)s.",
                         "The period «%(period)s» does not fit this cycle's kind of period; write it like "
                         "%(example)s."),
    "run.period_year": T("Periode «%(period)s»: tahunnya harus antara %(first)s dan %(last)s.",
                         "The period «%(period)s»: its year must be between %(first)s and %(last)s."),
    "run.own_appraisal": T("Penilaian %(name)s (NIP %(nip)s) adalah penilaian Anda sendiri; petugas SDM lain yang "
                           "menutup, menambahkan, membuka kembali atau memindahkannya.",
                           "The appraisal of %(name)s (NIP %(nip)s) is your own; another HR officer closes, adds, "
                           "reopens or moves it."),
    "run.unknown_unit": T("Tidak ada unit «%(unit)s»; berikan kodenya seperti pada halaman organisasi.",
                          "There is no unit «%(unit)s»; give its code as the organisation page shows it."),
    "run.unit_case": T("Tidak ada unit «%(unit)s»; kode unit ditulis persis, huruf besar dan kecilnya juga. "
                       "Maksud Anda %(meant)s?",
                       "There is no unit «%(unit)s»; unit codes are written exactly, capitals included. "
                       "Did you mean %(meant)s?"),
    "run.not_published": T("%(cycle)s versi %(version)s berstatus %(status)s; hanya definisi yang diterbitkan yang "
                           "dapat diluncurkan.",
                           "%(cycle)s version %(version)s is %(status)s; only a published definition can be "
                           "launched."),
    "run.launched": T("%(cycle)s sudah diluncurkan untuk %(unit)s periode %(period)s (putaran #%(run)s); tambahkan "
                      "pegawai baru ke putaran itu.",
                      "%(cycle)s was already launched for %(unit)s in %(period)s (run #%(run)s); add a joiner to "
                      "that run instead."),
    "run.all_have": T("Semua %(count)s pegawai aktif %(unit)s sudah punya penilaian %(cycle)s periode %(period)s "
                      "(putaran %(runs)s); tidak ada yang diluncurkan.",
                      "Every one of the %(count)s active employee(s) of %(unit)s already has an appraisal of "
                      "%(cycle)s in %(period)s (run %(runs)s); nothing was launched."),
    "run.launch_race": T("%(cycle)s periode %(period)s baru saja diluncurkan untuk sebagian pegawai ini oleh orang "
                         "lain; tidak ada yang disimpan, luncurkan lagi untuk melihat siapa yang dilewati.",
                         "%(cycle)s %(period)s was launched for some of these employees at the same moment; nothing "
                         "was written, launch again to see who is skipped."),
    "run.no_employee": T("Tidak ada pegawai dengan NIP «%(nip)s».", "There is no employee with NIP «%(nip)s»."),
    "run.reason_required": T("Isi alasannya (misalnya nomor SK mutasi atau pensiun).",
                             "Give the reason (e.g. the decree number of the transfer or retirement)."),
    "run.reason_long": T("Alasan lebih dari %(limit)s karakter.", "The reason is longer than %(limit)s characters."),
    "run.not_hr": T("Anda bukan SDM unit %(unit)s, unit putaran #%(run)s.",
                    "You are not HR of %(unit)s, the unit of run #%(run)s."),
    "run.inactive": T("%(name)s (%(nip)s) bukan pegawai aktif.", "%(name)s (%(nip)s) is not an active employee."),
    "run.outside": T("%(name)s (%(nip)s) bekerja di %(unit)s, di luar %(run_unit)s (putaran #%(run)s); catat dulu "
                     "perpindahannya di data organisasi.",
                     "%(name)s (%(nip)s) works in %(unit)s, outside %(run_unit)s (run #%(run)s); record the move in "
                     "the organisation data first."),
    "run.has_appraisal": T("%(name)s (%(nip)s) sudah punya penilaian #%(appraisal)s %(cycle)s periode %(period)s "
                           "(putaran #%(run)s); tutup dulu bila pegawai pindah.",
                           "%(name)s (%(nip)s) already has appraisal #%(appraisal)s of %(cycle)s in %(period)s "
                           "(run #%(run)s); close it first if the employee moved."),
    "run.already_closed": T("Penilaian #%(appraisal)s atas %(name)s sudah ditutup (%(how)s).",
                            "Appraisal #%(appraisal)s of %(name)s was already closed (%(how)s)."),
    "run.close_race": T("Penilaian ini baru saja diubah orang lain; tidak ada yang disimpan, coba lagi.",
                        "Someone else changed these appraisals at the same moment; nothing was written, try again."),
    "run.close_kind": T("Cara menutup «%(kind)s» tidak dikenal; pilih salah satu: %(kinds)s.",
                        "Unknown way to close «%(kind)s»; choose one of: %(kinds)s."),
    "run.other_cycle": T("Putaran #%(run)s adalah %(cycle)s %(period)s, bukan %(old_cycle)s %(old_period)s seperti "
                         "penilaian #%(appraisal)s.",
                         "Run #%(run)s is %(cycle)s %(period)s, not %(old_cycle)s %(old_period)s like appraisal "
                         "#%(appraisal)s."),
    "run.same_run": T("Penilaian #%(appraisal)s sudah ada di putaran #%(run)s.",
                      "Appraisal #%(appraisal)s is already in run #%(run)s."),
    "closed.left": T("pegawai keluar", "the employee left"),
    "closed.transferred": T("pegawai pindah", "the employee moved"),
    "calibration.unknown_period": T("«%(text)s» bukan periode kalibrasi putaran ini; pilih periode putaran "
                                    "(%(period)s) atau salah satu checkpoint: %(known)s.",
                                    "«%(text)s» is not a period this run is calibrated for; choose the run's period "
                                    "(%(period)s) or one of its checkpoints: %(known)s."),
    "calibration.only_period": T("«%(text)s» bukan periode kalibrasi putaran ini; putaran ini hanya dikalibrasi untuk "
                                 "periodenya, %(period)s.",
                                 "«%(text)s» is not a period this run is calibrated for; it is calibrated for its own "
                                 "period only, %(period)s."),
    "predicate.unknown": T("«%(text)s» bukan predikat kinerja organisasi; pilih salah satu dari %(known)s.",
                           "«%(text)s» is not an organisation predicate; choose one of %(known)s."),
    "predicate.period": T("«%(period)s» bukan periode; tulis seperti 2026, 2026-S1, 2026-Q3 atau 2026-07.",
                          "«%(period)s» is not a period; write it like 2026, 2026-S1, 2026-Q3 or 2026-07."),
    "predicate.date": T("«%(value)s» bukan tanggal; tulis seperti 2026-12-20.",
                        "«%(value)s» is not a date; write it like 2026-12-20."),
    "predicate.pdf": T("Penetapan harus berupa berkas PDF (isi berkas diperiksa, bukan hanya namanya).",
                       "The penetapan must be a PDF file (its content is checked, not only its name)."),
    "predicate.decider": T("Isi siapa yang menetapkan (pejabat penanda tangan penetapan, misalnya Bupati Solok).",
                           "Name who decided (the official who signed the penetapan, e.g. Bupati Solok)."),
    "predicate.decider_long": T("Nama penetap lebih dari %(limit)s karakter.",
                                "The decider's name is longer than %(limit)s characters."),
    "predicate.forbidden": T("Anda tidak berwenang mencatat predikat kinerja organisasi %(unit)s: hanya SDM unit itu "
                             "atau pejabat yang berwenang.",
                             "You may not record the organisation predicate of %(unit)s: only HR of the unit or the "
                             "official authorised for it may."),
    "predicate.record_forbidden": T(
        "Predikat kinerja organisasi %(unit)s ditetapkan oleh organisasi di atasnya, bukan oleh unit itu sendiri: "
        "yang dapat mencatatnya SDM %(above)s (atau unit di atasnya), admin, atau pejabat yang diberi wewenang "
        "menetapkan predikat.",
        "The organisation predicate of %(unit)s is set by the organisation above it, not by the unit itself: HR of "
        "%(above)s (or a unit above it), an admin, or the official authorised to set predicates may record it."),
    "predicate.record_forbidden_top": T(
        "Predikat kinerja organisasi %(unit)s ditetapkan oleh organisasi di atasnya, bukan oleh unit itu sendiri; "
        "%(unit)s tidak mempunyai unit di atasnya di Siklus, jadi hanya admin atau pejabat yang diberi wewenang "
        "menetapkan predikat yang dapat mencatatnya.",
        "The organisation predicate of %(unit)s is set by the organisation above it, not by the unit itself; "
        "%(unit)s has no unit above it in Siklus, so only an admin or the official authorised to set predicates "
        "may record it."),
    "predicate.unit": T("Unit #%(unit)s bukan unit putaran #%(run)s atau unit di bawahnya.",
                        "Unit #%(unit)s is not the unit of run #%(run)s or a unit below it."),
    "predicate.future": T("Tanggal penetapan %(day)s sesudah hari ini (%(today)s).",
                          "The penetapan's date %(day)s is after today (%(today)s)."),
    "predicate.before_period": T("Tanggal penetapan %(day)s sebelum periode %(period)s dimulai (%(start)s); "
                                 "predikat organisasi ditetapkan atas kinerja periode itu, jadi tulis tanggal "
                                 "penetapan yang ditandatangani.",
                                 "The penetapan's date %(day)s is before period %(period)s begins (%(start)s); the "
                                 "organisation's predicate judges that period's performance, so give the date the "
                                 "penetapan was signed."),
    "predicate.outside": T("Periode %(period)s di luar periode putaran #%(run)s (%(run_period)s).",
                           "The period %(period)s is outside run #%(run)s (%(run_period)s)."),
    "predicate.race": T("Predikat unit ini untuk periode itu baru saja dicatat orang lain; tidak ada yang disimpan, "
                        "periksa riwayatnya lalu coba lagi.",
                        "Someone else recorded this unit's predicate for the period at the same moment; nothing was "
                        "written, look at the history and try again."),
    "predicate.not_found": T("Tidak ada penetapan predikat kinerja organisasi #%(id)s.",
                             "There is no organisation predicate decision #%(id)s."),
    "predicate.file_missing": T("Berkas penetapan keputusan #%(id)s tidak ada di folder bukti.",
                                "The penetapan file of decision #%(id)s is not in the evidence folder."),
}
