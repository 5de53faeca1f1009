"""The /token page: a person creates (secret shown once), lists and revokes their own tokens; HR revokes
tokens of people in their units and nobody else's."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engine.errors import Forbidden
from engine.models import ApiToken
from engine.tokens import create_token
from engine.users import seed_grant


def _secret(page: str) -> str:
    return re.search(r'id="secret"[^>]*value="(sik_[^"]+)"', page).group(1)


def test_a_new_token_is_shown_once_and_works_on_the_api(login, session):
    client = login("ani")
    created = client.post("/token/", data={"name": "skrip laporan", "days": "30"})
    assert created.status_code == 201
    secret = _secret(created.get_data(as_text=True))
    assert "hanya ditampilkan sekali" in created.get_data(as_text=True)
    listing = client.get("/token/").get_data(as_text=True)
    assert "skrip laporan" in listing and secret not in listing and secret[:12] in listing
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json["username"] == "ani"
    stored = session.scalars(select(ApiToken)).one()
    assert stored.expires_at is not None and stored.user_id is not None


def test_a_token_without_a_name_is_refused_with_a_reason(login, session):
    response = login("ani").post("/token/", data={"name": "  ", "days": "90"})
    assert response.status_code == 422 and "Beri token sebuah nama" in response.get_data(as_text=True)
    assert session.scalars(select(ApiToken)).first() is None


def test_the_owner_revokes_and_the_token_stops_working(login, session, org):
    new = create_token(session, org.actor("ani"), org.users["ani"], "lama")
    client = login("ani")
    response = client.post(f"/token/{new.token.id}/cabut", follow_redirects=True)
    assert "dicabut" in response.get_data(as_text=True)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new.secret}"}).status_code == 401


def test_hr_sees_and_revokes_tokens_of_their_units_only(login, session, org):
    ani = create_token(session, org.actor("ani"), org.users["ani"], "token ani")
    doni = create_token(session, org.actor("doni"), org.users["doni"], "token doni")
    client = login("hr")
    page = client.get("/token/").get_data(as_text=True)
    assert "token ani" in page and "token doni" not in page
    assert client.post(f"/token/{doni.token.id}/cabut").status_code == 403
    assert client.post(f"/token/{ani.token.id}/cabut").status_code == 302
    session.expire_all()
    assert session.get(ApiToken, ani.token.id).revoked_at is not None
    assert session.get(ApiToken, doni.token.id).revoked_at is None
    assert login("budi").post(f"/token/{ani.token.id}/cabut").status_code == 403


@pytest.mark.parametrize(("role", "unit"), [("admin", None), ("hr", "other")])
def test_hr_of_a_unit_cannot_make_see_or_revoke_tokens_of_an_account_with_rights_beyond_it(
        login, session, org, role, unit):
    """kadis works in DINAS but also administers Siklus (or is HR of another agency). HR of DINAS may not manage
    that login (engine.users); a token would act as kadis with those rights, so HR may not make one for kadis,
    nor list or revoke kadis's own."""
    seed_grant(session, user_id=org.users["kadis"].id, role=role,
               unit_id=getattr(org, unit).id if unit else None)
    session.commit()
    session.refresh(org.users["kadis"])
    kept = create_token(session, org.actor("kadis"), org.users["kadis"], "token kadis")
    with pytest.raises(Forbidden) as refused:
        create_token(session, org.actor("hr"), org.users["kadis"], "pintu belakang")
    assert refused.value.msg.code == "token.beyond_scope"
    client = login("hr")
    assert "token kadis" not in client.get("/token/").get_data(as_text=True)
    revoked = client.post(f"/token/{kept.token.id}/cabut")
    assert revoked.status_code == 403
    assert "akun itu juga memegang hak (admin, atau SDM unit lain)" in revoked.get_data(as_text=True)
    session.expire_all()
    assert session.get(ApiToken, kept.token.id).revoked_at is None
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 1
    # HR above both (every unit) still may.
    assert create_token(session, org.actor("admin"), org.users["kadis"], "oleh admin").token.user_id == \
        org.users["kadis"].id
