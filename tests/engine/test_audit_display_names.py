"""A login's display name is proven by the system chain. Screens, PDFs and exports name a rater, a decision's
maker and an event's actor by it: someone with the database's password who rewrote it made an appraisal read as
decided by another person while verify said intact. The events that make a login record it; verify names a login
whose name is no longer the one recorded."""

from __future__ import annotations

from sqlalchemy import select, update

from engine.chart_verify import ChartTrail
from engine.models import AuditEvent, Employee, User
from engine.users import create_user
from tests.support.factories import record_chart
from tests.support.forgery import forge, verified
from web.messages import finding_text


def _rename(session, username: str, name: str) -> None:
    forge(session, update(User.__table__).where(User.username == username).values(display_name=name))


def test_a_display_name_rewritten_in_the_database_is_named(session, org) -> None:
    """The rater's login came from the setup script: its seed recorded the name it is shown by."""
    record_chart(session)
    assert verified(session) == (True, [])
    kabid = org.users["kabid"]
    recorded = kabid.display_name
    _rename(session, "kabid", "Kepala Dinas Palsu")
    ok, problems = verified(session)
    assert not ok
    assert problems == [f"the display name of login kabid (#{kabid.id}) is 'Kepala Dinas Palsu', but the system "
                        f"chain recorded '{recorded}'; it was changed outside Siklus, and the screens, documents "
                        "and exports show it for everything the login did"]
    assert finding_text(problems[0], "id") == (
        f"nama tampilan akun kabid (#{kabid.id}) adalah 'Kepala Dinas Palsu', padahal rantai sistem mencatat "
        f"'{recorded}'; nama itu diubah di luar Siklus, dan layar, dokumen, serta ekspor menampilkannya untuk semua "
        "yang dilakukan akun itu")


def test_an_account_made_through_siklus_records_its_name(session, org) -> None:
    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis", unit_id=org.bidang.id)
    session.add(eko)
    session.commit()
    record_chart(session)
    made = create_user(session, org.actor("hr"), eko.id, "eko").user.id
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "user_create")).one()
    assert event.payload["display_name"] == "Eko Prasetyo"
    assert verified(session) == (True, [])
    _rename(session, "eko", "Budi Santoso")
    ok, problems = verified(session)
    assert not ok and problems == [
        f"the display name of login eko (#{made}) is 'Budi Santoso', but the system chain recorded 'Eko Prasetyo'; "
        "it was changed outside Siklus, and the screens, documents and exports show it for everything the login did"]


def test_a_log_written_before_names_were_recorded_still_verifies(session, org) -> None:
    """Events of earlier versions record no name: the accounts they made are not judged by name, not called
    changed."""
    _rename(session, "kabid", "Nama Lain")
    accounts = session.execute(select(User.id, User.employee_id).order_by(User.id)).all()
    trail = ChartTrail()
    # A seed and an account as earlier versions recorded them: ties and whether they sign in, no names.
    trail.apply("chart_seed", 1, {"links": [[a.id, a.employee_id] for a in accounts if a.employee_id],
                                  "active": [[a.id, 1] for a in accounts]})
    trail.apply("user_create", 2, {"user_id": org.users["kabid"].id, "username": "kabid"},
                org.users["kabid"].employee_id)
    assert [p for p in trail.login_differences(session) if "display name" in p] == []
