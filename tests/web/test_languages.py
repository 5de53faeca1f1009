"""Every screen of every role reads in one language: an Indonesian page holds no English sentence and an
English page no Indonesian one, and neither shows a raw key of the cycle (``iki_1``, ``approve_plan``,
``period_end``) where the cycle gives a label.

The walk opens every GET route registered in the app at test time (the same enumeration as
test_every_route.py), so screens added later are walked too, for each kind of person, with appraisals
in several states so history, results and appeals have something to show. A page's visible text is
read (text nodes, titles, labels, placeholders, option texts); what people typed (names, units, SKP
texts, comments) is removed first, since it is never translated. Text inside ``<code>``, ``<pre>`` and
``<kbd>`` is for cycle authors (keys of the cycle file) and is not read.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine.models import utcnow
from engine.notifications import dispatch
from engine.runs import find_unit, launch
from engine.validation import load_definition
from tests.support.factories import national_source
from tests.support.states import SKP, drive
from tests.web.test_every_route import fill, get_routes

# A part of a route no value below names: an id no row has (the page answers 404, in its language).
_OTHER_PART = re.compile(r"<(?:[a-z]+:)?[a-z_]+>")

PEOPLE = ["ani", "budi", "kabid", "kadis", "hr", "hr_lain", "admin", "doni"]

# Words that are English and never Bahasa Indonesia (nor a term the regulation keeps): one on an
# Indonesian page is a sentence, or a key, that escaped translation.
_ENGLISH_WORDS = """
the and of is are was were been must may cannot not only with without for from this that these those which
who what when where will would should has have had your you please nothing every whole government weights
given waiting here there than into by on at its an or if any some none unknown missing invalid required
allowed submit save cancel back next previous page sign user appraisal appraisals rater reviewer employee
employees report reports notifications notification home deadline due overdue days day left approve approved
reject return returned develop closed draft plan planning monitoring review appeal decision decided rate
rated confirm confirmed open opened settings language results result state states trigger step steps
indicator indicators weight targets value values achievement behaviour behavior work score scores because
about after before until since between during also still yet already more less
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())

# Words that are Bahasa Indonesia and never English: one on an English page escaped translation. Terms
# the regulation keeps in English texts (SKP, IKI, RHK, predikat, BerAKHLAK...) are not listed.
_INDONESIAN_WORDS = """
yang dan atau tidak belum sudah untuk dengan dari pada ini itu akan dapat harus oleh menunggu diisi silakan
tahap penilaian pegawai atasan hasil kerja perilaku masuk keluar simpan kirim batal kembali beranda laporan
tenggat hari lagi terlambat di ke bagi sebagai adalah semua setiap tanpa karena setelah sebelum sampai belum
baru lihat ubah hapus tambah unduh unggah pilih isi nilai target bobot realisasi penilai pejabat ajukan
setujui kembalikan tetapkan selesai berakhir menunggu tindakan riwayat catatan komentar alasan
"""
INDONESIAN = frozenset(_INDONESIAN_WORDS.split()) - {"target"}

# Names that stay Indonesian in English text: terms of the regulation glossed once, the regulation's
# rating labels (the rules write them exactly, see docs/rules.md), and the column headers of the
# organisation file (the file is read by these names whatever the page's language).
KEPT_TERMS = ("matriks peran hasil", "Di Atas Ekspektasi", "Di Bawah Ekspektasi", "Kode Unit Induk", "Kode Unit",
              "Nama Unit", "NIP Atasan", "Nama", "Jabatan", "Jenjang")

IGNORED_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "svg"}
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


