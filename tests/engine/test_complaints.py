"""Public complaints as cases: only HR of the unit handles them, each refusal leaves everything as it was,
and the counts the indicator and the public page read follow the triage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from engine.citizen_models import Complaint
from engine.complaint_store import unit_complaint_counts, verified_complaints
from engine.complaints import complaint_desk, reply_to_complaint, triage_complaint
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.models import AuditEvent
from engine.permissions import Actor
from engine.public_feedback import submit_public_feedback

WHEN = datetime(2026, 3, 2, 3, tzinfo=UTC)
YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, 23, tzinfo=UTC))


def _complain(session, org, text: str, key: str) -> int:
    submit_public_feedback(session, org.bidang.public_slug, {f"U{i}": 3 for i in range(1, 10)}, text, key, now=WHEN)
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
    assert unknown.value.details["text"]["id"].startswith("Pilih hasil pemilahan")
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
