"""Who may act beyond the org chart is proven by the system chain. An account made HR of a unit, or designated
the Sekretaris Daerah's rater, acts on appraisals the chart does not give it; a row written into the database
around the recorded grants and designations handed someone that power while every hash held, and verify said
the chain was intact. Each row is now replayed from its events, and one that is not is named."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from engine.models import RoleGrant
from engine.rater_models import RaterDesignation
from engine.raters import designate_rater
from engine.users import grant_role, revoke_role
from tests.support.factories import add_regent
from tests.support.forgery import forge, verified
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
    sekda = org.people["sekda"]
    assert f"the rater designation of {sekda.name} (NIP {sekda.nip}) (its rater, reviewer or basis) differs" in text
    assert "records the role hr on unit LAIN for account hr_lain, but the grant is gone" in text
    session.execute(delete(RaterDesignation))
    ok, problems = verified(session)
    assert f"records a rater designation of {sekda.name} (NIP {sekda.nip}), but it is gone" in "\n".join(problems)
    assert session.scalars(select(RaterDesignation)).all() == []


def test_who_designated_a_rater_and_when_is_proven(session, org):
    """The designation names who made it and when (the HR page and the API show when); both rewritten in the
    database, to lay the decision at another's door or date it elsewhere, are named. A designation changed through
    Siklus takes the moment and the HR officer of the change."""
    add_regent(session, org)
    sekda = org.people["sekda"]
    first = designate_rater(session, org.actor("hr_pemda"), sekda.id, "bupati", basis="SK 800/12").designated_at
    changed = designate_rater(session, org.actor("hr_pemda"), sekda.id, "bupati", basis="SK 800/13").designated_at
    assert changed >= first
    assert verified(session) == (True, [])
    owner = (f"the rater designation of {sekda.name} (NIP {sekda.nip}) names who designated it, or when, "
             "differently from the system chain; it was changed outside Siklus")
    forge(session, update(RaterDesignation.__table__).values(designated_by_id=org.users["hr"].id))
    ok, problems = verified(session)
    assert (ok, problems) == (False, [owner])
    assert finding_text(problems[0], "id").startswith(f"penunjukan pejabat penilai bagi {sekda.name} (NIP {sekda.nip}) "
                                                "menyebut siapa yang menunjuk")
    forge(session, update(RaterDesignation.__table__).values(designated_by_id=org.users["hr_pemda"].id,
                                                             designated_at=datetime(2020, 1, 1)))
    assert verified(session) == (False, [owner])
    forge(session, update(RaterDesignation.__table__).values(designated_at=changed))
    assert verified(session) == (True, [])
