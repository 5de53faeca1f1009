"""Refusals of the JSON API and of sign-in: requests it cannot read, missing or unknown tokens."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "api.body_required": T("Permintaan ini memerlukan badan JSON (Content-Type: application/json).",
                           "The request needs a JSON body (Content-Type: application/json)."),
    "api.body_not_json": T("Badan permintaan bukan JSON yang sah.", "The request body is not valid JSON."),
    "api.body_not_a_number": T("Badan permintaan memuat %(value)s di %(where)s; JSON (RFC 8259) tidak punya NaN atau "
                               "Infinity dan angka sebesar itu: kirim angka biasa, atau null bila tidak ada nilainya.",
                               "The request body holds %(value)s at %(where)s; JSON (RFC 8259) has no NaN or Infinity "
                               "and no number that large: send an ordinary number, or null when there is no value."),
    "api.body_nested": T("Badan permintaan bersarang terlalu dalam (lebih dari %(depth)s tingkat objek dan daftar); "
                         "kirim JSON yang lebih datar.",
                         "The request body nests too deep (more than %(depth)s levels of objects and arrays); send "
                         "flatter JSON."),
    "api.body_invalid": T("Badan permintaan belum benar; periksa %(fields)s.",
                          "The request body is not valid; check %(fields)s."),
    "api.bearer": T("Kirim token API sebagai 'Authorization: Bearer <token>'.",
                    "Send the API token as 'Authorization: Bearer <token>'."),
    "api.token_unknown": T("Token API ini tidak dikenal, sudah dicabut atau kedaluwarsa; buat yang baru di halaman "
                           "/token.",
                           "This API token is unknown, revoked or expired; create a new one on the /token page."),
    "api.sign_in": T("Masuk dahulu, atau kirim token API sebagai 'Authorization: Bearer <token>' (buat di halaman "
                     "/token).",
                     "Sign in, or send an API token as 'Authorization: Bearer <token>' (create one on the /token "
                     "page)."),
    "api.too_many": T("Terlalu banyak permintaan dari pemanggil ini (%(limit)s); tunggu sebentar lalu coba lagi.",
                      "Too many requests from this caller (%(limit)s); wait a moment, then try again."),
    "api.cursor": T("Kursor ini bukan dari API ini; mulai lagi tanpa 'cursor' lalu ikuti 'next_cursor' tiap halaman.",
                    "The cursor is not one this API gave out; start again without 'cursor' and follow 'next_cursor' "
                    "from each page."),
    "api.unknown_query": T("Operasi ini tidak mengenal parameter %(names)s; parameter yang dikenalnya: %(known)s. "
                           "Periksa ejaannya di /api/v1/openapi.json.",
                           "This operation takes no query parameter %(names)s; the ones it takes: %(known)s. Check "
                           "the spelling in /api/v1/openapi.json."),
    "api.no_query": T("Operasi ini tidak menerima parameter query; hapus %(names)s.",
                      "This operation takes no query parameters; remove %(names)s."),
    "api.int_arg": T("Parameter '%(name)s' harus bilangan bulat antara %(low)s dan %(high)s.",
                     "Query parameter '%(name)s' must be a whole number between %(low)s and %(high)s."),
    "api.bool_arg": T("Parameter '%(name)s' harus true atau false, bukan «%(value)s».",
                      "Query parameter '%(name)s' must be true or false, not «%(value)s»."),
    "api.date_range": T("Parameter '%(name)s' di luar tahun 1 sampai 9999 menurut UTC: «%(value)s».",
                        "Query parameter '%(name)s' is outside the years 1 to 9999 in UTC: «%(value)s»."),
    "api.date_arg": T("Parameter '%(name)s' harus tanggal atau waktu seperti 2026-01-31 atau "
                      "2026-01-31T08:00:00+07:00, bukan «%(value)s».",
                      "Query parameter '%(name)s' must be a date or date-time like 2026-01-31 or "
                      "2026-01-31T08:00:00+07:00, not «%(value)s»."),
    "api.format": T("Format harus salah satu dari %(formats)s, bukan «%(value)s».",
                    "The format must be one of %(formats)s, not «%(value)s»."),
    "api.period_required": T("Parameter 'period' wajib diisi, misalnya 2026 atau 2026-S1.",
                             "Query parameter 'period' is required, e.g. 2026 or 2026-S1."),
    "api.file_required": T("Kirim berkas CSV atau XLSX sebagai multipart/form-data pada kolom 'file'.",
                           "Send the CSV or XLSX file as multipart/form-data in the field 'file'."),
    "auth.sign_in": T("Masuk dahulu.", "Sign in first."),
    "cli.no_user": T("Tidak ada pengguna «%(username)s».", "There is no user «%(username)s»."),
    "report.unit_outside": T("Unit ini berada di luar unit yang Anda awasi sebagai SDM.",
                             "This unit is outside the units you oversee as HR."),
    "form.penetapan": T("Lampirkan penetapan (keputusan yang ditandatangani, berkas PDF).",
                        "Attach the penetapan (the signed decision, a PDF)."),
    "form.transfer_run": T("Pilih putaran unit tujuan.", "Choose the run of the new unit."),
    "form.realisation_number": T("Nilai realisasi harus berupa angka.", "The realisation must be a number."),
    "form.jp_number": T("JP harus berupa angka.", "JP must be a number."),
    "form.number_empty": T("Angkanya belum diisi; tulis angkanya, misalnya 1.234,5.",
                           "The number is empty; type it, for example 1,234.5."),
    "form.number_huge": T("«%(value)s» terlalu besar untuk disimpan; tulis angka biasa, misalnya 1.234,5.",
                          "«%(value)s» is too large to keep; type an ordinary number, for example 1,234.5."),
}
