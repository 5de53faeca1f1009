"""Messages of the citizen and development loops: HR's handling of public complaints (pengaduan
masyarakat) and of the training catalogue (katalog pelatihan)."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS: dict[str, T] = {
    # -- public complaints ---------------------------------------------------------------------------
    "complaint.hr_only": T("Hanya SDM yang dapat menangani pengaduan masyarakat.",
                           "Only HR may handle public complaints."),
    "complaint.not_found": T("Pengaduan #%(id)s tidak ada.", "There is no complaint #%(id)s."),
    "complaint.other_unit": T("Hanya SDM unit ini yang dapat menangani pengaduan ini.",
                              "Only HR of the unit may handle this complaint."),
    "complaint.closed": T("Pengaduan sudah dijawab dan ditutup; hasil pemilahannya tetap.",
                          "The complaint was answered and is closed; its triage stays."),
    "complaint.triage_unknown": T("Pilih hasil pemilahan: terbukti, tidak terbukti atau duplikat.",
                                  "Choose a triage: verified, unfounded or duplicate."),
    "complaint.text_too_long": T("Teks paling panjang %(limit)s karakter (sekarang %(length)s).",
                                 "The text may be at most %(limit)s characters long (now %(length)s)."),
    "complaint.employee_missing": T("Pengaduan yang terbukti harus menyebut pegawai yang bersangkutan.",
                                    "A verified complaint names the employee concerned."),
    "complaint.employee_outside": T("Pegawai itu tidak bekerja di unit yang diadukan.",
                                    "That employee does not work in the unit the complaint is about."),
    "complaint.own_case": T("Pengaduan #%(id)s menyangkut Anda sendiri; petugas SDM lain yang memilahnya.",
                            "Complaint #%(id)s concerns you yourself; another HR officer triages it."),
    "complaint.own_reply": T("Pengaduan #%(id)s terverifikasi atas diri Anda sendiri; petugas SDM lain yang "
                             "menjawabnya.",
                             "Complaint #%(id)s is verified against you yourself; another HR officer answers it."),
    "complaint.duplicate_missing": T("Duplikat harus menyebut pengaduan lain dari unit yang sama (bukan duplikat).",
                                     "A duplicate names another case of the same unit (not itself a duplicate)."),
    "complaint.duplicate_unknown": T("Duplikat harus menyebut pengaduan lain dari unit yang sama; pengaduan "
                                     "#%(original)s tidak ada di unit pengaduan #%(id)s.",
                                     "A duplicate names another case of the same unit; there is no complaint "
                                     "#%(original)s in the unit of complaint #%(id)s."),
    "complaint.duplicate_self": T("Pengaduan #%(id)s tidak dapat menjadi duplikat dirinya sendiri.",
                                  "Complaint #%(id)s cannot be a duplicate of itself."),
    "complaint.duplicate_chain": T("Pengaduan #%(original)s sendiri duplikat dari pengaduan #%(root)s; tandai "
                                   "pengaduan #%(id)s sebagai duplikat dari #%(root)s.",
                                   "Complaint #%(original)s is itself a duplicate of complaint #%(root)s; mark "
                                   "complaint #%(id)s as a duplicate of #%(root)s."),
    "complaint.has_duplicates": T("Pengaduan #%(id)s adalah pengaduan asal bagi duplikat %(duplicates)s; pilah "
                                  "ulang duplikat itu lebih dahulu, lalu pengaduan ini.",
                                  "Complaint #%(id)s is the original of the duplicates %(duplicates)s; triage those "
                                  "again first, then this one."),
    "complaint.reply_untriaged": T("Pilah pengaduan ini lebih dahulu sebelum menjawabnya.",
                                   "Triage the complaint before answering it."),
    "complaint.replied": T("Pengaduan ini sudah dijawab.", "The complaint was already answered."),
    "complaint.reply_short": T("Jawaban paling sedikit %(minimum)s karakter.",
                               "The reply needs at least %(minimum)s characters."),
    # -- the training catalogue ----------------------------------------------------------------------
    "course.code_format": T("Kode kursus hanya huruf kecil, angka dan _ dan diawali huruf (mis. public_speaking), "
                            "bukan «%(code)s».",
                            "A course code is lower-case letters, digits and _ starting with a letter (e.g. "
                            "public_speaking), not «%(code)s»."),
    "course.title_required": T("Kursus perlu judul.", "The course needs a title."),
    "course.kind_unknown": T("Jenis kursus harus salah satu dari: manajerial, kepemimpinan, teknis, e-learning.",
                             "The course kind must be one of: managerial, leadership, technical, e-learning."),
    "course.jp": T("JP harus berupa angka di atas 0 dan paling banyak %(maximum)s, bukan «%(value)s».",
                   "JP must be a number above 0 and at most %(maximum)s, not «%(value)s»."),
    "course.code_taken": T("Katalog sudah memuat kursus dengan kode «%(code)s»; ubah kursus itu atau pakai kode lain.",
                           "The catalogue already has a course coded «%(code)s»; change that one or use another "
                           "code."),
    "course.not_found": T("Kursus #%(id)s tidak ada di katalog.", "There is no course #%(id)s in the catalogue."),
    "course.enrolled_jp": T("Kursus «%(title)s» sudah dipakai oleh %(count)s pendaftaran; JP-nya (%(jp)s) tidak "
                            "diubah di bawah peserta. Hentikan kursus ini dan tambahkan kursus baru dengan kode lain "
                            "untuk JP yang baru.",
                            "Course «%(title)s» is used by %(count)s enrolment(s); its JP (%(jp)s) is not changed "
                            "under them. Retire this course and add a new one with another code for the new JP."),
    "course.enrolled_certificate": T("Kursus «%(title)s» sudah dipakai oleh %(count)s pendaftaran; syarat "
                                     "sertifikatnya tidak diubah di bawah peserta. Hentikan kursus ini dan tambahkan "
                                     "kursus baru dengan kode lain.",
                                     "Course «%(title)s» is used by %(count)s enrolment(s); its certificate rule is "
                                     "not changed under them. Retire this course and add a new one with another "
                                     "code."),
}
