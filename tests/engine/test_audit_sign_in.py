"""How a login signs in is proven by the system chain. Someone with the database's password who set the HR
officer's password hash to one of their own signed in as HR, and everything they did was recorded as HR's own
while verify said intact. Every account Siklus makes, every password it resets, and every account a setup script
records carries a digest of the user name and password hash; verify names an account that no longer matches."""

from __future__ import annotations

from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from engine.models import AuditEvent, Employee, User
from engine.users import create_user, reset_password
from tests.support.factories import record_chart
from tests.support.forgery import forge, verified
from web.messages import finding_text


def _forge(session, **values) -> None:
    forge(session, update(User.__table__).where(User.username == values.pop("of")).values(**values))


def test_accounts_made_and_passwords_reset_through_siklus_verify_and_record_no_password(session, org):
    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis", unit_id=org.bidang.id)
    session.add(eko)
    session.commit()
    record_chart(session)
    made = create_user(session, org.actor("hr"), eko.id, "eko", "rahasia-eko-123")
    reset_password(session, org.actor("hr"), made.user.id, "rahasia-baru-456")
    assert verified(session) == (True, [])
    events = session.scalars(select(AuditEvent).where(AuditEvent.kind.in_(("user_create", "password_reset")))
                             .order_by(AuditEvent.seq)).all()
    assert [len(e.payload["sign_in"]) for e in events] == [16, 16]
    hashed = session.scalar(select(User.password_hash).where(User.id == made.user.id))
    assert all(hashed not in str(e.payload) and "rahasia" not in str(e.payload) for e in events)


def test_a_password_hash_set_in_the_database_is_named_until_hr_resets_it(session, org):
    """The HR officer's account came from the setup script: its seed recorded how it signs in."""
    _forge(session, of="hr", password_hash=generate_password_hash("punya-penyusup", method="pbkdf2:sha256:1000"))
    ok, problems = verified(session)
    assert not ok
    hr = org.users["hr"].id
    assert problems == [f"account hr (#{hr}) signs in with a user name or password the system chain did not record; "
                        "one of them was changed outside Siklus. Reset its password through Siklus and check what "
                        "the account did since"]
    assert finding_text(problems[0], "id").startswith(f"akun hr (#{hr}) masuk dengan nama pengguna atau kata sandi "
                                                      "yang tidak dicatat rantai sistem")
    # An administrator resets it through Siklus: the new sign-in is on the record.
    reset_password(session, org.actor("admin"), hr)
    assert verified(session) == (True, [])


def test_a_user_name_changed_in_the_database_is_named(session, org):
    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis", unit_id=org.bidang.id)
    session.add(eko)
    session.commit()
    record_chart(session)
    made = create_user(session, org.actor("hr"), eko.id, "eko").user.id
    _forge(session, of="eko", username="kepala.dinas")
    ok, problems = verified(session)
    assert not ok
    assert [p.split(" signs in")[0] for p in problems] == [f"account kepala.dinas (#{made})"]
