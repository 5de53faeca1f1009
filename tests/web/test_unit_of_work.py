"""One unit of work per change: what a request writes is committed when its unit ends and undone when
anything in it fails, a refusal shown as a page included; nothing is ever half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db import make_session
from engine.errors import InvalidInput, Unauthenticated
from engine.messages import Message
from engine.models import OrgUnit
from engine.permissions import Actor
from web.context import current_actor, db_session, set_actor, unit_of_work


def _stored(db_url: str, code: str) -> bool:
    other = make_session(db_url)
    try:
        return other.scalars(select(OrgUnit).where(OrgUnit.code == code)).first() is not None
    finally:
        other.close()


def test_a_unit_of_work_commits_what_it_wrote(app, db_url):
    with app.test_request_context(), unit_of_work() as session:
        session.add(OrgUnit(code="UOW-OK", name="Unit tersimpan"))
    assert _stored(db_url, "UOW-OK")


def test_a_refusal_inside_a_unit_of_work_leaves_nothing_written(app, db_url):
    with app.test_request_context():
        with pytest.raises(InvalidInput), unit_of_work() as session:
            session.add(OrgUnit(code="UOW-NO", name="Unit ditolak"))
            session.flush()
            raise InvalidInput(Message("not_allowed"))
        # The request can go on reading after the refusal (the page shown again with the reason).
        assert db_session().scalars(select(OrgUnit).where(OrgUnit.code == "UOW-NO")).first() is None
    assert not _stored(db_url, "UOW-NO")


def test_an_engine_error_page_is_shown_after_the_request_work_is_undone(app, db_url):
    @app.get("/_uji/tulis-lalu-tolak")
    def write_then_refuse() -> str:
        db_session().add(OrgUnit(code="UOW-PAGE", name="Unit setengah ditulis"))
        db_session().flush()
        raise InvalidInput(Message("not_allowed"))

    response = app.test_client().get("/_uji/tulis-lalu-tolak")
    assert response.status_code == InvalidInput.http_status
    assert "Tindakan ini tidak diizinkan." in response.get_data(as_text=True)  # the refusal, for a person
    assert not _stored(db_url, "UOW-PAGE")


def test_nobody_signed_in_is_no_actor(app):
    with app.test_request_context(), pytest.raises(Unauthenticated):
        current_actor()


def test_who_acts_is_decided_again_for_each_request(app):
    """Two requests sharing one app context (as in a test or a CLI command): the API token's owner of
    the first never acts in the second."""
    @app.get("/_uji/sebagai-pemilik-token")
    def act_as_token_owner() -> str:
        set_actor(Actor(user_id=None, username="pemilik-token"))
        return current_actor().username

    @app.get("/_uji/siapa")
    def who() -> str:
        try:
            return current_actor().username
        except Unauthenticated:
            return "tidak ada"

    client = app.test_client()
    with app.app_context():
        assert client.get("/_uji/sebagai-pemilik-token").get_data(as_text=True) == "pemilik-token"
        assert client.get("/_uji/siapa").get_data(as_text=True) == "tidak ada"
