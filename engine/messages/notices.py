"""What notices say (:mod:`engine.notifications`): a subject and a body per kind of notice, and the
phrases they are built from. A notice is stored as its code and parameters and rendered when it is
read, in the reader's language; the cycle's things (states, steps, roles) are passed as labels."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "notice.action_needed.subject": T("Perlu tindakan: %(state)s – %(employee)s",
                                      "Action needed: %(state)s – %(employee)s"),
    "notice.action_needed.body": T("Penilaian kinerja %(employee)s (%(cycle)s, periode %(period)s) kini berada pada "
                                   "tahap \"%(state)s\".\nYang dapat Anda lakukan: %(actions)s.",
                                   "The performance appraisal of %(employee)s (%(cycle)s, period %(period)s) is now "
                                   "at \"%(state)s\".\nWhat you can do: %(actions)s."),
    "notice.reminder.subject": T("Pengingat tenggat: %(state)s – %(employee)s",
                                 "Deadline reminder: %(state)s – %(employee)s"),
    "notice.reminder.body": T("Tenggat tahap \"%(state)s\" pada penilaian kinerja %(employee)s (periode %(period)s) "
                              "telah lewat (%(due)s).\nYang dapat Anda lakukan: %(actions)s.",
                              "The deadline of \"%(state)s\" in the performance appraisal of %(employee)s (period "
                              "%(period)s) has passed (%(due)s).\nWhat you can do: %(actions)s."),
    "notice.escalation.subject": T("Tenggat terlewat: %(state)s – %(employee)s",
                                   "Deadline missed: %(state)s – %(employee)s"),
    "notice.escalation.body": T("Tahap \"%(state)s\" pada penilaian kinerja %(employee)s (periode %(period)s) "
                                "melewati tenggat (%(due)s) dan diteruskan kepada SDM.\nMenunggu: %(waiting)s.",
                                "\"%(state)s\" in the performance appraisal of %(employee)s (period %(period)s) is "
                                "past its deadline (%(due)s) and has been passed on to HR.\nWaiting for: "
                                "%(waiting)s."),
    "notice.nobody_holds.subject": T("Tidak ada pemegang peran: %(state)s – %(employee)s",
                                     "Nobody holds the role: %(state)s – %(employee)s"),
    "notice.nobody_holds.body": T("Penilaian kinerja %(employee)s (%(cycle)s, periode %(period)s) kini berada pada "
                                  "tahap \"%(state)s\" dan menunggu %(waiting)s, tetapi tidak seorang pun memegang "
                                  "peran itu untuk penilaian ini.\nTunjuk pemegangnya di halaman Pejabat penilai "
                                  "pejabat puncak (SDM) agar penilaian dapat dilanjutkan.",
                                  "The performance appraisal of %(employee)s (%(cycle)s, period %(period)s) is now at "
                                  "\"%(state)s\" and waits for %(waiting)s, but nobody holds that role for this "
                                  "appraisal.\nDesignate someone on the Raters of top officials page (HR) so that it "
                                  "can go on."),
    "notice.employee.subject": T("Penilaian kinerja Anda: %(state)s", "Your performance appraisal: %(state)s"),
    "notice.employee.body": T("%(by)s telah melakukan \"%(transition)s\" pada penilaian kinerja Anda (%(cycle)s, "
                              "periode %(period)s).\nTahap sekarang: \"%(state)s\".",
                              "%(by)s did \"%(transition)s\" on your performance appraisal (%(cycle)s, period "
                              "%(period)s).\nIt is now at \"%(state)s\"."),
    "notice.closed.subject": T("Penilaian kinerja Anda selesai: %(state)s",
                               "Your performance appraisal is complete: %(state)s"),
    "notice.closed.body": T("Penilaian kinerja Anda (%(cycle)s, periode %(period)s) telah ditutup setelah "
                            "\"%(transition)s\" oleh %(by)s.\nTahap akhir: \"%(state)s\". Hasil akhirnya ada di "
                            "halaman penilaian.",
                            "Your performance appraisal (%(cycle)s, period %(period)s) was closed after "
                            "\"%(transition)s\" by %(by)s.\nFinal stage: \"%(state)s\". The final results are on the "
                            "appraisal's page."),
    "notice.step": T("Langkah terakhir: \"%(transition)s\" oleh %(by)s.", "Last step: \"%(transition)s\" by %(by)s."),
    # A periodic checkpoint's entry, one kind of notice per kind of entry.
    "notice.checkpoint.report.subject": T("Laporan %(checkpoint)s – %(employee)s",
                                          "Report for %(checkpoint)s – %(employee)s"),
    "notice.checkpoint.report.body": T("Pada penilaian kinerja %(employee)s (periode %(period)s) tercatat laporan "
                                       "untuk %(checkpoint)s.\nYang dapat Anda lakukan: %(actions)s.",
                                       "The performance appraisal of %(employee)s (period %(period)s) has a new "
                                       "report for %(checkpoint)s.\nWhat you can do: %(actions)s."),
    "notice.checkpoint.self_assessment.subject": T("Penilaian diri %(checkpoint)s – %(employee)s",
                                                   "Self-assessment for %(checkpoint)s – %(employee)s"),
    "notice.checkpoint.self_assessment.body": T("Pada penilaian kinerja %(employee)s (periode %(period)s) tercatat "
                                                "penilaian diri untuk %(checkpoint)s.\nYang dapat Anda lakukan: "
                                                "%(actions)s.",
                                                "The performance appraisal of %(employee)s (period %(period)s) has a "
                                                "new self-assessment for %(checkpoint)s.\nWhat you can do: "
                                                "%(actions)s."),
    "notice.checkpoint.feedback.subject": T("Tanggapan penilai atas %(checkpoint)s – %(employee)s",
                                            "Rater's response for %(checkpoint)s – %(employee)s"),
    "notice.checkpoint.feedback.body": T("Pada penilaian kinerja %(employee)s (periode %(period)s) tercatat "
                                         "tanggapan penilai untuk %(checkpoint)s.\nYang dapat Anda lakukan: "
                                         "%(actions)s.",
                                         "The performance appraisal of %(employee)s (period %(period)s) has a new "
                                         "rater's response for %(checkpoint)s.\nWhat you can do: %(actions)s."),
    "notice.checkpoint.rating.subject": T("Penilaian periodik %(checkpoint)s – %(employee)s",
                                          "Periodic rating for %(checkpoint)s – %(employee)s"),
    "notice.checkpoint.rating.body": T("Pada penilaian kinerja %(employee)s (periode %(period)s) tercatat penilaian "
                                       "periodik untuk %(checkpoint)s.\nYang dapat Anda lakukan: %(actions)s.",
                                       "The performance appraisal of %(employee)s (period %(period)s) has a new "
                                       "periodic rating for %(checkpoint)s.\nWhat you can do: %(actions)s."),
    # The loops that end with someone else: a proposed 360 respondent, a public complaint.
    "notice.nomination.subject": T("Usulan responden menunggu persetujuan – %(employee)s",
                                   "Proposed respondent awaiting approval – %(employee)s"),
    "notice.nomination.body": T("%(employee)s mengusulkan %(nominee)s sebagai %(role)s pada penilaian kinerjanya "
                                "(%(cycle)s, periode %(period)s).\nSebagai pejabat penilai, Anda dapat menyetujui "
                                "atau menolak usulan ini di halaman responden.",
                                "%(employee)s proposed %(nominee)s as %(role)s in their performance appraisal "
                                "(%(cycle)s, period %(period)s).\nAs the rater, you can approve or decline the "
                                "proposal on the respondents page."),
    "notice.complaint.subject": T("Pengaduan masyarakat baru – %(unit)s", "New public complaint – %(unit)s"),
    "notice.complaint.body": T("Sebuah pengaduan masyarakat tentang %(unit)s diterima pada %(received)s.\n"
                               "Pilah pengaduan ini (terbukti, tidak terbukti atau duplikat) dan jawab di halaman "
                               "pengaduan.",
                               "A public complaint about %(unit)s was received on %(received)s.\nSort it (verified, "
                               "unfounded or a duplicate) and reply to it on the complaints page."),
    # Phrases the notices above are built from.
    "notice.nobody": T("belum ada pemegang peran", "no one holds the role yet"),
    "notice.system": T("sistem (tenggat)", "the system (a deadline)"),
    "notice.do.skp": T("menyusun SKP", "draft the SKP"),
    "notice.do.realisation": T("mencatat realisasi", "record realisations"),
    "notice.do.feedback": T("memberi umpan balik", "give feedback"),
    "notice.do.development": T("mencatat pengembangan kompetensi", "record development"),
    "notice.do.follow": T("menindaklanjuti", "follow up"),
    "notice.do.respond": T("menanggapi atau menilai", "respond or rate"),
    "notice.do.read": T("membaca dan menindaklanjuti", "read it and follow up"),
}
