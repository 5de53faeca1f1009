"""Who may act beyond the org chart is proven by the system chain. An account made HR of a unit, or designated
the Sekretaris Daerah's rater, acts on appraisals the chart does not give it; a row written into the database
around the recorded grants and designations handed someone that power while every hash held, and verify said
the chain was intact. Each row is now replayed from its events, and one that is not is named."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from engine.models import RoleGrant
from engine.rater_models import RaterDesignation
from engine.raters import designate_rater
from engine.users import grant_role, revoke_role
from tests.support.factories import add_regent
from tests.support.forgery import verified
from web.messages import finding_text


def test_grants_and_designations_made_through_siklus_verify_clean(session, org):
    add_regent(session, org)
    designate_rater(session, org.actor("hr_pemda"), org.people["sekda"].id, "bupati", basis="SK 800/12")
    grant = grant_role(session, org.actor("admin"), org.users["kabid"].id, "hr", org.bidang.id)
    revoke_role(session, org.actor("admin"), grant.id)
    grant_role(session, org.actor("admin"), org.users["kabid"].id, "hr", org.bidang.id)
    assert verified(session) == (True, [])


def test_a_grant_written_into_the_database_is_named(session, org):
    session.commit()
    with session.bind.begin() as conn:  # below Siklus, as someone with the database's password would
        conn.execute(insert(RoleGrant.__table__).values(user_id=org.users["ani"].id, role="hr",
                                                        unit_id=org.dinas.id))
    ok, problems = verified(session)
    assert not ok
    unchained = next(p for p in problems if "never recorded as granted" in p)
    assert "the role hr on unit DINAS for account ani" in unchained
    assert finding_text(unchained, "id").startswith("peran hr pada unit DINAS untuk akun ani")


def test_a_grant_deleted_or_a_designation_rewritten_in_the_database_is_named(session, org):
    add_regent(session, org)
    designate_rater(session, org.actor("hr_pemda"), org.people["sekda"].id, "bupati", basis="SK 800/12")
    assert verified(session)[0]
    with session.bind.begin() as conn:
        conn.execute(update(RaterDesignation.__table__).values(rater_user_id=org.users["ani"].id))
        conn.execute(delete(RoleGrant.__table__).where(RoleGrant.user_id == org.users["hr_lain"].id))
    ok, problems = verified(session)
    assert not ok
    text = "\n".join(problems)
    assert f"the rater designation of employee #{org.people['sekda'].id} (its rater, reviewer or basis) differs" \
        in text
    assert "records the role hr on unit LAIN for account hr_lain, but the grant is gone" in text
    session.execute(delete(RaterDesignation))
    ok, problems = verified(session)
    assert f"records a rater designation of employee #{org.people['sekda'].id}, but it is gone" in "\n".join(problems)
    assert session.scalars(select(RaterDesignation)).all() == []
