"""The audit log page at scale: it walks the system chain from the oldest system event it shows, not the whole
chain (which grows with every public answer), and shows a long payload in part."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from engine.audit import SYSTEM_STREAM
from engine.models import AuditEvent
from engine.public_feedback import submit_public_feedback
from web.hr.audit import SHOWN_VALUES, pruned, shown


@pytest.fixture
def answers(session, org):
    """Six public answers about the unit: the six newest events, in the system chain."""
    for i in range(6):
        submit_public_feedback(session, org.bidang.public_slug, {f"U{q}": 3 for q in range(1, 10)}, f"Jawaban {i}.",
                               f"hp-{i}", now=datetime.now(UTC) + timedelta(minutes=i))
    session.commit()


def _system(session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.stream == SYSTEM_STREAM)
                                .order_by(AuditEvent.seq)))


def _tamper(session, event: AuditEvent) -> None:
    session.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(actor_name="Orang Lain"))
    session.commit()


def test_the_page_walks_the_system_chain_from_the_oldest_system_event_it_shows(login, session, answers, monkeypatch):
    monkeypatch.setattr("web.hr.audit.PAGE_SIZE", 3)
    system = _system(session)
    oldest_shown = system[-3]
    assert oldest_shown.seq > 2
    page = login("admin").get("/sdm/audit").get_data(as_text=True)
    assert "Rantai utuh" in page
    assert (f"Rantai sistem diperiksa dari peristiwa urutan {oldest_shown.seq} (yang tertua di halaman ini) sampai "
            "ujungnya") in page

    # An event before the anchor is the whole check's to find (the page says what it walked); the whole check does.
    _tamper(session, system[0])
    assert "Rantai utuh" in login("admin").get("/sdm/audit").get_data(as_text=True)
    whole = login("admin").post("/sdm/audit/verifikasi", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Masalah pertama yang ditemukan" in whole and f"peristiwa #{system[0].id}" in whole


@pytest.mark.parametrize("which", ["shown", "anchor"])
def test_an_edit_to_a_shown_system_event_or_the_one_before_it_breaks_the_page(login, session, answers, monkeypatch,
                                                                            which):
    monkeypatch.setattr("web.hr.audit.PAGE_SIZE", 3)
    system = _system(session)
    target = system[-2] if which == "shown" else system[-4]
    _tamper(session, target)
    page = login("admin").get("/sdm/audit").get_data(as_text=True)
    assert "Rantai rusak" in page and f"peristiwa #{target.id}" in page


def test_a_removed_anchor_is_named_as_a_missing_event(login, session, answers, monkeypatch):
    monkeypatch.setattr("web.hr.audit.PAGE_SIZE", 3)
    system = _system(session)
    anchor = system[-4]
    session.delete(anchor)
    session.commit()
    page = login("admin").get("/sdm/audit").get_data(as_text=True)
    assert "Rantai rusak" in page
    assert f"rantai sistem: tidak ada peristiwa dengan urutan {anchor.seq}; ada peristiwa yang hilang" in page


def test_a_long_payload_is_shown_in_part_with_where_to_find_all_of_it(login, session, answers, monkeypatch):
    monkeypatch.setattr("web.hr.audit.PAGE_SIZE", 3)
    newest = _system(session)[-1]
    people = {f"{n:018d}": {"nama": f"Pegawai {n}", "unit": "BIDANG"} for n in range(20_000)}
    session.execute(update(AuditEvent).where(AuditEvent.id == newest.id).values(payload={"chart": people}))
    session.commit()
    response = login("admin").get("/sdm/audit")
    page = response.get_data(as_text=True)
    assert "Isinya panjang dan hanya sebagian yang tampil di sini; unduh CSV untuk isi lengkapnya." in page
    assert "Pegawai 0" in page and "Pegawai 19999" not in page
    assert len(page) < 300_000  # the whole payload is some 1.3 MB of JSON
    english = login("admin")
    english.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    assert "download the CSV for all of it" in english.get("/sdm/audit").get_data(as_text=True)


def test_pruning_keeps_the_first_keys_in_order_and_says_what_it_left_out():
    kept, cut = pruned({"b": 1, "a": [1, 2, 3], "c": "x" * 5_000}, [SHOWN_VALUES])
    assert cut and list(kept) == ["a", "b", "c"] and kept["a"] == [1, 2, 3] and kept["c"].endswith("…")
    assert pruned({"a": {"b": [1, 2]}}, [SHOWN_VALUES]) == ({"a": {"b": [1, 2]}}, False)
    kept, cut = pruned(list(range(10)), [4])
    assert cut and kept == [0, 1, 2]
    small = shown({"komentar": "baik"})
    assert not small.cut and small.rows == [("komentar", "baik")]


@pytest.fixture
def far_from_head(session, answers, monkeypatch):
    """Pages of three events, and a system chain too long for a page to walk from its events to the head: the
    second page shows the 6th to 4th newest system events, a run walked from the 7th to the 3rd."""
    monkeypatch.setattr("web.hr.audit.PAGE_SIZE", 3)
    monkeypatch.setattr("engine.audit.page_walk.SYSTEM_WALK", 2)
    system = _system(session)
    assert system[-7].seq > 1
    return system, f"/sdm/audit?sebelum={system[-3].id}"


def test_far_from_the_head_a_page_checks_its_system_events_with_their_neighbours(login, session, far_from_head):
    system, second = far_from_head
    page = login("admin").get(second).get_data(as_text=True)
    assert "Rantai utuh" in page and "Rantai sistem diperiksa dari" not in page
    assert ("Peristiwa rantai sistem yang tampil di halaman ini diperiksa bersama peristiwa sebelum dan sesudahnya"
            in page)
    assert f"#{system[-4].id}" in page and f"#{system[-3].id}" not in page

    # An event past the run's neighbours is the whole check's (the page says so); the whole check finds it.
    _tamper(session, system[-1])
    assert "Rantai utuh" in login("admin").get(second).get_data(as_text=True)
    whole = login("admin").post("/sdm/audit/verifikasi", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Masalah pertama yang ditemukan" in whole and f"peristiwa #{system[-1].id}" in whole
    english = login("admin")
    english.post("/bahasa", data={"lang": "en", "next": "/sdm/audit"})
    assert "checked with the events just before and after them" in english.get(second).get_data(as_text=True)


@pytest.mark.parametrize("which", [-5, -3, -7])
def test_far_from_the_head_an_edit_to_a_shown_event_or_a_neighbour_breaks_the_page(login, session, far_from_head,
                                                                                  which):
    system, second = far_from_head
    _tamper(session, system[which])
    page = login("admin").get(second).get_data(as_text=True)
    assert "Rantai rusak" in page and f"peristiwa #{system[which].id}" in page


def test_far_from_the_head_a_removed_neighbour_is_named_as_missing(login, session, far_from_head):
    system, second = far_from_head
    session.delete(system[-3])
    session.commit()
    page = login("admin").get(second).get_data(as_text=True)
    assert "Rantai rusak" in page and "ada peristiwa yang hilang" in page
