"""What ``siklus simulate`` finds in a cycle file before it is published, for the cycle's author.

States, triggers, roles and series are named by their keys: the author writes them so in the YAML.
"""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "simulate.nobody_holds": T("tidak seorang pun dapat memegang peran «%(role)s» (%(resolver)s)",
                               "nobody can hold role '%(role)s' (%(resolver)s)"),
    "simulate.stranded": T("tahap «%(state)s» membuat penilaian tertahan bila %(profile)s (ditelusuri sebagai "
                           "%(walked)s): penilaian tidak dapat lagi mencapai akhir siklus (%(reasons)s); %(fix)s",
                           "state '%(state)s' strands an appraisal when %(profile)s (walked as %(walked)s): it can "
                           "no longer reach the end of the cycle (%(reasons)s); %(fix)s"),
    "simulate.stranded_fix": T("biarkan seseorang mengisinya di «%(state)s» atau tambahkan transisi kembali ke tahap "
                               "tempat seseorang boleh mengisinya (%(states)s)",
                               "let someone supply it in '%(state)s' or add a transition back to a state where "
                               "someone may (%(states)s)"),
    "simulate.unreached": T("tahap «%(state)s» tidak pernah tercapai", "state '%(state)s' is never reached"),
    "simulate.never_ends": T("dari tahap «%(state)s» tidak ada tahap akhir yang dapat dicapai: penilaian di sana "
                             "tidak pernah selesai",
                             "from state '%(state)s' no final state can be reached: an appraisal there never ends"),
    "simulate.never_fired": T("transisi «%(trigger)s» tidak pernah dijalankan: tahap asalnya %(sources)s tidak "
                              "pernah tercapai",
                              "transition '%(trigger)s' is never fired: its source state(s) %(sources)s are never "
                              "reached"),
    "simulate.unfireable": T("transisi «%(trigger)s» tidak dapat dijalankan oleh peran mana pun (%(roles)s): "
                             "%(reasons)s",
                             "transition '%(trigger)s' cannot be fired by any role (%(roles)s): %(reasons)s"),
    "simulate.no_attempt": T("tidak ada percobaan yang berhasil", "no attempt succeeded"),
    "simulate.deadline_before": T("tenggat tahap «%(state)s» (%(due)s) jatuh sebelum tahap itu dimasuki pada alur "
                                  "umum (%(entered)s)",
                                  "the deadline of state '%(state)s' (%(due)s) falls before the state is entered on "
                                  "the typical path (%(entered)s)"),
    "simulate.deadline_outside": T("tenggat tahap «%(state)s» (%(due)s) berada di luar periode %(period)s dan tahun "
                                   "berikutnya",
                                   "the deadline of state '%(state)s' (%(due)s) is outside the period %(period)s and "
                                   "its following year"),
    "simulate.deadline_no_time": T("tenggat tahap «%(state)s» tidak memberi waktu sama sekali",
                                   "the deadline of state '%(state)s' allows no time at all"),
    "simulate.deadline_stays": T("tenggat tahap «%(state)s» menjalankan «%(fire)s», yang tidak meninggalkan "
                                 "«%(state)s»",
                                 "the deadline of state '%(state)s' fires '%(fire)s', which does not leave "
                                 "'%(state)s'"),
    "simulate.deadline_after_window": T("tenggat tahap «%(state)s» menjalankan «%(fire)s» setelah %(within)s, "
                                        "padahal transisi itu hanya boleh dijalankan dalam %(window)s setelah "
                                        "memasuki «%(state)s»",
                                        "the deadline of state '%(state)s' fires '%(fire)s' after %(within)s, but that "
                                        "transition may only be fired within %(window)s of entering '%(state)s'"),
    "simulate.series_unreached": T("seri periodik «%(series)s» hanya menerima isian di %(states)s, %(where)s: seri "
                                   "itu tidak pernah dapat diisi",
                                   "checkpoint series '%(series)s' takes entries only in %(states)s, which "
                                   "%(where)s: it can never be filled in"),
    "simulate.series_not_reached": T("tidak satu penilaian pun mencapainya", "no appraisal reaches"),
    "simulate.series_passed": T("tidak satu penilaian pun singgah di sana dalam perjalanannya",
                                "no appraisal stays in on its way"),
    "simulate.series_entry": T("seri periodik «%(series)s»: tidak ada %(kind)s yang dapat dicatat di periode mana "
                               "pun (%(reasons)s)",
                               "checkpoint series '%(series)s': no %(kind)s could be recorded in any checkpoint "
                               "(%(reasons)s)"),
    "simulate.no_checkpoint_open": T("tidak ada periode yang terbuka", "no checkpoint was open"),
    "simulate.nobody_here": T("tidak seorang pun memegang %(roles)s di sini", "nobody holds %(roles)s here"),
    "simulate.a_role_that_may": T("peran yang boleh", "a role that may"),
    "simulate.as_role": T("%(state)s sebagai %(role)s: %(reason)s", "%(state)s as %(role)s: %(reason)s"),
}
