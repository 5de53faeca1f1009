"""Messages of the raters HR designates for employees with no superior in the system (engine.raters)."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "rater.not_hr": T("Anda bukan petugas SDM unit %(name)s (%(nip)s); hanya SDM unit pegawai yang dapat menunjuk "
                      "pejabat penilainya.",
                      "You are not HR of the unit of %(name)s (%(nip)s); only HR of the employee's unit may "
                      "designate their rater."),
    "rater.has_supervisor": T("%(name)s mempunyai atasan langsung (%(supervisor)s) yang menjadi pejabat penilainya; "
                              "penunjukan hanya untuk pegawai tanpa atasan di Siklus.",
                              "%(name)s has a direct superior (%(supervisor)s) who is their rater; a designation is "
                              "only for employees with no superior in Siklus."),
    "rater.no_user": T("Tidak ada akun aktif bernama %(username)s.", "There is no active account named %(username)s."),
    "rater.user_required": T("Isi nama akun pejabat penilai.", "Enter the account name of the rater."),
    "rater.self": T("%(username)s adalah akun %(name)s sendiri; pegawai tidak menilai dirinya sendiri.",
                    "%(username)s is the account of %(name)s; an employee does not rate themself."),
    "rater.own_employee": T("%(name)s adalah data pegawai Anda sendiri; pejabat penilai Anda ditunjuk atau dihapus "
                            "oleh petugas SDM lain.",
                            "%(name)s is your own employee record; your rater is designated or removed by another HR "
                            "officer."),
    "rater.own_account": T("Anda tidak dapat menunjuk akun Anda sendiri; penunjukan dilakukan oleh petugas SDM lain.",
                           "You cannot designate your own account; another HR officer makes this designation."),
    "rater.subordinate": T("%(username)s adalah akun bawahan %(name)s; pejabat penilai adalah atasan, bukan bawahan.",
                           "%(username)s belongs to a subordinate of %(name)s; a rater is a superior, not a "
                           "subordinate."),
    "rater.reviewer_same": T("Atasan pejabat penilai harus orang lain daripada pejabat penilai.",
                             "The reviewer must be someone other than the rater."),
    "rater.basis_long": T("Dasar penunjukan paling banyak %(limit)s karakter.",
                          "The basis of the designation may have at most %(limit)s characters."),
    "rater.none": T("%(name)s tidak mempunyai pejabat penilai yang ditunjuk.", "%(name)s has no designated rater."),
    "rater.race": T("Penunjukan pejabat penilai %(name)s diubah orang lain pada saat yang sama; muat ulang halaman.",
                    "Someone else changed the designated rater of %(name)s at the same moment; reload the page."),
}
