"""Problems between the parts of a cycle file: names that name nothing, the state graph, input paths,
deadlines, checkpoints, calibration guards, the talent grid and states a missing input strands.

Names the author wrote are quoted as written («review» in Bahasa Indonesia, 'review' in English).
"""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS: dict[str, T] = {
    "cycle.duplicate_role": T("Peran «%(name)s» dinyatakan dua kali; yang pertama di baris %(line)s (YAML diam-diam "
                              "hanya menyimpan yang terakhir).",
                              "Role '%(name)s' is declared twice; the first is on line %(line)s (YAML would silently "
                              "keep only the last one)."),
    "cycle.duplicate_state": T("Tahap «%(name)s» dinyatakan dua kali; yang pertama di baris %(line)s (YAML diam-diam "
                               "hanya menyimpan yang terakhir).",
                               "State '%(name)s' is declared twice; the first is on line %(line)s (YAML would "
                               "silently keep only the last one)."),
    "cycle.duplicate_result": T("Hasil «%(name)s» dinyatakan dua kali; yang pertama di baris %(line)s (YAML diam-diam "
                                "hanya menyimpan yang terakhir).",
                                "Result '%(name)s' is declared twice; the first is on line %(line)s (YAML would "
                                "silently keep only the last one)."),
    "cycle.duplicate_key": T("Kunci «%(key)s» muncul dua kali pada %(where)s; yang pertama di baris %(line)s (YAML "
                             "diam-diam hanya menyimpan yang terakhir).",
                             "The key '%(key)s' appears twice in %(where)s; the first is on line %(line)s (YAML would "
                             "silently keep only the last one)."),
    "cycle.no_initial": T("Tidak ada tahap awal: tandai tahap tempat penilaian dimulai dengan «initial: true».",
                          "No initial state: mark the state where an appraisal starts with 'initial: true'."),
    "cycle.two_initial": T("Tahap «%(state)s» ditandai sebagai tahap awal, padahal tahap «%(first)s» sudah; satu "
                           "siklus mempunyai tepat satu tahap awal.",
                           "State '%(state)s' is marked initial but state '%(first)s' already is; a cycle has "
                           "exactly one initial state."),
    "cycle.public_role": T("Peran «%(role)s» adalah peran publik dan tidak dapat %(what)s; publik hanya mengisi survei "
                           "kepuasan masyarakat (IKM) unit.",
                           "Role '%(role)s' is public and cannot %(what)s; the public only answers the unit's public "
                           "satisfaction survey (IKM)."),
    "cycle.public.fire": T("menjalankan transisi", "fire transitions"),
    "cycle.public.edit": T("mengubah penilaian", "edit an appraisal"),
    "cycle.public.supply": T("mengisi nilai indikator", "supply an indicator's value"),
    "cycle.public.skp": T("mengisi SKP", "supply the SKP"),
    "cycle.public.feedback": T("mengisi jendela umpan balik pada penilaian",
                               "answer a feedback window on an appraisal"),
    "cycle.path_malformed": T("Jalur masukan «%(path)s» salah bentuk: tulis nama-nama yang dipisah satu titik, "
                              "misalnya «results.predikat».",
                              "Malformed input path '%(path)s': write names separated by single dots, e.g. "
                              "results.predikat."),
    "cycle.path_root": T("Awal jalur masukan «%(root)s» pada «%(path)s» tidak dikenal%(hint)s; jalur diawali salah "
                         "satu dari %(roots)s.",
                         "Unknown input path root '%(root)s' in '%(path)s'%(hint)s; a path starts with one of "
                         "%(roots)s."),
    "cycle.data_key_hint": T("Kunci data «%(key)s» tidak dikenal%(hint)s.", "Unknown data key '%(key)s'%(hint)s."),
    "cycle.data_key": T("Kunci data «%(key)s» tidak dikenal; kunci data adalah nama «save_as» transisi: %(keys)s.",
                        "Unknown data key '%(key)s'; data keys are the save_as names of transitions: %(keys)s."),
    "cycle.data_key_none": T("Kunci data «%(key)s» tidak dikenal; tidak ada transisi yang menyimpan payload-nya "
                             "dengan «save_as».",
                             "Unknown data key '%(key)s'; no transition keeps its payload with save_as."),
    "cycle.employee_field": T("Isian pegawai «%(name)s» tidak dikenal%(hint)s; isian yang ada: %(fields)s.",
                              "Unknown employee field '%(name)s'%(hint)s; the fields are %(fields)s."),
    "cycle.path_history_part": T("Bagian «%(part)s» pada «%(path)s» tidak dikenal%(hint)s; tulis "
                                 "«history.results.NAMA» (hasil siklus ini).",
                                 "Unknown part '%(part)s' in '%(path)s'%(hint)s; write history.results.NAME (a result "
                                 "of this cycle)."),
    "cycle.path_history": T("Jalur masukan «%(path)s» harus berbentuk «history.results.NAMA» (hasil siklus ini).",
                            "Input path '%(path)s' must be history.results.NAME (a result of this cycle)."),
    "cycle.path_no_part": T("Jalur masukan «%(path)s» tidak menyebut bagian dari «%(root)s»; gunakan %(forms)s.",
                            "Input path '%(path)s' names no part of '%(root)s'; use %(forms)s."),
    "cycle.path_part": T("Bagian «%(part)s» pada «%(path)s» tidak dikenal%(hint)s; gunakan %(forms)s.",
                         "Unknown part '%(part)s' in '%(path)s'%(hint)s; use %(forms)s."),
    "cycle.path_results": T("Jalur masukan «%(path)s» harus berbentuk «%(root)s.results.NAMA» (hasil siklus ini).",
                            "Input path '%(path)s' must be %(root)s.results.NAME (a result of this cycle)."),
    "cycle.path_past": T("Jalur masukan «%(path)s» melewati «%(part)s»; akhiri di situ («%(whole)s» adalah daftar "
                         "peran dan skor).",
                         "Input path '%(path)s' goes past '%(part)s'; end it there (%(whole)s is a list of role and "
                         "score)."),
    "cycle.path_feedback_part": T("Bagian «%(part)s» dari jendela umpan balik «%(window)s» tidak dikenal%(hint)s; "
                                  "gunakan %(scores)s atau salah satu perannya (%(roles)s).",
                                  "Unknown part '%(part)s' of feedback window '%(window)s'%(hint)s; use %(scores)s or "
                                  "one of its roles (%(roles)s)."),
    "cycle.system_fed": T("Indikator «%(indicator)s» diisi oleh sistem (%(source)s), yang tidak diketik siapa pun; "
                          "hapus «supplied_by: %(role)s» (atau sumber sistemnya, bila seseorang mencatatnya).",
                          "Indicator '%(indicator)s' is fed by the system (%(source)s), which nobody types; remove "
                          "supplied_by '%(role)s' (or the system source, if a person records it)."),
    "cycle.no_weight": T("%(where)s tidak mempunyai bobot; bila satu indikator berbobot, setiap indikator memerlukan "
                         "bobot.",
                         "%(where)s has no weight; when one indicator has a weight, every indicator needs one."),
    "cycle.leaves_final": T("%(where)s keluar dari tahap akhir «%(state)s»; tahap akhir tidak mempunyai jalan keluar.",
                            "%(where)s leaves final state '%(state)s'; a final state has no way out."),
    "cycle.no_way_out": T("Tahap «%(state)s» tidak mempunyai jalan keluar: bukan tahap akhir dan tidak ada transisi "
                          "yang keluar darinya.",
                          "State '%(state)s' has no way out: it is not final and no transition leaves it."),
    "cycle.unreachable": T("Tahap «%(state)s» tidak dapat dicapai dari tahap awal «%(initial)s».",
                           "State '%(state)s' cannot be reached from the initial state '%(initial)s'."),
    "cycle.source_twice": T("Tahap «%(state)s» tercantum dua kali dalam «source» transisi «%(trigger)s».",
                            "State '%(state)s' is listed twice in the source of transition '%(trigger)s'."),
    "cycle.trigger_twice": T("Pemicu «%(trigger)s» sudah keluar dari tahap «%(state)s» (baris %(line)s); satu pemicu "
                             "menjalankan satu transisi per tahap.",
                             "Trigger '%(trigger)s' already leaves state '%(state)s' (line %(line)s); a trigger fires "
                             "one transition per state."),
    "cycle.deadline_trigger": T("Pemicu «%(trigger)s» tidak dapat dijalankan dari tahap «%(state)s»; pemicu itu "
                                "berjalan dari %(sources)s.",
                                "Trigger '%(trigger)s' cannot fire from state '%(state)s'; it fires from %(sources)s."),
    "cycle.vacant_idle": T("Peran «%(role)s» tidak menjalankan langkah apa pun keluar dari tahap «%(state)s» "
                           "(yang menjalankannya: %(roles)s): tidak ada yang menunggu peran itu di sana.",
                           "Role '%(role)s' takes no step out of state '%(state)s' (the roles that do: %(roles)s): "
                           "nothing there waits for it."),
    "cycle.vacant_trigger": T("Pemicu «%(trigger)s» tidak keluar dari tahap «%(state)s»; yang keluar darinya: "
                              "%(triggers)s.",
                              "Trigger '%(trigger)s' does not leave state '%(state)s'; the ones that do: "
                              "%(triggers)s."),
    "cycle.vacant_payload": T("Pemicu «%(trigger)s» memerlukan %(fields)s, yang tidak dapat diberikan sistem saat "
                              "menjalankannya untuk peran yang tidak dipegang siapa pun.",
                              "Trigger '%(trigger)s' requires %(fields)s, which the system cannot give when it fires "
                              "it for a role nobody holds."),
    "cycle.vacant_saves": T("Pemicu «%(trigger)s» menyimpan isiannya sebagai «%(key)s»: bila dijalankan sistem, "
                            "ia mencatat keputusan yang tidak dibuat siapa pun.",
                            "Trigger '%(trigger)s' keeps its payload as '%(key)s': fired by the system it would "
                            "record a decision nobody made."),
    "cycle.duration": T("Durasi «%(value)s» salah bentuk: gunakan bilangan dan satuan, misalnya 14d (hari), 10wd (hari "
                        "kerja), 36h (jam), 2w (minggu), atau ISO 8601 seperti P14D.",
                        "Malformed duration '%(value)s': use a number and a unit, e.g. 14d (days), 10wd (working "
                        "days), 36h (hours), 2w (weeks), or ISO 8601 such as P14D."),
    "cycle.payload_key": T("Payload %(where)s tidak menyatakan kunci «%(key)s»%(hint)s; kuncinya: %(keys)s",
                           "The payload of %(where)s declares no key '%(key)s'%(hint)s; its keys are: %(keys)s"),
    "cycle.guard_expression": T("Ekspresi syarat: %(detail)s.", "Guard expression: %(detail)s."),
    "cycle.talent_result": T("%(unknown)s Kisi talenta membaca kotak tiap pegawai dari hasil siklus.",
                             "%(unknown)s The talent grid reads the box each employee is placed in from a result of "
                             "the cycle."),
    "cycle.talent_rule": T("Hasil «%(result)s» dihitung dengan aturan «%(rule)s», bukan %(needed)s: kisi talenta "
                           "memerlukan kotak yang ditetapkan hasil %(needed)s.",
                           "Result '%(result)s' is computed by rule '%(rule)s', not %(needed)s: the talent grid needs "
                           "the box a %(needed)s result places."),
    "cycle.anonymous_role_minimum": T(
        "Hasil «%(result)s» menghitung peran «%(role)s» dari jendela umpan balik anonim «%(window)s» mulai dari "
        "%(minimum)s jawaban (min_respondents %(minimum)s), kurang dari yang dibutuhkan kerahasiaannya (%(needed)s: "
        "anonymity_threshold %(threshold)s, min_respondents jendela %(window_minimum)s, tidak pernah kurang dari "
        "%(fewest)s); skornya, yang ditampilkan bersama bobotnya, akan membuka jawaban orang yang sedikit itu. "
        "Naikkan min_respondents «%(role)s» menjadi paling sedikit %(needed)s.",
        "Result '%(result)s' scores role '%(role)s' of the anonymous feedback window '%(window)s' from %(minimum)s "
        "answer(s) (min_respondents %(minimum)s), fewer than its anonymity needs (%(needed)s: anonymity_threshold "
        "%(threshold)s, the window's min_respondents %(window_minimum)s, never fewer than %(fewest)s); the score, "
        "shown with its weights, would give away what so few answered. Set min_respondents of '%(role)s' to at "
        "least %(needed)s."),
    "cycle.talent_box": T("Kotak %(box)s tidak ada pada kisi «%(result)s»; kotaknya: %(boxes)s.",
                          "Box %(box)s is not on the grid of '%(result)s'; its boxes are %(boxes)s."),
    "cycle.calibration_predicates": T("Syarat kalibrasi memerlukan predikat para pegawai: nyatakan hasil dengan aturan "
                                      "«predicate_matrix» (atau aturan lain yang menghitung predikat pegawai), atau "
                                      "sebut hasil yang memuatnya pada «predicate».",
                                      "A calibration guard needs the employees' predicates: declare a result with rule "
                                      "'predicate_matrix' (or another rule that computes an employee predicate) or "
                                      "name the result that holds them in 'predicate'."),
    "cycle.calibration_result": T("Syarat kalibrasi: hasil «%(name)s» tidak dikenal (hasil yang memuat predikat: "
                                  "%(known)s).",
                                  "Calibration guard: unknown result '%(name)s' (results that hold a predicate: "
                                  "%(known)s)."),
    "cycle.calibration_limits": T("Batas syarat kalibrasi: %(detail)s.", "Calibration guard limits: %(detail)s."),
    # checkpoints
    "cycle.series_twice": T("Rangkaian titik periksa «%(series)s» dinyatakan dua kali.",
                            "Checkpoint series '%(series)s' is declared twice."),
    "cycle.series_too_long": T("Titik periksa %(every)s tidak muat dalam periode %(period)s; gunakan rangkaian yang "
                               "lebih pendek atau periode yang lebih panjang.",
                               "A %(every)s checkpoint does not fit inside a %(period)s period; use a shorter series "
                               "or a longer period."),
    "cycle.every.monthly": T("bulanan", "monthly"),
    "cycle.every.quarterly": T("triwulanan", "quarterly"),
    "cycle.every.semester": T("semesteran", "semester"),
    "cycle.every.annual": T("tahunan", "annual"),
    "cycle.targets_no_realisation": T(
        "Rangkaian titik periksa «%(series)s» membagi target (%(split)s) tetapi tidak menerima realisasi; tambahkan "
        "«realisation: true» atau hapus «targets».",
        "Checkpoint series '%(series)s' splits the targets (%(split)s) but takes no realisations; add "
        "realisation: true or drop targets."),
    "cycle.targets_iki": T(
        "Rangkaian titik periksa «%(series)s» membagi target (%(split)s), tetapi IKI «%(iki)s» (%(problem)s) tidak "
        "dihitung bertambah sepanjang tahun: targetnya tidak dapat dibagi ke setiap periode; pakai «targets: annual».",
        "Checkpoint series '%(series)s' splits the targets (%(split)s), but IKI '%(iki)s' (%(problem)s) is not "
        "counted up over the year: its target cannot be shared out over the periods; use targets: annual."),
    "cycle.series_state": T("Tahap «%(state)s» pada rangkaian titik periksa «%(series)s» tidak dikenal; tahapnya: "
                            "%(known)s.",
                            "Unknown state '%(state)s' in checkpoint series '%(series)s'; the states are %(known)s."),
    "cycle.series_role": T("Peran «%(role)s» pada «%(section)s» rangkaian titik periksa «%(series)s» tidak dikenal; "
                           "perannya: %(known)s.",
                           "Unknown role '%(role)s' in the %(section)s of checkpoint series '%(series)s'; the roles "
                           "are %(known)s."),
    "cycle.checkpoint_twice": T("Titik periksa «%(checkpoint)s» dinyatakan dua kali.",
                                "Checkpoint '%(checkpoint)s' is declared twice."),
    "cycle.checkpoint_day": T("Akhir titik periksa «%(end)s» bukan hari dalam setahun (BB-HH).",
                              "Checkpoint end '%(end)s' is not a day of the year (MM-DD)."),
    "cycle.checkpoint_leap": T("Akhir titik periksa «02-29» berada di luar periode pada tiga dari empat tahun; "
                               "gunakan 02-28.",
                               "Checkpoint end '02-29' is outside the period in three years of four; use 02-28."),
    "cycle.checkpoint_dates_annual": T("Akhir titik periksa «%(end)s» berada di luar periode sebagian putaran: tanggal "
                                       "tetap adalah hari dalam tahun putaran dan memerlukan «period: annual» "
                                       "(periode siklus ini «%(period)s»); gunakan «every: monthly» atau «every: "
                                       "quarterly».",
                                       "Checkpoint end '%(end)s' is outside the period of some runs: explicit dates "
                                       "are days of the run's year and need period: annual (this cycle's period is "
                                       "%(period)s); use every: monthly or every: quarterly."),
    "cycle.checkpoint_order": T("Akhir titik periksa «%(end)s» tidak jatuh setelah yang sebelumnya; urutkan "
                                "tanggalnya.",
                                "Checkpoint end '%(end)s' does not come after the one before it; list dates in "
                                "order."),
    "cycle.checkpoint_part": T("Bagian «%(part)s» pada «%(path)s» tidak dikenal; hasil titik periksa membaca "
                               "%(parts)s.",
                               "Unknown part '%(part)s' in '%(path)s'; a checkpoint's results read %(parts)s."),
    "cycle.checkpoint_result": T("«%(path)s» tidak membaca hasil berkala rangkaian ini; hasilnya: %(results)s.",
                                 "'%(path)s' reads no periodic result of this series; its results are %(results)s."),
    "cycle.checkpoint_question": T("«%(path)s» tidak membaca pertanyaan penilaian diri; pertanyaannya: "
                                   "%(questions)s.",
                                   "'%(path)s' reads no question of the self-assessment; its questions are "
                                   "%(questions)s."),
    "cycle.series_path": T("Jalur masukan «%(path)s» harus berbentuk «checkpoints.RANGKAIAN[*|N|latest].BAGIAN», "
                           "misalnya «checkpoints.triwulan[*].results.predikat».",
                           "Input path '%(path)s' must be checkpoints.SERIES[*|N|latest].PART, e.g. "
                           "checkpoints.triwulan[*].results.predikat."),
    "cycle.series_unknown": T("Rangkaian titik periksa «%(series)s» pada «%(path)s» tidak dikenal; rangkaiannya: "
                              "%(known)s.",
                              "Unknown checkpoint series '%(series)s' in '%(path)s'; the series are %(known)s."),
    "cycle.series_part": T("«%(path)s» harus dilanjutkan dengan salah satu dari %(parts)s setelah titik periksanya.",
                           "'%(path)s' must go on with one of %(parts)s after the checkpoint."),
    "cycle.series_result": T("«%(path)s» tidak membaca hasil berkala rangkaian «%(series)s»; hasilnya: %(results)s.",
                             "'%(path)s' reads no periodic result of series '%(series)s'; its results are "
                             "%(results)s."),
    # states a missing input strands
    "cycle.stranding": T("Tahap «%(state)s» dapat membuat penilaian macet: bila %(input)s belum ada, setiap jalan "
                         "keluar (%(exits)s) menunggunya, tetapi %(nowhere)s; %(fix)s.",
                         "State '%(state)s' can strand an appraisal: when %(input)s is missing, every way out "
                         "(%(exits)s) waits for it, but %(nowhere)s; %(fix)s."),
    "cycle.strand.exit": T("%(trigger)s ke «%(dest)s»", "%(trigger)s to '%(dest)s'"),
    "cycle.strand.realisation": T("realisasi sebuah IKI", "the realisation of an IKI"),
    "cycle.strand.answer": T("jawaban jendela umpan balik «%(window)s»", "an answer to feedback window '%(window)s'"),
    "cycle.strand.nowhere_here": T("tak seorang pun boleh mengisinya di «%(state)s» dan tidak ada jalan keluar yang "
                                   "tidak memerlukannya menuju tahap tempat seseorang boleh mengisinya (%(states)s)",
                                   "nobody may supply it in '%(state)s' and no way out of '%(state)s' that does not "
                                   "need it leads to a state where someone may (%(states)s)"),
    "cycle.strand.nowhere": T("tidak ada tahap yang membolehkan seseorang mengisinya",
                              "no state lets anyone supply it"),
    "cycle.strand.fix_realisation": T("berikan satu peran «edit: realisation» di «%(state)s»%(back)s",
                                      "give a role 'edit: realisation' in '%(state)s'%(back)s"),
    "cycle.strand.fix_feedback": T("cantumkan «%(state)s» pada «states» jendela umpan balik «%(window)s»%(back)s",
                                   "list '%(state)s' in the states of feedback window '%(window)s'%(back)s"),
    "cycle.strand.back": T(" atau tambahkan transisi dari «%(state)s» kembali ke «%(dest)s»",
                           " or add a transition from '%(state)s' back to '%(dest)s'"),
}
