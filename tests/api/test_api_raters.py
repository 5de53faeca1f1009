"""Raters of top officials through the API: HR lists the employees with no superior in their scope, names
the regent's account as the Sekretaris Daerah's rater and clears it again, with the screen's permission and
the screen's refusal codes, each refusal writing nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from engine.models import AuditEvent, Employee
from engine.rater_models import RaterDesignation
from tests.web.test_hr_raters import pemda  # noqa: F401  (the fixture: bupati, hr_pemda, the PEMDA run)
from web.extensions import db

RATERS = "/api/v1/raters"


def _events(session, kind: str) -> list[AuditEvent]:
    session.rollback()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.kind == kind)))


def _designation(session, employee_id: int) -> RaterDesignation | None:
    session.rollback()
    return session.scalars(select(RaterDesignation).where(RaterDesignation.employee_id == employee_id)).first()


@pytest.fixture
def hr_pemda(token, pemda):  # noqa: F811  (the fixture imported above)
    return token("hr_pemda")


def test_hr_lists_the_top_officials_of_their_scope_with_nobody_designated_yet(client, org, hr_pemda):
    response = client.get(RATERS, headers=hr_pemda)
    assert response.status_code == 200
    items = response.get_json()["items"]
    sekda = next(i for i in items if i["employee"]["nip"] == org.people["sekda"].nip)
    assert sekda["employee"]["unit"]["code"] == "PEMDA"
    assert (sekda["rater"], sekda["reviewer"], sekda["basis"]) == (None, None, None)
    assert org.people["kadis"].nip not in {i["employee"]["nip"] for i in items}  # her superior rates her


def test_hr_designates_the_regent_and_clears_the_designation(client, session, org, hr_pemda):
    sekda = org.people["sekda"].id
    response = client.put(f"{RATERS}/{sekda}", headers=hr_pemda,
                          json={"rater": "bupati", "reviewer": None, "basis": "SK Bupati 800/12/2026"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["rater"]["username"] == "bupati" and body["rater"]["display_name"] == "Bupati Siklus Raya"
    assert body["reviewer"] is None and body["basis"] == "SK Bupati 800/12/2026" and body["designated_at"]
    listed = client.get(RATERS, headers=hr_pemda).get_json()["items"]
    assert next(i for i in listed if i["employee"]["id"] == sekda)["rater"]["username"] == "bupati"
    assert [e.payload["rater"] for e in _events(session, "rater_designate")] == ["bupati"]

    again = client.put(f"{RATERS}/{sekda}", headers=hr_pemda,
                       json={"rater": "bupati", "basis": "SK Bupati 800/12/2026"})
    assert again.status_code == 200 and len(_events(session, "rater_designate")) == 1  # nothing changed

    assert client.delete(f"{RATERS}/{sekda}", headers=hr_pemda).status_code == 204
    assert _designation(session, sekda) is None and len(_events(session, "rater_clear")) == 1
    gone = client.delete(f"{RATERS}/{sekda}", headers=hr_pemda)
    assert gone.status_code == 404 and gone.get_json()["code"] == "rater.none"


def test_a_reviewer_is_kept_beside_the_rater(client, org, hr_pemda):
    response = client.put(f"{RATERS}/{org.people['sekda'].id}", headers=hr_pemda,
                          json={"rater": "bupati", "reviewer": "admin"})
    assert response.status_code == 200 and response.get_json()["reviewer"]["username"] == "admin"


def test_a_subordinate_as_reviewer_is_refused(client, org, hr_pemda):
    response = client.put(f"{RATERS}/{org.people['sekda'].id}", headers=hr_pemda,
                          json={"rater": "bupati", "reviewer": "doni"})  # doni works under the Sekda
    assert response.status_code == 422 and response.get_json()["code"] == "rater.subordinate"


@pytest.mark.parametrize(("who", "path", "status", "code"), [
    ("hr", "sekda", 403, "rater.not_hr"),          # HR of DINAS: the Sekda's unit is PEMDA
    ("hr_lain", "sekda", 403, "rater.not_hr"),
    ("ani", "sekda", 403, "access.hr_only"),       # no HR at all
    ("bupati", "sekda", 403, "access.hr_only"),
])
def test_only_hr_of_the_employees_unit_may_designate(client, session, org, token, pemda, who, path, status, code):  # noqa: F811
    response = client.put(f"{RATERS}/{org.people[path].id}", headers=token(who), json={"rater": "bupati"})
    assert response.status_code == status and response.get_json()["code"] == code
    cleared = client.delete(f"{RATERS}/{org.people[path].id}", headers=token(who))
    assert cleared.status_code == status and cleared.get_json()["code"] == code
    assert _designation(session, org.people[path].id) is None and _events(session, "rater_designate") == []


def test_someone_without_hr_cannot_list(client, token, pemda):  # noqa: F811
    response = client.get(RATERS, headers=token("ani"))
    assert response.status_code == 403 and response.get_json()["code"] == "access.hr_only"


def test_hr_of_a_unit_lists_only_its_own_top_officials(client, org, token, pemda):  # noqa: F811
    listed = client.get(RATERS, headers=token("hr")).get_json()["items"]
    assert org.people["sekda"].nip not in {i["employee"]["nip"] for i in listed}


@pytest.mark.parametrize(("person", "body", "status", "code", "english"), [
    ("kadis", {"rater": "bupati"}, 422, "rater.has_supervisor", "has a direct superior (Sekretaris Daerah)"),
    ("sekda", {"rater": "tidak-ada"}, 404, "rater.no_user", "There is no active account named tidak-ada."),
    ("sekda", {"rater": "sekda"}, 422, "rater.self", "an employee does not rate themself"),
    ("sekda", {"rater": "kadis"}, 422, "rater.subordinate", "a rater is a superior, not a subordinate"),
    ("sekda", {"rater": "bupati", "reviewer": "bupati"}, 422, "rater.reviewer_same", "someone other than the rater"),
    ("sekda", {"rater": "bupati", "basis": "x" * 256}, 422, "rater.basis_long", "at most 255 characters"),
    ("sekda", {"rater": " "}, 422, "rater.user_required", "Enter the account name of the rater."),
    ("sekda", {"rater": "hr_pemda"}, 403, "rater.own_account", "cannot designate your own account"),
])
def test_a_refused_designation_says_why_with_the_screens_code(client, session, org, hr_pemda, person, body, status,
                                                              code, english):
    response = client.put(f"{RATERS}/{org.people[person].id}", headers=hr_pemda, json=body)
    problem = response.get_json()
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert problem["code"] == code and english in problem["text"]["en"] and problem["text"]["id"]
    assert _designation(session, org.people[person].id) is None and _events(session, "rater_designate") == []


def test_an_unknown_employee_is_not_found(client, hr_pemda):
    for response in (client.put(f"{RATERS}/999999", headers=hr_pemda, json={"rater": "bupati"}),
                     client.delete(f"{RATERS}/999999", headers=hr_pemda)):
        assert response.status_code == 404 and response.get_json()["code"] == "employee.not_found"


@pytest.mark.parametrize("body", [{}, {"rater": 5}, {"rater": "bupati", "jabatan": "x"}, {"rater": "b" * 201}])
def test_a_body_that_does_not_fit_the_document_is_refused(client, session, org, hr_pemda, body):
    response = client.put(f"{RATERS}/{org.people['sekda'].id}", headers=hr_pemda, json=body)
    assert response.status_code == 422 and response.get_json()["code"] == "api.body_invalid"
    assert _designation(session, org.people["sekda"].id) is None


def _statements(app, client, headers) -> tuple[int, list[dict]]:
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(RATERS, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), response.get_json()["items"]


def _add_top_officials(session, org, count: int, start: int) -> None:
    for i in range(start, start + count):
        employee = Employee(nip=f"19700101{i:010d}", name=f"Kepala Badan {i:03d}", position="Kepala Badan",
                            unit_id=org.root.id)
        session.add(employee)
        session.flush()
        session.add(RaterDesignation(employee_id=employee.id, rater_user_id=org.users["bupati"].id,
                                     reviewer_user_id=org.users["admin"].id, basis=f"SK {i}"))
    session.commit()


def test_the_list_costs_the_same_statements_for_n_and_3n_officials(app, client, session, org, hr_pemda):
    _add_top_officials(session, org, 5, 0)
    client.get(RATERS, headers=hr_pemda)  # warm-up
    few, listed = _statements(app, client, hr_pemda)
    _add_top_officials(session, org, 10, 5)
    many, grown = _statements(app, client, hr_pemda)
    assert len(grown) == len(listed) + 10 and all(i["rater"]["username"] == "bupati" for i in grown[:15])
    assert many <= few, (few, many)