class VisibleText(HTMLParser):
    """The text a person reads on a page (and hears from a screen reader), outside code blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in IGNORED_TAGS:
            self._skip += 1
        values = dict(attrs)
        self.parts.extend(str(v) for k, v in attrs if k in READ_ATTRIBUTES and v)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in IGNORED_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())


def leaks(text: str, catalogue: frozenset[str]) -> list[str]:
    """Each catalogue word in ``text``, with the words around it to find it on the page."""
    found = []
    tokens = text.split()
    for i, token in enumerate(tokens):
        if any(w in catalogue for w in words(token)):
            found.append(" ".join(tokens[max(0, i - 4):i + 5]))
    return found


def raw_keys(text: str, keys: set[str]) -> list[str]:
    """Each key of the cycle in ``text``, with the words around it."""
    tokens = text.split()
    return [" ".join(tokens[max(0, i - 4):i + 5]) for i, token in enumerate(tokens)
            if any(w in keys for w in re.findall(r"\w+", token))]


@pytest.fixture
def walked(request, session, org, logins, national, appraisal_of, run):
    """Appraisals in several states: ani's closed (the whole history), budi's under review, kabid's SKP
    submitted, kadis's in planning; a second run for the other unit; and the notices all of it sent.

    Everyone's profile names the other language, the one the notices were written for: a notice is
    rendered in the language its reader reads now, so a stored sentence would show as a leak."""
    for user in org.users.values():
        user.locale = "en" if request.param == "id" else "id"
    session.commit()
    drive(session, org, appraisal_of("ani").id, "ani", "closed")
    drive(session, org, appraisal_of("budi").id, "budi", "review")
    drive(session, org, appraisal_of("kabid").id, "kabid", "plan_review", rater="kadis", reviewer="sekda")
    launch(session, national, find_unit(session, "LAIN"), "2026", org.actor("admin"))
    assert dispatch(session, now=utcnow() + timedelta(minutes=5)).created
    return run


def typed_texts(org) -> list[str]:
    """What people typed or the organisation holds: shown as written, in no particular language."""
    texts = [u.display_name for u in org.users.values()] + [e.name for e in org.people.values()]
    texts += [e.position for e in org.people.values()] + [i["label"] for i in SKP]
    texts += [org.root.name, org.dinas.name, org.other.name, org.bidang.name]
    texts += ["Realisasi belum lengkap dihitung.", "Rating sudah sesuai bukti."]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def cycle_keys() -> set[str]:
    """Keys of the national cycle that have labels and could only be a leak on a page: those a word
    cannot be (with an underscore or a digit), and the deadline kinds."""
    defn = load_definition(national_source())
    keys = set(defn.states) | {t.trigger for t in defn.transitions} | set(defn.results)
    keys |= {i.id for i in defn.indicators} | {i["key"] for i in SKP} | set(defn.roles)
    keys |= {s.deadline.at for s in defn.states.values() if s.deadline is not None and s.deadline.at}
    keys |= {"period_end", "period_start", "iki_1", "iki_2"}
    return {k for k in keys if k and re.search(r"[_\d]", k)}


def pages(app, client, login, org, national, appraisal_of, run, lang):
    values = {
        "appraisal_id": appraisal_of("ani").id, "realisation_id": 999999, "window_id": "umpan_balik_penilai",
        "record_id": national.id, "definition_id": national.id, "cycle_id": national.cycle_id, "run_id": run.id,
        "user_id": org.users["ani"].id, "slug": org.dinas.public_slug, "report": "predikat", "fmt": "csv",
        "notification_id": 999999, "decision_id": 999999, "unit_id": org.bidang.id, "entry_id": 999999,
    }
    routes = [r for r in get_routes(app) if not r.startswith(("/api/", "/static"))]
    others = {appraisal_of(p).id for p in ("budi", "kabid")}
    for person in [None, *PEOPLE]:
        if person is None:
            client.post("/keluar")
        else:
            login(person)
        with client.session_transaction() as state:
            state["lang"] = lang
        client.get("/masuk")  # shows (and so drops) what was flashed before the language was chosen
        paths = [fill(_OTHER_PART.sub("999999", fill_known(rule, values)), {}) for rule in routes]
        paths += [f"/penilaian/{i}" for i in others]
        for path in paths:
            response = client.get(path)
            if response.mimetype != "text/html" or 300 <= response.status_code < 400:
                continue
            yield person, path, response.get_data(as_text=True)


def fill_known(rule: str, values: dict[str, object]) -> str:
    for name, value in values.items():
        rule = rule.replace(f"<id:{name}>", str(value)).replace(f"<{name}>", str(value))
    return rule


def _walk(app, client, login, org, national, appraisal_of, run, lang, catalogue):
    typed = typed_texts(org)
    keys = cycle_keys()
    found: dict[str, set[str]] = {}
    seen = 0
    for person, path, html in pages(app, client, login, org, national, appraisal_of, run, lang):
        seen += 1
        assert f'<html lang="{lang}"' in html, f"{person} {path}: not a {lang} page"
        text = visible_text(html)
        for written in typed:
            text = text.replace(written, " ")
        for term in KEPT_TERMS if lang == "en" else ():
            text = re.sub(re.escape(term), " ", text, flags=re.IGNORECASE)
        for leak in leaks(text, catalogue):
            found.setdefault(path, set()).add(f"{person}: …{leak}…")
        for key in raw_keys(text, keys):
            found.setdefault(path, set()).add(f"{person}: raw key in …{key}…")
    assert seen > 100
    if os.environ.get("SIKLUS_WALK_REPORT"):  # the whole list, to fix leaks in one go
        Path(os.environ["SIKLUS_WALK_REPORT"]).write_text(_report(found, every=True), encoding="utf-8")
    return found


def _report(found: dict[str, set[str]], every: bool = False) -> str:
    return "\n".join(f"{path}:\n  " + "\n  ".join(sorted(lines)[:None if every else 6])
                     for path, lines in sorted(found.items()))


@pytest.mark.parametrize("walked", ["id"], indirect=True)
def test_every_indonesian_screen_of_every_role_has_no_english_and_no_raw_keys(app, client, login, org, national,
                                                                               appraisal_of, walked):
    found = _walk(app, client, login, org, national, appraisal_of, walked, "id", ENGLISH)
    assert found == {}, "English or raw keys on Indonesian pages:\n" + _report(found)


@pytest.mark.parametrize("walked", ["en"], indirect=True)
def test_every_english_screen_of_every_role_has_no_indonesian_and_no_raw_keys(app, client, login, org, national,
                                                                              appraisal_of, walked):
    found = _walk(app, client, login, org, national, appraisal_of, walked, "en", INDONESIAN)
    assert found == {}, "Indonesian or raw keys on English pages:\n" + _report(found)


def test_the_catalogues_tell_the_languages_apart():
    assert leaks("Bobot IKI harus diisi semua dan berjumlah 100.", ENGLISH) == []
    assert leaks("IKI weights must all be given and total 100.", INDONESIAN) == []
    assert leaks("Anda tidak berwenang (only penilai may fire approve_plan)", ENGLISH) != []
    assert leaks("Pengelola kinerja SDM for the whole government", ENGLISH) != []
    assert raw_keys("Riwayat: iki_1 diubah", {"iki_1"}) == ["Riwayat: iki_1 diubah"]
