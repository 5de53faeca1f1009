"""The HR audit log: filters, unit scope, payloads, chain verification and the CSV export."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.models import Appraisal, AuditEvent
from engine.public_feedback import submit_public_feedback
from engine.runs import find_unit, launch
from engine.tokens import create_own_token, create_token
from tests.support.states import SKP, drive


@pytest.fixture
def history(session, org, run, national, appraisal_of):
    """Ani's appraisal driven to 'rate' with a comment in a payload; Budi's plan submitted; and in the
    other agency (LAIN) Doni's plan submitted by his own HR's launch."""
    drive(session, org, appraisal_of("ani").id, "ani", "rate")
    budi = appraisal_of("budi")
    set_skp(session, budi.id, org.actor("budi"), SKP)
    fire_transition(session, budi.id, "submit_plan", org.actor("budi"))
    other = launch(session, national, find_unit(session, "LAIN"), "2026", org.actor("hr_lain"))
    doni = session.scalars(select(Appraisal).where(Appraisal.run_id == other.id)).one()
    set_skp(session, doni.id, org.actor("doni"), SKP)
    fire_transition(session, doni.id, "submit_plan", org.actor("doni"))
    session.commit()
    return {"ani": appraisal_of("ani"), "budi": budi, "doni": doni}


def _events_section(page: str) -> str:
    return page.split('id="peristiwa"', 1)[1]


def test_unit_hr_sees_their_units_events_and_never_another_units(login, history):
    page = login("hr").get("/sdm/audit").get_data(as_text=True)
    events = _events_section(page)
    assert "Ani Lestari" in events and "Budi Santoso" in events
    assert "Doni Harahap" not in page
    assert "Rantai utuh" in page

    other = login("hr_lain").get("/sdm/audit").get_data(as_text=True)
    assert "Doni Harahap" in _events_section(other)
    assert "Ani Lestari" not in other and "Budi Santoso" not in other


def test_a_unit_outside_scope_cannot_be_asked_for(login, org, history):
    page = login("hr").get(f"/sdm/audit?unit={org.other.id}").get_data(as_text=True)
    assert "Unit itu tidak termasuk unit yang Anda kelola." in page
    assert "Doni Harahap" not in page


def test_someone_without_an_hr_grant_is_refused(login, history):
    assert login("ani").get("/sdm/audit").status_code == 403
    assert login("ani").get("/sdm/audit/ekspor.csv").status_code == 403


def test_filters_narrow_the_list(login, org, history):
    client = login("hr")
    by_employee = _events_section(client.get(f"/sdm/audit?pegawai={org.people['budi'].nip}").get_data(as_text=True))
    assert "Budi Santoso" in by_employee and "Ani Lestari" not in by_employee

    by_name = _events_section(client.get("/sdm/audit?pegawai=lestari").get_data(as_text=True))
    assert "Ani Lestari" in by_name and "Budi Santoso" not in by_name

    by_trigger = _events_section(client.get("/sdm/audit?pemicu=approve_plan").get_data(as_text=True))
    assert by_trigger.count('<li class="event') == 1 and "approve_plan" in by_trigger

    by_actor = _events_section(client.get("/sdm/audit?pelaku=kabid&jenis=transition").get_data(as_text=True))
    # kabid approved ani's plan and closed her monitoring; nobody else's transitions are listed.
    assert by_actor.count('<li class="event') == 2
    assert "Budi Santoso" not in by_actor

    by_kind = _events_section(client.get("/sdm/audit?jenis=launch").get_data(as_text=True))
    assert by_kind.count('<li class="event') == 1 and "Peluncuran siklus" in by_kind


def test_date_range_is_read_in_local_time(login, session, history):
    client = login("hr")
    # An event at 23.30 WIB on 1 March is 16.30 UTC; it belongs to 1 March, not the 2nd.
    late = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    first = session.scalars(select(AuditEvent).where(AuditEvent.trigger == "approve_plan")).one()
    session.execute(update(AuditEvent).where(AuditEvent.id == first.id).values(occurred_at=late))
    session.commit()
    same_day = _events_section(client.get("/sdm/audit?dari=2026-03-01&sampai=2026-03-01").get_data(as_text=True))
    assert same_day.count('<li class="event') == 1 and "approve_plan" in same_day
    next_day = _events_section(client.get("/sdm/audit?dari=2026-03-02&sampai=2026-03-02").get_data(as_text=True))
    assert "approve_plan" not in next_day

    wrong = client.get("/sdm/audit?dari=1-3-2026").get_data(as_text=True)
    assert "Tanggal tidak dikenali: 1-3-2026" in wrong


def test_payload_and_results_are_shown_escaped(login, session, org, history):
    appraisal = history["ani"]
    fire_transition(session, appraisal.id, "rate", org.actor("kabid"), {
        "perilaku": {v: "Sesuai Ekspektasi" for v in
                     ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif",
                      "kolaboratif"]},
        "catatan": "<script>alert(1)</script> kerja baik",
    })
    page = login("hr").get("/sdm/audit?pemicu=rate").get_data(as_text=True)
    events = _events_section(page)
    assert "<details>" in events and "Isian (payload)" in events and "Hasil yang dihitung" in events
    assert "perilaku.akuntabel" in events and "Sesuai Ekspektasi" in events
    assert "&lt;script&gt;alert(1)&lt;/script&gt; kerja baik" in events
    assert "<script>" not in page
    assert "review" in events and "rate" in events  # from -> to


def test_tampering_with_an_event_shows_the_broken_link(login, session, history):
    client = login("hr")
    target = session.scalars(select(AuditEvent).where(AuditEvent.trigger == "approve_plan")).one()
    session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(payload={"komentar": "diubah"}))
    session.commit()
    page = client.get("/sdm/audit").get_data(as_text=True)
    assert "Rantai rusak" in page
    # The problem is said in the page's language, naming the event.
    assert f"peristiwa #{target.id}" in page and "diubah setelah dicatat" in page
    assert "edited after the fact" not in page
    assert f'class="event event-broken" id="peristiwa-{target.id}"' in page
    # Said as an HR officer reads it (not "the first broken link"), with whom to tell.
    assert "Masalah pertama yang ditemukan: " in page and "Laporkan kepada admin Siklus" in page
    assert "Masalah pertama yang ditemukan ada pada peristiwa ini." in page

    verified = client.post("/sdm/audit/verifikasi", data={"next": "/sdm/audit?pegawai=budi"}, follow_redirects=True)
    text = verified.get_data(as_text=True)
    assert "Masalah pertama yang ditemukan" in text and f"peristiwa #{target.id}" in text
    assert "Laporkan kepada admin Siklus, yang dapat menampilkan setiap masalah dengan perintah siklus audit " \
        "verify." in text

    client.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    english = client.get("/sdm/audit").get_data(as_text=True)
    assert f"event #{target.id}" in english and "edited after the fact" in english
    assert "diubah setelah dicatat" not in english
    assert "The first problem found: " in english and "The first problem found is in this event." in english
    assert "Report it to the Siklus administrator" in english and "broken link" not in english


def test_verifying_everything_reports_an_intact_log_and_returns_to_the_filtered_page(login, history):
    response = login("hr").post("/sdm/audit/verifikasi", data={"next": "/sdm/audit?pegawai=budi"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sdm/audit?pegawai=budi")
    text = login("hr").post("/sdm/audit/verifikasi", data={"next": "https://example.com/"},
                            follow_redirects=True).get_data(as_text=True)
    assert "Rantai utuh:" in text and "Log audit" in text


def test_a_break_in_another_units_chain_is_not_reported_to_a_unit_hr(login, session, history):
    doni = history["doni"]
    session.execute(update(AuditEvent).where(AuditEvent.appraisal_id == doni.id).values(payload={"x": 1}))
    session.commit()
    mine = login("hr").post("/sdm/audit/verifikasi", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Rantai utuh:" in mine
    # A unit's HR is told what their check left to a verification of every unit, not only "intact".
    assert "Yang diperiksa: rantai unit Anda, serta jawaban survei dan pengaduan masyarakat tentang unit Anda. " \
        "Struktur organisasi, cara masuk akun, dan jawaban survei dari sebelum" in mine
    everything = login("admin").post("/sdm/audit/verifikasi", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Masalah pertama yang ditemukan" in everything and "Yang diperiksa" not in everything  # the whole log
    theirs = login("hr_lain").post("/sdm/audit/verifikasi", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Masalah pertama yang ditemukan" in theirs


def test_pages_go_back_in_time_without_repeating(login, session, org, history, monkeypatch):
    monkeypatch.setattr("web.hr.audit.PAGE_SIZE", 3)
    client = login("hr")
    seen: list[str] = []
    url = "/sdm/audit?pegawai=ani"
    while url:
        page = client.get(url).get_data(as_text=True)
        section = _events_section(page)
        seen += [part.split('"', 1)[0] for part in section.split('id="peristiwa-')[1:]]
        marker = 'rel="next"'
        if marker in section:
            href = section.split(marker)[0].rsplit('href="', 1)[1].split('"', 1)[0]
            url = href.replace("&amp;", "&")
            assert "pegawai=ani" in url
        else:
            url = ""
    expected = session.scalars(select(AuditEvent.id).where(AuditEvent.employee_id == org.people["ani"].id)
                               .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())).all()
    assert [int(i) for i in seen] == expected and len(expected) > 3


def test_csv_export_has_the_header_and_the_filtered_rows(login, org, history):
    response = login("hr").get(f"/sdm/audit/ekspor.csv?pegawai={org.people['budi'].nip}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["waktu_lokal", "id", "rantai", "urutan", "jenis", "pemicu"]
    body = rows[1:]
    assert body and {r[10] for r in body} == {"Budi Santoso"}
    assert [r[5] for r in body if r[4] == "transition"] == ["submit_plan"]
    skp = next(r for r in body if r[4] == "skp")
    assert json.loads(skp[14])  # the payload as JSON


def test_csv_export_keeps_to_the_unit_scope(login, history):
    text = login("hr_lain").get("/sdm/audit/ekspor.csv").get_data(as_text=True)
    assert "Doni Harahap" in text and "Ani Lestari" not in text and "Budi Santoso" not in text


def test_csv_cells_that_look_like_formulas_are_quoted(login, session, org, history):
    fire_transition(session, history["budi"].id, "approve_plan", org.actor("kabid"), {})
    session.execute(update(AuditEvent).where(AuditEvent.trigger == "approve_plan",
                                             AuditEvent.employee_id == org.people["budi"].id)
                    .values(actor_name="=HYPERLINK(\"x\")"))
    session.commit()
    text = login("hr").get("/sdm/audit/ekspor.csv?pemicu=approve_plan").get_data(as_text=True)
    assert "'=HYPERLINK" in text


def test_the_log_speaks_english_when_asked(login, history):
    client = login("hr")
    client.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    page = client.get("/sdm/audit?jenis=launch").get_data(as_text=True)
    assert "Audit log" in page and "Chain intact" in page and "Cycle launched" in page


def test_a_forged_result_row_is_named_by_the_whole_check(login, session, history):
    ani = history["ani"]
    session.execute(update(Appraisal).where(Appraisal.id == ani.id).values(state="closed"))
    session.commit()
    client = login("hr")
    text = client.post("/sdm/audit/verifikasi", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Rantai rusak" in text
    # Each state by its label in the cycle (the log keeps the keys: state is 'closed' but the chain says 'rate').
    assert (f"penilaian #{ani.id}: tahapnya &#39;Selesai&#39;, tetapi menurut rantai &#39;Penilaian oleh pejabat "
            "penilai&#39;") in text

    client.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    english = client.post("/sdm/audit/verifikasi", data={}, follow_redirects=True).get_data(as_text=True)
    assert f"appraisal #{ani.id}: state is &#39;Closed&#39; but the chain says &#39;Rating by the rater&#39;" in english


def test_hr_checks_the_hash_printed_on_a_document(login, session, history):
    ani = history["ani"]
    session.refresh(ani)
    client = login("hr")

    def check(appraisal_id, head) -> str:
        return client.post("/sdm/audit/periksa-dokumen", data={"penilaian": str(appraisal_id), "hash": head},
                           follow_redirects=True).get_data(as_text=True)

    assert f"Dokumen sesuai dengan penilaian #{ani.id} sebagaimana adanya sekarang" in check(ani.id, ani.audit_head)
    earlier = session.scalars(select(AuditEvent.hash).where(AuditEvent.appraisal_id == ani.id,
                                                            AuditEvent.seq == 2)).one()
    assert "pada urutan 2; sesudahnya tercatat" in check(ani.id, earlier[:20])
    assert "tidak ada dalam rantai audit" in check(ani.id, "ab" * 32)
    assert "16 sampai 64 karakter" in check(ani.id, "Baik")
    # Another agency's appraisal is not theirs to check.
    assert f"Tidak ada penilaian #{history['doni'].id} di unit Anda." in check(history["doni"].id, "ab" * 32)
    # Nothing typed in the number: say what to type, not that appraisal "#" is not in the unit.
    assert "Tuliskan nomor penilaian yang tercetak pada dokumen" in check("", ani.audit_head)
    assert "Tuliskan nomor penilaian yang tercetak pada dokumen" in check("  #", ani.audit_head)


def _event_of(events: str, trigger: str) -> str:
    """The list item of the (one) event fired with ``trigger``."""
    return next(item for item in events.split('<li class="event')[1:] if f"<code>{trigger}</code>" in item)


def test_states_triggers_and_roles_are_named_by_the_cycles_labels_with_the_key_beside(login, history):
    events = _events_section(login("hr").get("/sdm/audit?pemicu=approve_plan").get_data(as_text=True))
    approved = _event_of(events, "approve_plan")
    assert 'Setujui SKP <small class="key"><code>approve_plan</code></small>' in approved
    assert 'Pejabat Penilai Kinerja <small class="key"><code>penilai</code></small>' in approved
    assert ('Persetujuan SKP <small class="key"><code>plan_review</code></small> → '
            'Pelaksanaan dan pemantauan <small class="key"><code>monitor</code></small>') in approved


def test_the_labels_follow_the_pages_language(login, history):
    client = login("hr")
    client.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    approved = _event_of(_events_section(client.get("/sdm/audit?pemicu=approve_plan").get_data(as_text=True)),
                         "approve_plan")
    assert "Approve the SKP" in approved and "Rater (direct supervisor)" in approved
    assert "SKP awaiting approval" in approved and "Monitoring" in approved
    assert "Setujui SKP" not in approved and "Persetujuan SKP" not in approved


def test_hrs_own_steps_name_hr_and_events_of_no_appraisal_show_their_keys(login, history):
    client = login("hr")
    launched = _events_section(client.get("/sdm/audit?jenis=launch").get_data(as_text=True))
    assert 'SDM <small class="key"><code>sdm</code></small>' in launched
    client.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    launched = _events_section(client.get("/sdm/audit?jenis=launch").get_data(as_text=True))
    assert 'HR <small class="key"><code>sdm</code></small>' in launched


def test_the_trigger_is_still_searched_by_its_key(login, history):
    events = _events_section(login("hr").get("/sdm/audit?pemicu=submit_plan").get_data(as_text=True))
    assert events.count('<li class="event') == 2  # ani's and budi's; doni's is another agency's
    assert events.count('Ajukan SKP <small class="key"><code>submit_plan</code></small>') == 2
    assert "Ani Lestari" in events and "Budi Santoso" in events


def test_naming_the_events_reads_no_definition_once_its_version_was_seen(app, login, history):
    from tests.web.test_reports_statements import statements

    client = login("hr")
    client.get("/sdm/audit")
    with statements(app) as seen:
        page = client.get("/sdm/audit").get_data(as_text=True)
    assert "Setujui SKP" in page
    assert not [s for s in seen if "cycle_definition.source" in s]


def _exported(client, query: str = "") -> list[dict[str, str]]:
    raw = client.get(f"/sdm/audit/ekspor.csv{query}").get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw), delimiter=";"))


def test_the_csv_names_states_triggers_and_roles_by_their_labels_after_the_keys(login, history):
    client = login("hr")
    rows = _exported(client, "?pemicu=approve_plan")
    approved = next(r for r in rows if r["pemicu"] == "approve_plan")
    assert (approved["label_pemicu"], approved["label_peran"]) == ("Setujui SKP", "Pejabat Penilai Kinerja")
    assert approved["label_dari_tahap"] == "Persetujuan SKP"
    assert approved["label_ke_tahap"] == "Pelaksanaan dan pemantauan"
    assert approved["label_jenis"] == "Perpindahan tahap"
    assert list(approved)[:6] == ["waktu_lokal", "id", "rantai", "urutan", "jenis", "pemicu"]  # the keys stay first
    launched = next(r for r in _exported(client, "?jenis=launch"))
    assert (launched["peran"], launched["label_peran"], launched["label_ke_tahap"]) == ("sdm", "SDM", "")


def test_the_csv_labels_follow_the_pages_language(login, history):
    client = login("hr")
    client.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    approved = next(r for r in _exported(client, "?pemicu=approve_plan") if r["pemicu"] == "approve_plan")
    assert (approved["label_pemicu"], approved["label_peran"]) == ("Approve the SKP", "Rater (direct supervisor)")
    assert (approved["label_dari_tahap"], approved["label_ke_tahap"]) == ("SKP awaiting approval", "Monitoring")


def test_the_csv_reads_each_cycle_version_once_not_per_event(app, login, session, org, history):
    """More events cost no more statements: the labels come from the definitions, read once per version."""
    from tests.web.test_reports_statements import statements

    client = login("hr")
    _exported(client)
    with statements(app) as few:
        before = len(_exported(client))
    fire_transition(session, history["budi"].id, "approve_plan", org.actor("kabid"), {})
    for value in (40, 60, 80):
        record_realisation(session, history["budi"].id, org.actor("budi"), "iki_1", value)
    with statements(app) as more:
        after = len(_exported(client))
    assert after > before + 3
    assert len(more) == len(few)
    assert not [s for s in more if "cycle_definition.source" in s]


def _event_of_kind(events: str, kind_label: str) -> str:
    """The list item of the (first) event whose kind reads ``kind_label``."""
    return next(item for item in events.split('<li class="event')[1:] if f'class="badge">{kind_label}<' in item)


def _actor(item: str) -> str:
    """What the event says of who acted, tags and spacing taken out."""
    acted = item.split("</dt>", 1)[1].split("</dd>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", acted).split())


@pytest.fixture
def public_and_tokens(session, org, history):
    """A public survey answer, the HR officer's own API token (an account that is no employee's) and one HR made
    for Ani."""
    submit_public_feedback(session, org.bidang.public_slug, {f"U{i}": 3 for i in range(1, 10)}, "Loket tutup.",
                           "hp-1", now=datetime(2026, 3, 2, 3, tzinfo=UTC))
    create_own_token(session, org.actor("hr"), "skrip", days=90, now=datetime(2026, 3, 2, 3, tzinfo=UTC))
    create_token(session, org.actor("hr"), org.users["ani"], "ani-skrip", days=30,
                 now=datetime(2026, 3, 2, 3, tzinfo=UTC))
    session.commit()


def test_the_public_hr_and_token_owners_are_named_once_and_plainly_in_both_languages(login, public_and_tokens):
    client = login("admin")
    for lang, public, own, hr, kinds in (
            ("id", "Masyarakat", "Pengelola Kinerja (hr) sebagai pemilik akun pegawai",
             "Pengelola Kinerja (hr) sebagai SDM sdm",
             ("Jawaban survei masyarakat diterima", "Token API dibuat", "Akun pemilik token")),
            ("en", "The public", "Pengelola Kinerja (hr) as the account&#39;s owner pegawai",
             "Pengelola Kinerja (hr) as HR sdm",
             ("Public survey answer received", "API token created", "Account the token belongs to"))):
        client.post("/bahasa", data={"lang": lang, "next": "/sdm/audit"})
        events = _events_section(client.get("/sdm/audit").get_data(as_text=True))
        # An answer of the public: acted on by the public, said once (it read "masyarakat as masyarakat").
        answered = _event_of_kind(events, kinds[0])
        assert _actor(answered) == public
        # A token the HR officer made for their own account, which is no employee's: not "as employee", and whose
        # account it is by its user name.
        tokens = [item for item in events.split('<li class="event')[1:] if f'class="badge">{kinds[1]}<' in item]
        mine = next(item for item in tokens if "skrip</code>" in item and "ani-skrip" not in item)
        assert _actor(mine) == own
        assert f"<dt>{kinds[2]}</dt><dd>hr</dd>" in mine
        # One HR made for Ani: as HR, for Ani's account.
        anis = next(item for item in tokens if "ani-skrip" in item)
        assert _actor(anis) == hr and f"<dt>{kinds[2]}</dt><dd>ani</dd>" in anis


def test_a_tokens_expiry_is_shown_in_local_time_as_every_moment_of_the_page(login, public_and_tokens):
    client = login("admin")
    events = _events_section(client.get("/sdm/audit?jenis=token_create").get_data(as_text=True))
    mine = next(item for item in events.split('<li class="event')[1:] if "ani-skrip" not in item)
    # 90 days after 2 Mar 2026 03.00 UTC: 31 May, 10.00 in Jakarta; the JSON beside keeps what was recorded.
    assert "<dt><code>expires_at</code></dt><dd><code>31 Mei 2026, 10.00 WIB</code></dd>" in mine
    assert "2026-05-31T03:00:00+00:00" in mine.split('<pre class="json">', 1)[1]
    client.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    events = _events_section(client.get("/sdm/audit?jenis=token_create").get_data(as_text=True))
    assert "<dd><code>31 May 2026, 10.00 WIB</code></dd>" in events


def test_every_kind_of_event_reads_as_words_on_the_page():
    """The audit reference lists every kind of event Siklus records; the page names each in words (in both
    languages), never as its key."""
    import re
    from pathlib import Path

    from web.hr.audit import KINDS

    row = next(line for line in (Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text(
        encoding="utf-8").splitlines() if line.startswith("| `jenis`"))
    assert set(re.findall(r"`([a-z_]+)`", row)) - {"jenis"} == set(KINDS)
    assert all(str(label) != kind for kind, label in KINDS.items())


def test_the_system_acting_at_setup_is_named_once(login, session, org):
    """A setup script records the chart as the system; the page says "Sistem", not "Sistem sebagai SDM sdm"."""
    page = login("admin").get("/sdm/audit?jenis=chart_seed").get_data(as_text=True)
    assert "Struktur organisasi dicatat saat penyiapan" in page
    actor = page.split("<dt>Pelaku</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Sistem" in actor and "sebagai" not in actor, actor


def test_a_long_verification_goes_to_the_worker_and_its_page_says_what_it_found(
        app, login, session, history, monkeypatch):
    """Above the threshold, the audit page's check is a job: the request answers at once with its page, the worker
    walks the officer's chains, and the page then says what the inline check would have said, findings included,
    in the reader's language. Another officer cannot open it."""
    from engine.jobs.worker import work_round

    monkeypatch.setitem(app.config, "SIKLUS_VERIFY_INLINE_MAX", 5)
    client = login("hr")
    response = client.post("/sdm/audit/verifikasi", data={})
    assert response.status_code == 303 and response.headers["Location"].startswith("/pekerjaan/")
    page_url = response.headers["Location"]
    waiting = client.get(page_url).get_data(as_text=True)
    assert "Verifikasi rantai audit" in waiting and "Menunggu giliran dikerjakan." in waiting
    assert "diperiksa di latar belakang" in waiting
    work_round(session)
    done = client.get(page_url).get_data(as_text=True)
    assert "Rantai utuh:" in done and "Yang diperiksa: rantai unit Anda" in done
    assert login("hr_lain").get(page_url).status_code == 404

    # Ani's chain broken in the database: the job names it, and the finding reads as the page's language.
    ani = history["ani"]
    session.execute(update(AuditEvent).where(AuditEvent.appraisal_id == ani.id, AuditEvent.seq == 2)
                    .values(payload={"x": 1}))
    session.commit()
    client = login("hr")
    page_url = client.post("/sdm/audit/verifikasi", data={}).headers["Location"]
    work_round(session)
    broken = client.get(page_url).get_data(as_text=True)
    assert "Rantai rusak: 1 masalah ditemukan" in broken and "Masalah yang ditemukan" in broken
    assert "isinya tidak lagi cocok dengan hash-nya (diubah setelah dicatat)" in broken
    client.post("/bahasa", data={"lang": "en", "next": page_url})
    english = client.get(page_url).get_data(as_text=True)
    assert "Chain broken: 1 problem(s) found" in english and "edited after the fact" in english


