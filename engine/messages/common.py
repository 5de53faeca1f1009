"""Messages any part of Siklus may give: busy database, numbers, settings, things not found."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "db.busy": T("Basis data sedang sibuk dengan perubahan lain. Tidak ada yang disimpan; coba lagi beberapa "
                 "detik lagi.",
                 "The database is busy with another change. Nothing was saved; try again in a few seconds."),
    "db.clash": T("Perubahan ini bertabrakan dengan perubahan lain yang baru saja disimpan (misalnya data yang sama "
                  "dikirim dua kali). Tidak ada yang disimpan; muat ulang halaman, periksa keadaan terbaru, lalu "
                  "coba lagi bila masih perlu.",
                  "This change clashed with another one saved a moment ago (the same data sent twice, for "
                  "instance). Nothing was saved; reload the page, check what it shows now, and try again if it "
                  "is still needed."),
    "number.not_a_number": T("%(field)s harus berupa angka, bukan «%(value)s».",
                             "%(field)s must be a number, not «%(value)s»."),
    "number.missing": T("%(field)s harus diisi dengan angka.", "%(field)s must be given as a number."),
    "number.not_finite": T("%(field)s bukan angka yang wajar («%(value)s»); tulis angka biasa, misalnya 1.234,5.",
                           "%(field)s is not a sensible number («%(value)s»); write an ordinary number, "
                           "e.g. 1,234.5."),
    "number.too_large": T("%(field)s terlalu besar (paling besar %(maximum)s).",
                          "%(field)s is too large (at most %(maximum)s)."),
    "number.negative": T("%(field)s tidak boleh negatif.", "%(field)s may not be negative."),
    "number.not_above": T("%(field)s harus lebih dari %(minimum)s.", "%(field)s must be above %(minimum)s."),
    "number.below": T("%(field)s paling kecil %(minimum)s.", "%(field)s must be at least %(minimum)s."),
    "setting.timezone": T("SIKLUS_TIMEZONE «%(name)s» bukan zona waktu; gunakan misalnya Asia/Jakarta, "
                          "Asia/Makassar atau Asia/Jayapura.",
                          "SIKLUS_TIMEZONE «%(name)s» is not a time zone; use e.g. Asia/Jakarta, Asia/Makassar "
                          "or Asia/Jayapura."),
    "setting.dates": T("%(setting)s: «%(value)s» bukan tanggal; tulis tanggal sebagai YYYY-MM-DD dipisahkan koma.",
                       "%(setting)s: «%(value)s» is not a date; write dates as YYYY-MM-DD separated by commas."),
    "query.too_long": T("Isian «%(name)s» lebih dari %(limit)s karakter; persingkat lalu cari lagi.",
                        "The value of «%(name)s» is longer than %(limit)s characters; shorten it and search again."),
    "query.control": T("Isian «%(name)s» memuat karakter kendali atau baris baru; hapus lalu cari lagi.",
                       "The value of «%(name)s» contains a control character or a line break; remove it and search "
                       "again."),
    "input.reordering": T("Isian «%(name)s» memuat karakter tersembunyi %(code)s yang membalik atau menyusun ulang "
                          "urutan tampilan teks, sehingga teks tampak berbeda dari yang tersimpan. Hapus karakter itu "
                          "(biasanya terbawa saat menyalin), lalu kirim lagi.",
                          "The value of «%(name)s» contains the hidden character %(code)s, which reverses or "
                          "reorders how a text is shown, so it would read other than it is stored. Remove it (it "
                          "usually comes along when copying), then send again."),
    "input.nul": T("Isian «%(name)s» memuat karakter kendali NUL (kode 0), yang tidak dapat disimpan. Hapus "
                   "karakter itu (biasanya terbawa saat menyalin dari berkas lain), lalu kirim lagi.",
                   "The value of «%(name)s» contains the control character NUL (code 0), which cannot be stored. "
                   "Remove it (it usually comes along when copying from another file), then send again."),
    "input.surrogate": T("Isian «%(name)s» memuat karakter yang tidak sah %(code)s (separuh pasangan UTF-16), yang "
                         "tidak dapat disimpan. Periksa cara program Anda menyandikan teks, lalu kirim lagi.",
                         "The value of «%(name)s» contains the invalid character %(code)s (half of a UTF-16 pair), "
                         "which cannot be stored. Check how your program encodes the text, then send again."),
    "file.too_large": T("Berkas «%(name)s» terlalu besar: %(size)s; batasnya %(limit)s.",
                        "The file «%(name)s» is too large: %(size)s; the limit is %(limit)s."),
    "not_allowed": T("Tindakan ini tidak diizinkan.", "This action is not allowed."),
    "file.over_limit": T("%(what)s terlalu besar: paling besar %(limit)s.",
                         "%(what)s is too large: at most %(limit)s."),
    "file.empty": T("%(what)s kosong (0 bita); pilih berkas yang benar.",
                    "%(what)s is empty (0 bytes); choose the right file."),
    "file.named": T("%(what)s %(name)s", "%(what)s %(name)s"),
    "setting.database_url": T("DATABASE_URL bukan alamat basis data; tulis seperti "
                              "postgresql://pengguna:sandi@host/nama atau sqlite:////jalur/ke/siklus.db",
                              "DATABASE_URL is not a database URL; write it like postgresql://user:password@host/name "
                              "or sqlite:////path/to/siklus.db"),
    "setting.database_kind": T("DATABASE_URL menunjuk basis data jenis «%(kind)s»; Siklus berjalan di "
                               "postgresql://… atau sqlite:///…",
                               "DATABASE_URL names a database of kind «%(kind)s»; Siklus runs on postgresql://… or "
                               "sqlite:///…"),
    "setting.key_short": T("%(setting)s: setiap kunci paling sedikit %(limit)s karakter.",
                           "%(setting)s: each key must be at least %(limit)s characters."),
    "setting.key_not_text": T("%(setting)s: kunci itu bukan teks UTF-8; pulihkan berkasnya dari cadangan.",
                              "%(setting)s: the key is not UTF-8 text; restore the file from a backup."),
    "setting.audit_key_lost": T("%(file)s tidak ada, padahal basis data memuat peristiwa audit yang ditandatangani "
                                "dengan kuncinya; Siklus tidak membuat kunci baru (semua peristiwa lama akan terbaca "
                                "sebagai diubah): pulihkan berkas itu dari cadangan, atau setel %(setting)s ke kunci "
                                "itu.",
                                "%(file)s is missing, but the database holds audit events signed with its key; Siklus "
                                "does not make a new key (every earlier event would read as edited): restore the file "
                                "from a backup, or set %(setting)s to that key."),
    "setting.respondent_key_lost": T("%(file)s tidak ada, padahal basis data memuat jawaban umpan balik yang kunci "
                                     "respondennya dibuat dengan rahasia itu; Siklus tidak membuat rahasia baru "
                                     "(responden dapat menjawab jendela anonim dua kali): pulihkan berkas itu dari "
                                     "cadangan, atau setel %(setting)s ke rahasia itu.",
                                     "%(file)s is missing, but the database holds feedback answers whose respondent "
                                     "keys were made with its secret; Siklus does not make a new secret (a "
                                     "respondent could answer an anonymous window twice): restore the file from a "
                                     "backup, or set %(setting)s to that secret."),
    "setting.port": T("%(setting)s «%(value)s» bukan nomor port.", "%(setting)s «%(value)s» is not a port number."),
    "setting.flag": T("%(setting)s «%(value)s» harus 1 atau 0.", "%(setting)s «%(value)s» should be 1 or 0."),
    "calendar.no_working_days": T("Tidak ada %(count)s hari kerja dalam %(within)s hari sejak %(day)s.",
                                  "No %(count)s working days within %(within)s days of %(day)s."),
}
