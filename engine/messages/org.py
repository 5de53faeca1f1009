"""Problems in the rows of an organisation file (``siklus import``, the HR import screen, the API).

Each is shown with its row and column (the column as the file names it); the file's own headers
(``Kode Unit``, ``NIP Atasan``) are quoted as written.
"""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS: dict[str, T] = {
    "org.rejected": T("%(file)s tidak diimpor: %(count)s masalah, masing-masing dengan barisnya; tidak ada yang "
                      "disimpan.",
                      "%(file)s was not imported: %(count)s problem(s), each with its row; nothing was written."),
    "org.row.column_hint": T("Kolom «%(column)s» tidak dikenal (maksudnya «%(hint)s»?).",
                             "Unknown column '%(column)s' (did you mean '%(hint)s'?)."),
    "org.row.column": T("Kolom «%(column)s» tidak dikenal; kolom yang dikenal: %(known)s.",
                        "Unknown column '%(column)s'; the known columns are %(known)s."),
    "org.row.column_twice": T("Kolom «%(column)s» diberikan dua kali (juga «%(other)s»).",
                              "The column '%(column)s' is given twice (also '%(other)s')."),
    "org.row.column_missing": T("Kolom wajib «%(column)s» tidak ada.", "The required column '%(column)s' is missing."),
    "org.row.hidden": T("Sel ini memuat karakter %(code)s yang tidak tampak di layar (karakter kendali, karakter "
                        "format seperti spasi lebar nol, atau pembalik arah teks); nama yang tampak sama dengan nama "
                        "lain tidak boleh berbeda: ketik ulang isinya.",
                        "The cell holds the character %(code)s, which does not show on screen (a control character, "
                        "a format character such as a zero-width space, or a text-direction override); a name that "
                        "looks like another must not be another: type the cell again."),
    "org.row.script_letter": T("Huruf «%(char)s» (%(script)s, %(code)s) bukan huruf Latin; kode unit dan NIP ditulis "
                               "dengan huruf Latin dan angka 0-9: ketik ulang isinya.",
                               "The letter '%(char)s' (%(script)s, %(code)s) is not a Latin letter; unit codes and "
                               "NIPs are written in Latin letters and the digits 0-9: type the cell again."),
    "org.row.script_digit": T("Angka «%(char)s» (%(script)s, %(code)s) bukan angka 0-9; kode unit dan NIP ditulis "
                              "dengan huruf Latin dan angka 0-9: ketik ulang isinya.",
                              "The digit '%(char)s' (%(script)s, %(code)s) is not one of 0-9; unit codes and NIPs are "
                              "written in Latin letters and the digits 0-9: type the cell again."),
    "org.row.script_mixed": T("Huruf «%(char)s» (%(script)s, %(code)s) pada «%(word)s» bukan huruf Latin, padahal "
                              "huruf lain kata itu Latin; nama yang tampak sama dengan nama lain tidak boleh berbeda: "
                              "ketik ulang kata itu.",
                              "The letter '%(char)s' (%(script)s, %(code)s) in '%(word)s' is not a Latin letter, "
                              "though the word's other letters are; a name that looks like another must not be "
                              "another: type the word again."),
    "org.script.cyrillic": T("Sirilik", "Cyrillic"),
    "org.script.greek": T("Yunani", "Greek"),
    "org.script.armenian": T("Armenia", "Armenian"),
    "org.script.cherokee": T("Cherokee", "Cherokee"),
    "org.script.coptic": T("Koptik", "Coptic"),
    "org.script.arabic": T("Arab", "Arabic"),
    "org.script.other": T("aksara %(name)s", "%(name)s script"),
    "org.row.formula": T("Sel ini memuat rumus tanpa nilai hasil hitungan; ketik nilainya, atau buka berkas di program "
                         "lembar kerja lalu simpan lagi.",
                         "The cell holds a formula without a computed value; type the value, or open the file in a "
                         "spreadsheet program and save it again."),
    "org.row.formula_error": T("Sel ini memuat rumus yang hasilnya galat %(error)s; perbaiki rumusnya atau ketik "
                               "nilainya.",
                               "The cell holds a formula whose result is the error %(error)s; correct the formula or "
                               "type the value."),
    "org.row.too_long": T("Isinya lebih dari %(limit)s karakter.", "Longer than %(limit)s characters."),
    "org.row.unit_missing": T("Kode unit kosong: setiap baris menyebut unitnya dengan kode.",
                              "The unit code is missing: every row names its unit by code."),
    "org.row.own_parent": T("Unit «%(unit)s» tidak dapat menjadi induknya sendiri.",
                            "Unit '%(unit)s' cannot be its own parent."),
    "org.row.unit_differs": T("Unit «%(unit)s» diuraikan berbeda pada baris %(row)s («%(name)s», induk %(parent)s).",
                              "Unit '%(unit)s' is described differently in row %(row)s ('%(name)s', parent "
                              "%(parent)s)."),
    "org.row.no_parent": T("tidak ada", "none"),
    "org.row.parent_without_name": T("Unit induk diberikan tanpa nama unitnya; berikan keduanya untuk menguraikan "
                                     "unit.",
                                     "A parent unit is given without the unit's name; give both to describe the "
                                     "unit."),
    "org.row.nip_missing": T("NIP kosong (baris tanpa NIP hanya menguraikan unit).",
                             "The NIP is missing (a row without NIP only describes a unit)."),
    "org.row.unit_name_missing": T("Baris tanpa NIP menguraikan unit dan memerlukan nama unitnya.",
                                   "A row without NIP describes a unit and needs the unit's name."),
    "org.row.nip": T("«%(value)s» bukan NIP 18 angka.", "'%(value)s' is not an 18-digit NIP."),
    "org.row.nip_excel": T("«%(value)s» bukan NIP 18 angka; tampaknya Excel mengubahnya menjadi bilangan dan "
                           "menghilangkan angkanya: format kolom itu sebagai Teks.",
                           "'%(value)s' is not an 18-digit NIP; it looks like Excel turned it into a number and lost "
                           "digits: format the column as Text."),
    "org.row.nip_birth": T("NIP %(nip)s: 8 angka pertamanya adalah tanggal lahir (tahun, bulan, tanggal), dan "
                           "%(part)s bukan tanggal lahir.",
                           "NIP %(nip)s: its first 8 digits are the birth date (year, month, day), and %(part)s is "
                           "not a birth date."),
    "org.row.nip_appointed": T("NIP %(nip)s: angka ke-9 sampai ke-12 adalah tahun pengangkatan, dan %(year)s tidak "
                               "sesudah tahun lahir %(born)s.",
                               "NIP %(nip)s: digits 9 to 12 are the year of appointment, and %(year)s is not after "
                               "the birth year %(born)s."),
    "org.row.nip_gender": T("NIP %(nip)s: angka ke-15 adalah kode jenis kelamin, 1 (laki-laki) atau 2 (perempuan), "
                            "bukan %(digit)s.",
                            "NIP %(nip)s: digit 15 is the gender digit, 1 (male) or 2 (female), not %(digit)s."),
    "org.row.nip_twice": T("NIP %(nip)s muncul dua kali (pertama pada baris %(row)s).",
                           "NIP %(nip)s appears twice (first in row %(row)s)."),
    "org.row.name_missing": T("Nama pegawai kosong.", "The employee's name is missing."),
    "org.row.own_supervisor": T("Pegawai tidak dapat menjadi atasannya sendiri.",
                                "An employee cannot be their own supervisor."),
    "org.row.email": T("«%(value)s» bukan alamat surel.", "'%(value)s' is not an e-mail address."),
    "org.row.parent_unknown": T("Unit «%(unit)s» tidak dikenal (tidak ada dalam berkas maupun basis data).",
                                "Unknown unit '%(unit)s' (neither in the file nor in the database)."),
    "org.row.unit_loop": T("Unit-unit membentuk lingkaran: %(loop)s.", "Units form a loop: %(loop)s."),
    "org.row.unit_unknown": T("Unit «%(unit)s» tidak dikenal: tidak ada dalam basis data; uraikan dalam berkas dengan "
                              "kolom «%(column)s».",
                              "Unknown unit '%(unit)s': not in the database; describe it in the file with "
                              "'%(column)s'."),
    "org.row.unit_case": T("Kode unit «%(unit)s» hanya berbeda huruf besar-kecilnya dari unit yang sudah ada "
                           "«%(code)s»; satu kode tidak ditulis dengan dua cara: tulis «%(code)s».",
                           "The unit code '%(unit)s' differs only in case from the existing unit '%(code)s'; one code "
                           "is not written two ways: write '%(code)s'."),
    "org.row.unit_case_row": T("Kode unit «%(unit)s» hanya berbeda huruf besar-kecilnya dari «%(code)s» pada baris "
                               "%(row)s; satu kode tidak ditulis dengan dua cara: tulis «%(code)s».",
                               "The unit code '%(unit)s' differs only in case from '%(code)s' in row %(row)s; one code "
                               "is not written two ways: write '%(code)s'."),
    "org.row.unit_spelt": T("Unit «%(unit)s» tidak dikenal (maksudnya «%(code)s»?); kode unit ditulis persis seperti "
                            "kodenya, termasuk huruf besar-kecilnya.",
                            "Unknown unit '%(unit)s' (did you mean '%(code)s'?); a unit code is written exactly as it "
                            "is, capitals included."),
    "org.row.supervisor_unknown": T("NIP atasan %(nip)s tidak dikenal (tidak ada dalam berkas maupun basis data).",
                                    "Unknown supervisor NIP %(nip)s (neither in the file nor in the database)."),
    "org.row.supervisor_loop": T("Atasan-atasan membentuk lingkaran: %(loop)s.", "Supervisors form a loop: %(loop)s."),
    "org.row.unit_outside": T("Unit «%(unit)s» berada di luar unit yang Anda kelola sebagai SDM; berkas Anda hanya "
                              "dapat mengubah unit dan pegawai di bawah unit yang Anda kelola.",
                              "Unit '%(unit)s' is outside the units you oversee as HR; your file may only change units "
                              "and employees under the units you oversee."),
    "org.row.unit_outside_new": T("Unit baru «%(unit)s» tidak berada di bawah unit yang Anda kelola sebagai SDM; "
                                  "sebutkan salah satu unit Anda sebagai induknya.",
                                  "The new unit '%(unit)s' is not under a unit you oversee as HR; name one of your "
                                  "units as its parent."),
    "org.row.parent_outside": T("Unit «%(unit)s» tidak dapat dipindahkan ke bawah «%(parent)s», di luar unit yang "
                                "Anda kelola sebagai SDM.",
                                "Unit '%(unit)s' cannot be moved under '%(parent)s', outside the units you oversee as "
                                "HR."),
    "org.row.parent_outside_top": T("Unit «%(unit)s» tidak dapat dijadikan unit teratas (tanpa induk): itu di luar "
                                    "unit yang Anda kelola sebagai SDM.",
                                    "Unit '%(unit)s' cannot become a top unit (without a parent): that is outside the "
                                    "units you oversee as HR."),
    "org.row.employee_outside": T("Pegawai dengan NIP %(nip)s berada di unit «%(unit)s», di luar unit yang Anda "
                                  "kelola sebagai SDM.",
                                  "The employee with NIP %(nip)s is in unit '%(unit)s', outside the units you oversee "
                                  "as HR."),
    "org.row.supervisor_outside": T("Atasan dengan NIP %(nip)s berada di unit «%(unit)s», di luar unit yang Anda "
                                    "kelola sebagai SDM; hanya SDM atau admin atas semua unit yang dapat menjadikan "
                                    "pegawai instansi lain sebagai atasan.",
                                    "The supervisor with NIP %(nip)s is in unit '%(unit)s', outside the units you "
                                    "oversee as HR; only HR or an administrator over every unit may make an employee "
                                    "of another agency a supervisor."),
    "org.row.rater_unit_row": T("Hanya baris pegawai yang dapat menyebut pejabat penilai.",
                                "Only an employee row names a rater."),
    "org.row.rater_missing": T("Atasan pejabat penilai atau dasar penunjukan memerlukan akun pejabat penilai pada "
                               "baris yang sama (kolom «%(column)s»).",
                               "A reviewer or a basis needs the rater's account in the same row (column "
                               "'%(column)s')."),
}
