"""Problems of a cycle file, as the validator reports them at their line and column.

The keys of a cycle file are English words (``states``, ``transitions``); a problem quotes them as
they are written. Problems not coded yet keep their English sentence (``Problem.message``).
"""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS: dict[str, T] = {
    "cycle.too_large": T("Berkas lebih besar dari %(limit)s; berkas siklus jauh lebih kecil (siklus nasional "
                         "sekitar 10 KiB).",
                         "The file is larger than %(limit)s; a cycle file is far smaller (the national cycle is "
                         "about 10 KiB)."),
    "cycle.unreadable": T("Berkas tidak dapat dibaca.", "The file cannot be read."),
    "cycle.not_utf8": T("Berkas bukan teks UTF-8 (bita tidak sah pada baris %(line)s); simpan dengan pengodean "
                        "UTF-8.",
                        "The file is not UTF-8 text (an invalid byte on line %(line)s); save it with UTF-8 "
                        "encoding."),
    "cycle.not_text": T("Berkas bukan teks UTF-8; simpan dengan pengodean UTF-8.",
                        "The file is not UTF-8 text; save it with UTF-8 encoding."),
    "cycle.bad_character": T("Karakter %(code)s tidak diizinkan dalam berkas YAML; hapus karakter itu.",
                             "The character %(code)s is not allowed in a YAML file; remove it."),
    "cycle.yaml": T("Berkas tidak dapat dibaca sebagai YAML di sini; periksa indentasi, titik dua dan tanda kutip.",
                    "The file cannot be read as YAML here; check the indentation, colons and quotes."),
    "cycle.too_deep": T("Berkas bersarang terlalu dalam untuk dibaca; berkas siklus paling banyak belasan tingkat.",
                        "The file is nested too deeply to read; a cycle file is a dozen levels deep at most."),
    "cycle.empty": T("Berkas kosong; berkas siklus berisi id, version, title, period, roles, states dan "
                     "transitions.",
                     "The file is empty; a cycle file is a mapping with id, version, title, period, roles, "
                     "states and transitions."),
    "cycle.internal": T("Pemeriksaan berkas ini gagal karena kesalahan dalam Siklus sendiri; laporkan kepada "
                        "pengelola.",
                        "Checking this file failed because of an error in Siklus itself; tell the maintainers."),
    "cycle.unknown_key": T("Kunci «%(key)s» tidak dikenal di sini; kunci yang dapat dipakai: %(allowed)s.",
                           "Unknown key '%(key)s' here; the allowed keys are %(allowed)s."),
    "cycle.unknown_key_hint": T("Kunci «%(key)s» tidak dikenal di sini (maksudnya «%(hint)s»?).",
                                "Unknown key '%(key)s' here (did you mean '%(hint)s'?)."),
    "cycle.missing_key": T("Kunci «%(key)s» wajib ada di sini.", "The key '%(key)s' is required here."),
    "cycle.unknown_name": T("%(kind)s «%(name)s» tidak dikenal.", "Unknown %(kind)s '%(name)s'."),
    "cycle.unknown_name_hint": T("%(kind)s «%(name)s» tidak dikenal (maksudnya «%(hint)s»?).",
                                 "Unknown %(kind)s '%(name)s' (did you mean '%(hint)s'?)."),
    "cycle.unknown_name_known": T("%(kind)s «%(name)s» tidak dikenal; yang dinyatakan: %(known)s.",
                                  "Unknown %(kind)s '%(name)s'; the cycle declares %(known)s."),
    "cycle.noun.state": T("Nama tahap", "state name"),
    "cycle.noun.role": T("Nama peran", "role name"),
    "cycle.noun.result": T("Nama hasil", "result name"),
    "cycle.noun.trigger": T("Nama pemicu", "trigger name"),
    "cycle.noun.feedback_window": T("Nama jendela umpan balik", "feedback window name"),
    "cycle.weights_total": T("Bobot indikator berjumlah %(total)s; jumlahnya harus 100.",
                             "The indicator weights total %(total)s; they must total 100."),
    "cycle.duplicate": T("«%(value)s» dinyatakan dua kali; yang pertama di baris %(line)s.",
                         "'%(value)s' is declared twice; the first is on line %(line)s."),
}
