"""Public complaints as cases: only HR of the unit handles them, each refusal leaves everything as it was,
and the counts the indicator and the public page read follow the triage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from engine.audit import verify_chain
from engine.citizen_models import Complaint
from engine.complaint_store import unit_complaint_counts, verified_complaints
from engine.complaints import complaint_desk, reply_to_complaint, triage_complaint
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.models import AuditEvent
from engine.permissions import Actor
from engine.public_feedback import submit_public_feedback
from engine.users import seed_grant

WHEN = datetime(2026, 3, 2, 3, tzinfo=UTC)
YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, 23, tzinfo=UTC))


def _complain(session, org, text: str, key: str, slug: str | None = None) -> int:
    submit_public_feedback(session, slug or org.bidang.public_slug, {f"U{i}": 3 for i in range(1, 10)}, text, key,
                           now=WHEN)
    return session.scalars(select(Complaint.id).order_by(Complaint.id.desc())).first()


def _steps(session) -> int:
    return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.kind == "complaint")) or 0


def test_an_answer_without_a_complaint_opens_no_case(session, org):
    submit_public_feedback(session, org.bidang.public_slug, {f"U{i}": 4 for i in range(1, 10)}, "  ", "hp-1",
                           now=WHEN)
    assert session.scalar(select(func.count(Complaint.id))) == 0


@pytest.mark.parametrize("person", ["ani", "budi", "hr_lain"])
def test_only_hr_of_the_unit_triages(session, org, person):
    case = _complain(session, org, "Loket tutup sebelum jam pelayanan berakhir.", "hp-1")
    with pytest.raises(Forbidden):
        triage_complaint(session, Actor.of(org.users[person]), case, "unfounded")
    assert session.get(Complaint, case).status == "new" and _steps(session) == 0


def test_someone_hr_nowhere_sees_no_desk(session, org):
    with pytest.raises(Forbidden):
        complaint_desk(session, Actor.of(org.users["ani"]))


def test_refusals_name_the_problem_and_change_nothing(session, org):
    hr = Actor.of(org.users["hr"])
    case = _complain(session, org, "Petugas meminta uang tambahan.", "hp-1")
    with pytest.raises(InvalidInput) as unknown:
        triage_complaint(session, hr, case, "terbukti-sekali")
    assert unknown.value.msg.text.id.startswith("Pilih hasil pemilahan")
    with pytest.raises(InvalidInput):
        triage_complaint(session, hr, case, "duplicate", duplicate_of_id=case)
    with pytest.raises(InvalidInput):
        triage_complaint(session, hr, case, "verified", employee_id=999999)
    with pytest.raises(Conflict):
        reply_to_complaint(session, hr, case, "Terima kasih, akan kami tindak lanjuti.")
    with pytest.raises(NotFound):
        triage_complaint(session, hr, 999999, "unfounded")
    assert session.get(Complaint, case).status == "new" and _steps(session) == 0


def test_the_counts_follow_the_triage(session, org):
    hr = Actor.of(org.users["hr"])
    ani = org.users["ani"].employee_id
    first = _complain(session, org, "Antrean tidak tertib, nomor antrean dilewati.", "hp-1")
    second = _complain(session, org, "Nomor antrean saya dilewati petugas.", "hp-2")
    triage_complaint(session, hr, first, "verified", employee_id=ani)
    triage_complaint(session, hr, second, "verified", employee_id=ani)
    assert verified_complaints(session, ani, *YEAR) == 2
    # HR finds the second was the same event: it becomes a duplicate and no longer counts.
    triage_complaint(session, hr, second, "duplicate", duplicate_of_id=first)
    assert verified_complaints(session, ani, *YEAR) == 1
    reply_to_complaint(session, hr, first, "Petugas sudah dibina; antrean kini memakai mesin.")
    counts = unit_complaint_counts(session, org.bidang.id, *YEAR)
    assert (counts.received, counts.resolved, counts.verified) == (2, 1, 1)
    # A complaint received outside the period does not count in it.
    assert verified_complaints(session, ani, datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC)) == 0
    assert _steps(session) == 4


def _said(exc: pytest.ExceptionInfo) -> str:
    """The refusal as an HR officer reads it in Bahasa Indonesia."""
    message = exc.value.msg
    return message.text.id % {k: ", ".join(v) if isinstance(v, list) else v for k, v in message.params.items()}


def _triaged(session, case: int) -> tuple[str, int | None]:
    session.rollback()
    complaint = session.get(Complaint, case)
    return complaint.status, complaint.duplicate_of_id


def test_a_duplicate_points_at_an_original_that_is_no_duplicate_itself(session, org):
    hr = Actor.of(org.users["hr"])
    ani = org.users["ani"].employee_id
    first, second, third = (_complain(session, org, f"Nomor antrean saya dilewati ({n}).", f"hp-{n}")
                            for n in range(1, 4))
    triage_complaint(session, hr, first, "verified", employee_id=ani)
    triage_complaint(session, hr, second, "duplicate", duplicate_of_id=first)
    # A duplicate of the duplicate would form a chain: refused, naming the original to use instead.
    with pytest.raises(InvalidInput) as chain:
        triage_complaint(session, hr, third, "duplicate", duplicate_of_id=second)
    assert _said(chain) == (f"Pengaduan #{second} sendiri duplikat dari pengaduan #{first}; tandai pengaduan "
                            f"#{third} sebagai duplikat dari #{first}.")
    # The original of a duplicate cannot become a duplicate itself (of its own duplicate: the cycle
    # A -> B -> A; or of another case: the chain B -> A -> C); its duplicates are named.
    for target in (second, third):
        with pytest.raises(InvalidInput) as original:
            triage_complaint(session, hr, first, "duplicate", duplicate_of_id=target)
        assert f"Pengaduan #{first} adalah pengaduan asal bagi duplikat #{second}" in _said(original)
    assert _triaged(session, first) == ("verified", None) and _triaged(session, third) == ("new", None)
    # Done in the right order, the same outcome is reached with every link pointing at a root.
    triage_complaint(session, hr, third, "verified", employee_id=ani)
    triage_complaint(session, hr, second, "duplicate", duplicate_of_id=third)
    triage_complaint(session, hr, first, "duplicate", duplicate_of_id=third)
    assert [_triaged(session, c) for c in (first, second, third)] == [
        ("duplicate", third), ("duplicate", third), ("verified", None)]
    # The story told three times counts once.
    assert verified_complaints(session, ani, *YEAR) == 1
    assert unit_complaint_counts(session, org.bidang.id, *YEAR).verified == 1


def test_a_duplicate_of_itself_or_of_another_units_case_is_refused_without_telling_about_the_other(session, org):
    hr = Actor.of(org.users["hr"])
    case = _complain(session, org, "Petugas meminta uang tambahan.", "hp-1")
    elsewhere = _complain(session, org, "Pelayanan di dinas lain lambat.", "hp-2", slug="lain")
    upstairs = _complain(session, org, "Kepala dinas sulit ditemui.", "hp-3", slug="dinas")
    with pytest.raises(InvalidInput) as itself:
        triage_complaint(session, hr, case, "duplicate", duplicate_of_id=case)
    assert _said(itself) == f"Pengaduan #{case} tidak dapat menjadi duplikat dirinya sendiri."
    # Another agency's case and a missing one read the same; so does a case of another unit HR oversees.
    said = []
    for other in (elsewhere, 999999, upstairs):
        with pytest.raises(InvalidInput) as refused:
            triage_complaint(session, hr, case, "duplicate", duplicate_of_id=other)
        said.append(_said(refused))
    assert said[0] == (f"Duplikat harus menyebut pengaduan lain dari unit yang sama; pengaduan #{elsewhere} tidak "
                       f"ada di unit pengaduan #{case}.")
    assert said[1] == said[0].replace(f"#{elsewhere}", "#999999")
    assert _triaged(session, case) == ("new", None) and _steps(session) == 0


def test_an_hr_officer_does_not_triage_a_complaint_about_themselves(session, org):
    hr = Actor.of(org.users["hr"])
    seed_grant(session, user_id=org.users["kabid"].id, role="hr", unit_id=org.bidang.id)
    session.commit()
    session.refresh(org.users["kabid"])
    kabid = Actor.of(org.users["kabid"])
    kabid_id = org.users["kabid"].employee_id
    case = _complain(session, org, "Kepala bidang membentak warga di loket.", "hp-1")
    with pytest.raises(Forbidden) as own:
        triage_complaint(session, kabid, case, "verified", employee_id=kabid_id)
    assert _said(own) == f"Pengaduan #{case} menyangkut Anda sendiri; petugas SDM lain yang memilahnya."
    triage_complaint(session, hr, case, "verified", employee_id=kabid_id)
    # Once verified against them, they cannot make it unfounded or a duplicate either; the other HR officer can.
    with pytest.raises(Forbidden):
        triage_complaint(session, kabid, case, "unfounded")
    assert verified_complaints(session, kabid_id, *YEAR) == 1
    triage_complaint(session, hr, case, "unfounded", note="Rekaman CCTV menunjukkan sebaliknya.")
    assert verified_complaints(session, kabid_id, *YEAR) == 0


def test_an_hr_officer_does_not_answer_a_complaint_verified_against_themselves(session, org):
    """The subject of a verified complaint wrote the agency's answer about themselves, and the answer closed the case,
    so no colleague could change its triage afterwards."""
    hr = Actor.of(org.users["hr"])
    seed_grant(session, user_id=org.users["kabid"].id, role="hr", unit_id=org.bidang.id)
    session.commit()
    session.refresh(org.users["kabid"])
    kabid = Actor.of(org.users["kabid"])
    kabid_id = org.users["kabid"].employee_id
    case = _complain(session, org, "Kepala bidang membentak warga di loket.", "hp-1")
    triage_complaint(session, hr, case, "verified", employee_id=kabid_id)
    steps = _steps(session)
    with pytest.raises(Forbidden) as own:
        reply_to_complaint(session, kabid, case, "Petugas kami sudah bersikap sesuai prosedur.")
    assert _said(own) == f"Pengaduan #{case} terverifikasi atas diri Anda sendiri; petugas SDM lain yang menjawabnya."
    session.rollback()
    assert session.get(Complaint, case).replied_at is None and _steps(session) == steps
    reply_to_complaint(session, hr, case, "Terima kasih; kepala bidang telah ditegur dan dibina.")
    # A case about someone else (or found unfounded) the same officer answers as before.
    other = _complain(session, org, "Antrean di loket terlalu lama.", "hp-2")
    triage_complaint(session, hr, other, "unfounded")
    reply_to_complaint(session, kabid, other, "Antrean sesuai jam sibuk; kami menambah loket pada pagi hari.")


def test_each_triage_records_what_it_replaced_and_an_answered_case_stays_as_answered(session, org):
    hr = Actor.of(org.users["hr"])
    ani = org.users["ani"].employee_id
    case = _complain(session, org, "Loket tutup sebelum jam pelayanan berakhir.", "hp-1")
    triage_complaint(session, hr, case, "verified", employee_id=ani)
    triage_complaint(session, hr, case, "unfounded")
    # An unfounded case is answered too: the resident is told why.
    reply_to_complaint(session, hr, case, "Loket tutup sesuai jadwal yang diumumkan di papan layanan.")
    with pytest.raises(Conflict):
        triage_complaint(session, hr, case, "verified", employee_id=ani)
    with pytest.raises(Conflict):
        reply_to_complaint(session, hr, case, "Jawaban kedua yang lain sama sekali.")
    steps = session.scalars(select(AuditEvent).where(AuditEvent.kind == "complaint", AuditEvent.appraisal_id.is_(None))
                            .order_by(AuditEvent.id)).all()
    assert [(e.payload["status"], e.payload.get("previous"), e.payload.get("replied")) for e in steps] == [
        ("verified", "new", None), ("unfounded", "verified", None), ("unfounded", None, True)]
    assert verified_complaints(session, ani, *YEAR) == 0
    assert verify_chain(session).ok
