"""Refusals of periodic checkpoints: reports, feedback, periodic ratings, self-assessments, closures."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "checkpoint.no_series": T("Siklus ini tidak mempunyai rangkaian titik pantau «%(series)s».",
                              "This cycle has no checkpoint series «%(series)s»."),
    "checkpoint.outside_period": T("«%(key)s» berada di luar periode penilaian %(period)s; %(series)s yang ada: "
                                   "%(span)s.",
                                   "«%(key)s» is outside the appraisal period %(period)s; its %(series)s "
                                   "checkpoints are %(span)s."),
    "checkpoint.span": T("%(first)s sampai %(last)s", "%(first)s to %(last)s"),
    "checkpoint.none": T("tidak ada", "none"),
    "checkpoint.not_started": T("%(checkpoint)s baru dimulai pada %(start)s; %(what)s belum dapat dicatat.",
                                "%(checkpoint)s starts on %(start)s; no %(what)s can be recorded yet."),
    "checkpoint.rating_after_report": T(
        "Penilaian periodik %(checkpoint)s dicatat setelah pegawai mengirim laporan periode itu, atau mulai "
        "%(start)s sesudah periodenya berakhir; belum ada yang disimpan.",
        "The periodic rating of %(checkpoint)s is recorded once the employee has filed the period's report, or from "
        "%(start)s when the period is over; nothing was saved."),
    "checkpoint.rating_after_realisation": T(
        "Penilaian periodik %(checkpoint)s dicatat setelah pegawai mencatat realisasi periode itu, atau mulai "
        "%(start)s sesudah periodenya berakhir; belum ada yang disimpan.",
        "The periodic rating of %(checkpoint)s is recorded once the employee has recorded the period's realisation, "
        "or from %(start)s when the period is over; nothing was saved."),
    "checkpoint.rating_after_period": T(
        "Penilaian periodik %(checkpoint)s dicatat mulai %(start)s, sesudah periodenya berakhir; belum ada yang "
        "disimpan.",
        "The periodic rating of %(checkpoint)s is recorded from %(start)s, when the period is over; nothing was "
        "saved."),
    "checkpoint.responses_full": T(
        "Anda sudah memberi %(limit)s tanggapan untuk %(checkpoint)s, batas tanggapan satu orang pada satu titik "
        "pantau; tanggapan ini tidak disimpan. Tanggapan sebelumnya tetap tercatat; sampaikan hal lain dalam "
        "penilaian periodik atau pada titik pantau berikutnya.",
        "You have already given %(limit)s responses to %(checkpoint)s, the most one person gives to one checkpoint; "
        "this one was not saved. The earlier responses stay recorded; say anything further in the periodic rating "
        "or at the next checkpoint."),
    "checkpoint.realisations_full": T(
        "IKI «%(iki)s» sudah mempunyai %(limit)s realisasi untuk %(checkpoint)s, batas untuk satu IKI pada satu titik "
        "pantau; realisasi ini tidak disimpan. Yang terakhir dicatat yang berlaku; jelaskan koreksi berikutnya "
        "kepada penilai dalam laporan periode itu.",
        "IKI «%(iki)s» already has %(limit)s realisations for %(checkpoint)s, the most one IKI takes at one "
        "checkpoint; this one was not saved. The latest recorded is the one that counts; explain any further "
        "correction to the rater in the period's report."),
    "checkpoint.closed": T("%(checkpoint)s sudah ditutup untuk %(what)s pada %(when)s; tidak ada yang disimpan.",
                           "%(checkpoint)s closed for %(what)s on %(when)s; nothing was saved."),
    "checkpoint.already_closed": T("%(checkpoint)s sudah ditutup.", "%(checkpoint)s is already closed."),
    "checkpoint.wrong_state": T("Pada tahap «%(state)s» %(checkpoint)s tidak menerima %(what)s.",
                                "In «%(state)s» %(checkpoint)s takes no %(what)s."),
    "checkpoint.role": T("%(checkpoint)s: %(what)s hanya dapat dicatat oleh %(roles)s.",
                         "%(checkpoint)s: the %(what)s may only be recorded by %(roles)s."),
    "checkpoint.changed": T("Titik pantau ini baru saja diubah orang lain; muat ulang halaman lalu coba lagi.",
                            "Someone else changed this checkpoint just now; reload the page and try again."),
    "checkpoint.text_short": T("Isian %(what)s perlu paling sedikit %(minimum)s karakter.",
                               "The %(what)s needs at least %(minimum)s characters."),
    "checkpoint.text_long": T("Isian %(what)s lebih dari %(limit)s karakter.",
                              "The %(what)s is longer than %(limit)s characters."),
    "checkpoint.answer": T("jawaban «%(question)s»", "answer to «%(question)s»"),
    "checkpoint.already_recorded": T("%(checkpoint)s: %(what)s sudah dicatat pada %(when)s dan tidak ditimpa.",
                                     "%(checkpoint)s: the %(what)s was already recorded on %(when)s and is not "
                                     "overwritten."),
    "checkpoint.realisation_number": T("Realisasi harus berupa angka, bukan «%(value)s».",
                                       "The realisation must be a number, not «%(value)s»."),
    "checkpoint.no_realisation": T("%(checkpoint)s tidak menerima realisasi IKI.",
                                   "%(checkpoint)s takes no IKI realisations."),
    "checkpoint.kind_not_taken": T("%(checkpoint)s tidak menerima %(what)s; siklus ini tidak menyediakannya.",
                                   "%(checkpoint)s takes no %(what)s; this cycle does not provide for one."),
    "checkpoint.no_evidence": T("Laporan %(series)s tidak disertai berkas bukti.",
                                "Reports of %(series)s take no evidence file."),
    "checkpoint.rating_object": T("Penilaian periodik harus berupa objek JSON.",
                                  "The periodic rating must be a JSON object."),
    "checkpoint.rating_invalid": T("Penilaian periodik %(checkpoint)s belum lengkap atau belum benar; periksa "
                                   "%(fields)s.",
                                   "The periodic rating of %(checkpoint)s is incomplete or not valid; check "
                                   "%(fields)s."),
    "checkpoint.answer_choice": T("Jawaban «%(question)s» harus salah satu dari: %(choices)s.",
                                  "The answer to «%(question)s» must be one of: %(choices)s."),
}
