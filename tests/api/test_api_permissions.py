"""Same person, same answer: the API allows and refuses exactly what the screens do, row by row of the
screens' permission tables (tests/api/permission_table.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import Appraisal
from engine.registry import definition_of
from engine.runs import find_unit, launch
from tests.api.permission_table import MAY_FIRE, OPEN_ANI, PEOPLE
from tests.support.states import drive


@pytest.mark.parametrize(("user", "status"), OPEN_ANI)
def test_who_may_open_ani_appraisal_is_the_same_on_screen_and_api(login, token, run, appraisal_of, user, status):
    appraisal_id = appraisal_of("ani").id
    headers = token(user)
    screen = login(user).get(f"/penilaian/{appraisal_id}")
    api = login(user).get(f"/api/v1/appraisals/{appraisal_id}", headers=headers)
    assert screen.status_code == api.status_code == status
    listed = [i["id"] for i in login(user).get("/api/v1/appraisals", headers=headers).json["items"]]
    assert (appraisal_id in listed) == (status == 200)


@pytest.mark.parametrize("trigger", list(MAY_FIRE))
def test_who_may_fire_is_the_same_on_screen_and_api(login, token, session, org, logins, national, trigger):
    """Each person tries the trigger on two appraisals of ani in its source state, one per interface."""
    source = next(t.sources[0] for t in definition_of(national).transitions if t.trigger == trigger)
    periods = iter(range(2030, 2100))

    def fresh_ani() -> int:
        run = launch(session, national, find_unit(session, "BIDANG"), str(next(periods)), org.actor("hr"))
        appraisal_id = session.scalars(select(Appraisal.id).where(
            Appraisal.run_id == run.id, Appraisal.employee_id == org.people["ani"].id)).one()
        drive(session, org, appraisal_id, "ani", source)
        return appraisal_id

    def version(appraisal_id: int) -> int:
        session.expire_all()
        return session.get(Appraisal, appraisal_id).version

    on_screen, on_api = fresh_ani(), fresh_ani()
    headers = {person: token(person) for person in PEOPLE}
    for person in PEOPLE:
        screen = login(person).post(f"/penilaian/{on_screen}/aksi/{trigger}", data={"version": version(on_screen)})
        api = login(person).post(f"/api/v1/appraisals/{on_api}/transitions", headers=headers[person],
                                 json={"trigger": trigger, "version": version(on_api)})
        allowed = person in MAY_FIRE[trigger]
        assert (screen.status_code != 403) == allowed, (person, screen.status_code)
        assert (api.status_code != 403) == allowed, (person, api.status_code, api.json)
        assert api.status_code in (200, 403, 409, 422), api.json
        if screen.status_code == 302 or api.status_code == 200:  # it fired: start again from the source state
            on_screen, on_api = fresh_ani(), fresh_ani()
