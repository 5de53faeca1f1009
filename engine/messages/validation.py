"""Problems of a cycle file, as the validator reports them at their line and column.

The keys of a cycle file are English words (``states``, ``transitions``); a problem quotes them as
they are written («states» in Bahasa Indonesia, 'states' in English). This module holds the problems of
reading the file and of its schema, with the phrases they are built of (where in the cycle, what kind of
value); :mod:`engine.messages.cycle_checks` holds the checks between parts of the cycle and
:mod:`engine.messages.rule_checks` what rules and guard expressions say.
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
    "cycle.empty": T("Berkas kosong; berkas siklus berisi «id», «version», «title», «period», «roles», «states» dan "
                     "«transitions».",
                     "The file is empty; a cycle file is a mapping with id, version, title, period, roles, "
                     "states and transitions."),
    "cycle.internal": T("Pemeriksaan berkas ini gagal karena kesalahan dalam Siklus sendiri; laporkan kepada "
                        "pengelola.",
                        "Checking this file failed because of an error in Siklus itself; tell the maintainers."),
    "cycle.unknown_key": T("Kunci «%(key)s» tidak dikenal pada %(where)s; kunci yang dapat dipakai: %(allowed)s.",
                           "Unknown key '%(key)s' in %(where)s; the allowed keys are %(allowed)s."),
    "cycle.unknown_key_hint": T("Kunci «%(key)s» tidak dikenal pada %(where)s (maksudnya «%(hint)s»?).",
                                "Unknown key '%(key)s' in %(where)s (did you mean '%(hint)s'?)."),
    "cycle.missing_key": T("Kunci «%(key)s» wajib ada pada %(where)s.", "The key '%(key)s' is required in %(where)s."),
    "cycle.missing_group": T("Kunci «%(key)s» wajib ada pada %(where)s (diperlukan bersama «resolver: group»).",
                             "The key '%(key)s' is required in %(where)s (needed with 'resolver: group')."),
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
    "cycle.noun.indicator": T("Id indikator", "indicator id"),
    "cycle.weights_total": T("Bobot indikator berjumlah %(total)s; jumlahnya harus 100.",
                             "The indicator weights total %(total)s; they must total 100."),
    "cycle.duplicate": T("«%(value)s» dinyatakan dua kali; yang pertama di baris %(line)s.",
                         "'%(value)s' is declared twice; the first is on line %(line)s."),
    "cycle.problems": T("Berkas siklus mempunyai %(count)s masalah; yang pertama di baris %(line)s, kolom %(col)s: "
                        "%(first)s",
                        "The cycle file has %(count)s problem(s); the first is on line %(line)s, column %(col)s: "
                        "%(first)s"),
    "cycle.not_source": T("Yang dikirim bukan teks berkas siklus.", "What was sent is not the text of a cycle file."),
    # reading the YAML
    "cycle.top_level": T("Tingkat teratas berkas siklus harus berupa pemetaan («id: ...», «states: ...», "
                         "«transitions: ...»), bukan %(kind)s.",
                         "The top level of a cycle file must be a mapping (id: ..., states: ..., transitions: ...), "
                         "not %(kind)s."),
    "cycle.alias_bomb": T("Alias dalam berkas mengembang menjadi lebih dari %(limit)s nilai; berkas siklus jauh lebih "
                          "kecil.",
                          "The file's aliases expand to more than %(limit)s values; a cycle file needs far fewer."),
    "cycle.alias_recursive": T("Alias ini merujuk ke pemetaan atau daftar yang memuat alias itu sendiri; berkas "
                               "siklus tidak boleh rekursif.",
                               "This alias refers to a mapping or list that contains it; a cycle file cannot be "
                               "recursive."),
    "cycle.nested_here": T("Berkas bersarang lebih dari %(limit)s tingkat di sini; berkas siklus paling banyak "
                           "belasan tingkat.",
                           "The file is nested more than %(limit)s levels deep here; a cycle file is a dozen levels "
                           "deep at most."),
    "cycle.yaml_tag": T("Tag YAML «%(tag)s» tidak didukung dalam berkas siklus.",
                        "The YAML tag '%(tag)s' is not supported in cycle files."),
    "cycle.unreadable_scalar": T("«%(value)s» tidak dapat dibaca sebagai %(kind)s; beri tanda kutip bila itu teks.",
                                 "'%(value)s' cannot be read as %(kind)s; quote it if it is a text."),
    "cycle.not_finite": T("«%(value)s» bukan bilangan terhingga; tulis bilangan seperti 100, atau beri tanda kutip "
                          "bila itu teks.",
                          "'%(value)s' is not a finite number; write a number such as 100, or quote it if it is a "
                          "text."),
    "cycle.merge": T("Penggabungan («<<») tidak dapat dilakukan di sini.", "Cannot merge ('<<') here."),
    "cycle.complex_key": T("Kunci harus berupa nama atau teks biasa, bukan pemetaan atau daftar.",
                           "A key must be a plain name or text, not a mapping or a list."),
    "cycle.yaml_tab": T("Kesalahan sintaks YAML: karakter tab tidak dapat dipakai untuk indentasi YAML; gunakan spasi.",
                        "YAML syntax error: a tab character cannot indent YAML; use spaces."),
    "cycle.yaml_unclosed": T("Kesalahan sintaks YAML: teks bertanda kutip ini tidak pernah ditutup; tambahkan tanda "
                             "kutip penutup.",
                             "YAML syntax error: this quoted text is never closed; add the closing quote."),
    "cycle.yaml_colon": T("Kesalahan sintaks YAML: «:» tidak terduga di sini; periksa indentasi baris ini, atau beri "
                          "tanda kutip pada teks yang memuat «: ».",
                          "YAML syntax error: unexpected ':' here; check the indentation of this line, or quote a "
                          "text that contains ': '."),
    "cycle.yaml_no_colon": T("Kesalahan sintaks YAML: baris ini tidak mempunyai «:» setelah kuncinya; tulis "
                             "«kunci: nilai».",
                             "YAML syntax error: this line has no ':' after its key; write 'key: value'."),
    "cycle.yaml_indent": T("Kesalahan sintaks YAML: indentasi baris ini tidak sama dengan baris di atasnya; kunci "
                           "satu pemetaan dan butir satu daftar harus dimulai pada kolom yang sama.",
                           "YAML syntax error: this line is not indented like the lines above it; keys of one mapping "
                           "and items of one list must start in the same column."),
    "cycle.yaml_alias": T("Kesalahan YAML: alias tidak dikenal; alias «*nama» memerlukan jangkar «&nama» sebelumnya.",
                          "YAML error: undefined alias; an alias '*name' needs an anchor '&name' before it."),
    "cycle.yaml_documents": T("Berkas memuat lebih dari satu dokumen YAML («---»); berkas siklus adalah satu dokumen.",
                              "The file holds more than one YAML document ('---'); a cycle file is one document."),
    "cycle.yaml_start": T("Kesalahan sintaks YAML: nilai tidak dapat diawali dengan «%(char)s»; beri tanda kutip pada "
                          "nilai itu.",
                          "YAML syntax error: a value cannot start with '%(char)s'; quote the value."),
    # phrases: what kind of value
    "cycle.type.object": T("pemetaan", "a mapping"),
    "cycle.type.array": T("daftar", "a list"),
    "cycle.type.string": T("teks", "a text"),
    "cycle.type.integer": T("bilangan bulat", "a whole number"),
    "cycle.type.number": T("bilangan", "a number"),
    "cycle.type.boolean": T("«true» atau «false»", "true or false"),
    "cycle.type.null": T("kosong", "empty"),
    "cycle.type.other": T("jenis «%(name)s»", "kind '%(name)s'"),
    "cycle.phrase": T("%(text)s", "%(text)s"),
    "cycle.either": T("%(some)s atau %(last)s", "%(some)s or %(last)s"),
    "cycle.none": T("tidak ada", "none"),
    "cycle.value.empty": T("nilai kosong", "empty"),
    "cycle.value.literal": T("«%(value)s»", "%(value)s"),
    "cycle.value.number": T("bilangan %(value)s", "the number %(value)s"),
    "cycle.value.text": T("teks «%(value)s»", "the text '%(value)s'"),
    "cycle.value.list": T("sebuah daftar", "a list"),
    "cycle.value.mapping": T("sebuah pemetaan", "a mapping"),
    "cycle.value.single": T("satu nilai tunggal", "a single value"),
    "cycle.value.date": T("tanggal %(value)s (beri tanda kutip agar menjadi teks)",
                          "the date %(value)s (quote it to make it a text)"),
    "cycle.value.a_date": T("tanggal", "a date"),
    "cycle.value.binary": T("data biner", "binary data"),
    "cycle.value.tagged": T("nilai bertag «%(tag)s»", "a value tagged '%(tag)s'"),
    "cycle.value.other": T("nilai jenis %(kind)s", "a %(kind)s"),
    "cycle.did_you_mean": T(" (maksudnya «%(name)s»?)", " (did you mean '%(name)s'?)"),
    "cycle.options": T("salah satu dari %(options)s", "one of %(options)s"),
    "cycle.options_then": T("%(options)s atau {fire: PEMICU}", "%(options)s or {fire: TRIGGER}"),
    # phrases: where in the cycle
    "cycle.at.cycle": T("siklus", "the cycle"),
    "cycle.at.role": T("peran «%(name)s»", "role '%(name)s'"),
    "cycle.at.state": T("tahap «%(name)s»", "state '%(name)s'"),
    "cycle.at.deadline": T("tenggat %(owner)s", "the deadline of %(owner)s"),
    "cycle.at.on_enter": T("entri «on_enter» ke-%(n)s pada %(owner)s", "on_enter entry %(n)s of %(owner)s"),
    "cycle.at.transition": T("transisi «%(name)s»", "transition '%(name)s'"),
    "cycle.at.transition_n": T("transisi ke-%(n)s", "transition #%(n)s"),
    "cycle.at.guard": T("syarat ke-%(n)s pada %(owner)s", "guard %(n)s of %(owner)s"),
    "cycle.at.window": T("jendela waktu %(owner)s", "the window of %(owner)s"),
    "cycle.at.indicator": T("indikator «%(name)s»", "indicator '%(name)s'"),
    "cycle.at.indicator_n": T("indikator ke-%(n)s", "indicator #%(n)s"),
    "cycle.at.result": T("hasil «%(name)s»", "result '%(name)s'"),
    "cycle.at.feedback": T("jendela umpan balik «%(name)s»", "feedback window '%(name)s'"),
    "cycle.at.feedback_n": T("jendela umpan balik ke-%(n)s", "feedback window #%(n)s"),
    "cycle.at.question": T("pertanyaan ke-%(n)s pada %(owner)s", "question %(n)s of %(owner)s"),
    "cycle.at.development": T("bagian «development»", "the development section"),
    "cycle.at.course": T("pelatihan «%(name)s»", "course '%(name)s'"),
    "cycle.at.course_n": T("pelatihan ke-%(n)s", "course #%(n)s"),
    "cycle.at.skp": T("bagian «skp»", "the skp section"),
    "cycle.at.key": T("«%(key)s»", "'%(key)s'"),
    "cycle.at.key_of": T("«%(key)s» pada %(owner)s", "'%(key)s' of %(owner)s"),
    "cycle.at.item": T("butir ke-%(n)s", "item %(n)s"),
    "cycle.at.item_of": T("butir ke-%(n)s dari %(of)s", "item %(n)s of %(of)s"),
    # the schema
    "cycle.type": T("Nilai %(where)s harus berupa %(expected)s, bukan %(actual)s.",
                    "%(where)s must be %(expected)s, not %(actual)s."),
    "cycle.enum_noun": T("«%(value)s» bukan %(noun)s; gunakan %(options)s%(hint)s.",
                         "'%(value)s' is not %(noun)s; use %(options)s%(hint)s."),
    "cycle.enum": T("«%(value)s» tidak diizinkan pada %(where)s; gunakan %(options)s%(hint)s.",
                    "'%(value)s' is not allowed in %(where)s; use %(options)s%(hint)s."),
    "cycle.enum.period": T("jenis periode", "a period kind"),
    "cycle.enum.resolver": T("penentu peran", "a role resolver"),
    "cycle.enum.stage": T("tahapan", "a stage"),
    "cycle.enum.aspect": T("aspek indikator", "an indicator aspect"),
    "cycle.enum.at": T("titik dalam periode", "a point of the period"),
    "cycle.enum.kind": T("jenis pelatihan", "a course kind"),
    "cycle.enum.then": T("tindakan tenggat", "a deadline action"),
    "cycle.enum.questions": T("kumpulan pertanyaan", "a question set"),
    "cycle.enum.edit": T("hak ubah", "an edit right"),
    "cycle.bad_cycle_id": T("«%(value)s» bukan id siklus yang sah: gunakan 2 sampai 63 huruf kecil, angka, «-» dan "
                            "«_», diawali huruf atau angka.",
                            "'%(value)s' is not a valid cycle id: use 2 to 63 lower-case letters, digits, '-' and "
                            "'_', starting with a letter or digit."),
    "cycle.bad_name": T("«%(value)s» bukan %(noun)s yang sah: gunakan huruf kecil, angka dan «_», diawali "
                        "huruf%(too_long)s%(hint)s.",
                        "'%(value)s' is not a valid %(noun)s: use lower-case letters, digits and '_', starting with "
                        "a letter%(too_long)s%(hint)s."),
    "cycle.name_too_long": T(" dan paling banyak 63 karakter", " and at most 63 characters"),
    "cycle.key_not_name": T("Kunci «%(key)s» terbaca sebagai %(actual)s, bukan sebagai %(noun)s; beri tanda kutip "
                            "agar menjadi nama.",
                            "The key '%(key)s' is read as %(actual)s, not as a %(noun)s; quote it to use it as a "
                            "name."),
    "cycle.bad_key_name": T("Kunci «%(key)s» bukan %(noun)s yang sah.", "The key '%(key)s' is not a valid %(noun)s."),
    "cycle.name.role_name": T("nama peran", "role name"),
    "cycle.name.state_name": T("nama tahap", "state name"),
    "cycle.name.result_name": T("nama hasil", "result name"),
    "cycle.name.trigger_name": T("nama pemicu", "trigger name"),
    "cycle.name.rule_name": T("nama aturan", "rule name"),
    "cycle.name.data_key": T("kunci data", "data key"),
    "cycle.name.id": T("id", "id"),
    "cycle.name.name": T("nama", "name"),
    "cycle.name.indicator_id": T("id indikator", "indicator id"),
    "cycle.name.feedback_window_id": T("id jendela umpan balik", "feedback window id"),
    "cycle.name.course_id": T("id pelatihan", "course id"),
    "cycle.name.question_id": T("id pertanyaan", "question id"),
    "cycle.min_roles": T("%(where)s memerlukan paling sedikit %(limit)s peran.",
                         "%(where)s needs at least %(limit)s role(s)."),
    "cycle.min_states": T("%(where)s memerlukan paling sedikit %(limit)s tahap.",
                          "%(where)s needs at least %(limit)s states."),
    "cycle.exact_items": T("%(where)s harus berisi tepat %(limit)s butir, bukan %(count)s.",
                           "%(where)s must have exactly %(limit)s items, not %(count)s."),
    "cycle.min_one_item": T("%(where)s memerlukan paling sedikit satu butir.", "%(where)s needs at least one item."),
    "cycle.empty_text": T("%(where)s tidak boleh kosong.", "%(where)s must not be empty."),
    "cycle.bad_month_day": T("%(value)s bukan hari dalam setahun: tulis BB-HH dengan dua angka masing-masing, "
                             "misalnya '06-30'.",
                             "%(value)s is not a day of the year: write it MM-DD with two digits each, e.g. '06-30'."),
    "cycle.max_length": T("%(where)s lebih dari %(limit)s karakter (%(length)s); persingkat.",
                          "%(where)s is longer than %(limit)s characters (%(length)s); shorten it."),
    "cycle.minimum": T("%(where)s harus paling sedikit %(limit)s, bukan %(value)s.",
                       "%(where)s must be at least %(limit)s, not %(value)s."),
    "cycle.maximum": T("%(where)s harus paling banyak %(limit)s, bukan %(value)s.",
                       "%(where)s must be at most %(limit)s, not %(value)s."),
    "cycle.exclusiveMinimum": T("%(where)s harus lebih dari %(limit)s, bukan %(value)s.",
                                "%(where)s must be greater than %(limit)s, not %(value)s."),
    "cycle.unique_items": T("%(where)s tidak boleh memuat butir yang sama dua kali.",
                            "%(where)s must not repeat an item."),
    "cycle.schema_other": T("%(where)s tidak sesuai dengan bahasa siklus (aturan skema «%(keyword)s»).",
                            "%(where)s does not fit the cycle language (schema keyword '%(keyword)s')."),
    "cycle.deadline_both": T("%(where)s memuat «within» dan «at» sekaligus; gunakan salah satunya.",
                             "%(where)s has both 'within' and 'at'; use one of them."),
    "cycle.deadline_needs": T("%(where)s memerlukan «within» (lama waktu sejak memasuki tahap) atau «at» (titik dalam "
                              "periode).",
                              "%(where)s needs 'within' (a time after entering the state) or 'at' (a point of the "
                              "period)."),
    "cycle.guard_both": T("%(where)s memuat %(keys)s sekaligus; satu syarat memakai salah satunya.",
                          "%(where)s has %(keys)s at once; a guard uses one of them."),
    "cycle.guard_needs": T("%(where)s memerlukan «rule» (nama aturan), «expr» (ekspresi) atau «calibration» (predikat "
                           "organisasi unit).",
                           "%(where)s needs 'rule' (a rule name), 'expr' (an expression) or 'calibration' (the unit's "
                           "organisation predicate)."),
    "cycle.alt_invalid": T("%(where)s harus berupa %(expected)s.", "%(where)s must be %(expected)s."),
    "cycle.invalid_value": T("Nilai %(where)s tidak sah.", "%(where)s is not valid."),
    "cycle.alt.text": T("teks, atau pemetaan dengan «id» (Bahasa Indonesia) dan bila perlu «en» (Inggris)",
                        "a text, or a mapping with 'id' (Bahasa Indonesia) and optionally 'en' (English)"),
    "cycle.alt.source": T("nama tahap atau daftar nama tahap", "a state name or a list of state names"),
    "cycle.alt.target": T("bilangan atau daftar dua bilangan (rentang)", "a number or a list of two numbers (a range)"),
    "cycle.alt.then": T("«remind», «escalate» atau pemetaan {fire: PEMICU}",
                        "remind, escalate or a mapping {fire: TRIGGER}"),
    "cycle.alt.guard": T("pemetaan dengan «rule», «expr» atau «calibration»",
                         "a mapping with 'rule', 'expr' or 'calibration'"),
    "cycle.alt.questions": T("«berakhlak», «ikm» atau daftar pertanyaan", "berakhlak, ikm or a list of questions"),
    "cycle.alt.input": T("jalur masukan, daftar jalur, bilangan atau «true»/«false»",
                         "an input path, a list of paths, a number or true/false"),
    "cycle.payload_schema": T("Skema payload %(where)s bukan JSON Schema yang sah: %(detail)s.",
                              "The payload schema of %(where)s is not valid JSON Schema: %(detail)s."),
    "cycle.meta.root": T("skema", "the schema"),
    "cycle.meta.type_name": T("«%(value)s» bukan tipe JSON Schema; gunakan salah satu dari %(options)s%(hint)s",
                              "'%(value)s' is not a JSON Schema type; use one of %(options)s%(hint)s"),
    "cycle.meta.type": T("%(where)s harus berupa %(expected)s, bukan %(actual)s",
                         "%(where)s must be %(expected)s, not %(actual)s"),
    "cycle.meta.minimum": T("%(where)s harus paling sedikit %(limit)s, bukan %(value)s",
                            "%(where)s must be at least %(limit)s, not %(value)s"),
    "cycle.meta.unique": T("%(where)s tidak boleh memuat butir yang sama dua kali",
                           "%(where)s must not repeat an item"),
    "cycle.meta.other": T("%(where)s tidak sesuai dengan aturan «%(keyword)s»",
                          "%(where)s does not satisfy '%(keyword)s'"),
}
