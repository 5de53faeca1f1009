"""A 360 nomination is proven by its appraisal's chain. An approved nomination lets a colleague answer the
leader's feedback and so weigh in their behaviour rating; a row inserted, approved or pointed at someone else in
the database gave that say to whoever the forger chose while every hash held."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, update

from engine.citizen_models import APPROVED, FeedbackNomination
from engine.loaded import definition_of
from engine.nominations import decide_nomination, propose_nominee
from engine.policy import Policy
from engine.resolvers import RESOLVERS
from tests.agencies.conftest import Agency, build_agency, publish_and_launch
from tests.agencies.test_upward_review import HR, PEOPLE, UNITS
from tests.support.forgery import forge, verified
from web.messages import finding_text


@pytest.fixture
def leader(session) -> tuple[Agency, int, list[int]]:
    """kabid's upward review, with kabid2 approved and kabid3 declined as nominated peers."""
    agency = build_agency(session, UNITS, PEOPLE, HR)
    publish_and_launch(session, agency, "umpan-balik-pimpinan.yaml", "DINAS_CONTOH")
    kabid = agency.appraisal_ids["kabid"]
    first = propose_nominee(session, agency.actor("kabid"), kabid, "rekan", agency.people["kabid2"].nip)
    second = propose_nominee(session, agency.actor("kabid"), kabid, "rekan", agency.people["kabid3"].nip)
    decide_nomination(session, agency.actor("kadis"), first.id, approve=True)
    decide_nomination(session, agency.actor("kadis"), second.id, approve=False)
    return agency, kabid, [first.id, second.id]


def _named(agency: Agency, who: str) -> str:
    """Someone of the agency as verify names them: by name and NIP, never by a database id."""
    return f"{agency.people[who].name} (NIP {agency.people[who].nip})"


def _may_answer(session, agency: Agency, who: str) -> bool:
    """Whether ``who`` holds the cycle's nominated role for kabid now (what the feedback form asks)."""
    session.expire_all()
    role = next(r for r in definition_of(agency.record).roles.values() if r.resolver == "nominated")
    return RESOLVERS["nominated"].holds(Policy(session, agency.actor(who)), role, agency.people["kabid"])


def test_proposals_and_decisions_verify_and_each_row_is_what_its_events_say(session, leader):
    agency, kabid, (first, second) = leader
    assert verified(session) == (True, [])
    rows = {n.id: n for n in session.scalars(select(FeedbackNomination))}
    assert rows[first].status == APPROVED and rows[first].decided_by_id == agency.users["kadis"].id
    assert rows[second].status == "declined"


def test_a_declined_nomination_approved_in_the_database_is_named_field_by_field(session, leader):
    agency, kabid, (first, second) = leader
    assert not _may_answer(session, agency, "kabid3")
    forge(session, update(FeedbackNomination.__table__).where(FeedbackNomination.id == second)
           .values(status=APPROVED, decided_by_id=agency.users["kabid2"].id))
    # The forgery works (kabid3 now holds the role) and verify says so, in both languages.
    assert _may_answer(session, agency, "kabid3")
    ok, problems = verified(session)
    assert not ok
    named = [p for p in problems if f"360 respondent nomination #{second} " in p]
    assert len(named) == 2, problems
    status = next(p for p in named if " status is " in p)
    assert "status is approved but the chain says declined" in status
    # The nominee, who proposed it and who decided it, by name and NIP; each field in words, in both languages.
    assert finding_text(status, "id").endswith(
        f"usulan responden 360 #{second} ({_named(agency, 'kabid3')} sebagai Rekan yang diusulkan, diusulkan oleh "
        f"{_named(agency, 'kabid')}, diputus oleh {_named(agency, 'kabid2')}) status usulan bernilai disetujui, "
        "tetapi menurut rantai tidak disetujui")
    assert finding_text(status, "en").endswith(
        f"360 respondent nomination #{second} ({_named(agency, 'kabid3')} as Nominated peer, proposed by "
        f"{_named(agency, 'kabid')}, decided by {_named(agency, 'kabid2')}) status is approved but the chain says "
        "declined")
    assert any(f"decider is {_named(agency, 'kabid2')} but the chain says {_named(agency, 'kadis')}" in p
               for p in named)
    assert not any("_id" in p or f"#{agency.people['kabid3'].id})" in p for p in named)


def test_a_nomination_inserted_pointed_elsewhere_or_deleted_in_the_database_is_named(session, leader):
    agency, kabid, (first, second) = leader
    kabid_user = agency.users["kabid"].id
    # Someone of another agency, whom the service refuses by name, given a say by a row of their own.
    assert not _may_answer(session, agency, "luar")
    forge(session, insert(FeedbackNomination.__table__).values(
        appraisal_id=kabid, role="rekan", nominee_id=agency.people["luar"].id, status=APPROVED,
        proposed_by_id=kabid_user, proposed_at=agency.run.launched_at + timedelta(days=1),
        decided_by_id=agency.users["kadis"].id, decided_at=agency.run.launched_at + timedelta(days=1)))
    assert _may_answer(session, agency, "luar")
    ok, problems = verified(session)
    assert not ok
    assert [p for p in problems if "is not in the chain" in p and
            f"360 respondent nomination #{second + 1} ({_named(agency, 'luar')} as rekan, proposed by "
            f"{_named(agency, 'kabid')}, decided by {_named(agency, 'kadis')})" in p]

    forge(session, delete(FeedbackNomination.__table__).where(FeedbackNomination.nominee_id
                                                               == agency.people["luar"].id))
    forge(session, update(FeedbackNomination.__table__).where(FeedbackNomination.id == first)
           .values(nominee_id=agency.people["staf2"].id))
    ok, problems = verified(session)
    assert not ok
    assert any(f"360 respondent nomination #{first} " in p and f"nominee is {_named(agency, 'staf2')} but the "
               f"chain says {_named(agency, 'kabid2')}" in p for p in problems)

    forge(session, delete(FeedbackNomination.__table__).where(FeedbackNomination.id == first))
    ok, problems = verified(session)
    assert not ok
    assert any(f"360 respondent nomination #{first} ({_named(agency, 'kabid2')} as rekan, proposed by "
               f"{_named(agency, 'kabid')}, decided by {_named(agency, 'kadis')}) recorded in the chain is missing" in p
               for p in problems)
