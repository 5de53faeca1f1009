"""Messages of logins, roles and the organisation import."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "user.password_short": T("Kata sandi minimal %(minimum)s karakter (kosongkan agar dibuatkan otomatis).",
                             "The password must have at least %(minimum)s characters (leave it empty to have one "
                             "generated)."),
    "user.password_long": T("Kata sandi paling banyak 200 karakter.", "The password may have at most 200 characters."),
    "user.not_found": T("Pengguna #%(id)s tidak ada.", "There is no user #%(id)s."),
    "user.own_login": T("Anda tidak dapat mengubah login Anda sendiri; mintalah petugas SDM lain atau admin.",
                        "You cannot change your own login; ask another HR officer or an admin."),
    "user.outside_scope": T("Pengguna «%(username)s» berada di unit di luar kewenangan SDM Anda.",
                            "User '%(username)s' belongs to units outside the ones you oversee as HR."),
    "user.name_format": T("Nama pengguna harus 3 sampai 80 huruf, angka, titik, tanda hubung atau garis bawah, "
                          "diawali huruf atau angka.",
                          "The user name must be 3 to 80 letters, digits, dots, dashes or underscores, starting "
                          "with a letter or digit."),
    "employee.not_found": T("Pegawai #%(id)s tidak ada.", "There is no employee #%(id)s."),
    "user.employee_outside": T("%(name)s (%(nip)s) bekerja di unit di luar kewenangan SDM Anda.",
                               "%(name)s (%(nip)s) works in a unit you do not oversee as HR."),
    "user.has_login": T("%(name)s (%(nip)s) sudah mempunyai login «%(username)s».",
                        "%(name)s (%(nip)s) already has the login '%(username)s'."),
    "user.name_taken": T("Nama pengguna «%(username)s» sudah dipakai; pilih yang lain (NIP biasanya dipakai).",
                         "The user name '%(username)s' is taken; choose another (the NIP is a common choice)."),
    "role.admin_only": T("Hanya admin yang dapat memberi atau mencabut peran admin.",
                         "Only an admin may grant or revoke the admin role."),
    "role.unknown": T("Peran «%(role)s» tidak dikenal: gunakan hr, admin atau group:<nama> (huruf kecil, angka, "
                      "'-' atau '_').",
                      "Unknown role '%(role)s': use hr, admin or group:<name> (lower-case letters, digits, '-' or "
                      "'_')."),
    "role.every_unit": T("Peran «%(role)s» untuk semua unit melampaui kewenangan Anda; pilih salah satu unit Anda.",
                         "The role '%(role)s' for every unit is beyond your own scope; choose one of your units."),
    "role.unit_outside": T("Unit %(unit)s berada di luar unit yang Anda awasi sebagai SDM.",
                           "Unit %(unit)s is outside the units you oversee as HR."),
    "unit.not_found": T("Unit #%(id)s tidak ada.", "There is no unit #%(id)s."),
    "role.held": T("«%(username)s» sudah memegang %(role)s untuk %(unit)s.",
                   "'%(username)s' already holds %(role)s for %(unit)s."),
    "role.every_unit_name": T("semua unit", "every unit"),
    "grant.not_found": T("Pemberian peran #%(id)s tidak ada.", "There is no role grant #%(id)s."),
    "org.import_forbidden": T("%(username)s tidak dapat mengimpor organisasi: diperlukan hak SDM atau admin atas "
                              "unit teratas instansi atau atas semua unit.",
                              "%(username)s may not import the organisation: it needs HR or admin rights over an "
                              "agency's top unit or over every unit."),
    "org.not_utf8": T("%(file)s: bukan teks UTF-8 (bita ke-%(byte)s); simpan berkas sebagai CSV UTF-8.",
                      "%(file)s: not UTF-8 text (byte %(byte)s); save the file as UTF-8 CSV."),
    "org.csv_unreadable": T("%(file)s: baris %(line)s tidak terbaca sebagai CSV.",
                            "%(file)s: line %(line)s is not readable as CSV."),
    "org.xlsx_unreadable": T("%(file)s: bukan buku kerja Excel (.xlsx) yang terbaca.",
                             "%(file)s: not a readable Excel workbook (.xlsx)."),
    "org.too_many_rows": T("%(file)s: lembar itu mencapai baris %(row)s; sebuah impor memuat paling banyak %(limit)s "
                           "baris (hapus isi atau format di bawah tabel, atau bagi berkasnya).",
                           "%(file)s: the sheet reaches row %(row)s; one import holds at most %(limit)s rows (clear "
                           "what lies below the table, or split the file)."),
    "org.too_many_columns": T("%(file)s: baris %(row)s memuat isi di kolom ke-%(column)s; sebuah impor memuat paling "
                              "banyak %(limit)s kolom (hapus isi di sebelah kanan tabel).",
                              "%(file)s: row %(row)s holds something in column %(column)s; one import holds at most "
                              "%(limit)s columns (clear what lies right of the table)."),
    "org.sheet_too_wide": T("%(file)s: lembar itu mencapai kolom %(column)s; sebuah impor memuat paling banyak "
                            "%(limit)s kolom (hapus isi atau format di sebelah kanan tabel).",
                            "%(file)s: the sheet reaches column %(column)s; one import holds at most %(limit)s columns "
                            "(clear what lies right of the table, content or formatting)."),
    "org.merged": T("%(file)s: sel %(range)s digabung (merge), sehingga hanya %(cell)s yang memuat nilainya dan sel "
                    "lainnya terbaca kosong (%(count)s rentang gabungan bernilai); pisahkan sel-selnya (Unmerge) dan "
                    "isi nilainya di setiap sel (pilih rentangnya, matikan Merge & Center, lalu isi ke bawah).",
                    "%(file)s: the cells %(range)s are merged, so only %(cell)s holds their value and the others read "
                    "as blank (%(count)s merged range(s) with a value); unmerge them and type the value in each cell "
                    "(select the range, turn off Merge & Center, then fill down)."),
    "org.no_sheet": T("%(file)s: buku kerja tidak mempunyai lembar.", "%(file)s: the workbook has no sheet."),
    "org.file_type": T("%(file)s: jenis berkas tidak dikenal; berikan berkas .csv (UTF-8, pemisah koma atau titik "
                       "koma) atau .xlsx.",
                       "%(file)s: unknown file type; give a .csv (UTF-8, comma or semicolon) or an .xlsx file."),
    "org.empty": T("%(file)s: berkas kosong; baris pertama harus menamai kolom (%(columns)s).",
                   "%(file)s: the file is empty; the first row must name the columns (%(columns)s)."),
    "org.export_format": T("Format ekspor «%(fmt)s» tidak dikenal; gunakan csv atau xlsx.",
                           "Unknown export format '%(fmt)s'; use csv or xlsx."),
}
