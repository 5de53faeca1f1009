"""Refusals about cycle definitions and their runs: publishing, retiring, launching, migrating, periods."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "definition.problems": T("Berkas siklus memuat %(count)s masalah.", "The cycle file has %(count)s problem(s)."),
    "definition.published": T("%(cycle)s versi %(version)s sudah diterbitkan dan tidak dapat diubah; simpan sebagai "
                              "versi baru.",
                              "%(cycle)s version %(version)s is published and cannot change; save a new version."),
    "definition.not_found": T("Tidak ada definisi siklus %(what)s.", "There is no cycle definition %(what)s."),
    "definition.not_found_known": T("Tidak ada definisi siklus %(what)s; siklus yang dikenal: %(known)s.",
                                    "There is no cycle definition %(what)s; the known cycles are %(known)s."),
    "definition.changed": T("%(cycle)s versi %(version)s sudah berstatus %(status)s dengan isi yang lain; naikkan "
                            "'version' menjadi %(next)s untuk menerbitkan perubahan.",
                            "%(cycle)s version %(version)s is already %(status)s with different content; raise "
                            "'version' to %(next)s to publish a change."),
    "definition.retired": T("%(cycle)s versi %(version)s sudah dipensiunkan dan tidak dapat diterbitkan lagi.",
                            "%(cycle)s version %(version)s is retired and cannot be published again."),
    "definition.retire_unpublished": T("Hanya definisi yang diterbitkan yang dapat dipensiunkan; %(cycle)s versi "
                                       "%(version)s berstatus %(status)s.",
                                       "Only a published definition can be retired; %(cycle)s version %(version)s "
                                       "is %(status)s."),
    "definition.altered": T("Teks %(cycle)s versi %(version)s (definisi #%(id)s) bukan yang diterbitkan: teks itu "
                            "diubah di luar Siklus, jadi tidak dijalankan dan tidak ada yang disimpan. Admin perlu "
                            "memulihkannya dari cadangan; «siklus audit verify» menunjukkan apa yang berbeda.",
                            "The text of %(cycle)s version %(version)s (definition #%(id)s) is not the one "
                            "published: it was changed outside Siklus, so it is not run and nothing was saved. An "
                            "admin must restore it from a backup; «siklus audit verify» shows what differs."),
    "definition.record_not_found": T("Definisi siklus #%(id)s tidak ada.", "There is no cycle definition #%(id)s."),
    "definition.no_cycle": T("Tidak ada siklus «%(cycle)s».", "There is no cycle «%(cycle)s»."),
    "definition.no_version": T("Siklus «%(cycle)s» tidak punya versi %(version)s.",
                               "Cycle «%(cycle)s» has no version %(version)s."),
    "definition.demo_cycle": T("Tidak ada siklus «%(cycle)s» di workflows/; yang tersedia: %(known)s.",
                               "There is no cycle «%(cycle)s» under workflows/; available: %(known)s."),
    "migration.other_cycle": T("Tidak dapat memindahkan antarsiklus yang berbeda (%(source)s ke %(target)s).",
                               "Cannot migrate between different cycles (%(source)s to %(target)s)."),
    "migration.unpublished": T("Versi tujuan %(version)s berstatus %(status)s; terbitkan dahulu.",
                               "The target version %(version)s is %(status)s; publish it first."),
    "migration.other_run": T("Putaran #%(run)s adalah putaran siklus %(cycle)s, bukan %(source)s.",
                             "Run #%(run)s is a run of %(cycle)s, not of %(source)s."),
    "migration.same": T("Versi asal dan tujuan sama.", "Source and target are the same version."),
    "migration.bad_from": T("Pemetaan menyebut tahap yang tidak ada pada versi %(version)s: %(states)s.",
                            "The mapping names state(s) not in version %(version)s: %(states)s."),
    "migration.bad_to": T("Pemetaan menuju tahap yang tidak ada pada versi %(version)s: %(states)s.",
                          "The mapping targets state(s) not in version %(version)s: %(states)s."),
    "migration.unmapped": T("Tahap %(states)s dari versi %(source)s tidak ada pada versi %(target)s dan belum "
                            "dipetakan (%(count)s penilaian); tambahkan ke pemetaan, misalnya %(example)s.",
                            "State(s) %(states)s of version %(source)s do not exist in version %(target)s and are not "
                            "mapped (%(count)s appraisals); add them to the mapping, e.g. %(example)s."),
    "migration.stranded": T("Pemindahan ditolak: %(count)s penilaian akan tertahan pada versi baru.",
                            "The migration is refused: %(count)s appraisal(s) would be stranded in the new version."),
    "migration.closed_by_hr": T("ditutup oleh SDM (%(kind)s): pegawai keluar atau pindah",
                                "closed by HR (%(kind)s): the employee left or moved"),
    "migration.closed_outside": T("tahap «%(state)s» bukan tahap versi %(version)s (ditutup di luar siklus)",
                                  "state '%(state)s' is not a state of version %(version)s (closed outside the cycle)"),
    "migration.closed_final": T("tahap «%(state)s» adalah tahap akhir: penilaian sudah ditutup",
                                "state '%(state)s' is final: the appraisal is closed"),
    "migration.needs_condition": T("syaratnya memerlukan %(needs)s", "its condition needs %(needs)s"),
    "migration.needs_result": T("«%(result)s» memerlukan %(needs)s", "'%(result)s' needs %(needs)s"),
    "migration.exit_blocked": T("«%(trigger)s»: %(problems)s", "'%(trigger)s': %(problems)s"),
    "migration.unrecordable": T("belum ada realisasi untuk %(indicators)s, dan tidak seorang pun boleh mencatatnya "
                                "pada tahap «%(state)s»",
                                "no realisation for %(indicators)s, and nobody may record one in '%(state)s'"),
    "migration.and": T("%(first)s; %(rest)s", "%(first)s; %(rest)s"),
    "migration.strand_head": T("pemindahan dari versi %(source)s ke %(target)s akan membuat %(count)s penilaian "
                               "tertahan; tidak ada yang dipindah:",
                               "the move from version %(source)s to %(target)s would strand %(count)s "
                               "appraisal(s); nothing was moved:"),
    "migration.strand_line": T("penilaian #%(appraisal)s (%(employee)s, NIP %(nip)s) pada tahap «%(state)s» versi "
                               "%(version)s tidak dapat berlanjut: %(reasons)s",
                               "appraisal #%(appraisal)s (%(employee)s, NIP %(nip)s) in '%(state)s' of version "
                               "%(version)s could not go on: %(reasons)s"),
    "migration.strand_advice": T("petakan tahapnya ke tahap tempat data yang kurang masih dapat diberikan "
                                 "(--map LAMA=BARU), lengkapi dahulu pada versi sekarang, atau pindahkan yang lain dan "
                                 "biarkan yang ini pada versi %(source)s (--leave-stranded)",
                                 "map their state to one from which the missing data can still be supplied "
                                 "(--map OLD=NEW), supply it on the current version first, or move the others and "
                                 "leave these on version %(source)s (--leave-stranded)"),
}
