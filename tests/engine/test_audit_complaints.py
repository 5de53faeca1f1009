"""A public complaint HR verified against an employee counts in that employee's results in the period it was
received (``complaints.verified``). Each triage and reply is in the system chain, and verify holds every case to
it: a case marked verified against someone, moved to another period, reopened or deleted in the database is named."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, update

from engine.citizen_models import Complaint
from engine.complaint_store import verified_complaints
from engine.complaints import reply_to_complaint, triage_complaint
from engine.models import FeedbackResponse
from engine.permissions import Actor
from engine.public_feedback import submit_public_feedback
from tests.support.forgery import forge, verified
from web.messages import finding_text

WHEN = datetime(2026, 3, 2, 3, tzinfo=UTC)
YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, 23, tzinfo=UTC))


def _complain(session, org, text: str, key: str) -> int:
    submit_public_feedback(session, org.bidang.public_slug, {f"U{i}": 3 for i in range(1, 10)}, text, key, now=WHEN)
    return session.scalars(select(Complaint.id).order_by(Complaint.id.desc())).first()


def _forge(session, case: int, **values) -> None:
    forge(session, update(Complaint.__table__).where(Complaint.id == case).values(**values))


def _fields(problems: list[str], case: int) -> list[str]:
    prefix = f"complaint #{case} differs from what the system chain recorded in "
    return sorted(p.split(prefix, 1)[1].split("; it was")[0] for p in problems if prefix in p)


def test_cases_triaged_and_answered_through_siklus_verify(session, org):
    hr = Actor.of(org.users["hr"])
    first = _complain(session, org, "Petugas meminta uang tambahan.", "hp-1")
    second = _complain(session, org, "Antrean tidak tertib.", "hp-2")
    _complain(session, org, "Belum ditangani.", "hp-3")  # new: no event, counts nowhere
    triage_complaint(session, hr, first, "verified", employee_id=org.people["ani"].id, note="Terbukti")
    triage_complaint(session, hr, second, "duplicate", duplicate_of_id=first)
    reply_to_complaint(session, hr, first, "Petugas sudah diberi pembinaan dan uang dikembalikan.")
    assert verified(session) == (True, [])


def test_a_case_marked_verified_against_someone_in_the_database_is_named(session, org):
    hr = Actor.of(org.users["hr"])
    case = _complain(session, org, "Loket tutup sebelum waktunya.", "hp-1")
    untouched = _complain(session, org, "Belum ditangani.", "hp-2")
    triage_complaint(session, hr, case, "unfounded", note="Tidak terbukti")
    _forge(session, case, status="verified", employee_id=org.people["budi"].id)
    _forge(session, untouched, status="verified", employee_id=org.people["budi"].id, triaged_by_id=org.users["hr"].id)
    # The forgery counts against budi in his results...
    assert verified_complaints(session, org.people["budi"].id, *YEAR) == 2
    ok, problems = verified(session)
    assert not ok
    # ... and verify names both cases, in both languages.
    assert _fields(problems, case) == ["its triage (status, the employee concerned, or the original case)"]
    assert _fields(problems, untouched) == ["its triage (status, the employee concerned, or the original case)",
                                            "who triaged it"]
    named = next(p for p in problems if f"complaint #{case} " in p)
    budi = f"Budi Santoso (NIP {org.people['budi'].nip})"
    # What the database holds against what the chain recorded, people by name and NIP, and what HR does next.
    assert named.endswith(f"it was changed outside Siklus: the database holds verified, against {budi}, where the "
                          "chain recorded unfounded. Triage it again on the Public complaints page so that the "
                          "right triage is recorded, and find out who changed the database.")
    assert finding_text(named, "id").endswith(
        f"pengaduan #{case} berbeda dari yang dicatat rantai sistem pada hasil pemilahannya (status, pegawai yang "
        f"diadukan, atau aduan asalnya); pengaduan itu diubah di luar Siklus: basis data memuat terbukti, terhadap "
        f"{budi}, padahal rantai mencatat tidak terbukti. Pilah ulang pengaduan itu di halaman Pengaduan masyarakat "
        "agar pemilahan yang benar tercatat, dan cari tahu siapa yang mengubah basis data.")
    assert finding_text(named, "en") == named
    by = next(p for p in problems if f"complaint #{untouched} " in p and "who triaged it" in p)
    assert "the database holds Pengelola Kinerja (hr), where the chain recorded nobody." in by
    assert f"the database holds verified, against {budi}, where the chain recorded not triaged." in \
        next(p for p in problems if f"complaint #{untouched} " in p and "its triage" in p)


def test_a_case_moved_to_another_period_reopened_or_deleted_is_named(session, org):
    hr = Actor.of(org.users["hr"])
    case = _complain(session, org, "Petugas meminta uang tambahan.", "hp-1")
    triage_complaint(session, hr, case, "verified", employee_id=org.people["ani"].id)
    reply_to_complaint(session, hr, case, "Petugas sudah diberi pembinaan dan uang dikembalikan.")
    # Received a year earlier, it no longer counts in 2026; reopened, its triage could be changed again.
    _forge(session, case, received_at=datetime(2025, 3, 2, 3), replied_at=None, replied_by_id=None)
    assert verified_complaints(session, org.people["ani"].id, *YEAR) == 0
    ok, problems = verified(session)
    assert not ok
    assert _fields(problems, case) == ["its reply (whether it was answered, and by whom)",
                                       "when it was received (not the moment of the survey answer it came with)"]
    reply = next(p for p in problems if f"complaint #{case} " in p and "its reply" in p)
    assert "the database holds not answered, where the chain recorded answered by Pengelola Kinerja (hr). Ask the " \
        "Siklus administrator to restore it" in reply
    # Moments are moments: in the agency's time on a screen, in UTC in the log.
    received = next(p for p in problems if f"complaint #{case} " in p and "when it was received" in p)
    assert "the database has it received at 2025-03-02T03:00:00+00:00, but the survey answer it came with was " \
        "given at 2026-03-02T03:00:00+00:00. Ask the Siklus administrator to restore what was changed, the " \
        "complaint or its survey answer" in received
    assert "basis data mencatatnya diterima 2 Mar 2025, 10.00 WIB, padahal jawaban survei yang memuatnya diberikan " \
        "2 Mar 2026, 10.00 WIB" in finding_text(received, "id")
    session.commit()
    with session.bind.begin() as conn:
        conn.execute(delete(Complaint.__table__).where(Complaint.id == case))
    ok, problems = verified(session)
    # Named as the complaints page shows it: its number, its unit, when it was received, how HR triaged it.
    ani = f"Ani Lestari (NIP {org.people['ani'].nip})"
    assert problems == [f"the system chain records the handling of complaint #{case} (unit Bidang Pelayanan (BIDANG), "
                        f"received 2026-03-02T03:00:00+00:00, last triaged verified, against {ani}), but the "
                        "complaint is gone; it was deleted outside Siklus",
                        "1 public survey answer(s) carry a complaint but have no complaint case; the case was "
                        "deleted outside Siklus before HR handled it"]
    assert finding_text(problems[0], "id") == (
        f"rantai sistem mencatat penanganan pengaduan #{case} (unit Bidang Pelayanan (BIDANG), diterima 2 Mar 2026, "
        f"10.00 WIB, terakhir dipilah terbukti, terhadap {ani}), tetapi pengaduan itu sudah tidak ada; ia dihapus di "
        "luar Siklus")


def test_a_case_moved_to_another_unit_or_answer_or_deleted_before_triage_is_named(session, org):
    hr = Actor.of(org.users["hr"])
    first = _complain(session, org, "Petugas meminta uang tambahan.", "hp-1")
    second = _complain(session, org, "Antrean tidak tertib.", "hp-2")
    silenced = _complain(session, org, "Belum ditangani.", "hp-3")
    triage_complaint(session, hr, first, "verified", employee_id=org.people["ani"].id)
    triage_complaint(session, hr, second, "unfounded")
    answers = dict(session.execute(select(Complaint.id, Complaint.response_id)).all())
    session.commit()
    with session.bind.begin() as conn:
        # The untriaged case deleted, and the verified one pointed at its answer: it now says another text.
        conn.execute(delete(Complaint.__table__).where(Complaint.id == silenced))
        conn.execute(update(Complaint.__table__).where(Complaint.id == first).values(response_id=answers[silenced]))
    _forge(session, second, unit_id=org.dinas.id)
    ok, problems = verified(session)
    assert not ok
    answer = "the survey answer it came with (its unit or its text)"
    assert _fields(problems, first) == [answer] and _fields(problems, second) == [answer]
    assert any(f"complaint #{first} " in p and f"the database holds survey answer #{answers[silenced]}, where the "
               f"chain recorded survey answer #{answers[first]}." in p for p in problems)
    assert any(f"complaint #{second} " in p and "it is filed under unit Dinas Kependudukan (DINAS), but the survey "
               "answer it came with is of unit Bidang Pelayanan (BIDANG)." in p for p in problems)
    assert "1 public survey answer(s) carry a complaint but have no complaint case; the case was deleted outside " \
        "Siklus before HR handled it" in problems


def test_a_units_hr_checks_the_complaints_about_their_units(session, org):
    """A unit's HR verifies their units from the audit page: the complaints that count in their people's results
    are checked with them (rewritten, moved away, deleted), and another unit's are left to its HR."""
    from engine.audit_search import verify_scope
    from engine.policy import HrScope

    def problems_of(*units) -> list[str]:
        session.commit()
        session.expire_all()
        return list(verify_scope(session, HrScope(False, tuple(u.id for u in units))).problems)

    hr = Actor.of(org.users["hr"])
    case = _complain(session, org, "Loket tutup sebelum waktunya.", "hp-1")
    other = _complain(session, org, "Antrean tidak tertib.", "hp-2")
    triage_complaint(session, hr, case, "unfounded", note="Tidak terbukti")
    assert problems_of(org.bidang) == [] and problems_of(org.dinas) == []
    # Rewritten in the database: BIDANG's HR sees it, DINAS's check is not about it.
    _forge(session, case, status="verified", employee_id=org.people["budi"].id)
    assert _fields(problems_of(org.bidang), case) == ["its triage (status, the employee concerned, or the original "
                                                       "case)"]
    assert problems_of(org.dinas) == []
    _forge(session, case, status="unfounded", employee_id=None)
    assert problems_of(org.bidang) == []
    # Moved to DINAS: its answer, still BIDANG's, says so.
    answer = session.scalar(select(Complaint.response_id).where(Complaint.id == case))
    _forge(session, case, unit_id=org.dinas.id)
    assert any(f"complaint #{case} " in p and "it is filed under unit Dinas Kependudukan (DINAS), but the survey "
               "answer it came with is of unit Bidang Pelayanan (BIDANG)." in p for p in problems_of(org.bidang))
    # Moved with its answer: BIDANG's recorded case is named as moved, not passed over.
    answers = update(FeedbackResponse.__table__).where(FeedbackResponse.id == answer)
    forge(session, answers.values(unit_id=org.dinas.id))
    moved = problems_of(org.bidang)
    assert f"the system chain records complaint #{case} under unit Bidang Pelayanan (BIDANG), but the complaint is " \
        "now filed under unit Dinas Kependudukan (DINAS); it was moved outside Siklus. Ask the Siklus administrator " \
        "to restore it" in moved
    assert any("now belong to another unit" in p for p in moved)
    assert finding_text(next(p for p in moved if f"complaint #{case} " in p), "id").startswith(
        f"rantai sistem mencatat pengaduan #{case} pada unit Bidang Pelayanan (BIDANG), tetapi pengaduan itu kini "
        "tercatat pada unit Dinas Kependudukan (DINAS)")
    forge(session, answers.values(unit_id=org.bidang.id))
    _forge(session, case, unit_id=org.bidang.id)
    # An untriaged case deleted silences a complaint about BIDANG: its HR is told.
    session.commit()
    with session.bind.begin() as conn:
        conn.execute(delete(Complaint.__table__).where(Complaint.id == other))
    assert problems_of(org.bidang) == ["1 public survey answer(s) carry a complaint but have no complaint case; the "
                                       "case was deleted outside Siklus before HR handled it"]
    assert problems_of(org.dinas) == []
    with session.bind.begin() as conn:
        conn.execute(delete(Complaint.__table__).where(Complaint.id == case))
    problems = problems_of(org.bidang)
    assert any(p.startswith(f"the system chain records the handling of complaint #{case} (unit Bidang Pelayanan "
                            "(BIDANG), received 2026-03-02T03:00:00+00:00, last triaged unfounded)")
               and p.endswith("but the complaint is gone; it was deleted outside Siklus") for p in problems), problems
