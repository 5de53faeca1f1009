"""Refusals of the policy: who may fire a transition or edit a part of an appraisal."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "access.fire_role": T("Anda tidak berwenang: hanya %(roles)s yang dapat melakukan «%(trigger)s» pada "
                          "penilaian ini.",
                          "You are not allowed: only %(roles)s may fire '%(trigger)s' on this appraisal."),
    "access.role_not_of_transition": T("Peran «%(role)s» bukan peran untuk «%(trigger)s»; yang dapat melakukannya: "
                                       "%(roles)s.",
                                       "Role '%(role)s' is not a role of '%(trigger)s'; its roles are: %(roles)s."),
    "access.role_not_held": T("Anda tidak memegang peran %(role)s pada penilaian ini, sehingga tidak dapat melakukan "
                              "«%(trigger)s» sebagai peran itu.",
                              "You do not hold the role %(role)s on this appraisal, so you cannot fire '%(trigger)s' "
                              "as it."),
    "access.fire_self": T("Anda tidak dapat melakukan «%(trigger)s» pada penilaian Anda sendiri (persetujuan "
                          "sendiri tidak diizinkan).",
                          "You cannot fire '%(trigger)s' on your own appraisal (self-approval is not allowed)."),
    "access.own_rating": T("Anda telah memberi penilaian pada penilaian kinerja ini sebagai pejabat penilai, sehingga "
                           "tidak dapat melakukan «%(trigger)s» sebagai %(role)s: penilaian tidak diperiksa atau "
                           "diputus oleh penilainya sendiri. Anda dapat mengembalikannya kepada pejabat penilai yang "
                           "sekarang, atau SDM memperbaiki struktur organisasi.",
                           "You rated this appraisal as its rater, so you cannot fire '%(trigger)s' as %(role)s: a "
                           "rating is not reviewed or decided by the person who gave it. You may return it to the "
                           "rater who holds the role now, or HR corrects the organisation chart."),
    "access.nobody": T("tidak seorang pun", "nobody"),
    "access.or": T("%(first)s atau %(second)s", "%(first)s or %(second)s"),
    "access.audit_hr_only": T("Hanya petugas SDM yang dapat membaca log audit.", "Only HR may read the audit log."),
    "access.hr_only": T("Hanya petugas SDM yang dapat melakukan ini.", "Only HR may do this."),
    "access.not_hr_of_unit": T("Anda bukan petugas SDM unit ini.", "You are not HR of this unit."),
    "access.hr_whole_only": T("Perubahan ini menyangkut %(what)s, yang dipakai seluruh organisasi: hanya petugas SDM "
                              "yang membawahi seluruh organisasi yang dapat mengubahnya. Mintalah kepada SDM induk "
                              "(BKPSDM).",
                              "This change concerns %(what)s, which the whole organisation shares: only HR over the "
                              "whole organisation may change it. Ask the central HR office (BKPSDM)."),
    "access.the_catalogue": T("katalog pelatihan", "the training catalogue"),
    "access.the_cycle": T("siklus «%(cycle)s»", "cycle '%(cycle)s'"),
    "access.cycle_owner": T("Siklus «%(cycle)s» milik %(unit)s: hanya petugas SDM unit itu yang dapat menyimpan versi "
                            "baru, menerbitkan atau memensiunkannya. Anda tetap dapat meluncurkannya untuk unit Anda; "
                            "untuk mengubahnya, simpan dengan id lain atau mintalah kepada SDM %(unit)s.",
                            "Cycle '%(cycle)s' belongs to %(unit)s: only its HR may save a new version, publish or "
                            "retire it. You can still launch it for your units; to change it, save it under another "
                            "id or ask the HR of %(unit)s."),
    "access.owner_not_yours": T("Pemilik siklus baru dipilih dari unit yang Anda awasi sebagai SDM: %(owners)s. "
                                "Tidak ada yang disimpan; pilih salah satunya lalu simpan lagi.",
                                "A new cycle's owner is chosen among the units you oversee as HR: %(owners)s. "
                                "Nothing was saved; choose one of them and save again."),
    "access.whole_organisation": T("seluruh organisasi", "the whole organisation"),
    "token.name_required": T("Beri nama token, misalnya skrip atau sistem yang akan memakainya.",
                             "Give the token a name, e.g. the script or system that will use it."),
    "token.name_long": T("Nama token terlalu panjang (paling banyak 120 karakter).",
                         "The token name is too long (at most 120 characters)."),
    "token.days": T("Token berlaku 1 sampai %(maximum)s hari.", "A token is valid for 1 to %(maximum)s days."),
    "token.not_yours": T("Anda tidak dapat mengelola token milik %(username)s.",
                         "You may not manage the tokens of %(username)s."),
    "token.beyond_scope": T("Anda tidak dapat mengelola token milik %(username)s: token bertindak dengan semua hak "
                            "akun itu, dan akun itu juga memegang hak (admin, atau SDM unit lain) di luar unit yang "
                            "Anda kelola sebagai SDM. Mintalah admin atau SDM yang membawahkan semua unit itu.",
                            "You may not manage the tokens of %(username)s: a token acts with every right of its "
                            "account, and that account also holds rights (admin, or HR of another unit) beyond the "
                            "units you oversee as HR. Ask an administrator or HR over all of those units."),
    "token.no_account": T("Anda tidak mempunyai akun untuk dibuatkan token.",
                          "You have no account to create a token for."),
    "token.not_found": T("Token API #%(id)s tidak ada.", "There is no API token #%(id)s."),
}
