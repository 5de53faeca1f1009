"""What ``siklus audit verify`` and the HR audit screen report: each broken link, each live row that differs
from its chain (:mod:`engine.audit_findings`). The English is the sentence logs and scripts read."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    # -- where -------------------------------------------------------------------------------------------------
    "audit.stream_appraisal": T("penilaian #%(id)s", "appraisal #%(id)s"),
    "audit.stream_other": T("rantai %(stream)s", "the %(stream)s chain"),
    "audit.system_chain": T("rantai sistem", "the system chain"),
    "audit.event_where": T("%(label)s: peristiwa #%(event)s (%(stream)s, urutan %(seq)s)",
                           "%(label)s: event #%(event)s (%(stream)s, seq %(seq)s)"),
    "audit.event_where_short": T("%(label)s: peristiwa #%(event)s (urutan %(seq)s)",
                                 "%(label)s: event #%(event)s (seq %(seq)s)"),
    "audit.of": T("%(label)s: %(problem)s", "%(label)s: %(problem)s"),
    # -- links, hashes, checkpoints ----------------------------------------------------------------------------
    "audit.seq_missing": T("%(where)s: seharusnya urutan %(expected)s; ada peristiwa yang hilang",
                           "%(where)s: expected seq %(expected)s; an event is missing"),
    "audit.anchor_missing": T("%(label)s: tidak ada peristiwa dengan urutan %(seq)s; ada peristiwa yang hilang",
                              "%(label)s: there is no event at seq %(seq)s; an event is missing"),
    "audit.seq_twice": T("%(where)s: seharusnya urutan %(expected)s; ada peristiwa yang tercatat dua kali",
                         "%(where)s: expected seq %(expected)s; an event is there twice"),
    "audit.unlinked": T("%(where)s: tidak tersambung dengan peristiwa sebelumnya",
                        "%(where)s: does not link to the event before it"),
    "audit.unkeyed": T("%(where)s: ditandatangani dengan hash tanpa kunci dari versi lama, yang dapat dihitung ulang "
                       "siapa saja; jalankan `siklus audit rekey` sekali untuk menandatangani log dengan kunci server",
                       "%(where)s: is signed with the unkeyed hash of earlier versions, which anyone can recompute; "
                       "run `siklus audit rekey` once to sign the log with the server key"),
    "audit.unknown_key": T("%(where)s: ditandatangani dengan kunci '%(key)s', yang tidak dikonfigurasi "
                           "(SIKLUS_AUDIT_KEY)",
                           "%(where)s: is signed with key '%(key)s', which is not configured (SIKLUS_AUDIT_KEY)"),
    "audit.edited": T("%(where)s: isinya tidak lagi cocok dengan hash-nya (diubah setelah dicatat)",
                      "%(where)s: its content no longer matches its hash (edited after the fact)"),
    "audit.key_mismatch": T("%(where)s: tidak cocok dengan hash-nya menurut kunci audit '%(key)s' yang dipasang. "
                            "Peristiwa pertama rantai sistem hampir tidak pernah diubah: kemungkinan besar kunci itu "
                            "bukan kunci yang menandatangani log (audit.key hilang lalu dibuat baru, atau "
                            "SIKLUS_AUDIT_KEY diganti); pasang kembali kunci yang asli lalu periksa lagi sebelum "
                            "membaca temuan lain sebagai perubahan",
                            "%(where)s: does not match its hash under the configured audit key '%(key)s'. The first "
                            "event of the system chain is hardly ever edited: most likely the key is not the one "
                            "that signed the log (audit.key lost and made again, or SIKLUS_AUDIT_KEY replaced); put "
                            "the original key back and verify again before reading other findings as edits"),
    "audit.key_mismatch_chains": T("%(count)s rantai penilaian yang ditandatangani dengan kunci '%(key)s' juga tidak "
                                   "cocok dengan hash-nya menurut kunci yang dipasang, karena sebab yang sama; "
                                   "rantai-rantai itu tidak didaftar satu per satu. Pasang kembali kunci yang asli "
                                   "lalu periksa lagi",
                                   "%(count)s appraisal chains signed with key '%(key)s' do not match their hashes "
                                   "under the configured key either, for the same reason; they are not listed one by "
                                   "one. Put the original key back and verify again"),
    "audit.evidence_row_realisation": T("realisasi #%(id)s penilaian #%(appraisal)s",
                                        "realisation #%(id)s of appraisal #%(appraisal)s"),
    "audit.evidence_row_development": T("kegiatan pengembangan #%(id)s penilaian #%(appraisal)s",
                                        "development activity #%(id)s of appraisal #%(appraisal)s"),
    "audit.evidence_missing": T("%(row)s: berkas buktinya %(path)s tidak ada di folder bukti",
                                "%(row)s: its evidence file %(path)s is missing from the evidence folder"),
    "audit.evidence_changed": T("%(row)s: berkas buktinya %(path)s tidak lagi berisi konten yang dicatat rantai "
                                "(SHA-256 %(sha)s…); berkas itu diganti atau diubah di disk",
                                "%(row)s: its evidence file %(path)s no longer has the content the chain recorded "
                                "(SHA-256 %(sha)s…); it was replaced or changed on disk"),
    "audit.no_checkpoint": T("%(label)s: ujungnya (urutan %(seq)s) tidak mempunyai titik periksa bertanda tangan; "
                             "ada peristiwa yang ditambahkan belakangan",
                             "%(label)s: its head (seq %(seq)s) has no signed checkpoint; events were added after "
                             "the fact"),
    "audit.checkpoint_key": T("%(label)s: titik periksanya ditandatangani dengan kunci '%(key)s', yang tidak "
                              "dikonfigurasi",
                              "%(label)s: its checkpoint is signed with key '%(key)s', which is not configured"),
    "audit.checkpoint_edited": T("%(label)s: tanda tangan titik periksanya tidak berlaku (diubah setelah dicatat)",
                                 "%(label)s: its checkpoint's signature does not hold (edited after the fact)"),
    "audit.checkpoint_ahead": T("%(label)s: rantai berakhir pada urutan %(last)s, tetapi titik periksa bertanda "
                                "tangan mencatat urutan %(recorded)s; ada peristiwa yang dihapus belakangan",
                                "%(label)s: the chain ends at seq %(last)s but its signed checkpoint records seq "
                                "%(recorded)s; events were removed after the fact"),
    "audit.checkpoint_other": T("%(label)s: rantai berakhir pada urutan %(last)s, tetapi titik periksa bertanda "
                                "tangan mencatat urutan %(recorded)s dengan hash lain; ada peristiwa yang ditambahkan "
                                "atau diganti belakangan",
                                "%(label)s: the chain ends at seq %(last)s but its signed checkpoint records seq "
                                "%(recorded)s with another hash; events were added or replaced after the fact"),
    "audit.misfiled": T("%(label)s: peristiwa #%(event)s tercatat di rantai '%(stream)s'",
                        "%(label)s: event #%(event)s is filed under stream '%(stream)s'"),
    "audit.appraisal_gone": T("%(label)s sudah tidak ada, tetapi rantai dan titik periksanya mencatat %(count)s "
                              "peristiwa; penilaian itu dihapus belakangan",
                              "%(label)s is gone, but its chain and checkpoint record %(count)s event(s); the "
                              "appraisal was deleted after the fact"),
    "audit.head_differs": T("%(label)s: rantai %(stream)s berakhir pada urutan %(last)s, tetapi penilaian mencatat "
                            "urutan %(recorded)s; ada peristiwa yang dihapus atau ditambahkan belakangan",
                            "%(label)s: the chain %(stream)s ends at seq %(last)s but the appraisal records seq "
                            "%(recorded)s; events were removed or added after the fact"),
    "audit.misfiled_count": T("%(count)s peristiwa tercatat di rantai yang bukan rantai penilaiannya",
                              "%(count)s event(s) are filed under a stream that is not their appraisal's"),
    "audit.launch_missing": T("putaran #%(run)s: peluncuran membuat %(created)s penilaian, tetapi hanya %(found)s "
                              "yang masih mempunyai rantai; ada penilaian yang dihapus belakangan",
                              "run #%(run)s: the launch created %(created)s appraisal(s) but only %(found)s have "
                              "their chain; appraisals were deleted after the fact"),
    "audit.rekey_unknown_key": T("%(where)s: ditandatangani dengan kunci '%(key)s', yang tidak dikonfigurasi",
                                 "%(where)s: signed with key '%(key)s', which is not configured"),
    "audit.rekey_broken": T("%(where)s: tidak utuh; tidak ditandatangani ulang",
                            "%(where)s: does not hold; it is not re-signed"),
    # -- the replay --------------------------------------------------------------------------------------------
    "audit.replay_leaves": T("peristiwa urutan %(seq)s meninggalkan tahap '%(left)s', padahal rantai berada di "
                             "'%(state)s'",
                             "event seq %(seq)s leaves state '%(left)s' but the chain was in '%(state)s'"),
    "audit.replay_step": T("peristiwa urutan %(seq)s mencatat langkah '%(trigger)s' dari '%(source)s' ke '%(dest)s', "
                           "yang tidak ada dalam versi siklus penilaian ini",
                           "event seq %(seq)s records the step '%(trigger)s' from '%(source)s' to '%(dest)s', which "
                           "this appraisal's cycle version does not have"),
    "audit.replay_role": T("peristiwa urutan %(seq)s mencatat langkah '%(trigger)s' oleh peran '%(role)s', padahal "
                           "hanya %(roles)s yang dapat mengambilnya",
                           "event seq %(seq)s records the step '%(trigger)s' by the role '%(role)s', but only "
                           "%(roles)s may take it"),
    "audit.replay_system": T("peristiwa urutan %(seq)s mencatat langkah '%(trigger)s' dari '%(source)s' oleh sistem, "
                             "padahal siklusnya tidak menetapkan tenggat atau peran kosong yang menjalankannya",
                             "event seq %(seq)s records the step '%(trigger)s' from '%(source)s' by the system, but "
                             "the cycle has no deadline or vacant role there that fires it"),
    "audit.replay_result": T("peristiwa urutan %(seq)s mencatat hasil '%(result)s' = %(recorded)s, padahal aturan "
                             "siklusnya memberi %(computed)s dari keputusan yang tercatat di rantai",
                             "event seq %(seq)s records the result '%(result)s' = %(recorded)s, but the cycle's rule "
                             "gives %(computed)s from the decisions the chain records"),
    "audit.replay_activity": T("peristiwa urutan %(seq)s mengubah kegiatan pengembangan #%(activity)s, yang tidak "
                               "pernah dicatat rantai",
                               "event seq %(seq)s changes development activity #%(activity)s, which the chain never "
                               "recorded"),
    "audit.replay_kind": T("peristiwa urutan %(seq)s berjenis '%(kind)s', yang tidak dikenal pemutaran ulang "
                           "(engine/replay.py APPLY)",
                           "event seq %(seq)s is of kind '%(kind)s', which replay does not know (engine/replay.py "
                           "APPLY)"),
    # -- the live rows against the chain -----------------------------------------------------------------------
    "audit.no_chain": T("penilaian ini sama sekali tidak mempunyai rantai audit; ia ditambahkan belakangan (atau "
                        "diluncurkan sebelum penilaian mempunyai rantai: `siklus audit rekey` memulainya)",
                        "it has no audit chain at all; it was added after the fact (or launched before appraisals "
                        "had one: `siklus audit rekey` starts it)"),
    "audit.state": T("tahapnya '%(live)s', tetapi menurut rantai '%(chain)s'",
                     "state is '%(live)s' but the chain says '%(chain)s'"),
    "audit.closing": T("statusnya %(live)s, tetapi menurut rantai %(chain)s",
                       "is %(live)s but the chain says %(chain)s"),
    "audit.open": T("terbuka", "open"),
    "audit.closed_as": T("ditutup (%(kind)s)", "closed (%(kind)s)"),
    # How an appraisal was closed beside the kinds HR closes one with (closed.left, closed.transferred).
    "audit.closed_kind.duplicate": T("penilaian ganda", "a duplicate"),
    "audit.closed_kind.closed": T("tanpa alasan tercatat", "no reason recorded"),
    "audit.version": T("berjalan pada %(cycle)s versi %(version)s, tetapi menurut rantai %(chain_cycle)s versi "
                       "%(chain_version)s",
                       "runs on %(cycle)s version %(version)s but the chain says %(chain_cycle)s version "
                       "%(chain_version)s"),
    "audit.employee": T("milik pegawai %(live)s, tetapi menurut rantai pegawai %(chain)s",
                        "belongs to employee %(live)s but the chain says employee %(chain)s"),
    "audit.run": T("berada di putaran #%(live)s, tetapi menurut rantai putaran #%(chain)s",
                   "is in run #%(live)s but the chain says run #%(chain)s"),
    "audit.run_none": T("tidak berada di putaran mana pun, tetapi menurut rantai putaran #%(chain)s",
                        "is in no run but the chain says run #%(chain)s"),
    "audit.period": T("untuk periode %(live)s, tetapi menurut rantai dan putarannya %(chain)s",
                      "is for period %(live)s but the chain and its run say %(chain)s"),
    "audit.cycle": T("menyebut siklus %(live)s, tetapi menurut rantai %(chain)s",
                     "names cycle %(live)s but the chain says %(chain)s"),
    "audit.entered_never": T("mencatat masuk tahap '%(state)s' pada %(stored)s, padahal rantai tidak pernah masuk "
                             "tahap itu",
                             "says it entered state '%(state)s' at %(stored)s, which the chain never entered"),
    "audit.entered_untimed": T("tidak mencatat waktu masuk tahap '%(state)s', tetapi menurut rantai %(chain)s",
                               "has no time of entering state '%(state)s' but the chain says %(chain)s"),
    "audit.entered_at": T("masuk tahap '%(state)s' pada %(stored)s, tetapi menurut rantai %(chain)s",
                          "entered state '%(state)s' at %(stored)s but the chain says %(chain)s"),
    "audit.entered_current": T("masuk tahap saat ini pada %(stored)s, tetapi menurut rantai %(chain)s",
                               "entered its current state at %(stored)s but the chain says %(chain)s"),
    "audit.deadline": T("tenggatnya %(stored)s, tetapi menurut rantai %(chain)s",
                        "has its deadline at %(stored)s but the chain says %(chain)s"),
    "audit.no_moment": T("tidak tercatat", "nothing"),
    "audit.moment": T("%(at)s", "%(at)s"),
    "audit.no_deadline": T("tidak ada", "none"),
    "audit.value_empty": T("kosong", "empty"),
    "audit.data_extra": T("data tersimpan '%(key)s' tidak ada dalam rantai",
                          "saved data '%(key)s' is not in the chain"),
    "audit.data_missing": T("data tersimpan '%(key)s' yang dicatat rantai hilang",
                            "saved data '%(key)s' recorded in the chain is missing"),
    "audit.data_differs": T("data tersimpan '%(key)s' bernilai %(live)s, tetapi menurut rantai %(chain)s",
                            "saved data '%(key)s' is %(live)s but the chain says %(chain)s"),
    "audit.indicator_extra": T("indikator SKP '%(key)s' tidak ada dalam rantai",
                               "SKP indicator '%(key)s' is not in the chain"),
    "audit.indicator_missing": T("indikator SKP '%(key)s' yang dicatat rantai hilang",
                                 "SKP indicator '%(key)s' recorded in the chain is missing"),
    "audit.indicator_differs": T("indikator SKP '%(key)s' %(field)s bernilai %(live)s, tetapi menurut rantai %(chain)s",
                                 "SKP indicator '%(key)s' %(field)s is %(live)s but the chain says %(chain)s"),
    "audit.row_missing": T("%(row)s yang dicatat rantai hilang", "%(row)s recorded in the chain is missing"),
    "audit.row_extra": T("%(row)s tidak ada dalam rantai", "%(row)s is not in the chain"),
    "audit.row_differs": T("%(row)s %(field)s bernilai %(live)s, tetapi menurut rantai %(chain)s",
                           "%(row)s %(field)s is %(live)s but the chain says %(chain)s"),
    "audit.realisation": T("realisasi untuk '%(key)s'", "realisation for '%(key)s'"),
    "audit.realisation_row": T("realisasi #%(id)s untuk '%(key)s'", "realisation #%(id)s for '%(key)s'"),
    "audit.realisation_time": T("realisasi #%(id)s dicatat pada %(stored)s, tetapi menurut rantai %(chain)s",
                                "realisation #%(id)s was recorded at %(stored)s but the chain says %(chain)s"),
    "audit.development": T("kegiatan pengembangan '%(title)s'", "development activity '%(title)s'"),
    "audit.development_row": T("kegiatan pengembangan #%(id)s '%(title)s'", "development activity #%(id)s '%(title)s'"),
    "audit.checkpoint_entry": T("catatan titik pantau (%(kind)s dari %(checkpoint)s)",
                                "checkpoint entry (%(kind)s of %(checkpoint)s)"),
    "audit.checkpoint_entry_row": T("catatan titik pantau #%(id)s (%(kind)s dari %(checkpoint)s)",
                                    "checkpoint entry #%(id)s (%(kind)s of %(checkpoint)s)"),
    "audit.result_extra": T("hasil %(key)s tidak ada dalam rantai", "result %(key)s is not in the chain"),
    "audit.result_missing": T("hasil %(key)s yang dicatat rantai hilang",
                              "result %(key)s recorded in the chain is missing"),
    "audit.result_value": T("hasil %(key)s bernilai %(live)s, tetapi menurut rantai %(chain)s",
                            "result %(key)s is %(live)s but the chain says %(chain)s"),
    "audit.result_lacks": T("hasil %(key)s kekurangan %(live)s, tetapi menurut rantai %(chain)s",
                            "result %(key)s lacks %(live)s but the chain says %(chain)s"),
    "audit.result_said": T("%(part)s hasil %(key)s tertulis %(live)s, tetapi menurut rantai %(chain)s",
                           "the %(part)s of result %(key)s reads %(live)s but the chain says %(chain)s"),
    "audit.result_time": T("hasil %(key)s dihitung pada %(stored)s, tetapi menurut rantai %(chain)s",
                           "result %(key)s was computed at %(stored)s but the chain says %(chain)s"),
    "audit.result_explanation": T("penjelasan", "explanation"),
    "audit.result_details": T("rincian", "details"),
    "audit.feedback": T("umpan balik '%(window)s' mempunyai %(live)s jawaban, tetapi rantai mencatat %(chain)s",
                        "feedback '%(window)s' has %(live)s answer(s) but the chain records %(chain)s"),
    # -- the organisation's predicate --------------------------------------------------------------------------
    "audit.decision_unchained": T("keputusan predikat kinerja organisasi #%(id)s tidak mempunyai peristiwa di rantai "
                                  "sistem; ia ditulis belakangan",
                                  "organisation predicate decision #%(id)s has no event in the system chain; it was "
                                  "written after the fact"),
    "audit.decision_edited": T("keputusan predikat kinerja organisasi #%(id)s berbeda dari peristiwanya #%(event)s "
                               "pada %(what)s (diubah setelah dicatat)",
                               "organisation predicate decision #%(id)s differs from its event #%(event)s in %(what)s "
                               "(edited after the fact)"),
    "audit.definition_altered": T("teks definisi siklus %(cycle)s versi %(version)s (#%(id)s) tidak sesuai dengan "
                                  "sidik %(hash)s yang tersimpan bersamanya; teks itu diubah di luar Siklus",
                                  "the text of cycle definition %(cycle)s version %(version)s (#%(id)s) does not match "
                                  "the fingerprint %(hash)s stored with it; it was changed outside Siklus"),
    "audit.definition_republished": T("definisi siklus %(cycle)s versi %(version)s (#%(id)s) bersidik %(live)s, "
                                      "padahal rantai sistem mencatat penerbitannya dengan sidik %(chain)s",
                                      "cycle definition %(cycle)s version %(version)s (#%(id)s) has the fingerprint "
                                      "%(live)s, but the system chain recorded its publication as %(chain)s"),
    "audit.grant_unchained": T("peran %(role)s pada unit %(unit)s untuk akun %(user)s (hak #%(id)s) tidak pernah "
                               "tercatat diberikan di rantai sistem; hak itu ditulis di luar Siklus",
                               "the role %(role)s on unit %(unit)s for account %(user)s (grant #%(id)s) was never "
                               "recorded as granted in the system chain; it was written outside Siklus"),
    "audit.grant_gone": T("rantai sistem mencatat peran %(role)s pada unit %(unit)s untuk akun %(user)s, tetapi hak "
                          "itu sudah tidak ada tanpa pencabutan yang tercatat",
                          "the system chain records the role %(role)s on unit %(unit)s for account %(user)s, but "
                          "the grant is gone without a recorded revocation"),
    "audit.login_sign_in": T("akun %(user)s (#%(id)s) masuk dengan nama pengguna atau kata sandi yang tidak dicatat "
                             "rantai sistem; salah satunya diubah di luar Siklus. Atur ulang kata sandinya melalui "
                             "Siklus dan periksa apa yang dilakukan akun itu sejak saat itu",
                             "account %(user)s (#%(id)s) signs in with a user name or password the system chain did "
                             "not record; one of them was changed outside Siklus. Reset its password through Siklus "
                             "and check what the account did since"),
    "audit.feedback_altered": T("%(count)s jawaban umpan balik %(window)s yang dicatat rantai tidak tersimpan seperti "
                                "dicatat: nilai, komentar, peran respondennya, atau siapa yang disebut menjawab "
                                "diubah, atau jawabannya dihapus, di luar Siklus",
                                "%(count)s feedback answer(s) of %(window)s recorded in the chain are not stored as "
                                "recorded: their scores, comment, respondent role or the person named as answering "
                                "were changed, or the answer deleted, outside Siklus"),
    "audit.feedback_time": T("jawaban 360 #%(id)s pada '%(window)s' dari %(respondent)s diberikan pada %(stored)s, "
                             "tetapi menurut rantai %(chain)s; pegawai membaca waktu itu di samping jawabannya, dan "
                             "ia diubah di luar Siklus",
                             "360 answer #%(id)s of '%(window)s' by %(respondent)s was given at %(stored)s but the "
                             "chain says %(chain)s; the employee reads that moment beside the answer, and it was "
                             "changed outside Siklus"),
    "audit.feedback_replaced_altered": T("peristiwa urutan %(seq)s mengganti jawaban umpan balik %(window)s yang "
                                         "sudah diubah di luar Siklus sebelum diganti",
                                         "event seq %(seq)s replaces a feedback answer of %(window)s that had been "
                                         "changed outside Siklus before it was replaced"),
    "audit.public_altered": T("unit %(unit)s: %(count)s jawaban survei masyarakat berbeda dari segel yang dicatat "
                              "rantai sistem; nilai, pengaduan, profil, unit, atau waktunya diubah di luar Siklus",
                              "unit %(unit)s: %(count)s public survey answer(s) differ from the seal the system chain "
                              "recorded; their scores, complaint, profile, unit or moment were changed outside "
                              "Siklus"),
    "audit.public_unrecorded": T("unit %(unit)s: %(count)s jawaban survei masyarakat tidak pernah dicatat rantai "
                                 "sistem; jawaban itu ditulis di luar Siklus",
                                 "unit %(unit)s: %(count)s public survey answer(s) were never recorded in the system "
                                 "chain; they were written outside Siklus"),
    "audit.public_gone": T("%(count)s jawaban survei masyarakat yang dicatat rantai sistem sudah tidak ada (yang "
                           "pertama #%(first)s); jawaban itu dihapus di luar Siklus",
                           "%(count)s public survey answer(s) recorded in the system chain are gone (the first "
                           "#%(first)s); they were deleted outside Siklus"),
    "audit.complaint_differs": T("pengaduan #%(id)s berbeda dari yang dicatat rantai sistem pada %(field)s; "
                                 "pengaduan itu diubah di luar Siklus: %(compared)s. %(todo)s",
                                 "complaint #%(id)s differs from what the system chain recorded in %(field)s; it was "
                                 "changed outside Siklus: %(compared)s. %(todo)s"),
    "audit.complaint_compared": T("basis data memuat %(live)s, padahal rantai mencatat %(chain)s",
                                  "the database holds %(live)s, where the chain recorded %(chain)s"),
    "audit.complaint_compared_unit": T("pengaduan itu tercatat di unit %(live)s, padahal jawaban survei yang memuatnya "
                                       "dari unit %(answer)s",
                                       "it is filed under unit %(live)s, but the survey answer it came with is of unit "
                                       "%(answer)s"),
    "audit.complaint_compared_blank": T("jawaban survei #%(response)s yang dirujuknya tidak memuat pengaduan",
                                        "survey answer #%(response)s it points to carries no complaint"),
    "audit.complaint_compared_received": T("basis data mencatatnya diterima %(live)s, padahal jawaban survei yang "
                                           "memuatnya diberikan %(answer)s",
                                           "the database has it received at %(live)s, but the survey answer it came "
                                           "with was given at %(answer)s"),
    "audit.complaint_todo_triage": T("Pilah ulang pengaduan itu di halaman Pengaduan masyarakat agar pemilahan yang "
                                     "benar tercatat, dan cari tahu siapa yang mengubah basis data.",
                                     "Triage it again on the Public complaints page so that the right triage is "
                                     "recorded, and find out who changed the database."),
    "audit.complaint_todo_closed": T("Pengaduan yang sudah dijawab tidak dapat dipilah ulang: minta admin Siklus "
                                     "mengembalikannya seperti yang dicatat rantai, dan cari tahu siapa yang mengubah "
                                     "basis data.",
                                     "A complaint already answered cannot be triaged again: ask the Siklus "
                                     "administrator to restore it as the chain recorded it, and find out who changed "
                                     "the database."),
    "audit.complaint_todo_restore": T("Minta admin Siklus mengembalikannya seperti yang dicatat rantai, dan cari tahu "
                                      "siapa yang mengubah basis data.",
                                      "Ask the Siklus administrator to restore it as the chain recorded it, and find "
                                      "out who changed the database."),
    "audit.complaint_todo_answer": T("Minta admin Siklus mengembalikan yang diubah, pengaduan itu atau jawaban "
                                     "surveinya (temuan atas jawaban survei unit itu menyebut bila jawabannya yang "
                                     "diubah), dan cari tahu siapa yang mengubah basis data.",
                                     "Ask the Siklus administrator to restore what was changed, the complaint or its "
                                     "survey answer (a finding on the unit's survey answers says when it was the "
                                     "answer), and find out who changed the database."),
    "audit.complaint_triage": T("%(parts)s", "%(parts)s"),
    "audit.complaint_status.new": T("belum dipilah", "not triaged"),
    "audit.complaint_status.verified": T("terbukti", "verified"),
    "audit.complaint_status.unfounded": T("tidak terbukti", "unfounded"),
    "audit.complaint_status.duplicate": T("duplikat", "duplicate"),
    "audit.complaint_status_other": T("status '%(status)s'", "status '%(status)s'"),
    "audit.complaint_against": T("terhadap %(employee)s", "against %(employee)s"),
    "audit.complaint_original": T("aduan asalnya pengaduan #%(id)s", "its original case complaint #%(id)s"),
    "audit.complaint_replied_by": T("sudah dijawab oleh %(who)s", "answered by %(who)s"),
    "audit.complaint_unreplied": T("belum dijawab", "not answered"),
    "audit.complaint_answer": T("jawaban survei #%(response)s", "survey answer #%(response)s"),
    "audit.employee_gone": T("pegawai #%(id)s, yang sudah tidak ada", "employee #%(id)s, who is no longer there"),
    "audit.login_gone": T("akun #%(id)s, yang sudah tidak ada", "login #%(id)s, which is no longer there"),
    "audit.unit_gone": T("#%(id)s, yang sudah tidak ada", "#%(id)s, which is no longer there"),
    "audit.complaint_gone": T("rantai sistem mencatat penanganan pengaduan #%(id)s (unit %(unit)s, %(received)s, "
                              "terakhir dipilah %(triage)s), tetapi pengaduan itu sudah tidak ada; ia dihapus di luar "
                              "Siklus",
                              "the system chain records the handling of complaint #%(id)s (unit %(unit)s, "
                              "%(received)s, last triaged %(triage)s), but the complaint is gone; it was deleted "
                              "outside Siklus"),
    "audit.complaint_received": T("diterima %(at)s", "received %(at)s"),
    "audit.complaint_received_gone": T("jawaban survei #%(response)s yang memuatnya juga sudah tidak ada",
                                       "its survey answer #%(response)s is gone too"),
    "audit.complaint_received_untold": T("waktu diterimanya tidak tercatat", "when it was received is not recorded"),
    "audit.complaint_moved": T("rantai sistem mencatat pengaduan #%(id)s pada unit %(unit)s, tetapi pengaduan itu kini "
                               "tercatat pada unit %(now)s; ia dipindahkan di luar Siklus. Minta admin Siklus "
                               "memulihkannya",
                               "the system chain records complaint #%(id)s under unit %(unit)s, but the complaint is "
                               "now filed under unit %(now)s; it was moved outside Siklus. Ask the Siklus "
                               "administrator to restore it"),
    "audit.complaint_missing": T("%(count)s jawaban survei masyarakat memuat pengaduan tetapi tidak punya kasus "
                                 "pengaduan; kasusnya dihapus di luar Siklus sebelum ditangani SDM",
                                 "%(count)s public survey answer(s) carry a complaint but have no complaint case; the "
                                 "case was deleted outside Siklus before HR handled it"),
    "audit.complaint_field.answer": T("jawaban survei yang memuatnya (unit atau isinya)",
                                      "the survey answer it came with (its unit or its text)"),
    "audit.complaint_field.triage": T("hasil pemilahannya (status, pegawai yang diadukan, atau aduan asalnya)",
                                      "its triage (status, the employee concerned, or the original case)"),
    "audit.complaint_field.triaged_by": T("siapa yang memilahnya", "who triaged it"),
    "audit.complaint_field.reply": T("jawabannya (apakah sudah dijawab, dan oleh siapa)",
                                     "its reply (whether it was answered, and by whom)"),
    "audit.complaint_field.received": T("waktu diterimanya (bukan waktu jawaban survei yang memuatnya)",
                                        "when it was received (not the moment of the survey answer it came with)"),
    "audit.token_unchained": T("token API #%(id)s milik akun %(user)s tidak pernah tercatat dibuat atau dicabut di "
                               "rantai sistem; token itu ditulis di luar Siklus atau dibuat sebelum token dicatat. "
                               "Cabut token itu dan buat yang baru",
                               "API token #%(id)s of account %(user)s was never recorded as created or revoked in the "
                               "system chain; it was written outside Siklus or made before tokens were recorded. "
                               "Revoke it and create a new one"),
    "audit.token_differs": T("token API #%(id)s milik akun %(user)s berbeda dari yang dicatat rantai sistem pada "
                             "%(field)s; token itu diubah di luar Siklus. Cabut token itu; pemiliknya membuat yang "
                             "baru",
                             "API token #%(id)s of account %(user)s differs from what the system chain recorded in "
                             "%(field)s; it was changed outside Siklus. Revoke it; its person creates a new one"),
    "audit.token_gone": T("rantai sistem mencatat token API #%(id)s milik akun %(user)s, tetapi token itu sudah tidak "
                          "ada; ia dihapus di luar Siklus",
                          "the system chain records API token #%(id)s of account %(user)s, but the token is gone; it "
                          "was deleted outside Siklus"),
    "audit.token_field.user": T("pemiliknya", "whose it is"),
    "audit.token_field.secret": T("sidik rahasianya", "the fingerprint of its secret"),
    "audit.token_field.expiry": T("masa berlakunya", "when it expires"),
    "audit.token_field.revoked": T("status pencabutannya", "whether it is revoked"),
    "audit.token_field.label": T("nama atau awalannya (yang membedakannya dari token lain di halaman token)",
                                 "its name or prefix (what tells it from the other tokens on the tokens page)"),
    "audit.token_field.creator": T("siapa yang membuatnya", "who created it"),
    "audit.token_field.created": T("waktu pembuatannya", "when it was created"),
    "audit.designation_unchained": T("penunjukan pejabat penilai bagi %(employee)s tidak tercatat di rantai "
                                     "sistem; ia ditulis di luar Siklus. Hapus penunjukan itu dan tunjuk ulang "
                                     "pejabat penilainya melalui Siklus",
                                     "the rater designation of %(employee)s is not recorded in the system "
                                     "chain; it was written outside Siklus. Remove it and designate the rater again "
                                     "through Siklus"),
    "audit.designation_differs": T("penunjukan pejabat penilai bagi %(employee)s (penilai, atasan penilai "
                                   "atau dasarnya) berbeda dari yang tercatat di rantai sistem; ia diubah di luar "
                                   "Siklus. Tunjuk ulang pejabat penilainya melalui Siklus",
                                   "the rater designation of %(employee)s (its rater, reviewer or basis) "
                                   "differs from what the system chain records; it was changed outside Siklus. "
                                   "Designate the rater again through Siklus"),
    "audit.designation_owner": T("penunjukan pejabat penilai bagi %(employee)s menyebut siapa yang menunjuk atau "
                                 "kapan secara berbeda dari yang tercatat di rantai sistem; ia diubah di luar Siklus",
                                 "the rater designation of %(employee)s names who designated it, or when, "
                                 "differently from the system chain; it was changed outside Siklus"),
    "audit.designation_gone": T("rantai sistem mencatat penunjukan pejabat penilai bagi %(employee)s, "
                                "tetapi penunjukan itu sudah tidak ada tanpa penghapusan yang tercatat",
                                "the system chain records a rater designation of %(employee)s, but it is "
                                "gone without a recorded removal"),
    "audit.chart_between": T("struktur organisasi (unit kerja, pegawai, atasan langsung) diubah di luar Siklus antara "
                             "urutan %(since)s dan %(seq)s rantai sistem: yang ada sebelum urutan %(seq)s bukan yang "
                             "dicatat urutan %(since)s",
                             "the org chart (units, employees, direct supervisors) was changed outside Siklus between "
                             "seq %(since)s and %(seq)s of the system chain: what stood before seq %(seq)s is not what "
                             "seq %(since)s recorded"),
    "audit.chart_differs": T("struktur organisasi (unit kerja, pegawai, atasan langsung) bukan yang terakhir dicatat "
                             "rantai sistem (urutan %(seq)s); ia diubah di luar Siklus, dan atasan langsung menentukan "
                             "siapa menilai siapa. Bandingkan ekspor organisasi dengan berkas impor terakhir, lalu "
                             "impor yang benar",
                             "the org chart (units, employees, direct supervisors) is not the one the system chain "
                             "last recorded (seq %(seq)s); it was changed outside Siklus, and the direct supervisor "
                             "decides who rates whom. Compare the organisation's export with the last imported file, "
                             "then import the right one"),
    "audit.chart_unrecorded": T("struktur organisasi belum pernah dicatat di rantai sistem, jadi tidak dapat "
                                "dibuktikan; impor organisasi berikutnya mencatatnya (misalnya impor ulang ekspornya "
                                "setelah diperiksa)",
                                "the org chart has never been recorded in the system chain, so it cannot be proven; "
                                "the next import of the organisation records it (for example, re-import its export "
                                "once checked)"),
    "audit.login_unchained": T("akun %(user)s (#%(id)s) terhubung ke pegawai %(employee)s, padahal rantai sistem "
                               "tidak pernah mencatat hubungan itu; akun itu bertindak sebagai pegawai tersebut "
                               "(menilai bawahannya, membaca penilaiannya), jadi hubungannya ditulis di luar Siklus",
                               "the login %(user)s (#%(id)s) is tied to employee %(employee)s, which the system chain "
                               "never recorded; the login acts as that employee (rates their staff, reads their "
                               "appraisals), so the tie was written outside Siklus"),
    "audit.login_name": T("nama tampilan akun %(user)s (#%(id)s) adalah '%(name)s', padahal rantai sistem mencatat "
                          "'%(recorded)s'; nama itu diubah di luar Siklus, dan layar, dokumen, serta ekspor "
                          "menampilkannya untuk semua yang dilakukan akun itu",
                          "the display name of login %(user)s (#%(id)s) is '%(name)s', but the system chain recorded "
                          "'%(recorded)s'; it was changed outside Siklus, and the screens, documents and exports show "
                          "it for everything the login did"),
    "audit.login_differs": T("akun %(user)s (#%(id)s) terhubung ke pegawai %(employee)s, padahal rantai sistem "
                             "mencatatnya untuk pegawai %(recorded)s; hubungan itu diubah di luar Siklus",
                             "the login %(user)s (#%(id)s) is tied to employee %(employee)s, but the system chain "
                             "recorded it for employee %(recorded)s; the tie was changed outside Siklus"),
    "audit.login_untied": T("rantai sistem mencatat akun %(user)s (#%(id)s) untuk pegawai %(recorded)s, tetapi "
                            "hubungan itu sudah tidak ada; ia dihapus di luar Siklus",
                            "the system chain recorded the login %(user)s (#%(id)s) for employee %(recorded)s, but "
                            "the tie is gone; it was removed outside Siklus"),
    "audit.login_active": T("akun %(user)s (#%(id)s) dapat masuk, padahal rantai sistem mencatatnya dinonaktifkan; "
                            "ia diaktifkan kembali di luar Siklus",
                            "the login %(user)s (#%(id)s) can sign in, but the system chain recorded it deactivated; "
                            "it was reactivated outside Siklus"),
    "audit.login_inactive": T("akun %(user)s (#%(id)s) tidak dapat masuk, padahal rantai sistem mencatatnya aktif; "
                              "ia dinonaktifkan di luar Siklus",
                              "the login %(user)s (#%(id)s) cannot sign in, but the system chain recorded it active; "
                              "it was deactivated outside Siklus"),
    "audit.run_unchained": T("putaran #%(run)s tidak mempunyai peristiwa peluncuran di rantai sistem; ia ditulis di "
                             "luar Siklus",
                             "run #%(run)s has no launch event in the system chain; it was written outside Siklus"),
    "audit.run_differs": T("putaran #%(run)s berbeda dari peristiwa peluncurannya pada %(field)s; ia diubah di luar "
                           "Siklus, dan setiap penilaian putaran itu terbaca menurutnya",
                           "run #%(run)s differs from its launch event in %(field)s; it was changed outside Siklus, "
                           "and every appraisal of the run reads by it"),
    "audit.run_field.cycle": T("siklusnya", "its cycle"),
    "audit.run_field.version": T("versi definisi siklusnya", "its cycle version"),
    "audit.run_field.unit": T("unit kerjanya", "its unit"),
    "audit.run_field.period": T("periodenya", "its period"),
    "audit.run_field.bounds": T("awal dan akhir periodenya", "the start and end of its period"),
    "audit.deadline_claimed": T("tenggat pada %(due)s ditandai sudah ditangani, padahal rantainya tidak mencatat "
                                "pengingat, eskalasi atau langkah otomatis untuknya; penanda itu ditulis di luar "
                                "Siklus, dan tenggat itu tidak akan pernah dijalankan",
                                "the deadline at %(due)s is marked handled, but its chain records no reminder, "
                                "escalation or automatic step for it; the mark was written outside Siklus, and the "
                                "deadline would never be acted on"),
    "audit.deadline_unclaimed": T("rantai mencatat tenggat pada %(due)s sudah ditangani, tetapi penandanya hilang; "
                                  "ia dihapus di luar Siklus, dan tenggat itu akan ditangani sekali lagi",
                                  "the chain records the deadline at %(due)s as handled, but its mark is gone; it was "
                                  "removed outside Siklus, and the deadline would be acted on again"),
    "audit.definition_status": T("definisi siklus %(cycle)s versi %(version)s (#%(id)s) berstatus %(live)s, padahal "
                                 "rantai sistem mencatatnya %(chain)s; status itu diubah di luar Siklus",
                                 "cycle definition %(cycle)s version %(version)s (#%(id)s) is %(live)s, but the system "
                                 "chain records it %(chain)s; the status was changed outside Siklus"),
    "audit.definition_status.draft": T("draf", "draft"),
    "audit.definition_status.published": T("terbit", "published"),
    "audit.definition_status.retired": T("dipensiunkan", "retired"),
    "audit.definition_owner": T("definisi siklus %(cycle)s versi %(version)s (#%(id)s) dimiliki %(live)s, padahal "
                                "penerbitannya mencatat pemiliknya %(chain)s; pemilik menentukan SDM mana yang boleh "
                                "mengubah siklus, dan ia diubah di luar Siklus",
                                "cycle definition %(cycle)s version %(version)s (#%(id)s) is owned by %(live)s, but "
                                "its publication recorded %(chain)s; the owner decides whose HR may change the cycle, "
                                "and it was changed outside Siklus"),
    "audit.whole_organisation": T("seluruh organisasi", "the whole organisation"),
    "audit.decision_the_event": T("peristiwa yang dirujuknya", "the event it names"),
    "audit.decision_marked": T("keputusan predikat kinerja organisasi #%(id)s ditandai %(state)s, yang tidak "
                               "dinyatakan rantai sistem",
                               "organisation predicate decision #%(id)s is marked %(state)s, which the system chain "
                               "does not say"),
    "audit.decision_superseded": T("sudah diganti", "superseded"),
    "audit.decision_standing": T("berlaku", "standing"),
    "audit.decision_gone": T("keputusan predikat kinerja organisasi #%(id)s (peristiwa #%(event)s) sudah tidak ada; "
                             "ia dihapus belakangan",
                             "organisation predicate decision #%(id)s (event #%(event)s) is gone; it was deleted "
                             "after the fact"),
    # -- the fields of a row, by their column, in words ------------------------------------------------------------
    "audit.field.label": T("nama indikator", "indicator name"),
    "audit.field.rhk": T("RHK", "RHK"),
    "audit.field.parent_rhk": T("RHK atasan", "superior's RHK"),
    "audit.field.parent_id": T("indikator atasan yang didukung", "superior's indicator it supports"),
    "audit.field.aspect": T("aspek", "aspect"),
    "audit.field.target": T("target", "target"),
    "audit.field.unit": T("satuan", "unit of measure"),
    "audit.field.weight": T("bobot", "weight"),
    "audit.field.position": T("urutan tampil", "display order"),
    "audit.field.set_by_id": T("penetap", "who set it"),
    "audit.field.set_role": T("peran penetap", "role of who set it"),
    "audit.field.set_at": T("waktu penetapan", "time it was set"),
    "audit.field.indicator_key": T("indikator", "indicator"),
    "audit.field.value": T("nilai", "value"),
    "audit.field.note": T("keterangan", "note"),
    "audit.field.evidence_sha256": T("sidik berkas bukti", "fingerprint of the evidence file"),
    "audit.field.evidence_name": T("nama berkas bukti", "name of the evidence file"),
    "audit.field.evidence_path": T("jalur simpan berkas bukti", "stored path of the evidence file"),
    "audit.field.supplied_role": T("peran pemberi nilai", "role of who supplied the value"),
    "audit.field.source": T("sumber nilai", "source of the value"),
    "audit.field.checkpoint": T("titik pantau", "checkpoint"),
    "audit.field.recorded_by_id": T("pencatat", "who recorded it"),
    "audit.field.title": T("judul", "title"),
    "audit.field.jp": T("jumlah JP", "number of JP"),
    "audit.field.course_id": T("kursus", "course"),
    "audit.field.status": T("status kegiatan", "activity status"),
    "audit.field.status.planned": T("direncanakan", "planned"),
    "audit.field.status.done": T("selesai", "done"),
    "audit.field.status.withdrawn": T("dibatalkan", "withdrawn"),
    "audit.field.completed_at": T("waktu selesai", "time it was done"),
    "audit.field.kind": T("jenis catatan", "kind of entry"),
    "audit.field.text": T("isi", "text"),
    "audit.field.answers": T("jawaban", "answers"),
    "audit.field.role": T("peran pencatat", "recorder's role"),
    "audit.field.recorded_at": T("waktu pencatatan", "time it was recorded"),
    # -- the fields of a nomination of a 360 respondent (engine.nomination_chain) ---------------------------------
    "audit.nomination_field.role": T("peran responden", "respondent role"),
    "audit.nomination_field.nominee_id": T("pegawai yang diusulkan", "nominee"),
    "audit.nomination_field.status": T("status usulan", "status"),
    "audit.nomination_field.status.proposed": T("diusulkan", "proposed"),
    "audit.nomination_field.status.approved": T("disetujui", "approved"),
    "audit.nomination_field.status.declined": T("tidak disetujui", "declined"),
    "audit.nomination_field.proposed_by_id": T("pengusul", "proposer"),
    "audit.nomination_field.proposed_at": T("waktu pengusulan", "time of proposal"),
    "audit.nomination_field.decided_by_id": T("pemutus", "decider"),
    "audit.nomination_field.decided_at": T("waktu keputusan", "time of decision"),
    "audit.nomination_row": T("usulan responden 360 #%(id)s (%(nominee)s sebagai %(role)s, diusulkan oleh "
                              "%(proposer)s, diputus oleh %(decider)s)",
                              "360 respondent nomination #%(id)s (%(nominee)s as %(role)s, proposed by %(proposer)s, "
                              "decided by %(decider)s)"),
    "audit.nomination_row_open": T("usulan responden 360 #%(id)s (%(nominee)s sebagai %(role)s, diusulkan oleh "
                                   "%(proposer)s, belum diputus)",
                                   "360 respondent nomination #%(id)s (%(nominee)s as %(role)s, proposed by "
                                   "%(proposer)s, not decided yet)"),
    "audit.replay_nomination": T("peristiwa urutan %(seq)s memutus usulan responden #%(nomination)s, yang tidak "
                                 "pernah diusulkan dalam rantai",
                                 "event seq %(seq)s decides respondent nomination #%(nomination)s, which the chain "
                                 "never proposed"),
    "audit.public_before_differs": T("jawaban survei masyarakat dari sebelum jawaban dicatat satu per satu (nomor #1 "
                                     "sampai #%(below)s) bukan lagi yang dihitung saat pencatatan dimulai: kini "
                                     "%(count)s, saat itu %(then)s; ada yang diubah, ditambahkan, atau dihapus di "
                                     "luar Siklus. Bandingkan dengan cadangan basis data dari sebelum pencatatan",
                                     "the public survey answers from before answers were recorded one by one (#1 to "
                                     "#%(below)s) are no longer those counted when recording began: %(count)s now, "
                                     "%(then)s then; some were changed, added or deleted outside Siklus. Compare "
                                     "them with a database backup from before recording began"),
    "audit.public_moved": T("%(count)s jawaban survei masyarakat yang dicatat rantai sistem untuk unit ini kini "
                            "tercatat pada unit lain (yang pertama #%(first)s); jawaban itu dipindahkan di luar Siklus",
                            "%(count)s public survey answer(s) the system chain recorded for these units now belong to "
                            "another unit (the first #%(first)s); they were moved outside Siklus"),
}
