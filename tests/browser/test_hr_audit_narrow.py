"""The HR audit log and its document check on a 360 px phone, in Indonesian and in English: long unbroken
values typed into the search fields or the document check, or recorded in an event, stay inside the page."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from engine.appraisals import fire_transition
from engine.models import Appraisal, OrgUnit, User
from engine.runs import find_unit, launch
from tests.browser.conftest import Live, log_in
from tests.support.factories import publish_national
from tests.support.states import drive

LONG = "x" * 180  # one word longer than a phone is wide
TYPED = "y" * 118  # as long as a search field takes (120 characters)


@pytest.fixture
def history(live: Live) -> int:
    """Ani's plan sent back once with an unbroken comment, then driven to 'rate'; her appraisal's id."""
    engine = create_engine(live.database)
    with Session(engine, expire_on_commit=False) as session:
        # The live organisation's rows, read again in this session (the served app holds the others).
        org = replace(live.org, users={key: session.get_one(User, user.id) for key, user in live.org.users.items()})
        national = publish_national(session, org)
        run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
        ani = session.scalars(select(Appraisal).where(
            Appraisal.run_id == run.id, Appraisal.employee_id == org.people["ani"].id)).one()
        drive(session, org, ani.id, "ani", "plan_review")
        fire_transition(session, ani.id, "return_plan", org.actor("kabid"), {"komentar": LONG})
        drive(session, org, ani.id, "ani", "rate")
        # Two sub-units whose names are one long word each, for the list of units a search matches.
        session.add_all([OrgUnit(code=f"SUB{n}", name=f"Subbagian{'z' * 100}{n}", parent_id=org.dinas.id)
                         for n in (1, 2)])
        session.commit()
        found = ani.id
    engine.dispose()
    return found


@pytest.mark.parametrize("locale", ["id-ID", "en-US"])
def test_the_audit_log_fits_a_phone_whatever_is_typed(browser, live, history, screens, locale):
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live, "hr")
        page.goto(f"{live.url}/sdm/audit?pegawai={TYPED}&pelaku={TYPED}&unit={TYPED}&pemicu={TYPED[:60]}")
        assert page.locator("#f-pegawai").input_value() == TYPED and page.locator("#f-unit-err").count() == 1
        screens.shoot(page, f"audit-long-search-{locale}")
        page.goto(f"{live.url}/sdm/audit?unit=Subbagian")
        assert page.locator(".unit-matches li").count() == 2
        screens.shoot(page, f"audit-unit-matches-{locale}")
        page.goto(f"{live.url}/sdm/audit")
        returned = page.locator(".event", has_text="return_plan")
        returned.locator("details summary").first.click()
        assert LONG in returned.inner_text()
        screens.shoot(page, f"audit-long-value-{locale}")
        page.fill("#doc-penilaian", str(history))
        page.fill("#doc-hash", "ab" * 32)
        with page.expect_navigation():
            page.click(".check-document button[type=submit]")
        assert page.locator(".flash, [role=alert], [role=status]").count() > 0
        screens.shoot(page, f"audit-document-check-{locale}")
        page.fill("#doc-penilaian", LONG)
        page.fill("#doc-hash", LONG)
        with page.expect_navigation():
            page.click(".check-document button[type=submit]")
        screens.shoot(page, f"audit-document-check-long-{locale}")
    finally:
        context.close()