def test_how_many_events_a_verification_walks_is_counted_up_to_a_cap(session, org, history):
    from engine.jobs.verify import events_to_walk
    from engine.policy import HrScope

    every = HrScope(True, ())
    total = session.scalar(select(func.count()).select_from(AuditEvent))
    assert events_to_walk(session, every, 10_000) == total
    assert events_to_walk(session, every, 3) == 4
    mine = HrScope(False, (org.dinas.id, org.bidang.id))
    theirs = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.appraisal_id == history["doni"].id))
    assert events_to_walk(session, mine, 10_000) == total - theirs


def test_a_second_click_on_a_long_verification_opens_the_one_already_waiting(app, login, session, history,
                                                                            monkeypatch):
    """Each click queued another walk of every chain in scope (minutes on a national log), and the worker took
    them one after another ahead of everyone's bulk actions and launches."""
    from engine.job_models import Job
    from engine.jobs.verify import VERIFY_KIND
    from engine.jobs.worker import work_round

    monkeypatch.setitem(app.config, "SIKLUS_VERIFY_INLINE_MAX", 5)
    client = login("hr")
    first = client.post("/sdm/audit/verifikasi", data={}).headers["Location"]
    assert client.post("/sdm/audit/verifikasi", data={}).headers["Location"] == first
    others = login("admin").post("/sdm/audit/verifikasi", data={}).headers["Location"]
    assert others != first  # another officer's check walks their own scope
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Job).where(Job.kind == VERIFY_KIND)) == 2
    work_round(session)
    work_round(session)
    assert login("hr").post("/sdm/audit/verifikasi", data={}).headers["Location"] != first  # a finished one is done
