"""Refusals of feedback: nominated respondents, feedback windows, the public (IKM) survey."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "nomination.see": T("Hanya pegawai, pejabat penilainya dan SDM yang dapat melihat responden yang diusulkan.",
                        "Only the employee, their rater and HR see the nominated respondents."),
    "nomination.only_employee": T("Hanya pegawai yang dinilai yang dapat mengusulkan respondennya.",
                                  "Only the appraised employee proposes their respondents."),
    "nomination.not_now": T("Siklus ini tidak menerima usulan responden untuk peran itu sekarang.",
                            "This cycle takes no nominated respondents for that role now."),
    "nomination.twice": T("%(name)s sudah diusulkan untuk peran ini.", "%(name)s is already nominated for this role."),
    "nomination.unknown_nip": T("Tidak ada pegawai aktif dengan NIP «%(nip)s».",
                                "No active employee has the NIP «%(nip)s»."),
    "nomination.self_or_rater": T("Pegawai sendiri dan pejabat penilainya tidak dapat diusulkan sebagai responden.",
                                  "The employee and their rater cannot be nominated as respondents."),
    "nomination.outside": T("%(name)s bekerja di luar instansi; yang dapat diusulkan hanya rekan dari instansi yang "
                            "sama.",
                            "%(name)s works outside the agency; only colleagues of the same agency can be "
                            "nominated."),
    "nomination.decision": T("Pilih setujui atau tolak untuk usulan responden ini.",
                             "Choose approve or decline for the proposed respondent."),
    "nomination.not_found": T("Usulan #%(id)s tidak ada.", "There is no nomination #%(id)s."),
    "nomination.only_rater": T("Hanya pejabat penilai pegawai yang dapat memutuskan usulan responden.",
                               "Only the employee's rater decides on nominated respondents."),
    "nomination.decided": T("Usulan ini sudah diputuskan.", "This nomination was already decided."),
    "nomination.appraisal_done": T("Penilaian ini sudah selesai; usulan responden tidak dapat diputuskan lagi.",
                                   "This appraisal is done; a proposed respondent can no longer be decided on."),
    "feedback.not_saved": T("Umpan balik tidak disimpan: %(problems)s", "The feedback was not saved: %(problems)s"),
    "feedback.no_window": T("Siklus ini tidak mempunyai umpan balik «%(window)s».",
                            "This cycle has no feedback «%(window)s»."),
    "feedback.not_open": T("%(window)s tidak dibuka pada tahap «%(state)s».", "%(window)s is not open in «%(state)s»."),
    "feedback.who": T("Hanya %(roles)s yang dapat memberi %(window)s pada penilaian ini.",
                      "Only %(roles)s may give %(window)s on this appraisal."),
    "public.unknown_unit": T("Tidak ada unit layanan dengan tautan «%(slug)s». Periksa alamat atau kode QR-nya.",
                             "No service unit has the public link «%(slug)s». Check the address or its QR code."),
    "public.profile": T("Profil responden tidak menawarkan jawaban itu: %(questions)s.",
                        "The respondent profile offers no such answer: %(questions)s."),
    "public.answers": T("Jawab setiap unsur U1 sampai U9 dengan angka 1 sampai 4.",
                        "Answer every element U1 to U9 with a number from 1 to 4."),
    "public.incomplete": T("Survei belum lengkap: unsur %(elements)s belum dijawab dengan angka bulat 1 sampai 4.",
                           "The survey is incomplete: element(s) %(elements)s have no whole-number answer from 1 "
                           "to 4."),
    "public.complaint_long": T("Pengaduan terlalu panjang: %(length)s karakter; paling banyak %(limit)s.",
                               "The complaint is too long: %(length)s characters; at most %(limit)s."),
    "public.client_key": T("Kunci perangkat diperlukan untuk membatasi jawaban berulang.",
                           "A client key is needed to limit repeated answers."),
    "public.address_limited": T("Dari alamat jaringan ini sudah dikirim %(limit)s jawaban untuk unit ini dalam "
                                "%(hours)s jam terakhir, dari perangkat apa pun; coba lagi besok.",
                                "%(limit)s answers for this unit have already been sent from this network address in "
                                "the last %(hours)s hours, whatever the device; try again tomorrow."),
    "public.rate_limited": T("Perangkat ini sudah mengirim %(sent)s jawaban untuk %(unit)s dalam %(hours)s jam "
                             "terakhir; coba lagi nanti.",
                             "This device already sent %(sent)s answers for %(unit)s in the last %(hours)s hours; "
                             "try again later."),
}
